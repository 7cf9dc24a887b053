"""Canned queries: ``queries/<name>.rq`` files with a typed-parameter header.

A canned query is a SPARQL file whose first lines are ``#+ `` comments holding YAML
(grlc / Datasette style)::

    #+ title: Organizations both actors belong to
    #+ description: ...
    #+ params:
    #+   - name: a
    #+     type: iri            # iri | string | date | integer | enum
    #+     default: id/state/china
    #+     description: the first actor
    #+ tags: [membership]

Parameters are never pasted into the query text.  :func:`bind` checks raw string values
and turns them into substitutions in a transport form (``("iri", value)`` or
``("literal", lexical, datatype, lang)``) that the server's query engine and
:func:`to_pyoxigraph` turn into SEP-0007 substitutions (pyoxigraph ``substitutions=``).
An absent optional parameter leaves its variable unbound.

Two engine facts shape the queries (see docs/queries.md): pyoxigraph only substitutes
variables that the top-level SELECT projects, and ``BOUND(?param)`` is not reliable on
a substituted variable, so queries test parameters with ``COALESCE(?x = ?param, true)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib.resources import files
from typing import Any

import pyoxigraph
import yaml

from entente.errors import EntenteError, UsageError
from entente.sparql_tokens import tokens

XSD = "http://www.w3.org/2001/XMLSchema#"
PARAM_TYPES = ("iri", "string", "date", "integer", "enum")
# Every pattern is used with fullmatch: ``$`` would also match before a trailing newline.
_NAME = re.compile(r"[a-z][a-z0-9-]*")
_VAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: what an IRI may not hold: white space, controls (C0, DEL, C1) and ``<>"{}|^`\``
_NOT_IRI = r"\s\x00-\x1f\x7f-\x9f<>\"{}|^`\\"
_ABSOLUTE = re.compile(rf"https?://[^{_NOT_IRI}]+")
_RELATIVE = re.compile(rf"[^{_NOT_IRI}:/?#][^{_NOT_IRI}:]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_DATE = re.compile(r"-?\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
_INTEGER = re.compile(r"[+-]?\d+")
_DATE_TYPES = {1: "gYear", 2: "gYearMonth", 3: "date"}


class CannedQueryError(EntenteError):
    """A canned query file is malformed (names the file and the problem)."""


class UnknownQuery(UsageError):
    """No canned query has this name."""


class ParamError(UsageError):
    """A parameter value is missing, unknown or of the wrong type."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"parameter {name!r}: {message}")
        self.name = name
        self.message = message


@dataclass(frozen=True)
class Param:
    """One typed parameter of a canned query."""

    name: str
    type: str
    description: str = ""
    default: str | None = None
    required: bool = False
    values: tuple[str, ...] = ()  # for enum
    var: str = ""  # the SPARQL variable it binds (default: the name, '-' -> '_')

    @property
    def variable(self) -> str:
        return self.var or self.name.replace("-", "_")


@dataclass(frozen=True)
class Variant:
    """Another text of a canned query, for when all of ``params`` are bound: the same rows in
    the same order, found from those parameters (``queries/<name>--<param>.rq``)."""

    params: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class CannedQuery:
    """A canned query: metadata from its header plus the SPARQL text (unchanged)."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    tags: tuple[str, ...] = field(default=())
    variants: tuple[Variant, ...] = field(default=())

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def text_for(self, substitutions: Mapping[str, tuple]) -> str:
        """The text to run with ``substitutions`` (as :func:`bind` gives them): the variant
        whose parameters are all bound, the one with most of them if several are (of those,
        the first by file name: ``assertions--document`` before ``assertions--entity``); else
        the query's own text."""
        bound = {p.name for p in self.params if p.variable in substitutions}
        chosen = max((v for v in self.variants if set(v.params) <= bound),
                     key=lambda v: len(v.params), default=None)
        return self.text if chosen is None else chosen.text


# --- loading -------------------------------------------------------------------------------


def parse(name: str, text: str, source: str | None = None) -> CannedQuery:
    """Parse a canned query file's text (``source`` names it in error messages)."""
    where = source or f"{name}.rq"
    header_lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            header_lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() and not line.startswith("#"):
            break
    try:
        header = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as exc:
        raise CannedQueryError(f"{where}: bad '#+' header: {exc}".replace("\n", " ")) from None
    if not isinstance(header, dict):
        raise CannedQueryError(f"{where}: the '#+' header must be a YAML mapping")
    for key in ("title", "description"):
        if not isinstance(header.get(key), str) or not header[key].strip():
            raise CannedQueryError(f"{where}: header needs a non-empty '{key}'")
    unknown = set(header) - {"title", "description", "params", "tags"}
    if unknown:
        raise CannedQueryError(f"{where}: unknown header keys {sorted(unknown)}")
    params = tuple(_param(where, raw) for raw in header.get("params") or [])
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise CannedQueryError(f"{where}: duplicate parameter names")
    _check_ends_at_order_by(where, text)
    projection = _projection(text)
    for p in params:
        if projection is not None and p.variable not in projection:
            raise CannedQueryError(
                f"{where}: parameter {p.name!r} binds ?{p.variable}, which the SELECT must project"
            )
    tags = header.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise CannedQueryError(f"{where}: 'tags' must be a list of strings")
    return CannedQuery(
        name=name,
        title=" ".join(header["title"].split()),
        description=" ".join(header["description"].split()),
        params=params,
        text=text,
        tags=tuple(tags),
    )


