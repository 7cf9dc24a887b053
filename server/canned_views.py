"""Canned queries over HTTP: ``/queries``, ``/queries/<name>`` and ``/openapi.json``.

Query-string values are checked and bound by :mod:`entente.graph.canned` (a wrong type is a
400 naming the parameter) and handed to the engine as substitutions.  Results come in every
SPARQL result format (``format`` parameter or ``Accept``) or, for browsers, as an HTML form
with a results table and download links.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from entente.graph import canned
from entente.server.answer import (
    DOWNLOADS,
    MIN_CLIENT_TIMEOUT,
    CannedBinding,
    bind_canned,
    canned_params,
    check_named,
    html_preference,
    plan_canned,
    repeated,
)
from entente.server.engine import QueryRequest, get_engine
from entente.server.errors import BadRequest, NotAcceptable, NotFound
from entente.server.negotiation import (
    GRAPH_TYPES,
    RESULT_TYPES,
    SPARQL_JSON,
    format_values,
    parse_accept,
    quality,
)
from entente.server.page_queries import ACTOR_LABELS
from entente.server.rendering import select, term_view, wants_html
from entente.server.sparql import respond
from flask import Blueprint, Response, g, jsonify, render_template, request

from entente import __version__

bp = Blueprint("canned", __name__)

_QUERIES: dict[str, canned.CannedQuery] | None = None


def queries() -> dict[str, canned.CannedQuery]:
    """The bundled canned queries (read once per process: they ship with the package)."""
    global _QUERIES
    if _QUERIES is None:
        _QUERIES = canned.load_all()
    return _QUERIES


def describe(query: canned.CannedQuery) -> dict[str, Any]:
    """The JSON description of a canned query (as listed at /queries)."""
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "tags": list(query.tags),
        "params": [
            {"name": p.name, "type": p.type, "description": p.description,
             "required": p.required, "default": p.default,
             **({"values": list(p.values)} if p.values else {})}
            for p in query.params
        ],
        "url": f"/queries/{query.name}",
    }


#: what the list of canned queries is written in
_LISTING_TYPES = ("application/json", "text/html")


@bp.route("/queries")
def listing() -> Response:
    described = [describe(q) for q in queries().values()]
    if wants_html(("application/json",)):
        response = Response(render_template("queries.html", queries=described),
                            mimetype="text/html")
    else:
        fmt = request.args.get("format")
        if fmt and fmt.lower() != "json":
            raise BadRequest(f"format {fmt!r} is not available for the list; use json or html")
        accept = request.headers.get("Accept")
        if not fmt and accept and accept.strip():
            ranges = parse_accept(accept)
            if not any(quality(m, ranges) for m in _LISTING_TYPES):
                raise NotAcceptable(f"cannot produce any of the accepted types ({accept}) for "
                                    f"the list; available: {', '.join(_LISTING_TYPES)}",
                                    available=list(_LISTING_TYPES))
        response = jsonify({"queries": described})
    response.vary.add("Accept")
    return response


@bp.route("/queries/<name>")
def run(name: str) -> Response:
    query = queries().get(name)
    if query is None:
        raise NotFound(f"no canned query {name!r}; see /queries")
    g.entente_query_name = query.name  # the query-time histogram's label (/metrics)
    engine = get_engine()
    accept = request.headers.get("Accept")
    html = html_preference(request.args.get("format"), accept)
    if html is None:
        html = wants_html("SELECT")
    repeats = repeated(k for k, _ in request.args.items(multi=True))
    if not html:
        return respond(engine, plan_canned(query, request.args, accept, engine.settings.base,
                                           repeats, engine, request.host))
    raw = canned_params(request.args)
    args = request.args.to_dict()  # (first values: a repeated name is refused below)
    if not args.get("limit"):  # a page of a table for people; the downloads keep every row
        args["limit"] = str(HTML_PAGE_ROWS)
    try:
        bound = bind_canned(query, args, engine.settings.base, repeats, engine, request.host)
    except BadRequest as exc:
        return _form_page(query, raw, error=exc.message, status=400)
    return _form_page(query, raw, bound)


def _form_page(
    query: canned.CannedQuery,
    raw: dict[str, str],
    bound: CannedBinding | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    engine = get_engine()
    base = engine.settings.base
    variables: list[str] = []
    rows: list[dict[str, Any]] = []
    truncated = False
    next_page = next_link = None
    paging = {k: request.args[k] for k in ("limit", "offset") if request.args.get(k)}
    if bound is not None:
        result = engine.execute(QueryRequest(bound.text, media_type=SPARQL_JSON,
                                             substitutions=bound.substitutions,
                                             timeout=bound.timeout))
        if result.row_count == 0:
            try:
                check_named(engine, bound.named)
            except BadRequest as exc:
                return _form_page(query, raw, error=exc.message, status=400)
        data = json.loads(result.body)
        variables = data["head"]["vars"]
        rows = [{v: term_view(b.get(v), base) for v in variables}
                for b in data["results"]["bindings"]]
        truncated = result.truncated
        next_page = bound.page.next_url(result.row_count, truncated)
        next_link = bound.page.next_link(result.row_count, truncated)
    kept = {**{k: v for k, v in raw.items() if v}, **paging}
    actor_params = [p.name for p in query.params if p.type == "iri" and p.name not in
                    NOT_ACTORS]
    suggestions: list[str] = []
    if actor_params:
        # (the form's aid, not the request's query: left out of its log line and metrics,
        # which described the suggestions instead of the canned query)
        _, labels, _ = select(ACTOR_LABELS % {"limit": MAX_SUGGESTIONS}, {}, noted=False)
        suggestions = [row["label"]["value"] for row in labels]
    downloads = {fmt: f"/queries/{query.name}?{urlencode({**kept, 'format': fmt})}"
                 for fmt in DOWNLOADS}
    page = render_template(
        "query.html", query=describe(query), values=raw,
        text=query.text if bound is None else query.text_for(bound.substitutions), error=error,
        variables=variables, rows=rows, truncated=truncated, downloads=downloads,
        max_rows=engine.settings.max_rows, paging=paging, next_page=next_page,
        actor_params=actor_params, suggestions=suggestions, page_rows=HTML_PAGE_ROWS,
    )
    response = Response(page, status=status, mimetype="text/html")
    response.vary.add("Accept")
    if next_link is not None:  # (as every format's page: README, "Canned queries")
        response.headers["Link"] = next_link
    return response


# --- OpenAPI ------------------------------------------------------------------------------

_DATE_PATTERN = r"^-?\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
_ERROR_REF = {"$ref": "#/components/responses/Error"}
#: a canned query's 400: the JSON error, or its form page showing the error to a browser
_FORM_ERROR = {"description": "a wrong parameter: the JSON error, or the form page with it",
               "content": {"application/json": {"schema": {
                   "$ref": "#/components/schemas/Error"}}, "text/html": {}}}


def _schema(param: canned.Param) -> dict[str, Any]:
    schema: dict[str, Any]
    if param.type == "integer":
        schema = {"type": "integer"}
    elif param.type == "date":
        schema = {"type": "string", "pattern": _DATE_PATTERN,
                  "description": "xsd:gYear, xsd:gYearMonth or xsd:date"}
    elif param.type == "iri":
        schema = {"type": "string", "description": "an IRI (absolute, or base-relative "
                  "such as id/state/china) or a label of one resource (China)"}
    elif param.type == "enum":
        schema = {"type": "string", "enum": list(param.values)}
    else:
        schema = {"type": "string"}
    if param.default is not None:
        schema["default"] = int(param.default) if param.type == "integer" else param.default
    return schema


def _content(types: tuple[str, ...]) -> dict[str, Any]:
    return {media: {} for media in types}


#: the ``timeout`` query parameter (``answer.client_timeout``), for both kinds of query
TIMEOUT_PARAM = {
    "name": "timeout", "in": "query", "required": False,
    "description": "seconds the query may run; only shortens the server's limit",
    "schema": {"type": "number", "minimum": MIN_CLIENT_TIMEOUT},
}


#: rows of a form page's table when the request gives no limit (as Datasette's pages: the
#: next rows are a link away; a listing of 10,000 rows was a page of megabytes)
HTML_PAGE_ROWS = 100
#: IRI parameters that name no actor (their form fields get no actor suggestions)
NOT_ACTORS = frozenset({"document"})
#: actor labels suggested on a form page, at most
MAX_SUGGESTIONS = 5000

#: a canned query's page of rows (``canned.page``)
PAGE_PARAMS = [
    {"name": "limit", "in": "query", "required": False,
     "description": "at most this many rows (the row cap still applies); a full or cut page "
                    "links the next rows (Link: <...>; rel=\"next\")",
     "schema": {"type": "integer", "minimum": 0, "maximum": canned.MAX_PAGE_VALUE}},
    {"name": "offset", "in": "query", "required": False,
     "description": "skip this many rows of the query's order",
     "schema": {"type": "integer", "minimum": 0, "maximum": canned.MAX_PAGE_VALUE}},
]


def openapi_document() -> dict[str, Any]:
    """An OpenAPI 3.1 description of the canned queries and the SPARQL endpoint."""
    paths: dict[str, Any] = {}
    format_param = {
        "name": "format", "in": "query", "required": False,
        "description": "result format (overrides Accept)",
        "schema": {"type": "string", "enum": [*DOWNLOADS, "html"]},
    }
    for query in queries().values():
        parameters = [
            {"name": p.name, "in": "query", "required": p.required,
             "description": f"{p.description or p.name} (an empty value: the default)",
             "schema": _schema(p)}
            for p in query.params
        ]
        paths[f"/queries/{query.name}"] = {"get": {
            "operationId": query.name.replace("-", "_"),
            "summary": query.title,
            "description": query.description,
            "tags": ["canned queries", *query.tags],
            "parameters": [*parameters, format_param, TIMEOUT_PARAM, *PAGE_PARAMS],
            "responses": {
                "200": {"description": "SPARQL SELECT results (or an HTML form and table)",
                        "content": _content((*RESULT_TYPES, "text/html"))},
                "400": _FORM_ERROR, "406": _ERROR_REF, "503": _ERROR_REF,
            },
        }}
    paths["/queries"] = {"get": {
        "operationId": "list_queries", "summary": "The canned queries",
        "tags": ["canned queries"],
        "responses": {"200": {"description": "name, title, description, params and URL of each",
                              "content": {"application/json": {}, "text/html": {}}}},
    }}
    paths["/sparql"] = _sparql_path()
    paths["/data"] = _graph_store_path()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Entente",
            "version": __version__,
            "description": "An evidence-backed knowledge graph of international relations: "
                           "a SPARQL 1.1 endpoint and canned analyst queries.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": {"Error": {
                "type": "object", "required": ["error", "status"],
                "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
            }},
            "responses": {"Error": {
                "description": "An error, as one JSON shape",
                "content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/Error"}}},
            }},
        },
    }


def _sparql_path() -> dict[str, Any]:
    fmt = {"name": "format", "in": "query", "required": False,
           "description": "result format, overrides Accept: a short name (json, xml, csv, tsv "
                          "for SELECT/ASK; turtle, nt, jsonld, rdfxml, nq, trig for "
                          "CONSTRUCT/DESCRIBE and the service description) or a media type",
           "schema": {"type": "string", "enum": format_values()}}
    graphs = [
        {"name": "default-graph-uri", "in": "query", "required": False,
         "schema": {"type": "array", "items": {"type": "string", "format": "iri"}}},
        {"name": "named-graph-uri", "in": "query", "required": False,
         "schema": {"type": "array", "items": {"type": "string", "format": "iri"}}},
    ]
    output = {**fmt, "name": "output",
              "description": "Fuseki's name for 'format' (the same values; both given must agree)"}
    responses = {
        "200": {"description": "query results (SELECT/ASK) or an RDF graph (CONSTRUCT/DESCRIBE)",
                "content": _content((*RESULT_TYPES, *GRAPH_TYPES))},
        "400": _ERROR_REF, "406": _ERROR_REF, "413": _ERROR_REF, "415": _ERROR_REF,
        "503": _ERROR_REF,
    }
    return {
        "get": {
            "operationId": "sparql_get", "summary": "SPARQL 1.1 query (GET)",
            "tags": ["sparql"],
            "parameters": [{"name": "query", "in": "query", "required": False,
                            "description": "the query; without it, the service description",
                            "schema": {"type": "string", "minLength": 1}}, *graphs,
                           fmt, output, TIMEOUT_PARAM],
            "responses": responses,
        },
        "post": {
            "operationId": "sparql_post", "summary": "SPARQL 1.1 query (POST)",
            "tags": ["sparql"],
            "parameters": [*graphs, fmt, output, TIMEOUT_PARAM],
            "requestBody": {"required": True, "content": {
                "application/x-www-form-urlencoded": {"schema": {
                    "type": "object", "required": ["query"],
                    "properties": {"query": {"type": "string", "minLength": 1},
                                   "format": fmt["schema"], "output": fmt["schema"],
                                   "timeout": TIMEOUT_PARAM["schema"]},
                }},
                "application/sparql-query": {"schema": {"type": "string", "minLength": 1}},
            }},
            "responses": responses,
        },
    }


def _graph_store_path() -> dict[str, Any]:
    return {"get": {
        "operationId": "graph_store_get",
        "summary": "SPARQL 1.1 Graph Store HTTP Protocol: one graph (read-only)",
        "description": "?graph=IRI names a graph of the dataset; ?default is the default "
                       "graph (the union of the named graphs). Writes are 405.",
        "tags": ["sparql"],
        "parameters": [
            {"name": "graph", "in": "query", "required": False,
             "schema": {"type": "string", "format": "iri"}},
            {"name": "default", "in": "query", "required": False, "allowEmptyValue": True,
             "schema": {"type": "string"}},
            {"name": "format", "in": "query", "required": False,
             "schema": {"type": "string"}, "description": "graph format (overrides Accept)"},
        ],
        "responses": {
            "200": {"description": "the graph", "content": _content(GRAPH_TYPES)},
            "400": _ERROR_REF, "404": _ERROR_REF, "405": _ERROR_REF, "406": _ERROR_REF,
            "503": _ERROR_REF,
        },
    }}


@bp.route("/openapi.json")
def openapi() -> Response:
    response = jsonify(openapi_document())
    return response
