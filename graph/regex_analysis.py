"""What a regular expression's parsed form tells before it is searched, so that the rule
engine searches less: the words every match starts with (:func:`literal_prefixes`), the
strings every match contains (:func:`required_literals`, :func:`contained_strings`), a
first-character lookahead (:func:`accelerated`), and an alternation searched with only the
branches that can match in a text (:class:`PrunedAlternation`).  Read with Python's own
``re`` parser (``re._parser``, Python 3.11+)."""

from __future__ import annotations

import functools
import hashlib
import re
import re._constants as _sre_constants  # the parsed form of an expression (Python 3.11+)
import re._parser as _sre_parser
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from entente.graph.pattern_cache import compiled, remembered

_SPECIAL = set("\\()[]{}.^$*+?|")
_OPTIONAL = set("?*{")
#: characters that re.IGNORECASE matches to an ASCII letter but str.lower() does not map to it
CASE_TRAPS = re.compile("[\u0130\u0131\u017f\u212a]")
T = TypeVar("T")


def _code_digest() -> str | None:
    try:
        return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    except OSError:  # (no source to read: nothing kept)
        return None


#: this module's code: what an analysis found is kept in the pattern cache under its name, its
#: other arguments and this digest (a changed analysis is never read from an older entry)
_CODE = _code_digest()


def _kept(analysis: Callable[..., T]) -> Callable[..., T]:
    """``analysis(pattern, *args)``, kept in the pattern cache (graph/pattern_cache.py): the
    rules' ~1,500 expressions were parsed again by every build's start-up (~0.2 s)."""
    @functools.wraps(analysis)
    def wrapper(pattern: re.Pattern[str], *args: Any) -> T:
        if _CODE is None:
            return analysis(pattern, *args)
        return remembered(f"{analysis.__name__}{args!r}@{_CODE}", pattern.pattern,
                          pattern.flags, lambda: analysis(pattern, *args))
    return wrapper


def literal_prefixes(trigger: str, least: int = 3) -> list[str] | None:
    """Lower-case words that every match of ``trigger`` starts with, one per alternative.

    ``"vetoe?d|blocked"`` -> ``["veto", "blocked"]``: a sentence without any of them (lower
    case) cannot match the trigger.  None when an alternative has no literal start of at
    least ``least`` letters (its matches cannot be predicted cheaply).
    """
    out: list[str] = []
    for alternative in _top_level_alternatives(trigger):
        alternative = _without_leading_assertions(alternative)
        group = _leading_group(alternative)
        if group is not None:  # "(?:picked|took)(?=...)": the group's own words
            inner = literal_prefixes(group, least)
            if inner is None:
                return None
            out.extend(inner)
            continue
        prefix = ""
        for i, char in enumerate(alternative):
            if char in _SPECIAL or not char.isascii() or not char.isalpha():
                if char in _OPTIONAL and prefix:
                    prefix = prefix[:-1]  # "vetoe?d": the "e" may be absent
                break
            prefix += char
            if i + 1 == len(alternative):
                break
        if len(prefix) < least:
            return None
        out.append(prefix.lower())
    return out


