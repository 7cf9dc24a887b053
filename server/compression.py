"""gzip content coding of answers (RFC 9110, 8.4 and 12.5.3): a client that sends
``Accept-Encoding: gzip`` gets a 200 of a textual type (query results, RDF, HTML, JSON) of at
least :data:`MIN_BYTES` gzipped; SPARQL answers shrink 5-15x, which is what a remote client
waits for on a slow link.  Off with ``ENTENTE_COMPRESSION=off``.

The layer sits outside the conditional GETs (:mod:`entente.server.conditional`), so an
answer is tagged and revalidated as its identity form, and the cache stores identity bytes:
- the gzip form is another representation, so its strong ``ETag`` is the identity tag with
  :data:`SUFFIX` (``"<sha1>-gzip"``); an ``If-None-Match`` holding such a tag is given to the
  layers inside with the suffix taken off, and the 304 they answer carries it back;
- ``Vary: Accept-Encoding`` is on every answer, coded or not (a shared cache must not hand
  the gzip bytes to a client that did not ask): the app's header hook and the fast path add
  it when gzip is on, so that an answer passes this layer untouched unless it is coded;
- a HEAD is answered as the GET (the same ``Content-Encoding`` and ``Content-Length``);
- what it does not code: answers that are not a 200 (a 206 range, errors), that have a
  ``Content-Encoding`` already, no ``Content-Length``, fewer than :data:`MIN_BYTES` or more
  than ``max_bytes`` (a dump download is passed on as it streams), and clients whose
  ``Accept-Encoding`` does not accept gzip (none sent: identity; ``gzip;q=0``; ``*;q=0``).
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from entente.server.conditional import call_held, header_values, read_body
from werkzeug.http import parse_accept_header, parse_etags, quote_etag, unquote_etag

#: bodies smaller than this are sent as they are (a gzip header and trailer cost 18 bytes,
#: and a small answer fits one packet anyway)
MIN_BYTES = 1024
#: zlib's level, gzip's own default (and Jetty's, Fuseki's server): 2,000 rows of SPARQL JSON
#: (635 KB) coded in 3.2 ms to 26.7 KB; level 1 took 1.25 ms for 34.9 KB, 9 6.6 ms for 25.7
LEVEL = 6
SUFFIX = "-gzip"
#: the media types coded: text of every kind, and the RDF, SPARQL results and JSON types
_TEXTUAL = ("text/", "application/json", "application/ld+json", "application/sparql-results",
            "application/n-triples", "application/n-quads", "application/trig",
            "application/rdf+xml", "application/xml", "application/xhtml+xml",
            "application/javascript", "application/sparql-query", "image/svg+xml",
            "application/geo+json", "application/problem+json")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an ``Accept-Encoding`` value accepts gzip (RFC 9110, 12.5.3): named with a
    quality above 0, or ``*`` above 0 and gzip not named."""
    if not accept_encoding:
        return False
    quality = {name.lower(): q for name, q in parse_accept_header(accept_encoding)}
    for name in ("gzip", "x-gzip", "*"):
        if name in quality:
            return quality[name] > 0
    return False


def textual(content_type: str) -> bool:
    """Whether a ``Content-Type`` is one this layer codes."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media.startswith(_TEXTUAL) or media.endswith(("+json", "+xml"))


class CodedForms:
    """The gzip forms of answers by the strong ``ETag`` of their identity form, least recently
    used out first, within ``max_bytes`` (0: none kept).  The tag is a hash of the answer's
    type and bytes (or, for the dump, the store version): the same tag, the same bytes, so a
    replay from the response cache is not coded again (a 145 KB listing: ~650 coded replays a
    second against ~40,000 kept)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._forms: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, tag: str) -> bytes | None:
        with self._lock:
            body = self._forms.get(tag)
            if body is not None:
                self._forms.move_to_end(tag)
            return body

    def put(self, tag: str, body: bytes) -> None:
        if len(body) > self.max_bytes // 4:
            return
        with self._lock:
            if tag in self._forms:
                return
            self._forms[tag] = body
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                _, dropped = self._forms.popitem(last=False)
                self._bytes -= len(dropped)


