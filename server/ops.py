"""Operations: /healthz, Prometheus /metrics, the access and slow-query logs, rate limiting.

Metrics are prometheus_client metrics.  Alone (the Flask test client, ``create_app`` in a
process of its own) an app counts in its own registry: /metrics shows that process's counts.
Under ``entente serve`` the server sets ``PROMETHEUS_MULTIPROC_DIR`` before granian forks its
workers (prometheus_client's multiprocess mode): each worker writes its values to memory-mapped
files of its own in that directory, and /metrics, whichever worker answers, sums the files of
every worker that ever ran -- server-wide totals that keep what a restarted worker counted.
The rate limit's buckets are shared the same way (server/rate_limit.py).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import threading
import time
import types
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import unquote_to_bytes

from entente.server.engine import Backend, QueryRequest, get_engine
from entente.server.errors import ApiError, BadRequest, PayloadTooLarge, TooManyRequests
from entente.server.metrics_dir import MULTIPROC_ENV, server_started
from entente.server.rate_limit import RATE_LIMIT_FILE, RateLimiter
from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, values
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from entente.config import Settings
from entente.errors import EntenteError, StoreError

bp = Blueprint("ops", __name__)
access_log = logging.getLogger("entente.access")
slow_log = logging.getLogger("entente.slow")

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
_EXEMPT = {"ops.healthz", "ops.metrics", "static"}
#: environ key: the rate gate's decision for this request (0 allowed, else seconds to wait)
RATE_WAIT = "entente.rate_wait"
_LIMITER = "entente.rate_limiter"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Metrics:
    """Counters and a query-time histogram (thread-safe; see the module docstring).

    ``$PROMETHEUS_MULTIPROC_DIR`` set switches to the multiprocess mode: one Metrics per
    process then (two would overwrite each other's values).  The query timeouts and cache hits
    are counted by ``engine`` (per process); ``request`` adds what it counted since the last
    request to the shared counters, so they are there by the time the request that met them
    is answered.
    """

    def __init__(self, engine: Backend | None = None) -> None:
        directory = os.environ.get(MULTIPROC_ENV) or None
        if directory and not getattr(values.ValueClass, "_multiprocess", False):
            raise EntenteError(
                f"{directory}: prometheus_client was imported before {MULTIPROC_ENV} was set, "
                "so its metrics would not be shared between the server's workers")
        self.multiprocess_dir = directory
        # the server's start (a worker restarted since is younger), else this worker's
        self.started = (server_started(directory) if directory else None) or time.time()
        self._engine = engine
        self._lock = threading.Lock()
        self._seen_timeouts = self._seen_hits = 0  # what the engine counted, already added
        own = CollectorRegistry(auto_describe=False)
        target = None if directory else own  # multiprocess: the values go to the files
        self._requests = Counter("entente_requests_total",
                                 "HTTP requests by endpoint and status.",
                                 ("endpoint", "status"), registry=target)
        self._seconds = Histogram("entente_query_seconds",
                                  "Query time by endpoint or canned query name.",
                                  ("query",), buckets=BUCKETS, registry=target)
        self._timeouts = Counter("entente_query_timeouts_total",
                                 "Queries stopped by the time limit.", registry=target)
        self._hits = Counter("entente_cache_hits_total",
                             "Results answered from the result cache.", registry=target)
        self._limited = Counter("entente_rate_limited_total",
                                "Requests refused by the rate limit.", registry=target)
        self._by_request: dict[tuple[str, int], Any] = {}
        self._by_query: dict[str, Any] = {}
        self.registry = CollectorRegistry(auto_describe=False)
        source = MultiProcessCollector(None, path=directory) if directory else own
        self.registry.register(_Tidy(source))
        self.registry.register(_StoreQuads(engine))

    def request(self, endpoint: str, status: int) -> None:
        child = self._by_request.get((endpoint, status))
        if child is None:
            child = self._by_request.setdefault(
                (endpoint, status), self._requests.labels(endpoint, str(status)))
        child.inc()
        engine = self._engine
        if engine is not None and (engine.timeouts != self._seen_timeouts
                                   or engine.cache.hits != self._seen_hits):
            self.catch_up()

    def query(self, name: str, seconds: float) -> None:
        child = self._by_query.get(name)
        if child is None:
            child = self._by_query.setdefault(name, self._seconds.labels(name))
        child.observe(seconds)

    def rate_limited(self) -> None:
        self._limited.inc()

    def catch_up(self) -> None:
        """Add the engine's timeouts and cache hits since the last call to the counters."""
        engine = self._engine
        if engine is None:
            return
        with self._lock:
            timeouts, hits = engine.timeouts, engine.cache.hits
            if timeouts > self._seen_timeouts:
                self._timeouts.inc(timeouts - self._seen_timeouts)
            if hits > self._seen_hits:
                self._hits.inc(hits - self._seen_hits)
            self._seen_timeouts, self._seen_hits = timeouts, hits

    def render(self) -> bytes:
        """The Prometheus text exposition format (version 0.0.4): the totals of the server."""
        self.catch_up()
        return generate_latest(self.registry)


class _Tidy:
    """A collector's metrics by name, without the ``_created`` series (same names as ever)."""

    def __init__(self, source: Any) -> None:
        self.source = source

    def collect(self) -> Iterator[Metric]:
        for metric in sorted(self.source.collect(), key=lambda m: m.name):
            kept = [s for s in metric.samples if not s.name.endswith("_created")]
            # one label set after another (a stable sort keeps a histogram's buckets in order)
            kept.sort(key=lambda s: sorted((k, v) for k, v in s.labels.items() if k != "le"))
            metric.samples = kept
            yield metric


class _StoreQuads:
    """``entente_store_quads``: the quads of the store version this process serves."""

    def __init__(self, engine: Backend | None) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        if self.engine is None:
            return
        try:
            quads = self.engine.info.manifest.get("quads")
        except ApiError:
            return
        if quads is not None:
            yield GaugeMetricFamily("entente_store_quads",
                                    "Quads in the store version being served.", value=quads)


_METRICS = "entente.metrics"


def _hash(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()[:12]


def init_app(app: Flask, settings: Settings, engine: Backend | None = None) -> Metrics:
    """Install request timing, the access/slow logs, the rate limit and the metrics (of
    ``engine``'s timeouts and cache hits too, when given)."""
    metrics = Metrics(engine)
    app.extensions[_METRICS] = metrics
    per_minute = settings.rate_limit_per_minute
    limiter = None
    if per_minute > 0:  # server-wide under ``entente serve`` (its workers share the table)
        shared = metrics.multiprocess_dir
        limiter = RateLimiter(per_minute,
                              os.path.join(shared, RATE_LIMIT_FILE) if shared else None)
        app.extensions[_LIMITER] = limiter  # for the gate (install_rate_gate)

    @app.before_request
    def _start() -> None:
        g.entente_started = time.perf_counter()
        if limiter is not None and request.endpoint not in _EXEMPT:
            wait = request.environ.pop(RATE_WAIT, None)  # the gate took the token already
            if wait is None:
                wait = limiter.take(request.remote_addr or "unknown")
            if wait:
                metrics.rate_limited()
                raise TooManyRequests(
                    f"rate limit of {settings.rate_limit_per_minute} requests per minute "
                    f"exceeded; retry in {wait} s", retry_after=wait)
        if len(request.query_string) > settings.max_request_bytes:
            raise PayloadTooLarge(
                f"the query string is larger than the {settings.max_request_bytes}-byte limit")
        _refuse_undecodable(request.query_string, "query string")
        if request.mimetype == "application/x-www-form-urlencoded":
            _refuse_undecodable(request.get_data(cache=True), "form body")

    @app.after_request
    def _finish(response: Response) -> Response:
        endpoint = request.endpoint or "unmatched"
        metrics.request(endpoint, response.status_code)
        duration = (time.perf_counter() - g.get("entente_started", time.perf_counter())) * 1000
        queries = g.get("entente_queries", [])
        name = g.get("entente_query_name") or endpoint
        if endpoint not in _EXEMPT:
            for _query, result in queries:
                if not result.cached:
                    metrics.query(name, result.elapsed_ms / 1000)
        record = {
            "method": request.method, "path": request.path, "status": response.status_code,
            "duration_ms": round(duration, 2), "endpoint": endpoint,
            "client": request.remote_addr,
        }
        if queries:  # (the request's own query: a page's first, its main one)
            query, result = queries[0]
            record.update(
                query_hash=_hash(query),
                cached=result.cached, rows=result.row_count, truncated=result.truncated,
                query_ms=round(result.elapsed_ms, 2),
            )
        for q, r in queries + g.get("entente_aux_queries", []):  # (every query run)
            if r.elapsed_ms >= settings.slow_query_ms:
                slow_log.warning(json.dumps({
                    "path": request.path, "query_ms": round(r.elapsed_ms, 2),
                    "rows": r.row_count, "query_hash": _hash(q),
                    "query": q[:4000]}, ensure_ascii=False))
        for query in g.get("entente_timeouts", []):
            record.update(query_hash=_hash(query), timeout=True)
            slow_log.warning(json.dumps({
                "path": request.path, "timeout": True, "query_hash": _hash(query),
                "query": query[:4000]}, ensure_ascii=False))
        access_log.info(json.dumps(record, ensure_ascii=False))
        return response

    return metrics


def _refuse_undecodable(encoded: bytes, where: str) -> None:
    """BadRequest naming the first pair of a form-encoded string (a query string, a form
    body) whose name or value is not UTF-8 once percent-decoded.  Werkzeug keeps such bytes
    as the literal escapes (``%FF``), so the query would run on text the client never sent;
    the SPARQL protocol and HTML forms send UTF-8."""
    if encoded.isascii() and b"%" not in encoded:
        return
    for pair in encoded.split(b"&"):
        name, _, value = pair.partition(b"=")
        for part in (name, value):
            try:
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError as exc:
                shown = unquote_to_bytes(name).decode("utf-8", "replace")
                raise BadRequest(f"parameter {shown!r} of the {where} is not UTF-8 once "
                                 f"percent-decoded (byte {exc.start}); send UTF-8",
                                 parameter=shown) from None


def install_body_limit(app: Flask, settings: Settings) -> None:
    """Put :class:`ChunkedBodyLimit` around Flask (call it before the other middleware)."""
    app.wsgi_app = ChunkedBodyLimit(app.wsgi_app,  # type: ignore[method-assign]
                                    settings.max_request_bytes)


class ChunkedBodyLimit:
    """WSGI middleware: a body sent without ``Content-Length`` (chunked transfer coding) is
    read here, up to one byte past ``ENTENTE_MAX_REQUEST_BYTES``, and handed on with the
    length it has, so that werkzeug judges it as it does a declared length: over the limit,
    413 before anything reads it.  Werkzeug alone stops reading such a stream at the limit
    without an error, and the cut body was then parsed as if it were whole (a query, or a
    form losing its later parameters)."""

    def __init__(self, app: WSGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        if not environ.get("CONTENT_LENGTH") and "chunked" in environ.get(
                "HTTP_TRANSFER_ENCODING", "").lower():
            body = read_at_most(environ["wsgi.input"], self.limit + 1)
            # over the limit: a declared length werkzeug refuses (413), and no body
            environ["wsgi.input"] = io.BytesIO(body if len(body) <= self.limit else b"")
            environ["CONTENT_LENGTH"] = str(len(body))
            del environ["HTTP_TRANSFER_ENCODING"]  # (werkzeug ignores a length beside it)
        return self.app(environ, start_response)


def read_at_most(stream: Any, size: int) -> bytes:
    """Up to ``size`` bytes of ``stream`` (fewer when it ends first)."""
    parts: list[bytes] = []
    left = size
    while left > 0:
        part = stream.read(min(left, 1 << 16))
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def install_rate_gate(app: Flask) -> None:
    """Put :class:`RateGate` outermost, in front of the response cache and the fast path, when
    the app has a rate limit (call it after every other WSGI middleware is installed)."""
    limiter = app.extensions.get(_LIMITER)
    if limiter is None:
        return
    # the gate runs before URL routing: the exempt endpoints' paths, from their URL rules
    # (a rule with a variable part, like /static/<path:filename>, exempts its fixed prefix)
    paths, prefixes = set(), set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in _EXEMPT:
            fixed, variable, _ = rule.rule.partition("<")
            (prefixes if variable else paths).add(fixed)
    core = types.MethodType(Flask.wsgi_app, app)  # Flask itself, without the middleware
    app.wsgi_app = RateGate(app.wsgi_app, core, limiter,  # type: ignore[method-assign]
                            frozenset(paths), tuple(sorted(prefixes)))


class RateGate:
    """WSGI middleware: the rate limit for every request, replayed cache hits and fast-path
    answers included.  It takes the client's token before anything else runs and leaves its
    decision in the environ (:data:`RATE_WAIT`), where the ``before_request`` hook finds it
    instead of taking a second token.  A refused request goes straight to Flask (``core``),
    whose hook answers the 429 and counts it as for any other refusal.  The exempt paths
    (``exempt``: ``/healthz``, ``/metrics``; ``exempt_prefixes``: ``/static/``) pass
    untouched."""

    def __init__(self, inner: WSGIApp, core: WSGIApp, limiter: RateLimiter,
                 exempt: frozenset[str] = frozenset(), exempt_prefixes: tuple[str, ...] = ()
                 ) -> None:
        self.inner = inner
        self.core = core
        self.limiter = limiter
        self.exempt = exempt
        self.exempt_prefixes = exempt_prefixes

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path in self.exempt or path.startswith(self.exempt_prefixes):
            return self.inner(environ, start_response)
        wait = self.limiter.take(environ.get("REMOTE_ADDR") or "unknown")
        environ[RATE_WAIT] = wait
        return (self.core if wait else self.inner)(environ, start_response)


@bp.route("/healthz")
def healthz() -> Response:
    """Is the store open and answering?  503 when not."""
    engine = get_engine()
    body: dict[str, object] = {"store": str(engine.settings.store)}
    try:
        info = engine.locate()
        engine.execute(QueryRequest("ASK { }", use_cache=False, timeout=10))
        body.update(
            status="ok", version=engine.version, quads=info.manifest.get("quads"),
            graphs=len(info.manifest.get("graphs", {})),
            uptime_s=round(time.time() - _metrics().started, 1),
        )
        status = 200
    except (StoreError, ApiError) as exc:
        body.update(status="unavailable", error=str(exc))
        status = 503
    return Response(json.dumps(body) + "\n", status=status, mimetype="application/json")


def _metrics() -> Metrics:
    return current_app.extensions[_METRICS]


@bp.route("/metrics")
def metrics() -> Response:
    return Response(_metrics().render(), content_type=CONTENT_TYPE)
