"""Answering a query request: the steps the Flask views and the WSGI fast path share.

``GET /queries/<name>`` and ``GET /sparql`` are answered by their Flask views
(:mod:`entente.server.canned_views`, :mod:`entente.server.sparql`) and, in the common case,
by the fast path in front of Flask (:mod:`entente.server.fastpath`).  Both call these
functions, so a request is checked, planned, run and turned into headers in one place:

- :func:`html_preference` -- does a canned-query request ask for the HTML form page?
- :func:`plan_canned` / :func:`plan_sparql` -- check the parameters and choose the format:
  a :class:`Plan` (the engine request and what its response needs), or an ApiError;
- :func:`protocol_params` -- the SPARQL protocol's rules on ``query``, ``update`` and the
  graph IRIs, whichever way the parameters were read;
- :func:`answer` -- run a plan: the result, its response headers and the facts the response
  cache and the access log record (:class:`~entente.server.cache.Cacheable`);
- :func:`edge_headers` and :func:`access_line` -- what the app adds to every response
  (security headers, CORS) and the access-log line, for answers that do not pass Flask.

Nothing here touches Flask's request: every function takes plain values (parameters, the
Accept header), so the fast path can feed it from the WSGI environ.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import urlencode

from entente.graph import canned
from entente.server.cache import Cacheable
from entente.server.engine import Backend, QueryRequest, QueryResult, checked_form
from entente.server.errors import BadRequest
from entente.server.lexer import UPDATE_REFUSAL
from entente.server.media import N_QUADS, N_TRIPLES, SPARQL_JSON, TRIG
from entente.server.negotiation import choose, same_format

#: the Flask endpoints of the two views (the metrics and access log name them)
CANNED_ENDPOINT = "canned.run"
SPARQL_ENDPOINT = "sparql.sparql"
#: query-string names that are not canned-query parameters (format, timeout, limit, offset)
RESERVED = canned.RESERVED
#: ``format`` values of the canned-query downloads and their media types
DOWNLOADS = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
             "csv": "text/csv", "tsv": "text/tab-separated-values"}
#: set on every response unless the view set them itself
SECURITY_HEADERS = (("X-Content-Type-Options", "nosniff"),
                    ("Referrer-Policy", "strict-origin-when-cross-origin"))
#: (ETag is no CORS-safelisted header: without it a script on another origin cannot make a
#: conditional request)
CORS_EXPOSED = ("X-SPARQL-Truncated, X-SPARQL-Max-Rows, X-Cache, X-Store-Version, Retry-After, "
                "Link, ETag")
_BAD_IRI_CHARS = frozenset('<>" {}|\\^`')
_JSON_BOOL = {True: "true", False: "false"}
#: ``json.dumps(value, ensure_ascii=False)`` without building an encoder per call
_json = json.JSONEncoder(ensure_ascii=False).encode


@dataclass(frozen=True)
class Page:
    """Where a canned query's rows were cut: by its ``limit`` or by the row cap."""

    path: str
    args: tuple[tuple[str, str], ...]
    limit: int | None
    offset: int

    def next_url(self, rows: int, truncated: bool) -> str | None:
        """The URL of the rows after these ``rows`` (None when they are all: fewer than the
        limit and not cut by the row cap)."""
        if not truncated and (self.limit is None or rows < self.limit or rows == 0):
            return None
        args = dict(self.args)  # the same limit: each page is at most that, and the cap
        args["offset"] = str(self.offset + rows)
        return f"{self.path}?{urlencode(args)}"

    def next_link(self, rows: int, truncated: bool) -> str | None:
        """The ``Link`` header value of :meth:`next_url`."""
        url = self.next_url(rows, truncated)
        return None if url is None else f'<{url}>; rel="next"'


