"""``entente push``: publish the built dataset to a remote SPARQL 1.1 store.

Every named graph is replaced as a whole, so a re-push is idempotent and a changed document
replaces its graph:

- with a Graph Store endpoint (SPARQL 1.1 Graph Store HTTP Protocol): ``PUT ?graph=G`` with the
  first batch of N-Triples (replaces the graph), ``POST ?graph=G`` with the following ones;
- otherwise SPARQL 1.1 Update: ``DROP SILENT GRAPH <G>`` then ``INSERT DATA`` per batch.

Batches hold at most ``--batch`` triples.  Connection errors, timeouts and 5xx answers are
retried with exponential backoff.  Progress goes to stderr.  At the end the remote triple count
of every pushed graph must equal the local one (else exit 1 naming the graphs that differ).

The push is marked on the remote for ``serve --backend``, whose cache is keyed by the
remote's version: the marker graph ``{base}push`` (outside ``{base}graph/``) is dropped
first and, once the counts match, holds ``<{base}push> dcterms:identifier "F"``, where F is
the store's dump SHA-256 (its manifest), or for ``--data`` a SHA-256 of the N-Triples sent.
So a push that changes the data changes the version even when every graph keeps its count.

The source is the store's oxigraph database (the same content as its ``dataset.nq``; its
graph index gives each graph's quads without reading the whole file), or N-Quads files (or
folders of them) given with ``--data``, e.g. the outputs of parallel worker builds, merged into
a temporary on-disk store first: a graph found in several inputs must have the same content in
each (the ontology and entities graphs), except the build and inferred graphs, which add up.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import requests
from entente.graph import store as gstore
from entente.graph.namespaces import DCTERMS, graph_iri, push_marker_iri
from entente.graph.shards import UNION_GRAPHS, input_files, merge
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from entente.config import Settings, http_url_problem
from entente.errors import EntenteError, UsageError, first_line

#: Retries after the first attempt (waits 0.5, 1, 2, 4, 8 s: about 15 s in all).
RETRIES = 5
BACKOFF_S = 0.5
#: Default triples per request: Graph Store bodies, and SPARQL Update's INSERT DATA (smaller:
#: query parsers such as Virtuoso's run out of parser memory on very long updates).
GSP_BATCH = 10_000
UPDATE_BATCH = 1_000
#: Graph IRIs per count query in the final check.
CHECK_CHUNK = 200
N_TRIPLES = "application/n-triples"
Sleep = Callable[[float], None]


class PushError(EntenteError):
    """The remote store refused the data, or does not hold what was pushed."""


@dataclass(frozen=True)
class Target:
    """Where to push: the query endpoint (for the check) and how to write."""

    endpoint: str
    update_endpoint: str = ""
    graph_store: str = ""
    user: str = ""
    password: str = ""
    token: str = ""
    auth: str = "basic"  # basic | digest
    timeout: float = 300.0

    @property
    def method(self) -> str:
        return "graph-store" if self.graph_store else "update"


@dataclass
class Report:
    graphs: int = 0
    triples: int = 0
    requests: int = 0
    retries: int = 0
    seconds: float = 0.0
    pruned: list[str] = field(default_factory=list)
    #: blank nodes found in more than one graph (each graph's is a blank node of its own on
    #: the remote: a request's blank nodes are its own)
    shared_blank_nodes: int = 0

    @property
    def triples_per_s(self) -> float:
        return self.triples / self.seconds if self.seconds > 0 else 0.0


def session_for(target: Target) -> requests.Session:
    """A session carrying the target's credentials (Bearer token, basic or digest auth)."""
    session = requests.Session()
    auth: AuthBase | None = None
    if target.token:
        session.headers["Authorization"] = f"Bearer {target.token}"
    elif target.user:
        cls = HTTPDigestAuth if target.auth == "digest" else HTTPBasicAuth
        auth = cls(target.user, target.password)
    session.auth = auth
    return session


# --- HTTP with retries ------------------------------------------------------------------


