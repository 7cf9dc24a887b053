"""Fixtures for the server tests: a small store that follows docs/data-model.md, an app and
its test client, and a live ``entente serve`` on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from entente.graph import store as gstore

from entente.config import Settings

BASE = "https://entente.example.org/"
ENT = "https://entente.example.org/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
STATES = ["china", "russia", "india", "kazakhstan", "mongolia", "iran"]
ORGS = ["sco", "brics", "un-security-council"]
N_ASSERTIONS = 40
LIVE_TIMEOUT = 2.0
LIVE_MAX_ROWS = 5


def _iri(path: str) -> str:
    return f"<{BASE}{path}>"


def dataset_lines(extra_label: str = "") -> list[str]:
    """A small dataset in the shape of docs/data-model.md, as sorted N-Quads lines."""
    lines: list[str] = []
    onto, ents = _iri("graph/ontology"), _iri("graph/entities")
    doc_graph, build = _iri("graph/document/test-doc"), _iri("graph/build")
    lines.append(f"<{ENT[:-1]}> <{RDF_TYPE}> <http://www.w3.org/2002/07/owl#Ontology> {onto} .")
    for cls in ("State", "InternationalOrganization", "Assertion", "Document", "Sentence"):
        lines.append(f"<{ENT}{cls}> <{RDF_TYPE}> <http://www.w3.org/2002/07/owl#Class> {onto} .")
    for slug in STATES:
        lines.append(f"{_iri('id/state/' + slug)} <{RDF_TYPE}> <{ENT}State> {ents} .")
        label = f"{slug.title()}{extra_label}"
        lines.append(f'{_iri("id/state/" + slug)} <{LABEL}> "{label}"@en {ents} .')
    for slug in ORGS:
        org = _iri("id/org/" + slug)
        lines.append(f"{org} <{RDF_TYPE}> <{ENT}InternationalOrganization> {ents} .")
        lines.append(f'{_iri("id/org/" + slug)} <{LABEL}> "{slug.upper()}"@en {ents} .')
    doc = _iri("id/document/test-doc")
    lines.append(f"{doc} <{RDF_TYPE}> <{ENT}Document> {doc_graph} .")
    title = '"A test, with \\"quotes\\""@en'
    lines.append(f"{doc} <http://purl.org/dc/terms/title> {title} {doc_graph} .")
    activity = _iri("id/build/000000000000")
    lines.append(f"{activity} <{RDF_TYPE}> <http://www.w3.org/ns/prov#Activity> {build} .")
    for n in range(1, N_ASSERTIONS + 1):
        a = _iri(f"id/assertion/test-doc-{n}")
        s = _iri(f"id/state/{STATES[n % len(STATES)]}")
        o = _iri(f"id/org/{ORGS[n % len(ORGS)]}")
        sent = _iri(f"id/sentence/test-doc-{n}")
        lines += [
            f"{a} <{RDF_TYPE}> <{ENT}Assertion> {doc_graph} .",
            f"{a} <{ENT}subject> {s} {doc_graph} .",
            f"{a} <{ENT}predicate> <{ENT}memberOf> {doc_graph} .",
            f"{a} <{ENT}object> {o} {doc_graph} .",
            f"{a} <{ENT}evidence> {sent} {doc_graph} .",
            f'{a} <{ENT}quote> "Sentence {n}, with a comma and a tab\\t." {doc_graph} .',
            f"{sent} <{RDF_TYPE}> <{ENT}Sentence> {doc_graph} .",
            f'{sent} <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#beginIndex> '
            f'"{n * 10}"^^<http://www.w3.org/2001/XMLSchema#integer> {doc_graph} .',
            f"{s} <{ENT}memberOf> {o} {doc_graph} .",
        ]
    return sorted(set(lines))


def publish_dataset(store: Path, lines: list[str]) -> gstore.StoreInfo:
    nq = store.parent / f"{store.name}-input.nq"
    nq.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return gstore.publish(nq, store, {"ontology.html": b"<html><body>ontology</body></html>"})


@pytest.fixture(scope="session")
def test_store(tmp_path_factory: pytest.TempPathFactory) -> gstore.StoreInfo:
    """A published store with the small dataset (read-only: do not publish to it)."""
    root = tmp_path_factory.mktemp("server-store")
    return publish_dataset(root / "store", dataset_lines())


@pytest.fixture(scope="session")
def settings(test_store: gstore.StoreInfo) -> Settings:
    return Settings().with_(store=test_store.link, query_timeout=10.0, max_rows=1000)


@pytest.fixture(scope="session")
def app(settings: Settings):  # noqa: ANN201 - a Flask app
    from entente.server.app import create_app

    application = create_app(settings)
    yield application
    application.extensions["entente.engine"].close()


@pytest.fixture()
def client(app):  # noqa: ANN001, ANN201
    return app.test_client()


@pytest.fixture()
def make_app(settings: Settings) -> Iterator[Callable[..., Any]]:
    """``make_app(**overrides)``: an app on the test store with these settings changed; its
    query processes are stopped when the test ends."""
    from entente.server.app import create_app

    made: list[Any] = []

    def make(**overrides: Any) -> Any:
        made.append(create_app(settings.with_(**overrides)))
        return made[-1]

    yield make
    for application in made:
        application.extensions["entente.engine"].close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str  # ends with "/"
    process: subprocess.Popen
    store: Path
    timeout: float = 30.0  # --query-timeout
    max_rows: int = 10_000  # --max-rows
    log: Any = None  # the file the server's output goes to

    def get(self, path: str, **kwargs) -> requests.Response:  # noqa: ANN003
        return requests.get(self.url + path.lstrip("/"), timeout=30, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:  # noqa: ANN003
        return requests.post(self.url + path.lstrip("/"), timeout=30, **kwargs)

    def session_options(self, path: str, headers: dict[str, str]) -> requests.Response:
        return requests.options(self.url + path.lstrip("/"), headers=headers, timeout=30)


def start_server(store: Path, *extra: str, env: dict[str, str] | None = None) -> LiveServer:
    """Start ``entente serve`` on a free loopback port and wait until /healthz answers.

    Its output (the access log is verbose) goes to a file, never to a pipe nobody reads.
    """
    port = free_port()
    command = [sys.executable, "-m", "entente", "serve", "--store", str(store), "--host",
               "127.0.0.1", "--port", str(port), *extra]
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    process = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, **(env or {})},
    )
    server = LiveServer(f"http://127.0.0.1:{port}/", process, store, log=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"entente serve exited: {stop_server(server)}")
        try:
            if requests.get(server.url + "healthz", timeout=30).status_code == 200:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.2)
    output = stop_server(server)
    raise RuntimeError(f"entente serve did not become healthy within 60 s: {output}")


def stop_server(server: LiveServer) -> str:
    """Stop the server; returns everything it printed."""
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
    if server.log is None:
        return ""
    server.log.seek(0)
    return server.log.read()


@pytest.fixture(scope="session")
def live_server(test_store: gstore.StoreInfo) -> Iterator[LiveServer]:
    """``entente serve`` on loopback: 1 worker, --query-timeout 2, --max-rows 5."""
    server = start_server(
        test_store.link, "--workers", "1", "--threads", "8",
        "--query-timeout", str(LIVE_TIMEOUT), "--max-rows", str(LIVE_MAX_ROWS),
    )
    server.timeout, server.max_rows = LIVE_TIMEOUT, LIVE_MAX_ROWS
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def serve_store() -> Iterator[Callable[..., LiveServer]]:
    """A factory: ``serve_store(store_path, *flags)`` starts ``entente serve`` on loopback for
    any store (e.g. ``built_store.link``); every server it started is stopped at the end."""
    started: list[LiveServer] = []

    def start(store: Path, *flags: str) -> LiveServer:
        server = start_server(Path(store), *flags)
        started.append(server)
        return server

    yield start
    for server in started:
        stop_server(server)


MINI_TRIG = Path(__file__).parent.parent / "queries" / "data" / "mini.trig"


@pytest.fixture(scope="session")
def mini_store_link(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small canned-query dataset (tests/queries/data/mini.trig), published as a store."""
    import pyoxigraph
    from entente.graph.store import publish

    root = tmp_path_factory.mktemp("mini")
    store = pyoxigraph.Store()
    store.load(path=str(MINI_TRIG), format=pyoxigraph.RdfFormat.TRIG)
    (root / "mini.nq").write_bytes(pyoxigraph.serialize(store, format=pyoxigraph.RdfFormat.N_QUADS))
    return publish(root / "mini.nq", root / "store", {"ontology.html": b"<html></html>"}).link


@pytest.fixture(scope="module")
def mini_client(mini_store_link: Path) -> Iterator:
    """A test client of an app serving the mini dataset (one per test module)."""
    from entente.server.app import create_app

    app = create_app(Settings().with_(store=mini_store_link, query_timeout=20.0))
    yield app.test_client()
    app.extensions["entente.engine"].close()