@dataclass(frozen=True)
class Plan:
    """A checked query request: what to run and what its response needs."""

    request: QueryRequest
    endpoint: str
    download: str | None = None  # canned query name when ``format`` asks for a download
    #: the query-time histogram's label (``entente_query_seconds{query=...}``): the canned
    #: query's name, else the endpoint
    label: str = ""
    #: a canned query's page: its path, its query-string values, limit and offset (the
    #: ``Link: rel="next"`` of a full or cut page)
    page: Page | None = None
    #: a canned query's IRI parameters as given (:attr:`CannedBinding.named`)
    named: tuple[tuple[str, str, str], ...] = ()
    #: its answer depends on the Host header (:attr:`CannedBinding.by_host`)
    by_host: bool = False

    @property
    def query_label(self) -> str:
        return self.label or self.endpoint


@dataclass(frozen=True)
class Answer:
    """A query's 200 answer: the result (its body), the headers the view sets, and the facts
    the response cache and the access log record."""

    result: QueryResult
    headers: list[tuple[str, str]]
    about: Cacheable
    #: may the response cache replay it?  Not when its query calls a function whose value is
    #: another each run (NOW, RAND...), nor when it depends on the Host header
    replayable: bool = True


# -- checking and planning ---------------------------------------------------------------------

def html_preference(fmt: str | None, accept: str | None) -> bool | None:
    """Does a canned-query request ask for the HTML form page?  True or False when ``format``
    or the Accept header settles it, None when it takes the Accept q-values: a header that
    does not name html matches text/html only by a wildcard, which matches text/csv at least
    as well."""
    if fmt:
        return fmt.strip().lower() == "html"
    if "html" not in (accept or "").lower():
        return False
    return None


def canned_params(args: Mapping[str, str]) -> dict[str, str]:
    """The canned-query parameters among the query-string values (first value of each)."""
    return {k: v for k, v in args.items() if k not in RESERVED}


#: the shortest ``timeout`` a client may ask for: a query over its limit costs a query
#: process (killed and started again), which must not be had for a microsecond's timeout
MIN_CLIENT_TIMEOUT = 0.1


def client_timeout(value: str | None) -> float | None:
    """The ``timeout`` parameter: seconds a client allows its query (as Fuseki reads it), at
    least :data:`MIN_CLIENT_TIMEOUT`.  It can only shorten the server's limit (the engine takes
    the smaller); None when absent."""
    if value is None or not value.strip():
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = float("nan")
    if not MIN_CLIENT_TIMEOUT <= seconds < float("inf"):
        raise BadRequest(f"parameter 'timeout': not a number of seconds from "
                         f"{MIN_CLIENT_TIMEOUT:g} up: {value!r}", parameter="timeout")
    return seconds


def repeated(names: Iterable[str]) -> dict[str, int]:
    """The names given more than once, with their counts (in first-seen order)."""
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    return {name: n for name, n in counts.items() if n > 1}


@dataclass(frozen=True)
class CannedBinding:
    """A checked canned-query request: the text to run (with its page's LIMIT and OFFSET),
    the substitutions, the client's timeout and the page."""

    text: str
    substitutions: dict[str, tuple]
    timeout: float | None
    page: Page
    #: (parameter, value as given, IRI) of the IRIs the request gave: an answer with no rows
    #: checks that each names something (:func:`entente.graph.canned.check_named`)
    named: tuple[tuple[str, str, str], ...] = ()
    #: a value was this server's URL of a resource (:func:`own_paths`): the answer depends
    #: on the Host header, which the response cache's key leaves out
    by_host: bool = False


def label_lookup(engine: Backend, noted: bool = True) -> canned.Lookup:
    """Run a canned query's label lookup (:func:`entente.graph.canned.resolve_labels`)
    through ``engine`` (``noted``: :attr:`QueryRequest.noted`)."""
    def lookup(text: str, substitutions: dict[str, tuple]) -> list[str]:
        result = engine.execute(QueryRequest(text, media_type=SPARQL_JSON,
                                             substitutions=substitutions, noted=noted))
        return [row["e"]["value"] for row in json.loads(result.body)["results"]["bindings"]]
    return lookup


