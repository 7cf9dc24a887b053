"""Self-description: the SPARQL Service Description, the VoID description and the dump.

The VoID statistics are computed from the data (SPARQL aggregates through the engine, so the
limits apply) once per store version and kept until the store changes.
"""

from __future__ import annotations

import threading
from typing import Any

from entente.graph.namespaces import ENT, PREFIXES, SD
from entente.server.engine import QueryRequest, get_engine
from entente.server.errors import NotFound
from entente.server.negotiation import (
    FORMAT_IRIS,
    GRAPH_TYPES,
    JSON_LD,
    N_QUADS,
    N_TRIPLES,
    RDF_XML,
    RESULT_TYPES,
    SPARQL_JSON,
    TRIG,
    TURTLE,
    choose,
)
from flask import Blueprint, Response, current_app, render_template, request, send_file
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, VOID, XSD

from entente.jsonld import compact

bp = Blueprint("describe", __name__)

LICENSE = "https://creativecommons.org/licenses/by/4.0/"
TITLE = "Entente: an evidence-backed knowledge graph of international relations"
DESCRIPTION = ("Claims that policy analyses, news and assessments make about international "
               "relations (states, organizations, agreements, events, people), each with who "
               "makes it, how sure it is, whether it is negated, when it holds and the "
               "sentence that supports it")
_RDFLIB_FORMATS = {TURTLE: "turtle", N_TRIPLES: "nt", JSON_LD: "json-ld", RDF_XML: "xml",
                   N_QUADS: "nquads", TRIG: "trig"}
_VOID_KEY = "entente.void"


def rdf_response(graph: Graph, fmt: str | None = None) -> Response:
    """``graph`` in the negotiated RDF format (Turtle by default).  N-Quads and TriG (dataset
    formats) carry it as their default graph, as /sparql writes a CONSTRUCT."""
    media = choose(request.headers.get("Accept"), fmt or request.args.get("format"), "CONSTRUCT")
    if media in (N_QUADS, TRIG):  # rdflib writes these only from a context-aware store
        dataset = Dataset()
        for triple in graph:
            dataset.add(triple)
        graph = dataset
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    body = graph.serialize(format=_RDFLIB_FORMATS[media], encoding="utf-8")
    if media == JSON_LD:  # rdflib writes it expanded
        body = compact(body, get_engine().jsonld_context)
    elif media in (N_TRIPLES, N_QUADS):  # one statement a line, in rdflib's hash order:
        # sorted, the same bytes (and ETag) from every process for the same graph
        body = b"".join(line + b"\n" for line in sorted(body.splitlines()) if line)
    response = Response(body, content_type=f"{media}; charset=utf-8")
    response.vary.add("Accept")
    return response


def _root() -> str:
    return request.url_root  # ends with "/"


def _dataset_iri() -> URIRef:
    return URIRef(get_engine().settings.base + ".well-known/void#dataset")


