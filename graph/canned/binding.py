"""Binding a canned query's parameters: raw string values checked and turned into
substitutions (:func:`bind`, :func:`to_term`), labels given for IRIs looked up
(:func:`resolve_labels`), the page of rows (:func:`page`, :func:`paged`), and the substitutions
in pyoxigraph's form (:func:`to_pyoxigraph`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urljoin

import pyoxigraph
from entente.graph.canned.model import MAX_PAGE_VALUE, XSD, CannedQuery, Param, ParamError

# Every pattern is used with fullmatch: ``$`` would also match before a trailing newline.
#: what an IRI may not hold: white space, controls (C0, DEL, C1) and ``<>"{}|^`\``
_NOT_IRI = r"\s\x00-\x1f\x7f-\x9f<>\"{}|^`\\"
_ABSOLUTE = re.compile(rf"https?://[^{_NOT_IRI}]+")
_RELATIVE = re.compile(rf"[^{_NOT_IRI}:?#][^{_NOT_IRI}:]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: an IRI's scheme ("http:", "javascript:"; not the colon of "China: a partner")
_SCHEME = re.compile(r"\s*[A-Za-z][A-Za-z0-9+.-]*:(?!\s)")
_DATE = re.compile(r"-?\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
_INTEGER = re.compile(r"[+-]?\d+")
_DATE_TYPES = {1: "gYear", 2: "gYearMonth", 3: "date"}


def bind(query: CannedQuery, raw: Mapping[str, str], base: str) -> dict[str, tuple]:
    """Check ``raw`` parameter values and turn them into substitutions (variable -> term).

    Defaults apply to absent (or empty) values; an absent optional parameter without
    a default stays unbound.  A label given for an IRI parameter is a ``("label", text)``
    term until :func:`resolve_labels` looks it up.  Raises :class:`ParamError` naming the
    parameter.
    """
    for name in raw:
        if query.param(name) is None:
            known = ", ".join(p.name for p in query.params) or "none"
            raise ParamError(name, f"unknown parameter of {query.name} (known: {known})")
    out: dict[str, tuple] = {}
    for param in query.params:
        value = raw.get(param.name)
        if value is None or value == "":
            value = param.default
        if value is None:
            if param.required:
                raise ParamError(param.name, "is required")
            continue
        out[param.variable] = to_term(param, value, base)
    return out


#: the label properties a label given for an IRI parameter is looked up in
LABEL_PROPERTIES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://xmlns.com/foaf/0.1/name",
    "http://purl.org/dc/terms/title",  # a document's (it has no other label)
)
_PROPS = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
#: the resources with ?l0 (in English) or ?l1 (without a language) as a label: an index lookup
#: (the substituted variables are projected: pyoxigraph substitutes only those)
LABEL_LOOKUP = ("SELECT DISTINCT ?e ?l0 ?l1 WHERE {\n"
                f"  VALUES ?p {{ {_PROPS} }}\n"
                "  { ?e ?p ?l0 } UNION { ?e ?p ?l1 }\n"
                "} ORDER BY ?e")
#: the resources with ?given as a label in any case (an English or plain label): a scan of
#: the labels, run only when no label is the text as given
LABEL_LOOKUP_ANY_CASE = ("SELECT DISTINCT ?e ?given WHERE {\n"
                         f"  VALUES ?p {{ {_PROPS} }}\n"
                         "  ?e ?p ?l\n"
                         "  FILTER(isLiteral(?l) && (lang(?l) = \"\" || langMatches(lang(?l), "
                         "\"en\"))\n"
                         "         && LCASE(STR(?l)) = LCASE(?given))\n"
                         "} ORDER BY ?e")
#: a lookup: (query text, substitutions) -> the IRIs of the rows' ``?e``, in order
Lookup = Callable[[str, dict[str, tuple]], list[str]]


def resolve_labels(query: CannedQuery, substitutions: dict[str, tuple],
                   lookup: Lookup) -> dict[str, tuple]:
    """``substitutions`` with every label given for an IRI parameter (``China``, ``xi
    jinping``) replaced by the IRI of the one resource it labels (:data:`LABEL_PROPERTIES`:
    ``skos:prefLabel``, ``skos:altLabel``, ``rdfs:label``, ``foaf:name`` or a document's
    ``dcterms:title``, in English or without a language):
    the label as given if a resource has it, else in any case (``united states institute of
    peace``).  :class:`ParamError` when it labels none or several."""
    out = dict(substitutions)
    for param in query.params:
        term = out.get(param.variable)
        if term is None or term[0] != "label":
            continue
        label = term[1]
        found = list(dict.fromkeys(lookup(LABEL_LOOKUP, {
            "l0": ("literal", label, None, "en"), "l1": ("literal", label, XSD + "string", None)})))
        if not found:
            found = list(dict.fromkeys(lookup(LABEL_LOOKUP_ANY_CASE, {
                "given": ("literal", label, XSD + "string", None)})))
        if not found:
            raise ParamError(param.name, f"no resource is labelled {label!r}; give a label "
                                         "such as China, or an IRI such as id/state/china")
        if len(found) > 1:
            shown = ", ".join(found[:5]) + (", ..." if len(found) > 5 else "")
            raise ParamError(param.name, f"{label!r} labels {len(found)} resources ({shown}); "
                                         "give the IRI of one")
        out[param.variable] = ("iri", found[0])
    return out


#: does anything in the store have ``?e`` as its subject or object (one row, or none)?
NAMED_LOOKUP = "SELECT ?e WHERE { { ?e ?p ?o } UNION { ?s ?p ?e } } LIMIT 1"


def given_iris(query: CannedQuery, raw: Mapping[str, str | None],
               substitutions: Mapping[str, tuple]) -> list[tuple[str, str, str]]:
    """(parameter, value as given, IRI) of every IRI parameter ``raw`` gives a value (its
    default is not checked: the query's author chose it)."""
    return [(param.name, str(raw[param.name]), term[1]) for param in query.params
            if param.type == "iri" and raw.get(param.name)
            and (term := substitutions.get(param.variable)) is not None and term[0] == "iri"]


def check_named(named: Sequence[tuple[str, str, str]], lookup: Lookup) -> None:
    """:class:`ParamError` for the first of ``named`` (:func:`given_iris`) that names nothing
    in the store: an IRI with a typo answered no rows, which read as "none found"."""
    for name, given, iri in named:
        if not lookup(NAMED_LOOKUP, {"e": ("iri", iri)}):
            raise ParamError(name, f"nothing in the store is named {given!r} (no triple has "
                                   f"{iri}); give a label such as China, or an IRI such as "
                                   "id/state/china")


def page(raw: Mapping[str, str | None]) -> tuple[int | None, int | None]:
    """(limit, offset) from the ``limit`` and ``offset`` values (None or empty: absent);
    :class:`ParamError` names a value that is not a whole number from 0 to
    :data:`MAX_PAGE_VALUE`."""
    values: list[int | None] = []
    for name in ("limit", "offset"):
        value = (raw.get(name) or "").strip()
        if not value:
            values.append(None)
            continue
        if not value.isascii() or not value.isdigit() or int(value) > MAX_PAGE_VALUE:
            raise ParamError(name, f"not a whole number from 0 to {MAX_PAGE_VALUE:,}: "
                                   f"{value[:40]!r}")
        values.append(int(value))
    return values[0], values[1]


def paged(text: str, limit: int | None, offset: int | None) -> str:
    """A canned query's ``text`` with ``LIMIT`` and ``OFFSET`` after its ORDER BY (a canned
    query has none of its own: :func:`parse` checks it)."""
    if limit is not None:
        text += f"\nLIMIT {limit}"
    if offset:
        text += f"\nOFFSET {offset}"
    return text


def to_term(param: Param, value: str, base: str) -> tuple:
    """The substitution of one raw ``value`` of ``param`` (``("iri", ...)``, ``("label", ...)``
    or ``("literal", lexical, datatype, lang)``; ``base`` resolves a relative IRI);
    :class:`ParamError` says why a value is refused."""
    if param.type == "iri":
        iri = value.strip(" ")  # (spaces around an IRI, pasted with it, are no part of it; a
        # control character, a line break too, is refused: it may hide what the value is)
        if _ABSOLUTE.fullmatch(iri):
            return ("iri", iri)
        if "/" in iri and _RELATIVE.fullmatch(iri) and not iri.startswith("//"):
            # resolved as RFC 3986 (5.2) says: "./id/state/china", "id/../id/state/china"
            # and "/id/state/china" (the path of a page's URL) are id/state/china's IRI
            return ("iri", urljoin(base, iri))
        control = _CONTROL.search(value)
        if control is None and value.strip() and (
                (":" not in value and "/" not in value)
                # (words with a colon or a slash: a title, "Threat Assessment: Beijing and
                # Moscow", not an IRI, which holds no space; "http://x/> } #" stays refused)
                or (" " in value.strip() and not _SCHEME.match(value))):
            return ("label", " ".join(value.split()))  # resolved by resolve_labels
        why = (f"holds the control character U+{ord(control.group()):04X}" if control
               else "absolute http(s), base-relative such as id/state/china, or a label")
        raise ParamError(param.name, f"not an IRI: {value!r} ({why})")
    if param.type == "integer":
        if not _INTEGER.fullmatch(value.strip()):
            raise ParamError(param.name, f"not an integer: {value!r}")
        return ("literal", str(int(value)), XSD + "integer", None)
    if param.type == "date":
        if not _DATE.fullmatch(value.strip()):
            raise ParamError(param.name, f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
        lexical = value.strip()
        return ("literal", lexical, XSD + _DATE_TYPES[len(lexical.lstrip("-").split("-"))], None)
    if param.type == "enum":
        if value not in param.values:
            raise ParamError(param.name, f"must be one of {', '.join(param.values)}; got {value!r}")
        return ("literal", value, XSD + "string", None)
    return ("literal", value, XSD + "string", None)


def to_pyoxigraph(substitutions: Mapping[str, tuple]) -> dict[pyoxigraph.Variable, Any]:
    """Transport-form substitutions as pyoxigraph ``substitutions=`` (Variable -> term)."""
    out: dict[pyoxigraph.Variable, Any] = {}
    for var, term in substitutions.items():
        if term[0] == "iri":
            out[pyoxigraph.Variable(var)] = pyoxigraph.NamedNode(term[1])
        elif term[0] == "literal":
            _, lexical, datatype, lang = (*term, None, None)[:4]
            if lang:
                out[pyoxigraph.Variable(var)] = pyoxigraph.Literal(lexical, language=lang)
            elif datatype:
                out[pyoxigraph.Variable(var)] = pyoxigraph.Literal(
                    lexical, datatype=pyoxigraph.NamedNode(datatype)
                )
            else:
                out[pyoxigraph.Variable(var)] = pyoxigraph.Literal(lexical)
        else:
            raise ValueError(f"unknown substitution kind {term[0]!r} for ?{var}")
    return out


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """``["name=value", ...]`` (the CLI's ``--param``) as a mapping; bad items are ParamErrors,
    and so is a name given twice (the last value won; over HTTP a repeated parameter is a
    400)."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParamError(item, "expected NAME=VALUE")
        if name.strip() in out:
            raise ParamError(name.strip(), "given twice; give it once")
        out[name.strip()] = value
    return out
