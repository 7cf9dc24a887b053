"""The rate limit: a token bucket per client address, shared by all of the server's workers.

``ENTENTE_RATE_LIMIT`` allows each client address that many requests per minute, refilled
continuously.  granian runs several worker processes and the kernel spreads connections
over them, so buckets kept in each worker's memory would let a client through ``workers``
times as often.  Under ``entente serve`` the buckets live in one memory-mapped file in the
server's private metrics directory (on tmpfs, removed when the server stops), and every
worker takes its tokens there under a file lock (``lockf``).  Without that directory (an app
made by ``create_app`` in one process: tests, ``flask run``) the table lives in the process.

The table is a fixed set-associative cache: ``SLOTS`` records of (client key, tokens,
last update) in sets of ``WAYS``; a client's 64-bit key (BLAKE2b of its address) picks its
set.  A new client takes an empty record of its set, else the one updated longest ago.  A
bucket idle for a minute is full again, so evicting it loses nothing; the limit is exact
while no set has more than ``WAYS`` clients active within a minute (16,384 records: tens of
thousands of distinct clients a minute before any evicted one gets a fresh bucket early).
Times are ``CLOCK_MONOTONIC``, which is system-wide on Linux: comparable between workers.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import math
import mmap
import os
import struct
import threading
import time
from collections.abc import Iterator

#: records in the table, and records per set
SLOTS = 16_384
WAYS = 8
_RECORD = struct.Struct("<Qdd")  # client key (0: empty), tokens, last update (monotonic s)
TABLE_BYTES = SLOTS * _RECORD.size
#: the table's file name in the server's metrics directory
RATE_LIMIT_FILE = "rate-limit.table"


def client_key(client: str) -> int:
    """A client address's 64-bit key (never 0, which marks an empty record)."""
    digest = hashlib.blake2b(client.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little") or 1


class RateLimiter:
    """``per_minute`` requests per client, refilled continuously; shared through the file at
    ``path`` (created when missing) by every process that opens it, else in this process."""

    def __init__(self, per_minute: int, path: str | None = None) -> None:
        if per_minute <= 0:
            raise ValueError("a rate limit needs at least one request per minute")
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.path = path
        # a POSIX record lock (lockf) belongs to the process, so it also excludes a process
        # that inherited this descriptor through fork; it does not exclude threads: a mutex
        self._lock = threading.Lock()
        self._fd = -1
        if path is None:
            self._table: mmap.mmap | bytearray = bytearray(TABLE_BYTES)
        else:
            self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            with self._file_lock():
                if os.fstat(self._fd).st_size != TABLE_BYTES:
                    os.ftruncate(self._fd, TABLE_BYTES)  # zeros: every record empty
            self._table = mmap.mmap(self._fd, TABLE_BYTES)

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        if self._fd < 0:
            yield
            return
        fcntl.lockf(self._fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(self._fd, fcntl.LOCK_UN)

    def take(self, client: str) -> int:
        """Take a token for ``client``: 0 when the request is allowed, else the whole seconds
        until a token is there (for ``Retry-After``)."""
        key = client_key(client)
        first = (key % (SLOTS // WAYS)) * WAYS
        record, table = _RECORD, self._table
        with self._lock, self._file_lock():
            now = time.monotonic()
            slot, oldest, tokens, last = -1, math.inf, self.capacity, now
            for i in range(first, first + WAYS):
                k, t, updated = record.unpack_from(table, i * record.size)
                if k == key:
                    slot, tokens, last = i, t, updated
                    break
                age_key = -math.inf if k == 0 else updated  # an empty record goes first
                if age_key < oldest:
                    slot, oldest = i, age_key
            tokens = min(self.capacity, tokens + max(0.0, now - last) * self.rate)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            record.pack_into(table, slot * record.size, key, tokens, now)
        if allowed:
            return 0
        return max(1, math.ceil((1.0 - tokens) / self.rate))

    def close(self) -> None:
        if isinstance(self._table, mmap.mmap):
            self._table.close()
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
