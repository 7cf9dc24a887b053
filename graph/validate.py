"""SHACL validation of Entente data against ``ontology/shapes.ttl`` (pySHACL).

``entente validate [--store DIR | --data FILE] [--shapes FILE] [--inference rdfs]`` prints
``conforms`` or one line per violation (focus node, path, message) and exits 0 when the data
conforms, 1 when it does not.  This module also holds the small RDF loading helpers that
``entente reason`` and the ontology documentation share: the bundled ontology and shapes, and
reading an RDF file.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyoxigraph
import rdflib
from entente.graph.dataset_checks import graph_violations
from entente.graph.namespaces import PREFIXES
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from entente.config import Settings
from entente.errors import EntenteError, UsageError

#: File suffix -> rdflib parser name.
_FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
    ".json": "json-ld",
}
_QUAD_FORMATS = {"nquads", "trig"}


def ontology_graph() -> Graph:
    """The bundled ontology ``entente.ttl`` as an rdflib Graph."""
    return _bundled("entente.ttl")


_SH = "http://www.w3.org/ns/shacl#"


def shapes_graph(path: Path | None = None) -> Graph:
    """The SHACL shapes: ``path`` if given, else the bundled ``shapes.ttl``."""
    if path is None:
        return _bundled("shapes.ttl")
    graph = read_rdf(path)
    if not any(str(p).startswith(_SH) for p in graph.predicates()):
        # (an empty or unrelated file validated everything as conforming)
        raise EntenteError(f"{path}: no SHACL shapes (no sh: property in it)")
    return graph


def _bundled(name: str) -> Graph:
    """A fresh Graph (callers may change it) of a bundled Turtle file, parsed once."""
    graph = Graph()
    for triple in _bundled_triples(name):
        graph.add(triple)
    _bind(graph)
    return graph


@functools.lru_cache(maxsize=4)
def _bundled_triples(name: str) -> tuple[tuple[Node, Node, Node], ...]:
    resource = files("entente.ontology") / name
    graph = Graph()
    try:
        graph.parse(data=resource.read_text(encoding="utf-8"), format="turtle")
    except Exception as exc:  # rdflib raises many parser exception types
        raise EntenteError(f"ontology/{name}: cannot parse: {_one_line(exc)}") from None
    return tuple(graph)


def read_data(path: Path) -> Dataset:
    """:func:`read_rdf` for the data a command checks or reasons over: refused when it holds
    no statement (metadata.json read as JSON-LD, an empty file: "conforms", exit 0)."""
    data = read_rdf(path)
    if len(data) == 0:
        raise EntenteError(f"{path}: no RDF statements in it")
    return data


def read_rdf(path: Path) -> Dataset:
    """Parse an RDF file (format from its suffix) into a Dataset.

    Triples formats land in the default graph; N-Quads/TriG keep their named graphs.
    """
    path = Path(path)
    if not path.is_file():  # (first: a missing file is named as such, whatever its name)
        raise EntenteError(f"{path}: no such file")
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(_FORMATS))
        raise UsageError(f"{path}: unknown RDF format (use one of {known})")
    data = Dataset(default_union=True)
    try:
        if fmt in _QUAD_FORMATS:
            data.parse(str(path), format=fmt)
        else:
            data.default_context.parse(str(path), format=fmt)
    except Exception as exc:  # rdflib raises many parser exception types
        message = _syntax_error_at(path, fmt) or _one_line(exc)
        raise EntenteError(f"{path}: cannot parse {fmt}: {message}") from None
    _bind(data)
    return data


#: rdflib's format names -> pyoxigraph's, for the position of a syntax error
_OXIGRAPH_FORMATS = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
                     "nquads": pyoxigraph.RdfFormat.N_QUADS, "trig": pyoxigraph.RdfFormat.TRIG,
                     "xml": pyoxigraph.RdfFormat.RDF_XML}


def _syntax_error_at(path: Path, fmt: str) -> str | None:
    """pyoxigraph's message for the first syntax error of a file rdflib could not parse
    ("Parser error at line 2 column 23: ..."), or None when pyoxigraph reads it.  rdflib's
    own messages name no line for N-Triples ("Invalid line: .") and print Turtle as bytes."""
    try:
        for _ in pyoxigraph.parse(path=str(path), format=_OXIGRAPH_FORMATS[fmt]):
            pass
    except SyntaxError as exc:
        return _one_line(exc)
    except (KeyError, OSError, ValueError):
        return None
    return None


def data_path(args: argparse.Namespace, settings: Settings) -> Path:
    """The file a ``--data FILE`` / ``--store DIR`` command reads: the file, else the store dump."""
    if getattr(args, "data", None) is not None:
        return Path(args.data)
    from entente.graph.store import locate

    info = locate(settings.store, settings.base)
    if not info.dump_path.is_file():
        raise EntenteError(f"{info.dump_path}: the store has no dataset dump")
    return info.dump_path


def as_graph(data: Graph | Dataset) -> Graph:
    """All triples of ``data`` (the union of a Dataset's graphs) in one plain Graph."""
    if isinstance(data, Dataset):
        union = _add_triples(Graph(), data)
        _bind(union)
        return union
    return data


def _add_triples(graph: Graph, data: Graph | Dataset) -> Graph:
    """``graph`` with every triple of ``data`` added (a Dataset's from all its graphs)."""
    if isinstance(data, Dataset):
        for s, p, o, _g in data.quads((None, None, None, None)):
            graph.add((s, p, o))
    else:
        for triple in data:
            graph.add(triple)
    return graph


def validate_graph(
    data: Graph | Dataset, shapes: Path | None = None, inference: str = "none"
) -> tuple[bool, Graph, str]:
    """Validate ``data`` (a Dataset is validated as the union of its graphs) with pySHACL.

    The bundled ontology is added to (a copy of) the data graph, so that class and property
    hierarchies and concept schemes are visible to targets and paths; ``inference`` is
    pySHACL's entailment of that union (``none``, the default, or ``rdfs``).  (pySHACL's own
    ``ont_graph`` mixing clones the ontology node by node and takes minutes on it, so the union
    is built here.)  pySHACL validates that copy in place (it would otherwise clone it once
    more) and asks it each SPARQL constraint once per focus node with the same text: the copy
    parses each text once (``_PreparedQueryGraph``).  Returns pySHACL's (conforms, report
    graph, report text).
    """
    import pyshacl

    combined = _add_triples(_add_triples(_PreparedQueryGraph(), data), ontology_graph())
    _bind(combined)
    conforms, report, text = pyshacl.validate(
        combined,
        shacl_graph=shapes_graph(shapes),
        inference=inference,
        abort_on_first=False,
        allow_warnings=False,
        advanced=True,
        inplace=True,
    )
    if not isinstance(report, Graph):  # (pySHACL's ValidationFailure: shapes it cannot run,
        # such as a SPARQL constraint with a VALUES clause; it was a traceback)
        raise EntenteError(f"the shapes cannot be used: {_one_line(report)}")
    return bool(conforms), report, str(text)


@functools.lru_cache(maxsize=1024)
def _prepared(text: str, namespaces: tuple[tuple[str, str], ...]) -> Any:
    """``text`` parsed and translated once per process (rdflib runs a prepared query on any
    graph): a process that validates several datasets parses the shapes' constraints once."""
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text, initNs=dict(namespaces))


