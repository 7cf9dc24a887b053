"""An N-Quads dump cut into chunks by where each quad's graph falls in the store's key order, so
that the chunks loaded side by side write disjoint runs of the graph-first indexes (``gspo``,
``gpos``, ``gosp``): the compaction after the load then leaves those three as they are and
merges only the others (docs/performance.md, "Load 1M triples").

Oxigraph orders a named graph by a 128-bit SipHash-2-4 of its IRI (``StrHash``, keys 0), so
:func:`graph_hash` computes that hash and :func:`graph_parts` gathers the dump's runs of lines
with the same graph term into parts of about equal size, each a range of the hash.  Where the
graph term is taken from is a heuristic (the line's last ``<...>``), and so is where a run
ends (probes): a line misplaced (a triple whose object is an IRI, a line that is not
N-Quads, a graph that comes back inside a probed run) costs compaction time, never a quad,
since the parts hold every line of the dump whatever the partition; the loader judges them.
On the 1M benchmark dump (1,000 graphs, in runs) the cut takes 0.06 s, on a build's dump of
the same size (sorted by subject: 62,000 runs) 0.2 s.
"""

from __future__ import annotations

import mmap
from dataclasses import dataclass

#: what the dump is read as: the file mapped into memory (no copy), or bytes
Buffer = mmap.mmap | bytes

_MASK = (1 << 64) - 1
#: a run's first lines are tested one by one, then its end is probed for from this many bytes
#: ahead (doubling)
_LINES_ONE_BY_ONE = 4
_PROBE_BYTES = 4096
#: a dump with more runs than one per this many bytes on average (graphs alternating from line
#: to line) is cut by position instead: gathering its runs would cost more than it saves
MIN_BYTES_PER_RUN = 1024


def _rotl(x: int, b: int) -> int:
    return ((x << b) | (x >> (64 - b))) & _MASK


def _sip_rounds(v0: int, v1: int, v2: int, v3: int, n: int) -> tuple[int, int, int, int]:
    for _ in range(n):
        v0 = (v0 + v1) & _MASK
        v1 = _rotl(v1, 13) ^ v0
        v0 = _rotl(v0, 32)
        v2 = (v2 + v3) & _MASK
        v3 = _rotl(v3, 16) ^ v2
        v0 = (v0 + v3) & _MASK
        v3 = _rotl(v3, 21) ^ v0
        v2 = (v2 + v1) & _MASK
        v1 = _rotl(v1, 17) ^ v2
        v2 = _rotl(v2, 32)
    return v0, v1, v2, v3


def graph_hash(iri: bytes, k0: int = 0, k1: int = 0) -> int:
    """SipHash-2-4 with a 128-bit output of ``iri`` (UTF-8, without ``<>``), keys (0, 0) as in
    Oxigraph, as the integer whose big-endian bytes it writes for a named node: the order of
    these values is the order of the graphs in its indexes.  (The 16 output bytes of the
    reference implementation are this integer's little-endian bytes.)"""
    v0, v1 = k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D ^ 0xEE
    v2, v3 = k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573
    n = len(iri)
    whole = n - n % 8
    for i in range(0, whole, 8):
        m = int.from_bytes(iri[i:i + 8], "little")
        v3 ^= m
        v0, v1, v2, v3 = _sip_rounds(v0, v1, v2, v3, 2)
        v0 ^= m
    last = ((n & 0xFF) << 56) | int.from_bytes(iri[whole:], "little")
    v3 ^= last
    v0, v1, v2, v3 = _sip_rounds(v0, v1, v2, v3, 2)
    v0 ^= last
    v2 ^= 0xEE
    v0, v1, v2, v3 = _sip_rounds(v0, v1, v2, v3, 4)
    low = v0 ^ v1 ^ v2 ^ v3
    v1 ^= 0xDD
    v0, v1, v2, v3 = _sip_rounds(v0, v1, v2, v3, 4)
    return low | ((v0 ^ v1 ^ v2 ^ v3) << 64)


@dataclass(frozen=True)
class Part:
    """Byte ranges of the dump, in the dump's order, that make one chunk."""

    ranges: tuple[tuple[int, int], ...]

    @property
    def size(self) -> int:
        return sum(b - a for a, b in self.ranges)

    def join(self, data: Buffer) -> bytes:
        view = memoryview(data)
        return b"".join(view[a:b] for a, b in self.ranges)

    def source_line(self, data: Buffer, line: int) -> int:
        """The dump's line number of the chunk's line ``line`` (both from 1)."""
        view = memoryview(data)
        for a, b in self.ranges:
            lines = bytes(view[a:b]).count(b"\n")
            if line <= lines:
                return bytes(view[:a]).count(b"\n") + line
            line -= lines
        return bytes(view).count(b"\n") + line


