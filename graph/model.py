"""Plain data passed between the extraction steps (no RDF, no I/O).

corpus -> SourceDocument; chrome -> Segment; sentences -> Sentence;
linking -> Mention (+ MintedActor); relations/cues -> Assertion; rdfize -> quads.
All offsets are Python string indices (characters) into ``SourceDocument.text``.

The records are immutable. ``Sentence`` and ``Mention``, made ~95,000 times per 1,000
documents, are named tuples: creating one costs a third of a frozen dataclass's
``__init__`` (one ``object.__setattr__`` per field); attribute access, equality, hashing
(the hash of the field tuple, as a frozen dataclass's), ``repr`` and ``_replace`` remain.
Unlike a dataclass they also compare equal to a plain tuple of the same fields.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True)
class DocumentMeta:
    slug: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    author_affiliation: str | None = None
    publisher: str | None = None
    series: str | None = None
    date: str | None = None  # "2022", "2022-02", "2022-02-03" as given
    language: str | None = None
    dateline: str | None = None


@dataclass(frozen=True)
class SourceDocument:
    file: str  # file name inside the corpus folder
    text: str
    sha256: str  # of the file's bytes
    byte_size: int
    meta: DocumentMeta


@dataclass(frozen=True)
class Problem:
    """A document that could not be used, and why (reported, then skipped)."""

    file: str
    message: str


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    kind: str  # "content" or "excluded"
    reason: str | None = None  # for excluded: "caption", "navigation", "related-publications", ...


class Sentence(NamedTuple):
    index: int  # 1-based, document order
    start: int
    end: int
    text: str  # == document.text[start:end]
    paragraph: int  # 0-based index of the paragraph (block separated by blank lines)


class Mention(NamedTuple):
    start: int
    end: int
    text: str
    entity: str  # IRI of the reference entity or minted actor
    sentence: int  # Sentence.index
    kind: str = "reference"  # "reference" | "minted"


@dataclass(frozen=True)
class MintedActor:
    iri: str
    kind: str  # "person" | "institution"
    label: str
    role: str | None = None  # "a fellow"
    affiliation: str | None = None  # IRI
    rdf_types: tuple[str, ...] = ()  # extra ontology class IRIs, e.g. ent:ThinkTank


@dataclass(frozen=True)
class Assertion:
    subject: str  # IRI
    predicate: str  # IRI of an ent: object property
    object: str  # IRI
    sentence: int  # Sentence.index of the evidence
    rule: str  # id of the rule that fired
    negated: bool = False
    certainty: str = "Asserted"  # local name of an ent: certainty concept
    attributed_to: tuple[str, ...] = ()  # IRIs (speaker, else authors, else publisher)
    # the sentence gives it to unnamed others ("experts say"): the document's, no speaker's
    unnamed_source: bool = False
    date: str | None = None  # "2014", "2014-03", "2022-02-04"
    in_domain: tuple[str, ...] = ()  # local names of ent: domain concepts
    in_region: tuple[str, ...] = ()  # IRIs of places
    at_place: str | None = None  # IRI
    figure: str | None = None  # "about 75% of foreign direct investment"
    since: bool = False  # the date is the start of the time the fact holds ("since 2014")


@dataclass
class DocumentExtraction:
    """Everything extracted from one document."""

    document: SourceDocument
    segments: list[Segment] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    minted: list[MintedActor] = field(default_factory=list)
    assertions: list[Assertion] = field(default_factory=list)


@dataclass
class DocStats:
    """What one document's extraction counted (``file``: its name), or a build's totals
    (:meth:`add`): the build's summary.  Unlike the records above, it is added to."""

    file: str
    sentences: int = 0
    mentions: int = 0
    assertions: int = 0
    by_predicate: Counter = field(default_factory=Counter)
    by_polarity: Counter = field(default_factory=Counter)
    by_certainty: Counter = field(default_factory=Counter)

    def add(self, other: DocStats) -> None:
        self.sentences += other.sentences
        self.mentions += other.mentions
        self.assertions += other.assertions
        self.by_predicate.update(other.by_predicate)
        self.by_polarity.update(other.by_polarity)
        self.by_certainty.update(other.by_certainty)
