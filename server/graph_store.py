"""The SPARQL 1.1 Graph Store HTTP Protocol, its read side: ``GET /data?graph=IRI`` and
``GET /data?default``.

What Fuseki serves at ``/{dataset}/data`` (and ``/get``) and Oxigraph at ``/store``: a client
that fetches a graph by its name (Jena's ``RDFConnection.fetch``, rdflib, ``curl``) gets it
in any graph format by content negotiation (Turtle by default; N-Quads and TriG carry it as
their default graph, as ``/sparql`` writes a CONSTRUCT).  Any graph IRI of the dataset
works, minted here or not; ``/graph/<path>`` serves the minted ones as pages.

- ``?default`` is the service's default graph: the union of the named graphs, as at
  ``/sparql`` (``sd:UnionDefaultGraph``);
- an absent graph is a 404 (protocol section 5.2), a request naming no graph, both, or one
  twice a 400;
- the row cap applies as on ``/sparql`` and the pages, and a graph cut at it says so
  (``X-SPARQL-Truncated``, ``X-SPARQL-Max-Rows``); ``/dump.nq`` is the whole dataset;
- writes (PUT, POST, DELETE) are a 405: the store is what ``entente build`` published, and
  changes go through SPARQL Update at ``/update`` when it is enabled.

The graph IRI is a substitution, never pasted into the query.
"""

from __future__ import annotations

from entente.server.answer import graph_content, is_absolute_iri, truncation_headers
from entente.server.engine import QueryRequest, get_engine
from entente.server.errors import BadRequest, MethodNotAllowed, NotFound
from entente.server.negotiation import choose
from entente.server.page_queries import GRAPH_CONTENT
from flask import Blueprint, Response, request

bp = Blueprint("graph_store", __name__)

DEFAULT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
_WRITES = ("PUT", "POST", "DELETE", "PATCH")


#: the methods /data answers (OPTIONS says so; the writes are a 405 that says why)
_ALLOW = "GET, HEAD, OPTIONS"


@bp.route("/data", methods=["GET", "OPTIONS", *_WRITES], provide_automatic_options=False)
def graph_store() -> Response:
    if request.method == "OPTIONS":  # (Flask's own listed the writes it refuses)
        return Response(status=200, headers={"Allow": _ALLOW})
    if request.method in _WRITES:
        error = MethodNotAllowed(
            f"the graph store is read-only here ({request.method} refused): the store is what "
            "entente build published; SPARQL Update is at /update when it is enabled")
        error.headers["Allow"] = _ALLOW
        raise error
    graphs = request.args.getlist("graph")
    default = "default" in request.args
    if len(graphs) > 1:
        raise BadRequest(f"the 'graph' parameter was given {len(graphs)} times; give it once",
                         parameter="graph")
    if default == bool(graphs):
        raise BadRequest("name one graph: ?graph=IRI, or ?default for the default graph "
                         "(the union of the named graphs)")
    media = choose(request.headers.get("Accept"), request.args.get("format"), "CONSTRUCT")
    engine = get_engine()
    if default:
        result = engine.execute(QueryRequest(DEFAULT, media_type=media))
    else:
        iri = graphs[0]
        if not is_absolute_iri(iri) or any(ord(c) < 0x20 for c in iri):
            raise BadRequest(f"not an absolute IRI: {iri!r}", parameter="graph")
        result = graph_content(engine, GRAPH_CONTENT, iri, media)
        if result.row_count == 0:  # (a graph of a quad store is there while it has triples)
            raise NotFound(f"no graph {iri} in this dataset")
    response = Response(result.body, status=200,
                        content_type=f"{result.media_type}; charset=utf-8")
    response.vary.add("Accept")
    response.headers["X-Store-Version"] = result.store_version
    for key, value in truncation_headers(result, engine.settings.max_rows):
        response.headers[key] = value
    return response
