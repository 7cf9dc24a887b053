"""Office holders: a state's mention that names one of its offices ("the Russian
president", "China's foreign minister") stands for the person who held it on the document's
date (``linking.office_holders`` in ``graph/rules.yaml``)."""

from __future__ import annotations

import re

from entente.graph.entities import Entity
from entente.graph.model import Mention, Sentence

from entente.errors import EntenteError

#: an office after a state's name (_office_holders_named), with no name after it ("the
#: Russian president said", not "Russian President Vladimir Putin" nor "..., Putin,")
_OFFICE = (r"\s+(?P<office>(?i:presidents?|foreign\s+ministers?|prime\s+ministers?|premiers?|"
           r"chancellors?))\b(?!\s*,?\s+[A-Z])")
_OFFICE_AFTER_DEMONYM = re.compile(r"(?P<coord>(?:\s*,\s*[A-Z][a-z]+)*\s*,?\s+(?:and|or)\s+"
                                   r"[A-Z][a-z]+)?" + _OFFICE)
_OFFICE_AFTER_NAME = re.compile(r"['’]s" + _OFFICE)
#: the end of a coordination of demonyms before the last one ("Chinese and [Russian]")
_JOINED_BEFORE = re.compile(r"[A-Z][A-Za-z]+\s*(?:,|\s+and|\s+or)\s+$")
#: an office held before or after the document's time: "the former Russian president"
_NOT_CURRENT = re.compile(r"\b(?:former|ex|late|then|next|future|new|outgoing|incoming|"
                          r"previous|first|last)[\s-]+(?:[A-Z][a-z]+\s+)?$", re.I)
_OFFICE_NAMES = {"premier": "prime minister"}
_new = tuple.__new__


class _OfficeHolderMentions:
    """The office-holder pass of :class:`~entente.graph.linking.Linker`."""

    def _office_holders_named(self, mentions: list[Mention], sentences: list[Sentence],
                              date: str) -> list[Mention]:
        """A state's mention that names one of its offices with no name after it ("the
        Russian president", "China's foreign minister", "the Chinese and Russian presidents")
        stands for the office's holder on the document's ``date``
        (``linking.office_holders``), when one held it the whole date; the mention then spans
        the office too (but in a coordination, where it is the demonym alone)."""
        bounds = _date_bounds(date)
        if bounds is None:
            return mentions
        by_index = {s.index: s for s in sentences}
        out: list[Mention] = []
        for m in mentions:
            if m.entity not in self._office_states:
                out.append(m)
                continue
            sent = by_index[m.sentence]
            text, start, end = sent.text, m.start - sent.start, m.end - sent.start
            attributive = m.text in self._demonym_forms or m.text.split()[-1].isupper()  # US
            hit = (_OFFICE_AFTER_DEMONYM if attributive else _OFFICE_AFTER_NAME).match(text, end)
            holder = None
            if hit is not None and _NOT_CURRENT.search(text, 0, start) is None:
                office = hit.group("office").lower()
                plural = office.endswith("s")
                joined = attributive and hit.group("coord") is not None
                if plural == (joined or (attributive and _JOINED_BEFORE.search(
                        text, 0, start) is not None)):
                    office = " ".join(office.removesuffix("s").split())
                    holder = self._holder(m.entity, _OFFICE_NAMES.get(office, office), bounds)
            if holder is None:
                out.append(m)
                continue
            stop = end if joined else hit.end("office")
            out.append(_new(Mention, (m.start, sent.start + stop, text[start:stop], holder,
                                      m.sentence, m.kind)))
        return out

    def _holder(self, state: str, office: str, bounds: tuple[str, str]) -> str | None:
        first, last = bounds
        for begin, end, person in self._offices.get((state, office), ()):
            if begin <= first and (end is None or last < end):
                return person
        return None


def _office_holders(rows: list, base: str, entities: dict[str, Entity],
                    ) -> dict[tuple[str, str], list[tuple[str, str | None, str]]]:
    """``linking.office_holders`` rows [state, office, person, from, to]: (state IRI,
    office) -> [(from, to or None, person IRI)], dates as ISO strings; a row whose state or
    person is not among ``entities`` is left out (a linker over other entities)."""
    out: dict[tuple[str, str], list[tuple[str, str | None, str]]] = {}
    for row in rows:
        try:
            state, office, person, begin, end = row
        except (TypeError, ValueError):
            raise EntenteError(f"graph/rules.yaml: linking.office_holders: {row!r}: expected "
                               "[state, office, person, from, to]") from None
        if base + state not in entities or base + person not in entities:
            continue
        out.setdefault((base + state, office), []).append(
            (str(begin), None if end is None else str(end), base + person))
    return out


def _date_bounds(date: str) -> tuple[str, str] | None:
    """The first and last day a document date ("2022", "2022-02", "2022-02-03") may be, as
    ISO strings that compare as dates; None for another form."""
    if re.fullmatch(r"\d{4}", date):
        return f"{date}-01-01", f"{date}-12-31"
    if re.fullmatch(r"\d{4}-\d\d", date):
        return f"{date}-01", f"{date}-31"
    if re.fullmatch(r"\d{4}-\d\d-\d\d", date):
        return date, date
    return None
