"""A thin WSGI path for the two hot GETs: ``/queries/<name>`` and ``/sparql?query=...``.

A cheap lookup spends more time in Flask (request context, URL routing, hooks, the response
object) than in its query.  This layer answers the common case of those two GETs itself,
with the same behaviour the Flask views have: the same parameter binding
(:func:`entente.graph.canned.bind`), lexer check and content negotiation, the same engine
call (time limit, row cap, result cache), the same status, headers (``X-Cache``,
``X-Store-Version``, ``Vary``, truncation, ``Content-Disposition``, security headers, CORS),
body, metrics, access- and slow-log lines, and it marks the response replayable for the
response cache in front of it.

Anything else goes to Flask unchanged: other paths and methods, HTML forms, requests the
views would refuse (a bad parameter, an unacceptable format, a repeated ``query``, an update
...) -- those checks are pure, so Flask repeats them and answers the error itself -- and an
engine error (a timeout, a malformed query, a busy pool): the query is not run again, the
error is handed to Flask in the WSGI environ and raised by a ``before_request`` hook, so it
is rendered, logged and counted exactly as the view would have done it.

Off when a rate limit is set (the limit lives in a Flask hook and must see every request).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl

from entente.graph import canned
from entente.server import canned_views
from entente.server.cache import Cacheable, mark_cacheable
from entente.server.engine import Backend, QueryRequest, QueryResult, checked_form
from entente.server.errors import ApiError, QueryTimeout
from entente.server.negotiation import choose
from entente.server.sparql import query_hash
from flask import Flask, g

from entente.config import Settings

#: environ key of an engine error the fast path hands to Flask
PENDING = "entente.fast.pending"
#: set on every response unless the view set them itself
SECURITY_HEADERS = (("X-Content-Type-Options", "nosniff"),
                    ("Referrer-Policy", "strict-origin-when-cross-origin"))
CORS_EXPOSED = "X-SPARQL-Truncated, X-SPARQL-Max-Rows, X-Cache, X-Store-Version, Retry-After"
CANNED_PREFIX = "/queries/"
CANNED_ENDPOINT = "canned.run"
SPARQL_ENDPOINT = "sparql.sparql"
_BAD_IRI_CHARS = frozenset('<>" {}|\\^`')

access_log = logging.getLogger("entente.access")
slow_log = logging.getLogger("entente.slow")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass
class Pending:
    """An engine error raised on the fast path, for Flask to answer."""

    error: ApiError
    started: float
    timeouts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Plan:
    request: QueryRequest
    endpoint: str
    download: str | None  # canned query name when ``format`` asks for a download


def _args(environ: dict[str, Any]) -> list[tuple[str, str]] | None:
    """The query-string pairs as Flask's ``request.args`` reads them (None: leave it to Flask)."""
    try:
        text = environ.get("QUERY_STRING", "").encode("latin-1").decode()
    except UnicodeError:
        return None
    return parse_qsl(text, keep_blank_values=True, errors="werkzeug.url_quote")


