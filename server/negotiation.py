"""Content negotiation: which media type answers a request, and the formats Entente writes.

Two tables keyed by media type: one for SELECT/ASK results, one for CONSTRUCT/DESCRIBE graphs.
:func:`choose` picks from the right table by the ``format`` parameter or the ``Accept``
header (q-values, wildcards); nothing acceptable is a 406 listing what is available.
"""

from __future__ import annotations

import functools

from entente.server.errors import NotAcceptable
from entente.server.media import (
    CSV,
    JSON_LD,
    N_QUADS,
    N_TRIPLES,
    RDF_XML,
    SPARQL_JSON,
    SPARQL_XML,
    TRIG,
    TSV,
    TURTLE,
)

#: SELECT/ASK result media types, in order of preference (the first is the default).
RESULT_TYPES: tuple[str, ...] = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
#: Aliases accepted in Accept headers for result types.
#: (the generic XML types too, as Jena reads them: XML results, or RDF/XML for a graph)
RESULT_ALIASES: dict[str, str] = {"application/json": SPARQL_JSON, "application/xml": SPARQL_XML,
                                  "text/xml": SPARQL_XML}
#: CONSTRUCT/DESCRIBE media types, in order of preference (the first is the default).
GRAPH_TYPES: tuple[str, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML, N_QUADS, TRIG)
#: (text/n3: Turtle is a subset of Notation3, so an N3 reader reads Turtle; OWL tools ask
#: for it)
GRAPH_ALIASES: dict[str, str] = {"application/x-turtle": TURTLE, "text/n3": TURTLE,
                                  "text/rdf+n3": TURTLE, "text/plain": N_TRIPLES,
                                  "application/json": JSON_LD, "application/xml": RDF_XML,
                                  "text/xml": RDF_XML,
                                  # (the older names Jena and RDF4J still read and send)
                                  "text/x-nquads": N_QUADS, "text/nquads": N_QUADS,
                                  "text/n-quads": N_QUADS, "application/x-trig": TRIG}

#: W3C format IRIs (https://www.w3.org/ns/formats/) for the service description.
FORMAT_IRIS: dict[str, str] = {
    SPARQL_JSON: "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    SPARQL_XML: "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    CSV: "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    TSV: "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    TURTLE: "http://www.w3.org/ns/formats/Turtle",
    N_TRIPLES: "http://www.w3.org/ns/formats/N-Triples",
    JSON_LD: "http://www.w3.org/ns/formats/JSON-LD",
    RDF_XML: "http://www.w3.org/ns/formats/RDF_XML",
    N_QUADS: "http://www.w3.org/ns/formats/N-Quads",
    TRIG: "http://www.w3.org/ns/formats/TriG",
}

_RESULT_FORMATS = {"json": SPARQL_JSON, "srj": SPARQL_JSON, "xml": SPARQL_XML, "srx": SPARQL_XML,
                   "csv": CSV, "tsv": TSV}
_GRAPH_FORMATS = {"turtle": TURTLE, "ttl": TURTLE, "nt": N_TRIPLES, "ntriples": N_TRIPLES,
                  "n-triples": N_TRIPLES, "jsonld": JSON_LD, "json-ld": JSON_LD, "json": JSON_LD,
                  "rdfxml": RDF_XML, "rdf": RDF_XML, "xml": RDF_XML, "rdf+xml": RDF_XML,
                  # (SPARQLWrapper's names; N3 is answered with Turtle, its subset, as an
                  # Accept of text/n3 is)
                  "n3": TURTLE, "nq": N_QUADS,
                  "nquads": N_QUADS, "n-quads": N_QUADS, "trig": TRIG}

GRAPH_FORMS = frozenset({"CONSTRUCT", "DESCRIBE"})


def _named(fmt: str, form: str) -> str | None:
    """The media type a ``format`` value (a short name, a media type or an alias of one) names
    for a query of ``form``; None when it names none."""
    types, aliases, formats = _tables(form)
    key = fmt.strip().lower()
    return formats.get(key) or aliases.get(key) or (key if key in types else None)


def same_format(first: str, second: str) -> bool:
    """Do two ``format`` values (a short name or a media type) name the same format, for
    results or for graphs (``json`` and ``srj``, ``nt`` and ``application/n-triples``)?"""
    for form in ("SELECT", "CONSTRUCT"):
        chosen = _named(first, form)
        if chosen is not None and chosen == _named(second, form):
            return True
    return False


def _tables(form: str) -> tuple[tuple[str, ...], dict[str, str], dict[str, str]]:
    if form.upper() in GRAPH_FORMS:
        return GRAPH_TYPES, GRAPH_ALIASES, _GRAPH_FORMATS
    return RESULT_TYPES, RESULT_ALIASES, _RESULT_FORMATS


def format_values() -> list[str]:
    """Every value the ``format`` parameter of /sparql takes (for one form or the other): the
    short names, then the media types and their aliases."""
    values = [*_RESULT_FORMATS, *_GRAPH_FORMATS, *RESULT_TYPES, *RESULT_ALIASES,
              *GRAPH_TYPES, *GRAPH_ALIASES]
    return list(dict.fromkeys(values))