def check_named(engine: Backend, named: Sequence[tuple[str, str, str]]) -> None:
    """BadRequest naming the first IRI parameter of ``named`` (:attr:`CannedBinding.named`)
    that names nothing in the store, for an answer with no rows: a typo in an IRI answered
    200 with no rows, which read as "none found".  (Left out of the access log.)"""
    if named:
        try:
            canned.check_named(named, label_lookup(engine, noted=False))
        except canned.ParamError as exc:
            raise BadRequest(str(exc), parameter=exc.name) from None


#: this server's URL of a minted resource, as a value copied from the address bar gives it
#: ("http://localhost:8000/id/state/china"): the host, and the path after its "/"
_OWN_URL = re.compile(r"https?://([^/?#]+)/((?:id|graph|\.well-known/genid)/[^?#]*)")


def own_paths(args: Mapping[str, str], host: str | None) -> tuple[Mapping[str, str], bool]:
    """``args`` with each value that is this server's URL of a minted resource (``host``: the
    request's Host header) as its path ("/id/state/china"), which a parameter reads as the
    IRI under the base, whatever host serves the pages; and whether any was."""
    if not host:
        return args, False
    out = dict(args)
    changed = False
    for name, value in args.items():
        found = _OWN_URL.fullmatch(value.strip())
        if found is not None and found.group(1).lower() == host.lower():
            out[name], changed = "/" + found.group(2), True
    return (out, True) if changed else (args, False)


def bind_canned(query: canned.CannedQuery, args: Mapping[str, str], base: str,
                repeats: Mapping[str, int] | None = None,
                engine: Backend | None = None, host: str | None = None) -> CannedBinding:
    """Check a canned-query request, for its results and for its HTML page alike.  ``args``
    maps each query-string name to its first value, ``repeats`` the names given more than
    once to their counts (:func:`repeated`); ``engine`` looks up the labels given for IRI
    parameters.  Raises BadRequest naming a repeated or wrong parameter (as ``/sparql``
    refuses a repeated ``query``), or a label that names no resource or several.  ``host``:
    the request's Host header (:func:`own_paths`)."""
    if repeats:
        name, count = next(iter(repeats.items()))
        raise BadRequest(f"the {name!r} parameter was given {count} times; give it once",
                         parameter=name)
    args, by_host = own_paths(args, host)
    raw = canned_params(args)
    try:
        substitutions = canned.bind(query, raw, base)
        limit, offset = canned.page(args)
        if engine is not None:
            substitutions = canned.resolve_labels(query, substitutions,
                                                  label_lookup(engine, noted=False))
    except canned.ParamError as exc:
        raise BadRequest(str(exc), parameter=exc.name) from None
    timeout = client_timeout(args.get("timeout"))
    page = Page(f"/queries/{query.name}", tuple((k, v) for k, v in args.items() if v),
                limit, offset or 0)
    text = query.text_for(substitutions)
    named = tuple(canned.given_iris(query, raw, substitutions))
    return CannedBinding(canned.paged(text, limit, offset), substitutions, timeout, page, named,
                         by_host)


def plan_canned(query: canned.CannedQuery, args: Mapping[str, str], accept: str | None,
                base: str, repeats: Mapping[str, int] | None = None,
                engine: Backend | None = None, host: str | None = None) -> Plan:
    """Bind the parameters of a canned query (:func:`bind_canned`) and choose its result
    format: BadRequest naming a parameter, then NotAcceptable for a format it cannot give."""
    bound = bind_canned(query, args, base, repeats, engine, host)
    fmt = args.get("format")
    media = choose(accept, fmt, "SELECT")
    request = QueryRequest(bound.text, media_type=media, substitutions=bound.substitutions,
                           timeout=bound.timeout)
    return Plan(request, CANNED_ENDPOINT, query.name if fmt else None, query.name, bound.page,
                bound.named, bound.by_host)


