"""An assertion's qualifiers, its domain, region, place and figure (``ent:inDomain``,
``ent:inRegion``, ``ent:atPlace``, ``ent:figure``), and its time (the clause's own date, a
relative time, the paragraph's)."""

from __future__ import annotations

import re
from typing import cast

from entente.graph import date_cues
from entente.graph.regex_analysis import accelerated
from entente.graph.relations.context import _Ctx, _Types
from entente.graph.relations.patterns import _APPOSITION, _RELATIVE_ASIDE, _RELATIVE_ASIDE_START
from entente.graph.ruleset import Rule, words

_LOCATIVE = accelerated(re.compile(r"\b(?:in|across|throughout|on|around|within|over|into|to)\s+"
                                  r"(?:the\s+)?(?:[a-z-]+\s+)?$", re.I))
_IN_AT_END = accelerated(re.compile(r"\b(?:in|at)\s+(?:the\s+)?$"))
#: a relative clause after a comma, to the next comma or the end ("..., which had annexed
#: Crimea in 2014"): its date is its noun's
_RELATIVE_TAIL = re.compile(r",\s*(?:which|who|whose)\b[^,;:—–]*")
# a time told from another ("two years later", "the following year", "weeks ago"): a clause
# that holds one takes no date from elsewhere in the sentence or paragraph
_OWN_TIME = re.compile(r"\b(?:(?:in|on|since|by|until|last|this|next|early|late|mid)[\s-]+"
                       rf"(?:{'|'.join(m.capitalize() for m in date_cues.MONTHS)})"
                       r"|(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
                       r"Sunday)|yesterday|last\s+(?:week|month))\b")
_CONTRAST = re.compile(r";|,?\s+(?:while|whereas|but|although|though|yet)\b"
                       r"|,[\d¹²³⁴⁵⁶⁷⁸⁹⁰]{0,3}\s+and\s+(?=(?:the\s+)?(?-i:[A-Z]))", re.I)
_TOLD_FROM_ANOTHER = object()  # (a clause's date that depends on the side of _RELATIVE_SPAN)
_RELATIVE_SPAN = re.compile(
    r"\b(?:\w+\s+(?:years?|months?|weeks?|days?|decades?)|shortly|soon|just|right|"
    r"immediately|long)\s+(?:after|before)\b|^\W*(?:[Ss]oon\s+|[Ss]hortly\s+|[Jj]ust\s+)?"
    r"(?:[Aa]fter|[Bb]efore)\b", re.I)
_RELATIVE_TIME = accelerated(re.compile(
    r"\b(?:later|earlier|afterwards?|subsequently|ago|the\s+(?:following|next|previous|"
    r"preceding)\s+(?:year|month|week|day|decade)s?)\b", re.I))


