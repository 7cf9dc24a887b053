"""Conditional GETs (RFC 9110, section 13): an ``ETag`` on every complete GET answer and ``304
Not Modified`` when the client already holds it.

A query result, a canned query's rows, a resource page or a VoID description changes only when
the store does, so a client or a caching proxy that revalidates with ``If-None-Match`` gets a
304 with no body instead of the same bytes again. The tag is a strong hash of the body
(:func:`werkzeug.http.generate_etag`), so it covers the representation exactly: another
format, another ``Accept`` or another store version gives another tag. ``Cache-Control:
no-cache`` goes with it (store it, but ask before reusing it: a rebuild may change it) unless
the view set its own.

The layer sits outside the response cache, so a replayed answer is revalidated as cheaply as a
new one. It leaves alone what it cannot hash whole: a response that is not a 200, has no
``Content-Length`` or is larger than ``max_bytes``, a HEAD, and one that carries its own
``ETag`` (static files, the dump download: Werkzeug answers their conditions itself).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.http import generate_etag, parse_etags, quote_etag

#: headers a 304 does not repeat (it has no body); the rest (ETag, Cache-Control, Vary, CORS
#: ...) are the ones a cache needs to update what it stored
_NO_BODY = frozenset({"content-length", "content-type", "content-disposition"})

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ConditionalGet:
    """WSGI middleware: ETag on complete GET answers, 304 on a matching ``If-None-Match``."""

    def __init__(self, app: WSGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "GET":
            return self.app(environ, start_response)
        seen: list[Any] = []

        def hold(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if exc_info is not None:  # an error mid-response: pass it on as it is
                return start_response(status, headers, exc_info)
            seen[:] = [status, headers]
            return _late_write

        body_iter = self.app(environ, hold)
        if not seen:  # (already started with exc_info)
            return body_iter
        status, headers = seen
        if not self._taggable(status, headers):
            start_response(status, headers)
            return body_iter
        try:
            body = b"".join(body_iter)
        finally:
            close = getattr(body_iter, "close", None)
            if close is not None:
                close()
        tag = quote_etag(generate_etag(body))
        headers = [*headers, ("ETag", tag)]
        if not any(k.lower() == "cache-control" for k, _ in headers):
            headers.append(("Cache-Control", "no-cache"))
        wanted = environ.get("HTTP_IF_NONE_MATCH")
        if wanted and parse_etags(wanted).contains_weak(tag[1:-1]):
            start_response("304 Not Modified",
                           [(k, v) for k, v in headers if k.lower() not in _NO_BODY])
            return [b""]
        start_response(status, headers)
        return [body]

    def _taggable(self, status: str, headers: list[tuple[str, str]]) -> bool:
        if not status.startswith("200 "):
            return False
        length = None
        for key, value in headers:
            lower = key.lower()
            if lower == "etag":
                return False
            if lower == "content-length":
                length = value
        return length is not None and length.isdigit() and int(length) <= self.max_bytes


def _late_write(data: bytes) -> None:  # pragma: no cover - no view here uses write()
    raise RuntimeError("ConditionalGet: the app called write() before returning its body")