def _ends_with(data: Buffer, end: int, term: bytes) -> bool:
    """Whether the line that ends at ``end`` ends with ``term`` (which holds no newline but
    its last byte: a shorter line cannot match with the end of the line before it)."""
    return data[end - len(term):end] == term


def _lines_ending_with(data: Buffer, q: int, stop: int, term: bytes, most: int = -1) -> int:
    """From the line start ``q``, past the lines (at most ``most``; -1: any number) that end
    with ``term``, up to ``stop``: where the first other line starts."""
    while q < stop and most != 0:
        end = data.find(b"\n", q) + 1
        if not _ends_with(data, end, term):
            break
        q, most = end, most - 1
    return q


def _run_end(data: Buffer, start: int, term: bytes) -> int:
    """The end of the run of lines from ``start`` (a line start) that end with ``term``.

    The first lines are tested one by one (most runs of a dump sorted by subject are short);
    past them, the end is searched for by doubling probes, then halving, on line ends, as if
    the run were unbroken.  A run broken by another graph's lines where no probe fell makes
    a part that holds a line of another's range: a longer compaction, the same store."""
    n = len(data)
    q = _lines_ending_with(data, start, n, term, _LINES_ONE_BY_ONE)
    if q >= n or not _ends_with(data, data.find(b"\n", q) + 1, term):
        return q
    lo, hi, step = q, n, _PROBE_BYTES
    while lo < n:  # lines before lo end with term; the line ending at hi does not
        probe = data.find(b"\n", min(lo + step, n - 1)) + 1
        if not _ends_with(data, probe, term):
            hi = probe
            break
        lo, step = probe, step * 2
    while lo < hi:
        mid = data.find(b"\n", (lo + hi) // 2) + 1
        if mid >= hi:
            break
        if _ends_with(data, mid, term):
            lo = mid
        else:
            hi = mid
    return _lines_ending_with(data, lo, hi, term)  # (the last lines between the two)


def _runs(data: Buffer, max_runs: int) -> list[tuple[bytes, int, int]] | None:
    """(graph term, start, end) of each run of lines ending with the same ``<graph> .``;
    None past ``max_runs`` runs or when the dump does not end with a newline."""
    runs: list[tuple[bytes, int, int]] = []
    n, p = len(data), 0
    if data[n - 1:] != b"\n":
        return None
    while p < n:
        eol = data.find(b"\n", p)
        term_at = data.rfind(b" <", p, eol)
        if term_at < 0 or data[eol - 3:eol + 1] != b"> .\n":
            runs.append((b"", p, eol + 1))  # (not a line that ends with a graph: alone)
            p = eol + 1
        else:
            term = data[term_at:eol + 1]
            q = _run_end(data, eol + 1, term)
            runs.append((term, p, q))
            p = q
        if len(runs) > max_runs:
            return None
    return runs


def graph_parts(data: Buffer, parts: int) -> list[Part] | None:
    """``data`` (whole lines of N-Quads) as ``parts`` parts of about equal size, each the lines
    of a range of :func:`graph_hash` of their graph term, in the order of the hash; None when
    the dump is not made of runs of lines of one graph (:data:`MIN_BYTES_PER_RUN`)."""
    runs = _runs(data, max(parts, len(data) // MIN_BYTES_PER_RUN))
    if runs is None:
        return None
    hashes: dict[bytes, int] = {b"": -1}
    keyed = []
    for term, a, b in runs:
        key = hashes.get(term)
        if key is None:
            key = hashes[term] = graph_hash(term[2:-4])  # b' <iri> .\n'
        keyed.append((key, a, b))
    keyed.sort()
    out: list[Part] = []
    ranges: list[tuple[int, int]] = []
    total = 0
    for i, (key, a, b) in enumerate(keyed):
        ranges.append((a, b))
        total += b - a
        cut = total >= len(data) * (len(out) + 1) / parts
        if cut and len(out) < parts - 1 and (i + 1 == len(keyed) or keyed[i + 1][0] != key):
            out.append(Part(tuple(sorted(ranges))))
            ranges = []
    if ranges:
        out.append(Part(tuple(sorted(ranges))))
    return out
