"""Compact JSON-LD: expanded JSON-LD rewritten with a ``@context`` of prefixes.

pyoxigraph and rdflib write JSON-LD in expanded form: every property and every ``@id`` a full
IRI.  It is correct, but it is not what a linked-data client reads by eye, nor what Jena
(Fuseki), the Wikidata entity pages or DBpedia serve: a document with a ``@context`` of the
prefixes and compact IRIs (``ent:memberOf``, ``id:state/china``).

:func:`compact` rewrites an expanded document (an array of node objects) so: the ``@context``
maps each prefix it uses to its namespace, and the nodes are a ``@graph``.  Expanding the
result gives the same triples back: only IRIs change, each into a compact IRI that JSON-LD
1.1 expands to it (a prefix whose namespace ends in a gen-delim character, a suffix that is
neither empty nor starts with ``//``), and a prefix is left out of the context when a string
of the document starts with it as a scheme (the IRI ``id:x`` would otherwise expand to
``{id namespace}x``).  ``rdf:type`` becomes ``@type``.  Literals, blank nodes and the
array structure are kept as they are.
Used by the server and by ``entente query``; the standard library only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

#: the characters a namespace must end with for JSON-LD 1.1 to use its term as a prefix
_GEN_DELIMS = tuple(":/?#[]@")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: the scheme of every JSON string that starts like an IRI (literals too: a prefix left out for
#: a literal's sake costs only length)
_SCHEME = re.compile(r'"([A-Za-z][A-Za-z0-9+.\-]*):')


class _Compactor:
    def __init__(self, prefixes: Mapping[str, str]) -> None:
        # longest namespace first, so that the most specific prefix wins
        self.prefixes = sorted(((p, ns) for p, ns in prefixes.items()
                                if ns.endswith(_GEN_DELIMS) and p and ":" not in p
                                and not p.startswith("@") and p != "_"),
                               key=lambda item: (-len(item[1]), item[0]))
        self.used: set[str] = set()
        self._written: dict[str, str] = {}

    def iri(self, value: str) -> str:
        written = self._written.get(value)
        if written is None:
            written = self._written[value] = self._compact(value)
        return written

    def _compact(self, value: str) -> str:
        if value.startswith("_:"):
            return value
        for prefix, namespace in self.prefixes:
            if value.startswith(namespace):
                suffix = value[len(namespace):]
                if not suffix or suffix.startswith("//"):
                    continue
                self.used.add(prefix)
                return f"{prefix}:{suffix}"
        return value

    def node(self, node: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        types = node.get(_RDF_TYPE)
        if (isinstance(types, list) and types and "@type" not in node
                and all(isinstance(t, dict) and list(t) == ["@id"] for t in types)):
            # rdf:type with IRI or blank-node objects is JSON-LD's own @type
            node = {("@type" if k == _RDF_TYPE else k): ([t["@id"] for t in v]
                                                        if k == _RDF_TYPE else v)
                    for k, v in node.items()}
        for key, value in node.items():
            if key == "@id":
                out[key] = self.iri(value)
            elif key == "@type":
                out[key] = ([self.iri(t) for t in value] if isinstance(value, list)
                            else self.iri(value))
            elif key.startswith("@"):
                out[key] = value
            else:
                out[self.iri(key)] = [self.value(v) for v in value]
        return out

    def value(self, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        if "@value" in value:
            if isinstance(value.get("@type"), str):
                return {**value, "@type": self.iri(value["@type"])}
            return value
        if "@list" in value:
            return {**value, "@list": [self.value(v) for v in value["@list"]]}
        return self.node(value)


def compact(expanded: bytes | str, prefixes: Mapping[str, str]) -> bytes:
    """``expanded`` (a JSON-LD array of node objects) as ``{"@context": ..., "@graph": ...}``
    with compact IRIs; UTF-8, one node per line."""
    text = expanded.decode("utf-8") if isinstance(expanded, bytes) else expanded
    document = json.loads(text)
    if isinstance(document, dict):  # a single node object
        document = [document]
    schemes = set(_SCHEME.findall(text))
    compactor = _Compactor({p: ns for p, ns in prefixes.items() if p not in schemes})
    nodes = [compactor.node(node) for node in document]
    context = {p: prefixes[p] for p in sorted(compactor.used)}
    head = json.dumps({"@context": context}, ensure_ascii=False, indent=2)[:-2]
    lines = [json.dumps(node, ensure_ascii=False, separators=(",", ":")) for node in nodes]
    body = (",\n    ".join(lines))
    graph = f',\n  "@graph": [\n    {body}\n  ]\n}}\n' if lines else ',\n  "@graph": []\n}\n'
    return (head + graph).encode("utf-8")
