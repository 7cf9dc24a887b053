"""The ``after`` and ``after_by`` argument locator (:meth:`_ObjectLocator._locate_after`):
the name after a trigger that is its object ("signed a Foundation Act with NATO"), or the
agent of a passive trigger after "by", with the names listed with it; and the gap tests it
reads (stop words, a reduced relative clause, a possessive that makes the name a modifier)."""

from __future__ import annotations

import re

from entente.graph.model import Mention
from entente.graph.relations.context import _Ctx, _Types
from entente.graph.relations.groups import _HYPHEN, _NameGroups
from entente.graph.relations.patterns import _POSSESSIVE_S
from entente.graph.ruleset import WORD, Arg, Rule, unmask

#: after a hyphenated pair of names, a word that makes the pair a modifier of a thing: a
#: capitalised name ("the China-Pakistan Economic Corridor") or a project noun ("the
#: Kazakh-Chinese railway", "the Russian-Belarusian union state")
_NAMES_A_THING = re.compile(r"\s+(?:[A-Z][a-z]+\b|(?:[a-z-]+\s+){0,2}(?:corridor|pipelines?|"
                            r"railways?|railroad|deals?|projects?|union|bridges?|ports?|plants?|"
                            r"routes?|highway|plans?|proposals?|initiatives?|agreements?|treaty|"
                            r"treaties|memorand(?:um|a)|roadmap|framework|consensus)\b)")
_PHRASE_BREAK = re.compile(r"[,;:()]")
#: (matched at a position; an opening quote may stand before the possessed noun: China's
#: "centuries-old traditions")
_POSSESSED = re.compile(r"[’']s\s+[\"“‘]?([\w-]+)(?:\s+([\w-]+))?")
_BY = re.compile(r"^\s+(?:in\s+\d{4}\s+)?by\s+")  # ("founded in 2001 by")
#: words before an -ing word that make it an adjective ("the ruling party"), not a participle
_BEFORE_ADJECTIVE = frozenset({
    "the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those",
    "some", "any", "no", "every", "each", "both", "all", "more", "most", "many", "several"})
#: -ing words that are prepositions ("during", "including"), never a reduced relative clause
_ING_PREPOSITIONS = frozenset({"during", "including", "according", "regarding", "concerning",
                               "following", "notwithstanding", "excluding"})
_PREP_END = re.compile(r"\b(?:for|of|to|with|on|against|from|into|in)\s*$", re.I)
#: the kinds of events held somewhere, and the "in" that names the place after one
_PLACED_EVENTS = frozenset({"Event", "Meeting", "Summit"})
_IN_BETWEEN = re.compile(r"\s+in\s+(?:the\s+)?")
#: (_taken_again) the trigger's closing preposition taken again: ", and with (the) X"
_TAKEN_AGAIN_PREPS = frozenset({"with", "to", "from"})
_AND_AGAIN = re.compile(r",\s+and\s+(?:also\s+)?(?P<prep>\w+)\s+(?:the\s+)?")
_PHRASE_END = re.compile(r"[;:()]|\.\s")  # (another statement before it)
#: after the name taken again, what makes it the opening of a clause: a pronoun or a name
_CLAUSE_AFTER = re.compile(r"\s*,?\s+(?:it|they|he|she|we|its|their|(?-i:[A-Z]))", re.I)


