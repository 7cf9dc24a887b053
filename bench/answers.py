"""A query answer's fingerprint, so that peers are compared on the same result, not only
on the same number of rows.

Every engine's answer is reduced to the same canonical form before it is hashed:

- the rows as a multiset (their order is left out: ties under ORDER BY may come in any
  order, and no canned query has a LIMIT that ties could move rows across);
- each row as its values in the order of the sorted variable names (an unbound value is
  ``None``);
- an IRI as itself; every blank node as one value (labels are the engine's own);
- a number (any XSD numeric type) by its value, rounded to 12 significant digits, so that
  ``1``, ``1.0`` and ``1.0E0`` agree and a double's last digits do not count;
- a plain string and an ``xsd:string`` as one; a language tag in lower case;
- a string as the sorted multiset of its words (split at white space and ``;``):
  ``GROUP_CONCAT`` has no defined order, and two engines may list the same names in two
  orders.  Two answers that differ only in the order of words in one value agree;
- an empty plain string as an unbound value: over a group whose values are all unbound,
  ``GROUP_CONCAT`` gives ``""`` in Virtuoso and no value in Oxigraph.

:func:`fingerprint_json` takes SPARQL 1.1 JSON results (HTTP, Virtuoso);
:func:`fingerprint_oxigraph` and :func:`fingerprint_rdflib` take an engine's own solutions.
A fingerprint is 16 hexadecimal digits of a SHA-256.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = frozenset(XSD + t for t in (
    "integer", "decimal", "double", "float", "int", "long", "short", "byte",
    "nonNegativeInteger", "nonPositiveInteger", "negativeInteger", "positiveInteger",
    "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"))
_STRING = XSD + "string"
_WORD_BREAK = re.compile(r"[\s;]+")

Value = tuple[str, ...] | None


def literal_value(lexical: str, datatype: str | None, language: str | None) -> Value:
    """The canonical form of a literal (see the module's rules)."""
    if language:
        return ("l", _words(lexical), language.lower())
    if datatype in _NUMERIC:
        try:
            number = Decimal(lexical.strip())
        except InvalidOperation:
            return ("t", lexical, datatype or "")
        if not number.is_finite():
            return ("n", str(number))
        if number == number.to_integral_value():
            return ("n", str(int(number)))
        return ("n", format(float(number), ".12g"))
    if datatype is None or datatype == _STRING:
        return ("s", _words(lexical)) if lexical else None
    return ("t", lexical, datatype)


def _words(text: str) -> str:
    return " ".join(sorted(w for w in _WORD_BREAK.split(text) if w))


def _digest(rows: Iterable[tuple[Value, ...]]) -> str:
    lines = sorted(repr(row) for row in rows)
    hasher = hashlib.sha256()
    for line in lines:
        hasher.update(line.encode("utf-8"))
        hasher.update(b"\n")
    return hasher.hexdigest()[:16]


def _json_term(term: dict[str, str] | None) -> Value:
    if term is None:
        return None
    kind = term.get("type")
    if kind == "uri":
        return ("u", term["value"])
    if kind == "bnode":
        return ("b",)
    if kind in ("literal", "typed-literal"):
        return literal_value(term["value"], term.get("datatype"), term.get("xml:lang"))
    return ("?", repr(term))


def fingerprint_json(body: dict[str, Any]) -> str:
    """The fingerprint of SPARQL 1.1 JSON results (an ASK answer's boolean included)."""
    if "boolean" in body:
        return _digest([(("boolean", str(bool(body["boolean"]))),)])
    names = sorted(body.get("head", {}).get("vars", []))
    return _digest(tuple(_json_term(b.get(n)) for n in names)
                   for b in body.get("results", {}).get("bindings", []))


def fingerprint_oxigraph(variables: Sequence[Any], solutions: Iterable[Any]) -> str:
    """The fingerprint of pyoxigraph solutions (``QuerySolutions.variables`` and the
    solutions, materialized)."""
    import pyoxigraph

    def term(t: Any) -> Value:
        if t is None:
            return None
        if isinstance(t, pyoxigraph.NamedNode):
            return ("u", t.value)
        if isinstance(t, pyoxigraph.BlankNode):
            return ("b",)
        if isinstance(t, pyoxigraph.Literal):
            return literal_value(t.value, t.datatype.value, t.language)
        return ("?", str(t))

    ordered = sorted(variables, key=lambda v: v.value)
    return _digest(tuple(term(s[v]) for v in ordered) for s in solutions)


def fingerprint_rdflib(variables: Sequence[Any], rows: Iterable[Any]) -> str:
    """The fingerprint of rdflib result rows (``Result.vars`` and the rows, materialized)."""
    from rdflib import BNode, Literal, URIRef

    def term(t: Any) -> Value:
        if t is None:
            return None
        if isinstance(t, URIRef):
            return ("u", str(t))
        if isinstance(t, BNode):
            return ("b",)
        if isinstance(t, Literal):
            return literal_value(str(t), str(t.datatype) if t.datatype else None, t.language)
        return ("?", str(t))

    ordered = sorted(variables, key=str)
    return _digest(tuple(term(row[v]) for v in ordered) for row in rows)


def fingerprint_boolean(value: bool) -> str:
    """The fingerprint of an ASK answer (as :func:`fingerprint_json` gives it)."""
    return fingerprint_json({"boolean": value})


def difference(theirs: dict[str, Any], ours: dict[str, Any]) -> str | None:
    """How a query's result entry (``rows``, ``answer``: its fingerprint) differs from ours:
    ``"rows"`` (another number of rows), ``"values"`` (as many rows, another fingerprint) or
    None (the same answer, or not known to differ: a side without the figure)."""
    if "rows" in theirs and "rows" in ours and theirs["rows"] != ours["rows"]:
        return "rows"
    if theirs.get("answer") and ours.get("answer") and theirs["answer"] != ours["answer"]:
        return "values"
    return None
