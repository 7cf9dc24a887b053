"""Fixtures for the hardening tests: the app on the built corpus, live servers on loopback,
process inspection through /proc, and the checks every answer must pass."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from entente.graph.store import StoreInfo

from entente.config import Settings

BASE = "https://entente.example.org/"
LIVE_TIMEOUT = 2.0  # --query-timeout of the live servers started here


# --- the app on the built corpus -------------------------------------------------------------


@pytest.fixture(scope="session")
def hard_settings(built_store: StoreInfo) -> Settings:
    return Settings().with_(store=built_store.link, query_timeout=10.0, max_rows=2000,
                            query_processes=2)


@pytest.fixture(scope="session")
def hard_app(hard_settings: Settings) -> Iterator[Any]:
    """create_app on the built corpus (query processes are stopped at the end)."""
    from entente.server.app import create_app

    app = create_app(hard_settings)
    yield app
    app.extensions["entente.engine"].close()


@pytest.fixture()
def hard_client(hard_app: Any) -> Any:
    return hard_app.test_client()


# --- processes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    state: str  # R, S, Z, ...
    cmdline: str


def processes() -> dict[int, Proc]:
    """Every process visible in /proc (pid -> Proc)."""
    found: dict[int, Proc] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        found[int(entry)] = Proc(int(entry), int(fields[1]), fields[0],
                                 cmdline.decode(errors="replace").strip())
    return found


def descendants(root: int) -> list[Proc]:
    """All processes below ``root`` (children, grandchildren, ...)."""
    table = processes()
    out: list[Proc] = []
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for proc in table.values():
            if proc.ppid == parent:
                out.append(proc)
                frontier.append(proc.pid)
    return out


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# --- live servers ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Live:
    """An ``entente serve`` process on loopback."""

    url: str
    process: subprocess.Popen
    log: Any
    extra: tuple[str, ...] = field(default_factory=tuple)

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1].strip("/"))

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return requests.get(self.url + path.lstrip("/"), **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return requests.post(self.url + path.lstrip("/"), **kwargs)

    def workers(self) -> list[Proc]:
        """The web workers (children of the main process)."""
        return [p for p in processes().values()
                if p.ppid == self.process.pid and "entente serve" in p.cmdline]

    def query_children(self) -> list[Proc]:
        """Query processes: children of each worker's forkserver."""
        out = []
        for worker in self.workers():
            for proc in descendants(worker.pid):
                if "forkserver" in proc.cmdline and proc.ppid != worker.pid:
                    out.append(proc)
        return out

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()


def start_live(store: Path, *extra: str, env: dict[str, str] | None = None) -> Live:
    """Start ``entente serve`` and wait until /healthz answers 200 (output goes to a file)."""
    port = free_port()
    command = [sys.executable, "-m", "entente", "serve", "--store", str(store),
               "--host", "127.0.0.1", "--port", str(port), *extra]
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, **(env or {})})
    live = Live(f"http://127.0.0.1:{port}/", process, log, extra)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"entente serve exited: {stop_live(live)}")
        try:
            if requests.get(live.url + "healthz", timeout=30).status_code == 200:
                return live
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"entente serve did not become healthy: {stop_live(live)}")


def stop_live(live: Live) -> str:
    """Stop the server (SIGTERM, then SIGKILL) and return what it printed."""
    if live.process.poll() is None:
        live.process.send_signal(signal.SIGTERM)
        try:
            live.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            live.process.kill()
            live.process.wait()
    return live.output()


@pytest.fixture(scope="session")
def serve_live() -> Iterator[Callable[..., Live]]:
    """``serve_live(store, *flags, env=None)``: a live server, stopped at the end."""
    started: list[Live] = []

    def start(store: Path, *flags: str, env: dict[str, str] | None = None) -> Live:
        live = start_live(store, *flags, env=env)
        started.append(live)
        return live

    yield start
    for live in started:
        stop_live(live)


@pytest.fixture(scope="session")
def corpus_live(serve_live: Callable[..., Live], built_store: StoreInfo) -> Live:
    """The built corpus served by 2 workers, 4 threads, 2 query processes, 2 s time limit."""
    return serve_live(built_store.link, "--workers", "2", "--threads", "4",
                      "--query-timeout", str(LIVE_TIMEOUT), "--max-rows", "1000")


# --- what every answer must look like ------------------------------------------------------------

RESULT_TYPES = {
    "application/sparql-results+json", "application/json", "application/sparql-results+xml",
    "text/csv", "text/tab-separated-values",
}
GRAPH_TYPES = {
    "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml",
    "application/n-quads", "application/trig",
}


def check_error_shape(status: int, content_type: str, body: bytes) -> None:
    """A 4xx/5xx body is the one JSON error shape, or the small HTML error page."""
    if content_type.startswith("text/html"):
        text = body.decode("utf-8")  # the error page, or a form page showing the error
        assert text.lower().startswith("<!doctype html>"), text[:300]
        assert f"<h1>{status} " in text or 'class="error"' in text, text[:300]
        return
    assert content_type.startswith("application/json"), (status, content_type, body[:300])
    payload = json.loads(body)
    assert isinstance(payload, dict), payload
    assert payload["status"] == status, payload
    assert isinstance(payload["error"], str) and payload["error"], payload
    assert "\n" not in payload["error"] and "Traceback" not in payload["error"], payload


def check_answer(method: str, status: int, content_type: str, body: bytes) -> None:
    """Every answer: a well-formed 4xx error, a redirect, or a 200 whose body parses."""
    assert status < 500, (status, body[:500])
    if status >= 400:
        if method != "HEAD":
            check_error_shape(status, content_type, body)
        return
    if status in (301, 302, 303, 307, 308) or method in ("HEAD", "OPTIONS"):
        return
    assert status == 200, (status, body[:300])
    mime = content_type.split(";")[0].strip()
    check_body(mime, body)


def check_body(mime: str, body: bytes) -> None:
    """The body parses as what its media type says."""
    import xml.etree.ElementTree as ET

    import pyoxigraph as ox

    if mime in ("application/sparql-results+json", "application/json"):
        data = json.loads(body)
        assert "head" in data or "queries" in data or "status" in data or "@context" in data \
            or isinstance(data, list) or "openapi" in data, str(data)[:300]
    elif mime in ("application/sparql-results+xml",):
        ET.fromstring(body)
    elif mime in ("text/csv", "text/tab-separated-values", "text/plain", "text/html",
                  "text/css", "application/javascript", "text/javascript"):
        body.decode("utf-8")
    elif mime in GRAPH_TYPES:
        formats = {
            "text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
            "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml":
            ox.RdfFormat.RDF_XML, "application/n-quads": ox.RdfFormat.N_QUADS,
            "application/trig": ox.RdfFormat.TRIG,
        }
        list(ox.parse(body, format=formats[mime]))
    elif mime.startswith("image/") or mime.startswith("font/"):
        pass
    else:
        raise AssertionError(f"unexpected media type {mime!r}")
