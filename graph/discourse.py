"""Discourse state across the sentences of one document: who "it", "both sides" or "the pair"
refer to, and which state mentions only qualify a person ("Russian President Vladimir Putin").

Plural anaphors (``anaphora.plural`` in rules.yaml) stand for the last conjoined pair of their
kind (State or Person; ``Recent``: the last pair named or referred to, of either kind, for
"they"; for people, two named before it in the sentence come first, and the last two named
stand in when no pair was conjoined); singular ones (``anaphora.singular``: "it", "the
country") for the state that opens the sentence (when the anaphor is in a later clause), the
state that opens the main clause (when the anaphor is in a fronted adverbial clause: "After it
annexed Crimea, Russia ...") or else the previous sentence that opened with a state.  Resolved
anaphors are mentions of kind "anaphor" / "singular" that exist only inside the rule engine
(they are never written to the graph).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import lru_cache
from operator import attrgetter

from entente.graph.model import Mention
from entente.graph.regex_analysis import (
    CASE_TRAPS,
    accelerated,
    contained_strings,
    required_literals,
)
from entente.graph.ruleset import JOINER, words

TypesOf = Callable[[str], frozenset[str]]
_ORDER = attrgetter("start", "end", "entity")  # the order of a sentence's mentions
_TITLE_GAP = re.compile(r"\s+(?:[A-Z][\w.]*\s+){0,3}")  # "Russian President Vladimir Putin"


def shared_prefixes(strings: frozenset[str], least: int = 5) -> list[str]:
    """Strings one of which each of ``strings`` starts with, fewer where they share a start:
    strings (in sorted order) sharing a prefix of at least ``least`` characters are
    represented by their longest common prefix ("both sides", "both states" -> "both ").
    A text holding one of ``strings`` holds one of these."""
    out: list[str] = []
    for s in sorted(strings):
        if out:
            common = os.path.commonprefix([out[-1], s])
            if len(common) >= least:
                out[-1] = common
                continue
        out.append(s)
    return out


@lru_cache(maxsize=8)
def _expressions(plural: tuple[str, ...], singular: tuple[str, ...]
                 ) -> tuple[re.Pattern[str] | None, frozenset[str] | None,
                            re.Pattern[str] | None, frozenset[str] | None]:
    """The plural anaphors' expression, the strings one of which a sentence holding one
    contains in lower case (regex_analysis.required_literals), the singular anaphors' expression and
    the strings one of which a sentence holding one contains (regex_analysis.contained_strings)."""
    plural_re = accelerated(re.compile(
        r"\b(?:" + "|".join(sorted((re.escape(a) for a in plural),
                                   key=lambda a: (-len(a), a))) + r")\b",
        re.I)) if plural else None
    words_ = required_literals(plural_re) if plural_re else None
    if words_ is not None:  # fewer strings to test: a prefix of each will do
        words_ = frozenset(shared_prefixes(words_))
    singular_plain = re.compile(
        r"\b(?:" + "|".join(sorted(singular, key=lambda a: (-len(a), a))) + r")\b"
    ) if singular else None
    singular_re = accelerated(singular_plain) if singular_plain else None
    singular_words = contained_strings(singular_plain) if singular_plain else None
    return plural_re, words_, singular_re, singular_words


#: a reporting verb or "that" right before a singular anaphor: the clause it opens is
#: reported, and "it" is the sentence's opening state ("China has denied that it supplies")
_REPORTED = re.compile(r"\b(?:that|said|says|say|denied|denies|deny|insisted|insists|claimed|"
                       r"claims|stated|states|argued|argues|maintained|maintains|stressed|"
                       r"stresses|added|adds|announced|announces)\s+(?:that\s+)?$")
#: a fronted adverbial clause up to a singular anaphor in it ("After it annexed Crimea, Russia
#: ..."): the anaphor points ahead, to the state that opens the main clause after the comma
_FRONTED = re.compile(r"(?:(?:And|But|Yet)\s+)?(?:After|Before|When|Whenever|Since|Ever since|"
                      r"Although|Though|Even though|While|Whilst|As|Because|Once|Until|"
                      r"Unless|If|Even as|Even after)\s")
_CLAUSE_END = re.compile(r"[,;:()]")
#: a comma and at most a determiner right before a name: where a main clause opens
_AFTER_COMMA = re.compile(r",\s+(?:(?:the|its|their)\s+)?$")
#: what follows a main clause's subject: a word (its verb, or the rest of its name: "the
#: Chinese government"), not a list, an apposition, a possessive or a reporting verb
_SUBJECT_AFTER = re.compile(r"\s+(?!(?:and|or|nor|said|says|say|told|warned|warns|added|"
                            r"noted|stated|argued|insisted|claimed|according)\b)[a-z]")


class Discourse:
    """Per-document memory of conjoined pairs and sentence-opening states."""

    def __init__(self, anaphora: dict, types_of: TypesOf) -> None:
        self.types_of = types_of
        self.anaphors: dict[str, str] = {k.lower(): v for k, v in
                                         (anaphora.get("plural") or {}).items()}
        # (one Discourse per document: the expressions are compiled once per process)
        self.anaphor_re, self.anaphor_words, self.singular_re, singular_words = _expressions(
            tuple(self.anaphors), tuple(anaphora.get("singular") or ()))
        # (the singular expression ignores case only if an anaphor sets it inline: then the
        # strings are lower-case, and the text must be too)
        self.singular_words = singular_words if self.singular_re is not None \
            and not self.singular_re.flags & re.IGNORECASE else None
        self.pairs: dict[str, list[str]] = {}  # kind -> the last conjoined pair of that kind
        self.recent: list[str] = []  # the last conjoined pair of any kind ("they")
        # the entities last named (up to 8, oldest first): "the two leaders" after "Xi visited
        # Moscow. Putin thanked him." are the last two people named when no pair was conjoined
        self.named_tail: list[str] = []
        self._last_subject: str | None = None  # the last sentence-opening state worked out
        # the sentences after it, not yet looked at (an opening state is worked out when a
        # singular anaphor asks for it: most sentences never need theirs)
        self._openers: list[tuple[str, list[Mention]]] = []

    def mentions(self, text: str, named: list[Mention],
                 lowered: str | None = None) -> list[Mention]:
        """The sentence's mentions: title qualifiers dropped, anaphors resolved; then the
        memory is updated with this sentence.  ``lowered``: ``text.lower()``, if known and
        the text holds no regex_analysis.CASE_TRAPS character."""
        local = self.heads(named, text)
        anaphors = self.resolve(text, local, lowered)
        singular = self.resolve_singular(text, local, self.last_subject)
        local = sorted(local + anaphors + singular if anaphors or singular else local,
                       key=_ORDER)
        if local:  # (a sentence without mentions opens with no state)
            self._openers.append((text, local))
        self.remember(text, local, resolved=bool(anaphors or singular))
        return local

    def last_subject(self) -> str | None:
        """The state that opened the latest sentence opening with one (so far)."""
        while self._openers:
            found = self.initial_subject(*self._openers.pop())
            if found:
                self._last_subject = found
                self._openers.clear()  # (earlier sentences: superseded)
        return self._last_subject

    def heads(self, local: list[Mention], text: str) -> list[Mention]:
        """Drop a state mention that only qualifies a person: "Russian President Putin"."""
        if len(local) < 2:
            return local
        types_of = self.types_of
        out = []
        last = len(local) - 1
        for i, m in enumerate(local):  # (a next mention's types asked only after a state)
            if i < last and "State" in types_of(m.entity) \
                    and "Person" in types_of(local[i + 1].entity) \
                    and _TITLE_GAP.fullmatch(text[m.end:local[i + 1].start]):
                continue
            out.append(m)
        return out

    def resolve(self, text: str, local: list[Mention],
                lowered: str | None = None) -> list[Mention]:
        """Plural anaphors ("both sides", "the pair") -> the last conjoined pair of their kind."""
        if self.anaphor_re is None:
            return []
        if self.anaphor_words is not None:
            if lowered is None and CASE_TRAPS.search(text) is None:
                lowered = text.lower()
            if lowered is not None:
                for word in self.anaphor_words:
                    if word in lowered:
                        break
                else:
                    return []  # (none of the anaphors' words: no anaphor)
        out = []
        for hit in self.anaphor_re.finditer(text):
            if any(m.start < hit.end() and hit.start() < m.end for m in local):
                continue
            kind = self._kind(hit.group(0))
            if kind == "Recent":
                iris = self.recent
            elif kind == "Person":  # two people named before it in the sentence, else the
                # last conjoined pair, else the last two people named
                iris = self._last_two(
                    [m.entity for m in local if m.end <= hit.start()
                     and m.kind not in ("anaphor", "singular")], kind) \
                    or self.pairs.get(kind) or self._last_two(self.named_tail, kind)
            else:
                iris = self.pairs.get(kind, [])
            for iri in iris:
                out.append(Mention(hit.start(), hit.end(), hit.group(0), iri, 0, "anaphor"))
        return out

    def _last_two(self, entities: list[str], kind: str) -> list[str]:
        """The last two distinct entities of ``kind`` in ``entities`` (in their order), or []."""
        found: list[str] = []
        for iri in reversed(entities):
            if iri not in found and kind in self.types_of(iri):
                found.insert(0, iri)
                if len(found) == 2:
                    return found
        return []

    def _kind(self, found: str) -> str:
        """The kind of the plural anaphor ``found`` (matched ignoring case; case folding can
        map it beyond str.lower(), e.g. "COUNTRİES": then the anaphor it matches whole)."""
        kind = self.anaphors.get(found.lower())
        if kind is None:
            kind = next(v for k, v in self.anaphors.items()
                        if re.fullmatch(re.escape(k), found, re.I))
        return kind

    def initial_subject(self, text: str, local: list[Mention]) -> str | None:
        """The state that opens the sentence ("China ...", "Following this, China ..."), or
        after a fronted clause the one that opens its main clause, if one is named there
        (:meth:`_main_clause_state`; "Although Japan may support Iran, it opposes Syria":
        Japan)."""
        if _FRONTED.match(text) is not None:
            main = self._main_clause_state(text, local)
            if main is not None:
                return main
        for m in local:
            if m.kind not in ("anaphor", "singular") and words(text[:m.start]) <= 2 \
                    and "State" in self.types_of(m.entity):
                return m.entity
            break
        return None

    def _main_clause_state(self, text: str, local: list[Mention]) -> str | None:
        """The first state named right after a comma, alone or after a determiner, and
        followed by a word that is no list, apposition or speech: the subject of the main
        clause after a fronted one ("While the Kremlin did X to Ukraine, the Chinese
        government remained silent": China; not "..., to Ukraine,", "..., India and Syria",
        "Iran, Japan's neighbour,", "..., the United States said"), or None."""
        for m in local:
            if m.kind not in ("anaphor", "singular") \
                    and _AFTER_COMMA.search(text, 0, m.start) is not None \
                    and _SUBJECT_AFTER.match(text, m.end) is not None \
                    and "State" in self.types_of(m.entity):
                return m.entity
        return None

    def resolve_singular(self, text: str, local: list[Mention],
                         last: Callable[[], str | None]) -> list[Mention]:
        """Singular anaphors ("it", "the country") -> the state that opens this sentence
        (when the anaphor is in a later clause) or else the previous such sentence
        (``last()``, asked for only then)."""
        if self.singular_re is None:
            return []
        if self.singular_words is not None:
            for word in self.singular_words:
                if word in text:
                    break
            else:
                return []  # (none of the strings every match holds: no singular anaphor)
        here: str | None = None
        ahead: tuple[int, str | None] | None = None
        out = []
        for n, hit in enumerate(self.singular_re.finditer(text)):
            if n == 0:  # (only a sentence with a singular anaphor needs its opening state)
                here = self.initial_subject(text, local)
            if any(m.start < hit.end() and hit.start() < m.end for m in local):
                continue
            later_clause = here is not None and (
                re.search(r"[;:,]", text[:hit.start()]) is not None
                or _REPORTED.search(text, 0, hit.start()) is not None)
            if not later_clause and ahead is None:
                ahead = self._ahead(text, local)
            iri = here if later_clause else (
                ahead[1] if ahead is not None and hit.start() < ahead[0] else None) or last()
            if iri:
                out.append(Mention(hit.start(), hit.end(), hit.group(0), iri, 0, "singular"))
        return out

    def _ahead(self, text: str, local: list[Mention]) -> tuple[int, str | None]:
        """(where a fronted adverbial clause ends, the state its singular anaphors point
        ahead to): the state that opens the main clause after the clause's comma ("After it
        annexed Crimea, Russia was sanctioned" -> Russia), else None (cataphora)."""
        if _FRONTED.match(text) is None:
            return 0, None
        end = _CLAUSE_END.search(text)
        if end is None or end.group() != ",":
            return 0, None
        comma = end.start()
        for m in local:
            if m.start > comma and m.kind not in ("anaphor", "singular"):
                if words(text[comma + 1:m.start]) <= 1 and "State" in self.types_of(m.entity):
                    return comma, m.entity
                break  # (the main clause opens with something else)
        return 0, None

    def remember(self, text: str, local: list[Mention], resolved: bool = True) -> None:
        """Update the pairs; the last pair named or referred to ("the pair") is the recent one.
        ``resolved``: whether ``local`` may hold resolved anaphors (False: named ones only)."""
        named = [m for m in local if m.kind not in ("anaphor", "singular")] if resolved \
            else local
        if named:
            tail = self.named_tail
            tail.extend(m.entity for m in named)
            if len(tail) > 8:
                del tail[:-8]
        events: list[tuple[int, list[str]]] = []
        types = [self.types_of(m.entity) for m in named] if len(named) > 1 else []
        for i in range(len(named) - 1):
            a, b = named[i], named[i + 1]
            for kind in ("State", "Person"):
                if kind in types[i] and kind in types[i + 1] \
                        and a.entity != b.entity and JOINER.fullmatch(text[a.end:b.start]):
                    self.pairs[kind] = [a.entity, b.entity]
                    events.append((b.end, self.pairs[kind]))
        referred: dict[tuple[int, int], list[str]] = {}
        for m in local if resolved else ():
            if m.kind == "anaphor":
                referred.setdefault((m.start, m.end), []).append(m.entity)
        events += [(end, iris) for (_, end), iris in referred.items() if len(iris) == 2]
        if events:
            self.recent = max(events, key=lambda e: e[0])[1]
