"""The argument locators (``before``, ``after``, ``possessor``, ``after_by``, ``inside``,
``around``; see docs/extraction.md): which of a sentence's mentions is a rule's subject or
object, with the names coordinated with it ("China and Russia"). The ``after`` locator is in
``objects``."""

from __future__ import annotations

import re

from entente.graph.model import Mention
from entente.graph.relations.context import _Ctx, _Types
from entente.graph.relations.objects import _POSSESSED, _ObjectLocator
from entente.graph.relations.patterns import (
    _APPOSITION,
    _CATENATIVE,
    _COORDINATED,
    _ING_WORD,
    _POSSESSIVE_S,
    _RELATIVE_ASIDE,
    _RELATIVE_ASIDE_START,
)
from entente.graph.ruleset import JOINER, PREP_BEFORE, Arg, Rule, unmask, words

_JOINS = re.compile(r"\b(?:and|but|or)\b|,")
#: (_pronoun_possessor) the event nouns whose "its" is the nearest name before: not "war"
#: ("The US helped Ukraine in its war against Russia": Ukraine's war, but no invasion)
_PRONOUN_EVENT = re.compile(r"(?:invasion|incursion|annexation|occupation)\b", re.I)
#: a definite article before a demonym and up to two words ("the full-scale Russian")
_DEFINITE_BEFORE = re.compile(r"\b[Tt]he\s+(?:(?!an?\b)[\w-]+\s+){0,2}$")
_POSSESSOR_GAP = re.compile(r"^[’']s?\s+(?:\S+\s+){0,2}$")
#: a person's aide or relative after the possessive: another person
_PERSONS_AIDE = re.compile(r"[’']s\s+(?:[\w-]+\s+)?(?:spokes(?:man|woman|person)|envoy|emissary|"
                           r"aides?|advis[eo]rs?|representatives?|deputy|negotiators?|"
                           r"delegation|office|son|daughter|wife|husband|brother)\b")
#: a possessive pronoun ending a subject's gap: "... complicate its (strategic) partnership"
_PRONOUN_POSSESSIVE_END = re.compile(r"\s(?:its|their)\s+(?:(?!(?:to|and|or)\s)[\w-]+\s+){0,2}$")
_BUT = re.compile(r"\b(?:but|yet|while|whereas)\b")
_AND_NOR = re.compile(r"\b(?:and|nor|or)\b")  # (after a possessive: another noun phrase joined)
#: a relative pronoun ending a text: the clause break before a relative clause
_RELATIVE_PRONOUN_END = re.compile(r"[,—–]\s*(?:which|that)$")
#: between the object and the participle of a ``passive`` rule: auxiliaries, negation,
#: adverbs and a comma ("was", "has not been", "is reportedly", ", backed by")
_PASSIVE_GAP = re.compile(r"(?:\s|,|\b(?:was|were|is|are|be|been|being|has|have|had|will|would|"
                          r"could|may|might|can|must|should|not|never|also|already|now|"
                          r"(?:was|were|is|are|has|have|had)n[’']t|\w+ly)\b)*", re.I)
#: the whole gap between a name and a trigger is a coordinator (and auxiliaries ...): the
#: name is the object of the verb before, not the subject of the trigger ("Russia invaded
#: Ukraine and annexed Crimea": Russia annexed it, not Ukraine)
#: (after a phrase or an adverb of the first verb: "joined X in 2015 but has not", "support
#: Russia politically and supplies ..."; a copula: "join BRICS and remains a member"; a verb
#: taking the act: "criticized Japan and refused to support Russia")
_COORDINATED_GAP = re.compile(
    r"(?:\s+(?:in|on|at|since|during|after|before|last|this|next)\s+[^,;]{1,40}?|\s+\w+ly)?"
    r"\s*,?\s*" + _COORDINATED
    + r"(?:(?:remains?|remained|is|was|became|becomes)\s+(?:an?\s+|the\s+)?|" + _CATENATIVE
    + r"|[a-z]+\s+(?:its|their)\s+(?:[a-z-]+\s+)?)?", re.I)
#: "accused X of (supplying)": the accused is the subject of the -ing trigger after "of"
_OF_GAP = re.compile(r"\s+of\s+")
_ACCUSING = re.compile(r"\b(?:accus(?:e|es|ed|ing)|suspect(?:s|ed|ing)?)\s+(?:the\s+)?$", re.I)
#: a preposition right before an -ing trigger: the participle's subject is its clause's
#: ("Japan invaded Iran after annexing Iraq": Japan annexed Iraq, not Iran)
_PREP_ING_GAP = re.compile(r"\b(?:after|before|by|while|since|without|despite|upon|through|"
                           r"when|instead\s+of|rather\s+than)\s+$", re.I)
