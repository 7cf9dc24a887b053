"""Events and agreements a rule's object names without a reference entity ("vetoed a draft
resolution on Syria"): the phrase's name, its year, a known event it stands for, or a minted
actor."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from entente.graph import date_cues
from entente.graph.model import Mention, MintedActor
from entente.graph.namespaces import slugify
from entente.graph.relations.context import _Ctx, _rel, _Types
from entente.graph.relations.patterns import _YEAR_WORD
from entente.graph.ruleset import Rule, content, words

from entente.config import ONTOLOGY_NS

#: where a minted phrase's name starts at the latest: after a preposition or a conjunction, and
#: after its author's modifier ("a US-drafted resolution on Gaza" is the resolution on Gaza
#: that "the US drafted a resolution on Gaza" names)
_NP_CUT = re.compile(r"\b(?:of|and|or|to|for|on|with|from)\s+|(?<=[\w.])-(?:drafted|sponsored|"
                     r"backed|proposed|authored|tabled|led)\s+")
_ARTICLE = re.compile(r"\b(?:a|an|the)\s")
_COMPLEMENT = re.compile(r"^\s+(?:to|on|of|over|against|that|condemning|demanding|urging|"
                         r"calling)\b(?:(?!\s(?:was|were|is|are|has|have|had|will|would|could|"
                         r"may|might|remains?|remained|became|becomes)\b)"
                         r"(?:[^,;:.()]|(?<=\b[A-Z])\.(?=[A-Z]\.)|(?<=\b[A-Z]\.[A-Z])\.))*")
#: a complement whose "that" clause (a clause break of its own) is part of the name
_DEMANDING_END = re.compile(r"\b(?:demanding|urging|insisting|requesting|stating)\s+$")
_THAT_START = re.compile(r"that\s")
_DATE_TAIL = re.compile(r"\s+(?:on|in|since|of)\s*$")
#: a document number right after the head noun: "resolution ES-11/1", "Resolution 68/262",
#: "Resolution 2758" (part of the name, and the label of a known event must hold it)
_DOC_NUMBER = re.compile(r"\s+(?:[A-Z]{1,4}-\d+(?:/\d+)*|\d+/\d+|\d{3,4})\b")
_INDEFINITE = re.compile(r"(?:a|an)\s", re.I)
_SUBORDINATOR = re.compile(r"\b(?:after|before|when|whenever|while|whereas|because|since|"
                           r"until|although|though|once|unless|which|who|whom)\b", re.I)
#: the complement's party phrase, cut from a minted agreement's name ("an agreement on
#: energy cooperation with Russia": the agreement on energy cooperation, of its parties)
_WITH_PARTY = re.compile(r"\s+with\b.*", re.I | re.S)
_DETERMINED = re.compile(r"(?:the|this|that|these|those|its|their|his|her)\s|\S+['’]s\s", re.I)
#: what a phrase headed "resolution" (or "vote") may name among the reference events
_RESOLUTION_KINDS = frozenset({"Resolution", "ResolutionVote"})
#: words that tell no agreement or event from another ("a new agreement", "a historic deal")
_GENERIC_WORDS = frozenset({"new", "latest", "historic", "landmark", "important", "major", "key",
                            "significant", "big", "huge", "large", "first", "further", "fresh",
                            "additional", "another", "recent", "similar", "separate", "joint"})
#: the head nouns of minted phrases: a phrase of these, body and generic words alone names
#: no event of its own ("abstained in the vote on the resolution")
_EVENT_NOUNS = frozenset({"resolution", "resolutions", "vote", "votes", "voting", "condemnation",
                          "debate", "motion", "text", "sanctions", "memorandum", "agreement",
                          "treaty", "contract", "deal", "accord", "declaration", "pact",
                          "statement", "summit", "annexation", "expansion"})
#: words of a minted phrase that name the body or the stage, not the event itself ("the draft
#: resolution", "a UN Security Council resolution")
_BODY_WORDS = frozenset({"draft", "un", "u.n", "u.n.", "united", "nations", "security",
                         "council", "general", "assembly", "unsc", "unga", "new", "latest"})
_NAME_WORD = re.compile(r"\b[A-Z][\w.’'-]*")  # a capitalised word (part of a name)


#: a clause joined after a relation's ("..., and in 2022 Russia vetoed ...")
_CLAUSE_AFTER = re.compile(r",\s+(?:and|but|while|whereas)\s+")


@dataclass(slots=True)
class _Phrase:
    """The phrase after a trigger that names an event or agreement (:meth:`_minted_phrase`):
    offsets are in ``tail``, the text from the trigger's end."""

    tail: str
    head: re.Match[str]  # its head noun ("resolution", "memorandum")
    start: int  # where its name starts (after an article, a preposition, an author)
    number: re.Match[str] | None  # a document number after the head ("Resolution 68/262")
    name_end: int
    comp_end: int  # the length of its complement after the name ("on Syria"), if any
    label_words: list[str]
    label: str
    found: list[str]  # its label's content words (a year last)
    kind: str  # its class: by head word or the rule's default

    @property
    def head_word(self) -> str:
        return self.head.group(0).lower()


