"""Nobody gets in: update needs the token and changes nothing when refused or failing; LOAD
and SERVICE never connect (a loopback listener sees nothing), FROM <file:> reads nothing; a
<script> label renders as text; security headers on every kind of response."""

from __future__ import annotations

import select
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from entente.graph import store as gstore

from entente.config import Settings

BASE = "https://entente.example.org/"
LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
EVIL = '<script>alert("x")</script> & Co'
TOKEN = "hardening-token"


@pytest.fixture(scope="module")
def evil_app(tmp_path_factory: pytest.TempPathFactory, built_store: Any) -> Iterator[Any]:
    """The built corpus plus a state and an organization labelled with a script tag; update
    enabled."""
    from entente.server.app import create_app

    root = tmp_path_factory.mktemp("evil")
    lines = built_store.dump_path.read_text(encoding="utf-8").splitlines()
    label = EVIL.replace('"', '\\"')
    for evil in ("id/state/china", "id/org/sco"):  # an actor, and an organization China shares
        lines.append(f'<{BASE}{evil}> <{LABEL}> "{label}"@en <{BASE}graph/entities> .')
    nq = root / "evil.nq"
    nq.write_text("".join(line + "\n" for line in sorted(set(lines))), encoding="utf-8")
    info = gstore.publish(nq, root / "store")
    app = create_app(Settings().with_(store=info.link, update_enabled=True, update_token=TOKEN,
                                      query_timeout=10.0))
    yield app
    app.extensions["entente.engine"].close()


def _version(client: Any) -> str:
    return client.get("/healthz").get_json()["version"]


def test_update_without_or_with_a_wrong_token_changes_nothing(evil_app: Any) -> None:
    client = evil_app.test_client()
    before = _version(client)
    insert = f"INSERT DATA {{ GRAPH <{BASE}graph/x> {{ <urn:a> <urn:b> <urn:c> }} }}"
    for headers, status in (({}, 401), ({"Authorization": "Bearer wrong"}, 403),
                            ({"Authorization": f"Basic {TOKEN}"}, 401),
                            ({"Authorization": f"Bearer {TOKEN}x"}, 403)):
        r = client.post("/update", data={"update": insert}, headers=headers)
        assert r.status_code == status, r.get_data(as_text=True)
    assert _version(client) == before
    ask = client.get("/sparql", query_string={"query": "ASK { <urn:a> ?p ?o }"})
    assert ask.get_json()["boolean"] is False


def test_load_and_service_in_updates_never_connect(evil_app: Any, tmp_path: Path) -> None:
    client = evil_app.test_client()
    before = _version(client)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    port = listener.getsockname()[1]
    secret = tmp_path / "secret.nt"
    secret.write_text("<urn:secret> <urn:p> <urn:unique-triple-7f3a> .\n", encoding="utf-8")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    try:
        for update, message in [
            (f"LOAD <http://127.0.0.1:{port}/data.nt>", "LOAD is not allowed"),
            (f"LOAD SILENT <file://{secret}> INTO GRAPH <urn:g>", "LOAD is not allowed"),
            (f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <http://127.0.0.1:{port}/> "
             "{ ?s ?p ?o } }", f"SERVICE http://127.0.0.1:{port}/ is not allowed"),
        ]:
            r = client.post("/update", data={"update": update}, headers=auth)
            assert r.status_code == 400, r.get_data(as_text=True)
            assert r.get_json()["error"].startswith(message)
        r = client.get("/sparql", query_string={
            "query": f"SELECT * FROM <file://{secret}> WHERE {{ ?s ?p ?o }}"})
        assert r.status_code == 200 and r.get_json()["results"]["bindings"] == []
        readable, _, _ = select.select([listener], [], [], 0.5)
        assert readable == [], "the server connected to the listener"
    finally:
        listener.close()
    assert _version(client) == before
    ask = "ASK { ?s ?p <urn:unique-triple-7f3a> }"
    assert client.get("/sparql", query_string={"query": ask}).get_json()["boolean"] is False


BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.mark.parametrize("path", ["/id/state/china", "/queries/actors",
                                  "/queries/shared-memberships"])
def test_a_script_label_renders_as_text(evil_app: Any, path: str) -> None:
    page = evil_app.test_client().get(path, headers=BROWSER)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<script>alert" not in html
    # the label is on the page, escaped (else the first check could not fail)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in html \
        or "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in html


HTML, JSON = "text/html", "application/json"


@pytest.mark.parametrize(("method", "path", "kwargs", "mimetype"), [
    ("GET", "/", {"headers": BROWSER}, HTML),
    ("GET", "/sparql", {"query_string": {"query": "ASK {}"}}, "application/sparql-results+json"),
    ("GET", "/sparql", {"query_string": {"query": "ASK {}", "format": "csv"}}, "text/csv"),
    ("GET", "/sparql", {"headers": BROWSER}, HTML),  # redirect to the UI
    ("GET", "/sparql", {"query_string": {"query": "SELECT"}}, JSON),  # 400
    ("GET", "/sparql", {"query_string": {"query": "SELECT"}, "headers": BROWSER}, HTML),  # 400
    ("GET", "/nope", {}, JSON), ("PUT", "/sparql", {}, JSON),
    ("GET", "/id/state/china", {}, "text/turtle"),
    ("GET", "/id/state/china", {"headers": BROWSER}, HTML),
    ("GET", "/queries", {"headers": BROWSER}, HTML),
    ("GET", "/healthz", {}, JSON), ("GET", "/metrics", {}, "text/plain"),
    ("GET", "/dump.nq", {}, "application/n-quads"),
    ("OPTIONS", "/sparql", {"headers": {"Origin": "https://x.example",
                                         "Access-Control-Request-Method": "POST"}},
     HTML),  # (Flask's own answer to OPTIONS, with no body)
])
def test_security_headers_on_every_response(evil_app: Any, method: str, path: str,
                                            kwargs: dict, mimetype: str) -> None:
    r = evil_app.test_client().open(path, method=method, **kwargs)
    assert r.mimetype == mimetype, (path, r.status_code)
    assert r.headers["X-Content-Type-Options"] == "nosniff", (path, r.status_code)
    assert r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    if mimetype == HTML:
        assert "default-src 'self'" in r.headers["Content-Security-Policy"]
        assert "object-src 'none'" in r.headers["Content-Security-Policy"]
        assert r.headers["X-Frame-Options"] == "DENY"
