"""A small SPARQL lexer for the checks made before a query is executed.

It skips strings, IRIs, variables, prefixed names and comments, so keywords are only found
where they are keywords: the query form (SELECT, ASK, CONSTRUCT, DESCRIBE), update
operations (refused at /sparql) and SERVICE targets (refused unless allow-listed).

The tokens are :mod:`entente.sparql_tokens`' (where they must end, and why); a backslash
outside them (no token of SPARQL has one) is refused here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from entente.server.errors import BadRequest

from entente.sparql_tokens import (
    FORM_EXPECTED,
    UPDATE_WORDS,
    after_prologue,
    form_word,
    position,
    significant,
    tokens,
)

UPDATE_REFUSAL = "updates are not accepted at /sparql; see /update"
#: Bracket nesting and size limits.  pyoxigraph parses and evaluates recursively: a query
#: nesting a few thousand groups or chaining a few thousand operators overflows the stack of
#: the query process (a crash, not an error).  Far below that, and far above real queries.
MAX_NESTING = 256
MAX_TOKENS = 5000  # significant tokens outside VALUES and INSERT/DELETE DATA blocks (flat data)
_OPEN, _CLOSE = frozenset("{(["), frozenset("})]")


def _opens_flat_data(toks: list[tuple[str, str]], index: int) -> bool:
    """Is the word at ``index`` the keyword of a block of flat data: ``VALUES`` before a
    variable or a list of them, ``DATA`` after ``INSERT`` or ``DELETE``?  (A language tag is
    a token of its own: ``"a"@data`` once exempted the rest of a query up to its next
    closing brace from the limit, and a chain of 20,000 terms after it crashed the engine.)"""
    word = toks[index][1].upper()
    if word == "VALUES":
        return index + 1 < len(toks) and (toks[index + 1][0] == "var" or toks[index + 1][1] == "(")
    if word == "DATA":
        return index > 0 and toks[index - 1][0] == "word" \
            and toks[index - 1][1].upper() in ("INSERT", "DELETE")
    return False


def form_of(query: str) -> str:
    """The form of ``query``: SELECT, ASK, CONSTRUCT, DESCRIBE, or UPDATE for an update.

    Raises BadRequest when no query form can be found, with the position of the first token
    after the prologue (PREFIX and BASE declarations), or of the end of the query.
    """
    form = form_word(query)
    if form is None:
        where = position(query, after_prologue(query))
        raise BadRequest(f"malformed query: error at {where}: {FORM_EXPECTED}", position=where)
    return form


def has_dataset_clause(query: str) -> bool:
    """True when the query names its own dataset (FROM / FROM NAMED)."""
    return any(kind == "word" and text.upper() == "FROM" for kind, text in tokens(query))


_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\(.)")


def _unescape_iri(text: str) -> str:
    """An IRI's text with its ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes decoded, as the engine reads
    it (an escape of a surrogate or beyond U+10FFFF is left as it is: the engine refuses it)."""
    def decode(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group()
    return _UCHAR.sub(decode, text)


def refuse_stray_backslash(text: str, what: str = "query") -> None:
    """BadRequest at the first backslash outside a string, an IRI or a prefixed name: no
    SPARQL token holds one there, and a lexer that reads it otherwise than the engine could
    take code for a comment."""
    if "\\" not in text:
        return
    for match in significant(text):
        if match.lastgroup == "other" and match.group() == "\\":
            where = position(text, match.start())
            raise BadRequest(f"malformed {what}: error at {where}: unexpected '\\'",
                             position=where)


def _prefixes(toks: list[tuple[str, str]]) -> dict[str, str]:
    found = {}
    for i, (kind, text) in enumerate(toks[:-2]):
        if kind == "word" and text.upper() == "PREFIX" and toks[i + 1][0] == "pname":
            if toks[i + 2][0] == "iri":
                found[toks[i + 1][1]] = toks[i + 2][1][1:-1]
    return found


def service_targets(toks: list[tuple[str, str]]) -> Iterable[str]:
    """The target of every SERVICE clause, as an IRI, a variable or a prefixed name."""
    prefixes = _prefixes(toks)
    for i, (kind, text) in enumerate(toks):
        if kind != "word" or text.upper() != "SERVICE":
            continue
        j = i + 1
        if j < len(toks) and toks[j][0] == "word" and toks[j][1].upper() == "SILENT":
            j += 1
        if j >= len(toks):
            yield ""
            continue
        tkind, ttext = toks[j]
        if tkind == "iri":
            yield _unescape_iri(ttext[1:-1])
        elif tkind == "pname":
            prefix, _, local = ttext.partition(":")
            base = prefixes.get(prefix + ":")
            local = _LOCAL_ESCAPE.sub(r"\1", local)
            yield _unescape_iri(base) + local if base is not None else ttext
        else:
            yield ttext


def check_size(toks: list[tuple[str, str]], what: str = "query", source: str | None = None
               ) -> None:
    """Refuse a query nested deeper than MAX_NESTING or longer than MAX_TOKENS (BadRequest;
    with ``source``, the tokens' text, a nesting error gives the first bracket too deep).

    The tokens of a VALUES block and of an update's ``INSERT DATA`` / ``DELETE DATA`` block
    are not counted: they are flat data, which the engine reads in a loop, not by recursion
    (the request size bounds them).  Counted, they refused ``entente push``'s own batches of
    1,000 triples at /update (5,028 tokens)."""
    depth = deepest = counted = 0
    too_deep: int | None = None  # the index of the first token past MAX_NESTING
    values_depth: int | None = None  # the depth at which the current VALUES block opened
    pending_values = False
    for index, (kind, text) in enumerate(toks):
        if kind == "word" and _opens_flat_data(toks, index):
            pending_values = True
        if text in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
            if depth > MAX_NESTING and too_deep is None:
                too_deep = index
            if pending_values and text == "{" and values_depth is None:
                values_depth, pending_values = depth, False
        elif text in _CLOSE:
            if values_depth is not None and depth == values_depth:
                values_depth = None
            depth -= 1
        if values_depth is None:
            counted += 1
    if deepest > MAX_NESTING:
        where = None
        if source is not None:  # (the tokens carry no offsets: the source is walked again)
            nth = next(m for i, m in enumerate(significant(source)) if i == too_deep)
            where = position(source, nth.start())
        at = f"error at {where}: " if where else ""
        raise BadRequest(f"{at}{what} nests brackets {deepest} deep; the limit is "
                         f"{MAX_NESTING}", **({"position": where} if where else {}))
    if counted > MAX_TOKENS:
        raise BadRequest(f"{what} is too long: {counted} tokens outside VALUES and DATA blocks; "
                         f"the limit is {MAX_TOKENS}")


def check_query(query: str, service_allowlist: Iterable[str] = ()) -> str:
    """Refuse what must never run at /sparql; return the query form.

    Updates -> BadRequest pointing to /update; SERVICE to anything not in
    ``service_allowlist`` -> BadRequest naming the target (no connection is ever made);
    too deep or too long -> BadRequest naming the limit (see :func:`check_size`).
    """
    refuse_stray_backslash(query)
    form = form_of(query)
    toks = list(tokens(query))
    check_size(toks, source=query)
    if form == "UPDATE" or any(
        kind == "word" and text.upper() in UPDATE_WORDS for kind, text in toks
    ):
        raise BadRequest(UPDATE_REFUSAL)
    allowed = set(service_allowlist)
    for target in service_targets(toks):
        if target not in allowed:
            shown = f"<{target}>" if "://" in target or target.startswith("urn:") else target
            raise BadRequest(
                f"SERVICE {shown or '(nothing)'} is not allowed: federated queries are off unless "
                "the endpoint is listed in ENTENTE_SERVICE_ALLOWLIST"
            )
    return form


def check_update(update: str, service_allowlist: Iterable[str] = ()) -> None:
    """Refuse what must never run at /update: LOAD (it would fetch the IRI), SERVICE to
    anything not allow-listed, and updates too deep or too long to parse safely."""
    refuse_stray_backslash(update, "update")
    toks = list(tokens(update))
    check_size(toks, "update", update)
    for kind, text in toks:
        if kind == "word" and text.upper() == "LOAD":
            raise BadRequest("LOAD is not allowed: this server never fetches data from an IRI")
    allowed = set(service_allowlist)
    for target in service_targets(toks):
        if target not in allowed:
            raise BadRequest(f"SERVICE {target or '(nothing)'} is not allowed in updates")
