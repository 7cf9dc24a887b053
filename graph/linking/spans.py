"""Overlapping mention spans: the longest wins (then the earliest), and the names nested in
an event's or agreement's name are mentions too."""

from __future__ import annotations

from bisect import bisect_left


def _with_nested(spans: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """The longest spans, plus the longest spans nested inside an event or agreement name
    ("Russia's invasion of Ukraine" also mentions Russia and Ukraine)."""
    if len(spans) < 2:
        return list(spans)  # (one span: the longest itself, nothing nested in it)
    outer = _longest(spans)
    nested: list[tuple[int, int, str, str]] = []
    for o in outer:
        if "/id/event/" in o[2] or "/id/agreement/" in o[2]:
            inner = [s for s in spans if o[0] <= s[0] and s[1] <= o[1] and s != o]
            nested.extend(_with_nested(inner))
    if not nested:
        return outer  # (sorted, and without duplicates: a copy overlaps its original)
    return sorted(set(outer) | set(nested))


def _longest(spans: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Drop spans overlapped by a longer (then earlier) one; document order.

    The chosen spans do not overlap, so, ordered by start, their ends are in order too:
    a span overlaps one of them only if it overlaps the last that starts before its end
    (found by bisection: a sentence as long as a document may hold thousands of spans)."""
    starts: list[int] = []  # of the chosen spans, in order
    chosen: list[tuple[int, int, str, str]] = []  # ordered by start
    for span in sorted(spans, key=_longest_first):
        start, end = span[0], span[1]
        i = bisect_left(starts, end)
        if i and chosen[i - 1][1] > start:
            continue  # overlaps a chosen (longer or earlier) span
        starts.insert(i, start)
        chosen.insert(i, span)
    return sorted(chosen)


def _longest_first(span: tuple[int, int, str, str]) -> tuple[int, int, str]:
    """Sort key: longer first, then earlier, then by IRI."""
    return span[0] - span[1], span[0], span[2]