#: query-string names every canned query answers and no parameter may take: the result
#: format, the time limit and the page of rows (:func:`page`)
RESERVED = ("format", "timeout", "limit", "offset")
#: the largest ``limit`` or ``offset`` a request may give
MAX_PAGE_VALUE = 1_000_000_000


def _param(where: str, raw: Any) -> Param:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise CannedQueryError(f"{where}: each parameter needs a 'name'")
    name = raw["name"]
    if not _NAME.fullmatch(name):
        raise CannedQueryError(f"{where}: bad parameter name {name!r}")
    if name in RESERVED:
        raise CannedQueryError(f"{where}: parameter name {name!r} is taken by every canned "
                               f"query ({', '.join(RESERVED)})")
    unknown = set(raw) - {"name", "type", "description", "default", "required", "values", "var"}
    if unknown:
        raise CannedQueryError(f"{where}: parameter {name!r}: unknown keys {sorted(unknown)}")
    type_ = raw.get("type", "string")
    if type_ not in PARAM_TYPES:
        raise CannedQueryError(f"{where}: parameter {name!r}: type must be one of {PARAM_TYPES}")
    values = tuple(str(v) for v in raw.get("values") or ())
    if type_ == "enum" and not values:
        raise CannedQueryError(f"{where}: enum parameter {name!r} needs 'values'")
    default = raw.get("default")
    var = str(raw.get("var") or "")
    if var and not _VAR.fullmatch(var):
        raise CannedQueryError(f"{where}: parameter {name!r}: bad variable name {var!r}")
    param = Param(
        name=name,
        type=type_,
        description=" ".join(str(raw.get("description") or "").split()),
        default=None if default is None else str(default),
        required=bool(raw.get("required", False)),
        values=values,
        var=var,
    )
    if param.default is not None:
        try:
            _term(param, param.default, "https://example.org/")
        except ParamError as exc:
            raise CannedQueryError(f"{where}: bad default: {exc}") from None
    return param


def _check_ends_at_order_by(where: str, text: str) -> None:
    """:class:`CannedQueryError` for a LIMIT, OFFSET or trailing VALUES of the query's own."""
    modifier = _own_page_modifier(text)
    if modifier is not None:
        raise CannedQueryError(f"{where}: a canned query ends at its ORDER BY; {modifier} is "
                               f"the caller's (the limit and offset parameters)")


def _own_page_modifier(text: str) -> str | None:
    """The first LIMIT, OFFSET or trailing VALUES outside every group of ``text``: paging
    appends its own (:func:`paged`)."""
    depth = 0
    for kind, token in tokens(text):
        if token in ("{", "("):
            depth += 1
        elif token in ("}", ")"):
            depth -= 1
        elif depth == 0 and kind == "word" and token.upper() in ("LIMIT", "OFFSET", "VALUES"):
            return token.upper()
    return None