class Compression:
    """WSGI middleware: gzip on textual 200 answers for clients that accept it."""

    def __init__(self, app: WSGIApp, max_bytes: int, min_bytes: int = MIN_BYTES,
                 kept_bytes: int = 0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.min_bytes = min_bytes
        self.kept = CodedForms(kept_bytes)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        accept = environ.get("HTTP_ACCEPT_ENCODING")
        method = environ.get("REQUEST_METHOD")
        if not accept or method not in ("GET", "HEAD", "POST") or not accepts_gzip(accept):
            return self.app(environ, start_response)  # (its Vary names Accept-Encoding)
        inner = dict(environ)
        coded_tags = _uncoded_validators(inner)
        if method == "HEAD":
            inner["REQUEST_METHOD"] = "GET"
        status, headers, body_iter = call_held(self.app, inner, start_response)
        if status is None:  # (already started with exc_info)
            return body_iter
        found = header_values(headers, ("content-type", "content-length", "content-encoding",
                                        "etag"))
        content_type, length = found.get("content-type", ""), found.get("content-length")
        coded, tag = "content-encoding" in found, found.get("etag")
        if status.startswith("304 "):
            if tag is not None and unquote_etag(tag)[0] in coded_tags:
                headers = [(k, quote_etag(unquote_etag(tag)[0] + SUFFIX) if k.lower() == "etag"
                            else v) for k, v in headers]
            start_response(status, headers)
            return body_iter
        if not status.startswith("200 ") or not textual(content_type) or coded \
                or length is None or not length.isdigit() \
                or not self.min_bytes <= int(length) <= self.max_bytes:
            start_response(status, headers)
            return self._head(method, body_iter)
        strong = tag is not None and not tag.startswith("W/")
        body = self.kept.get(tag) if strong else None  # type: ignore[arg-type]
        if body is None:
            body = gzip_bytes(read_body(body_iter))
            if strong:
                self.kept.put(tag, body)  # type: ignore[arg-type]
        else:
            read_body(body_iter)  # (closed, as a WSGI body must be)
        start_response(status, _coded_headers(headers, len(body)))
        return [b""] if method == "HEAD" else [body]

    @staticmethod
    def _head(method: str | None, body_iter: Iterable[bytes]) -> Iterable[bytes]:
        """The body of a GET, or none for a HEAD (its headers are the GET's)."""
        if method != "HEAD":
            return body_iter
        read_body(body_iter)
        return [b""]


def _uncoded_validators(environ: dict[str, Any]) -> set[str]:
    """Take the gzip suffix off the tags of the request's ``If-None-Match`` (the layers inside
    know the identity tags); return those tags, unsuffixed."""
    wanted = environ.get("HTTP_IF_NONE_MATCH")
    if not wanted:
        return set()
    tags = parse_etags(wanted).as_set()
    coded = {t[:-len(SUFFIX)] for t in tags if t.endswith(SUFFIX)}
    if coded:
        plain = [t for t in tags if not t.endswith(SUFFIX)] + sorted(coded)
        environ["HTTP_IF_NONE_MATCH"] = ", ".join(quote_etag(t) for t in plain)
    return coded


def _coded_headers(headers: list[tuple[str, str]], length: int) -> list[tuple[str, str]]:
    """The headers of the gzip form: its length, its tag, ``Content-Encoding`` and ``Vary``."""
    out = []
    for key, value in headers:
        lower = key.lower()
        if lower == "content-length":
            value = str(length)
        elif lower == "etag":
            etag, weak = unquote_etag(value)
            value = quote_etag(etag + SUFFIX, weak)
        out.append((key, value))
    out.append(("Content-Encoding", "gzip"))
    return _with_vary(out)  # (the app's hooks named it already)


def gzip_bytes(data: bytes, level: int = LEVEL) -> bytes:
    """``data`` as a gzip member (RFC 1952) with no file name and no time stamp: the same
    bytes give the same coded bytes."""
    coder = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return coder.compress(data) + coder.flush()


def _with_vary(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``headers`` with ``Accept-Encoding`` in their ``Vary``."""
    for i, (key, value) in enumerate(headers):
        if key.lower() == "vary":
            names = {v.strip().lower() for v in value.split(",")}
            if "accept-encoding" in names or "*" in names:
                return headers
            return [*headers[:i], (key, f"{value}, Accept-Encoding"), *headers[i + 1:]]
    return [*headers, ("Vary", "Accept-Encoding")]
