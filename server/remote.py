"""The remote backend: the same API over any SPARQL 1.1 query endpoint (``ENTENTE_BACKEND``).

Entente speaks only the W3C protocols to the remote store, so Virtuoso, GraphDB, Fuseki,
QLever or Neptune all fit.  The shared policy (lexer check, cache, negotiation) runs in
:class:`entente.server.engine.Backend`; here:

- **dataset**: with ``ENTENTE_BACKEND_DATASET=named`` (the default) a query that names no
  dataset is sent with every Entente graph (``{base}graph/...``) as ``default-graph-uri`` and
  ``named-graph-uri``, so the default graph is their union -- as in the embedded store -- and
  whatever else the remote holds (Virtuoso's system graphs, other applications' data) stays
  out.  ``endpoint`` leaves the dataset to the remote (a dedicated repository whose default
  graph is the union; needed with very many graphs).  Protocol graph parameters and
  FROM clauses pass through unchanged.
- **substitutions** become a VALUES block (:mod:`entente.server.inject`);
- **time limit**: the HTTP exchange has the query's time limit (connect and total); a remote
  that answers with a timeout, or Virtuoso's "anytime" partial answer (``X-SQL-State:
  S1TAT``), is a 503 like a local timeout -- partial results are never passed on;
- **row cap**: results are fetched as SPARQL XML (SELECT, ASK) or N-Triples (CONSTRUCT,
  DESCRIBE), parsed with pyoxigraph and re-written by :mod:`entente.server.results` with the
  cap, so truncation headers and flags are the same;
- **store version**: a hash of the triple count of every Entente graph and of the push
  marker (``<{base}push> dcterms:identifier "F"``, written by ``entente push``: the dump's
  SHA-256), re-read at most every ``ENTENTE_BACKEND_REFRESH`` seconds; a push that changes
  the data changes the version (the marker, even where every count stays the same) and so
  invalidates the cache.  The dump and ontology page come from the local store when it is
  the store that was pushed: its SHA-256 is the marker's (without a marker, when its
  manifest has the same counts).
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import requests
from entente.graph import store as gstore
from entente.graph.namespaces import DCTERMS, push_marker_iri
from entente.server.engine import Backend
from entente.server.errors import QueryTimeout, ServiceUnavailable
from entente.server.inject import bind_values
from entente.server.results import Unwritable, write_boolean, write_solutions, write_triples
from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from entente.config import Settings
from entente.errors import StoreError, first_line
from entente.sparql_tokens import star_columns

# Virtuoso echoes one ``X-SPARQL-default-graph`` / ``X-SPARQL-named-graph`` response header per
# graph of the request's dataset, so with ENTENTE_BACKEND_DATASET=named and more than ~50
# documents http.client's limit of 100 response headers refused every answer ("got more than
# 100 headers").  The limit guards against hostile servers; the remote is one we are told to use.
http.client._MAXHEADERS = max(http.client._MAXHEADERS, 1_000_000)

log = logging.getLogger("entente.server")

RESULTS_XML = "application/sparql-results+xml"
N_TRIPLES = "application/n-triples"
CONNECT_TIMEOUT = 5.0
CHUNK = 1 << 16


@dataclass(frozen=True)
class RemoteInfo:
    """What the engine serves from a remote endpoint (shaped like graph.store.StoreInfo)."""

    link: Path
    root: Path
    version: str
    manifest: dict
    oxigraph_path: Path | None
    dump_path: Path
    ontology_html: Path


@dataclass(frozen=True)
class _State:
    version: str
    graphs: tuple[str, ...]
    info: RemoteInfo
    read_at: float


class RemoteEngine(Backend):
    """Queries a remote SPARQL 1.1 endpoint, with the same limits as the embedded store."""

    kind = "remote"
    checks_syntax = False  # (a check would be a whole query on the remote store)

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.endpoint = settings.backend
        self.session = requests.Session()
        if settings.backend_token:
            self.session.headers["Authorization"] = f"Bearer {settings.backend_token}"
        elif settings.backend_user:
            cls = HTTPDigestAuth if settings.backend_auth == "digest" else HTTPBasicAuth
            self.session.auth = cls(settings.backend_user, settings.backend_password)
        self._state: _State | None = None
        self._lock = threading.Lock()

    # -- lifecycle and versions ---------------------------------------------------------------

    def start(self) -> RemoteEngine:
        """Read the remote's graphs (StoreError naming the URL when it does not answer)."""
        self._state = self._read_state()
        return self

    def close(self) -> None:
        self.session.close()

    @property
    def info(self) -> RemoteInfo:
        return self._current().info

    @property
    def version(self) -> str:
        return self._current().version

    def locate(self) -> RemoteInfo:
        self._state = self._read_state()
        return self._state.info

    def refresh(self) -> None:
        state = self._state
        if state is not None:
            self._state = _State(state.version, state.graphs, state.info, 0.0)

    def _current(self) -> _State:
        state = self._state
        if state is None:
            raise ServiceUnavailable("the query engine is not running")
        if (time.monotonic() - state.read_at >= self.settings.backend_refresh
                and self._lock.acquire(blocking=False)):
            try:
                fresh = self._read_state()
            except StoreError as exc:
                log.error("%s", exc)
            else:
                if fresh.version != state.version:
                    log.info("remote version %s -> %s", state.version, fresh.version)
                    self.cache.drop_versions_except(fresh.version)
                self._state = state = fresh
            finally:
                self._lock.release()
        return state

    def _read_state(self) -> _State:
        prefix = self.settings.base + "graph/"
        literal = prefix.replace("\\", "\\\\").replace('"', '\\"')
        query = (f'SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
                 f'FILTER(STRSTARTS(STR(?g), "{literal}")) }} GROUP BY ?g')
        marker_iri = push_marker_iri(self.settings.base)
        try:
            counts = {s["g"].value: int(s["n"].value) for s in self._select(query)}
            marker = " ".join(sorted(s["v"].value for s in self._select(
                f"SELECT ?v WHERE {{ GRAPH <{marker_iri}> {{ <{marker_iri}> "
                f"<{DCTERMS.identifier}> ?v }} }}")))  # what entente push left ("" if none)
        except requests.RequestException as exc:
            raise StoreError(f"{self.endpoint}: the remote SPARQL endpoint does not answer: "
                             f"{_message(str(exc))}") from None
        except (SyntaxError, ValueError, TypeError, KeyError) as exc:
            raise StoreError(f"{self.endpoint}: unreadable answer from the remote SPARQL "
                             f"endpoint: {exc}") from None
        graphs = tuple(sorted(counts))
        digest = hashlib.sha256("".join(f"{g} {counts[g]}\n" for g in graphs).encode())
        digest.update(f"push {marker}\n".encode())
        version = digest.hexdigest()[:12]
        manifest = {"version": version, "quads": sum(counts.values()), "graphs": counts,
                    "backend": self.endpoint, "pushed": marker}
        return _State(version, graphs, self._info(version, manifest), time.monotonic())

    def _select(self, query: str) -> Any:
        """The solutions of a SELECT the remote answers in SPARQL XML (StoreError on any
        other status; requests' and the parser's errors pass to the caller)."""
        response = self._post({"query": query}, RESULTS_XML, self.settings.query_timeout)
        if response.status_code != 200:
            raise StoreError(f"{self.endpoint}: the remote SPARQL endpoint answered HTTP "
                             f"{response.status_code}: {_message(response.text)}")
        return ox.parse_query_results(response.content, format=ox.QueryResultsFormat.XML)

    def _info(self, version: str, manifest: dict) -> RemoteInfo:
        nowhere = Path(f"remote-{version}")
        local: Any = None
        try:
            local = gstore.locate(self.settings.store)
        except StoreError:
            pass
        if local is not None:
            graphs = {g: n for g, n in local.manifest.get("graphs", {}).items() if g}
            pushed = manifest["pushed"]
            if (pushed == local.manifest.get("sha256") if pushed  # the store that was pushed
                    else graphs == manifest["graphs"]):
                return RemoteInfo(local.link, local.root, version, manifest, None,
                                  local.dump_path, local.ontology_html)
        return RemoteInfo(Path(self.endpoint), nowhere, version, manifest, None,
                          nowhere / gstore.DUMP, nowhere / gstore.ONTOLOGY_HTML)

    # -- queries ------------------------------------------------------------------------------

    def _acquire(self) -> tuple[str, Any]:
        state = self._current()
        return state.version, state

    def _release(self, handle: Any) -> None:
        return None

    def _dataset(self, job: dict[str, Any], state: _State) -> dict[str, list[str]]:
        if job["default_graphs"] or job["named_graphs"]:
            return {"default-graph-uri": job["default_graphs"],
                    "named-graph-uri": job["named_graphs"]}
        if job["own_dataset"] or self.settings.backend_dataset != "named":
            return {}
        graphs = list(state.graphs)
        if not graphs:  # nothing of ours: an empty dataset, not the remote's union
            graphs = [self.settings.base + "graph/none"]
        return {"default-graph-uri": graphs, "named-graph-uri": graphs}

    def _post(self, data: dict[str, Any], accept: str, timeout: float) -> requests.Response:
        return self.session.post(self.endpoint, data=data, headers={"Accept": accept},
                                 timeout=(min(CONNECT_TIMEOUT, timeout), timeout), stream=True)

    def _run(self, handle: Any, job: dict[str, Any], timeout: float) -> tuple[str, Any]:
        query = bind_values(job["query"], job["substitutions"])
        graph_form = job["form"] in ("CONSTRUCT", "DESCRIBE")
        data = {"query": query, **self._dataset(job, handle)}
        deadline = time.monotonic() + timeout
        try:
            response = self._post(data, N_TRIPLES if graph_form else RESULTS_XML, timeout)
            body = self._read(response, deadline, timeout)
        except requests.Timeout:
            raise QueryTimeout(f"query exceeded the {timeout:g} s time limit") from None
        except requests.RequestException as exc:
            return "error", f"{self.endpoint} does not answer: {_message(str(exc))}"
        if response.headers.get("X-SQL-State", "").upper() == "S1TAT":  # Virtuoso anytime
            raise QueryTimeout(f"query exceeded the remote store's time limit ({timeout:g} s)")
        status = response.status_code
        if status != 200:
            text = body.decode("utf-8", "replace")
            if status in (400, 422):
                return "syntax", _message(text)
            if status in (408, 504) or "timed out" in text.lower() or "S1T00" in text:
                raise QueryTimeout(f"query exceeded the remote store's time limit "
                                   f"({timeout:g} s)")
            return "error", f"HTTP {status}: {_message(text)}"
        media, max_rows = job["media_type"], job["max_rows"]
        try:
            if graph_form:
                triples = (q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
                out, truncated, rows = write_triples(triples, media, max_rows,
                                                     job["prefixes"], job.get("context"))
                return "ok", (out, "GRAPH", truncated, rows)
            results = ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
            if isinstance(results, ox.QueryBoolean):
                return "ok", (write_boolean(bool(results), media), "ASK", False, 1)
            variables = [v.value for v in results.variables]
            out, truncated, rows = write_solutions(
                variables, results, media, max_rows,
                star_columns(variables, job.get("star_variables")))
            return "ok", (out, "SELECT", truncated, rows)
        except Unwritable as exc:
            return "unwritable", str(exc)
        except (SyntaxError, ValueError) as exc:
            return "error", f"unreadable answer from {self.endpoint}: {exc}"

    def _read(self, response: requests.Response, deadline: float, timeout: float) -> bytes:
        """The whole body, within the deadline and the per-query memory allowance."""
        limit = max(1, self.settings.query_memory_mb) * 1024 * 1024
        parts: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(CHUNK):
                parts.append(chunk)
                size += len(chunk)
                if time.monotonic() > deadline:
                    raise QueryTimeout(f"query exceeded the {timeout:g} s time limit")
                if size > limit:
                    raise ServiceUnavailable("query exceeded the memory limit or crashed")
        finally:
            response.close()
        return b"".join(parts)


def _message(text: str) -> str:
    """The first informative line of a remote error, shortened."""
    return first_line(text, 300, "(no message)")
