"""A small thread-safe LRU cache of query results, keyed by store version.

The graph is read-only between builds, so a result stays valid for as long as the store
version it was computed on is the one being served; the store version is part of every key,
so a rebuild invalidates the cache without any explicit flush.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class ResultCache(Generic[V]):
    """Least-recently-used mapping with at most ``capacity`` entries (0 disables it)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = max(0, capacity)
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: Hashable, value: V) -> None:
        if self.capacity == 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def drop_versions_except(self, version: str) -> None:
        """Forget entries of other store versions (keys are tuples starting with the version)."""
        with self._lock:
            for key in [k for k in self._items if isinstance(k, tuple) and k[0] != version]:
                del self._items[key]

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
