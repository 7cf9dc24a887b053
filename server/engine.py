"""The query engine interface: one ``Backend`` API, two implementations.

Everything above this module (the protocol endpoint, self-description, canned queries, pages,
operations) calls ``get_engine().execute(QueryRequest(...))`` and reads ``info`` / ``version``;
none of it knows where the data lives.  The implementations:

- :class:`entente.server.embedded.QueryEngine` -- the local pyoxigraph store, queried in a pool
  of killable child processes (the default);
- :class:`entente.server.remote.RemoteEngine` -- a remote SPARQL 1.1 endpoint over HTTP
  (``ENTENTE_BACKEND`` / ``entente serve --backend URL``).

The policy is the same for both and applied here: the lexer check (updates and SERVICE
refused) runs before either backend sees the query, the media type is negotiated, results are
cached per (store version, query, substitutions, graphs, media type, row cap), timeouts are
counted; each backend applies the time limit and the row cap while it answers.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from entente.graph.namespaces import PREFIXES
from entente.server.cache import ResultCache
from entente.server.errors import BadRequest, NotAcceptable, QueryTimeout, ServiceUnavailable
from entente.server.lexer import check_query, form_of, has_dataset_clause
from entente.server.negotiation import GRAPH_FORMS, available, choose
from flask import Flask, current_app, g, has_request_context

from entente.config import Settings
from entente.errors import UsageError
from entente.sparql_tokens import (
    ERROR_AT,
    calls_volatile_function,
    explained,
    position,
    star_variables,
    without_repeated_graphs,
)

log = logging.getLogger("entente.server")
#: a file path in an engine message ("Corruption: block checksum mismatch ... in
#: /srv/entente/store-1a2b/oxigraph/000013.sst"): the directory is not told to clients
_STORE_PATH = re.compile(r"(?<![\w.~/])/(?:[^\s/]+/)+(?=[^\s/]+)")

__all__ = ["Backend", "QueryRequest", "QueryResult", "checked_form", "create_backend", "form_of",
           "get_engine",
           "init_app"]


@dataclass
class QueryRequest:
    query: str
    media_type: str | None = None
    substitutions: dict[str, tuple] | None = None
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    use_cache: bool = True
    timeout: float | None = None
    max_rows: int | None = None  # None: Settings.max_rows (internal statistics may lift it)
    #: False: left out of the request's access-log line and query metrics (a check made after
    #: the request's own query, which the log line describes; a label lookup; a form's
    #: suggestions), though still in the slow-query log
    noted: bool = True


@dataclass
class QueryResult:
    body: bytes
    media_type: str
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    truncated: bool
    row_count: int
    elapsed_ms: float
    cached: bool
    store_version: str
    #: the query calls NOW, RAND, UUID, STRUUID or BNODE: its answer is another each run, so
    #: neither cache keeps it (:func:`entente.sparql_tokens.calls_volatile_function`)
    volatile: bool = False




def max_cached_bytes(settings: Settings) -> int:
    """The largest result that is cached, by the engine's result cache and by the response
    cache alike: a quarter of the cache's byte budget (``ENTENTE_CACHE_MB``; 0 = no byte
    limit), so one listing of every assertion at 1M triples (~15 MB) fits."""
    if settings.cache_mb <= 0:
        return 1 << 62
    return settings.cache_mb * 1024 * 1024 // 4

#: Queries that passed the lexer check are remembered by text (at most this many, each at most
#: MAX_CHECKED_CHARS long), so a repeated query is not tokenised again; refusals never are.
CHECKED_QUERIES = 512
MAX_CHECKED_CHARS = 16 * 1024


class Backend:
    """Runs SPARQL queries against the current store version, with limits and a cache.

    Subclasses implement ``start``, ``close``, ``info``, ``version``, ``locate`` and the three
    hooks ``_acquire`` (the version to answer from and a handle), ``_run`` (answer one job:
    ``(kind, payload)`` with kind ``ok``/``syntax``/``bad``/``error`` and payload
    ``(body, form, truncated, rows)`` when ok) and ``_release``.
    """

    kind = "abstract"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        #: the prefixes of compact JSON-LD (``entente.jsonld``): the project's and ``id:``
        self.jsonld_context = {**PREFIXES, "id": settings.base + "id/"}
        self.cache: ResultCache[QueryResult] = ResultCache(
            settings.cache_entries, settings.cache_mb * 1024 * 1024, lambda r: len(r.body))
        self.timeouts = 0

    # -- what a backend provides ------------------------------------------------------------

    def start(self) -> Backend:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    @property
    def info(self) -> Any:
        """The served version's StoreInfo (``version``, ``manifest``, ``dump_path``,
        ``ontology_html``)."""
        raise NotImplementedError

    @property
    def version(self) -> str:
        raise NotImplementedError

    def locate(self) -> Any:
        """The data as it is now (for /healthz); raises StoreError or an ApiError."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Look for a new store version on the next query."""

    def _acquire(self) -> tuple[str, Any]:
        raise NotImplementedError

    def _release(self, handle: Any) -> None:
        raise NotImplementedError

    def _run(self, handle: Any, job: dict[str, Any], timeout: float) -> tuple[str, Any]:
        raise NotImplementedError

    # -- the shared policy --------------------------------------------------------------------

    @staticmethod
    def form_of(query: str) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE (or UPDATE) by a cheap lexical look."""
        return form_of(query)

    #: whether :meth:`syntax_error` can parse a query without running it on the data
    checks_syntax = True

    def syntax_error(self, query: str) -> BadRequest | None:
        """The 400 a malformed query gets, or None (well-formed, or not known here).  Used
        before answering 406, so that a broken query hears about its syntax first, as
        Fuseki answers it; the query is parsed (and run on an empty dataset) in a query
        process, with the usual time limit."""
        if not self.checks_syntax:
            return None
        _version, handle = self._acquire()
        try:
            kind, payload = self._run(handle, {"query": query, "check_only": True},
                                      self.settings.query_timeout)
        except (QueryTimeout, ServiceUnavailable):
            return None  # not known: the 406 stands
        finally:
            self._release(handle)
        if kind == "syntax":
            return syntax_error("query", query, payload)
        return None

    def execute(self, req: QueryRequest) -> QueryResult:
        """Run ``req``; raises BadRequest, NotAcceptable, QueryTimeout or ServiceUnavailable."""
        form, own_dataset, star, volatile = _checked(req.query,
                                                     self.settings.service_allowlist)
        use_cache = req.use_cache and not volatile
        media = req.media_type or choose(None, None, form)
        if media not in _media_for(form):
            media = choose(media, None, form)
        subs = req.substitutions or {}
        version, handle = self._acquire()
        key = (version, req.query, tuple(sorted(subs.items())), req.default_graph_uris,
               req.named_graph_uris, media, req.max_rows)
        if use_cache:
            hit = self.cache.get(key)
            if hit is not None:
                self._release(handle)
                return _noted(req, replace(hit, cached=True, elapsed_ms=0.0))
        job = {
            "query": without_repeated_graphs(req.query) if own_dataset else req.query,
            "form": form, "media_type": media,
            "max_rows": req.max_rows or self.settings.max_rows,
            "substitutions": subs, "default_graphs": list(req.default_graph_uris),
            "named_graphs": list(req.named_graph_uris), "prefixes": PREFIXES,
            "context": self.jsonld_context,
            "own_dataset": own_dataset, "star_variables": star,
        }
        timeout = (min(req.timeout, self.settings.query_timeout) if req.timeout
                   else self.settings.query_timeout)  # a request may only shorten it
        started = time.perf_counter()
        try:
            kind, payload = self._run(handle, job, timeout)
        except QueryTimeout as exc:
            self.timeouts += 1
            exc.query = req.query
            if has_request_context():
                g.setdefault("entente_timeouts", []).append(req.query)
            raise
        finally:
            self._release(handle)
        elapsed = (time.perf_counter() - started) * 1000
        if kind == "syntax":
            raise syntax_error("query", req.query, payload)
        if kind == "bad":
            raise BadRequest(f"cannot run the query: {payload}")
        if kind == "unwritable":  # what the format cannot carry (results.Unwritable)
            raise NotAcceptable(payload, available=[m for m in _media_for(form) if m != media])
        if kind != "ok":  # (the log has the store's path; the client does not)
            log.warning("the store could not answer: %s", payload)
            raise ServiceUnavailable(
                f"the store could not answer: {_STORE_PATH.sub('<store>/', str(payload))}")
        body, real_form, truncated, rows = payload
        result = QueryResult(
            body=body, media_type=media, form=form if real_form == "GRAPH" else real_form,
            truncated=truncated, row_count=rows, elapsed_ms=elapsed, cached=False,
            store_version=version, volatile=volatile,
        )
        if use_cache and len(body) <= max_cached_bytes(self.settings):
            self.cache.put(key, result)
        return _noted(req, result)


def checked_form(query: str, service_allowlist: tuple[str, ...] = ()) -> str:
    """``check_query`` memoised by (query text, allowlist) for queries it accepted.

    The check is a pure function of its arguments.  ``lru_cache`` stores only returned values,
    so a refused query raises BadRequest again on every request; long queries are checked
    every time (they would make the memo large).
    """
    return _checked(query, service_allowlist)[0]


def _checked(query: str, service_allowlist: tuple[str, ...]
             ) -> tuple[str, bool, tuple[str, ...] | None, bool]:
    """(form, names its own dataset, the column order of a ``SELECT *``, calls a volatile
    function) of a query that passes the lexer check."""
    if len(query) > MAX_CHECKED_CHARS:
        return _check(query, service_allowlist)
    return _checked_memo(query, tuple(service_allowlist))


def _check(query: str, service_allowlist: tuple[str, ...]
           ) -> tuple[str, bool, tuple[str, ...] | None, bool]:
    form = check_query(query, service_allowlist)
    return (form, has_dataset_clause(query),
            star_variables(query) if form == "SELECT" else None, calls_volatile_function(query))


_checked_memo = lru_cache(maxsize=CHECKED_QUERIES)(_check)


def _noted(req: QueryRequest, result: QueryResult) -> QueryResult:
    """Remember the query and its result on the request: for the access log, the metrics and
    the slow-query log, or (``noted=False``) for the slow-query log only."""
    if has_request_context():
        key = "entente_queries" if req.noted else "entente_aux_queries"
        g.setdefault(key, []).append((req.query, result))
    return result


def _media_for(form: str) -> tuple[str, ...]:
    return available("CONSTRUCT" if form in GRAPH_FORMS else "SELECT")


def syntax_error(what: str, text: str, message: str) -> BadRequest:
    """The 400 for the engine's syntax error ``message`` on the query or update ``text``
    (``what``), in plain words where the engine's are obscure (an undeclared prefix, with the
    namespace of one of the project's; a relative IRI without BASE:
    :func:`entente.sparql_tokens.explained`).  No prefix is predeclared at the endpoint."""
    clearer = explained(text, message, known=PREFIXES)
    if clearer is not None:
        where = position(text, clearer[1])
        return BadRequest(f"malformed {what}: error at {where}: {clearer[0]}", position=where)
    return BadRequest(f"malformed {what}: {message}", position=_position(message))


def _position(message: str) -> str | None:
    """``line:column`` from a pyoxigraph syntax error ("error at 1:26: expected ...")."""
    match = ERROR_AT.search(message)
    return f"{match.group(1)}:{match.group(2)}" if match else None


def create_backend(settings: Settings) -> Backend:
    """The backend the settings ask for (not started): remote when ENTENTE_BACKEND is set."""
    if settings.backend:
        if settings.update_enabled:
            raise UsageError("ENTENTE_UPDATE_ENABLED applies to the embedded store only; with "
                             "ENTENTE_BACKEND send updates to the remote store itself")
        from entente.server.remote import RemoteEngine

        return RemoteEngine(settings)
    from entente.server.embedded import QueryEngine

    return QueryEngine(settings)


_KEY = "entente.engine"


def init_app(app: Flask, settings: Settings) -> Backend:
    """Start the engine for ``app`` (raises StoreError when the data cannot be reached)."""
    engine = create_backend(settings).start()
    app.extensions[_KEY] = engine
    return engine


def get_engine() -> Backend:
    """The engine of the current Flask app."""
    return current_app.extensions[_KEY]
