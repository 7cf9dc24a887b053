"""The bundled documents: the ontology (its documentation page to browsers, its graph to RDF
clients, by version: ``/ontology``, ``/ontology/<version>``), the SHACL shapes (``/shapes``) and
the reference entities (``/ontology/entities``).  RDF by content negotiation, with the same
``Vary`` and ``Link: rel="alternate"`` headers as the resource pages
(:mod:`entente.server.pages`, which also describes the ontology's IRI when a store has no
documentation page for it).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib.resources import files
from typing import Any

from entente.server.answer import truncation_headers
from entente.server.engine import QueryRequest, get_engine
from entente.server.errors import NotFound
from entente.server.media import N_TRIPLES
from entente.server.negotiation import parse_accept
from entente.server.page_queries import GRAPH_CONTENT, VERSIONS
from entente.server.pages import PROJECT_IRI, describe
from entente.server.rendering import (
    ALTERNATES,
    GENID,
    SHAPES_IRI,
    check_iri,
    graph_media,
    negotiated_headers,
    select,
    settings,
    wants_html,
)
from flask import Blueprint, Response, current_app, render_template, request

from entente.config import ONTOLOGY_IRI

bp = Blueprint("documents", __name__)

#: the bundled reference entities file (ontology/entities.ttl), served at /ontology/entities
ENTITIES_IRI = f"{ONTOLOGY_IRI}/entities"


@bp.route("/ontology")
def ontology() -> Response:
    return _ontology(request.path)


#: prior versions of the ontology, bundled as they were last published (version -> file):
#: what ``owl:priorVersion`` names resolves
PRIOR_VERSIONS = {"0.1.0": "entente-0.1.0.ttl"}


@bp.route("/ontology/<path:version>")
def ontology_version(version: str) -> Response:
    """The ontology's ``owl:versionIRI`` (``{ONTOLOGY_IRI}/0.2.0``): the ontology, as
    ``/ontology`` serves it, when the store's ontology has that version IRI; a prior version
    of :data:`PRIOR_VERSIONS` from its bundled file; 404 for any other version."""
    iri = ONTOLOGY_IRI + "/" + version
    check_iri(iri)
    _, rows, _ = select(VERSIONS, {"graph": ("iri", settings().base + "graph/ontology"),
                                   "ontology": ("iri", ONTOLOGY_IRI)})
    known = sorted(row["version"]["value"] for row in rows)
    if iri in known:
        return _ontology(request.path)
    if version in PRIOR_VERSIONS:  # the current one's owl:priorVersion resolves
        return _bundled_turtle(
            PRIOR_VERSIONS[version], iri, f"Entente ontology {version} (a prior version)",
            f'The ontology as it was when version {version} was replaced; the current one is '
            '<a href="/ontology">here</a>.', owl=True)
    held = [*known, *(f"{ONTOLOGY_IRI}/{v}" for v in PRIOR_VERSIONS)]
    raise NotFound(f"no ontology version {iri} (this server has {', '.join(held)})")


@bp.route("/shapes")
def shapes() -> Response:
    """The SHACL shapes graph (``ontology/shapes.ttl``, the IRI ``{SHAPES_IRI}``): RDF by
    content negotiation, or its Turtle source on a page."""
    return _bundled_turtle(
        "shapes.ttl", SHAPES_IRI, "Entente SHACL shapes",
        "The structural constraints <code>entente validate</code> checks the data against "
        '(<a href="/ontology">the ontology</a> says what the terms mean).')


@bp.route("/ontology/entities")
def entities_source() -> Response:
    """The bundled reference entities file (``ontology/entities.ttl``), the source the build
    records for the graph ``graph/entities``: RDF by content negotiation (the document of
    :func:`entities_document`), or its Turtle source on a page."""
    return _bundled_turtle(
        "entities.ttl", ENTITIES_IRI, "Entente reference entities",
        "The states, organisations, people and events Entente knows before it reads a text, "
        "with their labels and <code>owl:sameAs</code> links; the build loads them into the "
        '<a href="/graph/entities">entities graph</a>.', document=entities_document, owl=True)


@bp.route("/ontology/entities/<version>")
def entities_version(version: str) -> Response:
    """The entities document's ``owl:versionIRI`` (``{ENTITIES_IRI}/0.2.0``, the ontology's
    version): the same document; 404 for any other version."""
    check_iri(f"{ENTITIES_IRI}/{version}")
    current = entities_version_info()
    if version != current:
        raise NotFound(f"no entities version {ENTITIES_IRI}/{version} (this server has "
                       f"{ENTITIES_IRI}/{current})")
    return entities_source()


def entities_version_info() -> str:
    """The version of the bundled ontology (``owl:versionInfo`` of ``entente.ttl``), which
    the entities document takes as its own."""
    return _ontology_header()[0]


@functools.lru_cache(maxsize=1)
def _ontology_header() -> tuple[str, tuple[str, ...]]:
    """The bundled ontology's ``owl:versionInfo`` and ``dcterms:license`` values."""
    from rdflib import DCTERMS, OWL, Graph, URIRef

    graph = Graph().parse(data=_bundled_source("entente.ttl"), format="turtle")
    this = URIRef(ONTOLOGY_IRI)
    return (str(graph.value(this, OWL.versionInfo)),
            tuple(sorted(str(o) for o in graph.objects(this, DCTERMS.license))))


