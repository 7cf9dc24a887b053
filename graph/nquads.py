"""The one N-Quads term writer the build uses for every graph (:func:`nquad`), so the dump is
canonical: absolute IRIs, no blank nodes (:func:`skolemised_quads` replaces them by stable
IRIs first), canonical N-Triples string escapes, lower-case language tags, no
``^^xsd:string``."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from entente.graph import namespaces as ns
from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import BNode, Node

Quad = tuple[Node, Node, Node, URIRef]

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
            "\f": "\\f"}
# U+FFFE and U+FFFF are escaped too: pyoxigraph writes them so, and the dump must be what the
# store serialises
_NEEDS_ESCAPE = re.compile('[\\\\"\x00-\x1f\x7f\ufffe\uffff]')
_SHORT_ESCAPES = tuple(_ESCAPES.items())  # (dicts keep their order: the backslash first)
_OTHER_CONTROL = re.compile("[\x00-\x07\x0b\x0e-\x1f\x7f\ufffe\uffff]")  # as \uXXXX


def escape(text: str) -> str:
    # (most texts need nothing: two C-level tests instead of the scan; isprintable() is
    # False for every character the expression matches except the quote and the backslash)
    if text.isprintable() and '"' not in text and "\\" not in text:
        return text
    if _OTHER_CONTROL.search(text) is None:  # only characters with a short escape
        for char, escaped in _SHORT_ESCAPES:  # (the backslash first)
            if char in text:
                text = text.replace(char, escaped)
        return text
    return _NEEDS_ESCAPE.sub(
        lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), text
    )


def term(node: Node) -> str:
    """One N-Quads term (IRIs and literals only: skolemise blank nodes first)."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        lexical = f'"{escape(str(node))}"'
        if node.language:
            return f"{lexical}@{node.language.lower()}"
        if node.datatype and node.datatype != ns.XSD.string:
            return f"{lexical}^^<{node.datatype}>"
        return lexical
    if isinstance(node, BNode):
        raise ValueError(f"blank node {node} in output: skolemise it first")
    raise ValueError(f"cannot write {node!r} as N-Quads")


def nquad(s: Node, p: Node, o: Node, g: Node | None) -> str:
    """One N-Quads line (without the newline); ``g=None`` for the default graph."""
    graph = f" {term(g)}" if g is not None else ""
    return f"{term(s)} {term(p)} {term(o)}{graph} ."


def nquad_lines(quads: Iterable[Quad]) -> set[str]:
    return {nquad(*q) for q in quads}


def skolemised_quads(graph: Graph, base: str, g: URIRef) -> list[Quad]:
    """The graph's triples in ``g``, blank nodes replaced by stable ``.well-known/genid`` IRIs."""
    if any(isinstance(t, BNode) for triple in graph for t in triple):
        graph = to_canonical_graph(graph)  # content-derived blank-node labels

    def sk(node: Node) -> Node:
        if isinstance(node, BNode):
            label = hashlib.sha256(str(node).encode()).hexdigest()[:16]
            return URIRef(f"{base}.well-known/genid/{label}")
        return node

    return [(sk(s), sk(p), sk(o), g) for s, p, o in graph]

