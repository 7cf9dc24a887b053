"""Checks on the mentions the linker found: a name the text dates in another year, a
generic label without its context, a national body's label after a state's possessive, a
surname shared by reference persons."""

from __future__ import annotations

import re

from entente.graph.model import Mention, Sentence

#: right before a national body's label: a possessive, or a capitalised word
_NATIONAL_BEFORE = re.compile(r"(?:(?P<possessive>[’']s)|\b(?P<word>[A-Z][\w-]*))\s+$")
#: capitalised words that open a longer name with the label ("National Security Council")
_NAME_WORDS = frozenset({"National", "Federal", "State", "Supreme", "Presidential", "Defense",
                         "Defence", "Economic", "Kremlin"})
_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")
#: a year right before a name ("the 1980 Olympics", "the 1980 Moscow Olympics") or in a
#: phrase right after it, within the clause ("the Olympics in Moscow in 1980")
_YEAR_BEFORE = re.compile(r"\b((?:1[5-9]|20)\d\d)(?:['’]s)?\s+(?:[A-Z][\w-]*\s+)?$")
_YEAR_AFTER = re.compile(r"[^,;.()\n]{0,40}?\b(?:in|of|since|from)\s+(?:(?:early|late|mid-?)\s*)?"
                         r"(?:[A-Z][a-z]+\s+)?(?:\d{1,2}\s+)?((?:1[5-9]|20)\d\d)\b")


def _surname_forms(name: str) -> set[str]:
    """The lower-case surname of a full name, with and without an "al-"/"el-" particle
    ("Hafez al-Assad": "al-assad", "assad")."""
    last = name.split()[-1].lower()
    return {last, last[3:]} if last.startswith(("al-", "el-")) and len(last) > 3 else {last}


class _MentionFilters:
    """The passes of :class:`~entente.graph.linking.Linker` over the mentions found."""

    def _by_full_name(self, mentions: list[Mention]) -> list[Mention]:
        """A surname shared by reference persons ("Assad": Bashar al-Assad's one-word label)
        is the person last named in full before it: after "Hafez al-Assad ruled Syria",
        "Assad said" is Hafez, until "Bashar al-Assad" is named."""
        latest: dict[str, str] = {}  # surname form -> the person last named in full with it
        out = []
        for m in mentions:
            if "/id/person/" in m.entity:
                if " " in m.text:
                    for form in _surname_forms(m.text):
                        if form in self._shared_surnames:
                            latest[form] = m.entity
                else:
                    iri = latest.get(m.text.lower())
                    if iri is not None and iri != m.entity:
                        m = m._replace(entity=iri)
            out.append(m)
        return out

    def _without_national_bodies(self, mentions: list[Mention], text: str) -> list[Mention]:
        """Without the mentions by a ``linking.national_bodies`` label right after a state's
        possessive, a demonym or a capitalised word: "Russia's Security Council" is Russia's
        own (its state mention stays), not the UN Security Council."""
        kept = []
        for m in mentions:
            if m.entity in self._national_body_iris \
                    and " ".join(m.text.lower().split()) in self.national_bodies:
                before = _NATIONAL_BEFORE.search(text, max(0, m.start - 40), m.start)
                if before is not None and (before.group("possessive") is not None
                                           or before.group("word") in self._demonym_forms
                                           or before.group("word") in _NAME_WORDS):
                    continue
            kept.append(m)
        return kept

    def _in_context(self, mentions: list[Mention],
                    sentences: list[Sentence]) -> list[Mention]:
        """Without the mentions made by an entity's generic label ("nuclear deal" for the
        JCPOA) in a paragraph that does not also name each of its ``ent:linkContext``
        entities (Iran): "India signed a civil nuclear deal with the United States" is not
        the JCPOA."""
        contexts = self.link_contexts
        if not any(" ".join(m.text.lower().split()) in contexts[m.entity][1]
                   for m in mentions if m.entity in contexts):
            return mentions  # (no generic label among them)
        paragraph = {s.index: s.paragraph for s in sentences}
        named: dict[int, set[str]] = {}
        for m in mentions:
            named.setdefault(paragraph.get(m.sentence, -1), set()).add(m.entity)
        kept = []
        for m in mentions:
            context = self.link_contexts.get(m.entity)
            if context is not None and " ".join(m.text.lower().split()) in context[1] \
                    and not context[0] <= named[paragraph.get(m.sentence, -1)]:
                continue
            kept.append(m)
        return kept

    def _same_years(self, mentions: list[Mention], text: str,
                    sentences: list[Sentence]) -> list[Mention]:
        """Without the mentions of a dated reference event or agreement (its IRI ends in its
        year) that the text dates otherwise: a year right before the name or in a phrase
        right after it ("the Olympics in Moscow in 1980", "the annexation of Crimea in
        1783") that is earlier than the entity's, or later for a one-off gathering ("the
        Summit for Democracy in 2023")."""
        if all(_YEAR.search(m.text) for m in mentions if m.entity in self._dated):
            return mentions  # (each named with a year: none to check)
        ends = {s.index: s.start + len(s.text) for s in sentences}
        kept = []
        for m in mentions:
            dated = self._dated.get(m.entity)
            if dated is not None and _YEAR.search(m.text) is None:
                year, one_off = dated
                hit = _YEAR_BEFORE.search(text, max(0, m.start - 30), m.start) \
                    or _YEAR_AFTER.match(text, m.end, ends.get(m.sentence, m.end))
                if hit is not None:
                    said = int(hit.group(1))
                    if said < year or (one_off and said > year):
                        continue
            kept.append(m)
        return kept
