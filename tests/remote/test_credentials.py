"""The remote store's credentials and dataset, against a fake SPARQL endpoint on loopback:
``serve --backend`` with ENTENTE_BACKEND_TOKEN (Bearer) or ENTENTE_BACKEND_USER / PASSWORD /
AUTH (basic, digest), ENTENTE_BACKEND_DATASET (``named``, ``endpoint``), and ``entente push
--token`` (README, "Configuration" and "CLI")."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox
import pytest
import requests

from entente.config import Settings

BASE = "https://entente.example.org/"
OURS = f"{BASE}graph/document/x"
OTHER = "http://other.example/graph"  # a graph that is not Entente's
RESULTS_XML = "application/sparql-results+xml"
REALM, NONCE = "fake", "0123456789abcdef"
VALUES = "SELECT ?v WHERE { ?s ?p ?v } ORDER BY ?v"


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


@dataclass(frozen=True)
class Seen:
    """One request the fake endpoint received."""

    method: str
    path: str
    authorization: str | None
    params: dict[str, list[str]]  # query string and form fields


@dataclass
class FakeRemote:
    """A SPARQL endpoint (``/sparql``: queries and updates) and Graph Store (``/gsp``) over an
    in-memory pyoxigraph store, answering only requests with the credentials it was given:
    ``("bearer", token)``, ``("basic", user, password)`` or ``("digest", user, password)``.
    Without a dataset in the request a query sees the union of the graphs."""

    credentials: tuple[str, ...]
    url: str = ""
    store: ox.Store = field(default_factory=ox.Store)
    seen: list[Seen] = field(default_factory=list)

    def authorized(self, method: str, target: str, header: str | None) -> bool:
        kind, *secret = self.credentials
        if header is None:
            return False
        if kind == "bearer":
            return header == f"Bearer {secret[0]}"
        user, password = secret
        if kind == "basic":
            return header == "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        fields = dict(re.findall(r'(\w+)="?([^",]*)"?', header.removeprefix("Digest ")))
        # RFC 2617 without qop: MD5(MD5(user:realm:password):nonce:MD5(method:uri))
        expected = _md5(f"{_md5(f'{user}:{REALM}:{password}')}:{NONCE}:"
                        f"{_md5(f'{method}:{target}')}")
        return header.startswith("Digest ") and fields.get("username") == user \
            and fields.get("uri") == target and fields.get("response") == expected

    def challenge(self) -> str:
        kind = self.credentials[0]
        if kind == "digest":
            return f'Digest realm="{REALM}", nonce="{NONCE}", algorithm="MD5"'
        return "Bearer" if kind == "bearer" else f'Basic realm="{REALM}"'

    def answer(self, method: str, path: str, params: dict[str, list[str]],
               body: bytes) -> tuple[int, str, bytes]:
        if path == "/gsp":
            graph = ox.NamedNode(params["graph"][0])
            present = graph in set(self.store.named_graphs())
            if method in ("PUT", "DELETE") and present:
                self.store.remove_graph(graph)
            if method == "DELETE":
                return (204 if present else 404), "text/plain", b""
            self.store.load(body, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
            return 201, "text/plain", b""
        if "update" in params:
            self.store.update(params["update"][0])
            return 204, "text/plain", b""
        dataset: dict[str, object] = {"use_default_graph_as_union": True}
        if "default-graph-uri" in params:
            dataset = {"default_graph": [ox.NamedNode(g) for g in params["default-graph-uri"]]}
        if "named-graph-uri" in params:
            dataset["named_graphs"] = [ox.NamedNode(g) for g in params["named-graph-uri"]]
        result = self.store.query(params["query"][0], **dataset)
        if isinstance(result, ox.QueryTriples):
            return 200, "application/n-triples", result.serialize(format=ox.RdfFormat.N_TRIPLES)
        return 200, RESULTS_XML, result.serialize(format=ox.QueryResultsFormat.XML)

    def sent(self, query: str) -> list[Seen]:
        """The requests that carried this query."""
        return [s for s in self.seen if s.params.get("query") == [query]]


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def log_message(self, *args) -> None:  # noqa: ANN002 - quiet
        return

    def _handle(self) -> None:
        fake: FakeRemote = self.server.fake  # type: ignore[attr-defined]
        url = urlparse(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        params = parse_qs(url.query, keep_blank_values=True)
        if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            params.update(parse_qs(body.decode(), keep_blank_values=True))
        header = self.headers.get("Authorization")
        fake.seen.append(Seen(self.command, url.path, header, params))
        if not fake.authorized(self.command, self.path, header):
            status, media, out = 401, "text/plain", b"unauthorized"
        else:
            status, media, out = fake.answer(self.command, url.path, params, body)
        self.send_response(status)
        if status == 401:
            self.send_header("WWW-Authenticate", fake.challenge())
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST = do_PUT = do_DELETE = _handle  # noqa: N815


@pytest.fixture
def fake_remote() -> Iterator:
    """``fake_remote(*credentials)``: a FakeRemote on loopback, holding one triple in an
    Entente graph and one in another graph; stopped at the end of the test."""
    servers: list[ThreadingHTTPServer] = []

    def start(*credentials: str) -> FakeRemote:
        fake = FakeRemote(credentials)
        fake.store.add(ox.Quad(ox.NamedNode(f"{BASE}id/x"), ox.NamedNode(f"{BASE}ontology#v"),
                               ox.Literal("entente"), ox.NamedNode(OURS)))
        fake.store.add(ox.Quad(ox.NamedNode("http://other.example/s"),
                               ox.NamedNode("http://other.example/p"), ox.Literal("other"),
                               ox.NamedNode(OTHER)))
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.fake = fake  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
        fake.url = f"http://127.0.0.1:{server.server_address[1]}"
        return fake

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def remote_app(environ: dict[str, str]) -> Iterator:
    """An app made from these environment variables (as ``entente serve`` reads them), its
    engine closed on leaving, an assertion failed inside or not."""
    from entente.server.app import create_app

    app = create_app(Settings.from_env(environ))
    try:
        yield app
    finally:
        app.extensions["entente.engine"].close()


def csv_answer(app, query: str = VALUES) -> tuple[int, str]:  # noqa: ANN001
    r = app.test_client().get("/sparql", query_string={"query": query},
                              headers={"Accept": "text/csv"})
    return r.status_code, r.get_data(as_text=True)


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:
        return False


# --- serve --backend ----------------------------------------------------------------------------


def test_serve_backend_sends_the_token_of_entente_backend_token(fake_remote,
                                                                tmp_path: Path) -> None:
    fake = fake_remote("bearer", "T")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTENTE_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "entente", "serve", "--backend", f"{fake.url}/sparql",
         "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
         "--store", str(tmp_path / "no-store")],
        stdout=log, stderr=subprocess.STDOUT, env={**env, "ENTENTE_BACKEND_TOKEN": "T"})
    try:
        deadline = time.monotonic() + 60
        while not answers(f"http://127.0.0.1:{port}/healthz"):
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise AssertionError(f"entente serve --backend did not answer: {log.read()}")
            time.sleep(0.2)
        r = requests.get(f"http://127.0.0.1:{port}/sparql", params={"query": VALUES},
                         headers={"Accept": "text/csv"}, timeout=30)
        assert (r.status_code, r.text) == (200, "v\r\nentente\r\n")
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:  # (a hung server is killed, not left running)
            proc.kill()
            proc.wait(10)
        log.close()
    assert [s.authorization for s in fake.sent(VALUES)] == ["Bearer T"]
    assert {s.authorization for s in fake.seen} == {"Bearer T"}


@pytest.mark.parametrize("auth", ["basic", "digest"])
def test_serve_backend_logs_in_with_entente_backend_user_and_password(
        fake_remote, tmp_path: Path, auth: str) -> None:
    fake = fake_remote(auth, "u", "p w")
    with remote_app({"ENTENTE_BACKEND": f"{fake.url}/sparql", "ENTENTE_BACKEND_USER": "u",
                     "ENTENTE_BACKEND_PASSWORD": "p w", "ENTENTE_BACKEND_AUTH": auth,
                     "ENTENTE_STORE": str(tmp_path / "no-store")}) as app:
        assert csv_answer(app) == (200, "v\r\nentente\r\n")
    scheme = {"basic": "Basic ", "digest": "Digest "}[auth]
    answered = [s for s in fake.seen if s.authorization and s.authorization.startswith(scheme)]
    assert len(answered) >= 3  # the graphs' counts, the push marker, the query
    if auth == "basic":  # sent with every request
        assert answered == fake.seen
    else:  # sent once challenged (and then with every request)
        assert fake.seen[0].authorization is None
        assert all(s.authorization is None or s in answered for s in fake.seen)


def test_serve_backend_without_its_credentials_is_refused_by_the_remote(
        fake_remote, tmp_path: Path) -> None:
    """(The fake endpoint's own check: the tests above would prove nothing without it.)"""
    from entente.server.app import create_app

    from entente.errors import StoreError

    fake = fake_remote("bearer", "T")
    settings = Settings.from_env({"ENTENTE_BACKEND": f"{fake.url}/sparql",
                                  "ENTENTE_BACKEND_TOKEN": "wrong",
                                  "ENTENTE_STORE": str(tmp_path / "no-store")})
    with pytest.raises(StoreError, match="the remote SPARQL endpoint answered HTTP 401"):
        create_app(settings)


@pytest.mark.parametrize(("dataset", "rows"), [
    ("named", "v\r\nentente\r\n"),  # Entente's graphs named as the dataset: theirs left out
    ("endpoint", "v\r\nentente\r\nother\r\n"),  # the remote's own default dataset
], ids=["named", "endpoint"])
def test_entente_backend_dataset_names_entente_graphs_or_leaves_the_dataset_to_the_remote(
        fake_remote, tmp_path: Path, dataset: str, rows: str) -> None:
    fake = fake_remote("bearer", "T")
    with remote_app({"ENTENTE_BACKEND": f"{fake.url}/sparql",
                     "ENTENTE_BACKEND_TOKEN": "T", "ENTENTE_BACKEND_DATASET": dataset,
                     "ENTENTE_STORE": str(tmp_path / "no-store")}) as app:
        assert csv_answer(app) == (200, rows)
    [sent] = fake.sent(VALUES)
    graphs = {k: v for k, v in sent.params.items() if k != "query"}
    if dataset == "named":
        assert graphs == {"default-graph-uri": [OURS], "named-graph-uri": [OURS]}
    else:
        assert graphs == {}


# --- entente push ---------------------------------------------------------------------------


def push(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ENTENTE_")}
    return subprocess.run([sys.executable, "-m", "entente", "push", *args], capture_output=True,
                          text=True, timeout=120, env={**clean, **(env or {})})


def test_push_sends_its_token(fake_remote, tmp_path: Path) -> None:
    fake = fake_remote("bearer", "T")
    graph = f"{BASE}graph/document/y"
    data = tmp_path / "y.nq"
    data.write_text(f'<{BASE}id/y> <{BASE}ontology#v> "pushed" <{graph}> .\n', encoding="utf-8")
    done = push("--data", str(data), "--endpoint", f"{fake.url}/sparql",
                "--graph-store", f"{fake.url}/gsp", "--token", "T", "--quiet")
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(f"pushed 1 triples in 1 graphs to {fake.url}/sparql by "
                                  "graph-store in "), done.stderr
    assert done.stderr.rstrip().endswith("remote counts match"), done.stderr
    held = {(q.subject.value, q.object.value) for q in
            fake.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}
    assert held == {(f"{BASE}id/y", "pushed")}
    assert {s.authorization for s in fake.seen} == {"Bearer T"}
    assert {s.method for s in fake.seen} == {"PUT", "POST", "DELETE"}


@pytest.mark.parametrize(("flags", "env"), [
    (["--user", "u"], {}), (["--password", "p"], {}), (["--user", "u"], {"ENTENTE_BACKEND_USER":
                                                                        "v"}),
    (["--password", "p"], {"ENTENTE_BACKEND_PASSWORD": "q"}),
], ids=["user", "password", "user-env", "password-env"])
def test_push_refuses_a_user_without_a_password_and_the_reverse(
        tmp_path: Path, flags: list[str], env: dict[str, str]) -> None:
    """(a --user without --password went on, and logged in with an empty password)"""
    data = tmp_path / "y.nq"
    data.write_text(f'<{BASE}id/y> <{BASE}ontology#v> "pushed" <{OURS}> .\n', encoding="utf-8")
    done = push("--data", str(data), "--endpoint", "http://127.0.0.1:9/sparql", *flags, env=env)
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", "entente push: error: give --user and --password together (or "
        "ENTENTE_BACKEND_USER and ENTENTE_BACKEND_PASSWORD)\n")


@pytest.mark.parametrize(("flags", "env"), [
    (["--token", "T", "--user", "u", "--password", "p"], {}),
    (["--user", "u", "--password", "p"], {"ENTENTE_BACKEND_TOKEN": "T"}),
    (["--token", "T"], {"ENTENTE_BACKEND_USER": "u", "ENTENTE_BACKEND_PASSWORD": "p"}),
], ids=["flags", "env-token", "env-user"])
def test_push_refuses_a_token_beside_a_user(tmp_path: Path, flags: list[str],
                                            env: dict[str, str]) -> None:
    data = tmp_path / "y.nq"
    data.write_text(f'<{BASE}id/y> <{BASE}ontology#v> "pushed" <{OURS}> .\n', encoding="utf-8")
    done = push("--data", str(data), "--endpoint", "http://127.0.0.1:9/sparql", *flags, env=env)
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", "entente push: error: give --token or --user/--password, not both\n")
