"""The SPARQL 1.1 Protocol endpoint for queries: ``/sparql``.

GET with ``query=``; POST ``application/x-www-form-urlencoded``; POST
``application/sparql-query`` (other parameters in the URL); ``default-graph-uri`` and
``named-graph-uri`` (repeatable).  Results by ``format`` or ``Accept``.  A GET without a query
returns the Service Description to RDF clients and sends browsers to the query UI.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from entente.server.cache import Cacheable, mark_cacheable
from entente.server.describe import service_description
from entente.server.engine import QueryRequest, QueryResult, checked_form, get_engine
from entente.server.errors import BadRequest, UnsupportedMediaType
from entente.server.lexer import UPDATE_REFUSAL
from entente.server.negotiation import choose
from flask import Blueprint, Response, redirect, request

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise BadRequest(f"the {name!r} parameter was given {len(values)} times; give it once")
    return values[0] if values else None


def read_protocol() -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """(query, default graph IRIs, named graph IRIs) from the request, per the protocol."""
    args = request.args
    if request.method == "POST":
        mimetype = request.mimetype
        if mimetype == QUERY_TYPE:
            if "query" in args or "update" in args:
                raise BadRequest("with application/sparql-query the query is the body; "
                                 "do not also send a 'query' or 'update' parameter")
            try:
                query: str | None = request.get_data(cache=True).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise BadRequest(f"the query body is not UTF-8 (byte {exc.start})") from None
            params = args
        elif mimetype == FORM:
            params = request.values  # body and URL, so a duplicate across both is caught
            query = _one(params.getlist("query"), "query")
        elif mimetype == UPDATE_TYPE:
            raise BadRequest(UPDATE_REFUSAL)
        else:
            shown = mimetype or "none"
            raise UnsupportedMediaType(
                f"cannot read a POST body of type {shown}; send {FORM} or {QUERY_TYPE}"
            )
    else:
        params = args
        query = _one(params.getlist("query"), "query")
    if "update" in params:
        if query is not None:
            raise BadRequest("a request may carry a query or an update, not both")
        raise BadRequest(UPDATE_REFUSAL)
    graphs = tuple(params.getlist("default-graph-uri"))
    named = tuple(params.getlist("named-graph-uri"))
    for iri in (*graphs, *named):
        if not iri or any(c in iri for c in '<>" {}|\\^`') or ":" not in iri:
            raise BadRequest(f"not an absolute IRI in a graph parameter: {iri!r}")
    return query, graphs, named


def result_response(result: QueryResult, max_rows: int) -> Response:
    """The HTTP response for an engine result (headers for caching and truncation)."""
    mimetype = result.media_type
    text_like = mimetype.startswith("text/") or "json" in mimetype or "xml" in mimetype
    headers = [("Content-Type", f"{mimetype}; charset=utf-8" if text_like else mimetype),
               ("X-Cache", "hit" if result.cached else "miss"),
               ("X-Store-Version", result.store_version), ("Vary", "Accept")]
    if result.truncated:
        headers += [("X-SPARQL-Truncated", "true"), ("X-SPARQL-Max-Rows", str(max_rows))]
    return Response(result.body, status=200, headers=headers)


def allow_replay(result: QueryResult, query: str) -> None:
    """Let the response cache replay this GET's response (it depends only on the URL, Accept
    and Origin); the access-log facts of the query go with it."""
    if request.method == "GET":
        mark_cacheable(request.environ, Cacheable(
            version=result.store_version, endpoint=request.endpoint or "unmatched",
            query_hash=query_hash(query), rows=result.row_count, truncated=result.truncated))


@lru_cache(maxsize=256)
def query_hash(query: str) -> str:
    """The short hash of a query text the logs and the response cache record."""
    return hashlib.sha256(query.encode()).hexdigest()[:12]


def _prefers_html() -> bool:
    accept = request.accept_mimetypes
    return accept["text/html"] > max(accept["text/turtle"], accept["application/rdf+xml"],
                                     accept["application/ld+json"])


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    query, graphs, named = read_protocol()
    if query is None:
        if request.method == "POST":
            raise BadRequest("missing the 'query' parameter")
        if request.args.get("format") is None and _prefers_html():
            return redirect("/", code=303)
        return service_description()
    engine = get_engine()
    form = checked_form(query, tuple(engine.settings.service_allowlist))
    fmt = request.values.get("format") if request.mimetype == FORM else request.args.get("format")
    media = choose(request.headers.get("Accept"), fmt, form)
    result = engine.execute(
        QueryRequest(query, media_type=media, default_graph_uris=graphs, named_graph_uris=named)
    )
    allow_replay(result, query)
    return result_response(result, engine.settings.max_rows)
