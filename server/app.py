"""The Flask application factory.

``create_app(settings)`` opens the store (a clear StoreError naming the path when it cannot),
starts the query engine, registers the blueprints (the SPARQL protocol, update, self-description
and operations here; canned queries, resource pages and the UI when those modules exist) and
adds CORS and security headers to every response.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import time
from typing import Any

from entente.server import (
    describe,
    engine,
    errors,
    fastpath,
    graph_store,
    ops,
    sparql,
    update,
)
from entente.server.answer import SECURITY_HEADERS, access_line, allowed_origin, cors_headers
from entente.server.cache import ResponseCache, StoredResponse
from entente.server.compression import Compression
from entente.server.conditional import ConditionalGet
from flask import Flask, Response, request

from entente.config import Settings

#: Blueprints of the canned-query views, resource pages and UI, registered when present.
OPTIONAL_BLUEPRINTS = (
    "entente.server.canned_views",
    "entente.server.pages",
    "entente.server.documents",
    "entente.server.ui",
)

CSP_HTML = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SETTINGS_KEY = "entente.settings"
#: bodies up to this size get an ETag even when the result cache is small or off
_ETAG_MIN_BYTES = 4 * 1024 * 1024
HTML_HEADERS = (("Content-Security-Policy", CSP_HTML), ("X-Frame-Options", "DENY"))


def create_app(settings: Settings | None = None, **overrides: Any) -> Flask:
    """Build the app.  ``overrides`` change individual settings (``store=...`` etc.)."""
    settings = settings if settings is not None else Settings.from_env()
    if overrides:
        settings = settings.with_(**overrides)
    app = Flask("entente.server")
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.config["JSON_SORT_KEYS"] = False
    app.extensions[SETTINGS_KEY] = settings
    errors.init_app(app)
    query_engine = engine.init_app(app, settings)
    metrics = ops.init_app(app, settings, query_engine)
    for blueprint in (sparql.bp, update.bp, graph_store.bp, describe.bp, ops.bp):
        app.register_blueprint(blueprint)
    for name in OPTIONAL_BLUEPRINTS:
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)  # import errors surface on purpose
        app.register_blueprint(module.bp)
    _add_headers(app, settings)
    ops.install_body_limit(app, settings)  # a chunked body: whole, or 413
    # the two hot GETs answered without Flask's per-request machinery (same responses)
    fastpath.install(app, settings, query_engine, metrics)
    _add_response_cache(app, settings)
    # ETag and 304 on every complete GET answer, replayed ones included (outside the cache)
    whole_bytes = max(engine.max_cached_bytes(settings), _ETAG_MIN_BYTES)  # (hashed, coded)
    app.wsgi_app = ConditionalGet(app.wsgi_app, whole_bytes)  # type: ignore[method-assign]
    if settings.compression == "gzip":  # (outside the ETags: a gzip answer's tag is its own)
        app.wsgi_app = Compression(  # type: ignore[method-assign]
            app.wsgi_app, whole_bytes, kept_bytes=_coded_bytes(settings))
    ops.install_rate_gate(app)  # outermost: the limit sees cache hits and fast answers too
    return app


def _coded_bytes(settings: Settings) -> int:
    """The bytes of gzip forms kept per worker (server/compression.py, CodedForms): a quarter
    of the result cache's budget (64 MiB by default; with no byte limit, 64 MiB), none with
    the cache off."""
    if settings.cache_entries <= 0:
        return 0
    return (settings.cache_mb or 256) * 1024 * 1024 // 4


def _add_response_cache(app: Flask, settings: Settings) -> None:
    """Replay repeated GETs of query results from stored bytes (see ResponseCache).

    Off when the cache is off (``cache_entries`` 0).  Hits still count in /metrics and the
    access log, and in the rate limit (:class:`entente.server.ops.RateGate` is in front).
    """
    if settings.cache_entries <= 0:
        return
    query_engine = app.extensions[engine._KEY]
    metrics = app.extensions[ops._METRICS]
    access_log = logging.getLogger("entente.access")

    def version() -> str:
        return query_engine.version

    def on_hit(environ: dict[str, Any], stored: StoredResponse, started: float) -> None:
        about = stored.about
        query_engine.cache.note_hit()  # before the request is counted: /metrics takes it then
        metrics.request(about.endpoint, 200)
        if access_log.isEnabledFor(logging.INFO):
            access_log.info(access_line(
                environ.get("PATH_INFO", ""), about.endpoint,
                (time.perf_counter() - started) * 1000, environ.get("REMOTE_ADDR"), about,
                True, 0.0))

    app.wsgi_app = ResponseCache(app.wsgi_app, settings.cache_entries,  # type: ignore[method-assign]
                                 version, on_hit, engine.max_cached_bytes(settings),
                                 settings.cache_mb * 1024 * 1024)


def get_settings(app: Flask) -> Settings:
    """The settings an app was created with."""
    return app.extensions[SETTINGS_KEY]


def _add_headers(app: Flask, settings: Settings) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        present = {key.lower() for key in headers.keys()}  # one pass, not one per setdefault
        defaults = SECURITY_HEADERS
        if headers.get("Content-Type", "").split(";", 1)[0].strip().lower() == "text/html":
            defaults = SECURITY_HEADERS + HTML_HEADERS
        for key, value in defaults:
            if key.lower() not in present:
                headers.add(key, value)
        if settings.cors_origins:  # the CORS headers below depend on the Origin header
            response.vary.add("Origin")
        if settings.compression == "gzip":  # (coded or not, by server/compression.py)
            response.vary.add("Accept-Encoding")
        allowed = allowed_origin(settings.cors_origins, request.environ.get("HTTP_ORIGIN"))
        if allowed:
            for key, value in cors_headers(allowed):
                headers[key] = value
            if request.method == "OPTIONS":
                headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
                requested = request.headers.get("Access-Control-Request-Headers")
                headers["Access-Control-Allow-Headers"] = (
                    requested or "Accept, Content-Type, Authorization"
                )
                headers["Access-Control-Max-Age"] = "86400"
        return response