class _Qualifiers:
    """An assertion's qualifiers and date, a part of
    :class:`~entente.graph.relations.RelationExtractor`."""

    def _qualifiers(self, rule: Rule, ctx: _Ctx, clause: tuple[int, int],
                    trigger: tuple[int, int], used: set[str], types: _Types) -> dict:
        cs, ce = clause
        text = ctx.sent.text[cs:ce]
        out: dict = {}
        if "domain" in rule.qualifiers:
            lowered = ctx.lowered  # (no CASE_TRAPS: the same offsets as the text)
            if lowered is not None:  # a keyword is searched where it may occur
                clause_lowered = lowered[cs:ce]
                maybe = set(self._domain_always)
                for w, keywords in self._domain_needles:
                    if w in clause_lowered:
                        maybe.update(keywords)
                found = {self._domain_words[i][1] for i in maybe
                         if self._domain_words[i][0].search(text)}
            else:
                found = {d for kw, d in self._domain_res if kw.search(text)}
            out["in_domain"] = tuple(sorted(found))
        if "region" in rule.qualifiers:
            places = [m.entity for m in ctx.mentions if cs <= m.start and m.end <= ce
                      and m.entity not in used and "Region" in types[m.entity]
                      and _LOCATIVE.search(ctx.sent.text[:m.start])]
            out["in_region"] = tuple(sorted(set(places)))
        if "place" in rule.qualifiers:
            # a place or the event held there ("at the G20 summit in Japan": the summit)
            at = sorted((m for m in ctx.mentions if cs <= m.start and m.end <= ce
                         and m.entity not in used
                         and types[m.entity] & {"Place", "State", "Event"}
                         and _IN_AT_END.search(ctx.sent.text[:m.start])),
                        key=lambda m: (m.start, -m.end))
            out["at_place"] = at[0].entity if at else None
        if "figure" in rule.qualifiers:
            # the figure nearest the trigger ("about 75% of FDI into X came from, and almost
            # 50% of trade was with, Y": each relation its own figure)
            ts, te = trigger
            figs = [f for f in self.figure.finditer(ctx.sent.text, cs, ce) if f.group(0).strip()]
            fig = min(figs, key=lambda f: (max(ts - f.end(), f.start() - te, 0), f.start()),
                      default=None)
            out["figure"] = fig.group(0).strip() if fig else None
        return out

    def _date(self, ctx: _Ctx, cs: int, ce: int, ts: int, floor: bool = False) -> str | None:
        """The date of a relation whose trigger starts at ``ts`` in the clause text[cs:ce]
        (rules sharing a clause share it, or each side of a time told from another:
        "eight years after")."""
        key = (cs, ce, floor)
        if key not in ctx.clause_dates:
            ctx.clause_dates[key] = self._clause_date(ctx, cs, ce, floor)
        date = ctx.clause_dates[key]
        if date is not _TOLD_FROM_ANOTHER:
            return cast("str | None", date)
        text = ctx.sent.text
        relative = _RELATIVE_SPAN.search(text, cs, ce)
        if relative is None:  # (found only with the sentence's asides blanked: the clause's)
            part = text[cs:ce]
        else:
            # the phrase after it (to a comma) is the other event, with its own date ("eight
            # years after Russia annexed Crimea in 2014"); the rest of the clause is the
            # relation's
            comma = text.find(",", relative.end(), ce)
            other_end = ce if comma < 0 else comma
            if relative.start() <= ts < other_end:
                part = text[relative.end():other_end]
            else:
                part = text[cs:relative.start()] + " " + text[other_end:ce]
        hit = date_cues.find_date(part, ctx.year)
        return hit[2] if hit else None

    def _clause_date(self, ctx: _Ctx, cs: int, ce: int,
                     floor: bool = False) -> str | object | None:
        """The date of the clause text[cs:ce] (``floor``: nothing before ``cs`` is the
        clause's, except a date opening the sentence)."""
        text = ctx.sent.text
        if ctx.no_dates is None:
            ctx.no_dates = not date_cues.may_hold_date(text)
        if ctx.no_dates:  # (neither the clause nor the rest of the sentence holds one)
            return ctx.paragraph_dates[0] if len(ctx.paragraph_dates) == 1 \
                and _RELATIVE_TIME.search(text, cs, ce) is None else None
        if _RELATIVE_ASIDE_START.search(text) is not None:
            # a relative clause between dashes or commas dates its own noun, not the
            # relation ("Kosovo—which declared independence in 2008—"): blanked, same length
            text = _RELATIVE_ASIDE.sub(lambda m: " " * len(m.group()), text)
        if ", a" in text:  # so does an apposition ("Iran, a member of the SCO since 2023,")
            text = _APPOSITION.sub(lambda m: " " * len(m.group()), text)
        if ("fter" in text or "efore" in text) \
                and _RELATIVE_SPAN.search(text, cs, ce) is not None:
            return _TOLD_FROM_ANOTHER  # "eight years after annexing Crimea in 2014": per side
        hit = date_cues.find_date(text[cs:ce], ctx.year)
        if hit:
            return hit[2]
        if _RELATIVE_TIME.search(text, cs, ce):
            return None  # "two years later, China and Russia held ...": not the other date
        if _OWN_TIME.search(text, cs, ce):
            return None  # a time of its own that cannot be resolved ("in July" in an undated
            # text): not the date of another clause
        # the only date elsewhere, within the statement: not beyond a semicolon or a
        # contrast ("..., while Lavrov met Wang Yi"; "...; Uzbekistan withdrew in 2012"),
        # unless it opens the sentence ("In 2014, X ...; Y ...")
        before = [m.end() for m in _CONTRAST.finditer(text, 0, cs)]
        after = _CONTRAST.search(text, ce)
        region_start = before[-1] if before else 0
        if floor:
            region_start = max(region_start, cs)
        region_end = after.start() if after is not None else len(text)
        if "which" in text or "who" in text:  # a relative clause dates its own noun ("...
            # sanctions on Russia, which had annexed Crimea in 2014"): blanked, same length
            text = _RELATIVE_TAIL.sub(lambda m: " " * len(m.group()), text)
        outside = date_cues.all_dates(text[region_start:cs] + " " + text[ce:region_end], ctx.year)
        if len(outside) == 1:
            return outside[0]
        if not outside and region_start > 0:
            opening = date_cues.find_date(text[:region_start], ctx.year)
            if opening is not None and words(text[:opening[0]]) <= 1:
                return opening[2]
        return ctx.paragraph_dates[0] if len(ctx.paragraph_dates) == 1 else None