class _EventMinting:
    """Minting a rule's object event, a part of
    :class:`~entente.graph.relations.RelationExtractor`."""

    def _mint(self, rule: Rule, ctx: _Ctx, text: str, te: int, ce: int,
              minted: list[MintedActor], types: _Types,
              act_date: Callable[[], str | None] = lambda: None,
              parties: Sequence[str] = ()) -> str | None:
        """The event or agreement the phrase after the trigger names: a known one, the one
        named before ("the resolution"), or a new one minted; None if nothing tells it from
        another.  ``parties``: with the mint key ``parties``, the signers, whose names tell a
        nameless agreement ("a trade agreement") from another's."""
        ph = self._minted_phrase(rule, text, te, ce)
        if ph is None:
            return None
        head_word = ph.head_word
        if ph.found == [head_word] or len(ph.found) < 2 or (
                not set(ph.found) - _BODY_WORDS - _EVENT_NOUNS - {head_word}
                and not _INDEFINITE.match(ph.label) and ph.kind in ctx.minted_events):
            # ("the draft resolution", "the UN Security Council resolution": no name of its
            # own, the one named before if any, else a new one of its act's year, below; "a
            # UN General Assembly resolution" is a new one)
            earlier = ctx.minted_events.get(ph.kind)  # "the resolution": the last one named
            if earlier is not None:
                ctx.anaphors.append(Mention(te + ph.start, te + ph.head.end(),
                                            ph.tail[ph.start:ph.head.end()], earlier, 0,
                                            "anaphor"))
            return earlier
        # "a UN General Assembly resolution" introduces one: a known event only when the
        # sentence also says something of it beyond the phrase (its other label words)
        indefinite = bool(_INDEFINITE.match(ph.label))
        # (a bare phrase, "sign cooperation treaty" in a headline, needs context too, unless
        # it is a whole label: "opposes sanctions against Russia")
        bare = not indefinite and not _DETERMINED.match(ph.label) and ph.label[:1].islower()
        if (indefinite or bare) and not set(ph.found) - _GENERIC_WORDS - {head_word} \
                and not _year_after(text, te, ce):
            return None  # "signed a new agreement", "an important deal": nothing that tells
            # it from any other (its IRI would be every document's "new agreement")
        base = _base_of(ctx)
        known = self._known_mint(rule, ctx, text, te, ce, types, act_date, ph, base,
                                 indefinite or bare, bare)
        if known:
            ctx.name_event(ph.kind, known)
            return known
        return self._new_event(rule, ctx, text, te, ce, minted, types, act_date, parties, ph,
                               base, indefinite or bare)

    def _minted_phrase(self, rule: Rule, text: str, te: int, ce: int) -> _Phrase | None:
        """The phrase after the trigger text[:te] in its clause (to ``ce``) that names the
        event: its head noun, name and complement; None without a head noun near enough."""
        spec = rule.mint or {}
        tail = text[te:ce]
        if _DEMANDING_END.search(tail) and _THAT_START.match(text, ce):
            # (its "that" clause names it: "a resolution demanding that Russia withdraw its
            # troops", to the clause's next break)
            after = self.clause_break.search(text, ce + 4)
            tail = text[te:after.start() if after else len(text)]
        head = self._mint_heads[rule.id].search(tail)
        if not head or words(tail[:head.start()]) > int(spec.get("max_gap", 8)) \
                or _SUBORDINATOR.search(tail, 0, head.start()) is not None:
            return None  # (after a subordinator the phrase is another verb's: "abstained from
            # criticism of Russia after it vetoed a resolution on Syria")
        np = tail[:head.end()]
        cut = [m.end() for m in _NP_CUT.finditer(np)]
        art = _ARTICLE.search(np[cut[-1] if cut else 0:])
        start = (cut[-1] if cut else 0) + (art.start() if art else 0)
        number = _DOC_NUMBER.match(tail, head.end())
        name_end = number.end() if number else head.end()
        comp = _COMPLEMENT.match(tail[name_end:])
        comp_end = comp.end() if comp and words(comp.group(0)) >= 2 else 0  # not a bare verb
        when = date_cues.find_date(tail[name_end:name_end + comp_end], None) if comp else None
        if when:  # "a memorandum on gas transit on 4 May 2021": the date is not the name
            comp_end = len(_DATE_TAIL.sub("",
                                  tail[name_end:name_end + when[0]]))
        if comp_end and spec.get("parties") \
                and (party := _WITH_PARTY.search(tail, name_end, name_end + comp_end)):
            comp_end = party.start() - name_end  # (its parties name it below, in order)
        label_words = tail[start:name_end + comp_end].split()[:16]
        label = " ".join(label_words).strip(" ,")
        found = content(label)
        if len(found) > 1 and _YEAR_WORD.fullmatch(found[0]):
            found = [*found[1:], found[0]]  # "the 2023 BRICS summit": the year last, as in
            # "the BRICS summit in 2023" (one IRI for both)
        # the class: by head word ("memorandum" -> Memorandum) or the rule's default
        kind = (spec.get("types") or {}).get(head.group(0).lower(), spec.get("type", "Resolution"))
        return _Phrase(tail, head, start, number, name_end, comp_end, label_words, label, found,
                       kind)

    def _known_mint(self, rule: Rule, ctx: _Ctx, text: str, te: int, ce: int, types: _Types,
                    act_date: Callable[[], str | None], ph: _Phrase, base: str,
                    introduced: bool, bare: bool) -> str | None:
        """The known event or agreement the phrase ``ph`` names, if any (``introduced``: an
        indefinite or bare phrase, which needs the sentence to say more of it)."""
        spec = rule.mint or {}
        head_word = ph.head_word
        # the names in its complement ("a resolution on Syria") must be in the event's label
        names = set(content(" ".join(_NAME_WORD.findall(
            ph.tail[ph.name_end:ph.name_end + ph.comp_end]))))
        if ph.number:  # "resolution ES-11/1" is not Resolution 68/262
            names.update(content(ph.number.group()))
        in_sentence = set(content(text))
        known = None if not set(ph.found) - _BODY_WORDS - {head_word} \
            else self._known_event(ph.found, base, in_sentence, introduced, names,
                                   _act_years(text, te, ce) if rule.same_year
                                   else _year_after(text, te, ce), whole_ok=bare)
        if known and (context := self.link_contexts.get(known[len(base):])) is not None \
                and ctx.named_in is not None \
                and not all(base + c in ctx.named_in(ctx.sent.paragraph) for c in context):
            known = None  # "Moldova signed a cooperation agreement with the EU": not the
            # EU-Russia one (its paragraph names no Russia)
        if known and spec.get("dated") and not _act_years(text, te, ce) \
                and (own := _YEAR_WORD.search(known[len(base):])) is not None \
                and own.group() not in _year_of(act_date()) \
                and self._known_event(ph.found, base, in_sentence, True, names) != known:
            known = None  # a recurring event named without a year ("attended the SCO summit
            # in Astana") is a known one of the act's year, or one the sentence names beyond
            # the phrase ("the SCO summit in Bishkek": 2019's); not any year's
        if known and ph.kind == "Resolution" and not types[known] & _RESOLUTION_KINDS:
            known = None  # "vetoed a Security Council resolution on Ukraine in February
            # 2022": a resolution, not the Council's meeting on Ukraine of January 2022
        return known

    def _new_event(self, rule: Rule, ctx: _Ctx, text: str, te: int, ce: int,
                   minted: list[MintedActor], types: _Types,
                   act_date: Callable[[], str | None], parties: Sequence[str], ph: _Phrase,
                   base: str, introduced: bool) -> str | None:
        """The IRI of a new event or agreement for the phrase ``ph`` (minted unless the
        document minted it already); None when nothing but a year would tell it from others
        and no year is known."""
        spec = rule.mint or {}
        found, label = ph.found, ph.label
        segment = spec.get("kind", "event")  # "event" or "agreement": the IRI's kind
        # a nameless agreement ("a trade agreement", "a comprehensive strategic partnership
        # treaty": no capitalised word of its own) is its parties': theirs in its IRI, so that
        # Russia and Iran's treaty is not Russia and North Korea's
        by_parties = sorted({p.rsplit("/", 1)[-1]: p for p in parties}.items()) \
            if spec.get("parties") and not any(
                w[:1].isupper() for w in ph.label_words
                if w != ph.head.group(0) and w not in ("A", "An", "The")) else []
        year: set[str] = set()  # the year its IRI and label take, if any
        if not any(_YEAR_WORD.fullmatch(w) for w in found):  # (none of its own)
            if spec.get("dated"):
                # a recurring event ("the SCO summit") is one only with its year: the act's
                # (none, or several in the sentence: its date's)
                year = _act_years(text, te, ce)
                if len(year) != 1:
                    year = _year_of(act_date())
                if not year:
                    return None
            elif introduced:
                # a new one dated by its act: its year in its name ("vetoed a UN resolution
                # on Syria in October 2016" and "... in April 2018" are two resolutions)
                year = _year_after(text, te, ce)
            if not year and not set(found) - _BODY_WORDS - _GENERIC_WORDS - _EVENT_NOUNS:
                # only head, body and generic words ("abstained on a UN General Assembly
                # resolution", "the vote on the resolution", none named before): only its
                # act's year tells it from others (else its IRI would be every document's)
                year = _year_after(text, te, ce) or _year_of(act_date())
                if not year:
                    return None
        extra = [self._name_of(p, types) for _, p in by_parties]
        if year:
            found = [*found[:9], *year]
            extra.append(next(iter(year)))
        if extra:
            label = f"{label} ({', '.join(extra)})"
        slug = slugify(" ".join([*(w for w, _ in by_parties), *found[:10]]))
        iri = f"{base}id/{segment}/{slug}"
        if iri not in types.by_iri:
            actor = MintedActor(iri=iri, kind=segment, label=label,
                                rdf_types=(ONTOLOGY_NS + ph.kind,))
            types.mint(actor)
            ctx.typed.clear()  # (the IRI's types may change)
            minted.append(actor)
        ctx.name_event(ph.kind, iri)
        return iri

    def _name_of(self, iri: str, types: _Types) -> str:
        """An entity's preferred label (a minted one's label), for a minted name."""
        minted = types.by_iri.get(iri)
        if minted is not None:
            return minted.label
        return self.pref_labels.get(_rel(iri)) or iri.rsplit("/", 1)[-1]

    def _known_event(self, phrase: list[str], base: str, sentence: set[str],
                     need_context: bool = False, names: set[str] | frozenset[str] = frozenset(),
                     years: set[str] | frozenset[str] = frozenset(),
                     whole_ok: bool = False) -> str | None:
        """The one reference event or agreement whose label covers >= 3/4 of the phrase
        (ties broken by the label's words found elsewhere in the sentence, which
        ``need_context`` requires: an indefinite phrase introduces a new event otherwise;
        then by the label the phrase covers most of: "Crimea's annexation" is the
        annexation of Crimea, not the resolution labelled "100-country condemnation of
        Russia's annexation of Crimea").
        ``names``: words one of its labels must hold (the names of the phrase's topic: a
        resolution "on Syria" is not the one on Venezuela). ``years``: the sentence's years,
        for a ``same_year`` rule: an event or agreement of another year is not it ("signed
        the historic gas deal in 2014" is not the 2022 deal)."""
        wanted = set(phrase)
        best: list[tuple[float, int, float, str]] = []  # (score, context, tightness, IRI)
        # only a label sharing a word with the phrase can cover any of it
        near = set().union(*(self._label_words.get(w, ()) for w in wanted))
        for rel in sorted(near):
            labels = self.entity_labels[rel]
            if names and not any(names <= lab for lab in labels):
                continue
            if years:  # (the years of its IRI and labels)
                own = set(_YEAR_WORD.findall(rel)).union(
                    *({w for w in lab if _YEAR_WORD.fullmatch(w)} for lab in labels))
                if own and not own & years:
                    continue
            score = max(len(wanted & lab) / len(wanted) for lab in labels)
            if score >= 0.75:  # context and tightness: from the labels that cover the phrase
                covering = [lab for lab in labels if len(wanted & lab) >= 0.75 * len(wanted)]
                context = max(len((lab - wanted) & sentence) for lab in covering)
                tight = max(len(wanted & lab) / len(lab) for lab in covering)
                best.append((score, context, tight, rel))
        best.sort(reverse=True)
        if need_context and best and best[0][1] == 0 and not (whole_ok and best[0][2] == 1):
            return None  # (``whole_ok``: a phrase that is a whole label needs none)
        if best and (len(best) == 1 or best[0][:3] > best[1][:3]):
            return base + best[0][3]
        return None


