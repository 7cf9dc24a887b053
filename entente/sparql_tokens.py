"""The tokens of SPARQL text, for the checks and rewrites made before a query is run.

The tokens skip strings, IRIs, variables, prefixed names and comments, so keywords are only
found where they are keywords.  Used by the server (``entente.server.lexer``, its checks)
and by ``entente query``; the standard library only.

The tokens must end where the engine's do: wherever one took code for a comment or a string,
a keyword would pass unseen.  So IRIs take ``\\u``/``\\U`` escapes, prefixed names take
``%XX`` and ``\\#``-style escapes (PN_LOCAL_ESC) and characters beyond U+FFFF, as in the
SPARQL grammar; the server refuses a backslash anywhere else (no token of SPARQL has one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff\U00010000-\U000effff]+)
  | (?P<pname>(?:[A-Za-z\u00c0-\uffff\U00010000-\U000effff]
         [\w.\-\u00b7\u00c0-\uffff\U00010000-\U000effff]*)?
      :(?:[\w.\-:\u00b7\u00c0-\uffff\U00010000-\U000effff]|%[0-9A-Fa-f]{2}
         |\\[_~.\-!$&'()*+,;=/?\#@%])*)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.?[0-9]+[eE][+-]?[0-9]+|[0-9]*\.[0-9]+|[0-9]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)


def significant(text: str) -> Iterator[re.Match[str]]:
    """The match of every significant token (whitespace and comments dropped)."""
    for match in TOKEN.finditer(text):
        if match.lastgroup not in ("ws", "comment"):
            yield match


def tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, text) for every significant token (whitespace and comments dropped)."""
    for match in significant(text):
        yield match.lastgroup or "other", match.group()


#: what a query needs after its prologue, in the errors that say it is missing
FORM_EXPECTED = "expected SELECT, ASK, CONSTRUCT or DESCRIBE"


def form_word(query: str) -> str | None:
    """The form of ``query``: SELECT, ASK, CONSTRUCT, DESCRIBE, or UPDATE for an update;
    None when it names none (an error at :func:`after_prologue`)."""
    for kind, text in tokens(query):
        if kind != "word":
            continue
        word = text.upper()
        if word in QUERY_FORMS:
            return word
        if word in UPDATE_WORDS:
            return "UPDATE"
    return None


#: functions whose value differs from one run of a query to the next (SPARQL 1.1 Query,
#: 17.4: NOW is the time of the run, RAND, UUID, STRUUID and BNODE are new at each call)
VOLATILE_FUNCTIONS = frozenset({"NOW", "RAND", "UUID", "STRUUID", "BNODE"})


def calls_volatile_function(query: str) -> bool:
    """Whether ``query`` calls one of :data:`VOLATILE_FUNCTIONS` (its answer must not be
    replayed from a cache)."""
    previous = ""
    for kind, text in tokens(query):
        if text == "(" and previous in VOLATILE_FUNCTIONS:
            return True
        previous = text.upper() if kind == "word" else ""
    return False


def without_repeated_graphs(query: str) -> str:
    """``query`` with each ``FROM <g>`` (``FROM NAMED <g>``) that names its graph again blanked
    out, space for character (line breaks kept), so that an error's line and column stay
    where they were.  A dataset is a set of graphs: the engine read a graph named twice
    twice, and ``FROM <g> FROM <g>`` counted each of its triples twice."""
    seen: set[tuple[bool, str]] = set()
    cuts: list[tuple[int, int]] = []
    found = list(significant(query))
    for i, match in enumerate(found):
        if match.lastgroup != "word" or match.group().upper() != "FROM":
            continue
        named = i + 1 < len(found) and found[i + 1].group().upper() == "NAMED"
        at = i + 2 if named else i + 1
        if at < len(found) and found[at].lastgroup in ("iri", "pname"):
            key = (named, found[at].group())
            if key in seen:
                cuts.append((match.start(), found[at].end()))
            seen.add(key)
    for start, end in reversed(cuts):
        query = query[:start] + re.sub(r"[^\n]", " ", query[start:end]) + query[end:]
    return query


def position(text: str, offset: int) -> str:
    """``line:column`` (both from 1) of a character offset, as the parser's errors give it."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


def after_prologue(query: str) -> int:
    """The offset of the first significant token that is not part of a PREFIX or BASE
    declaration (the end of the query when there is none)."""
    expect: tuple[str, ...] = ()
    for match in significant(query):
        kind = match.lastgroup or "other"
        if expect and kind == expect[0]:
            expect = expect[1:]
            continue
        if not expect and kind == "word" and match.group().upper() in ("PREFIX", "BASE"):
            expect = ("pname", "iri") if match.group().upper() == "PREFIX" else ("iri",)
            continue
        return match.start()
    return len(query)


def star_variables(query: str) -> tuple[str, ...] | None:
    """For a ``SELECT *`` query, the names of the variables after the ``*`` in the order
    they first appear (``?x`` and ``$x`` are one variable); None for any other query.

    SPARQL leaves the order of ``SELECT *``'s columns open.  Jena, RDF4J and Virtuoso give
    them in the order the query names them (``?s ?p ?o``); Oxigraph sorts them by name
    (``?o ?p ?s``).  The server orders the engine's columns by this list."""
    rest = tokens(query)
    for kind, text in rest:
        if kind == "word" and text.upper() in (*QUERY_FORMS, *UPDATE_WORDS):
            if text.upper() != "SELECT":
                return None
            break
    else:
        return None
    for kind, text in rest:
        if kind == "word" and text.upper() in ("DISTINCT", "REDUCED"):
            continue
        if text != "*":
            return None
        break
    else:
        return None
    return tuple(dict.fromkeys(text[1:] for kind, text in rest if kind == "var"))