def service_description(fmt: str | None = None) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint (``fmt``: a ``format`` value)."""
    root = _root()
    service = URIRef(root + "sparql#service")
    dataset = _dataset_iri()  # the VoID dataset is the service's default dataset
    default_graph = URIRef(root + "sparql#default-graph")
    g = Graph()
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(root + "sparql")))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if get_engine().settings.update_enabled:  # a service of its own: /sparql refuses updates
        updates = URIRef(root + "update#service")
        g.add((updates, RDF.type, SD.Service))
        g.add((updates, SD.endpoint, URIRef(root + "update")))
        g.add((updates, SD.supportedLanguage, SD.SPARQL11Update))
        g.add((updates, SD.feature, SD.UnionDefaultGraph))
        g.add((updates, SD.defaultDataset, dataset))
    for media in (*RESULT_TYPES, *GRAPH_TYPES):
        g.add((service, SD.resultFormat, URIRef(FORMAT_IRIS[media])))
    g.add((service, SD.feature, SD.UnionDefaultGraph))  # not BasicFederatedQuery: refused
    g.add((service, SD.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, DCTERMS.title, Literal(TITLE, lang="en")))
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    g.add((default_graph, DCTERMS.description, Literal(
        "The union of all named graphs (unless the request names graphs); a triple that "
        "several graphs hold is matched once per graph", lang="en")))
    # the dataset -> service link is VoID's (void:sparqlEndpoint); the full VoID document
    g.add((dataset, VOID.sparqlEndpoint, URIRef(root + "sparql")))
    g.add((dataset, RDFS.seeAlso, URIRef(root + ".well-known/void")))
    _named_graphs(g, dataset, root, _statistics()["graphs"])
    return rdf_response(g, fmt)


def _named_graphs(g: Graph, dataset: URIRef, root: str, graphs: list[tuple[str, int]]) -> None:
    """Each named graph of ``dataset`` per the Service Description (``sd:namedGraph`` [ a
    sd:NamedGraph; sd:name G; sd:graph S ]) and S, the graph itself, per VoID too: a subset
    (``void:subset``) of type ``sd:Graph`` and ``void:Dataset`` with its ``void:triples``.
    The subsets have the same IRIs in the Service Description and in VoID."""
    subsets = str(_dataset_iri()).rsplit("#", 1)[0]
    for index, (graph_iri, triples) in enumerate(graphs, start=1):
        node = URIRef(f"{root}sparql#named-graph-{index}")
        g.add((dataset, SD.namedGraph, node))
        g.add((node, RDF.type, SD.NamedGraph))
        g.add((node, SD.name, URIRef(graph_iri)))
        part = URIRef(f"{subsets}#graph-{index}")
        g.add((node, SD.graph, part))
        g.add((dataset, VOID.subset, part))
        g.add((part, RDF.type, SD.Graph))
        g.add((part, RDF.type, VOID.Dataset))
        g.add((part, VOID.triples, Literal(triples, datatype=XSD.integer)))
        g.add((part, VOID.sparqlEndpoint, URIRef(root + "sparql")))


# --- statistics -------------------------------------------------------------------------

_QUERIES = {
    "totals": """SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects)
        (COUNT(DISTINCT ?o) AS ?objects) (COUNT(DISTINCT ?p) AS ?properties)
        WHERE { GRAPH ?g { ?s ?p ?o } }""",
    "classes": """SELECT ?class (COUNT(DISTINCT ?s) AS ?n)
        WHERE { GRAPH ?g { ?s a ?class } } GROUP BY ?class ORDER BY ?class""",
    "properties": """SELECT ?property (COUNT(*) AS ?n)
        WHERE { GRAPH ?g { ?s ?property ?o } } GROUP BY ?property ORDER BY ?property""",
    "graphs": """SELECT ?graph (COUNT(*) AS ?n)
        WHERE { GRAPH ?graph { ?s ?p ?o } } GROUP BY ?graph ORDER BY ?graph""",
    "known": """SELECT DISTINCT ?r WHERE { VALUES ?r { %s } ?r a ?class } ORDER BY ?r""",
    "first": """SELECT ?r WHERE { ?r a <%s> } ORDER BY ?r LIMIT 1""",
    # the owl:sameAs links to each external dataset of :data:`LINK_TARGETS` (distinct: a link
    # that several graphs hold is one link)
    "links": """SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?o WHERE {
        GRAPH ?g { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o }
        FILTER(STRSTARTS(STR(?o), "%s")) } }""",
}

#: The external datasets Entente links its entities to: (fragment, title, URI space,
#: homepage); VoID describes each set of owl:sameAs links as a void:Linkset.
LINK_TARGETS = (
    ("wikidata", "Wikidata", "http://www.wikidata.org/entity/", "https://www.wikidata.org/"),
    ("dbpedia", "DBpedia", "http://dbpedia.org/resource/", "https://www.dbpedia.org/"),
)


def _select(query: str) -> list[dict[str, str]]:
    import json

    result = get_engine().execute(
        QueryRequest(query, media_type=SPARQL_JSON, max_rows=10_000_000)
    )
    rows = json.loads(result.body)["results"]["bindings"]
    return [{k: v["value"] for k, v in row.items()} for row in rows]


_lock = threading.Lock()


def _statistics() -> dict[str, Any]:
    """Counts for VoID and the service description, computed once per store version."""
    engine = get_engine()
    version = engine.version
    cached = current_app.extensions.get(_VOID_KEY)
    if cached and cached["version"] == version:
        return cached
    with _lock:
        totals = _select(_QUERIES["totals"])[0]
        stats: dict[str, Any] = {
            "version": version,
            "triples": int(totals["triples"]),
            "subjects": int(totals["subjects"]),
            "objects": int(totals["objects"]),
            "properties": int(totals["properties"]),
            "classes": [(r["class"], int(r["n"])) for r in _select(_QUERIES["classes"])],
            "property_partitions": [
                (r["property"], int(r["n"])) for r in _select(_QUERIES["properties"])
            ],
            "graphs": [(r["graph"], int(r["n"])) for r in _select(_QUERIES["graphs"])],
        }
        stats["examples"] = _examples(engine.settings.base)
        stats["links"] = {name: int(_select(_QUERIES["links"] % space)[0]["n"])
                          for name, _, space, _ in LINK_TARGETS}
        current_app.extensions[_VOID_KEY] = stats
    return stats


def _examples(base: str) -> list[str]:
    """A state, an organization and an assertion, when the data has them."""
    wanted = " ".join(f"<{base}id/{path}>" for path in ("state/china", "org/sco"))
    picks = [r["r"] for r in _select(_QUERIES["known"] % wanted)]
    picks += [r["r"] for r in _select(_QUERIES["first"] % ENT.Assertion)]
    return picks


def void_graph() -> Graph:
    """The VoID description of the dataset, from the data."""
    stats = _statistics()
    engine = get_engine()
    root = _root()
    ds = _dataset_iri()
    g = Graph()
    integer = XSD.integer
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, SD.Dataset))  # its named graphs are described with sd:namedGraph
    g.add((ds, DCTERMS.title, Literal(TITLE, lang="en")))
    g.add((ds, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    g.add((ds, DCTERMS.license, URIRef(LICENSE)))
    # the store version: a literal, so owl:versionInfo (dcterms:hasVersion relates two
    # resources, and no resource names a store version)
    g.add((ds, OWL.versionInfo, Literal(engine.version)))
    g.add((ds, VOID.sparqlEndpoint, URIRef(root + "sparql")))
    g.add((ds, VOID.dataDump, URIRef(root + "dump.nq")))
    g.add((ds, VOID.feature, URIRef(FORMAT_IRIS[N_QUADS])))  # the dump's format
    g.add((ds, VOID.uriSpace, Literal(engine.settings.base + "id/")))
    g.add((ds, VOID.triples, Literal(stats["triples"], datatype=integer)))
    g.add((ds, VOID.distinctSubjects, Literal(stats["subjects"], datatype=integer)))
    g.add((ds, VOID.distinctObjects, Literal(stats["objects"], datatype=integer)))
    g.add((ds, VOID.properties, Literal(stats["properties"], datatype=integer)))
    g.add((ds, VOID.classes, Literal(len(stats["classes"]), datatype=integer)))
    used = [c for c, _ in stats["classes"]] + [p for p, _ in stats["property_partitions"]]
    for ns in sorted({ns for ns in PREFIXES.values() if any(t.startswith(ns) for t in used)}):
        g.add((ds, VOID.vocabulary, URIRef(ns)))
    for iri in stats["examples"]:
        g.add((ds, VOID.exampleResource, URIRef(iri)))
    base = str(ds).rsplit("#", 1)[0]
    for index, (cls, n) in enumerate(stats["classes"], start=1):
        part = URIRef(f"{base}#class-{index}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(n, datatype=integer)))
    for index, (prop, n) in enumerate(stats["property_partitions"], start=1):
        part = URIRef(f"{base}#property-{index}")
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop)))
        g.add((part, VOID.triples, Literal(n, datatype=integer)))
    # a subset per named graph: the graph (sd:Graph, void:Dataset), named by an
    # sd:NamedGraph (sd:name's domain), not by sd:name on the subset itself
    _named_graphs(g, ds, root, stats["graphs"])
    _linksets(g, ds, base, stats["links"])
    return g


def _linksets(g: Graph, ds: URIRef, base: str, links: dict[str, int]) -> None:
    """The owl:sameAs links to each external dataset as a void:Linkset (VoID, 4.1), a subset
    of ``ds``; the target described by its URI space and homepage."""
    for name, title, space, homepage in LINK_TARGETS:
        if not links.get(name):
            continue
        target, linkset = URIRef(f"{base}#{name}"), URIRef(f"{base}#links-{name}")
        g.add((target, RDF.type, VOID.Dataset))
        g.add((target, DCTERMS.title, Literal(title, lang="en")))
        g.add((target, VOID.uriSpace, Literal(space)))
        g.add((target, FOAF.homepage, URIRef(homepage)))
        g.add((ds, VOID.subset, linkset))
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, VOID.linkPredicate, OWL.sameAs))
        g.add((linkset, VOID.subjectsTarget, ds))
        g.add((linkset, VOID.objectsTarget, target))
        g.add((linkset, VOID.triples, Literal(links[name], datatype=XSD.integer)))


@bp.route("/.well-known/void")
def void() -> Response:
    """VoID in the negotiated RDF format; a browser gets its Turtle on a page (it asked for
    text/html first, and took RDF/XML for its application/xml)."""
    from entente.server.rendering import ALTERNATES, wants_html

    graph = void_graph()
    if not wants_html("CONSTRUCT"):
        return rdf_response(graph)
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    page = render_template(
        "bundled.html", iri=str(_dataset_iri()), title="VoID description of the dataset",
        blurb="What the dataset holds (counts per class, property and graph), where to query "
        'it and download it, and its links to other datasets (<a href="https://www.w3.org/TR/'
        'void/">VoID</a>).', source=graph.serialize(format="turtle"),
        alternates=ALTERNATES, path=request.path)
    response = Response(page, mimetype="text/html")
    response.vary.add("Accept")
    return response


@bp.route("/dump.nq")
def dump() -> Response:
    """The whole dataset as canonical N-Quads (the file the build published)."""
    info = get_engine().info
    if not info.dump_path.is_file():
        raise NotFound(f"this store version has no dump ({info.dump_path.name} is missing)")
    response = send_file(
        info.dump_path, mimetype=N_QUADS, as_attachment=True,
        download_name=f"entente-{info.version}.nq", conditional=True, etag=info.version,
    )
    response.headers["X-Store-Version"] = info.version
    return response
