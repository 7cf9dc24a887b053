"""Conditional GETs (RFC 9110, section 13): an ``ETag`` on every complete GET answer, ``304
Not Modified`` when the client already holds it, and ``412 Precondition Failed`` when
``If-Match`` names none of its tags.

A query result, a canned query's rows, a resource page or a VoID description changes only when
the store does, so a client or a caching proxy that revalidates with ``If-None-Match`` gets a
304 with no body instead of the same bytes again. The tag is a strong hash of the body
(:func:`werkzeug.http.generate_etag`) of its ``Content-Type`` and its bytes, so it covers the
representation exactly: another format (even one with the same bytes), another ``Accept``
or another store version gives another tag. ``Cache-Control:
no-cache`` goes with it (store it, but ask before reusing it: a rebuild may change it) unless
the view set its own.

The layer sits outside the response cache. The cache tags an answer once, when it stores it
(:func:`tagged`), so a replay is not hashed again; this layer hashes the answers that reach it
untagged, and answers ``If-None-Match`` for every tagged 200 (a replay, a fresh answer, a
static file). It does not tag what it cannot hash whole: a response that is not a 200, has no
``Content-Length`` or is larger than ``max_bytes``.

A HEAD is answered as the GET is, its body left out: the same headers (RFC 9110, 9.3.2: the
``ETag`` and ``Cache-Control`` too, which the body's hash needs the body for) and the same
304 on a matching ``If-None-Match`` (13.1.2). The app below sees a GET: werkzeug drops a
HEAD's body before any layer could hash it, and Flask ran the whole view for a HEAD anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from werkzeug.datastructures import ETags
from werkzeug.http import generate_etag, parse_etags, quote_etag

#: headers a 304 does not repeat (it has no body); the rest (ETag, Cache-Control, Vary, CORS
#: ...) are the ones a cache needs to update what it stored
_NO_BODY = frozenset({"content-length", "content-type", "content-disposition"})

#: the body of a 412 (If-Match naming no tag of the representation)
_PRECONDITION = b"If-Match names no entity tag of the current representation\n"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def etag_of(body: bytes, headers: Sequence[tuple[str, str]] = ()) -> str:
    """The strong entity tag of a representation, quoted: ``"<sha1 hex>"`` of its
    ``Content-Type`` and its body.  Two formats can have the same bytes (a page in Turtle and
    in TriG, N-Triples and N-Quads): they are still two representations, and a validator of
    one must not validate the other (RFC 9110, 8.8.1)."""
    media = next((v for k, v in headers if k.lower() == "content-type"), "")
    return quote_etag(generate_etag(media.encode("latin-1", "replace") + b"\n" + body))


def tagged(headers: list[tuple[str, str]], tag: str) -> list[tuple[str, str]]:
    """``headers`` plus ``ETag: tag`` and, unless they hold one, ``Cache-Control: no-cache``
    (the response cache tags an answer once, when it stores it)."""
    out = [*headers, ("ETag", tag)]
    if not any(k.lower() == "cache-control" for k, _ in headers):
        out.append(("Cache-Control", "no-cache"))
    return out


class ConditionalGet:
    """WSGI middleware: ETag on complete GET answers, 304 on a matching ``If-None-Match``."""

    def __init__(self, app: WSGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method == "HEAD":  # the GET's answer and headers, without its body
            body_iter = self._get({**environ, "REQUEST_METHOD": "GET"}, start_response)
            _close(body_iter)
            return [b""]
        if method != "GET":
            return self.app(environ, start_response)
        return self._get(environ, start_response)

    def _get(self, environ: dict[str, Any], start_response: Callable[..., Any]
             ) -> Iterable[bytes]:
        status, headers, body_iter = call_held(self.app, environ, start_response)
        if status is None:  # (already started with exc_info)
            return body_iter
        if not status.startswith("200 "):
            start_response(status, headers)
            return body_iter
        found = header_values(headers, ("etag", "content-length"))
        tag, length = found.get("etag"), found.get("content-length")
        body: Iterable[bytes] = body_iter
        if tag is None:  # hash the body once here (a replayed answer was tagged when stored)
            if length is None or not length.isdigit() or int(length) > self.max_bytes:
                start_response(status, headers)
                return body_iter
            body = [read_body(body_iter)]
            tag = etag_of(body[0], headers)
            headers = tagged(headers, tag)
        required = environ.get("HTTP_IF_MATCH")
        if required and not _matches(parse_etags(required), tag):
            if body is body_iter:  # (RFC 9110, 13.1.1: no current representation matches)
                _close(body_iter)
            start_response("412 Precondition Failed",
                           [(k, v) for k, v in headers if k.lower() not in _NO_BODY]
                           + [("Content-Type", "text/plain; charset=utf-8"),
                              ("Content-Length", str(len(_PRECONDITION)))])
            return [_PRECONDITION]
        wanted = environ.get("HTTP_IF_NONE_MATCH")
        if wanted and tag.startswith('"') and parse_etags(wanted).contains_weak(tag[1:-1]):
            if body is body_iter:
                _close(body_iter)
            start_response("304 Not Modified",
                           [(k, v) for k, v in headers if k.lower() not in _NO_BODY])
            return [b""]
        start_response(status, headers)
        return body


def _matches(wanted: ETags, tag: str) -> bool:
    """``If-Match``'s strong comparison (RFC 9110, 8.8.3.2): ``*``, or the tag itself, not
    weak."""
    return wanted.star_tag or (tag.startswith('"') and wanted.contains(tag[1:-1]))


def call_held(app: WSGIApp, environ: dict[str, Any], start_response: Callable[..., Any]
              ) -> tuple[str | None, list[tuple[str, str]], Iterable[bytes]]:
    """Call ``app`` holding back the start of its response, for a middleware that changes it:
    (status, headers, body); status None when the app started the response itself (an error
    mid-response, passed on as it is with ``exc_info``)."""
    seen: list[Any] = []

    def hold(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        if exc_info is not None:
            return start_response(status, headers, exc_info)
        seen[:] = [status, headers]
        return refuse_write

    body_iter = app(environ, hold)
    if not seen:
        return None, [], body_iter
    return seen[0], seen[1], body_iter


def header_values(headers: Sequence[tuple[str, str]], names: tuple[str, ...]
                  ) -> dict[str, str]:
    """The value of each of ``names`` (in lower case) that ``headers`` hold, by that name."""
    return {key.lower(): value for key, value in headers if key.lower() in names}


def read_body(body_iter: Iterable[bytes]) -> bytes:
    """The whole body of a WSGI response, its iterable closed."""
    try:
        return b"".join(body_iter)
    finally:
        _close(body_iter)


def _close(body_iter: Iterable[bytes]) -> None:
    close = getattr(body_iter, "close", None)
    if close is not None:
        close()


def refuse_write(data: bytes) -> None:  # pragma: no cover - no view here uses write()
    """The ``write`` callable of a middleware that starts the response only once it has the
    body: no view here writes before returning its body."""
    raise RuntimeError("the app called write() before returning its body")
