"""Checks on a trigger match once its arguments are found, and the clause around it: the
clause bounds, "but not" exceptions, a speaker's part, partners ("with X"), wishes and denials,
plans called off, members named as examples, elided verb phrases ("..., and so did Japan").
The predicates over the sentence text that the rule application asks are in ``predicates``."""

from __future__ import annotations

import re
from dataclasses import replace

from entente.graph import cues
from entente.graph.model import Assertion, Mention
from entente.graph.relations.context import _Ctx, _key, _Types
from entente.graph.relations.patterns import (
    _APPOSITION,
    _ELLIPSIS_AUX,
    _POSSESSIVE_S,
    _RELATIVE_ASIDE,
    _RELATIVE_ASIDE_START,
    _RESOLVED,
)
from entente.graph.relations.predicates import _asked_to_act
from entente.graph.ruleset import JOINER, Rule, words

#: a party of an agreement after its phrase: "signed a deal with (the) X"
_WITH_BEFORE = re.compile(r"\bwith\s+(?:the\s+)?$", re.I)
#: between the trigger and "with", what parts the "with" from the act: a comma, another
#: clause or verb ("signed a deal, then met with X", "signed a deal and talked with X")
_PARTNER_BREAK = re.compile(r"[,;:()]|\b(?:but|while|whereas|which|who|when|after|before|"
                            r"because|and\s+\w+ed)\b", re.I)
_AND_OR = re.compile(r"\b(?:and|or)\b", re.I)
#: an exception right after an argument: "supports Russia but not Iran", "recognized by the
#: US but not by Serbia"; the name after it ends its phrase (not "but not Iran's banks")
_BUT_NOT = re.compile(r",?\s+but\s+not\s+(?:(?:by|from|to|with|on|against|for|in)\s+)?"
                      r"(?:the\s+)?")
_CONTRAST_END = re.compile(r"\s*(?:[.,;:!?)]|$)")
#: an aside that adds a name to the subject before it: "China, as well as India, has refused
#: to sanction Russia", "Russia, along with China, vetoed ..." (not "unlike", "rather than")
_ADDITIVE_ASIDE = re.compile(r",\s+(?:as\s+well\s+as|along\s+with|together\s+with|alongside|"
                             r"(?:just\s+|much\s+)?like)\s+(?=(?:the\s+)?[A-Z])")
#: (_included_subjects) an aside of examples, and the nameless plural subject before it
_INCLUDING = re.compile(r",\s+(?:including|such\s+as|notably|among\s+them|for\s+example|"
                        r"for\s+instance|like)\s+")
_PLURAL_HEAD = re.compile(r"\s*(?:(?:[Ss]ome|[Ss]everal|[Mm]any|[Mm]ost|[Oo]ther|[Ff]ew|[Aa]\s+few|"
                          r"[Aa]\s+number\s+of|[Vv]arious|[Tt]he)\s+)?(?:[\w-]+\s+){0,2}?"
                          r"(?:countries|states|nations|governments|members|member\s+states|"
                          r"allies|partners|powers|neighbou?rs)\s*")
_ELLIPSIS = re.compile(
    rf",?\s+(?:(?:and|but|while|whereas|yet)\s+)?(?:so|(?P<neither>neither|nor))\s+"
    rf"{_ELLIPSIS_AUX}\s+(?P<who>(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){{0,3}}?)"
    rf"(?:\s+(?:too|either|as\s+well))?\s*(?:[.;!]|$)"
    rf"|,\s+(?:(?:and|but|while|whereas|yet)\s+)?(?P<who2>(?:the\s+)?[A-Z][\w.’'-]*"
    rf"(?:\s+[A-Z][\w.’'-]*){{0,3}}?)\s+{_ELLIPSIS_AUX}(?P<not>\s+not|n[’']t|\s+never)?"
    rf"(?:\s+(?:too|either|as\s+well|so))?\s*(?:[.;!]|$)")
