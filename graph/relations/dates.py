"""An assertion's qualifiers, its domain, region, place and figure (``ent:inDomain``,
``ent:inRegion``, ``ent:atPlace``, ``ent:figure``), and its time (the clause's own date, a
relative time, the paragraph's; :meth:`_Qualifiers._fact_date`), and a status held "until" a
date, no longer or not yet (:func:`_status_and_until`)."""

from __future__ import annotations

import re
from typing import cast

from entente.graph import date_cues
from entente.graph.model import Mention
from entente.graph.regex_analysis import accelerated
from entente.graph.relations.context import _Ctx, _Types, _Window
from entente.graph.relations.patterns import (
    _APPOSITION,
    _GOVERNED,
    _RELATIVE_ASIDE,
    _RELATIVE_ASIDE_START,
)
from entente.graph.relations.predicates import _relative_holding
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

#: a phrase of the same time right before a possessor subject ("during Putin's visit")
_AT_THE_TIME_OF = re.compile(r"\b(?:during|amid|amidst|throughout|on\s+the\s+occasion\s+of)\s+$",
                             re.I)
#: after a relation's objects, a clause with a subject of its own
_NEW_SUBJECT_AFTER = re.compile(r",[\d¹²³⁴⁵⁶⁷⁸⁹⁰]{0,3}\s+(?:and|but|while|whereas)\s+"
                                r"(?=(?:the\s+)?[A-Z])")
_UNTIL = re.compile(r"\b(?:until|till)\b", re.I)
#: (memberships and affiliations) a status not yet or no longer held, right before the
#: trigger or in it: "an aspiring NATO member" (group 1), "a former CSTO member"
_STATUSES = frozenset({"memberOf", "affiliatedWith"})
_STATUS_WORD = re.compile(r"\b(?:(aspiring|prospective|future|would-be|candidate|potential|"
                          r"hopeful)|former|ex-|onetime|one-time|erstwhile|(?:was|were)\s+once|"
                          r"used\s+to\s+be)\b", re.I)


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


    def _fact_date(self, rule: Rule, ctx: _Ctx, cs: int, ce: int, ts: int, te: int,
                   subjects: list[Mention], objects: list[Mention], w: _Window,
                   app: tuple[int, int] | None) -> str | None:
        """The date of the match text[ts:te] in the clause text[cs:ce] (``app``: the
        apposition that holds the trigger, if any)."""
        text = ctx.sent.text
        rel = w.rel
        if rule.passive and objects and objects[-1].end < cs:  # "Crimea, which was
            rel = _RELATIVE_ASIDE.match(text, objects[-1].end)  # annexed ... in 2014"
        if rel is not None and ts < rel.end():  # "X, which joined Y in 2001, ...":
            hit = date_cues.find_date(text[cs:rel.end()], ctx.year)  # the clause's own date
            return hit[2] if hit else None
        if w.own is not None:  # "joined X in 2015 but has not recognized Y": undated;
            # ("In 2014, Russia invaded X and annexed Y")
            hit = date_cues.find_date(text[w.own:ce], ctx.year) \
                or date_cues.find_date(text[:subjects[0].start], ctx.year)
            return hit[2] if hit else ctx.paragraph_dates[0] \
                if len(ctx.paragraph_dates) == 1 else None
        if (inner := _relative_holding(text, ts, te)) is not None:
            # "In 2020, Turkey, which bought S-400s from Russia, was sanctioned": the
            # purchase is dated by its own clause only
            hit = date_cues.find_date(text[inner[0]:inner[1]], ctx.year)
            return hit[2] if hit else None
        if app is not None:  # "Iran, a member of the SCO
            hit = date_cues.find_date(text[app[0]:app[1]], ctx.year)
            return hit[2] if hit else None  # since 2023, ...": the aside's own date
        if rule.subject.side == "possessor" and _GOVERNED.search(
                text, cs, subjects[0].start) is not None \
                and not _AT_THE_TIME_OF.search(text, cs, subjects[0].start):
            return None  # "Japan condemned Russia's invasion of Ukraine in March 2023":
            # the date is the condemnation's, not the invasion's (but "signed deals
            # during Putin's visit to Beijing in May 2024": the same time)
        # a clause with a subject of its own after ", and" ("Turkey bought the
        # S-400 in 2017, and the US sanctioned Turkey in December 2020"): its date
        # is from there on (or the sentence's opening date)
        # ... and up to the next clause with a subject of its own ("China supports
        # Russia, and Iran joined the SCO in 2023": not the support's date)
        nxt = _NEW_SUBJECT_AFTER.search(text, w.after, ce) if w.after < ce else None
        dce = ce if nxt is None else nxt.start()
        return self._date(ctx, cs, dce, ts) if w.joined is None \
            or w.joined.start() < cs \
            else self._date(ctx, w.joined.start() + 1, dce, ts, floor=True)


def _status_and_until(rule: Rule, ctx: _Ctx, te: int, ts: int, ce: int, neg: bool,
                      neither: bool, date: str | None) -> tuple[bool, str | None] | None:
    """(negated, date) after "until" and a status not yet or no longer held; None for a
    status not yet held (not a fact)."""
    text = ctx.sent.text
    if neg and not rule.negate and not neither \
            and (until := _UNTIL.search(text, te, ce)) is not None:
        neg = False  # "Russia did not invade Ukraine until 2022": it did, then
        hit = date_cues.find_date("in " + text[until.end():ce].lstrip(), ctx.year)  # (a
        # start now: "until 2022" read as "in 2022", which a bare year needs)
        date = hit[2] if hit else None
    elif not neg and not rule.negate and rule.property in _STATUSES \
            and (until := _UNTIL.search(text, te, min(ce, te + 60))) is not None:
        neg = True  # "Britain, an EU member until 2020": no longer, since then
        hit = date_cues.find_date("in " + text[until.end():ce].lstrip(), ctx.year)
        date = hit[2] if hit else None
    if rule.property in _STATUSES:
        status = _STATUS_WORD.search(text, max(0, ts - 12), te)
        if status is not None and status.group(1):
            return None  # "Georgia, an aspiring NATO member": not yet one
        if status is not None and not rule.negate:
            neg = True  # "Uzbekistan, a former CSTO member", "Russia was once a
            # member of the G8": no longer one
    return neg, date
