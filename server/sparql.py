"""The SPARQL 1.1 Protocol endpoint for queries: ``/sparql``.

GET with ``query=``; POST ``application/x-www-form-urlencoded``; POST
``application/sparql-query`` (other parameters in the URL); ``default-graph-uri`` and
``named-graph-uri`` (repeatable).  Results by ``format`` or ``Accept``.  A GET without a query
returns the Service Description to RDF clients and sends browsers to the query UI.
"""

from __future__ import annotations

from entente.server.answer import Plan, answer, plan_sparql, protocol_params, requested_format
from entente.server.cache import mark_cacheable
from entente.server.describe import service_description
from entente.server.engine import Backend, get_engine
from entente.server.errors import (
    BadRequest,
    NotAcceptable,
    UnsupportedMediaType,
    refuse_content_coding,
)
from entente.server.lexer import UPDATE_REFUSAL
from entente.server.negotiation import prefers_html
from flask import Blueprint, Response, redirect, request

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


def read_protocol() -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """(query, default graph IRIs, named graph IRIs) from the request, per the protocol."""
    args = request.args
    if request.method == "POST":
        refuse_content_coding(request.headers.get("Content-Encoding"))
        mimetype = request.mimetype
        if mimetype == QUERY_TYPE:
            if "query" in args or "update" in args:
                raise BadRequest("with application/sparql-query the query is the body; "
                                 "do not also send a 'query' or 'update' parameter")
            try:
                queries = [request.get_data(cache=True).decode("utf-8")]
            except UnicodeDecodeError as exc:
                raise BadRequest(f"the query body is not UTF-8 (byte {exc.start})") from None
            params = args
        elif mimetype == FORM:
            params = request.values  # body and URL, so a duplicate across both is caught
            queries = params.getlist("query")
        elif mimetype == UPDATE_TYPE:
            raise BadRequest(UPDATE_REFUSAL)
        else:
            shown = mimetype or "none"
            raise UnsupportedMediaType(
                f"cannot read a POST body of type {shown}; send {FORM} or {QUERY_TYPE}"
            )
    else:
        params = args
        queries = params.getlist("query")
    return protocol_params(queries, "update" in params,
                           tuple(params.getlist("default-graph-uri")),
                           tuple(params.getlist("named-graph-uri")))


def respond(engine: Backend, plan: Plan) -> Response:
    """Run a plan and answer it (see :func:`entente.server.answer.answer`); a GET's response
    may be replayed by the response cache."""
    done = answer(engine, plan)
    if request.method == "GET" and done.replayable:
        mark_cacheable(request.environ, done.about)
    return Response(done.result.body, status=200, headers=done.headers)


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    query, graphs, named = read_protocol()
    if query is None:
        if request.method == "POST":
            raise BadRequest("missing the 'query' parameter")
        fmt = requested_format(request.args.get("format"), request.args.get("output"))
        if fmt is None and prefers_html(request.headers.get("Accept"), "CONSTRUCT"):
            response = redirect("/", code=303)
        else:
            response = service_description(fmt)
        response.vary.add("Accept")  # the Accept header chose between the two
        return response
    engine = get_engine()
    params = request.values if request.mimetype == FORM else request.args
    try:
        fmt = requested_format(params.get("format"), params.get("output"))
        plan = plan_sparql(query, graphs, named, fmt,
                           request.headers.get("Accept"),
                           tuple(engine.settings.service_allowlist), params.get("timeout"))
    except NotAcceptable:
        malformed = engine.syntax_error(query)  # a broken query hears of its syntax first
        if malformed is not None:
            raise malformed from None
        raise
    return respond(engine, plan)