#: a bracket of up to four words right after a word: an acronym or a gloss, not a clause
#: (the words possessive: a bracket without its ")" is not retried with each word split in
#: every way; a 1,700-character "word" took 13 s)
_SHORT_BRACKET = re.compile(r"(?<=\w)\s\((?=[A-Z]|(?:formerly|former|also|or|aka|pop\.)\s)"
                            r"[^()\s]++(?:\s[^()\s]++){0,3}+\s?\)")
#: a plan right before a trigger: "Xi was due to meet", "is scheduled to visit"
_PLANNED = re.compile(r"\b(?:due|set|scheduled|slated|supposed|expected|planning|planned|"
                      r"going|meant)\s+to\s+(?:\w+ly\s+)?$", re.I)


class _Checks:
    """Checks and additions to a rule's match, a part of
    :class:`~entente.graph.relations.RelationExtractor`."""

    @staticmethod
    def _elided(a: Assertion, rule: Rule, text: str, local: list[Mention],
                types: _Types) -> list[Assertion]:
        """The same act of another subject, its verb phrase elided after the object: "While
        India condemned Russia, China did not", "Russia has never recognized Kosovo, and
        neither has China", "India condemned Russia, and so did Japan" (the polarity the
        ellipsis says: negated after "not" or "neither"/"nor", else affirmed)."""
        # the clause's subject is the fact's subject, or its object when that stands before the
        # trigger: "India is buying Russian oil, and so is China" is Russia's supply of China
        if rule.subject.side == "before":
            role, other, arg = "subject", a.object, rule.subject
        elif rule.object is not None and rule.object.side == "before":
            role, other, arg = "object", a.subject, rule.object
        else:
            return []
        other_ends = [m.end for m in local if m.entity == other]
        if not other_ends or any(m.entity in a.attributed_to for m in local):
            return []  # (a speaker's sentence: the elided phrase may be the speech verb's,
            # "China said it supports Russia, and India did not")
        out = []
        for hit in _ELLIPSIS.finditer(text, max(other_ends)):
            g = "who" if hit.group("who") is not None else "who2"
            start, end = hit.span(g)
            name_ends = (end, end - 1) if text[end - 1] == "." else (end,)  # "Japan." | "U.S."
            m = next((m for m in local if start <= m.start and m.end in name_ends
                      and m.kind not in _RESOLVED), None)
            if m is None or m.entity in (a.subject, a.object) \
                    or arg.types.isdisjoint(types[m.entity]):
                continue
            negated = hit.group("neither") is not None or hit.group("not") is not None
            out.append(replace(a, **{role: m.entity}, negated=negated))
        return out

    def _but_not(self, rule: Rule, ctx: _Ctx, te: int, subjects: list[Mention],
                 objects: list[Mention], pairs: list[tuple[Mention, str]], types: _Types
                 ) -> list[tuple[Mention, str]]:
        """The pairs an exception after the last argument of the trigger denies: "China
        supports Russia but not Iran", "Kosovo is recognized by the US but not by Serbia",
        "India buys oil from Russia but not from Iran" (the name in that argument's place;
        not a possessor: "sanctioned Russia but not China's banks")."""
        text = ctx.sent.text
        after = [m for m in (*subjects, *objects) if m.start >= te]
        if not after:
            return []
        last = max(after, key=lambda m: m.end)
        hit = _BUT_NOT.match(text, last.end)
        if hit is None:
            return []
        as_subject = any(last is s for s in subjects)
        arg = rule.subject if as_subject else rule.object
        if arg is None:
            return []
        other = next((m for m in self._typed(ctx, arg.types, types)
                      if m.start == hit.end() and m.entity != last.entity), None)
        if other is None or _CONTRAST_END.match(text, other.end) is None:
            return []
        if as_subject:
            return [(other, t) for s, t in pairs if s is last and other.entity != t]
        return [(s, other.entity) for s, t in pairs
                if t == last.entity and s.entity != other.entity]

    def _speaker_in_part(self, speaker: tuple[str, ...], mentions: list[Mention], text: str,
                         ts: int) -> tuple[str, ...]:
        """The sentence's speaker for a trigger at ``ts``, unless a semicolon parts the
        trigger from where the speaker speaks ("Russia claims the pipeline is commercial;
        China imports Russian gas through it" is the text's), or the trigger is in the
        speaker's own relative clause or apposition ("Putin, who met Xi in Beijing, said ...":
        the meeting is the text's). (A speaker named in an earlier sentence, "..., he said",
        stays.)"""
        asides = ", a" in text or _RELATIVE_ASIDE_START.search(text) is not None
        if ";" not in text and not asides:
            return speaker
        speaking = [m for m in mentions if m.entity in speaker
                    and cues.speaks_at(self.cues, text, m.start, m.end)]
        for m in speaking if asides else ():
            aside = _RELATIVE_ASIDE.match(text, m.end) or _APPOSITION.match(text, m.end)
            if aside is not None and aside.start() <= ts < aside.end():
                return ()
        if ";" not in text:
            return speaker
        start = text.rfind(";", 0, ts) + 1
        end = text.find(";", ts)
        end = len(text) if end < 0 else end
        if not speaking or any(start <= m.start < end for m in speaking):
            return speaker
        return ()

    def _partners(self, rule: Rule, ctx: _Ctx, te: int, ce: int, types: _Types,
                  exclude: set[tuple[int, int, str]]) -> list[Mention]:
        """The parties after "with" in the trigger's clause, of the subject's types: "Russia
        signed a trade agreement with China (and Belarus)". Not a possessor ("with China's
        help"), not a demonym ("with Chinese firms"), nor past a comma or another verb
        ("signed a deal and held talks with China")."""
        text = ctx.sent.text
        if "with" not in text[te:ce]:
            return []
        cands = sorted((m for m in self._typed(ctx, rule.subject.types, types)
                        if te <= m.start and m.end <= ce and m.kind != "singular"
                        and _key(m) not in exclude), key=lambda m: (m.start, -m.end))
        for m in cands:
            with_ = _WITH_BEFORE.search(text, max(te, m.start - 10), m.start)
            if with_ is None:
                continue
            gap = text[te:with_.start()]
            head = self._mint_heads[rule.id].search(gap)
            if _PARTNER_BREAK.search(gap) or words(gap) > 10 or m.text in self.demonyms \
                    or _POSSESSIVE_S.match(text[m.end:m.end + 3]) \
                    or (head is not None and _AND_OR.search(gap, head.end()) is not None):
                return []  # (after the agreement's noun, "and" opens another phrase: "signed
                # a deal and held talks with X"; before it, "a trade and energy agreement")
            return self._group(m, cands, text, backward=False, clauses=True)
        return []

    @staticmethod
    def _wished_of_object(ctx: _Ctx, cs: int, ts: int) -> bool:
        """With the subject after the trigger (the seller in "buy Russian oil"), the name
        before the trigger followed only by "to" (the object of a wish or a request, as for
        subjects): "The US pressured India to stop buying Russian oil"."""
        before = [m for m in ctx.mentions if cs <= m.start and m.end <= ts]
        return bool(before) and _asked_to_act(ctx.sent.text, cs, before[-1].start,
                                              before[-1].end, ts, ctx.mentions)

    def _plan_called_off(self, rule: Rule, text: str, objects: list[Mention], ts: int) -> bool:
        """A plan (``_PLANNED`` before the trigger of a ``cancellable`` rule) called off in a
        clause after ", but": "Xi was due to meet Biden in June, but the talks were
        cancelled" did not take place; "Xi met Biden, but their second meeting was
        postponed" is no plan."""
        return rule.cancellable and bool(objects) \
            and self.called_off_later.match(text, objects[-1].end) is not None \
            and _PLANNED.search(text, max(0, ts - 40), ts) is not None

    def _denied_after(self, rule: Rule, text: str, first: int, objects: list[Mention],
                      ce: int) -> bool:
        """What follows the object denies the relation: the event was called off (a
        ``cancellable`` rule: "Xi's meeting with Biden was cancelled"), or the claim is said
        to be false ("Reports that China supports Russia are false"; the opening right before
        the subject, which starts at ``first``)."""
        if not objects:
            return False
        end = objects[-1].end
        if rule.cancellable and self.called_off.match(text, end, ce) is not None:
            return True
        return self.said_false.match(text, end, ce) is not None \
            and self.claim_opening.search(text, max(0, first - 40), first) is not None

    def _clause(self, text: str, ts: int, te: int, cue: bool = False) -> tuple[int, int]:
        """The clause of text[ts:te]: between the clause breaks around it (``cue``: the cue
        clause breaks, defaults.cue_clause_break)."""
        known = self._breaks.get(text)
        if known is None:
            if len(self._breaks) > 8:
                self._breaks.clear()
            known = self._breaks[text] = [None, None]
        spans = known[cue]
        if spans is None:  # the matches in the sentence (only the branches it can match)
            spans = known[cue] = [b.span() for b in
                                  self._break_searches[cue].for_text(text).finditer(text)]
            if "(" in text:  # a short bracket right after a word is no clause ("The European
                # Union (EU) imposed ...", "Türkiye (formerly Turkey) is ...")
                short = {p for m in _SHORT_BRACKET.finditer(text)
                         for p in (m.start(), m.end() - 1)}
                if short:
                    spans[:] = [sp for sp in spans if sp[0] not in short]
            opening = self.opening_phrase.match(text) \
                if cue and self.opening_phrase is not None else None
            if opening is not None:  # the comma closing "Despite X," (a clause break too)
                spans.append((opening.end() - 1, opening.end()))
                spans.sort()
        start, end = 0, len(text)
        for b_start, b_end in spans:
            if b_end <= ts:
                start = b_end
            elif b_start >= te:
                end = b_start
                break
        return start, end

    def _included_subjects(self, rule: Rule, ctx: _Ctx, cs: int, ts: int,
                           types: _Types) -> list[Mention]:
        """The names of an aside listing examples of the clause's nameless plural subject
        ("Several countries, including India and Turkey, have refused to sanction Russia",
        "Some EU members, for example Hungary and Slovakia, oppose ..."): they act."""
        text = ctx.sent.text
        close = text.rfind(",", cs, ts)
        if close < 0:
            return []
        hits = list(_INCLUDING.finditer(text, cs, close))
        if not hits or not _PLURAL_HEAD.fullmatch(text, cs, hits[-1].start()):
            return []
        gap = text[close + 1:ts]
        if words(gap) > rule.max_gap or self._subject_stop[rule.id].search(gap):
            return []
        return self._listed_names(ctx, rule.subject.types, types, hits[-1].end(), close)

    def _with_added(self, rule: Rule, ctx: _Ctx, subjects: list[Mention], ts: int,
                    types: _Types) -> list[Mention]:
        """The subjects and the names of an additive aside right after them, when it holds
        only names of the subject's types ("China, as well as India and Brazil, has refused
        to ..."): they act too."""
        text = ctx.sent.text
        hit = _ADDITIVE_ASIDE.match(text, subjects[-1].end)
        if hit is None:
            return subjects
        close = text.find(",", hit.end(), ts)
        if close < 0:
            return subjects
        # ("China, like most of Russia's partners, ...": no name alone, nothing added)
        return [*subjects, *self._listed_names(ctx, rule.subject.types, types, hit.end(), close)]

    def _listed_names(self, ctx: _Ctx, wanted: frozenset[str], types: _Types, start: int,
                      end: int) -> list[Mention]:
        """The names of the ``wanted`` types that fill ``start``..``end`` of the sentence,
        joined ("India and Turkey", "the EU"); none if anything else stands there."""
        text = ctx.sent.text
        names = [m for m in self._typed(ctx, wanted, types)
                 if start <= m.start and m.end <= end and m.kind not in _RESOLVED]
        if not names or text[start:names[0].start] not in ("", "the ") \
                or names[-1].end != end \
                or any(JOINER.fullmatch(text, a.end, b.start) is None
                       for a, b in zip(names, names[1:], strict=False)):
            return []
        return names