def is_absolute_iri(iri: str) -> bool:
    """Whether ``iri`` can name a graph: a scheme, and none of the characters an IRI may not
    hold (``<>" {}|^`\\``)."""
    return bool(iri) and ":" in iri and _BAD_IRI_CHARS.isdisjoint(iri)


def protocol_params(queries: Sequence[str], update: bool, graphs: tuple[str, ...],
                    named: tuple[str, ...]) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """(query, default graph IRIs, named graph IRIs) under the SPARQL protocol's rules: one
    query at most, no update beside it (nor alone: this endpoint answers queries), absolute
    graph IRIs.  ``queries`` are the values given for it, ``update`` whether one was given."""
    if len(queries) > 1:
        raise BadRequest(f"the 'query' parameter was given {len(queries)} times; give it once")
    # (a byte-order mark, which editors put before a file's text, is not SPARQL)
    query = queries[0].removeprefix("\ufeff") if queries else None
    if update:
        if query is not None:
            raise BadRequest("a request may carry a query or an update, not both")
        raise BadRequest(UPDATE_REFUSAL)
    for iri in (*graphs, *named):
        if not is_absolute_iri(iri):
            raise BadRequest(f"not an absolute IRI in a graph parameter: {iri!r}")
    # a graph named twice is one graph of the dataset (the engine counted its triples twice)
    return query, tuple(dict.fromkeys(graphs)), tuple(dict.fromkeys(named))


def requested_format(fmt: str | None, output: str | None) -> str | None:
    """The result format a ``/sparql`` request names: ``format``, or ``output`` (Fuseki's
    name for it); BadRequest when the two name different formats."""
    if output is None or fmt == output:
        return fmt
    if fmt is None:
        return output
    if same_format(fmt, output):  # (format=json&output=srj: one format, two names)
        return fmt
    raise BadRequest(f"the 'format' ({fmt!r}) and 'output' ({output!r}) parameters ask for "
                     "different formats; give one", parameter="output")


def plan_sparql(query: str, graphs: tuple[str, ...], named: tuple[str, ...], fmt: str | None,
                accept: str | None, service_allowlist: tuple[str, ...],
                timeout: str | None = None) -> Plan:
    """Check a protocol query (the lexer's refusals are BadRequest) and choose its format;
    ``timeout``: the client's ``timeout`` parameter (:func:`client_timeout`)."""
    form = checked_form(query, service_allowlist)
    seconds = client_timeout(timeout)
    media = choose(accept, fmt, form)
    request = QueryRequest(query, media_type=media, default_graph_uris=graphs,
                           named_graph_uris=named, timeout=seconds)
    return Plan(request, SPARQL_ENDPOINT)


# -- running and answering ----------------------------------------------------------------------

def answer(engine: Backend, plan: Plan, vary: str = "Accept") -> Answer:
    """Run a plan (the engine's errors propagate) and make its headers: content type, cache
    and store version, ``Vary``, truncation and, for a download, ``Content-Disposition``."""
    result = engine.execute(plan.request)
    if result.row_count == 0:
        check_named(engine, plan.named)
    mimetype = result.media_type
    text_like = mimetype.startswith("text/") or "json" in mimetype or "xml" in mimetype
    headers = [("Content-Type", f"{mimetype}; charset=utf-8" if text_like else mimetype),
               ("X-Cache", "hit" if result.cached else "miss"),
               ("X-Store-Version", result.store_version), ("Vary", vary)]
    headers += truncation_headers(result, engine.settings.max_rows)
    link = plan.page.next_link(result.row_count, result.truncated) if plan.page else None
    if link is not None:
        headers.append(("Link", link))
    if plan.download is not None:
        extension = next((k for k, v in DOWNLOADS.items() if v == mimetype), "txt")
        headers.append(("Content-Disposition",
                        f'attachment; filename="{plan.download}.{extension}"'))
    about = Cacheable(version=result.store_version, endpoint=plan.endpoint,
                      query_hash=query_hash(plan.request.query), rows=result.row_count,
                      truncated=result.truncated)
    return Answer(result, headers, about, not result.volatile and not plan.by_host)


