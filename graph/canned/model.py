"""A canned query's model: its parameters (:class:`Param`), its variants (:class:`Variant`),
the query (:class:`CannedQuery`) and the errors of loading and binding one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from entente.errors import EntenteError, UsageError

XSD = "http://www.w3.org/2001/XMLSchema#"
PARAM_TYPES = ("iri", "string", "date", "integer", "enum")
#: query-string names every canned query answers and no parameter may take: the result
#: format, the time limit and the page of rows (:func:`page`)
RESERVED = ("format", "timeout", "limit", "offset")
#: the largest ``limit`` or ``offset`` a request may give
MAX_PAGE_VALUE = 1_000_000_000


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
