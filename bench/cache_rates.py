"""Repeated canned queries with the result cache on, in-process (no socket), three ways:
the whole WSGI app called with a prepared environ, Flask's test client, and the query engine
alone.  Queries over the time limit in the engine stage are not asked again."""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from entente.bench import http
from entente.bench.measure import repeat, summary_ms

from entente.config import Settings
from entente.errors import EntenteError


def stage_cache(cfg: Any, load: dict[str, Any], workload: dict, eng: dict[str, Any],
                timeout_s: float, max_fill_ms: float | None = None) -> dict[str, Any]:
    """Repeated canned queries with the result cache on, in-process, three ways per query:
    ``wsgi_rps`` the whole app (response cache, Flask, ops hooks) called as a WSGI callable
    with a prepared environ, no socket; ``rps`` through Flask's test client (which adds
    building the request and wrapping the response); ``engine_rps`` the query engine's
    ``execute`` (its result cache) without HTTP.  With ``max_fill_ms``, queries slower than
    that in-process are left out (filling the cache would cost most of the stage)."""
    if importlib.util.find_spec("entente.server.app") is None:
        return {"skipped": "entente.server.app is not there yet"}
    from entente.server.app import create_app

    settings = Settings.from_env({}).with_(store=Path(load["store"]), base_iri=cfg.base,
                                           cache_entries=1024, rate_limit_per_minute=0,
                                           query_timeout=timeout_s)
    late = {n for n, v in (eng.get("queries") or {}).items() if "timeout_s" in v}
    slow = {n for n, v in (eng.get("queries") or {}).items()
            if max_fill_ms is not None and v.get("p50_ms", 0.0) > max_fill_ms}
    workload = {n: w for n, w in workload.items() if n not in late | slow}
    app = create_app(settings)
    try:
        # the slow-query log (queries filling the cache at 1M and up) goes to a file, not to
        # the harness's console between its progress lines
        with _log_to_file("entente.slow", Path(cfg.work) / "cache-slow.log", logging.WARNING):
            out = _cache_rates(app.test_client(), cfg, workload)
            out.update({n: {"skipped": "over the time limit in-process (engine stage)"}
                        for n in late})
            out.update({n: {"skipped": f"slower than {max_fill_ms:g} ms in-process at this "
                                       "size"} for n in slow - late})
            _wsgi_rates(app, cfg, workload, out)
            _engine_rates(app.extensions.get("entente.engine"), cfg, workload, out)
        return out
    finally:
        engine_ = app.extensions.get("entente.engine")
        if engine_ is not None and hasattr(engine_, "close"):
            engine_.close()  # stop the app's query processes


def _wsgi_rates(app: Any, cfg: Any, workload: dict, out: dict[str, Any]) -> None:
    """``wsgi_rps``: GET /queries/<name> answered by calling the WSGI app directly (the
    access log as this process has it: off unless logging is configured); and
    ``wsgi_logged_rps``: the same with the access log written to a file."""
    from werkzeug.test import EnvironBuilder

    seen: list[str] = []

    def start_response(status: str, headers: list, exc_info: Any = None) -> None:
        seen[:] = [status]

    for name in workload:
        if "error" in out.get(name, {"error": True}):
            continue
        environ = EnvironBuilder(path=f"/queries/{quote(name)}",
                                 headers={"Accept": http.JSON_RESULTS}).get_environ()
        seen.clear()

        def call(environ: dict = environ) -> int:
            body = app(dict(environ), start_response)
            size = sum(len(chunk) for chunk in body)
            close = getattr(body, "close", None)
            if close is not None:
                close()
            return size

        durations, size = repeat(call, runs=max(cfg.runs * 200, 1000),
                                 budget_s=min(cfg.budget_s, 0.5), warmup=1)
        if not (durations and seen and seen[-1].startswith("200")):
            continue
        out[name]["wsgi_rps"] = round(len(durations) / sum(durations), 1)
        out[name]["wsgi_bytes"] = size
        # the access log written to a file, one line per request, as ``entente serve`` does
        # (there it goes to the server's stderr): what a hit costs with operations' logging on
        with _log_to_file("entente.access", Path(cfg.work) / "cache-access.log", logging.INFO):
            logged, _ = repeat(call, runs=max(cfg.runs * 200, 1000),
                               budget_s=min(cfg.budget_s, 0.5), warmup=0)
        out[name]["wsgi_logged_rps"] = round(len(logged) / sum(logged), 1)


@contextmanager
def _log_to_file(name: str, path: Path, level_on: int) -> Iterator[None]:
    """The logger ``name`` writes to ``path`` from ``level_on`` up, and nowhere else."""
    logger = logging.getLogger(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(level_on)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
        handler.close()


def _engine_rates(query_engine: Any, cfg: Any, workload: dict,
                  out: dict[str, Any]) -> None:
    """The server's query engine answering repeated canned queries from its result cache,
    without HTTP (req/s-equivalent in-process): ``engine_rps`` per query."""
    try:
        from entente.server.engine import QueryRequest
    except ImportError:
        return
    if query_engine is None:
        return
    for name, item in workload.items():
        req = QueryRequest(query=item["text"], media_type=http.JSON_RESULTS,
                           substitutions={k: tuple(v) for k, v in item["subs"].items()})

        def ask(req: Any = req) -> bool:
            return query_engine.execute(req).cached

        if "error" in out.get(name, {"error": True}):
            continue
        durations, cached = repeat(ask, runs=max(cfg.runs * 200, 1000),
                                   budget_s=min(cfg.budget_s, 0.5), warmup=1)
        if durations:
            out[name]["engine_rps"] = round(len(durations) / sum(durations), 1)
            out[name]["engine_cached"] = bool(cached)


def _cache_rates(client: Any, cfg: Any, workload: dict) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in workload:
        url = f"/queries/{quote(name)}"

        def get(url: str = url) -> int:
            resp = client.get(url, headers={"Accept": http.JSON_RESULTS})
            if resp.status_code != 200:
                raise EntenteError(f"GET {url} (test client): HTTP {resp.status_code}")
            return resp.status_code

        try:
            durations, _ = repeat(get, runs=max(cfg.runs * 20, 100),
                                  budget_s=min(cfg.budget_s, 1.0), warmup=1)
        except EntenteError as exc:  # e.g. the first (uncached) run timed out
            out[name] = {"error": str(exc)}
            continue
        stats = summary_ms(durations)
        stats["rps"] = round(len(durations) / sum(durations), 1) if durations else 0.0
        out[name] = stats
    return out