def _act_years(text: str, te: int, ce: int) -> set[str]:
    """The year of an act whose trigger ends at ``te``: that of the first year after it in its
    clause ("signed a gas deal with China in 2014 and sold oil to India in 2022": 2014), else
    every year of the sentence."""
    after = _YEAR_WORD.search(text, te, ce)
    return {after.group()} if after else set(_YEAR_WORD.findall(text))


def _year_after(text: str, te: int, ce: int) -> set[str]:
    """The first year after a trigger ending at ``te`` in its clause, if any: the act's own
    ("vetoed a draft resolution on 25 February 2022" is not the 2019 draft)."""
    cut = _CLAUSE_AFTER.search(text, te, ce)  # (not another clause's: "vetoed a resolution
    after = _YEAR_WORD.search(text, te, cut.start() if cut else ce)  # on Venezuela, and in
    return {after.group()} if after else set()  # 2022 Russia vetoed ...")


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


def _year_of(date: str | None) -> set[str]:
    """:func:`_year` as the set a minted event's year is taken from ("2024-05" -> {"2024"})."""
    year = _year(date)
    return {f"{year:04d}"} if year is not None else set()


def _base_of(ctx: _Ctx) -> str:
    """The base IRI, read off any mention of the sentence's document (all share it)."""
    for m in ctx.mentions:
        return m.entity.rsplit("/", 3)[0] + "/"
    return "https://entente.example.org/"
