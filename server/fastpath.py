"""A thin WSGI path for the two hot GETs: ``/queries/<name>`` and ``/sparql?query=...``.

A cheap lookup spends more time in Flask (request context, URL routing, hooks, the response
object) than in its query.  This layer answers the common case of those two GETs itself.  The
answer is the views' own: the checks, the plan (parameter binding, content negotiation), the
engine call and the headers come from :mod:`entente.server.answer`, which the views call
too.  What is left here is what Flask would otherwise do: reading the query string from the
WSGI environ, deciding when to step aside, and writing the response with what the app's hooks
add (security headers, CORS, ``Content-Length``, metrics, access- and slow-log lines, the
mark that lets the response cache replay it).

Anything else goes to Flask unchanged: other paths and methods, HTML forms, requests the
views would refuse (a bad parameter, an unacceptable format, a repeated ``query``, an update
...) -- those checks are pure, so Flask repeats them and answers the error itself -- and an
engine error (a timeout, a malformed query, a busy pool): the query is not run again, the
error is handed to Flask in the WSGI environ and raised by a ``before_request`` hook, so it
is rendered, logged and counted exactly as the view would have done it.

A rate limit is applied in front of this layer (:class:`entente.server.ops.RateGate`): a
refused request never reaches it.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from entente.server import canned_views
from entente.server.answer import (
    SECURITY_HEADERS,
    Answer,
    Plan,
    access_line,
    allowed_origin,
    answer,
    cors_headers,
    html_preference,
    plan_canned,
    plan_sparql,
    protocol_params,
    repeated,
    requested_format,
)
from entente.server.cache import mark_cacheable
from entente.server.engine import Backend
from entente.server.errors import ApiError, QueryTimeout
from flask import Flask, g

from entente.config import Settings

#: environ key of an engine error the fast path hands to Flask
PENDING = "entente.fast.pending"
CANNED_PREFIX = "/queries/"

access_log = logging.getLogger("entente.access")
slow_log = logging.getLogger("entente.slow")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass
class Pending:
    """An engine error raised on the fast path, for Flask to answer."""

    error: ApiError
    started: float
    timeouts: list[str] = field(default_factory=list)


def _args(environ: dict[str, Any]) -> list[tuple[str, str]] | None:
    """The query-string pairs as Flask's ``request.args`` reads them (None: leave it to Flask,
    which refuses bytes that are not UTF-8, raw or percent-encoded)."""
    try:
        text = environ.get("QUERY_STRING", "").encode("latin-1").decode()
        return parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeError:
        return None


def _first(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """First value of each name, in order (``MultiDict.items()``)."""
    out: dict[str, str] = {}
    for key, value in pairs:
        out.setdefault(key, value)
    return out


def install(app: Flask, settings: Settings, query_engine: Backend, metrics: Any
            ) -> None:
    """Put the fast path in front of ``app.wsgi_app``."""
    app.before_request(_raise_pending)
    app.wsgi_app = FastPath(app.wsgi_app, query_engine, metrics,  # type: ignore[method-assign]
                            settings)


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
        # the view's Vary plus the app hook's: Origin (with CORS on, the answer's headers
        # depend on it) and Accept-Encoding (with gzip on: server/compression.py)
        self.vary = ", ".join(["Accept", *(["Origin"] if self.cors else []),
                               *(["Accept-Encoding"] if settings.compression == "gzip"
                                 else [])])

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        plan = None
        started = time.perf_counter()
        if environ.get("REQUEST_METHOD") == "GET" and len(
                environ.get("QUERY_STRING", "")) <= self.settings.max_request_bytes:
            path = environ.get("PATH_INFO", "")
            try:
                if path == "/sparql":
                    plan = self._sparql(environ)
                elif path.startswith(CANNED_PREFIX):
                    plan = self._canned(environ, path[len(CANNED_PREFIX):])
            except QueryTimeout as exc:  # a label lookup ran out of time: Flask answers it
                # without running it again (it repeated the lookup, twice the time limit)
                environ[PENDING] = Pending(exc, started, [exc.query] if exc.query else [])
                return self.app(environ, start_response)
            except ApiError:
                plan = None  # the view refuses it: Flask repeats the check and answers
        if plan is None:
            return self.app(environ, start_response)
        allowed = allowed_origin(self.cors, environ.get("HTTP_ORIGIN"))
        try:
            done = answer(self.engine, plan, self.vary)
        except ApiError as exc:
            timeouts = [exc.query or plan.request.query] if isinstance(exc, QueryTimeout) \
                else []  # (the query that ran out of time: the existence check's, if it did)
            environ[PENDING] = Pending(exc, started, timeouts)
            return self.app(environ, start_response)
        body = done.result.body
        headers = [*done.headers, ("Content-Length", str(len(body))), *SECURITY_HEADERS]
        if allowed:
            headers += cors_headers(allowed)
        if done.replayable:
            mark_cacheable(environ, done.about)
        self._account(environ, plan, done, started)
        start_response("200 OK", headers)
        return [body]

    # -- reading the request from the environ (None: not the common case, Flask answers) ------

    def _canned(self, environ: dict[str, Any], name: str) -> Plan | None:
        query = canned_views.queries().get(name)
        pairs = _args(environ) if query is not None else None
        if pairs is None:
            return None
        args = _first(pairs)
        accept = environ.get("HTTP_ACCEPT")
        if html_preference(args.get("format"), accept) is not False:
            return None  # the HTML form page, or the Accept q-values decide
        return plan_canned(query, args, accept, self.settings.base,
                           repeated(k for k, _ in pairs), self.engine, environ.get("HTTP_HOST"))

    def _sparql(self, environ: dict[str, Any]) -> Plan | None:
        pairs = _args(environ)
        if pairs is None:
            return None
        query, graphs, named = protocol_params(
            [v for k, v in pairs if k == "query"], any(k == "update" for k, _ in pairs),
            tuple(v for k, v in pairs if k == "default-graph-uri"),
            tuple(v for k, v in pairs if k == "named-graph-uri"))
        if query is None:
            return None  # the service description, or the UI for a browser
        fmt = requested_format(next((v for k, v in pairs if k == "format"), None),
                               next((v for k, v in pairs if k == "output"), None))
        timeout = next((v for k, v in pairs if k == "timeout"), None)
        return plan_sparql(query, graphs, named, fmt, environ.get("HTTP_ACCEPT"),
                           self.allowlist, timeout)

    # -- what Flask's hooks record for a request ------------------------------------------------

    def _account(self, environ: dict[str, Any], plan: Plan, done: Answer,
                 started: float) -> None:
        """What the operations hooks record for a request: metrics, access and slow log."""
        endpoint, result = plan.endpoint, done.result
        self.metrics.request(endpoint, 200)
        if not result.cached:
            self.metrics.query(plan.query_label, result.elapsed_ms / 1000)
        slow = result.elapsed_ms >= self.settings.slow_query_ms
        if not (slow or access_log.isEnabledFor(logging.INFO)):
            return
        path = environ.get("PATH_INFO", "")
        if slow:
            query = plan.request.query
            slow_log.warning(json.dumps({
                "path": path, "query_ms": round(result.elapsed_ms, 2), "rows": result.row_count,
                "query_hash": done.about.query_hash, "query": query[:4000]}, ensure_ascii=False))
        access_log.info(access_line(path, endpoint, (time.perf_counter() - started) * 1000,
                                    environ.get("REMOTE_ADDR"), done.about, result.cached,
                                    result.elapsed_ms))


def _raise_pending() -> None:
    """before_request: raise the engine error the fast path met (Flask answers it)."""
    from flask import request

    pending = request.environ.pop(PENDING, None)
    if isinstance(pending, Pending):
        g.entente_started = pending.started
        if pending.timeouts:
            g.entente_timeouts = list(pending.timeouts)
        raise pending.error