def star_columns(variables: Sequence[str], star: Sequence[str] | None) -> list[int] | None:
    """The positions of a ``SELECT *`` result's ``variables`` in the order the query names
    them (``star``: :func:`star_variables`), any it does not name last in their own order;
    None when they are in that order already, or for another query."""
    if not star:
        return None
    rank = {name: i for i, name in enumerate(star)}
    columns = sorted(range(len(variables)), key=lambda i: (rank.get(variables[i], len(rank)), i))
    return None if columns == list(range(len(variables))) else columns


#: an IRI written with a scheme ("<http:...>", "<urn:...>"): one that needs no BASE
_ABSOLUTE_IRI = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]*:")


def explained(query: str, message: str, predeclared: Iterable[str] = (),
              known: Mapping[str, str] | None = None) -> tuple[str, int] | None:
    """A plain account of two syntax errors the engine words obscurely, as (what is wrong, the
    offset it is at), or None: a prefixed name whose prefix neither a ``PREFIX`` of the query
    nor ``predeclared`` declares (the engine lists the characters it expected, "Prefix not
    found" among them, or expects a keyword further on; the declaration to add names the
    namespace when ``known`` has the prefix), and a relative IRI in a query without ``BASE``
    (the engine expects some keyword further on).  Either must stand before the place the
    engine's ``message`` names ("error at 1:41"): the engine stops at the first error."""
    limit = _error_offset(query, message)
    # (only then: "?a<ex:b && ?c > 1" is a comparison, not an IRI holding spaces)
    iri_failed = "IRI parsing failed" in message
    declared = set(predeclared)
    declaring = has_base = False
    relative: re.Match[str] | None = None
    previous: re.Match[str] | None = None
    for match in significant(query):
        kind, text = match.lastgroup, match.group()
        opened, previous = previous, match
        if kind == "word" and text.upper() in ("PREFIX", "BASE"):
            declaring, has_base = text.upper() == "PREFIX", has_base or text.upper() == "BASE"
            continue
        if kind in ("pname", "word") and iri_failed and opened is not None \
                and opened.group() == "<" and opened.end() == match.start() \
                and opened.start() <= limit <= query.find(">", opened.end()) + 1:
            # <http://a b>: not a prefix "http:"; <a b>, a relative IRI: not a word "a"; the
            # one the engine failed in, whose ">" it reached ("?o<YEAR(NOW()) && ?o > 1" is a
            # comparison before it)
            broken = _broken_iri(query, opened.start())
            if broken is not None:
                return broken
        if kind == "pname":
            prefix = text[:text.index(":")]
            if declaring:
                declared.add(prefix)
            elif prefix not in declared and match.start() <= limit:
                namespace = (known or {}).get(prefix, "...")
                return (f"the prefix '{prefix}:' is not declared (add PREFIX {prefix}: "
                        f"<{namespace}>)", match.start())
        elif kind == "iri" and relative is None and not declaring \
                and match.start() <= limit and _ABSOLUTE_IRI.match(text) is None:
            relative = match
        declaring = False
    if relative is not None and not has_base:
        return (f"the relative IRI {relative.group()} has no base to resolve against (write "
                f"the full IRI, or declare BASE <...>)", relative.start())
    return None


#: characters an IRI may not hold (SPARQL 1.1 Query, 19.8, IRIREF), as they are named
_NOT_IN_IRI = {" ": "a space", "\t": "a tab", "<": "'<'", '"': "'\"'", "{": "'{'", "}": "'}'",
               "|": "'|'", "^": "'^'", "`": "'`'", "\\": "a backslash"}


def _broken_iri(query: str, start: int) -> tuple[str, int] | None:
    """What is wrong with the IRI that opens at ``start`` and closes on the same line but
    holds a character no IRI may (the tokens read its ``<`` as less-than and then, after a
    scheme such as ``http:``, a prefixed name), as (what is wrong, ``start``); or None."""
    end = query.find(">", start + 1)
    newline = query.find("\n", start + 1)
    if end == -1 or -1 < newline < end:
        return None
    for char in query[start + 1:end]:
        if char in _NOT_IN_IRI or ord(char) < 0x20:
            shown = _NOT_IN_IRI.get(char) or f"the control character U+{ord(char):04X}"
            return (f"the IRI {query[start:end + 1]} holds {shown}, which no IRI may "
                    f"(%-encode it: %{ord(char):02X})", start)
    return None


#: the place an engine error names: "error at 1:26: expected ..."
ERROR_AT = re.compile(r"error at (\d+):(\d+)")


def _error_offset(text: str, message: str) -> int:
    """The offset of the ``line:column`` an engine error names (the end of ``text`` if none)."""
    found = ERROR_AT.search(message)
    if found is None:
        return len(text)
    line, column = int(found.group(1)), int(found.group(2))
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return len(text)
    return start + column - 1