#: a speech verb in a subject's gap: the trigger is in the clause it reports
_SPEECH_IN_GAP = re.compile(r"\b(?:said|says|say|told|tells|added|adds|argued|argues|claimed|"
                            r"stated|insisted|insists|warned|warns|wrote|writes)\s+"
                            r"(?:that\s+)?(?!(?:he|she|they|it|we)\b)\S")  # ("said he met")
#: how a title set off by commas before a name opens (``RelationExtractor._titled``)
_TITLE_OPENING = re.compile(r",\s+(?:the|his|her|its|their|a|an|[A-Z][\w-]*[’']s)\s", re.I)


#: the opening of an indefinite apposition up to a trigger in it (``_APPOSITION``): ", a key "
_APPOSITION_OPEN = re.compile(r",\s+(?:a|an)\s+(?:[\w-]+\s+){0,3}")


class _ArgumentLocators(_ObjectLocator):
    """Locating a rule's arguments, a part of
    :class:`~entente.graph.relations.RelationExtractor`."""

    @staticmethod
    def _typed(ctx: _Ctx, wanted: frozenset[str], types: _Types) -> list[Mention]:
        """The sentence's mentions with one of the ``wanted`` types, in order (worked out
        once per sentence and set of types)."""
        found = ctx.typed.get(wanted)
        if found is None:
            found = ctx.typed[wanted] = [m for m in ctx.mentions
                                         if not wanted.isdisjoint(types[m.entity])]
        return found

    def _locate(self, arg: Arg, rule: Rule, ctx: _Ctx, cs: int, ce: int, ts: int, te: int,
                types: _Types, exclude: frozenset | set = frozenset()) -> list[Mention]:
        """The mentions that name the argument ``arg`` of ``rule`` for the trigger text[ts:te]
        in the clause text[cs:ce] (none: the match has none); ``exclude``: the keys of
        mentions the other argument took."""
        text = ctx.sent.text
        asides = ctx.asides.get((cs, ce))
        if asides is None:  # (the same clause for the subject and the object)
            asides = ctx.asides[cs, ce] = [(a.start(), a.end())
                                          for a in self.aside.finditer(text, cs, ce)]
        # an aside that holds the trigger is the relation's own context ("like Carnegie
        # Moscow's Dmitry Trenin,"): only the others are skipped
        if asides and any(a <= ts and te <= b for a, b in asides):  # (an aside may open
            asides = [(a, b) for a, b in asides if not (a <= ts and te <= b)]  # with it)
        ms = self._typed(ctx, arg.types, types)  # (only mentions of the argument's types)
        if asides:
            ms = [m for m in ms if (m.start, m.end, m.entity) not in exclude
                  and not any(a <= m.start and m.end <= b for a, b in asides)]
        elif exclude:
            ms = [m for m in ms if (m.start, m.end, m.entity) not in exclude]
        if arg.side in ("before", "possessor"):
            return self._locate_before(arg, rule, ctx, ms, asides, cs, ts, te, types)
        if arg.side == "around":  # the name the trigger is part of ("a joint X-Y statement")
            return [m for m in ms if m.start <= ts and te <= m.end][:1]
        if arg.side == "inside":
            inside = [m for m in ms if ts <= m.start and m.end <= te]
            # the first, and those joined to it ("an EU and NATO member": both)
            joined = inside[:1]
            for m in inside[1:]:
                if m.start < joined[-1].end \
                        or JOINER.fullmatch(text, joined[-1].end, m.start) is None:
                    break
                joined.append(m)
            return joined
        return self._locate_after(arg, rule, ctx, ms, asides, ce, ts, te, types)

    def _locate_before(self, arg: Arg, rule: Rule, ctx: _Ctx, ms: list[Mention],
                       asides: list[tuple[int, int]], cs: int, ts: int, te: int,
                       types: _Types) -> list[Mention]:
        """A ``before`` or ``possessor`` argument among the mentions ``ms`` (those of its
        types outside the ``asides``)."""
        text = ctx.sent.text
        cands = [m for m in ms if cs <= m.start and m.end <= ts]
        if arg.side == "before" and ts > 0 and text[ts - 1] in "-‐":
            # a trigger glued to the word before ("an Indian-drafted resolution"): only
            # a name glued there is its subject ("a US-drafted resolution"), no earlier one
            glued = [m for m in cands if m.end == ts - 1]
            return [glued[-1]] if glued else []
        if rule.passive and (rels := _closed_relatives(text, ts)) \
                and _PASSIVE_GAP.fullmatch(text, rels[-1][1], ts):
            # "Turkey, which bought S-400s from Russia, was sanctioned by the US": the
            # name before the relative clause (Turkey is sanctioned, not Russia)
            before = [m for m in ms if m.end <= rels[-1][0]]
            if not before or text[before[-1].end:rels[-1][0]].strip() \
                    or PREP_BEFORE.search(text, 0, before[-1].start):
                return []
            return self._group(before[-1], before, text, backward=True)
        if rule.passive and not cands:  # "Crimea, which was annexed by Russia": the name
            return self._relative_head(ms, text, cs, ts)  # before the relative pronoun
        # nearest first; of two ending together the enclosing one first ("the annexation
        # of Crimea is not recognized": the annexation before Crimea, when both may be)
        for m in sorted(reversed(cands), key=_nearest_end_first):
            gap = self.gap_ignore.sub(" ", unmask(text, m.end, ts, asides) if asides
                                      else text[m.end:ts])
            if arg.side == "possessor":
                if _POSSESSOR_GAP.match(gap):
                    return self._group(m, cands, text, backward=True)
                if m.text in self.demonyms and gap == " " \
                        and _PRONOUN_EVENT.match(text, ts) \
                        and _DEFINITE_BEFORE.search(text, max(0, m.start - 40), m.start):
                    return [m]  # "the Russian invasion of Georgia": Russia's (not "a
                    # Russian invasion of X", as often a prospect: "would not support a
                    # Russian invasion of Ukraine")
                continue
            return self._before_name(m, gap, arg, rule, text, cands, cs, ts, te, types)
        if arg.pronoun and _PRONOUN_EVENT.match(text, ts):  # ("defended its invasion";
            return self._pronoun_possessor(ctx, ms, ts)  # not "... in its war against")
        # a name that contains the trigger ("a draft resolution put forward by X")
        around = [m for m in ms if m.start < ts and te <= m.end]
        return around[:1] if arg.side == "before" else []

    def _before_name(self, m: Mention, gap: str, arg: Arg, rule: Rule, text: str,
                     cands: list[Mention], cs: int, ts: int, te: int,
                     types: _Types) -> list[Mention]:
        """The ``before`` argument when ``m`` is the nearest candidate before the trigger
        (``gap``: the text between, asides blanked): it and the names listed with it, or
        none."""
        if rule.passive:  # only auxiliaries between, and not inside a phrase
            poss = _POSSESSED.match(text, m.end) if text.startswith(("'s", "’s"), m.end) \
                else None
            if poss is not None and poss.group(1).lower() in self.possessive_heads:
                gap = text[poss.end(1):ts]  # "Kosovo's independence is recognized by"
            if _PASSIVE_GAP.fullmatch(gap) and not PREP_BEFORE.search(text, 0, m.start) \
                    and not self._verb_before.search(text, max(0, m.start - 48),
                                                     m.start):
                # (not another verb's object: "Serbia's refusal to recognize Kosovo is
                # backed by Russia" is no support of Kosovo)
                return self._group(m, cands, text, backward=True)
            return []
        if arg.side == "before" and _ING_WORD.match(text, ts) \
                and _OF_GAP.fullmatch(gap) \
                and _ACCUSING.search(text, max(0, m.start - 24), m.start):
            return self._group(m, cands, text, backward=True, clauses=True)
        if arg.side == "before" and _PREP_ING_GAP.search(gap) \
                and _ING_WORD.match(text, ts) \
                and self._verb_before.search(text, max(cs, m.start - 48), m.start):
            # m is the object of the verb before: the clause's opening subject, if any
            first = cands[0]
            if first is m or words(text[cs:first.start]) > 2 \
                    or PREP_BEFORE.search(text, cs, first.start):
                return []
            return self._group(first, cands, text, backward=False, clauses=True)
        if arg.side == "before" and _COORDINATED_GAP.fullmatch(gap):
            return []  # the object of the verb before ("invaded Ukraine and annexed")
        if arg.side == "before" and m.text in self.demonyms and _JOINS.search(gap):
            return []  # "Turkey buys Russian oil and supports Ukraine": a modifier
            # of the object before, not the subject of the verb after "and"
        if ("its " in gap or "their " in gap) and _PRONOUN_POSSESSIVE_END.search(gap) \
                and "'" not in gap and "’" not in gap \
                and PREP_BEFORE.search(text, max(0, m.start - 30), m.start):
            # "Russia's ties with India complicate its partnership with China": the
            # pronoun is the phrase's possessor's, not the name in its "with" phrase
            heads = [c for c in cands if c.end <= m.start
                     and _POSSESSIVE_S.match(text[c.end:c.end + 3]) is not None]
            return heads[-1:]
        if gap.startswith(",") and self._titled(text, cs, m.start):
            # the name in apposition to a title before it: "The Russian president,
            # Vladimir Putin, (did not) criticize(d) NATO": the gap after its comma
            gap = gap[1:]
        elif arg.side == "before" and _APPOSITION_OPEN.fullmatch(gap) \
                and self._subject_stop[rule.id].search(gap) \
                and (app := _apposition_span(text, ts, te)) is not None \
                and app[0] == m.end:
            # the trigger in an apposition right after the name: "Iran, a key
            # supplier of drones to Russia, ...": the name is its subject (a rule
            # whose gap test reads such an apposition keeps it)
            gap = " "
        n_words = words(gap)
        if n_words <= 4 and _POSSESSIVE_S.match(gap):
            if self._subject_stop[rule.id].search(gap, 2) or _BUT.search(gap) \
                    or _AND_NOR.search(gap) or (
                    _PERSONS_AIDE.match(gap) and "Person" in types[m.entity]):
                # ("Xi's special envoy met Putin": the envoy, not Xi)
                return []  # "China's response to sanctions on X": not its sanctions;
                # "criticized Russia's war but backs X": another verb's object
            return self._group(m, cands, text, backward=True,  # "China's trade links"
                               clauses=True)
        if n_words > rule.max_gap or self._subject_stop[rule.id].search(gap) \
                or (n_words > 1 and _SPEECH_IN_GAP.search(gap) is not None):
            return []  # (a speech verb opens the reported clause: "Lukashenko said
            # Minsk fully supports X" is not Lukashenko's support)
        return self._group(m, cands, text, backward=True, clauses=not arg.listed)

    @staticmethod
    def _pronoun_possessor(ctx: _Ctx, ms: list[Mention], ts: int) -> list[Mention]:
        """A possessor "its" right before the trigger (up to two words between) stands for
        the nearest name of the argument's types before it in the sentence; returned as an
        anaphor mention at "its", so that the cue windows stay the phrase's own."""
        text = ctx.sent.text
        hit = _PRONOUN_POSSESSIVE_END.search(text, max(0, ts - 40), ts)
        if hit is None or not text.startswith("its", hit.start() + 1):
            return []  # (not "their": the nearest name is one, the pronoun many)
        at = hit.start() + 1
        before = [m for m in ms if m.end <= at and m.kind != "singular"]
        if not before:
            return []
        found = Mention(at, at + 3, "its", before[-1].entity,
                        before[-1].sentence, "anaphor")
        ctx.anaphors.append(found)
        return [found]

    def _titled(self, text: str, cs: int, start: int) -> bool:
        """Whether a title set off by commas ends right before ``start`` ("The Russian
        president, |Vladimir Putin"; "Speaking in Beijing, China's foreign minister, |Wang
        Yi"): a phrase the ``aside`` rule reads as one (a determiner or a possessive before a
        title, ally, partner ...), opening the clause or after its comma."""
        head = text[cs:start].rstrip()
        if not head.endswith(","):
            return False
        phrase = ", " + head[head.rfind(",", 0, len(head) - 1) + 1:].lstrip()
        return _TITLE_OPENING.match(phrase) is not None \
            and self.aside.fullmatch(phrase) is not None

    def _relative_head(self, ms: list[Mention], text: str, cs: int, ts: int) -> list[Mention]:
        """The object of a passive participle in a relative clause: the name right before
        ", which" ("Crimea, which was annexed by Russia in 2014"), when only auxiliaries stand
        between the pronoun and the participle."""
        opening = _RELATIVE_PRONOUN_END.search(text, 0, cs)
        if opening is None or not _PASSIVE_GAP.fullmatch(text, cs, ts):
            return []
        before = [m for m in ms if m.end <= opening.start()]
        if not before or text[before[-1].end:opening.start()].strip() \
                or PREP_BEFORE.search(text, 0, before[-1].start):
            return []
        return self._group(before[-1], before, text, backward=True)


def _closed_relatives(text: str, end: int) -> list[tuple[int, int]]:
    """The relative clauses between commas (or dashes) in text[:end], each with its closing
    comma: "Turkey, which bought S-400s from Russia, was ..."."""
    if _RELATIVE_ASIDE_START.search(text, 0, end) is None:
        return []
    out = []
    for a in _RELATIVE_ASIDE.finditer(text, 0, end):
        close = a.end() + 1 if a.end() < len(text) and text[a.end()] in ",—–" else a.end()
        if close <= end:
            out.append((a.start(), close))
    return out


def _apposition_span(text: str, ts: int, te: int) -> tuple[int, int] | None:
    """The span of the apposition (:data:`_APPOSITION`) that holds the trigger text[ts:te]."""
    if ", a" not in text:
        return None
    for m in _APPOSITION.finditer(text):
        if m.start() <= ts and te <= m.end():
            return m.span()
    return None


def _nearest_end_first(m: Mention) -> tuple[int, int]:
    return -m.end, m.start


