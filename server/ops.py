"""Operations: /healthz, Prometheus /metrics, the access and slow-query logs, rate limiting.

Metrics are kept per WSGI worker process (each gunicorn worker answers /metrics with its own
counters; Prometheus sums them when scraping each worker, or use one worker for exact totals).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import threading
import time
from collections import defaultdict

from entente.server.engine import QueryRequest, get_engine
from entente.server.errors import ApiError, PayloadTooLarge, TooManyRequests
from flask import Blueprint, Flask, Response, current_app, g, request

from entente.config import Settings
from entente.errors import StoreError

bp = Blueprint("ops", __name__)
access_log = logging.getLogger("entente.access")
slow_log = logging.getLogger("entente.slow")

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
_EXEMPT = {"ops.healthz", "ops.metrics", "static"}


class Metrics:
    """Counters and a query-time histogram (thread-safe, per process)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: dict[tuple[str, int], int] = defaultdict(int)
        self.buckets: dict[str, list[int]] = {}
        self.sums: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)
        self.rate_limited = 0
        self.started = time.time()

    def request(self, endpoint: str, status: int) -> None:
        with self.lock:
            self.requests[(endpoint, status)] += 1

    def query(self, name: str, seconds: float) -> None:
        with self.lock:
            counts = self.buckets.setdefault(name, [0] * len(BUCKETS))
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    counts[i] += 1
            self.sums[name] += seconds
            self.counts[name] += 1


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def render_metrics(metrics: Metrics, timeouts: int, hits: int, quads: int | None) -> str:
    """The Prometheus text exposition format (version 0.0.4)."""
    out = ["# HELP entente_requests_total HTTP requests by endpoint and status.",
           "# TYPE entente_requests_total counter"]
    with metrics.lock:
        for (endpoint, status), n in sorted(metrics.requests.items()):
            out.append(f'entente_requests_total{{endpoint="{_label(endpoint)}",'
                       f'status="{status}"}} {n}')
        out += ["# HELP entente_query_seconds Query time by endpoint or canned query name.",
                "# TYPE entente_query_seconds histogram"]
        for name in sorted(metrics.buckets):
            lab = _label(name)
            for bound, n in zip(BUCKETS, metrics.buckets[name], strict=True):
                out.append(f'entente_query_seconds_bucket{{query="{lab}",le="{bound}"}} {n}')
            out.append(f'entente_query_seconds_bucket{{query="{lab}",le="+Inf"}} '
                       f"{metrics.counts[name]}")
            out.append(f'entente_query_seconds_sum{{query="{lab}"}} {metrics.sums[name]:.6f}')
            out.append(f'entente_query_seconds_count{{query="{lab}"}} {metrics.counts[name]}')
        limited = metrics.rate_limited
    out += ["# HELP entente_query_timeouts_total Queries stopped by the time limit.",
            "# TYPE entente_query_timeouts_total counter",
            f"entente_query_timeouts_total {timeouts}",
            "# HELP entente_cache_hits_total Results answered from the result cache.",
            "# TYPE entente_cache_hits_total counter", f"entente_cache_hits_total {hits}",
            "# HELP entente_rate_limited_total Requests refused by the rate limit.",
            "# TYPE entente_rate_limited_total counter", f"entente_rate_limited_total {limited}"]
    if quads is not None:
        out += ["# HELP entente_store_quads Quads in the store version being served.",
                "# TYPE entente_store_quads gauge", f"entente_store_quads {quads}"]
    return "\n".join(out) + "\n"


class RateLimiter:
    """A token bucket per client address: ``per_minute`` requests, refilled continuously."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def take(self, client: str) -> int:
        """0 when allowed, else the seconds to wait."""
        now = time.monotonic()
        with self.lock:
            tokens, last = self.buckets.get(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self.buckets[client] = (tokens - 1.0, now)
                return 0
            self.buckets[client] = (tokens, now)
            if len(self.buckets) > 10_000:  # forget idle clients
                self.buckets = {k: v for k, v in self.buckets.items() if now - v[1] < 120}
            return max(1, math.ceil((1.0 - tokens) / self.rate))


_METRICS = "entente.metrics"


def _hash(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()[:12]


def init_app(app: Flask, settings: Settings) -> None:
    """Install request timing, the access/slow logs, the rate limit and the metrics."""
    metrics = Metrics()
    app.extensions[_METRICS] = metrics
    per_minute = settings.rate_limit_per_minute
    limiter = RateLimiter(per_minute) if per_minute > 0 else None

    @app.before_request
    def _start() -> None:
        g.entente_started = time.perf_counter()
        if limiter is not None and request.endpoint not in _EXEMPT:
            wait = limiter.take(request.remote_addr or "unknown")
            if wait:
                with metrics.lock:
                    metrics.rate_limited += 1
                raise TooManyRequests(
                    f"rate limit of {settings.rate_limit_per_minute} requests per minute "
                    f"exceeded; retry in {wait} s", retry_after=wait)
        if len(request.query_string) > settings.max_request_bytes:
            raise PayloadTooLarge(
                f"the query string is larger than the {settings.max_request_bytes}-byte limit")

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
        if queries:
            query, result = queries[-1]
            record.update(
                query_hash=_hash(query),
                cached=result.cached, rows=result.row_count, truncated=result.truncated,
                query_ms=round(result.elapsed_ms, 2),
            )
            for q, r in queries:
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
    engine = get_engine()
    try:
        quads = engine.info.manifest.get("quads")
    except ApiError:
        quads = None
    text = render_metrics(_metrics(), engine.timeouts, engine.cache.hits, quads)
    return Response(text, content_type="text/plain; version=0.0.4; charset=utf-8")
