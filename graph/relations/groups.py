"""Names listed together as one argument ("China and Russia", "Sino-Russian"): where a
list of names around a rule's argument starts and ends (``_NameGroups._group``), a part of
:class:`~entente.graph.relations.RelationExtractor` that the argument locators
(graph/relations/arguments.py) call."""

from __future__ import annotations

import re

from entente.graph.model import Mention
from entente.graph.relations.patterns import _REPEATED_PREPOSITION
from entente.graph.ruleset import JOINER, PREP_BEFORE

_HYPHEN = re.compile(r"[-‐–]")
#: after a name joined by "and", a word that reads as a finite verb: the name opens a clause
#: ("..., and Hungary objected", "and Poland hosts its troops"; not "and Belarus forces")
_VERBISH_AFTER = re.compile(
    r"\s+(?!(?:officials|forces|troops|leaders|authorities|relations|ties|diplomats|companies|"
    r"firms|banks|exports|imports|interests|citizens|nationals|markets|goods|products|"
    r"delegations|governments|militaries|navies|armies|sanctions|talks|elections|affairs|"
    r"news|press|series|species|means|crisis|basis|analysis|status|"
    # (places named together: "recognized the Donetsk and Luhansk republics")
    r"republics|regions|provinces|oblasts|territories|countries|nations|economies)\b)"
    r"(?:[a-z]{2,}(?:ed|es)|[a-z]{2,}[^s\W]s|rose|grew|fell|took|made|sent|sold|bought|held|"
    r"left|lost|won|began|saw|became|came|went|got|gave|kept|met|ran|struck|fought|paid|led|"
    r"hit|cut|put|set|let)\b")
#: after a name joined by ", and", what makes it the subject of a gapped clause ("..., and
#: Turkey to Azerbaijan", "..., and Russia by China", "..., and Iran, drones.")
_GAPPED_AFTER = re.compile(r"\s+(?:to|from|by|with|for)\s+(?:the\s+)?[A-Z]|,\s+[a-z]+\s*[.;]")
#: a preposition whose phrase holds the names ("Trade between Japan and India reached ...":
#: the verb after is the phrase's head's)
_PAIR_PREP = re.compile(r"\b(?:between|among|with)\s+(?:the\s+)?$", re.I)
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+(?:the\s+)?$", re.I)  # (a pair: "X and Y" whole)
_JOINED = re.compile(r"\s+joined\s+(?:the\s+)?")  # (JOINER's "X joined (the) Y in ...ing")
_JOINED_IN = re.compile(r"\s+in\s+\w+ing\b")
#: (_group's quick tests) a lower-case word right after a name; a word right before it
_WORD_AFTER = re.compile(r"\s+[a-z]")
_WORD_BEFORE = re.compile(r"\w\s+$")


class _NameGroups:
    """Grouping the names listed with an argument, a part of
    :class:`~entente.graph.relations.RelationExtractor`."""

    def _group(self, m: Mention, cands: list[Mention], text: str, backward: bool,
               clauses: bool = False) -> list[Mention]:
        """m plus the mentions conjoined with it ("China and Russia", "Sino-Russian").

        With ``clauses``, a name that belongs to another clause ends the group: before an
        object, a name followed by a verb or a trigger ("supports Ukraine and Germany opposes
        X": Germany is not supported); before a subject, a name right after a trigger ("China
        supports Russia and Iran supports Syria": Russia does not support Syria)."""
        if len(cands) == 1:  # (m alone)
            return [m]
        group = [m] + [c for c in cands if (c.start, c.end) == (m.start, m.end) and c != m]
        ordered = sorted(cands, key=lambda c: c.start, reverse=backward)
        rest = [c for c in ordered if (c.start < m.start if backward else c.start > m.start)]
        own = len(group)  # (m and the mentions of its own span)
        listed = False  # a joiner other than a bare comma ("and", "or", a hyphen) was seen
        for c in rest:
            edge = group[-1]
            between = text[c.end:edge.start] if backward else text[edge.end:c.start]
            same = (c.start, c.end) == (edge.start, edge.end)
            if not (same or JOINER.fullmatch(between)) and (
                    backward or not self._repeats_preposition(text, between, group[0].start)):
                break
            if not same and _JOINED.fullmatch(between) \
                    and not _JOINED_IN.match(text, (edge if backward else c).end):
                break  # "X joined Y in opposing Z" is a list; "X joined the EAEU" is not
            if backward and PREP_BEFORE.search(text[:c.start]):
                break  # "On Iran, China and Russia ...": Iran is not part of the subject
            if clauses and not same and not _HYPHEN.fullmatch(between):  # ("Sino-Russian")
                if not backward and "," in between and "and" in between \
                        and _GAPPED_AFTER.match(text, c.end):
                    break  # the subject of a gapped clause ("..., and Turkey to Azerbaijan")
                if not backward and _WORD_AFTER.match(text, c.end) and (
                        (self._verb_after.match(text, c.end)
                         and not _BETWEEN_BEFORE.search(text, max(0, group[0].start - 9),
                                                        group[0].start))
                        or ("and" in between and _VERBISH_AFTER.match(text, c.end)
                            and not _PAIR_PREP.search(text, max(0, group[0].start - 9),
                                                      group[0].start))):
                    break  # the subject of a verb after ("The EU sanctioned Russia, and
                    # Hungary objected": Hungary is not sanctioned; but "trade between India
                    # and Russia has surged": a pair after "between" is whole)
                if backward and _WORD_BEFORE.search(text, max(0, c.start - 6), c.start) \
                        and self._verb_before.search(text, max(0, c.start - 48), c.start):
                    group = group[:own]  # the object of a verb before, and the names listed
                    break  # with it ("supports Ukraine and Poland, and Germany opposes")
                if backward and "," in between and "and" in between \
                        and self._any_verb.search(text, max(0, c.start - 60), c.start):
                    break  # the last of an object list before ("Turkey buys gas from Russia
                    # and Azerbaijan, and Hungary buys oil": Azerbaijan buys nothing)
            listed = listed or (not same and between.strip() != ",")
            group.append(c)
        # (a headline's "Russia, Iran sign": a list at the start; "Russia, China's largest oil
        # supplier, ...": an apposition opened by a possessor)
        headline = backward and len(group) > own \
            and not text[:min(c.start for c in group)].strip() \
            and not text.startswith(("'", "’"), m.end)
        if not listed and not headline:
            # names joined by commas alone are no list ("If China supports Russia, the US
            group = group[:own]  # will ...": Russia is not the US's co-subject)
        return sorted(group, key=lambda c: c.start)

    @staticmethod
    def _repeats_preposition(text: str, between: str, first_start: int) -> bool:
        """A list whose second name repeats the first one's preposition, a year's aside
        between ("a member of the CSTO and, since 2024, of the SCO")."""
        hit = _REPEATED_PREPOSITION.fullmatch(between)
        return hit is not None and re.search(
            rf"\b{hit.group('prep')}\s+(?:the\s+)?$", text[max(0, first_start - 12):first_start],
            re.I) is not None
