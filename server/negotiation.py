"""Content negotiation: which media type answers a request, and the formats Entente writes.

Two tables keyed by media type: one for SELECT/ASK results, one for CONSTRUCT/DESCRIBE graphs.
:func:`choose` picks from the right table by the ``format`` parameter or the ``Accept``
header (q-values, wildcards); nothing acceptable is a 406 listing what is available.
"""

from __future__ import annotations

from entente.server.errors import NotAcceptable

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
N_TRIPLES = "application/n-triples"
JSON_LD = "application/ld+json"
RDF_XML = "application/rdf+xml"
N_QUADS = "application/n-quads"
TRIG = "application/trig"

#: SELECT/ASK result media types, in order of preference (the first is the default).
RESULT_TYPES: tuple[str, ...] = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
#: Aliases accepted in Accept headers for result types.
#: (the generic XML types too, as Jena reads them: XML results, or RDF/XML for a graph)
RESULT_ALIASES: dict[str, str] = {"application/json": SPARQL_JSON, "application/xml": SPARQL_XML,
                                  "text/xml": SPARQL_XML}
#: CONSTRUCT/DESCRIBE media types, in order of preference (the first is the default).
GRAPH_TYPES: tuple[str, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML, N_QUADS, TRIG)
GRAPH_ALIASES: dict[str, str] = {"application/x-turtle": TURTLE, "text/plain": N_TRIPLES,
                                  "application/json": JSON_LD, "application/xml": RDF_XML,
                                  "text/xml": RDF_XML}

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
                  "rdfxml": RDF_XML, "rdf": RDF_XML, "xml": RDF_XML, "nq": N_QUADS,
                  "nquads": N_QUADS, "n-quads": N_QUADS, "trig": TRIG}

GRAPH_FORMS = frozenset({"CONSTRUCT", "DESCRIBE"})


def _tables(form: str) -> tuple[tuple[str, ...], dict[str, str], dict[str, str]]:
    if form.upper() in GRAPH_FORMS:
        return GRAPH_TYPES, GRAPH_ALIASES, _GRAPH_FORMATS
    return RESULT_TYPES, RESULT_ALIASES, _RESULT_FORMATS


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


def _quality(media: str, ranges: list[tuple[str, float, int]]) -> float | None:
    """q of the most specific range matching ``media`` (None when nothing matches)."""
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
    return None if best is None else best[1]


def choose(accept: str | None, fmt: str | None, form: str) -> str:
    """The media type to answer a query of ``form`` (SELECT, ASK, CONSTRUCT, DESCRIBE).

    ``fmt`` (the ``format`` parameter: json, xml, csv, tsv, turtle, nt, jsonld, rdfxml, nq,
    trig, or a media type) wins over ``accept``; a missing or ``*/*`` Accept gets the
    default.  Raises NotAcceptable (406) naming the available types.
    """
    types, aliases, formats = _tables(form)
    offer = ", ".join(types)
    if fmt:
        key = fmt.strip().lower()
        chosen = formats.get(key) or aliases.get(key) or (key if key in types else None)
        if chosen is None:
            raise NotAcceptable(
                f"format {fmt!r} is not available for a {form.upper()} query; available: {offer}",
                available=list(types),
            )
        return chosen
    if not accept or not accept.strip():
        return types[0]
    ranges = parse_accept(accept)
    candidates = [*types, *aliases]
    scored = []
    for rank, media in enumerate(candidates):
        q = _quality(media, ranges)
        if q is not None and q > 0:
            scored.append((-q, rank, aliases.get(media, media)))
    if not scored:
        raise NotAcceptable(
            f"cannot produce any of the accepted types ({accept}) for a {form.upper()} query; "
            f"available: {offer}",
            available=list(types),
        )
    return min(scored)[2]
