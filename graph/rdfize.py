"""A DocumentExtraction as quads in the graph ``{base}graph/document/{doc}`` (docs/data-model.md),
written as canonical N-Quads lines (the terms as :mod:`entente.graph.nquads` writes them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache

from entente.graph import namespaces as ns
from entente.graph.model import Assertion, DocumentExtraction, SourceDocument
from entente.graph.namespaces import graph_iri, id_iri, slugify
from entente.graph.nquads import escape
from rdflib import Graph, URIRef


class _Terms:
    """A namespace whose attributes are N-Quads IRI terms (``ENT.Sentence`` -> "<...#Sentence>")."""

    def __init__(self, namespace: str) -> None:
        self._ns = str(namespace)

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        value = f"<{self._ns}{name}>"
        setattr(self, name, value)  # later look-ups find a plain attribute
        return value

    def __getitem__(self, name: str) -> str:
        return f"<{self._ns}{name}>"


DCTERMS, ENT, ITSRDF, NIF, PROV = (_Terms(n) for n in (ns.DCTERMS, ns.ENT, ns.ITSRDF, ns.NIF,
                                                      ns.PROV))
RDF, RDFS, SKOS, TIME, XSD = (_Terms(n) for n in (ns.RDF, ns.RDFS, ns.SKOS, ns.TIME, ns.XSD))


Term = str  # an N-Quads term: "<iri>" or a literal
_Add = Callable[[Term, Term, Term | None], None]  # adds a quad to the document graph

_DATE_TYPES = (
    (re.compile(r"^\d{4}$"), XSD.gYear),
    (re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"), XSD.gYearMonth),
    (re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"), XSD.date),
)
#: the OWL-Time position property of an instant, by the datatype of its date
_TIME_POSITION = {XSD.gYear: TIME.inXSDgYear, XSD.gYearMonth: TIME.inXSDgYearMonth,
                  XSD.date: TIME.inXSDDate}
_PAREN = re.compile(r"\(([^()]*)\)")
_PERSON_KINDS = ("/id/person/",)
_BODY_KINDS = ("/id/institution/", "/id/org/")


@lru_cache(maxsize=4096)  # (the same few dates recur on many assertions)
def typed_date(value: str | None) -> Term | None:
    """``"2022"`` -> xsd:gYear, ``"2022-02"`` -> xsd:gYearMonth, ``"2022-02-03"`` -> xsd:date."""
    if not value:
        return None
    for pattern, datatype in _DATE_TYPES:
        if pattern.match(value):
            return _lit(value, datatype=datatype)
    return None


def entity_label_index(entities: Graph) -> dict[str, str]:
    """Lower-cased label (pref, alt or rdfs:label) -> IRI of a reference entity."""
    index: dict[str, str] = {}
    for prop in (ns.SKOS.prefLabel, ns.RDFS.label, ns.SKOS.altLabel):
        for subject, label in sorted(entities.subject_objects(prop)):
            if isinstance(subject, URIRef):
                index.setdefault(str(label).strip().lower(), str(subject))
    return index


def _candidates(label: str) -> list[str]:
    """"Peace Research Institute Frankfurt (PRIF / HSFK)" -> the name, then each short form."""
    out = [label.strip()]
    bare = _PAREN.sub("", label).strip()
    if bare and bare not in out:
        out.append(bare)
    for inner in _PAREN.findall(label):
        out.extend(p.strip() for p in inner.split("/") if p.strip())
    return out


def actor_iri(
    base: str, kind: str, label: str, index: Mapping[str, str], kinds: tuple[str, ...]
) -> tuple[str, bool]:
    """The reference entity named ``label`` (if any), else a minted ``id/{kind}/{slug}``.

    Returns (iri, minted?).
    """
    for candidate in _candidates(label):
        iri = index.get(candidate.lower())
        if iri and any(k in iri for k in kinds):
            return iri, False
    return id_iri(base, kind, slugify(label)), True


def document_quads(
    ex: DocumentExtraction,
    base: str,
    build_iri: str,
    entity_index: Mapping[str, str] | None = None,
) -> list[str]:
    """Every quad of one document's graph as N-Quads lines (the build sorts the dump)."""
    index = entity_index or {}
    doc = ex.document
    slug = doc.meta.slug
    g = _iri(graph_iri(base, f"document/{slug}"))
    out: list[str] = []

    def add(s: Term, p: Term, o: Term | None) -> None:
        if o is not None:
            out.append(f"{s} {p} {o} {g} .")

    doc_iri = _iri(id_iri(base, "document", slug))
    # (the document is the source text: the build used it, and generated its graph; that is
    # said in the build graph)
    creators = _document_metadata(add, doc, doc_iri, base, index)
    for seg in ex.segments:
        if seg.kind != "excluded":
            continue
        seg_iri = _iri(id_iri(base, "segment", f"{slug}-{seg.start}-{seg.end}"))
        add(seg_iri, RDF.type, ENT.ExcludedSegment)
        _span(add, seg_iri, doc_iri, seg.start, seg.end)
        add(seg_iri, ENT.exclusionReason, _lit(seg.reason or "chrome"))
    sentence_iris: dict[int, Term] = {}
    sentence_quotes: dict[int, Term] = {}  # sentence number -> its text as a literal
    # the lines of sentences, mentions and assertions written directly (the bulk of a
    # document's lines; the same as add() with _span() and _lit())
    end = f" {g} ."
    context = f" {NIF.referenceContext} {doc_iri}{end}"
    begin, finish, anchor = f" {NIF.beginIndex} ", f" {NIF.endIndex} ", f" {NIF.anchorOf} "
    index_type = f"^^{XSD.integer}{end}"  # (see _span)
    sentence_prefix = f"<{id_iri(base, 'sentence', slug)}-"
    sentence_types = (f" {RDF.type} {ENT.Sentence}{end}", f" {RDF.type} {NIF.Sentence}{end}")
    # Sentence and Mention are named tuples: unpacking reads their fields faster than names
    for number, start, stop, text, _paragraph in ex.sentences:
        s_iri = f"{sentence_prefix}{number}>"
        sentence_iris[number] = s_iri
        quote = sentence_quotes[number] = _plain(text)
        out += (s_iri + sentence_types[0], s_iri + sentence_types[1], s_iri + context,
                f'{s_iri}{begin}"{start}"{index_type}',
                f'{s_iri}{finish}"{stop}"{index_type}',
                f"{s_iri}{anchor}{quote}{end}")
    mention_prefix = f"<{id_iri(base, 'mention', slug)}-"
    mention_types = (f" {RDF.type} {ENT.Mention}{end}", f" {RDF.type} {NIF.Phrase}{end}")
    in_sentence, ident, denotes = f" {NIF.sentence} ", f" {ITSRDF.taIdentRef} ", f" {ENT.denotes} "
    anaphoric = f" {RDF.type} {ENT.AnaphoricMention}{end}"
    for start, stop, text, entity, number, kind in ex.mentions:
        m_iri = f"{mention_prefix}{start}-{stop}>"
        out += (m_iri + mention_types[0], m_iri + mention_types[1], m_iri + context,
                f'{m_iri}{begin}"{start}"{index_type}', f'{m_iri}{finish}"{stop}"{index_type}')
        if kind in ("anaphor", "singular"):  # a pronoun or "the pair", resolved (graph/relations/)
            out.append(m_iri + anaphoric)
        s_iri = sentence_iris.get(number)
        if s_iri is not None:
            out.append(f"{m_iri}{in_sentence}{s_iri}{end}")
        out += (f"{m_iri}{anchor}{_plain(text)}{end}", f"{m_iri}{ident}<{entity}>{end}",
                f"{m_iri}{denotes}<{entity}>{end}")
    for actor in ex.minted:
        a_iri = _iri(actor.iri)
        kind_class = {"person": ENT.Person, "institution": ENT.Institution}.get(actor.kind)
        if kind_class is not None:  # minted events/agreements carry their class in rdf_types
            add(a_iri, RDF.type, kind_class)
        for extra in actor.rdf_types:
            add(a_iri, RDF.type, _iri(extra))
        add(a_iri, SKOS.prefLabel, _lit(actor.label, lang="en"))
        add(a_iri, RDFS.label, _lit(actor.label, lang="en"))
        if actor.role:
            add(a_iri, ENT.roleDescription, _lit(actor.role))
        if actor.affiliation:
            add(a_iri, ENT.affiliatedWith, _iri(actor.affiliation))
        add(a_iri, PROV.wasDerivedFrom, doc_iri)
    if ex.assertions:
        lines = _AssertionLines(end, doc_iri, _iri(build_iri), creators or (doc_iri,),
                                sentence_iris, sentence_quotes, f"<{id_iri(base, 'time', '')}")
        prefix = f"<{id_iri(base, 'assertion', slug)}-"
        for n, assertion in enumerate(ex.assertions, start=1):
            lines.write(f"{prefix}{n}>", assertion, g, out)
        lines.write_instants(out)
    return out