def _first(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """First value of each name, in order (``MultiDict.items()``)."""
    out: dict[str, str] = {}
    for key, value in pairs:
        out.setdefault(key, value)
    return out


def allowed_origin(cors_origins: tuple[str, ...], origin: str | None) -> str | None:
    """The Access-Control-Allow-Origin value for a request from ``origin`` (None: no CORS)."""
    if not origin:
        return None
    if "*" in cors_origins:
        return "*"
    return origin if origin in cors_origins else None


def install(app: Flask, settings: Settings, query_engine: Backend, metrics: Any) -> bool:
    """Put the fast path in front of ``app.wsgi_app`` (not when a rate limit is set)."""
    if settings.rate_limit_per_minute > 0:
        return False
    app.before_request(_raise_pending)
    app.wsgi_app = FastPath(app.wsgi_app, query_engine, metrics,  # type: ignore[method-assign]
                            settings)
    return True


class FastPath:
    """WSGI middleware in front of the Flask app (see the module docstring)."""

    def __init__(self, inner: WSGIApp, query_engine: Backend, metrics: Any,
                 settings: Settings) -> None:
        self.app = inner
        self.engine = query_engine
        self.metrics = metrics
        self.settings = settings
        self.allowlist = tuple(settings.service_allowlist)
        self.cors = settings.cors_origins

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        plan = None
        if environ.get("REQUEST_METHOD") == "GET" and len(
                environ.get("QUERY_STRING", "")) <= self.settings.max_request_bytes:
            path = environ.get("PATH_INFO", "")
            if path == "/sparql":
                plan = self._sparql(environ)
            elif path.startswith(CANNED_PREFIX):
                plan = self._canned(environ, path[len(CANNED_PREFIX):])
        if plan is None:
            return self.app(environ, start_response)
        started = time.perf_counter()
        try:
            result = self.engine.execute(plan.request)
        except ApiError as exc:
            timeouts = [plan.request.query] if isinstance(exc, QueryTimeout) else []
            environ[PENDING] = Pending(exc, started, timeouts)
            return self.app(environ, start_response)
        return self._respond(environ, start_response, plan, result, started)

    # -- the two views' request handling, up to the engine call --------------------------------

    def _canned(self, environ: dict[str, Any], name: str) -> _Plan | None:
        query = canned_views.queries().get(name)
        if query is None:
            return None
        pairs = _args(environ)
        if pairs is None:
            return None
        args = _first(pairs)
        fmt = args.get("format")
        accept = environ.get("HTTP_ACCEPT")
        if (fmt.strip().lower() == "html") if fmt else "html" in (accept or "").lower():
            return None  # the HTML form page
        raw = {k: v for k, v in args.items() if k not in canned_views.RESERVED}
        try:
            substitutions = canned.bind(query, raw, self.settings.base)
            media = choose(accept, fmt, "SELECT")
        except (canned.ParamError, ApiError):
            return None
        request = QueryRequest(query.text, media_type=media, substitutions=substitutions)
        return _Plan(request, CANNED_ENDPOINT, name if fmt else None)

    def _sparql(self, environ: dict[str, Any]) -> _Plan | None:
        pairs = _args(environ)
        if pairs is None:
            return None
        queries = [v for k, v in pairs if k == "query"]
        if len(queries) != 1 or any(k == "update" for k, _ in pairs):
            return None
        graphs = tuple(v for k, v in pairs if k == "default-graph-uri")
        named = tuple(v for k, v in pairs if k == "named-graph-uri")
        for iri in (*graphs, *named):
            if not iri or ":" not in iri or not _BAD_IRI_CHARS.isdisjoint(iri):
                return None
        fmt = next((v for k, v in pairs if k == "format"), None)
        try:
            form = checked_form(queries[0], self.allowlist)
            media = choose(environ.get("HTTP_ACCEPT"), fmt, form)
        except ApiError:
            return None
        request = QueryRequest(queries[0], media_type=media, default_graph_uris=graphs,
                               named_graph_uris=named)
        return _Plan(request, SPARQL_ENDPOINT, None)

    # -- the response, with what Flask's hooks add ----------------------------------------------

    def _respond(self, environ: dict[str, Any], start_response: Callable[..., Any], plan: _Plan,
                 result: QueryResult, started: float) -> Iterable[bytes]:
        mimetype = result.media_type
        text_like = mimetype.startswith("text/") or "json" in mimetype or "xml" in mimetype
        vary = "Accept"
        headers = [("Content-Type", f"{mimetype}; charset=utf-8" if text_like else mimetype),
                   ("X-Cache", "hit" if result.cached else "miss"),
                   ("X-Store-Version", result.store_version), ("Vary", vary)]
        if result.truncated:
            headers += [("X-SPARQL-Truncated", "true"),
                        ("X-SPARQL-Max-Rows", str(self.settings.max_rows))]
        headers.append(("Content-Length", str(len(result.body))))
        if plan.download is not None:
            extension = next((k for k, v in canned_views.DOWNLOADS.items() if v == mimetype),
                             "txt")
            headers.append(("Content-Disposition",
                            f'attachment; filename="{plan.download}.{extension}"'))
        headers += SECURITY_HEADERS
        allowed = allowed_origin(self.cors, environ.get("HTTP_ORIGIN"))
        if allowed:
            headers += [("Access-Control-Allow-Origin", allowed),
                        ("Access-Control-Expose-Headers", CORS_EXPOSED)]
            if allowed != "*":
                headers[3] = ("Vary", "Accept, Origin")
        mark_cacheable(environ, Cacheable(
            version=result.store_version, endpoint=plan.endpoint,
            query_hash=query_hash(plan.request.query), rows=result.row_count,
            truncated=result.truncated))
        self._account(environ, plan, result, started)
        start_response("200 OK", headers)
        return [result.body]

    def _account(self, environ: dict[str, Any], plan: _Plan, result: QueryResult,
                 started: float) -> None:
        """What the operations hooks record for a request: metrics, access and slow log."""
        endpoint = plan.endpoint
        self.metrics.request(endpoint, 200)
        if not result.cached:
            self.metrics.query(endpoint, result.elapsed_ms / 1000)
        query = plan.request.query
        slow = result.elapsed_ms >= self.settings.slow_query_ms
        if not (slow or access_log.isEnabledFor(logging.INFO)):
            return
        path = environ.get("PATH_INFO", "")
        if slow:
            slow_log.warning(json.dumps({
                "path": path, "query_ms": round(result.elapsed_ms, 2), "rows": result.row_count,
                "query_hash": query_hash(query), "query": query[:4000]}, ensure_ascii=False))
        head, middle = _log_parts(path, endpoint)
        duration = (time.perf_counter() - started) * 1000
        access_log.info(  # the JSON operations writes, from fixed parts (json.dumps of a dict
            # per request was a tenth of the fast path's time)
            f"{head}{round(duration, 2)!r}{middle}"
            f"{json.dumps(environ.get('REMOTE_ADDR'), ensure_ascii=False)}, "
            f'"query_hash": "{query_hash(query)}", "cached": {_JSON_BOOL[result.cached]}, '
            f'"rows": {int(result.row_count)}, "truncated": {_JSON_BOOL[result.truncated]}, '
            f'"query_ms": {round(result.elapsed_ms, 2)!r}}}')


_JSON_BOOL = {True: "true", False: "false"}


@lru_cache(maxsize=256)
def _log_parts(path: str, endpoint: str) -> tuple[str, str]:
    """The access-log line's JSON up to ``duration_ms``, and from there up to ``client``."""
    head = json.dumps({"method": "GET", "path": path, "status": 200}, ensure_ascii=False)
    middle = json.dumps({"endpoint": endpoint}, ensure_ascii=False)
    return head[:-1] + ', "duration_ms": ', ", " + middle[1:-1] + ', "client": '



def _raise_pending() -> None:
    """before_request: raise the engine error the fast path met (Flask answers it)."""
    from flask import request

    pending = request.environ.pop(PENDING, None)
    if isinstance(pending, Pending):
        g.entente_started = pending.started
        if pending.timeouts:
            g.entente_timeouts = list(pending.timeouts)
        raise pending.error