def _projection(text: str) -> list[str] | None:
    """Variables the top-level SELECT names, in order (None for SELECT * or non-SELECT
    queries)."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    match = re.search(r"\bSELECT\b(.*?)\b(WHERE\b|\{)", body, re.IGNORECASE | re.DOTALL)
    if not match or match.group(1).strip().endswith("*"):
        return None
    clause = match.group(1)
    # keep only the names projected: plain ?x and the "AS ?x" of expressions
    depth = 0
    names = []
    for token in re.findall(r"\(|\)|\bAS\s+[?$][A-Za-z_]\w*|[?$][A-Za-z_]\w*", clause,
                           re.IGNORECASE):
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif depth == 0 or token[0] in "Aa":
            names.append(token.split()[-1][1:] if token[0] in "Aa" else token[1:])
    return names


def load_all() -> dict[str, CannedQuery]:
    """Every bundled canned query (``entente.queries/*.rq``), by name, sorted, each with its
    variants (``<name>--<param>[--<param>...].rq``: :func:`with_variant`)."""
    root = files("entente.queries")
    found: dict[str, CannedQuery] = {}
    variants = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        name = entry.name[: -len(".rq")]
        text = entry.read_text(encoding="utf-8")
        if "--" in name:
            variants.append((name, text))
            continue
        if not _NAME.fullmatch(name):
            raise CannedQueryError(f"queries/{entry.name}: bad query name (use a-z, 0-9 and -)")
        found[name] = parse(name, text, f"queries/{entry.name}")
    for name, text in variants:
        base_name = name.split("--")[0]
        if base_name not in found:
            raise CannedQueryError(f"queries/{name}.rq: a variant of {base_name!r}, which is "
                                   "not a canned query")
        found[base_name] = with_variant(found[base_name], name, text)
    return found


def with_variant(query: CannedQuery, name: str, text: str) -> CannedQuery:
    """``query`` with the variant ``name`` (``<query>--<param>[--<param>...]``, the
    parameters whose binding it is for) of SPARQL ``text``.  A variant has no header of its
    own and must project the query's variables in the query's order; that it gives the same
    rows in the same order is for its tests to show (tests/queries/test_variants.py)."""
    where = f"queries/{name}.rq"
    query_name, *params = name.split("--")
    if query_name != query.name or not params:
        raise CannedQueryError(f"{where}: a variant's name is {query.name}--<parameter>")
    for param in params:
        if query.param(param) is None:
            raise CannedQueryError(f"{where}: {query.name} has no parameter {param!r}")
    if len(set(params)) != len(params) or params != sorted(params):
        raise CannedQueryError(f"{where}: name each parameter once, in alphabetical order")
    if any(line.startswith("#+") for line in text.splitlines()):
        raise CannedQueryError(f"{where}: a variant has no '#+' header (its query's applies)")
    if any(set(v.params) == set(params) for v in query.variants):
        raise CannedQueryError(f"{where}: {query.name} has a variant for these parameters")
    _check_ends_at_order_by(where, text)
    selected = _projection(query.text)
    if _projection(text) != selected:
        raise CannedQueryError(f"{where}: must select what {query.name}.rq selects, in its "
                               f"order: {selected}")
    return replace(query, variants=(*query.variants, Variant(tuple(params), text)))


def get(name: str, queries: Mapping[str, CannedQuery] | None = None) -> CannedQuery:
    """The canned query ``name``; :class:`UnknownQuery` lists the known ones."""
    known = load_all() if queries is None else queries
    if name not in known:
        raise UnknownQuery(f"no canned query {name!r} (known: {', '.join(sorted(known))})")
    return known[name]


# --- binding ------------------------------------------------------------------------------


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
        out[param.variable] = _term(param, value, base)
    return out


#: the label properties a label given for an IRI parameter is looked up in
LABEL_PROPERTIES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://xmlns.com/foaf/0.1/name",
)
#: how many spellings of a label are looked up (:func:`_spellings`), each in English and plain
_SPELLINGS = 5
#: the resources that have one of ?l0 ... ?l9 as a label (each an index lookup)
LABEL_LOOKUP = ("SELECT DISTINCT ?e {vars} WHERE {{\n  VALUES ?p {{ {props} }}\n  {union}\n}}\n"
                "ORDER BY ?e").format(
    vars=" ".join(f"?l{i}" for i in range(2 * _SPELLINGS)),
    props=" ".join(f"<{p}>" for p in LABEL_PROPERTIES),
    union=" UNION ".join(f"{{ ?e ?p ?l{i} }}" for i in range(2 * _SPELLINGS)),
)
#: a lookup: (query text, substitutions) -> the IRIs of the rows' ``?e``, in order
Lookup = Callable[[str, dict[str, tuple]], list[str]]


def _spellings(label: str) -> list[str]:
    """The label as given, then its title, upper, capitalised and lower cases (once each),
    padded to :data:`_SPELLINGS` with the first."""
    found = list(dict.fromkeys([label, label.title(), label.upper(), label.capitalize(),
                                label.lower()]))
    return (found + [label] * _SPELLINGS)[:_SPELLINGS]


def resolve_labels(query: CannedQuery, substitutions: dict[str, tuple],
                   lookup: Lookup) -> dict[str, tuple]:
    """``substitutions`` with every label given for an IRI parameter (``China``, ``xi
    jinping``) replaced by the IRI of the one resource it labels (``skos:prefLabel``,
    ``skos:altLabel``, ``rdfs:label`` or ``foaf:name``, in English or without a language; as
    given or in another case).  :class:`ParamError` when it labels none or several."""
    out = dict(substitutions)
    for param in query.params:
        term = out.get(param.variable)
        if term is None or term[0] != "label":
            continue
        label = term[1]
        slots: dict[str, tuple] = {}
        for i, spelling in enumerate(_spellings(label)):
            slots[f"l{2 * i}"] = ("literal", spelling, None, "en")
            slots[f"l{2 * i + 1}"] = ("literal", spelling, XSD + "string", None)
        found = list(dict.fromkeys(lookup(LABEL_LOOKUP, slots)))
        if not found:
            raise ParamError(param.name, f"no resource is labelled {label!r}; give a label "
                                         "such as China, or an IRI such as id/state/china")
        if len(found) > 1:
            shown = ", ".join(found[:5]) + (", ..." if len(found) > 5 else "")
            raise ParamError(param.name, f"{label!r} labels {len(found)} resources ({shown}); "
                                         "give the IRI of one")
        out[param.variable] = ("iri", found[0])
    return out


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


def _term(param: Param, value: str, base: str) -> tuple:
    if param.type == "iri":
        if _ABSOLUTE.fullmatch(value):
            return ("iri", value)
        if "/" in value and _RELATIVE.fullmatch(value):
            return ("iri", base + value)
        control = _CONTROL.search(value)
        if control is None and value.strip() and ":" not in value and "/" not in value:
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
    """``["name=value", ...]`` (the CLI's ``--param``) as a mapping; bad items are ParamErrors."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParamError(item, "expected NAME=VALUE")
        out[name.strip()] = value
    return out