def _document_metadata(add: _Add, doc: SourceDocument, doc_iri: Term, base: str,
                       index: Mapping[str, str]) -> tuple[Term, ...]:
    """Document description; returns the default attribution (authors, else publisher)."""
    meta = doc.meta
    add(doc_iri, RDF.type, ENT.Document)
    add(doc_iri, RDF.type, NIF.Context)
    if meta.title:
        add(doc_iri, DCTERMS.title, _lit(meta.title, lang=meta.language or None))
    else:
        add(doc_iri, ENT.titleStated, _lit(False))
    affiliation = None
    if meta.author_affiliation:
        affiliation = _actor(add, doc_iri, base, "institution", meta.author_affiliation, index,
                             _BODY_KINDS)
    authors: list[Term] = []
    for name in meta.authors:
        person = _actor(add, doc_iri, base, "person", name, index, _PERSON_KINDS)
        authors.append(person)
        add(doc_iri, DCTERMS.creator, person)
        if affiliation is not None:
            add(person, ENT.affiliatedWith, affiliation)
    if meta.authors:
        add(doc_iri, ENT.authorList, _lit("; ".join(meta.authors)))
    publisher = None
    if meta.publisher:
        publisher = _actor(add, doc_iri, base, "institution", meta.publisher, index, _BODY_KINDS)
        add(doc_iri, DCTERMS.publisher, publisher)
    add(doc_iri, DCTERMS.date, typed_date(meta.date))
    if meta.language:
        add(doc_iri, DCTERMS.language, _lit(meta.language))
    if meta.series:
        add(doc_iri, ENT.series, _lit(meta.series))
    add(doc_iri, ENT.sourceFile, _lit(doc.file))
    add(doc_iri, ENT.sha256, _lit(doc.sha256))
    add(doc_iri, ENT.byteSize, _lit(doc.byte_size))
    add(doc_iri, NIF.isString, _lit(doc.text))
    # a NIF context spans its own string (NIF 2.0 Core: beginIndex 0, endIndex its length in
    # characters); NIF tools read the offsets of every span from it
    add(doc_iri, NIF.beginIndex, _lit(0, datatype=XSD.integer))
    add(doc_iri, NIF.endIndex, _lit(len(doc.text), datatype=XSD.integer))
    if authors:
        return tuple(authors)
    return (publisher,) if publisher is not None else ()