class _PreparedQueryGraph(Graph):
    """A Graph that parses and translates each distinct SPARQL text once (:func:`_prepared`).

    rdflib parses a query string on every ``query`` call (~50 ms for a SHACL constraint), and
    pySHACL runs a SPARQL constraint once per focus node with the focus node as an initial
    binding, the text unchanged: without this, parsing was two thirds of ``entente validate``.
    """

    def query(self, query_object: Any, processor: Any = "sparql", result: Any = "sparql",
              initNs: Mapping[str, Any] | None = None,  # noqa: N803
              initBindings: Mapping[str, Any] | None = None,  # noqa: N803
              use_store_provided: bool = True, **kwargs: Any) -> Any:
        if isinstance(query_object, str) and processor == "sparql" and not kwargs:
            namespaces = initNs if initNs is not None else dict(self.namespaces())
            query_object = _prepared(
                query_object, tuple(sorted((k, str(v)) for k, v in namespaces.items())))
        return super().query(query_object, processor, result, initNs, initBindings,
                             use_store_provided, **kwargs)


def violations(report: Graph) -> list[tuple[str, str, str]]:
    """(focus node, path, message) of every result in a SHACL report, sorted."""
    rows = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        rows.append((_show(report, focus), _show(report, path), str(message or "")))
    return sorted(set(rows))


def _show(graph: Graph, term: object) -> str:
    if term is None:
        return "-"
    if isinstance(term, URIRef):
        return term.n3(graph.namespace_manager).strip("<>")
    if isinstance(term, rdflib.BNode):
        return _show_path(graph, term)
    return str(term)


def _show_path(graph: Graph, node: rdflib.BNode) -> str:
    """A SHACL property path in SPARQL syntax, e.g. ``ent:polarity/skos:inScheme``."""
    first = graph.value(node, RDF.first)
    if first is not None:
        return "/".join(_show(graph, step) for step in graph.items(node))
    for predicate, template in ((SH.inversePath, "^{}"), (SH.oneOrMorePath, "{}+"),
                                (SH.zeroOrMorePath, "{}*"), (SH.zeroOrOnePath, "{}?")):
        inner = graph.value(node, predicate)
        if inner is not None:
            return template.format(_show(graph, inner))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_show(graph, step) for step in graph.items(alternatives)) + ")"
    return "[]"


def main(args: argparse.Namespace, settings: Settings) -> int:
    """``entente validate``: exit 0 when the data conforms, 1 when it does not."""
    path = data_path(args, settings)
    data = read_data(path)
    conforms, report, _text = validate_graph(data, args.shapes, args.inference)
    # (and what a single graph must hold, which the shapes on the union cannot see)
    names = Graph()
    _bind(names)
    rows = sorted({*(() if conforms else violations(report)),
                   *((_show(names, URIRef(focus)), _show(names, URIRef(result_path)), message)
                     for focus, result_path, message in graph_violations(path))})
    if not rows:
        print(f"{path}: conforms")
        return 0
    for focus, result_path, message in rows:
        print(f"{focus}\t{result_path}\t{message}")
    print(f"{path}: does not conform ({len(rows)} violations)", file=sys.stderr)
    return 1


def _bind(graph: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
