"""The linker: its tables (labels, demonyms, surnames, offices, dated names) and the pass
over a document's sentences that finds the mentions and mints unknown named actors."""

from __future__ import annotations

import re
from operator import itemgetter

import spacy
from entente.graph.actors import ActorMinter
from entente.graph.bundled import bundled_graph, load_rules
from entente.graph.entities import Entity, read_entities, read_link_contexts
from entente.graph.linking.filters import _MentionFilters, _surname_forms
from entente.graph.linking.office_holders import _office_holders, _OfficeHolderMentions
from entente.graph.linking.references import _ReferenceSpans
from entente.graph.linking.spans import _with_nested
from entente.graph.model import Mention, MintedActor, Sentence, SourceDocument
from entente.graph.segscan import SegmentScan
from entente.graph.sentences import ParagraphTokens
from entente.graph.tokenizer import MAX_LENGTH, SpanCachingTokenizer, prepare_tokenizer
from entente.graph.tokens import Tokens
from rdflib import Graph
from spacy.matcher import PhraseMatcher
from spacy.util import compile_infix_regex

from entente.errors import EntenteError

__all__ = ["Linker"]


def _cap(token_text: str) -> bool:
    return token_text[:1].isupper()


class Linker(_ReferenceSpans, _OfficeHolderMentions, _MentionFilters):
    """Finds mentions of reference entities and mints unknown named actors."""

    def __init__(self, base: str, entities: dict[str, Entity], labels: dict[str, set[str]],
                 rules: dict, demonyms: dict[str, set[str]] | None = None,
                 link_contexts: dict[str, tuple[frozenset[str], frozenset[str]]] | None = None,
                 ) -> None:
        self.base = base
        # entity -> (the entities a paragraph must name too, its generic labels in lower case)
        self.link_contexts = link_contexts or {}
        self.entities = entities
        self._set_up_pipeline()
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
        lone = self._set_up_matchers(labels, forms)
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

    def _set_up_pipeline(self) -> None:
        """spaCy's blank English pipeline with the sentence splitter's tokenizer, footnote
        markers split off the words they are glued to."""
        self.nlp = spacy.blank("en")
        self.nlp.max_length = MAX_LENGTH  # (a sentence may be as long as a document)
        prepare_tokenizer(self.nlp)  # (as the sentence splitter's tokenizer)
        # footnote markers glued to a word ("Trenin,[2]", "with Taiwan.4") are tokens of
        # their own; the word is then found ("Taiwan.4" was one token, and no name)
        infixes = [*self.nlp.Defaults.infixes, r"(?<=\w)[,;:.](?=\[)", r"[\[\]]",
                   _GLUED_FOOTNOTE, _ABBREVIATION_HYPHEN]
        self.nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
        self._tokenize = SpanCachingTokenizer(self.nlp)  # (sentences it tokenises itself)

    def _set_up_matchers(self, labels: dict[str, set[str]], forms: dict[str, set[str]]
                         ) -> set[str]:
        """The phrase matchers of the reference entities' labels and of the demonyms
        ``forms``, with the tables their matches are read with; returns the match keys of the
        persons' one-word labels."""
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
        return lone

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
#: one-off gatherings: a later year is another edition
_ONE_OFF = frozenset({"Summit", "Meeting", "Event", "Conference", "Forum", "Resolution",
                      "ResolutionVote"})
_new = tuple.__new__
