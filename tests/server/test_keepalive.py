"""Kept-alive connections: pipelined requests are answered in order on one connection, and a
client that keeps its connection busy never keeps the only request thread from another."""

from __future__ import annotations

import socket
import threading
import time
from urllib.parse import urlsplit

import pytest
import requests

from entente.config import Settings

from .conftest import start_server, stop_server  # noqa: TID252

CANNED = "queries/shared-memberships?a=id/state/china&b=id/state/russia"


@pytest.fixture(scope="module")
def one_thread_server(test_store):  # noqa: ANN001, ANN201 - 1 worker with 1 request thread
    server = start_server(test_store.link, "--workers", "1", "--threads", "1",
                          env={"ENTENTE_CACHE_ENTRIES": "0"})
    yield server
    stop_server(server)


class _Responses:
    """Reads HTTP/1.1 responses (with Content-Length) off one socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.data, self.head = sock, b"", b""

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        assert chunk, "the server closed the connection"
        self.data += chunk

    def next(self) -> tuple[bytes, bytes]:
        while b"\r\n\r\n" not in self.data:
            self._fill()
        head, self.data = self.data.split(b"\r\n\r\n", 1)
        self.head = head
        length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:"))
        while len(self.data) < length:
            self._fill()
        body, self.data = self.data[:length], self.data[length:]
        return head.split(b"\r\n", 1)[0], body


def test_pipelined_requests_on_one_connection(one_thread_server) -> None:  # noqa: ANN001
    parts = urlsplit(one_thread_server.url)
    request = (f"GET /{CANNED} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
               "Accept: text/csv\r\n\r\n").encode()
    with socket.create_connection((parts.hostname, parts.port), timeout=20) as sock:
        responses = _Responses(sock)
        sock.sendall(request * 3)  # three requests in one write
        answers = [responses.next() for _ in range(3)]
        sock.sendall(request)  # and the connection is still open for a fourth
        answers.append(responses.next())
    assert {status for status, _ in answers} == {b"HTTP/1.1 200 OK"}
    assert len({body for _, body in answers}) == 1
    assert answers[0][1].startswith(b"organization,organizationLabel,a,b,assertions\r\n")


def test_a_busy_connection_does_not_keep_the_thread_from_another(one_thread_server) -> None:  # noqa: ANN001
    parts = urlsplit(one_thread_server.url)
    request = (f"GET /{CANNED} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n").encode()
    stop = threading.Event()
    busy_statuses: list[bytes] = []

    def busy() -> None:  # always one request waiting behind the one being answered
        with socket.create_connection((parts.hostname, parts.port), timeout=20) as sock:
            responses = _Responses(sock)
            sock.sendall(request * 2)
            while not stop.is_set():
                busy_statuses.append(responses.next()[0])
                sock.sendall(request)

    thread = threading.Thread(target=busy, daemon=True)
    thread.start()
    try:
        while len(busy_statuses) < 5 and thread.is_alive():
            thread.join(0.05)
        with requests.Session() as other:
            statuses = [other.get(one_thread_server.url + CANNED, timeout=10).status_code
                        for _ in range(3)]
    finally:
        stop.set()
        thread.join(30)
    assert statuses == [200] * 3
    assert set(busy_statuses) == {b"HTTP/1.1 200 OK"}


def test_a_request_whose_body_the_app_did_not_read_keeps_its_connection(one_thread_server) -> None:  # noqa: ANN001,E501
    # The 415 needs no body, but the connection carries the next request only once the body
    # is read.  A client sends the body right after the head; here it comes 0.2 s later, after
    # the app has decided (granian, left alone, answered with "connection: close" and closed).
    parts = urlsplit(one_thread_server.url)
    body = b"query=ASK%20%7B%7D"
    refused = (f"POST /sparql HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: text/plain\r\n"
               f"Content-Length: {len(body)}\r\n\r\n").encode()
    nxt = f"GET /{CANNED} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: text/csv\r\n\r\n".encode()
    with socket.create_connection((parts.hostname, parts.port), timeout=20) as sock:
        responses = _Responses(sock)
        sock.sendall(refused)
        time.sleep(0.2)
        sock.sendall(body)
        first = responses.next()
        assert b"connection: close" not in responses.head.lower()
        sock.sendall(nxt)
        second = responses.next()
    assert [first[0].split()[1], second[0].split()[1]] == [b"415", b"200"]
    assert second[1].startswith(b"organization,organizationLabel,a,b,assertions\r\n")


def test_a_body_over_the_limit_is_refused_and_its_connection_closed(one_thread_server) -> None:  # noqa: ANN001,E501
    parts = urlsplit(one_thread_server.url)
    head = (f"POST /sparql HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            "Content-Type: application/sparql-query\r\n"
            f"Content-Length: {Settings().max_request_bytes + 1}\r\n\r\n").encode()
    with socket.create_connection((parts.hostname, parts.port), timeout=20) as sock:
        sock.sendall(head + b"ASK {}")  # (the rest of the body never comes)
        status, _ = (responses := _Responses(sock)).next()
        header = responses.head.lower()
    assert status.split()[1] == b"413"
    assert b"\r\nconnection: close" in header
