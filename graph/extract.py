"""Extraction of one document: the ordered pipeline of small, named steps.

``PIPELINE`` lists the steps by name; each step reads what the earlier ones put into
the :class:`DocumentExtraction` and adds its own part:

1. ``segment``    page chrome -> content and excluded segments   (graph/chrome.py)
2. ``sentences``  content -> sentences with exact offsets         (graph/sentences.py)
3. ``link``       sentences -> mentions of reference entities and minted actors (graph/linking/)
4. ``relate``     sentences + mentions -> assertions              (graph/relations/)
5. ``normalise``  stable order, duplicates removed, references checked

The linker and the relation extractor are passed in (built once per process), so this
module only orchestrates; it does no I/O.  What a step hands to a later one without it
being part of the result (the tokenised paragraphs the linker reuses) travels in a
per-document :class:`Scratch`, never in module state.  The steps read the document's
working text (without invisible format characters and the excess of long runs of spaces);
:func:`extract_document` maps what they found back to the document's own offsets
(graph/working_text.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter, lt
from typing import Protocol

from entente.graph.chrome import segment
from entente.graph.chrome import warm_up as warm_up_chrome
from entente.graph.model import (
    Assertion,
    DocumentExtraction,
    Mention,
    MintedActor,
    Sentence,
    SourceDocument,
)
from entente.graph.sentences import ParagraphTokens, load_pipeline, split_text
from entente.graph.working_text import restore_offsets, working_document


class LinkerLike(Protocol):
    def link(
        self, doc: SourceDocument, sentences: list[Sentence],
        paragraphs: list[ParagraphTokens] | None = None,
    ) -> tuple[list[Mention], list[MintedActor]]: ...


class ExtractorLike(Protocol):
    rules_sha256: str

    def extract(
        self,
        doc: SourceDocument,
        sentences: list[Sentence],
        mentions: list[Mention],
        minted: list[MintedActor],
    ) -> list[Assertion]: ...


@dataclass(frozen=True)
class Tools:
    linker: LinkerLike
    extractor: ExtractorLike


@dataclass
class Scratch:
    """One document's intermediate results that are not part of its extraction."""

    paragraphs: list[ParagraphTokens] = field(default_factory=list)  # from ``sentences``


Step = Callable[[DocumentExtraction, Tools, Scratch], None]


def step_segment(ex: DocumentExtraction, tools: Tools, scratch: Scratch) -> None:
    ex.segments = segment(ex.document)


def step_sentences(ex: DocumentExtraction, tools: Tools, scratch: Scratch) -> None:
    split = split_text(ex.document, ex.segments)
    ex.sentences = split.sentences
    scratch.paragraphs = split.paragraphs


def step_link(ex: DocumentExtraction, tools: Tools, scratch: Scratch) -> None:
    mentions, minted = tools.linker.link(ex.document, ex.sentences, scratch.paragraphs)
    ex.mentions = list(mentions)
    ex.minted = list(minted)


def step_relate(ex: DocumentExtraction, tools: Tools, scratch: Scratch) -> None:
    ex.assertions = list(
        tools.extractor.extract(ex.document, ex.sentences, ex.mentions, ex.minted)
    )


def step_normalise(ex: DocumentExtraction, tools: Tools, scratch: Scratch) -> None:
    """Stable order (independent of rule or dict order), no duplicates, valid references."""
    n_sentences = len(ex.sentences)
    starts = {s[0]: s[1] for s in ex.sentences}  # Sentence: (index, start, ...)
    # Mention (start, end, text, entity, ...): the last of each (start, end, entity) kept;
    # as the linker gives them they are mostly in that order already, each key once (two
    # C-level passes show it, and then the list is kept as it is)
    keys = list(map(_MENTION_KEY, ex.mentions))
    if not all(map(lt, keys, keys[1:])):
        ex.mentions = [m for _, m in sorted(
            {(m[0], m[1], m[3]): m for m in ex.mentions}.items(), key=itemgetter(0))]
    ex.minted = sorted({a.iri: a for a in ex.minted}.values(), key=lambda a: a.iri)
    kept: dict[tuple, Assertion] = {}
    for a in ex.assertions:
        if not 1 <= a.sentence <= n_sentences:
            raise ValueError(f"assertion {a.rule!r} cites sentence {a.sentence} "
                             f"of {n_sentences}")
        key = (a.sentence, a.rule, a.subject, a.predicate, a.object, a.negated, a.certainty)
        kept.setdefault(key, a)
    ex.assertions = sorted(
        kept.values(),
        key=lambda a: (starts[a.sentence], a.rule, a.subject, a.object, a.predicate,
                       a.negated, a.certainty),
    )


_MENTION_KEY = itemgetter(0, 1, 3)  # Mention: (start, end, text, entity, ...)


STEPS: dict[str, Step] = {
    "segment": step_segment,
    "sentences": step_sentences,
    "link": step_link,
    "relate": step_relate,
    "normalise": step_normalise,
}
PIPELINE: tuple[str, ...] = ("segment", "sentences", "link", "relate", "normalise")


def extract_document(
    doc: SourceDocument, linker: LinkerLike, extractor: ExtractorLike
) -> DocumentExtraction:
    """Run every step of :data:`PIPELINE` over ``doc``.  The steps read its working text
    (without invisible format characters and the excess of long runs of spaces:
    graph/working_text.py); the offsets and texts returned are those of ``doc``'s own
    text."""
    work, offsets = working_document(doc)
    ex = DocumentExtraction(document=work)
    tools = Tools(linker, extractor)
    scratch = Scratch()
    for name in PIPELINE:
        STEPS[name](ex, tools, scratch)
    if offsets is not None:
        restore_offsets(ex, doc, offsets)
    return ex


def warm_up() -> None:
    """Build what the steps load lazily, so that processes forked afterwards share it."""
    load_pipeline()
    warm_up_chrome()