@functools.lru_cache(maxsize=4)
def entities_document(base: str) -> Any:
    """The OWL document served at :data:`ENTITIES_IRI`: ``entities.ttl``, its relative IRIs
    resolved against ``base``, as an ontology of its own that imports the one declaring its
    terms (an OWL tool -- Protégé, the OWL API -- read its relations as annotations and its
    classes as undeclared, 1,818 OWL 2 DL violations, without it), labelled, with the bundled
    ontology's version (``{ENTITIES_IRI}/{version}``, ``owl:versionInfo``) and licence
    (``dcterms:license``).  ``scripts/write-entities-owl.py`` writes it to a file, for
    Protégé offline (``ontology/catalog-v001.xml`` maps its import to ``entente.ttl``).
    Built once per base and shared, as :func:`_bundled_graph` is: callers serialise it, never
    change it."""
    from rdflib import DCTERMS, OWL, RDF, RDFS, Graph, Literal, URIRef

    version, licences = _ontology_header()
    this = URIRef(ENTITIES_IRI)
    graph = _bundled_graph("entities.ttl", base) + Graph()  # (a copy: the parse is cached)
    graph.add((this, RDF.type, OWL.Ontology))
    graph.add((this, RDFS.label, Literal("Entente reference entities", lang="en")))
    graph.add((this, OWL.versionIRI, URIRef(f"{ENTITIES_IRI}/{version}")))
    graph.add((this, OWL.versionInfo, Literal(version)))
    for licence in licences:
        graph.add((this, DCTERMS.license, URIRef(licence)))
    graph.add((this, OWL.imports, URIRef(ONTOLOGY_IRI)))
    return graph


def _bundled_turtle(name: str, iri: str, title: str, blurb: str,
                    document: Callable[[str], Any] | None = None,
                    owl: bool = False) -> Response:
    """A Turtle file bundled in ``entente.ontology`` as a resource: its graph to RDF clients
    (``document(base)`` instead when given), its source on a page to browsers (parsed with
    rdflib: the server loads no graph/ code beyond the namespaces, the store and the canned
    queries).  With ``owl`` (an OWL document) a client that names no format gets RDF/XML
    (:func:`_owl_default`)."""
    from entente.server.describe import rdf_response

    if not wants_html("CONSTRUCT"):
        base = settings().base
        graph = document(base) if document is not None else _bundled_graph(name, base)
        response = rdf_response(graph, _owl_default() if owl else None)
    else:
        page = render_template("bundled.html", iri=iri, title=title, blurb=blurb,
                               source=_bundled_source(name), alternates=ALTERNATES,
                               path=request.path)
        response = Response(page, mimetype="text/html")
    negotiated_headers(response, request.path)
    return response


