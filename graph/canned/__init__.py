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

from entente.graph.canned.binding import (
    LABEL_LOOKUP,
    LABEL_LOOKUP_ANY_CASE,
    LABEL_PROPERTIES,
    NAMED_LOOKUP,
    Lookup,
    bind,
    check_named,
    given_iris,
    page,
    paged,
    parse_assignments,
    resolve_labels,
    to_pyoxigraph,
    to_term,
)
from entente.graph.canned.loading import get, load_all, parse, with_variant
from entente.graph.canned.model import (
    MAX_PAGE_VALUE,
    PARAM_TYPES,
    RESERVED,
    XSD,
    CannedQuery,
    CannedQueryError,
    Param,
    ParamError,
    UnknownQuery,
    Variant,
)

__all__ = [
    "LABEL_LOOKUP", "LABEL_LOOKUP_ANY_CASE", "LABEL_PROPERTIES", "MAX_PAGE_VALUE",
    "NAMED_LOOKUP", "PARAM_TYPES", "RESERVED", "XSD",
    "CannedQuery", "CannedQueryError", "Lookup", "Param", "ParamError", "UnknownQuery",
    "Variant", "bind", "check_named", "get", "given_iris", "load_all", "page", "paged",
    "parse", "parse_assignments", "resolve_labels", "to_pyoxigraph", "to_term", "with_variant",
]
