"""Page chrome: exactly which parts of each corpus document are excluded, and why."""

from __future__ import annotations

from pathlib import Path

import pytest
from entente.graph.chrome import segment
from entente.graph.corpus import load_corpus
from entente.graph.model import DocumentMeta, SourceDocument

EXPECTED = {
    "000_185ffcb42122a494.txt": [
        ("caption", "Wladimir Putin besucht Xi"),
        ("navigation", "Download (pdf): Abb, Pascal;"),
        ("author-bio", "Dr. Pascal Abb ist"),
    ],
    "001_2d5cd885800826b0.txt": [
        ("site-notice", "Copyright © 2024 The"),
        ("caption", "Russian President Vladimir Putin"),
        ("duplicate", "Can a Sino-Russian Entente"),
        ("byline", "Article by: Andreas Umland,"),
        ("references", "[hr][1] Fjodor Lukjanow, “Wenn"),
        ("donation-appeal", "You could close this"),
        ("site-notice", "To suggest a correction"),
        ("donation-appeal", "We are an independent"),
        ("related-publications", "Related Posts"),
    ],
    "002_0badbc24944c6e53.txt": [
        ("navigation", "1. Skip to content"),
        ("byline", "William Yang Taipei February"),
        ("caption", "Screen shot of virtual"),
        ("byline", "Edited by: Wesley Rahn"),
    ],
    "003_68ff2a09cf71ed74.txt": [
        ("navigation", "menu menu Turinys download"),
        ("duplicate", "Russia’s war against Ukraine"),
        ("caption", "Dvišalis Rusijos ir Kinijos"),
        ("navigation", "Spausdinti print"),
    ],
    "004_97f60897fa420449.txt": [
        ("caption", "Russian President Vladimir Putin"),
        ("related-publications", "Related Publications China and"),
    ],
}


@pytest.fixture(scope="module")
def documents(corpus_dir: Path) -> list[SourceDocument]:
    return load_corpus(corpus_dir)[0]


def _excluded(doc: SourceDocument) -> list[tuple[str | None, str]]:
    return [
        (s.reason, " ".join(doc.text[s.start:s.end].split()[:4]))
        for s in segment(doc)
        if s.kind == "excluded"
    ]


def test_excluded_segments_per_document(documents: list[SourceDocument]) -> None:
    assert {d.file: _excluded(d) for d in documents} == EXPECTED


def test_segments_cover_text_contiguously(documents: list[SourceDocument]) -> None:
    for doc in documents:
        segments = segment(doc)
        assert segments[0].start == 0 and segments[-1].end == len(doc.text)
        for before, after in zip(segments, segments[1:], strict=False):
            assert before.end == after.start
            assert before.start < before.end
        for s in segments:
            if s.kind == "excluded":
                text = doc.text[s.start:s.end]
                assert text == text.strip()


def test_captions_and_related_block_in_a_new_page() -> None:
    text = (
        "Share\n\nLeaders meet in Astana (Photo: Reuters)\n\n"
        "Kazakhstan hosted the summit. The talks went well.\n\n"
        "Read more\n\nAnother story about trade\n"
    )
    doc = SourceDocument("x.txt", text, "0" * 64, len(text.encode()), DocumentMeta(slug="x"))
    assert _excluded(doc) == [
        ("navigation", "Share"),
        ("caption", "Leaders meet in Astana"),
        ("related-publications", "Read more Another story"),
    ]


def test_content_that_merely_resembles_chrome_is_kept() -> None:
    text = (
        "By Emma Larsen and Pavel Morozov\n\n"
        "By contrast, China stayed silent on the matter.\n\n"
        "Search for allies\n\n"
        "Russia pledged to donate vaccines to Serbia in 2021.\n\n"
        "Share Print\n\n"
        "Privacy concerns over Chinese apps grew in Europe.\n"
    )
    doc = SourceDocument("x.txt", text, "0" * 64, len(text.encode()), DocumentMeta(slug="x"))
    assert _excluded(doc) == [("byline", "By Emma Larsen and"), ("navigation", "Share Print")]