@functools.lru_cache(maxsize=4)
def _bundled_source(name: str) -> str:
    """A bundled file's text (read once: the package's files do not change while serving)."""
    return (files("entente.ontology") / name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=4)
def _bundled_graph(name: str, base: str) -> Any:
    """A bundled Turtle file's graph, parsed once, its relative IRIs (``entities.ttl``:
    ``<id/state/china>``) resolved against the base IRI, as the build resolves them (rdflib
    would take the server's working directory: ``file:///.../id/state/china``)."""
    from rdflib import BNode, Graph
    from rdflib.compare import to_canonical_graph

    parsed = Graph().parse(data=_bundled_source(name), format="turtle", publicID=base)
    # the same bytes from every worker process: the parser labels blank nodes at random
    # (shapes.ttl's property shapes and lists), so they are labelled from the graph's shape
    # (an audit saw two N-Triples bodies, two ETags; describe.rdf_response sorts the lines)
    if any(isinstance(term, BNode) for triple in parsed for term in triple):
        parsed = to_canonical_graph(parsed)
    # (put in in one order: the XML and JSON-LD writers follow it, workers being forks with
    # one hash seed; a graph of its own, as to_canonical_graph's takes no prefix bindings)
    graph = Graph()
    for triple in sorted(parsed, key=lambda t: tuple(term.n3() for term in t)):
        graph.add(triple)
    return graph


def _ontology(path: str) -> Response:
    """The ontology: its documentation page to browsers, its graph to RDF clients."""
    base = settings().base
    if not wants_html("CONSTRUCT"):
        from entente.server.describe import rdf_response

        graph_media()  # (a 406 before the query)
        result = get_engine().execute(QueryRequest(
            GRAPH_CONTENT, media_type=N_TRIPLES,
            substitutions={"graph": ("iri", base + "graph/ontology")},
        ))
        if result.row_count == 0:
            raise NotFound("the ontology graph is empty in this store")
        response = rdf_response(_unskolemised(result.body, base + GENID), _owl_default())
        negotiated_headers(response, path)
        response.headers["X-Store-Version"] = result.store_version
        for key, value in truncation_headers(result, settings().max_rows):
            response.headers[key] = value
        return response
    info = get_engine().info
    try:
        page = info.ontology_html.read_bytes()
    except OSError:
        current_app.logger.warning("no ontology documentation at %s", info.ontology_html)
        return describe(ONTOLOGY_IRI, path)
    # (its links to the project, the ontology and its versions: to this server's pages, as
    # every other page's; they left the site for entente.example.org)
    page = page.replace(f'href="{PROJECT_IRI.removesuffix("#project")}'.encode(), b'href="/')
    response = Response(page, mimetype="text/html")
    negotiated_headers(response, path)
    return response


def _owl_default() -> str | None:
    """``rdfxml`` (OWL 2's one exchange syntax every OWL tool reads) for a client that names
    no format: no ``format``, and no ``Accept`` header or only ``*/*`` (owlready2's
    ``get_ontology(url).load()`` sends none, and failed on the Turtle it was given); None
    otherwise, for the negotiation every page has."""
    if request.args.get("format") is not None:
        return None
    ranges = parse_accept(request.headers.get("Accept") or "")
    return "rdfxml" if all(media == "*/*" for media, _, _ in ranges) else None


def _unskolemised(ntriples: bytes, genid: str) -> Any:
    """The N-Triples ``ntriples`` as a graph whose Skolem IRIs (under ``genid``) are blank
    nodes again (RDF 1.1, 3.5): the build names the ontology's blank nodes to keep its dump
    deterministic, but the OWL document at the ontology's IRI is OWL's RDF mapping, whose
    class expressions, lists and ``owl:AllDisjointClasses`` are blank nodes (owlready2 took
    each Skolem IRI for a named class with no definition)."""
    from rdflib import BNode, Graph, URIRef

    graph = Graph()
    for triple in Graph().parse(data=ntriples, format="nt"):
        graph.add(tuple(BNode("g" + t[len(genid):])  # (an NCName: RDF/XML's rdf:nodeID)
                        if isinstance(t, URIRef) and t.startswith(genid) else t
                        for t in triple))
    return graph
