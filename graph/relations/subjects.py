"""Where a ``before`` subject is not next to its trigger: the sentence's subject across a
coordinated verb phrase, an opening participle phrase, the antecedent of a relative clause
("Turkey, which bought S-400s from Russia, ...") and of "whose"."""

from __future__ import annotations

import re

from entente.graph.model import Mention
from entente.graph.relations.context import _Ctx, _Types
from entente.graph.relations.events import _base_of
from entente.graph.relations.patterns import (
    _ADVERBS,
    _AND_CATENATIVE_END,
    _AND_END,
    _AUXILIARIES,
    _ING_WORD,
    _POSSESSIVE_S,
    _RELATIVE_ASIDE,
)
from entente.graph.ruleset import PREP_BEFORE, Arg, Rule, content, words

#: (_opening_phrase_subject) a preposition opening the sentence before an -ing trigger
_ING_OPENING = re.compile(r"\W*(?:[Rr]ather\s+than|[Ii]nstead\s+of|[Ff]ar\s+from|[Ww]ithout|"
                          r"[Aa]fter|[Bb]efore|[Bb]esides|[Dd]espite|[Bb]y|[Ii]n\s+addition\s+to)"
                          r"\s+")
_COORDINATION = re.compile(r"^\W*(?:and|but|or)\b")
_COMMA_AND_END = re.compile(r",\s+and\s+(?:\w+\s+)?$")
_RELATIVE = re.compile(r"\s+(?:is|was|are|were)\b[^,;]{0,80}\b(?:that|who)\s*")
#: "which"/"who" right after a name, opening a relative clause that stands for it
_RELATIVE_PRONOUN = re.compile(r"\s*[,—–]\s*(?:which|who)\b")
#: the end of a text that opens a relative clause about the name before it, up to its verb
#: (adverbs, auxiliaries, a negation between): ", which invaded", ", who has also visited"
_RELATIVE_GAP_END = re.compile(
    rf"[,—–]\s*(?:which|who)\s+(?:{_ADVERBS}|{_AUXILIARIES}\s+)*$", re.I)
#: "Kosovo, whose independence is ...", "Crimea, whose annexation remains ...": the head noun
_WHOSE_GAP_END = re.compile(
    rf"[,—–]\s*whose\s+(?P<head>[a-z]+)\s+(?:{_ADVERBS}|(?:{_AUXILIARIES}|remain(?:s|ed)?)\s+)*$",
    re.I)
#: heads whose "whose" is the event done to the antecedent ("Crimea, whose annexation ...")
_WHOSE_EVENTS = frozenset({"annexation", "invasion", "occupation"})
#: what may open a sentence before its subject when a relative clause follows the subject
#: ("In 2001, Kazakhstan, which ...": an opening phrase; "Sanctions on Russia, which": no)
_SUBJECT_OPENING = re.compile(r"(?:[^,]*,\s*)?(?:[Tt]he\s+)?")