def graph_content(engine: Backend, query: str, iri: str, media: str) -> QueryResult:
    """The triples of the named graph ``iri`` in ``media``, by ``query`` (a CONSTRUCT with
    ``?graph`` as a substitution).  In N-Quads or TriG its statements name the graph: a
    CONSTRUCT's triples, as /sparql writes them, are in the default graph."""
    dataset_format = media in (N_QUADS, TRIG)
    result = engine.execute(QueryRequest(query, media_type=N_TRIPLES if dataset_format else media,
                                         substitutions={"graph": ("iri", iri)}))
    if not dataset_format:
        return result
    name = f"<{iri}>".encode()
    lines = [line for line in result.body.splitlines() if line.strip()]
    if media == TRIG:  # (N-Triples statements are TriG's triples)
        body = b"".join([name + b" {\n", *(line + b"\n" for line in lines), b"}\n"])
    else:
        body = b"".join(line.removesuffix(b" .").rstrip() + b" " + name + b" .\n"
                        for line in lines)
    return replace(result, body=body, media_type=media)


def truncation_headers(result: QueryResult, max_rows: int) -> list[tuple[str, str]]:
    """``X-SPARQL-Truncated`` and ``X-SPARQL-Max-Rows`` when the row cap cut ``result`` (as
    Virtuoso states it), else nothing: every response the cap cut says so."""
    if not result.truncated:
        return []
    return [("X-SPARQL-Truncated", "true"), ("X-SPARQL-Max-Rows", str(max_rows))]


@lru_cache(maxsize=256)
def query_hash(query: str) -> str:
    """The short hash of a query text the logs and the response cache record."""
    return hashlib.sha256(query.encode()).hexdigest()[:12]


# -- what the app adds around an answer ----------------------------------------------------------

def allowed_origin(cors_origins: tuple[str, ...], origin: str | None) -> str | None:
    """The Access-Control-Allow-Origin value for a request from ``origin`` (None: no CORS)."""
    if not origin:
        return None
    if "*" in cors_origins:
        return "*"
    return origin if origin in cors_origins else None


def cors_headers(allowed: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """The CORS headers of a response to an allowed origin (see :func:`allowed_origin`)."""
    return (("Access-Control-Allow-Origin", allowed),
            ("Access-Control-Expose-Headers", CORS_EXPOSED))


def access_line(path: str, endpoint: str, duration_ms: float, client: str | None,
                about: Cacheable, cached: bool, query_ms: float) -> str:
    """The access-log line of a 200 query answer: the JSON the operations hook writes for a
    request (same fields, order and values), built from cached fixed parts (``json.dumps``
    of a dict per request was a tenth of the fast path's time).  Also the line of a response
    cache hit (``cached``, ``query_ms`` 0.0)."""
    head, middle = _line_parts(path, endpoint)
    return (f"{head}{round(duration_ms, 2)!r}{middle}"
            f"{_json(client)}, "
            f'"query_hash": "{about.query_hash}", "cached": {_JSON_BOOL[cached]}, '
            f'"rows": {int(about.rows)}, "truncated": {_JSON_BOOL[about.truncated]}, '
            f'"query_ms": {round(query_ms, 2)!r}}}')


@lru_cache(maxsize=4096)
def _line_parts(path: str, endpoint: str) -> tuple[str, str]:
    """The access-log line's JSON up to ``duration_ms``, and from there up to ``client``."""
    head = json.dumps({"method": "GET", "path": path, "status": 200}, ensure_ascii=False)
    middle = json.dumps({"endpoint": endpoint}, ensure_ascii=False)
    return head[:-1] + ', "duration_ms": ', ", " + middle[1:-1] + ', "client": '
