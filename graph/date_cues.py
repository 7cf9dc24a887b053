"""Dates in a sentence, the time cue of an extracted relation: the date expressions of English
text ("4 May 2021", "June 5-7, 2019", "in early 2025", "last year") normalised to ISO
``xsd:date``/``gYearMonth``/``gYear`` strings, month-only dates taking the document's year
when it is known.  Which date an assertion takes (its clause's, the sentence's only one, its
paragraph's) is the relation extractor's choice (``graph/relations/dates.py``)."""

from __future__ import annotations

import calendar
import re

from entente.graph.regex_analysis import accelerated

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"((?:19|20)\d\d)"
_EARLY = r"(?:(?:early|mid|late)[\s-]+)?"  # ("in early 2025", "since mid-March")
#: the last day of a range ("June 5-7", "12 to 14 May")
_TO_DAY = r"(?:\s*[-–]\s*|\s+to\s+)\d{1,2}(?:st|nd|rd|th)?"
_DATES = [(accelerated(p), kind) for p, kind in [  # order matters, most specific first
    # a range of days is dated by its month ("June 5-7, 2019": 2019-06)
    (re.compile(rf"\b{_MONTH}\s+{_DAY}{_TO_DAY},?\s+{_YEAR}\b"), "mdy-range"),
    (re.compile(rf"\b{_DAY}{_TO_DAY}\s+{_MONTH},?\s+{_YEAR}\b"), "dmy-range"),
    (re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"), "mdy"),
    (re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b"), "dmy"),
    (re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b"), "my"),
    # a day without a year takes the document's ("on June 5" in a 2019 text: 2019-06-05)
    (re.compile(rf"\b{_MONTH}\s+{_DAY}{_TO_DAY}\b"), "md-range"),
    (re.compile(rf"\b{_DAY}{_TO_DAY}\s+{_MONTH}\b"), "dm-range"),
    (re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?![-–/.:,]?\d)"), "md"),
    (re.compile(rf"(?<![\d.,:/-])\b{_DAY}\s+{_MONTH}\b"), "dm"),
    (re.compile(rf"\b(?:last|this|next|[Ii]n|[Ss]ince|[Bb]y)\s+{_EARLY}{_MONTH}\b"), "m"),
    (re.compile(rf"\b(?:in|since|by|from|of)\s+(?:the\s+year\s+)?{_EARLY}{_YEAR}\b", re.I),
     "y"),
    (re.compile(r"\b(last|this|next)\s+year\b", re.I), "rel-year"),
]]


def may_hold_date(text: str) -> bool:
    """Whether find_date could find a date in ``text`` or in any part of it (or in parts of
    it joined by spaces): False when it holds no year in digits, no capitalised month name
    and not the word "year"."""
    return _YEAR_DIGITS.search(text) is not None or _MONTH_NAME.search(text) is not None \
        or "year" in text.lower()


def find_date(text: str, year: int | None) -> tuple[int, int, str] | None:
    """The first date in text as (start, end, xsd lexical form), or None."""
    # what the patterns' matches hold: a year in digits ("mdy", "dmy", "my", "y"), a
    # capitalised month name ("mdy", "dmy", "my", "m"), the word "year" ("rel-year")
    digits = _YEAR_DIGITS.search(text) is not None
    month = _MONTH_NAME.search(text) is not None
    year_word = "year" in text.lower()
    if not (digits or month or year_word):
        return None
    possible = {"mdy": digits and month, "dmy": digits and month, "my": digits and month,
                "mdy-range": digits and month, "dmy-range": digits and month,
                "md": month, "dm": month, "md-range": month, "dm-range": month,
                "m": month, "y": digits, "rel-year": year_word}
    found: list[tuple[int, int, str]] = []
    bounds: list[tuple[int, int, str]] = []  # end bounds ("until September 2022"): no date
    for pattern, kind in _DATES:  # most specific first; a vaguer overlapping match is dropped
        if not possible[kind]:
            continue
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e, _ in (*found, *bounds)):
                continue
            value = _normalise(m, kind, year)
            if value:
                (bounds if _END_BOUND.search(text, max(0, m.start() - 12), m.start())
                 or _OTHER_ACT.search(text, max(0, m.start() - 60), m.start())
                 else found).append((m.start(), m.end(), value))
    return min(found) if found else None


def dated_since(text: str, value: str, year: int | None) -> bool:
    """Whether the date ``value`` stands in ``text`` only after "since", the start of a time
    the fact has held from ("Russia has occupied Crimea since March 2014"): the beginning of
    an interval, not an instant."""
    found = False
    for pattern, kind in _DATES:
        for m in pattern.finditer(text):
            if _normalise(m, kind, year) != value:
                continue
            if not (m.group(0)[:5].lower() == "since"
                    or _SINCE_BEFORE.search(text, max(0, m.start() - 24), m.start())):
                return False  # (also stated as a plain date)
            found = True
    return found


_SINCE_BEFORE = re.compile(r"\bsince\s+(?:(?:early|mid|late)[\s-]+)?$", re.I)


#: the date of a noun's own act, not the clause's: "(supplies gas) under a contract signed in
#: 2014", "a 27-year deal agreed on 4 May 2021" (not a passive verb: "The SCO was founded in
#: 2001 by ...", whose date is the clause's)
_OTHER_ACT = re.compile(r"\b(?:a|an|the|its|their)\s+"
                        r"(?:(?!(?:was|were|is|are|been|be|being)\s)[\w$.,%-]+\s+){0,3}?(?:signed|agreed|"
                        r"concluded|adopted|reached|struck|launched|founded|established)\s+"
                        r"(?:(?:in|on)\s+)?(?:(?:early|mid|late)[\s-]+)?$", re.I)
_END_BOUND = re.compile(r"\b(?:until|till|through|up\s+to)\s+(?:(?:early|mid|late)[\s-]+)?$", re.I)


def all_dates(text: str, year: int | None) -> list[str]:
    """Every distinct date in text (normalised), in order of appearance."""
    return dates(text, year)[1]


def dates(text: str, year: int | None
          ) -> tuple[tuple[int, int, str] | None, list[str]]:
    """``find_date(text, year)`` and ``all_dates(text, year)`` in one pass."""
    out: list[str] = []
    first = find_date(text, year)
    rest, offset, hit = text, 0, first
    while True:
        if hit is None:
            return first, out
        if hit[2] not in out:
            out.append(hit[2])
        offset = hit[1]
        rest = rest[offset:]
        hit = find_date(rest, year)


#: the kinds of date expressions that name a day or a range of days (``_normalise``)
_DAY_KINDS = frozenset({"mdy", "dmy", "mdy-range", "dmy-range", "md", "dm", "md-range",
                        "dm-range"})


def _normalise(m: re.Match[str], kind: str, year: int | None) -> str | None:
    g = [x for x in m.groups() if x is not None]
    if kind in _DAY_KINDS:  # a day (or a range of days), its year written or the document's
        on = int(g[2]) if len(g) > 2 else year
        if on is None:
            return None
        month, day = (g[0], g[1]) if kind.startswith("m") else (g[1], g[0])
        return _day_or_month(on, MONTHS[month.lower()], int(day), kind.endswith("range"))
    if kind == "my":
        return f"{int(g[1]):04d}-{MONTHS[g[0].lower()]:02d}"
    if kind == "y":
        return g[0]
    if year is None:
        return None  # a month or "last year" without a known year stays open
    word = m.group(0).split()[0].lower()
    if kind == "rel-year":
        return str(year + {"last": -1, "this": 0, "next": 1}[word])
    shift = {"last": -1, "next": 1}.get(word, 0)
    return f"{year + shift:04d}-{MONTHS[g[0].lower()]:02d}"


def _day_or_month(year: int, month: int, day: int, whole_month: bool) -> str | None:
    """The day as an xsd:date, or its month (a range of days) as an xsd:gYearMonth; None
    for a day the month does not have ("February 30")."""
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}" if whole_month else f"{year:04d}-{month:02d}-{day:02d}"


_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")
_MONTH_NAMES = tuple(m.capitalize() for m in MONTHS)
_MONTH_NAME = re.compile("|".join(_MONTH_NAMES))  # one of them anywhere (a substring)