class _ObjectLocator(_NameGroups):
    """The ``after`` argument locator, a part of
    :class:`~entente.graph.relations.RelationExtractor` (through ``_ArgumentLocators``)."""

    def _object_stop(self, word: str) -> bool:
        """Whether a gap word (lower case) stops an object's gap (``defaults.object_gap_stop``,
        remembered per word)."""
        stop = self._stop_words.get(word)
        if stop is None:
            stop = self.object_stop.fullmatch(word) is not None
            if len(self._stop_words) >= 100_000:
                self._stop_words.clear()
            self._stop_words[word] = stop
        return stop

    def _locate_after(self, arg: Arg, rule: Rule, ctx: _Ctx, ms: list[Mention],
                      asides: list[tuple[int, int]], ce: int, ts: int, te: int,
                      types: _Types) -> list[Mention]:
        """An ``after`` or ``after_by`` argument among the mentions ``ms`` (those of its
        types outside the ``asides``)."""
        text = ctx.sent.text
        if arg.side == "after_by":
            hit = _BY.match(text[te:ce])
            if not hit:
                return []
            ts, arg = te + hit.end(), Arg("after", arg.types, arg.preps)
            te = ts
        cands = sorted((m for m in ms if te <= m.start and m.end <= ce and m.kind != "singular"),
                       key=lambda m: (m.start, -m.end))
        # words since the argument's own preposition ("support for") are counted from the
        # trigger's end when the trigger ends with one (else from one in the gap)
        prep_ends_trigger = bool(cands) and _PREP_END.search(text, max(ts, te - 8), te) is not None
        for i, m in enumerate(cands):
            nxt = cands[i + 1] if i + 1 < len(cands) else None
            if nxt and nxt.start == m.start and nxt.text in self.demonyms \
                    and "State" in types[nxt.entity] \
                    and "State" in arg.types and not types[m.entity] & {
                        "State", "InternationalOrganization", "Person"}:
                continue  # "support a Russian invasion": the state, not the event
            # (an event right before "in" and m is the phrase's head, m its place: the gap
            # ends before the event: "a visit to the Olympic Games in Beijing")
            end = self._event_in_place(arg, m, ctx.mentions, te, text, types)
            gap = self.gap_ignore.sub(" ", unmask(text, te, end, asides) if asides
                                      else text[te:end])
            gap_words = WORD.findall(gap)
            if gap_words and any(te <= x.start and x.end <= end
                                 and not _POSSESSIVE_S.match(text[x.end:x.end + 3])
                                 and x.text not in self.demonyms  # ("his Chinese counterpart")
                                 for x in ctx.mentions):
                return []  # another name first: "arms sales to Taiwan anger Beijing" (the
                # place is the object; the state after it is not)
            if gap_words and ts > 0 and text[ts - 1] in "-‐":
                return []  # "Russia-backed militias attacked Ukrainian positions": the trigger
                # glued to its subject modifies the noun right after it, the object if any
            if arg.loose:
                if len(gap_words) > rule.max_gap:
                    return []
                return self._group(m, cands, text, backward=False, clauses=True)
            if _PHRASE_BREAK.search(gap) or self.modifier.match(text, m.end):
                return []  # another phrase, or a modifier ("US-requested", "the SCO summit")
            if len(gap_words) > rule.max_gap:
                return []
            stops = self._stop_words
            previous = ""
            after_prep = 0 if prep_ends_trigger else -1
            for w in gap_words:
                w = w.lower()
                stop = stops.get(w)
                if stop is None:
                    stop = self._object_stop(w)
                if stop and w not in arg.preps:
                    return []
                if _participle_after_noun(previous, w):
                    return []  # "sanctions on companies supplying Russia": their object
                after_prep = 0 if stop else after_prep + 1 if after_prep >= 0 else -1
                if after_prep > 2:
                    return []  # the preposition's own noun phrase came first ("support for
                    # the resolution angered the US": the US is not supported)
                previous = w
            poss = self._possessing(text, m.end)
            if poss is not None:
                if nxt is not None and nxt.start == poss.start(1):
                    continue  # "Russia's annexation of Crimea": the named event, not Russia
                return []
            group = self._group(m, cands, text, backward=False, clauses=True)
            if len(group) > 1 and _HYPHEN.fullmatch(text, group[0].end, group[1].start) \
                    and _NAMES_A_THING.match(text, group[-1].end):
                return []  # "the China-Pakistan Economic Corridor": the project, not its states
            if len(group) > 1 and self._possessing(text, group[-1].end) is not None:
                return []  # "praising Russia and China's traditions of friendship": the pair
                # possesses the object, as one name does
            return group + self._taken_again(text, ts, te, group, ms)
        return []

    def _taken_again(self, text: str, ts: int, te: int, group: list[Mention],
                     ms: list[Mention]) -> list[Mention]:
        """The names the trigger's closing preposition takes again after the object's phrase,
        a comma and "and": "consulted with Pakistan on Afghanistan, and with Iran on
        terrorism" (Iran too); only the first ", and <preposition>" after the object is read,
        and not one that opens a clause of its own ("..., and with Iran it signed ...")."""
        last = text[ts:te].rsplit(None, 1)[-1].lower() if te > ts else ""
        if last not in _TAKEN_AGAIN_PREPS or ", and " not in text[group[-1].end:]:
            return []
        hit = _AND_AGAIN.search(text, group[-1].end)
        if hit is None or hit.group("prep").lower() != last \
                or _PHRASE_END.search(text, group[-1].end, hit.start()):
            return []
        taken = {(m.start, m.end, m.entity) for m in group}
        again = [m for m in ms if m.start > hit.end("prep")
                 and (m.start, m.end, m.entity) not in taken]
        # (the name right after the preposition, "the" in it or not: "with the US")
        first = [m for m in again if m.start in (hit.end(), hit.end("prep") + 1)]
        if not first:
            return []
        more = self._group(first[0], again, text, backward=False, clauses=True)
        if _CLAUSE_AFTER.match(text, more[-1].end):
            return []
        return more

    def _possessing(self, text: str, end: int) -> re.Match[str] | None:
        """The "'s" and noun right after a name ending at ``end`` when the name possesses
        another thing, not itself ("China's traditions"; not "China's position", a
        ``defaults.possessive_heads`` noun that stands for the name)."""
        poss = _POSSESSED.match(text, end)
        if poss is None or {(w or "").lower() for w in poss.groups()} & self.possessive_heads:
            return None
        return poss

    @staticmethod
    def _event_in_place(arg: Arg, m: Mention, mentions: list[Mention], te: int, text: str,
                        types: _Types) -> int:
        """Where the gap before candidate ``m`` ends: at an event named right before "in"
        and ``m`` (after the trigger), for an argument that takes "in" (``m`` is where the
        event was: "Putin's visit to the Olympic Games in Beijing" is a visit to China);
        else at ``m``."""
        if "in" not in arg.preps or " in " not in text[te:m.start]:
            return m.start
        for x in mentions:
            if te <= x.start and x.end < m.start and not types[x.entity].isdisjoint(
                    _PLACED_EVENTS) and _IN_BETWEEN.fullmatch(text, x.end, m.start):
                return x.start
        return m.start


def _participle_after_noun(previous: str, word: str) -> bool:
    """Whether ``word`` (lower case, after the gap word ``previous``) opens a reduced
    relative clause: an -ing word after a word that is no determiner or adverb ("companies
    supplying"; not "the ruling", "rapidly growing", nor the first word: "neighbouring"), nor
    "nor" ("neither endorsing nor condemning X": two verbs, one object)."""
    return (len(word) > 5 and word.endswith("ing") and previous != ""
            and previous not in _BEFORE_ADJECTIVE and previous != "nor"
            and not previous.endswith("ly")
            and word not in _ING_PREPOSITIONS)