def _actor(add: _Add, doc_iri: Term, base: str, kind: str, label: str, index: Mapping[str, str],
           kinds: tuple[str, ...]) -> Term:
    iri, minted = actor_iri(base, kind, label, index, kinds)
    node = _iri(iri)
    if minted:
        add(node, RDF.type, ENT.Person if kind == "person" else ENT.Institution)
        add(node, SKOS.prefLabel, _lit(label, lang="en"))
        add(node, RDFS.label, _lit(label, lang="en"))
        add(node, PROV.wasDerivedFrom, doc_iri)
    return node


def _span(add: _Add, node: Term, doc_iri: Term, start: int, end: int) -> None:
    add(node, NIF.referenceContext, doc_iri)
    # xsd:integer, not NIF's range xsd:nonNegativeInteger: the store keeps every integer type
    # as xsd:integer, and the dump must be what the endpoint serves (the value, an offset
    # >= 0, is in the range's value space; the shapes check the bound)
    add(node, NIF.beginIndex, _lit(start, datatype=XSD.integer))
    add(node, NIF.endIndex, _lit(end, datatype=XSD.integer))


def _ent(name: str) -> Term:
    return _iri(name) if "://" in name else ENT[name]


class _AssertionLines:
    """The lines of a document's assertions (docs/data-model.md), the parts that are the
    same for all of them made once per document."""

    def __init__(self, end: str, doc_iri: Term, build: Term,
                 default_source: tuple[Term, ...], sentence_iris: dict[int, Term],
                 sentence_quotes: dict[int, Term], time_prefix: str) -> None:
        self.end = end
        # (an assertion's date is also an OWL-Time instant, ``{base}id/time/{date}``, or the
        # interval it begins, ``{base}id/time/since-{date}``, described once in the document's
        # graph)
        self.time_prefix, self.has_time = time_prefix, f" {TIME.hasTime} "
        self.instants: dict[str, Term] = {}  # date -> its typed literal
        self.intervals: dict[str, None] = {}  # the dates that begin an interval ("since")
        self.sentence_iris, self.sentence_quotes = sentence_iris, sentence_quotes
        self.head = (f" {RDF.type} {ENT.Assertion}{end}", f" {ENT.subject} ",
                     f" {ENT.predicate} ", f" {ENT.object} ")
        self.polarity = {True: f" {ENT.polarity} {ENT.Negated}{end}",
                         False: f" {ENT.polarity} {ENT.Affirmed}{end}"}
        self.certainty = f" {ENT.certainty} "
        # (an actor the claim is attributed to is its PROV agent too; the document, when the
        # source names none, is not: ent:attributedTo is no sub-property of prov:wasAttributedTo)
        self.sources = tuple(f" {ENT.attributedTo} {x}{end}" for x in default_source) + tuple(
            f" {PROV.wasAttributedTo} {x}{end}" for x in default_source if x != doc_iri)
        self.attributed, self.agent = f" {ENT.attributedTo} ", f" {PROV.wasAttributedTo} "
        self.unnamed = f" {ENT.attributedTo} {doc_iri}{end}"
        self.date, self.evidence, self.quote = (f" {ENT.date} ", f" {ENT.evidence} ",
                                                f" {ENT.quote} ")
        self.domain, self.region = f" {ENT.inDomain} ", f" {ENT.inRegion} "
        self.place, self.figure, self.rule = (f" {ENT.atPlace} ", f" {ENT.figure} ",
                                              f" {ENT.rule} ")
        self.tail = (f" {PROV.wasDerivedFrom} {doc_iri}{end}",
                     f" {PROV.wasGeneratedBy} {build}{end}")

    def write(self, a_iri: Term, a: Assertion, g: Term, out: list[str]) -> None:
        end = self.end
        subject, predicate, obj = f"<{a.subject}>", _ent(a.predicate), f"<{a.object}>"
        head = self.head
        out += (a_iri + head[0], f"{a_iri}{head[1]}{subject}{end}",
                f"{a_iri}{head[2]}{predicate}{end}", f"{a_iri}{head[3]}{obj}{end}",
                a_iri + self.polarity[bool(a.negated)],
                f"{a_iri}{self.certainty}{_ent(a.certainty)}{end}")
        if a.attributed_to:
            out += [f"{a_iri}{self.attributed}<{x}>{end}" for x in a.attributed_to]
            out += [f"{a_iri}{self.agent}<{x}>{end}" for x in a.attributed_to]
        elif a.unnamed_source:  # (unnamed others': the document's, not its authors')
            out.append(a_iri + self.unnamed)
        else:
            out += [a_iri + line for line in self.sources]
        date = typed_date(a.date)
        if date is not None:
            since = "since-" if a.since else ""
            out += (f"{a_iri}{self.date}{date}{end}",
                    f"{a_iri}{self.has_time}{self.time_prefix}{since}{a.date}>{end}")
            self.instants[a.date] = date
            if since:
                self.intervals[a.date] = None
        evidence = self.sentence_iris.get(a.sentence)
        if evidence is not None:
            out.append(f"{a_iri}{self.evidence}{evidence}{end}")
        quote = self.sentence_quotes.get(a.sentence)
        if quote is not None:
            out.append(f"{a_iri}{self.quote}{quote}{end}")
        for domain in a.in_domain:
            out.append(f"{a_iri}{self.domain}{_ent(domain)}{end}")
        for region in a.in_region:
            out.append(f"{a_iri}{self.region}<{region}>{end}")
        if a.at_place:
            out.append(f"{a_iri}{self.place}<{a.at_place}>{end}")
        if a.figure:
            out.append(f"{a_iri}{self.figure}{_plain(a.figure)}{end}")
        tail = self.tail
        out += (f"{a_iri}{self.rule}{_plain(a.rule)}{end}", a_iri + tail[0], a_iri + tail[1])
        if not a.negated and a.certainty in ("Asserted", ENT.Asserted[1:-1]):
            out.append(f"{subject} {predicate} {obj} {g} .")  # the truthy triple

    def write_instants(self, out: list[str]) -> None:
        """The OWL-Time instants of the dates written: ``time:Instant``, its position
        (``time:inXSDgYear``, ``time:inXSDgYearMonth`` or ``time:inXSDDate``) and a label;
        and the intervals they begin: ``time:ProperInterval``, ``time:hasBeginning`` and a
        label ("since 2014")."""
        end = self.end
        for value, date in self.instants.items():
            t_iri = f"{self.time_prefix}{value}>"
            position = _TIME_POSITION[date.rpartition("^^")[2]]
            out += (f"{t_iri} {RDF.type} {TIME.Instant}{end}",
                    f"{t_iri} {position} {date}{end}", f"{t_iri} {RDFS.label} {_plain(value)}{end}")
        for value in self.intervals:
            i_iri = f"{self.time_prefix}since-{value}>"
            out += (f"{i_iri} {RDF.type} {TIME.ProperInterval}{end}",
                    f"{i_iri} {TIME.hasBeginning} {self.time_prefix}{value}>{end}",
                    f"{i_iri} {RDFS.label} {_plain('since ' + value)}{end}")


def _plain(text: str) -> Term:
    """``_lit(text)`` of a string, no language or datatype (the escape test inline)."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    return f'"{escape(text)}"'


def _iri(value: str) -> Term:
    return f"<{value}>"


def _lit(value: str | int | bool, lang: str | None = None, datatype: Term | None = None) -> Term:
    """A literal term: strings plain (or with a language), ints xsd:integer, bools xsd:boolean."""
    if isinstance(value, bool):
        return f'"{"true" if value else "false"}"^^{XSD.boolean}'
    if isinstance(value, int):  # digits: nothing to escape
        return f'"{value}"^^{datatype or XSD.integer}'
    lexical = f'"{escape(str(value))}"'
    if lang:
        return f"{lexical}@{lang.lower()}"
    return f"{lexical}^^{datatype}" if datatype else lexical
