"""The rate limit is one budget per client for the whole server, not one per worker."""

from __future__ import annotations

import glob
import itertools
import math
import os
import struct
import time
import warnings
from pathlib import Path

import pytest
import requests
from entente.server.rate_limit import SLOTS, WAYS, RateLimiter, client_key

from .conftest import start_server, stop_server  # noqa: TID252

CHEAP = "ASK { }"


def test_processes_sharing_the_table_share_each_clients_budget(tmp_path: Path) -> None:
    table = str(tmp_path / "rate-limit.table")
    worker_a, worker_b = RateLimiter(3, table), RateLimiter(3, table)  # two workers' views
    try:
        takes = [limiter.take("10.0.0.1") for limiter in (worker_a, worker_b) * 3]
        assert takes[:3] == [0, 0, 0]
        # no token left in either worker: 1 token takes 20 s to come back at 3 per minute
        assert all(wait in (19, 20) for wait in takes[3:]), takes
        assert worker_b.take("10.0.0.2") == 0  # another client has a budget of its own
    finally:
        worker_a.close()
        worker_b.close()


def test_a_limiter_of_its_own_keeps_the_table_in_memory() -> None:
    limiter = RateLimiter(2)
    assert [limiter.take("c") for _ in range(3)][:2] == [0, 0]
    assert limiter.take("c") > 0
    assert limiter.path is None


def test_a_full_set_gives_the_record_updated_longest_ago_to_a_new_client() -> None:
    sets = SLOTS // WAYS
    target = client_key("client-0") % sets
    same_set = (c for c in (f"client-{i}" for i in itertools.count())
                if client_key(c) % sets == target)
    clients = list(itertools.islice(same_set, WAYS + 1))
    limiter = RateLimiter(1)
    for client in clients[:WAYS]:
        assert limiter.take(client) == 0  # each client's only token
    assert limiter.take(clients[WAYS]) == 0  # takes the record of clients[0]
    assert [limiter.take(c) > 0 for c in clients[1:WAYS + 1]] == [True] * WAYS
    assert limiter.take(clients[0]) == 0  # forgotten: a fresh bucket


def test_a_limit_below_one_request_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one request"):
        RateLimiter(0)


def test_the_served_limit_counts_every_workers_requests(test_store) -> None:  # noqa: ANN001
    server = start_server(test_store.link, "--workers", "2", "--threads", "2",
                          env={"ENTENTE_RATE_LIMIT": "4"})
    try:
        # a new connection per request: the kernel hands them to either worker
        codes = [requests.get(server.url + "sparql", params={"query": CHEAP}, timeout=30
                              ).status_code for _ in range(12)]
        tables = glob.glob(f"/dev/shm/entente-metrics-{server.process.pid}-*/rate-limit.table"
                           ) + glob.glob(f"/tmp/entente-metrics-{server.process.pid}-*/"
                                         "rate-limit.table")
        metrics = requests.get(server.url + "metrics", timeout=30).text
    finally:
        stop_server(server)
    assert codes.count(200) == 4 and codes.count(429) == 8, codes
    assert len(tables) == 1  # the table in the server's metrics directory
    assert "entente_rate_limited_total 8.0" in metrics



def test_a_table_opened_before_a_fork_is_still_shared_safely(tmp_path: Path) -> None:
    # the parent opened the table, then forked: both children use one open file description,
    # which flock would not guard; lockf locks belong to processes
    limiter = RateLimiter(60, str(tmp_path / "rate-limit.table"))
    read_end, write_end = os.pipe()
    report = struct.Struct("<idd")  # allowed, first and last take (CLOCK_MONOTONIC seconds)
    children = []
    for _ in range(2):
        with warnings.catch_warnings():  # Python 3.12+ warns of fork with threads running;
            warnings.simplefilter("ignore", DeprecationWarning)  # the child only counts
            pid = os.fork()
        if pid == 0:  # the child: 150 requests as fast as it can, then its count of allowed
            started = time.monotonic()
            allowed = sum(limiter.take("hammer") == 0 for _ in range(150))
            os.write(write_end, report.pack(allowed, started, time.monotonic()))
            os._exit(0)
        children.append(pid)
    for pid in children:
        os.waitpid(pid, 0)
    os.close(write_end)
    data = os.read(read_end, 2 * report.size)
    os.close(read_end)
    reports = [report.unpack_from(data, i * report.size) for i in range(2)]
    allowed = sum(r[0] for r in reports)
    span = max(r[2] for r in reports) - min(r[1] for r in reports)
    # the 60 tokens of the full bucket, and those refilled (1 a second) while the children
    # ran: a lost update between the processes would let through up to twice as many
    assert 60 <= allowed <= 60 + math.ceil(span), (reports, span)
