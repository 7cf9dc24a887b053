"""Bind query parameters for an endpoint that cannot take SEP-0007 substitutions.

The parameters become a ``VALUES`` block placed first inside the query's outer ``WHERE``
group.  A VALUES block at the start of the group is joined before every other pattern, FILTER
and OPTIONAL of that group sees the variable bound, and it stays projected: the same answers
as a substitution for Entente's queries (a trailing VALUES after the query would instead join
*after* grouping and aggregation).  The terms are built as pyoxigraph terms and written in
N-Triples syntax (escaped by the library; a value that is not a valid IRI or literal is
refused); nothing the user typed is pasted into the query text.  The place to insert is found
with the SPARQL lexer, so braces inside strings, IRIs and comments do not count.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from entente.server.errors import BadRequest

from entente.sparql_tokens import TOKEN, significant

_VAR = ox.Variable


def term_text(spec: tuple) -> str:
    """The N-Triples text of a substitution ``("iri", v)`` / ``("literal", lex, dt, lang)``."""
    try:
        term: Any
        if spec[0] == "iri":
            term = ox.NamedNode(spec[1])
        elif spec[0] == "literal":
            _, lexical, datatype, language = spec
            if language:
                term = ox.Literal(lexical, language=language)
            elif datatype:
                term = ox.Literal(lexical, datatype=ox.NamedNode(datatype))
            else:
                term = ox.Literal(lexical)
        else:
            raise ValueError(f"unknown term kind {spec[0]!r}")
    except (ValueError, TypeError, IndexError) as exc:
        raise BadRequest(f"cannot bind the parameter value: {exc}") from None
    return str(term)


def _where_brace(query: str) -> int:
    """The offset just after the ``{`` that opens the outer WHERE group."""
    depth = 0
    previous = ""
    skip_template = False
    form = None
    for match in TOKEN.finditer(query):
        kind, text = match.lastgroup, match.group()
        if kind in ("ws", "comment"):
            continue
        upper = text.upper() if kind == "word" else text
        if form is None and kind == "word" and upper in ("SELECT", "ASK", "CONSTRUCT",
                                                          "DESCRIBE"):
            form = upper
            skip_template = form == "CONSTRUCT"
        if text == "{":
            if depth == 0 and form is not None:
                if skip_template and previous != "WHERE":
                    skip_template = False  # the CONSTRUCT template; the WHERE group follows
                else:
                    return match.end()
            depth += 1
        elif text == "}":
            depth -= 1
        previous = upper
    raise BadRequest("cannot bind parameters: the query has no WHERE group")


def bind_values(query: str, substitutions: dict[str, tuple]) -> str:
    """``query`` with ``substitutions`` as a VALUES block opening its WHERE group."""
    if not substitutions:
        return query
    names = sorted(substitutions)
    for name in names:
        try:
            _VAR(name)
        except ValueError:
            raise BadRequest(f"not a SPARQL variable name: {name!r}") from None
    at = _where_brace(query)
    return f"{query[:at]}{_values_block(names, substitutions)}{query[at:]}"


def _values_block(names: list[str], substitutions: dict[str, tuple]) -> str:
    """`` VALUES (?a ?b) { (<x> <y>) }``: one row binding ``names`` to their substitutions."""
    terms = " ".join(term_text(substitutions[n]) for n in names)
    variables = " ".join("?" + n for n in names)
    return f" VALUES ({variables}) {{ ({terms}) }}"


def bind_values_throughout(query: str, substitutions: dict[str, tuple]) -> str:
    """:func:`bind_values`, and the same block, with the variables it projects, opening the
    group of every sub-select that projects a bound variable (by name, or after ``AS``; a
    ``SELECT *`` is left as it is).

    For a query run as text on Oxigraph: it joins a VALUES block with the group it opens but
    does not push it into the sub-selects of that group, which then compute every value
    first (the editor's example of ``shared-memberships`` at 1M triples: 5.9 s, against 6.5 ms
    with the blocks in its sub-selects too; ``about-actor`` 6.1 s against 0.76 s).  A sub-select
    that projects the variable shares it with the group around it, so the rows kept are the
    same where the sub-select binds the variable on every row (Entente's canned queries with
    defaults: ``tests/server/test_ui_browser.py`` compares the answers)."""
    if not substitutions:
        return query
    text = bind_values(query, substitutions)
    inserts: list[tuple[int, str]] = []
    depth = 0
    projecting: set[str] | None = None  # a sub-select's projection, while it is read
    parens = 0
    after_as = False
    for match in significant(text):
        kind, token = match.lastgroup, match.group()
        if projecting is not None:
            if token == "(":
                parens += 1
            elif token == ")":
                parens -= 1
            elif token == "*" and parens == 0:
                projecting = None  # (SELECT *: left as it is)
            elif kind == "var" and (parens == 0 or after_as):
                projecting.add(token[1:])
            elif token == "{" and parens == 0:
                bound = sorted(projecting & set(substitutions))
                if bound:
                    inserts.append((match.end(), _values_block(bound, substitutions)))
                projecting = None
            after_as = kind == "word" and token.upper() == "AS"
        elif kind == "word" and token.upper() == "SELECT" and depth > 0:
            projecting, parens, after_as = set(), 0, False
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
    for at, block in reversed(inserts):
        text = text[:at] + block + text[at:]
    return text