class _SubjectFallbacks:
    """A ``before`` subject found further away, a part of
    :class:`~entente.graph.relations.RelationExtractor`."""

    def _sentence_subject(self, rule: Rule, ctx: _Ctx, cs: int, ts: int,
                          types: _Types, arg: Arg | None = None) -> list[Mention]:
        """VP coordination: "Moscow and Beijing support X ... and neither recognize Y"; and the
        name a relative clause follows ("Kazakhstan, which borders China, joined ...").
        ``arg``: the argument the clause's subject stands for, the rule's subject by default,
        or an object before the trigger ("India, which is large, buys weapons from France":
        the buyer)."""
        text = ctx.sent.text
        typed = self._typed(ctx, (arg or rule.subject).types, types)
        if _AND_END.search(text[cs:ts]) or _AND_CATENATIVE_END.search(text[cs:ts]):
            # "China would violate X and openly support Y": the clause's own subject
            inside = [m for m in typed if cs <= m.start and m.end <= ts]
            if inside and PREP_BEFORE.search(text, cs, inside[0].start) is not None:
                # an opening phrase ("Speaking in Beijing, Putin praised X and criticized
                # Y"): the clause's subject is the first name after its comma
                comma = text.find(",", inside[0].end, ts)
                inside = [m for m in inside if comma >= 0 and m.start > comma
                          and words(text[comma:m.start]) <= 2]
                opening = comma + 1
            else:
                opening = cs
            if inside and words(text[opening:inside[0].start]) <= 2 \
                    and PREP_BEFORE.search(text, opening, inside[0].start) is None \
                    and _POSSESSIVE_S.match(text[inside[0].end:inside[0].end + 3]) is None:
                # (not a possessor: "Russia's war has pushed Finland to ... and join NATO")
                group = self._group(inside[0], inside, text, backward=False)
                if group[0] is inside[0]:
                    return group
        cands = [m for m in typed if m.end <= cs]
        if not cands or words(text[:cands[0].start]) > 2 \
                or PREP_BEFORE.search(text, 0, cands[0].start) is not None:
            return []  # (not in an opening phrase: "Speaking in Berlin, the EU chief ...")
        first = cands[0]
        group = self._group(first, list(reversed(cands)), text, backward=False)
        if group[0] is not first:
            return []
        coordination = _COORDINATION.match(text[cs:ts].lstrip("—–- ")) \
            or _COMMA_AND_END.search(text[cs:ts])
        # "China was the only permanent member that abstained"
        relative = _RELATIVE.fullmatch(text[group[-1].end:cs])
        if coordination or relative:
            return group
        if _SUBJECT_OPENING.fullmatch(text[:first.start]) \
                and self._after_relative_clause(rule, text, group[-1].end, ts):
            return group  # "Kazakhstan, which borders China, joined ..."
        return []

    def _opening_phrase_subject(self, rule: Rule, ctx: _Ctx, cs: int, ce: int, ts: int,
                                te: int, types: _Types) -> list[Mention]:
        """The subject of an -ing trigger opening the sentence after a preposition: the first
        name after the phrase's comma ("Rather than condemning Russia, China blamed NATO",
        "By supplying drones to Russia, Iran ...": the trigger's first word in -ing); the
        phrase's negation ("rather than", "instead of", "far from", "without") is a cue of
        ``cues.negation``."""
        text = ctx.sent.text
        if not _ING_WORD.match(text, ts) or _ING_OPENING.fullmatch(text, cs, ts) is None:
            return []
        comma = text.find(",", te, ce)
        if comma < 0:
            return []
        after = [m for m in self._typed(ctx, rule.subject.types, types) if m.start > comma]
        if not after or words(text[comma + 1:after[0].start]) > 1 \
                or PREP_BEFORE.search(text, comma, after[0].start) is not None:
            return []
        return self._group(after[0], after, text, backward=False)

    def _relative_antecedent(self, rule: Rule, ctx: _Ctx, ts: int,
                             types: _Types, arg: Arg | None = None) -> list[Mention]:
        """The name a relative clause holding the trigger is about: "NATO condemned Russia,
        which invaded Ukraine in 2022" (Russia invaded it; ``arg``: the argument it stands
        for, the subject by default, or an object before the trigger: "Serbia, which buys
        Russian gas, ...").  Not a name inside a phrase after a preposition, whose head the
        clause is about ("sanctions on Russia, which were imposed ...", "the invasion of
        Ukraine, which ...")."""
        text = ctx.sent.text
        gap = _RELATIVE_GAP_END.search(text, max(0, ts - 60), ts)
        if gap is None:
            return self._whose_antecedent(rule, ctx, ts, types, arg)
        typed = self._typed(ctx, (arg or rule.subject).types, types)
        before = [m for m in typed
                  if m.end <= gap.start() and not text[m.end:gap.start()].strip(" ”\"’'")]
        if not before or PREP_BEFORE.search(text, max(0, before[-1].start - 16),
                                             before[-1].start) is not None:
            return []
        return self._group(before[-1], typed, text, backward=True)

    def _whose_antecedent(self, rule: Rule, ctx: _Ctx, ts: int, types: _Types,
                          arg: Arg | None = None) -> list[Mention]:
        """The argument a "whose" clause holding the trigger stands for: the name before it,
        for a head that stands for its possessor ("Kosovo, whose independence is recognized
        by X", ``defaults.possessive_heads``); the known event done to that name ("Crimea,
        whose annexation remains unrecognized by X": the annexation of Crimea) for an event
        head, when the argument may be one; nothing for another head ("Russia, whose ally
        ...")."""
        text = ctx.sent.text
        hit = _WHOSE_GAP_END.search(text, max(0, ts - 60), ts)
        if hit is None:
            return []
        wanted = (arg or rule.subject).types
        names = [m for m in ctx.mentions if m.end <= hit.start()]
        if not names or text[names[-1].end:hit.start()].strip(" ”\"’'") \
                or PREP_BEFORE.search(text, max(0, names[-1].start - 16), names[-1].start):
            return []
        name, head = names[-1], hit.group("head").lower()
        if head in _WHOSE_EVENTS:
            event = self._known_event(content(f"{head} of {name.text}"), _base_of(ctx), set())
            if event is None or wanted.isdisjoint(types[event]):
                return []
            found = Mention(hit.start("head"), hit.end("head"), hit.group("head"), event,
                            name.sentence, "anaphor")  # ("annexation" stands for it)
            ctx.anaphors.append(found)
            return [found]
        if head not in self.possessive_heads or wanted.isdisjoint(types[name.entity]):
            return []
        return self._group(name, self._typed(ctx, wanted, types), text, backward=True)

    def _after_relative_clause(self, rule: Rule, text: str, end: int, ts: int) -> bool:
        """Whether a relative clause of a subject ending at ``end`` makes it the subject of the
        trigger at ``ts``: the trigger right after the clause ("Kazakhstan, which borders
        China and Russia, joined the EAEU": the clause is skipped), or in it with "which"/"who"
        for the subject ("Kazakhstan, which joined the EAEU in 2015, ..."); the words left
        between them within the rule's limits."""
        aside = _RELATIVE_ASIDE.match(text, end)
        if aside is not None and aside.end() <= ts:
            gap = text[aside.end():ts].lstrip(",—– ")
        else:
            pronoun = _RELATIVE_PRONOUN.match(text, end)
            if pronoun is None or pronoun.end() > ts:
                return False
            gap = text[pronoun.end():ts]
        return words(gap) <= rule.max_gap and not self._subject_stop[rule.id].search(gap)