def _structure(pattern: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth after it) for every character of ``pattern`` outside
    escapes and character classes."""
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        else:
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
            yield i, char, depth
        i += 1


def _without_leading_assertions(alternative: str) -> str:
    """``alternative`` without the lookarounds that open it ("(?<!economic\\s)war"): they
    match no character, so the matches start with what follows them."""
    while alternative.startswith(("(?<!", "(?<=", "(?!", "(?=")):
        for i, char, depth in _structure(alternative):
            if char == ")" and depth == 0:
                alternative = alternative[i + 1:]
                break
        else:
            return alternative
    return alternative


def _leading_group(alternative: str) -> str | None:
    """The content of a non-capturing group that opens ``alternative`` and must match once."""
    if not alternative.startswith("(?:"):
        return None
    for i, char, depth in _structure(alternative):
        if char == ")" and depth == 0:
            after = alternative[i + 1:i + 2]
            return None if after and after in _OPTIONAL else alternative[3:i]
    return None


def _top_level_alternatives(pattern: str) -> list[str]:
    parts, start = [], 0
    for i, char, depth in _structure(pattern):
        if char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return parts


@_kept
def required_literals(pattern: re.Pattern[str], least: int = 3) -> frozenset[str] | None:
    """Lower-case strings one of which the text holds wherever ``pattern`` matches.

    Read off the parsed expression: a run of literal characters that every match passes
    through, or one such run per branch of an alternation that every match passes through
    (lookarounds count: what they see is text too; negative ones and optional parts do
    not).  The set whose shortest member is longest wins; None when no set has members of
    at least ``least`` characters.  A text can hold the pattern only if its lower-case
    form contains a member (except for CASE_TRAPS characters).
    """
    best = _required(list(_sre_parser.parse(pattern.pattern, pattern.flags)))
    return best if best is not None and min(map(len, best)) >= least else None


def _required(items: list) -> frozenset[str] | None:
    """The most telling of :func:`_required_all`'s sets: the one whose shortest member is
    longest (then the smallest), or None."""
    return max(_required_all(items), key=lambda s: (min(map(len, s)), -len(s)), default=None)


@_kept
def required_sets(pattern: re.Pattern[str], least: int = 3) -> tuple[frozenset[str], ...]:
    """Every set of lower-case strings one of which the text holds wherever ``pattern``
    matches: a text can hold a match only if it holds a member of each set.

    :func:`required_literals` keeps the most telling of these sets; this gives them all (in
    the order the expression passes through them, sets of members shorter than ``least``
    left out), for a test of them all: "supplied ... with ... arms" needs one of the verbs
    and "with", where "with" alone announces most sentences."""
    sets = _required_all(list(_sre_parser.parse(pattern.pattern, pattern.flags)))
    return tuple(dict.fromkeys(s for s in sets if min(map(len, s)) >= least))


def _required_all(items: list) -> list[frozenset[str]]:
    c = _sre_constants
    sets: list[frozenset[str]] = []
    run = ""
    for op, av in [*items, (None, None)]:
        if op is c.LITERAL:
            run += chr(av)
            continue
        if run:
            sets.append(frozenset({run.lower()}))
            run = ""
        if op is c.SUBPATTERN or op is c.ATOMIC_GROUP:
            sets.extend(_required_all(list(av[-1] if op is c.SUBPATTERN else av)))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            sets.extend(_required_all(list(av[2])))
        elif op is c.ASSERT:
            sets.extend(_required_all(list(av[1])))
        elif op is c.BRANCH:
            branches = [_required(list(b)) for b in av[1]]
            if all(b is not None for b in branches):
                sets.append(frozenset().union(*branches))
    return sets


@_kept
def anchored_at_start(pattern: re.Pattern[str]) -> bool:
    """Whether ``pattern`` matches only at the start of a line or text: its parsed form opens
    with ``^`` outside any group or alternation."""
    items = list(_sre_parser.parse(pattern.pattern, pattern.flags))[:1]
    return items == [(_sre_constants.AT, _sre_constants.AT_BEGINNING)]


_CATEGORY_CLASS = {"CATEGORY_SPACE": r"\s", "CATEGORY_NOT_SPACE": r"\S",
                   "CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D",
                   "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}


def accelerated(pattern: re.Pattern[str], cached: bool = True) -> re.Pattern[str]:
    """``pattern`` with a lookahead for the characters a match can start with, when known.

    Python's engine tries every alternative of an expression like ``\\bwhile\\b|[;:]|\\(`` at
    every position of the text; ``(?=[w;:(])(?:...)`` rejects most positions with one class
    test.  The matches are the same (the class holds every character a match can begin
    with; zero-width assertions are skipped over), and so are groups and flags.  Returned
    unchanged when the set is not known (a match may be empty, may start with any character,
    or the expression sets flags inside), and when the expression opens with a character or
    class itself (the engine then skips to those characters on its own).  ``cached``: made
    through the pattern cache (graph/pattern_cache.py), and so is the reading of ``pattern``.
    """
    source = _accelerated_source(pattern) if cached else _accelerated_source.__wrapped__(pattern)
    if source is None:
        return pattern
    return (compiled if cached else re.compile)(source, pattern.flags)


@_kept
def _accelerated_source(pattern: re.Pattern[str]) -> str | None:
    """The expression :func:`accelerated` compiles, or None where it returns ``pattern``."""
    try:
        items = list(_sre_parser.parse(pattern.pattern, pattern.flags))
        first = None if _starts_with_class(items) else _first(items)
    except Exception:  # noqa: BLE001 - a form the reader does not know: leave it be
        return None
    if first is None or first[1] or not first[0]:
        return None
    return f"(?=[{''.join(sorted(first[0]))}])(?:{pattern.pattern})"


def _starts_with_class(items: list) -> bool:
    """Whether the first item consumes a character (a literal or a class) in every branch,
    or anchors the match at the start."""
    c = _sre_constants
    if not items:
        return False
    op, av = items[0]
    if op is c.SUBPATTERN and not av[1] and not av[2]:
        return _starts_with_class(list(av[-1]))
    if op is c.BRANCH:
        return all(_starts_with_class(list(b)) for b in av[1])
    return op is c.LITERAL or op is c.IN \
        or op is c.AT and av in (c.AT_BEGINNING, c.AT_BEGINNING_STRING)  # anchored: "^..."


def _first(items: list) -> tuple[set[str], bool] | None:
    """(class fragments of the characters a match of ``items`` can start with, whether the
    match can be empty), or None when unknown."""
    c = _sre_constants
    out: set[str] = set()
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width: the next item consumes the first character
        if op is c.LITERAL:
            out.add(re.escape(chr(av)))
            return out, False
        if op is c.IN:
            for kind, value in av:
                if kind is c.LITERAL:
                    out.add(re.escape(chr(value)))
                elif kind is c.RANGE:
                    out.add(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
                elif kind is c.CATEGORY and str(value) in _CATEGORY_CLASS:
                    out.add(_CATEGORY_CLASS[str(value)])
                else:
                    return None  # a negated class, ...
            return out, False
        if op is c.SUBPATTERN:
            if av[1] or av[2]:
                return None  # scoped flags: (?i:...)
            inner = _first(list(av[-1]))
        elif op is c.BRANCH:
            branches = [_first(list(b)) for b in av[1]]
            if any(b is None for b in branches):
                return None
            inner = (set().union(*(b[0] for b in branches)),  # type: ignore[index]
                     any(b[1] for b in branches))  # type: ignore[index]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            inner = _first(list(av[2]))
            if inner is not None and av[0] == 0:
                inner = (inner[0], True)
        else:
            return None  # any character, a back reference, ...
        if inner is None:
            return None
        out |= inner[0]
        if not inner[1]:
            return out, False
    return out, True


@_kept
def contained_strings(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings one of which the text holds wherever ``pattern`` matches (in lower case, to be
    looked for in the lower-case text, when the expression ignores case), or None when not
    known.  Unlike required_literals, a member may be a single character, and a class of
    literals extends a run with each of its characters: ``[Ii]t`` -> {"It", "it"}."""
    ignore_case = bool(pattern.flags & re.IGNORECASE)
    try:
        return _contained(list(_sre_parser.parse(pattern.pattern, pattern.flags)), ignore_case)
    except Exception:  # noqa: BLE001 - a form the reader does not know
        return None


def _contained(items: list, ignore_case: bool, fewest: bool = False) -> frozenset[str] | None:
    """contained_strings of parsed ``items``: the set whose shortest member is longest (with
    ``fewest``: the set with the fewest members, the cheapest to test)."""
    c = _sre_constants
    fold = str.lower if ignore_case else str
    candidates: list[frozenset[str]] = []
    run: set[str] = {""}  # the literal runs so far (a class of literals multiplies them)
    for op, av in [*items, (None, None)]:
        if op is c.LITERAL:
            run = {r + chr(av) for r in run}
            continue
        if op is c.IN and all(kind is c.LITERAL for kind, _ in av) \
                and len(run) * len(av) <= 16:
            run = {r + chr(value) for r in run for _, value in av}
            continue
        if "" not in run:
            candidates.append(frozenset(fold(r) for r in run))
        run = {""}
        inner = None
        if op is c.IN and all(kind is c.LITERAL for kind, _ in av):
            inner = frozenset(fold(chr(value)) for _, value in av)
        elif op is c.SUBPATTERN and (av[1] or av[2]):
            inner = None  # scoped flags, (?i:...): its case is not the expression's
        elif op is c.SUBPATTERN or op is c.ATOMIC_GROUP:
            inner = _contained(list(av[-1] if op is c.SUBPATTERN else av), ignore_case, fewest)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            inner = _contained(list(av[2]), ignore_case, fewest)
        elif op is c.ASSERT:
            inner = _contained(list(av[1]), ignore_case, fewest)
        elif op is c.BRANCH:
            branches = [_contained(list(b), ignore_case, fewest) for b in av[1]]
            if all(b is not None for b in branches):
                inner = frozenset().union(*branches)  # type: ignore[arg-type]
        if inner:
            candidates.append(inner)
    if fewest:
        return max(candidates, key=lambda s: (-len(s), min(map(len, s))), default=None)
    return max(candidates, key=lambda s: (min(map(len, s)), -len(s)), default=None)


class PrunedAlternation:
    """An alternation ``a|b|c`` searched with only the branches that can match in a text.

    A sentence scanned for clause breaks ``[;:]|\\s[—–]\\s?|...|\\bthat\\b`` rarely holds a
    dash, yet the ``\\s[—–]`` branch makes every space a position to try.  Each top-level
    branch has the strings one of which its matches contain (its literal runs, or a class
    of literals: ``[—–]``); a branch whose strings are all absent from the text cannot match
    anywhere in it, so leaving it out gives the same matches (an alternation takes, at each
    position, the first branch that matches).  The expressions of the branch subsets met are
    compiled on first use (through ``accelerated``, whose first-character class then holds
    only the kept branches' characters).  Expressions with capturing groups (their numbers
    would shift) or inline flags, and those with fewer than two branches or none that can be
    left out, are searched whole.
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.whole = accelerated(pattern)
        self.ignore_case = bool(pattern.flags & re.IGNORECASE)
        self._branches: list[str] = []
        self._tests: list[tuple[str, int]] = []  # (a string, the bit of its branch)
        self._always = 0  # bits of the branches kept in every text
        self._compiled: dict[int, re.Pattern[str]] = {}
        try:
            branches = _top_level_alternatives(pattern.pattern)
            parsed = [list(_sre_parser.parse(b, pattern.flags)) for b in branches]
        except Exception:  # noqa: BLE001 - a form the reader does not know: search it whole
            return
        if pattern.groups or len(branches) < 2 or any(b.lstrip().startswith("(?")
                                                      and b[2:3] not in (":", "=", "!", "<")
                                                      for b in branches):
            return
        for bit, items in enumerate(parsed):
            needs = _contained(items, self.ignore_case, fewest=True)  # (fewest: fewest tests)
            if needs is None:
                self._always |= 1 << bit
            else:
                self._tests.extend((w, 1 << bit) for w in sorted(needs))
        self._branches = branches

    def for_text(self, text: str, lowered: str | None = None) -> re.Pattern[str]:
        """The expression to search ``text`` with (``lowered``: ``text.lower()`` if known,
        for a case-insensitive expression)."""
        if not self._tests:
            return self.whole
        if self.ignore_case:
            if lowered is None:
                if CASE_TRAPS.search(text):
                    return self.whole  # (case folding beyond str.lower(): no test holds)
                lowered = text.lower()
            text = lowered
        key = self._always
        for w, bit in self._tests:
            if w in text:
                key |= bit
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = self._compile(key)
        return found

    def _compile(self, key: int) -> re.Pattern[str]:
        kept = [b for bit, b in enumerate(self._branches) if key & (1 << bit)]
        if not kept:
            return _NEVER
        if len(kept) == len(self._branches):
            return self.whole
        # (made while extracting, one per set of branches a sentence can match: not kept in
        # the pattern cache, which holds what every build compiles)
        return accelerated(re.compile("|".join(kept), self.pattern.flags), cached=False)


_NEVER = re.compile(r"(?!)")