class Client:
    """Requests to one remote store, retried with exponential backoff on transient failures."""

    def __init__(self, target: Target, sleep: Sleep = time.sleep) -> None:
        self.target = target
        self.session = session_for(target)
        self.sleep = sleep
        self.requests = 0
        self.retries = 0

    def send(self, method: str, url: str, what: str, **kwargs: Any) -> requests.Response:
        """Send; retry 5xx, timeouts and connection errors; PushError on anything else."""
        delay = BACKOFF_S
        for attempt in range(RETRIES + 1):
            self.requests += 1
            problem: str
            try:
                response = self.session.request(method, url, timeout=self.target.timeout,
                                                **kwargs)
            except (requests.ConnectionError, requests.Timeout) as exc:
                problem = f"{type(exc).__name__}: {_first_line(str(exc))}"
            else:
                if response.status_code < 400:
                    return response
                problem = f"HTTP {response.status_code}: {_first_line(response.text)}"
                if response.status_code < 500:
                    raise PushError(f"{url}: {what} refused ({problem})")
            if attempt == RETRIES:
                raise PushError(f"{url}: {what} failed after {RETRIES + 1} attempts ({problem})")
            self.retries += 1
            self.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def select(self, query: str) -> list[dict[str, Any]]:
        """Run a SELECT at the query endpoint; rows as {variable: pyoxigraph term}."""
        response = self.send(
            "POST", self.target.endpoint, "query", data={"query": query},
            headers={"Accept": "application/sparql-results+xml"},
        )
        try:
            results = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.XML)
        except (SyntaxError, ValueError) as exc:
            raise PushError(f"{self.target.endpoint}: unreadable query results: {exc}") from None
        names = [v.value for v in results.variables]
        return [{n: s[n] for n in names} for s in results]

    def close(self) -> None:
        self.session.close()


def _first_line(text: str) -> str:
    return first_line(text, 200, "(empty response)")


# --- the source -------------------------------------------------------------------------


@contextmanager
def open_source(store: Path | None, data: Sequence[Path],
                union_graphs: Collection[str] = ()) -> Iterator[tuple[ox.Store, str | None]]:
    """The dataset to push and its fingerprint: N-Quads files (or folders of them) merged
    into a temporary store (see :func:`merge`; no fingerprint), or the built store (its dump's
    SHA-256, as ``serve --backend`` matches the local store to the remote)."""
    if data:
        files = input_files(data)
        with tempfile.TemporaryDirectory(prefix="entente-push-") as tmp:
            source = ox.Store(str(Path(tmp) / "merged"))
            try:
                merge(source, files, Path(tmp), union_graphs)
                yield source, None
            finally:
                del source
                gc.collect()
        return
    info = gstore.locate(store if store is not None else Path("var/store"))
    yield gstore.open_read_only(info), info.manifest.get("sha256")


def local_counts(source: ox.Store) -> dict[str, int]:
    """Triples per named graph (the default graph is not pushed: Entente never writes it)."""
    counts: dict[str, int] = {}
    for graph in sorted(source.named_graphs(), key=lambda g: g.value):
        counts[graph.value] = sum(1 for _ in source.quads_for_pattern(None, None, None, graph))
    return counts


def batches(source: ox.Store, graph: str, size: int,
            graphs_of: dict[str, set[str]] | None = None) -> Iterator[list[ox.Triple]]:
    """The graph's triples in batches of at most ``size``, those of a blank node in one batch.

    A request's blank nodes are its own (a Graph Store body is a document; an ``INSERT
    DATA`` makes fresh ones), so a blank node whose triples went in two batches became two
    blank nodes on the remote, and the count check could not see it.  Triples without a
    blank node come first, in the store's index order; then each set of triples that blank
    nodes join (an OWL list, a reified statement), whole, in the order of their first
    triple: several to a batch as they fit, one larger than ``size`` alone.  ``graphs_of``
    (blank node label -> the graphs it is in) is filled across graphs: a blank node of two
    graphs is two blank nodes on the remote (:func:`push` counts them)."""
    batch: list[ox.Triple] = []
    joined: list[tuple[ox.Triple, list[str]]] = []  # (a triple, its blank node labels)
    for quad in source.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
        triple = quad.triple
        labels = _blank_labels(triple)
        if labels:
            joined.append((triple, labels))
            continue
        batch.append(triple)
        if len(batch) >= size:
            yield batch
            batch = []
    for group in _joined_sets(joined):
        if batch and len(batch) + len(group) > size:
            yield batch
            batch = []
        batch.extend(group)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
    if graphs_of is not None:
        for _, labels in joined:
            for label in labels:
                graphs_of.setdefault(label, set()).add(graph)


def _blank_labels(term: Any) -> list[str]:
    """The labels of the blank nodes in a triple (or a term; quoted triples included)."""
    if isinstance(term, ox.BlankNode):
        return [term.value]
    if isinstance(term, ox.Triple):
        return [*_blank_labels(term.subject), *_blank_labels(term.object)]
    return []


def _joined_sets(joined: list[tuple[ox.Triple, list[str]]]) -> list[list[ox.Triple]]:
    """The triples grouped by the blank nodes they share (connected through any chain of
    them), each group in store order, the groups in the order of their first triple."""
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        while parent.setdefault(label, label) != label:
            parent[label] = parent[parent[label]]  # (path halving)
            label = parent[label]
        return label

    for _, labels in joined:
        first = root(labels[0])
        for other in labels[1:]:
            parent[root(other)] = first
            first = root(first)
    groups: dict[str, list[ox.Triple]] = {}
    for triple, labels in joined:
        groups.setdefault(root(labels[0]), []).append(triple)
    return list(groups.values())


def ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


# --- writing ----------------------------------------------------------------------------


def replace_graph(client: Client, graph: str, parts: Iterator[list[ox.Triple]],
                  digest: Any = None) -> int:
    """Replace ``graph`` on the remote with ``parts``; returns the triples sent.  ``digest``
    (a hashlib object), when given, is updated with the graph IRI and the N-Triples sent."""
    target = client.target
    sent = 0
    first = True
    if digest is not None:
        digest.update(f"<{graph}>\n".encode())
    if target.graph_store:
        for part in parts:
            body = ntriples(part)
            if digest is not None:
                digest.update(body)
            client.send("PUT" if first else "POST", target.graph_store, f"writing <{graph}>",
                        params={"graph": graph}, data=body,
                        headers={"Content-Type": N_TRIPLES})
            sent += len(part)
            first = False
        if first:  # an empty graph: remove it (PUT of nothing would leave an empty graph)
            drop_graph(client, graph)
        return sent
    url = target.update_endpoint or target.endpoint
    for part in parts:
        raw = ntriples(part)
        if digest is not None:
            digest.update(raw)
        body = raw.decode("utf-8")
        update = f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}"
        if first:
            update = f"DROP SILENT GRAPH <{graph}> ;\n{update}"
        client.send("POST", url, f"writing <{graph}>", data={"update": update})
        sent += len(part)
        first = False
    if first:
        drop_graph(client, graph)
    return sent


def drop_graph(client: Client, graph: str) -> None:
    target = client.target
    if target.graph_store:
        try:
            client.send("DELETE", target.graph_store, f"deleting <{graph}>",
                        params={"graph": graph})
        except PushError as exc:
            if "HTTP 404" not in str(exc):  # already absent: fine
                raise
        return
    client.send("POST", target.update_endpoint or target.endpoint, f"deleting <{graph}>",
                data={"update": f"DROP SILENT GRAPH <{graph}>"})


def remote_counts(client: Client, graphs: Sequence[str]) -> dict[str, int]:
    """Triples per graph on the remote, for ``graphs`` (absent graphs are missing)."""
    counts: dict[str, int] = {}
    for start in range(0, len(graphs), CHECK_CHUNK):
        chunk = graphs[start:start + CHECK_CHUNK]
        values = " ".join(f"<{g}>" for g in chunk)
        query = (f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                 f"GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g")
        for row in client.select(query):
            counts[row["g"].value] = int(row["n"].value)
    return counts


def remote_graphs_under(client: Client, prefix: str) -> list[str]:
    """The remote's graph IRIs starting with ``prefix`` (for --prune)."""
    literal = prefix.replace("\\", "\\\\").replace('"', '\\"')
    rows = client.select(f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
                         f'FILTER(STRSTARTS(STR(?g), "{literal}")) }}')
    return sorted(row["g"].value for row in rows)


# --- progress ---------------------------------------------------------------------------


class Progress:
    """A one-line progress bar on a terminal; a line every few seconds otherwise."""

    def __init__(self, total_graphs: int, total_triples: int, quiet: bool = False) -> None:
        self.graphs, self.triples = total_graphs, total_triples
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.started = time.perf_counter()
        self.shown = 0.0

    def update(self, graphs: int, triples: int, final: bool = False) -> None:
        if self.quiet:
            return
        now = time.perf_counter()
        if not final and now - self.shown < (0.2 if self.tty else 5.0):
            return
        self.shown = now
        rate = triples / max(now - self.started, 1e-9)
        share = triples / self.triples if self.triples else 1.0
        bar = "#" * int(share * 30)
        line = (f"push [{bar:<30}] {graphs}/{self.graphs} graphs, "
                f"{triples}/{self.triples} triples, {rate:,.0f} triples/s")
        if self.tty:
            sys.stderr.write("\r" + line + ("\n" if final else ""))
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()


# --- the job ----------------------------------------------------------------------------


