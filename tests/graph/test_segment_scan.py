"""The linker's segment scan (each content segment's matches and capitalised-word pairs
found once, a sentence's own tokens made only where needed) links exactly as the
per-sentence path (every sentence tokenised anew): generated documents and sentence
boundaries that cut through names, pairs and aliases."""

from __future__ import annotations

from pathlib import Path

import pytest
from entente.bench.synth import synth_texts
from entente.graph.chrome import segment
from entente.graph.corpus import load_corpus
from entente.graph.linking import Linker
from entente.graph.model import DocumentMeta, SourceDocument
from entente.graph.sentences import split_text

BASE = "https://example.org/kg/"


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker.from_bundled(BASE)


def _same_both_ways(linker: Linker, doc: SourceDocument) -> tuple[list, list]:
    split = split_text(doc, segment(doc))
    reused = linker.link(doc, split.sentences, split.paragraphs)
    assert reused == linker.link(doc, split.sentences), doc.file
    return reused


def test_generated_documents(linker: Linker, tmp_path: Path) -> None:
    synth_texts(25, 7, tmp_path)
    docs, _ = load_corpus(tmp_path)
    minted = mentions = 0
    for doc in docs:
        found, actors = _same_both_ways(linker, doc)
        mentions += len(found)
        minted += len(actors)
    assert mentions > 500 and minted > 10  # (the comparison saw names of both kinds)


@pytest.mark.parametrize("text", [
    # a capitalised pair across a sentence boundary is no name; one right after it is
    "They met in Central Asia. Kirill Schmidt said so. Later Schmidt agreed.",
    "Talks ended in Moscow. Anna Dubois, a fellow at the Nordic Institute (NIES), said "
    "more.\n\nNIES staff and Dubois disagreed. Chinese diplomats said Dubois erred.",
    # demonyms at sentence edges, a title before a name, an alias at a sentence's end
    "Deputy Prime Minister Maria Wu met Chinese. Russian diplomats said Wu. Wu.",
    "Sino-Russian ties grew. According to Peter Zhao, the Chinese and Russian "
    "presidents met Zhao.\nZhao said it.",
])
def test_sentence_edges(linker: Linker, text: str) -> None:
    doc = SourceDocument("t.txt", text, "0" * 64, len(text.encode()), DocumentMeta(slug="t"))
    mentions, _ = _same_both_ways(linker, doc)
    assert mentions
