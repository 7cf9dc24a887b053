"""Entity linking: reference entities by label (gazetteer) and minted actors.

Reference entities come from ``ontology/entities.ttl`` (``skos:prefLabel``, ``skos:altLabel``,
``rdfs:label``).  Labels are matched with a spaCy ``PhraseMatcher`` on lower-cased tokens of a
blank English pipeline, so word boundaries are token boundaries ("Russian" never matches inside
"Russians"); a label token written with a capital must be capitalised in the text too ("US" the
state, not "us").  Overlapping matches: the longest wins, then the earliest.  A label shared by two
entities is ambiguous and not linked.

Demonyms ("Chinese", "Russian") link to their state only where they stand for it (the
``linking.demonyms`` rules in ``graph/rules.yaml``): inside a hyphenated pair ("Sino-Russian",
"US-Russian") or directly before a state-role head noun, possibly through a coordination
("Russian President", "Chinese backing", "Chinese and Russian diplomats"); never before other
nouns ("the Russian language", "Chinese companies") and never the plural ("Russians").

Named actors that are not reference entities are minted (see ``graph/actors.py``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from operator import itemgetter

import spacy
from entente.graph.actors import ActorMinter, Tokens
from entente.graph.bundled import bundled_graph, load_rules
from entente.graph.entities import Entity, read_entities, read_link_contexts
from entente.graph.model import Mention, MintedActor, Sentence, SourceDocument
from entente.graph.segscan import SegmentScan, View, name_word
from entente.graph.sentences import ParagraphTokens
from entente.graph.tokenizer import MAX_LENGTH, SpanCachingTokenizer, prepare_tokenizer
from rdflib import Graph
from spacy.matcher import PhraseMatcher
from spacy.util import compile_infix_regex

from entente.errors import EntenteError

#: right before a national body's label: a possessive, or a capitalised word
_NATIONAL_BEFORE = re.compile(r"(?:(?P<possessive>[’']s)|\b(?P<word>[A-Z][\w-]*))\s+$")
#: capitalised words that open a longer name with the label ("National Security Council")
_NAME_WORDS = frozenset({"National", "Federal", "State", "Supreme", "Presidential", "Defense",
                         "Defence", "Economic", "Kremlin"})

__all__ = ["Linker"]

def _cap(token_text: str) -> bool:
    return token_text[:1].isupper()


def _surname_forms(name: str) -> set[str]:
    """The lower-case surname of a full name, with and without an "al-"/"el-" particle
    ("Hafez al-Assad": "al-assad", "assad")."""
    last = name.split()[-1].lower()
    return {last, last[3:]} if last.startswith(("al-", "el-")) and len(last) > 3 else {last}


class Linker:
    """Finds mentions of reference entities and mints unknown named actors."""

    def __init__(self, base: str, entities: dict[str, Entity], labels: dict[str, set[str]],
                 rules: dict, demonyms: dict[str, set[str]] | None = None,
                 link_contexts: dict[str, tuple[frozenset[str], frozenset[str]]] | None = None,
                 ) -> None:
        self.base = base
        # entity -> (the entities a paragraph must name too, its generic labels in lower case)
        self.link_contexts = link_contexts or {}
        self.entities = entities
        self.nlp = spacy.blank("en")
        self.nlp.max_length = MAX_LENGTH  # (a sentence may be as long as a document)
        prepare_tokenizer(self.nlp)  # (as the sentence splitter's tokenizer)
        # footnote markers glued to a word ("Trenin,[2]", "with Taiwan.4") are tokens of
        # their own; the word is then found ("Taiwan.4" was one token, and no name)
        infixes = [*self.nlp.Defaults.infixes, r"(?<=\w)[,;:.](?=\[)", r"[\[\]]",
                   _GLUED_FOOTNOTE, _ABBREVIATION_HYPHEN]
        self.nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
        self._tokenize = SpanCachingTokenizer(self.nlp)  # (sentences it tokenises itself)
        cfg = rules.get("linking", {})
        forms: dict[str, set[str]] = {k: set(v) for k, v in (demonyms or {}).items()}
        for form, rel in (cfg.get("demonyms") or {}).items():  # supplementary, relative IRIs
            forms.setdefault(form, set()).add(base + rel)
        self.compound_only = set(cfg.get("compound_only", []))
        self.national_bodies = frozenset(" ".join(b.lower().split())
                                         for b in cfg.get("national_bodies", []))
        # the entities those labels name (only their mentions are looked at)
        self._national_body_iris = frozenset(
            iri for label, iris in labels.items()
            if " ".join(label.lower().split()) in self.national_bodies for iri in iris)
        self.state_heads: set[str] = {h.lower() for h in cfg.get("state_heads", [])}
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.demonym_matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._label_entity: dict[str, str] = {}
        self._label_caps: dict[str, tuple[int, ...]] = {}
        lone: set[str] = set()  # the keys of a person's one-word labels
        self._demonym_entity: dict[str, str] = {}
        lowered = {f.lower() for f in forms}
        for label, iris in sorted(labels.items()):
            if label.lower() in lowered or len(iris) != 1:
                continue  # demonyms follow their own rule; shared labels are ambiguous
            key = f"L{len(self._label_entity)}"
            self._label_entity[key] = next(iter(iris))
            doc = self.nlp.make_doc(label)
            if len(doc) == 1 and "/id/person/" in self._label_entity[key]:
                lone.add(key)
            # the label's capitalised tokens: they must be capitalised in the text too
            self._label_caps[key] = tuple(i for i, t in enumerate(doc) if _cap(t.text))
            self.matcher.add(key, [doc])
        # a person's one-word label that is the surname of another reference person's full
        # name ("Assad": Bashar al-Assad's, and the last word of "Hafez al-Assad") -> the
        # persons so named (see _by_full_name)
        lone_people = {label.lower(): next(iter(iris)) for label, iris in labels.items()
                       if len(iris) == 1 and " " not in label
                       and "/id/person/" in next(iter(iris))}
        surnames: dict[str, set[str]] = {}
        for label, iris in labels.items():
            iri = next(iter(iris))
            if len(iris) == 1 and " " in label and "/id/person/" in iri:
                for form in _surname_forms(label):
                    if form in lone_people and lone_people[form] != iri:
                        surnames.setdefault(form, set()).add(iri)
        self._shared_surnames = frozenset(surnames)
        self._surname_people = frozenset(i for iris in surnames.values() for i in iris)
        for form, iris in sorted(forms.items()):
            if len(iris) == 1:
                key = f"D{len(self._demonym_entity)}"
                self._demonym_entity[key] = next(iter(iris))
                self.demonym_matcher.add(key, [self.nlp.make_doc(form)])
        self.minter = ActorMinter(self.nlp, base, cfg)
        # match id (a string hash) -> (IRI, capitalised token positions) / IRI
        strings = self.nlp.vocab.strings
        self._labels: dict[int, tuple[str, tuple[int, ...]]] = {
            strings[k]: (iri, self._label_caps[k]) for k, iri in self._label_entity.items()}
        self._demonyms: dict[int, str] = {
            strings[k]: iri for k, iri in self._demonym_entity.items()}
        # a person's one-word label ("Wang", "Lavrov") is another person's name when a
        # capitalised word follows it in the sentence ("Wang Wenbin" is not Wang Yi)
        self._lone: frozenset[int] = frozenset(strings[k] for k in lone)
        # ... and when a capitalised word other than a title, a sentence adverb or a word that
        # is never a name comes right before it ("Sergei Wang" is not Wang Yi; "Foreign
        # Minister Wang", "Later Wang" and "In March Wang" are)
        self._before_lone: frozenset[str] = frozenset(
            self.minter.titles | self.minter.adverbs | self.minter.stop)
        # a state's one-word name followed by another name word is part of that name ("Chad
        # Smith", "Israel Katz", "China Daily"), unless the word is a title, a word never in
        # a name (months, "Summit" ...) or a state-role head noun ("US President")
        self._states: frozenset[str] = frozenset(
            iri for iri, e in entities.items() if "State" in e.types)
        self._not_after_state: frozenset[str] = frozenset(
            self.minter.titles | self.minter.stop | self.state_heads)
        self._demonym_forms: frozenset[str] = frozenset(forms)  # (a demonym is no name)
        # (state IRI, office) -> [(from, to or None, holder IRI)]: "the Russian president"
        self._offices = _office_holders(cfg.get("office_holders") or [], base, entities)
        self._office_states = frozenset(state for state, _ in self._offices)
        # reference events and agreements whose IRI ends in their year -> (year, one-off
        # gathering): a name the text dates in another year is not theirs (_same_years)
        self._dated: dict[str, tuple[int, bool]] = {}
        for iri, entity in entities.items():
            found = _SLUG_YEAR.search(iri)
            if found is not None and ("/id/event/" in iri or "/id/agreement/" in iri):
                self._dated[iri] = (int(found.group(1)),
                                    not entity.types.isdisjoint(_ONE_OFF))

    # -- construction ---------------------------------------------------------------------

    @classmethod
    def from_bundled(cls, base: str) -> Linker:
        """The linker over the bundled ``entities.ttl`` and ``rules.yaml``."""
        return cls.from_graph(bundled_graph("entities.ttl", base), base)

    @classmethod
    def from_turtle(cls, data: str, base: str, rules: dict | None = None,
                    source: str = "<turtle>") -> Linker:
        graph = Graph()
        try:
            graph.parse(data=data, format="turtle", publicID=base)
        except Exception as exc:  # rdflib raises many parser exception types
            raise EntenteError(f"{source}: cannot parse Turtle: {exc}") from None
        return cls.from_graph(graph, base, rules)

    @classmethod
    def from_graph(cls, graph: Graph, base: str, rules: dict | None = None) -> Linker:
        """The linker over the reference entities of ``graph`` (IRIs minted under ``base``)."""
        entities, labels, demonyms = read_entities(graph)
        return cls(base, entities, labels, load_rules() if rules is None else rules, demonyms,
                   read_link_contexts(graph, labels, demonyms))

    # -- linking --------------------------------------------------------------------------

    def link(self, doc: SourceDocument, sentences: list[Sentence],
             paragraphs: list[ParagraphTokens] | None = None,
             ) -> tuple[list[Mention], list[MintedActor]]:
        """Mentions (document order) and the actors minted for this document.

        ``paragraphs``: the tokenised paragraphs the sentences were cut from
        (:func:`~entente.graph.sentences.split_text`), whose tokens are reused; without
        them every sentence is tokenised anew (the same mentions either way).

        With them, each content segment is scanned once (:class:`SegmentScan`: its gazetteer
        and demonym matches, where a person's name may start) and a sentence takes what lies
        inside its tokens; its own token lists are made only when a later pass needs them
        (a demonym, a possible person, a minted actor's alias)."""
        text = doc.text
        segments: dict[int, SegmentScan] = {}  # id(SegmentTokens) -> its scan
        views = [self._view(s, text, paragraphs, segments) for s in sentences] \
            if paragraphs is not None else [None] * len(sentences)
        tokens: list[Tokens | None] = [None] * len(sentences)

        def tokens_of(i: int) -> Tokens:
            tk = tokens[i]
            if tk is None:
                view = views[i]
                sent_text = sentences[i][3]
                tk = tokens[i] = Tokens(self._tokenize(sent_text.translate(_SPACES)),
                                        sent_text) if view is None else view.tokens(sent_text)
            return tk

        refs: list[list[tuple[int, int, str, str]]] = []
        taken: list[set[int]] = []
        candidates: list[int] = []  # the sentences where a person's name may be
        for i, view in enumerate(views):
            if view is None:
                found, covered = self._reference_spans(tokens_of(i))
                candidates.append(i)
            else:
                found, covered, person = self._view_spans(view, i, tokens_of)
                if person:
                    candidates.append(i)
            if found:
                found = self._not_in_names(sentences[i][3], found)
            refs.append(found)
            taken.append(covered)
        minted, minted_spans = self.minter.mint(sentences, tokens_of, candidates, refs, taken,
                                                text)
        # a minted person's one-word alias ("Wang", after "Wang Wenbin") is that person, not
        # the reference person of the same label (Wang Yi), once the full name was given
        introduced: dict[str, int] = {}  # minted IRI -> offset of its first multi-word span
        for sent in sentences:
            for start, end, iri, _ in minted_spans.get(sent.index, ()):
                if " " in sent.text[start:end]:
                    introduced.setdefault(iri, sent.start + start)
        mentions: list[Mention] = []
        for sent, found in zip(sentences, refs, strict=True):
            spans = found + minted_spans.get(sent.index, [])
            if not spans:
                continue
            if introduced and found and sent.index in minted_spans:
                # (the same words as a reference person's label: the minted person once
                # introduced, the reference one before)
                people = {(sp[0], sp[1]) for sp in found if "/id/person/" in sp[2]}
                after = {(s, e) for s, e, iri, _ in minted_spans.get(sent.index, ())
                         if (s, e) in people and introduced.get(iri, len(text)) < sent.start + s}
                spans = [sp for sp in spans if (sp[0], sp[1]) not in people
                         or ((sp[0], sp[1]) in after) == (sp[3] == "minted")]
            index, offset, _, s_text, _ = sent
            for start, end, iri, kind in _with_nested(spans):
                # (start, end, text, entity, sentence, kind): the named tuple made directly,
                # without the Python-level __new__ it generates (less than half the cost)
                mentions.append(_new(Mention, (offset + start, offset + end,
                                               s_text[start:end], iri, index, kind)))
        mentions.sort(key=_START_END)
        named = set(map(_ENTITY, mentions))
        if doc.meta.date and not named.isdisjoint(self._office_states):
            mentions = self._office_holders_named(mentions, sentences, doc.meta.date)
            named = set(map(_ENTITY, mentions))
        if not named.isdisjoint(self._dated):
            mentions = self._same_years(mentions, text, sentences)
        if not named.isdisjoint(self.link_contexts):
            mentions = self._in_context(mentions, sentences)
        if not named.isdisjoint(self._national_body_iris):
            mentions = self._without_national_bodies(mentions, text)
        if not named.isdisjoint(self._surname_people):
            mentions = self._by_full_name(mentions)
        return mentions, minted

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

    def _not_in_names(self, text: str, found: list[tuple[int, int, str, str]]
                      ) -> list[tuple[int, int, str, str]]:
        """The spans without a state's one-word name that is part of a longer name: followed
        by one capitalised word that no span holds, then a lower-case word or punctuation
        ("Chad Smith criticized Russia" was Chad's criticism; a headline's "Russia Invades
        Ukraine" keeps Russia), or by capitalised words ending in a company's head noun
        ("China National Petroleum Corporation signed a deal" was China's)."""
        states = self._states
        drop: set[tuple[int, int, str, str]] = set()
        starts: set[int] | None = None  # (made once, if needed: a sentence may hold thousands)
        for span in found:
            start, end, iri, _ = span
            if iri in states and text[end:end + 1] == " " and text[end + 1:end + 2].isupper() \
                    and ((word := _NAME_AFTER.match(text, end + 1)) is not None
                         and word.group(1).lower() not in self._not_after_state
                         or _COMPANY_AFTER.match(text, end + 1) is not None) \
                    and " " not in text[start:end] \
                    and text[start:end] not in self._demonym_forms:
                if starts is None:
                    starts = {s[0] for s in found}
                if end + 1 not in starts:
                    drop.add(span)
        return [s for s in found if s not in drop] if drop else found

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

    def _view(self, sent: Sentence, text: str, paragraphs: list[ParagraphTokens],
              segments: dict[int, SegmentScan]) -> View | None:
        """The sentence's tokens in its segment's ``Doc`` when they are the same as the
        linker's own (no footnote brackets, which only the linker splits off; the sentence
        starts and ends where a whitespace-separated chunk does, so each chunk is tokenised
        alike); None: the sentence is tokenised anew."""
        _, start, end, sent_text, paragraph = sent  # (Sentence, ParagraphTokens: named tuples)
        if "[" in sent_text or "]" in sent_text or _OWN_TOKENS.search(sent_text) is not None:
            return None
        p_start, p_end, _, p_offset, p_stop, seg_tokens = paragraphs[paragraph]
        if not (start == p_start or text[start - 1].isspace()) \
                or not (end == p_end or text[end].isspace()):
            return None
        seg = segments.get(id(seg_tokens))
        if seg is None:
            seg = segments[id(seg_tokens)] = SegmentScan(seg_tokens, text, self.matcher,
                                                         self._labels, self.demonym_matcher,
                                                         self._lone, self._before_lone)
        starts = seg.starts
        shift = start - seg.start  # (offsets in the segment's Doc)
        shift_end = shift + end - start
        a = bisect_left(starts, shift, p_offset, p_stop)  # (within the paragraph's tokens)
        b = bisect_left(starts, shift_end, a, p_stop)
        if a < b and starts[a] == shift and seg.ends[b - 1] == shift_end:
            return _new(View, (seg, a, b, shift))
        return None

    def _view_spans(self, view: View, i: int, tokens_of: Callable[[int], Tokens],
                    ) -> tuple[list[tuple[int, int, str, str]], set[int], bool]:
        """What :meth:`_reference_spans` gives for the sentence, from its segment's scan;
        and whether a person's name may be in it: two adjacent capitalised words outside
        the reference spans (a person is a run of at least two, :meth:`ActorMinter.mint`)."""
        seg, a, b, shift = view
        found = seg.gazetteer(a, b)
        dem_starts = seg.dem_starts
        d = bisect_left(dem_starts, a)
        if d < len(dem_starts) and dem_starts[d] < b:  # (few sentences hold a demonym)
            tk = tokens_of(i)
            demonyms = [(key, s - a, e - a) for key, s, e in seg.dem[d:bisect_left(
                dem_starts, b, d)] if e <= b]
            follows = {s: e for _, s, e in demonyms}
            for key, start, end in demonyms:
                if self._stands_for_state(tk, start, end, follows):
                    found.append((start + a, end + a, self._demonyms[key]))
        if not found:
            return [], set(), seg.pair_in(a, b, ())
        spans = set()
        covered: set[int] = set()
        starts, ends = seg.starts, seg.ends
        for s, e, iri in found:
            spans.add((starts[s] - shift, ends[e - 1] - shift, iri, "reference"))
            covered.update(range(s - a, e - a))
        return sorted(spans), covered, seg.pair_in(a, b, covered)

    def _reference_spans(self, tk: Tokens) -> tuple[list[tuple[int, int, str, str]], set[int]]:
        """(start char, end char, iri, "reference") for gazetteer and demonym matches, and
        the token indices they cover."""
        found = []
        labels = self._labels
        for key, start, end in tk.matches(self.matcher):
            iri, caps = labels[key]
            for i in caps:
                if not tk.capitalised(start + i):
                    break
            else:
                if key in self._lone and (
                        end < tk.n and name_word(tk.words[end])
                        or start > 0 and name_word(tk.words[start - 1])
                        and tk.words[start - 1].lower() not in self._before_lone):
                    continue  # "Wang Wenbin", "Sergei Wang": another person than "Wang"
                found.append((start, end, iri))
        demonyms = tk.matches(self.demonym_matcher)
        if demonyms:
            follows = {s: e for _, s, e in demonyms}
            for key, start, end in demonyms:
                if self._stands_for_state(tk, start, end, follows):
                    found.append((start, end, self._demonyms[key]))
        if not found:
            return [], set()
        # all matches, overlapping ones included: link() keeps the longest (and the names
        # nested in an event or agreement name)
        spans = set()
        covered: set[int] = set()
        for s, e, iri in found:
            spans.add((tk.starts[s], tk.ends[e - 1], iri, "reference"))
            covered.update(range(s, e))
        return sorted(spans), covered

    def _stands_for_state(self, tk: Tokens, start: int, end: int,
                          follows: dict[int, int]) -> bool:
        """The demonym rule: a hyphenated pair, or before a state-role head noun."""
        n, words, lower = tk.n, tk.words, tk.lower
        if start >= 2 and words[start - 1] in _HYPHENS and not tk.ws(start - 2):
            return True  # "Sino-Russian", "US-Russian"
        if end + 1 < n and words[end] in _HYPHENS and not tk.ws(end - 1) \
                and words[end + 1][:1].isupper():
            return True
        if tk.span(start, end) in self.compound_only:
            return False  # "Sino" alone is not a mention
        j = end
        # a coordination of demonyms: "Chinese and Russian diplomats"
        while j + 1 < n and lower[j] in {"and", "or", ","} and j + 1 in follows:
            j = follows[j + 1]
        if j < n and _MODEL_PLURAL.fullmatch(words[j]):
            return True  # a plural designation is the head: "bought Russian S-400s"
        if j + 1 < n and _MODEL.fullmatch(words[j]):
            j += 1  # a model designation before the head: "Russian S-400 missiles"
        return j < n and lower[j] in self.state_heads


_HYPHENS = {"-", "‐", "‑", "–"}
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


#: a weapon's model designation: capitals, digits and hyphens with a digit ("S-400", "Su-35")
_MODEL = re.compile(r"[A-Z][A-Za-z]*-?\d[\w-]*")
_MODEL_PLURAL = re.compile(r"[A-Z][A-Za-z]*-?\d[\w-]*\ds")  # ("S-400s", "MiG-29s")
#: sentence-final punctuation between a letter and a footnote number ending the chunk
#: ("Taiwan.4", "US.17", "said.”12"): an infix of the linker's tokenizer, which splits the
#: chunk into word, punctuation and number (a decimal, "2.5", has a digit before the point)
_GLUED_FOOTNOTE = r"(?<=[^\W\d_])[.!?,;:][”\"’)]*(?=[\d¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3}$)"
#: a hyphen after an abbreviation's point, before a word ("U.S.-China", "the U.S.-led"):
#: spaCy's own hyphen infix wants a letter or digit before it, so "U.S.-China" was one token
_ABBREVIATION_HYPHEN = r"(?<=[A-Z]\.)[-‐‑–](?=[^\W\d_])"
#: no-break and thin spaces read as spaces by the linker ("Xi\u00a0Jinping" is Xi Jinping;
#: spaCy's tokenizer splits on " " only, so the name was three tokens and did not match):
#: one character for one, so every offset stays that of the text
_SPACES = str.maketrans(dict.fromkeys("\u00a0\u2007\u2009\u202f", " "))
#: where any of these three may occur in a sentence (such a sentence is tokenised by the
#: linker, not read off the segment's tokens, which the sentence splitter's tokenizer made):
#: a letter, [.!?], closing marks and a digit; a capital, a full stop, a dash and a letter; a
#: narrow or no-break space.  Each branch is anchored on its rare character and looks back
#: for the letter: an expression opening with a letter class is tried at every letter (ten
#: times the cost on a sentence)
_OWN_TOKENS = re.compile(r"[.!?,;:\u00a0\u2007\u2009\u202f](?:(?<=[^\W\d_][.!?,;:])[”\"’)]*"
                         r"[\d¹²³⁴⁵⁶⁷⁸⁹⁰]|(?<=[A-Z]\.)[-‐‑–][^\W\d_]"
                         r"|(?<=[\u00a0\u2007\u2009\u202f]))")
#: a capitalised word, then a lower-case word or punctuation (not another capitalised one)
_NAME_AFTER = re.compile(r"([A-Z][a-z]+)(?=\s+[a-z]|\s*[,.;:!?)]|$)")
#: after a state's name, the rest of a company's name ("China National Petroleum
#: Corporation", "China Development Bank", "China Eastern Airlines")
_COMPANY_AFTER = re.compile(r"(?:[A-Z][\w&-]*\s+){0,4}(?:Corporation|Corp\.|Company|Bank|"
                            r"Group|Holdings|Airlines|Railways|Telecom|Shipbuilding|Industries|"
                            r"Insurance|Exchange)(?=\s+[a-z]|[’']s\b|\s*[,.;:!?)]|$)")
_START_END = itemgetter(0, 1)  # Mention (start, end, ...)
_ENTITY = itemgetter(3)  # Mention (start, end, text, entity, ...)
_SLUG_YEAR = re.compile(r"-((?:1[5-9]|20)\d\d)(?:-\d\d){0,2}$")
_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")
#: a year right before a name ("the 1980 Olympics", "the 1980 Moscow Olympics") or in a
#: phrase right after it, within the clause ("the Olympics in Moscow in 1980")
_YEAR_BEFORE = re.compile(r"\b((?:1[5-9]|20)\d\d)(?:['’]s)?\s+(?:[A-Z][\w-]*\s+)?$")
_YEAR_AFTER = re.compile(r"[^,;.()\n]{0,40}?\b(?:in|of|since|from)\s+(?:(?:early|late|mid-?)\s*)?"
                         r"(?:[A-Z][a-z]+\s+)?(?:\d{1,2}\s+)?((?:1[5-9]|20)\d\d)\b")
#: one-off gatherings: a later year is another edition
_ONE_OFF = frozenset({"Summit", "Meeting", "Event", "Conference", "Forum", "Resolution",
                      "ResolutionVote"})
_new = tuple.__new__


def _with_nested(spans: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """The longest spans, plus the longest spans nested inside an event or agreement name
    ("Russia's invasion of Ukraine" also mentions Russia and Ukraine)."""
    if len(spans) < 2:
        return list(spans)  # (one span: the longest itself, nothing nested in it)
    outer = _longest(spans)
    nested: list[tuple[int, int, str, str]] = []
    for o in outer:
        if "/id/event/" in o[2] or "/id/agreement/" in o[2]:
            inner = [s for s in spans if o[0] <= s[0] and s[1] <= o[1] and s != o]
            nested.extend(_with_nested(inner))
    if not nested:
        return outer  # (sorted, and without duplicates: a copy overlaps its original)
    return sorted(set(outer) | set(nested))


def _longest(spans: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Drop spans overlapped by a longer (then earlier) one; document order.

    The chosen spans do not overlap, so, ordered by start, their ends are in order too:
    a span overlaps one of them only if it overlaps the last that starts before its end
    (found by bisection: a sentence as long as a document may hold thousands of spans)."""
    starts: list[int] = []  # of the chosen spans, in order
    chosen: list[tuple[int, int, str, str]] = []  # ordered by start
    for span in sorted(spans, key=_longest_first):
        start, end = span[0], span[1]
        i = bisect_left(starts, end)
        if i and chosen[i - 1][1] > start:
            continue  # overlaps a chosen (longer or earlier) span
        starts.insert(i, start)
        chosen.insert(i, span)
    return sorted(chosen)


def _longest_first(span: tuple[int, int, str, str]) -> tuple[int, int, str]:
    """Sort key: longer first, then earlier, then by IRI."""
    return span[0] - span[1], span[0], span[2]
