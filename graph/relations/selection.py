"""Which rules a sentence may fire, before any trigger is searched: a part of
:class:`~entente.graph.relations.RelationExtractor`.

A rule is *gated* when every match of its triggers starts with one of a few literal words
(its gate words); an *ungated* rule may have *needles*, strings one of which every match
contains.  One Aho-Corasick automaton over all these strings (and the strings a clause
must hold for a ``requires`` rule) finds in one pass over a sentence in lower case every
one it holds and where (``_held``); the candidate rules follow from that
(``_candidates``: an ungated rule whose triggers each need strings of several sets, one
of each, is dropped unless a trigger finds them all), and a gated rule's trigger is then
tried only where its gate words start
(graph/relations/extractor.py).  See docs/extraction.md ("Where extraction time goes, and
what the speed-ups are")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import ahocorasick
from entente.graph.regex_analysis import literal_prefixes, required_literals, required_sets
from entente.graph.ruleset import Rule

#: the first three characters of each word of three or more (findall gives them): the
#: rest of a word is taken in one step, not tested for a word boundary at each character
_WORD_HEAD = re.compile(r"(\w{3})\w*")


class _RuleSelection:
    """The rule selection's tables and tests (the constructor calls
    :meth:`_set_up_selection` once the rules and their plan are compiled)."""

    def _set_up_selection(self) -> None:
        """The gate words and needles of every rule, and the automaton over them."""
        self._gates = {r.id: _gate(r) for r in self.rules}
        # the rules without gate words (positions in rule order)
        self._ungated = tuple(i for i, r in enumerate(self.rules) if self._gates[r.id] is None)
        # an ungated rule: strings one of which every trigger match contains (if known);
        # needle -> the positions of the rules it may announce; those without: always tried
        needs = {i: _needs(self.rules[i]) for i in self._ungated}
        self._always = frozenset(i for i, n in needs.items() if n is None)
        needle_rules: dict[str, list[int]] = {}
        for i, n in needs.items():
            for w in sorted(n or ()):
                needle_rules.setdefault(w, []).append(i)
        self._needles = {w: tuple(r) for w, r in sorted(needle_rules.items())}
        # an ungated rule whose triggers each need strings of several sets (one of each):
        # position -> per trigger, its sets (_candidates drops the rule when no trigger has
        # one string of each of its sets in the sentence)
        self._conjunctive = {i: sets for i in sorted(needs) if needs[i] is not None
                             for sets in [_trigger_sets(self.rules[i])] if sets is not None}
        # gate word -> the positions of the rules it opens
        self._rules_of: dict[str, list[int]] = {}
        for i, r in enumerate(self.rules):
            for w in sorted(self._gates[r.id] or ()):
                self._rules_of.setdefault(w, []).append(i)
        # every lower-case string a sentence is tested for (an ungated rule's needles, the
        # gate words, the strings of a clause matching ``requires``): one Aho-Corasick pass
        # over the sentence in lower case finds those it holds (_held)
        words = {*self._needles, *self._rules_of,
                 *(w for sets in self._conjunctive.values() for t in sets for s in t for w in s),
                 *(w for *_, clause_words in self._plan for w in clause_words or ())}
        self._words = _automaton(words)
        self._in_every_text = frozenset({""} & words)  # ("" is in every text; no key of it)
        # per rule position: its gate words (None: ungated), where its trigger matches start
        self._gate_words = [None if self._gates[r.id] is None else tuple(sorted(self._gates[r.id]))
                            for r in self.rules]

    def _held(self, lowered: str) -> dict[str, list[int]]:
        """The strings of the rules' word tests that ``lowered`` (a sentence in lower case)
        holds, each with where it starts (in order), found in one pass."""
        held: dict[str, list[int]] = {w: [0] for w in self._in_every_text}
        if self._words is not None:
            for end, w in self._words.iter(lowered):
                starts = held.get(w)
                if starts is None:
                    held[w] = [end - len(w) + 1]
                else:
                    starts.append(end - len(w) + 1)
        return held

    def _candidates(self, lowered: str, held: dict[str, list[int]]) -> Sequence[int]:
        """The positions of the rules whose triggers may occur in the sentence, in rule order
        (``lowered``: the sentence in lower case; ``held``: its strings among the rules'
        word tests, :meth:`_held`): the ungated ones whose needles it holds (or that have
        none), and those with a gate word in it whose first three letters start a word
        (every trigger match starts at a word boundary with one of its rule's gate words)."""
        found = set(self._always)
        heads: set[str] | None = None
        for w in held:
            rules = self._needles.get(w)
            if rules is not None:
                found.update(rules)
            rules = self._rules_of.get(w)
            if rules is not None:
                if heads is None:
                    heads = set(_WORD_HEAD.findall(lowered))
                if w[:3] in heads:
                    found.update(rules)
        conjunctive = self._conjunctive
        if conjunctive:
            keys = held.keys()
            for i in found & conjunctive.keys():
                for sets in conjunctive[i]:
                    for s in sets:
                        if keys.isdisjoint(s):
                            break
                    else:
                        break  # a trigger whose every set has a string in the sentence
                else:
                    found.discard(i)
        return sorted(found)


def _automaton(words: Iterable[str]) -> ahocorasick.Automaton | None:
    """An Aho-Corasick automaton whose matches give each of ``words`` found (the empty
    string is no key of it); None without a word (an automaton needs one)."""
    keys = sorted(set(words) - {""})
    if not keys:
        return None
    automaton = ahocorasick.Automaton()
    for w in keys:
        automaton.add_word(w, w)
    automaton.make_automaton()
    return automaton


def _gate(rule: Rule) -> frozenset[str] | None:
    """Lower-case words one of which every match of the rule's triggers starts with."""
    words_: list[str] = []
    for trigger in rule.triggers:
        inner = trigger.pattern
        if not (inner.startswith(r"\b(?:") and inner.endswith(r")\b")):
            return None
        prefixes = literal_prefixes(inner[len(r"\b(?:"):-len(r")\b")])
        if prefixes is None or not all(_WORD_HEAD.fullmatch(p[:3]) for p in prefixes):
            return None  # (a gate word is looked up by its first three word characters)
        words_.extend(prefixes)
    return frozenset(words_)


def _trigger_words(trigger: re.Pattern[str]) -> tuple[str, ...] | None:
    """Lower-case words one of which every match of the trigger starts with (or, failing
    that, contains), or None when not known."""
    inner = trigger.pattern
    if inner.startswith(r"\b(?:") and inner.endswith(r")\b"):
        prefixes = literal_prefixes(inner[len(r"\b(?:"):-len(r")\b")])
        if prefixes is not None:
            return tuple(sorted(set(prefixes)))
    needs = required_literals(trigger)
    return tuple(sorted(needs)) if needs is not None else None


def _trigger_sets(rule: Rule) -> tuple[tuple[frozenset[str], ...], ...] | None:
    """Per trigger of the rule, the sets of lower-case strings one of each of which every
    match of it contains (:func:`required_sets`); None when that tells no more than the
    rule's needles (a trigger without such a set, or none with more than one)."""
    sets = tuple(required_sets(t) for t in rule.triggers)
    return sets if all(sets) and any(len(t) > 1 for t in sets) else None


def _needs(rule: Rule) -> frozenset[str] | None:
    """Lower-case strings one of which every match of the rule's triggers contains."""
    needs: set[str] = set()
    for trigger in rule.triggers:
        found = required_literals(trigger)
        if found is None:
            return None
        needs |= found
    return frozenset(needs)
