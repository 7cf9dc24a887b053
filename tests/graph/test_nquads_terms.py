"""Canonical N-Quads literals: exactly the characters N-Triples requires are escaped."""

from __future__ import annotations

import pyoxigraph
import pytest
from entente.graph.nquads import term
from rdflib import Literal


@pytest.mark.parametrize(("text", "written"), [
    ("plain text, “quotes” and é", '"plain text, “quotes” and é"'),
    ('say "no"', '"say \\"no\\""'),
    ("a\\b", '"a\\\\b"'),
    ("line\nbreak\ttab\rcr", '"line\\nbreak\\ttab\\rcr"'),
    ("bell\x07nul\x00del\x7f", '"bell\\u0007nul\\u0000del\\u007F"'),
    ("\b\f", '"\\b\\f"'),
    ('a\\"b"\n\\n', '"a\\\\\\"b\\"\\n\\\\n"'),  # backslash escaped first, once
    ("a\n\x01\\", '"a\\n\\u0001\\\\"'),
    # not printable for Python, but no escape in N-Triples: written as they are
    ("nbsp\xa0line\u2028para\u2029", '"nbsp\xa0line\u2028para\u2029"'),
    # the two noncharacters pyoxigraph escapes (the dump must be what the store writes)
    ("x\ufffey\uffff", '"x\\uFFFEy\\uFFFF"'),
    ("x\ufffe\n", '"x\\uFFFE\\n"'),
])
def test_literal_escapes(text: str, written: str) -> None:
    assert term(Literal(text)) == written
    assert term(Literal(text, lang="EN")) == written + "@en"
    store_writes = pyoxigraph.serialize([pyoxigraph.Triple(
        pyoxigraph.NamedNode("http://a/"), pyoxigraph.NamedNode("http://b/"),
        pyoxigraph.Literal(text))], format=pyoxigraph.RdfFormat.N_TRIPLES).decode()
    assert store_writes == f"<http://a/> <http://b/> {written} .\n"