def available(form: str) -> tuple[str, ...]:
    """The media types Entente can produce for a query of this form."""
    return _tables(form)[0]


def parse_accept(accept: str) -> list[tuple[str, float, int]]:
    """``[(media range, q, position)]`` from an Accept header; malformed q counts as 0."""
    ranges = []
    for position, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        if "/" not in media:
            media = "*/*" if media == "*" else media + "/*"
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((media, q, position))
    return ranges


def _quality(media: str, ranges: list[tuple[str, float, int]]) -> tuple[int, float] | None:
    """(specificity, q) of the most specific range matching ``media`` (None when nothing
    matches): 3 the type itself, 2 ``type/*``, 1 ``*/*``."""
    kind = media.split("/")[0]
    best: tuple[int, float] | None = None
    for rng, q, _ in ranges:
        if rng == media:
            specificity = 3
        elif rng == f"{kind}/*":
            specificity = 2
        elif rng == "*/*":
            specificity = 1
        else:
            continue
        if best is None or specificity > best[0]:
            best = (specificity, q)
    return best


def quality(media: str, ranges: list[tuple[str, float, int]],
            aliases: tuple[str, ...] = ()) -> float | None:
    """The q an Accept header (parsed: :func:`parse_accept`) gives ``media``, which may also
    be named by ``aliases`` (``application/json`` for SPARQL JSON...); None when nothing
    matches.  The most specific mention decides (RFC 9110, 12.5.1): the type named itself,
    then its aliases named (the highest of their q-values), then ``type/*``, then ``*/*``.  So
    an explicit ``q=0`` on the type is never overridden by an alias, nor an alias's ``q=0``
    by a wildcard."""
    own = _quality(media, ranges)
    if own is not None and own[0] == 3:
        return own[1]
    named = [q for rng, q, _ in ranges if rng in aliases]
    if named:
        return max(named)
    return None if own is None else own[1]


def qualities(accept: str | None, form: str) -> list[tuple[str, float]]:
    """``[(media type, q)]`` of the types Entente writes for ``form``, in the server's order
    of preference, each with the q the Accept header gives it (aliases included); types the
    header does not match are left out.  A missing or blank header accepts everything."""
    types, aliases, _ = _tables(form)
    if not accept or not accept.strip():
        return [(media, 1.0) for media in types]
    ranges = parse_accept(accept)
    out = []
    for media in types:
        names = tuple(alias for alias, target in aliases.items() if target == media)
        q = quality(media, ranges, names)
        if q is not None:
            out.append((media, q))
    return out


def best_quality(accept: str | None, form: str) -> float:
    """The highest q the Accept header gives any type Entente writes for ``form`` (0: none)."""
    return max((q for _, q in qualities(accept, form)), default=0.0)


def prefers_html(accept: str | None, offers: str | tuple[str, ...]) -> bool:
    """Does the Accept header rank ``text/html`` above every alternative?  ``offers``: a
    query form (the types Entente writes for it, aliases included) or the media types
    themselves.  Ties go to the alternatives (the server's preference), and so does a missing
    header or ``*/*``."""
    if not accept or not accept.strip():
        return False
    ranges = parse_accept(accept)
    html = quality("text/html", ranges) or 0.0
    if isinstance(offers, str):
        best = best_quality(accept, offers)
    else:
        best = max((quality(media, ranges) or 0.0 for media in offers), default=0.0)
    return html > 0 and html > best


def _result_of(form: str) -> str:
    """What a 406 is about: "a SELECT query", "an ASK query" ... (the linked-data pages, the
    Graph Store and the service description negotiate as a CONSTRUCT: an RDF document)."""
    word = form.upper()
    if word == "CONSTRUCT":
        return "a CONSTRUCT query or an RDF document"
    return f"{'an' if word == 'ASK' else 'a'} {word} query"


@functools.lru_cache(maxsize=512)  # a pure function of few distinct headers, on every request
def choose(accept: str | None, fmt: str | None, form: str) -> str:
    """The media type to answer a query of ``form`` (SELECT, ASK, CONSTRUCT, DESCRIBE).

    ``fmt`` (the ``format`` parameter: json, xml, csv, tsv, turtle, nt, jsonld, rdfxml, nq,
    trig, or a media type) wins over ``accept``; a missing or ``*/*`` Accept gets the
    default.  Otherwise the highest q wins (:func:`quality`: aliases count for their type,
    the most specific mention decides), ties broken by the server's order of preference.
    Raises NotAcceptable (406) naming the available types.
    """
    types = available(form)
    offer = ", ".join(types)
    if fmt:
        chosen = _named(fmt, form)
        if chosen is None:
            raise NotAcceptable(
                f"format {fmt!r} is not available for {_result_of(form)}; available: {offer}",
                available=list(types),
            )
        return chosen
    if not accept or not accept.strip():
        return types[0]
    scored = [(-q, rank, media)
              for rank, (media, q) in enumerate(qualities(accept, form)) if q > 0]
    if not scored:
        raise NotAcceptable(
            f"cannot produce any of the accepted types ({accept}) for {_result_of(form)}; "
            f"available: {offer}",
            available=list(types),
        )
    return min(scored)[2]