def push(
    source: ox.Store,
    target: Target,
    *,
    batch: int | None = None,
    prune_prefix: str | None = None,
    quiet: bool = False,
    sleep: Sleep = time.sleep,
    marker: str | None = None,
    fingerprint: str | None = None,
) -> Report:
    """Push every named graph of ``source``; check the remote counts; return a Report.

    With ``marker`` (``push_marker_iri(base)``) that graph is dropped before the push and
    written after the count check with ``fingerprint`` (default: a SHA-256 of what was sent).
    """
    if batch is None:
        batch = GSP_BATCH if target.graph_store else UPDATE_BATCH
    if batch < 1:
        raise UsageError(f"batch size must be positive, got {batch}")
    counts = local_counts(source)
    if not counts:
        raise PushError("nothing to push: the dataset has no named graphs")
    client = Client(target, sleep=sleep)
    report = Report()
    progress = Progress(len(counts), sum(counts.values()), quiet)
    started = time.perf_counter()
    digest = hashlib.sha256() if marker and not fingerprint else None
    try:
        if marker:
            drop_graph(client, marker)
        graphs_of: dict[str, set[str]] = {}  # blank node label -> the graphs it is in
        for graph in counts:
            report.triples += replace_graph(client, graph,
                                            batches(source, graph, batch, graphs_of), digest)
            report.graphs += 1
            progress.update(report.graphs, report.triples)
        report.shared_blank_nodes = sum(len(g) > 1 for g in graphs_of.values())
        progress.update(report.graphs, report.triples, final=True)
        if prune_prefix:
            for graph in remote_graphs_under(client, prune_prefix):
                if graph not in counts:
                    drop_graph(client, graph)
                    report.pruned.append(graph)
        report.seconds = time.perf_counter() - started
        remote = remote_counts(client, list(counts))
        differ = [g for g, n in counts.items() if remote.get(g, 0) != n]
        if differ:
            shown = ", ".join(f"<{g}> (local {counts[g]}, remote {remote.get(g, 0)})"
                              for g in differ[:5])
            more = f" and {len(differ) - 5} more" if len(differ) > 5 else ""
            raise PushError(f"{target.endpoint}: {len(differ)} graph(s) differ after the "
                            f"push: {shown}{more}")
        if marker:
            value = fingerprint or (digest.hexdigest() if digest is not None else "")
            triple = ox.Triple(ox.NamedNode(marker), ox.NamedNode(str(DCTERMS.identifier)),
                               ox.Literal(value))
            replace_graph(client, marker, iter([[triple]]))
    finally:
        report.requests, report.retries = client.requests, client.retries
        client.close()
    return report


def target_from(args: argparse.Namespace, settings: Settings) -> Target:
    """The Target from command-line flags over ENTENTE_BACKEND* settings."""
    endpoint = args.endpoint or settings.backend
    if not endpoint:
        raise UsageError("no endpoint: give --endpoint URL (or set ENTENTE_BACKEND)")
    token = args.token if args.token is not None else settings.backend_token
    user = args.user if args.user is not None else settings.backend_user
    password = args.password if args.password is not None else settings.backend_password
    if token and user:
        raise UsageError("give --token or --user/--password, not both")
    if bool(user) != bool(password):  # (a Basic or Digest login needs both)
        raise UsageError("give --user and --password together (or ENTENTE_BACKEND_USER and "
                         "ENTENTE_BACKEND_PASSWORD)")
    for flag, url in (("--endpoint", args.endpoint), ("--update-endpoint", args.update_endpoint),
                      ("--graph-store", args.graph_store)):
        problem = url and http_url_problem(url)
        if problem:  # (the ENTENTE_BACKEND* values were checked with the settings)
            raise UsageError(f"{flag}: {problem}")
    return Target(
        endpoint=endpoint,
        update_endpoint=args.update_endpoint or settings.backend_update or "",
        graph_store=args.graph_store or settings.backend_graph_store or "",
        user=user or "", password=password or "", token=token or "",
        auth=args.auth or settings.backend_auth,
    )


def main(args: argparse.Namespace, settings: Settings) -> int:
    """``entente push``: returns the exit code (errors raise EntenteError/UsageError)."""
    target = target_from(args, settings)
    batch = args.batch or settings.push_batch or None
    prefix = settings.base + "graph/" if args.prune else None
    unions = {graph_iri(settings.base, name) for name in UNION_GRAPHS}
    with open_source(settings.store if not args.data else None, args.data or (),
                     union_graphs=unions) as (source, fingerprint):
        report = push(source, target, batch=batch, prune_prefix=prefix, quiet=args.quiet,
                      marker=push_marker_iri(settings.base), fingerprint=fingerprint)
    if report.shared_blank_nodes:
        print(f"entente push: warning: {report.shared_blank_nodes} blank node(s) in more than "
              "one graph: each graph's is a blank node of its own on the remote (a request's "
              "blank nodes are its own; give them IRIs to keep them one)", file=sys.stderr)
    pruned = f", {len(report.pruned)} stale graph(s) removed" if report.pruned else ""
    print(f"pushed {report.triples} triples in {report.graphs} graphs to {target.endpoint} "
          f"by {target.method} in {report.seconds:.1f} s ({report.triples_per_s:,.0f} "
          f"triples/s, {report.retries} retries){pruned}; remote counts match", file=sys.stderr)
    return 0
