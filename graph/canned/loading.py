"""Loading canned queries: ``queries/<name>.rq`` files parsed and checked (:func:`parse`,
:func:`load_all`), with their variants (:func:`with_variant`), and one found by name
(:func:`get`)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import replace
from importlib.resources import files
from typing import Any

import yaml
from entente.graph.canned.binding import to_term
from entente.graph.canned.model import (
    PARAM_TYPES,
    RESERVED,
    CannedQuery,
    CannedQueryError,
    Param,
    ParamError,
    UnknownQuery,
    Variant,
)

from entente.sparql_tokens import tokens

# Every pattern is used with fullmatch: ``$`` would also match before a trailing newline.
_NAME = re.compile(r"[a-z][a-z0-9-]*")
_VAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


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
            to_term(param, param.default, "https://example.org/")
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
    variants (``<name>--<param>[--<param>...].rq``: :func:`with_variant`).  The files are
    read and parsed once per process (a fresh dict each call; the queries are frozen)."""
    return dict(_bundled())


@functools.cache
def _bundled() -> dict[str, CannedQuery]:
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
