"""Result caches, keyed by store version: a small thread-safe LRU of query results (used by
the engine) and a response cache in front of the WSGI app (used for repeated GETs).

The graph is read-only between builds, so a result stays valid for as long as the store
version it was computed on is the one being served; the store version is part of every key,
so a rebuild invalidates the cache without any explicit flush.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from entente.server.conditional import etag_of, read_body, refuse_write, tagged

V = TypeVar("V")


class ResultCache(Generic[V]):
    """Least-recently-used mapping with at most ``capacity`` entries (0 disables it) and, when
    ``max_bytes`` is set, at most that many bytes in all (``size`` measures an entry)."""

    def __init__(self, capacity: int, max_bytes: int = 0,
                 size: Callable[[V], int] | None = None) -> None:
        self.capacity = max(0, capacity)
        self.max_bytes = max(0, max_bytes)
        self._size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def _weight(self, value: V) -> int:
        return self._size(value) if self._size is not None and self.max_bytes else 0

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: Hashable, value: V) -> None:
        if self.capacity == 0:
            return
        weight = self._weight(value)
        if self.max_bytes and weight > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= self._weight(old)
            self._items[key] = value
            self._bytes += weight
            while len(self._items) > self.capacity or (self.max_bytes
                                                       and self._bytes > self.max_bytes):
                _key, dropped = self._items.popitem(last=False)
                self._bytes -= self._weight(dropped)

    def drop_versions_except(self, version: str) -> None:
        """Forget entries of other store versions (keys are tuples starting with the version)."""
        with self._lock:
            for key in [k for k in self._items if isinstance(k, tuple) and k[0] != version]:
                self._bytes -= self._weight(self._items.pop(key))

    @property
    def bytes(self) -> int:
        """Bytes held (0 when no byte budget is set)."""
        return self._bytes

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def note_hit(self) -> None:
        """Count a hit answered by a cache in front of this one (it shares the hit counter)."""
        with self._lock:
            self.hits += 1


# --- the response cache in front of the WSGI app --------------------------------------------

#: environ key a view sets (with :func:`mark_cacheable`) when its response may be replayed
CACHEABLE = "entente.cacheable"
#: paths whose GET responses may be cached (the views still decide, request by request)
CACHED_PREFIXES = ("/queries/", "/sparql")


@dataclass(frozen=True)
class Cacheable:
    """What a view says about a replayable response: the store version it was computed on,
    the endpoint, and the facts the access log records about its query."""

    version: str
    endpoint: str
    query_hash: str
    rows: int
    truncated: bool


@dataclass(frozen=True)
class StoredResponse:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    about: Cacheable


def mark_cacheable(environ: dict[str, Any], about: Cacheable) -> None:
    """Called by a view: this GET response depends only on the request line, Accept and Origin
    (and the store version), so it may be replayed byte for byte."""
    environ[CACHEABLE] = about


WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
HitHook = Callable[[dict[str, Any], StoredResponse, float], None]


class ResponseCache:
    """WSGI middleware: a repeated GET of a cached query is a dict lookup plus writing bytes.

    The key is (store version, path, query string, Accept, Origin): everything the response
    of a view that called :func:`mark_cacheable` depends on.  The stored value is the final
    status, headers (``X-Cache: hit``) and body exactly as the app produced them on the miss,
    so formats, CORS and download headers replay unchanged.  ``version`` is the engine's
    current store version (a cheap check: the store link is looked at once a second); a new
    version makes older entries unreachable and they are dropped.  ``on_hit`` does the
    bookkeeping operations needs (metrics, access log) for answers that never reach Flask.
    ``max_bytes``: the largest body stored (``engine.max_cached_bytes``); ``budget_bytes``: all
    stored bodies together (0: no limit).
    """

    def __init__(self, app: WSGIApp, capacity: int, version: Callable[[], str],
                 on_hit: HitHook | None, max_bytes: int,
                 budget_bytes: int = 0) -> None:
        self.app = app
        self.entries: ResultCache[StoredResponse] = ResultCache(
            capacity, budget_bytes, lambda stored: len(stored.body))
        self.version = version
        self.on_hit = on_hit
        self.max_bytes = max_bytes
        self._seen_version: str | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if (environ.get("REQUEST_METHOD") != "GET" or not path.startswith(CACHED_PREFIXES)
                or self.entries.capacity == 0):
            return self.app(environ, start_response)
        started = time.perf_counter()
        try:
            version = self.version()
        except Exception:  # noqa: BLE001 - the app answers with the proper error
            return self.app(environ, start_response)
        if version != self._seen_version:
            self._seen_version = version
            self.entries.drop_versions_except(version)
        key = (version, path, environ.get("QUERY_STRING", ""), environ.get("HTTP_ACCEPT", ""),
               environ.get("HTTP_ORIGIN", ""))
        stored = self.entries.get(key)
        if stored is not None:
            start_response(stored.status, list(stored.headers))
            if self.on_hit is not None:
                self.on_hit(environ, stored, started)
            return [stored.body]
        return self._fill(key, environ, start_response)

    def _fill(self, key: tuple, environ: dict[str, Any], start_response: Callable[..., Any]
              ) -> Iterable[bytes]:
        seen: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if exc_info is not None:
                return start_response(status, headers, exc_info)
            seen[:] = [status, headers]  # (started below, once the answer is known)
            return refuse_write

        body_iter = self.app(environ, capture)
        if not seen:
            return body_iter
        status, headers = seen
        about = environ.get(CACHEABLE)
        length = next((v for k, v in headers if k.lower() == "content-length"), None)
        if not isinstance(about, Cacheable) or about.version != key[0] \
                or not status.startswith("200 ") or length is None \
                or int(length) > self.max_bytes:
            start_response(status, headers)
            return body_iter
        body = read_body(body_iter)
        if not any(k.lower() == "etag" for k, _ in headers):
            headers = tagged(headers, etag_of(body, headers))  # (once: replays are not
            # hashed again)
        replay = [("X-Cache", "hit") if k == "X-Cache" else (k, v) for k, v in headers]
        self.entries.put(key, StoredResponse(status, replay, body, about))
        start_response(status, headers)
        return [body]
