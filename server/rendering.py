"""What the HTML pages and the canned-query views share: a term of the SPARQL JSON results as a
template shows it (:func:`term_view`: its text, link and kind), the path on this server that
serves an IRI (:func:`local_href`), compact IRIs, a SELECT run through the engine
(:func:`select`), the content negotiation between HTML and RDF (:func:`wants_html`,
:func:`graph_media`, :func:`negotiated_headers`) and the check of an IRI made from a path
(:func:`check_iri`)."""

from __future__ import annotations

import json
import re
from typing import Any

from entente.graph.namespaces import PREFIXES
from entente.server.engine import QueryRequest, get_engine
from entente.server.errors import BadRequest
from entente.server.negotiation import SPARQL_JSON, choose, prefers_html
from flask import Response, request

from entente.config import ONTOLOGY_IRI, ONTOLOGY_NS, Settings

#: format parameter -> media type of the RDF alternates a page offers (and its Link header)
ALTERNATES = {
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}

#: the SHACL shapes graph's IRI (ontology/shapes.ttl), served at /shapes
SHAPES_IRI = "https://entente.example.org/shapes"
#: where the build's Skolem IRIs live under the base (``skolemised_quads`` in graph/nquads.py)
GENID = ".well-known/genid/"
MAX_LITERAL = 600  # characters of a literal shown on a page before eliding


def settings() -> Settings:
    """The running app's settings (its engine's)."""
    return get_engine().settings


def local_href(iri: str, base: str) -> str | None:
    """The path on this server that serves ``iri``, or None for a foreign IRI."""
    if iri.startswith(ONTOLOGY_NS):
        return "/ontology#" + iri[len(ONTOLOGY_NS):]
    if iri == ONTOLOGY_IRI or iri.startswith(ONTOLOGY_IRI + "/"):
        return "/ontology" + iri[len(ONTOLOGY_IRI):]
    if iri == SHAPES_IRI or iri.startswith(SHAPES_IRI + "#"):
        return "/shapes" + iri[len(SHAPES_IRI):]
    if iri.startswith(base):
        rest = iri[len(base):]
        if rest.startswith(("id/", "graph/", GENID)):
            return "/" + rest
    return None


def compact_iri(iri: str, base: str) -> str:
    """``id:state/china``, ``ent:memberOf``... or the full IRI."""
    prefixes = {**PREFIXES, "id": base + "id/", "graph": base + "graph/"}
    best = max((p for p in prefixes if iri.startswith(prefixes[p])),
               key=lambda p: len(prefixes[p]), default=None)
    if best is None or iri == prefixes[best]:
        return iri
    return f"{best}:{iri[len(prefixes[best]):]}"


def term_view(binding: dict[str, Any] | None, base: str, label: Any = None) -> dict[str, Any]:
    """A SPARQL JSON term as what a template needs: text, href, kind, lang, datatype."""
    if binding is None:
        return {"kind": "empty", "text": ""}
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        href = local_href(value, base)
        text = label["value"] if isinstance(label, dict) else compact_iri(value, base)
        return {"kind": "iri", "text": text, "iri": value, "href": href or value,
                "external": href is None}
    if kind == "bnode":
        return {"kind": "bnode", "text": "_:" + value}
    text = value if len(value) <= MAX_LITERAL else value[: MAX_LITERAL - 1] + "…"
    datatype = binding.get("datatype")
    return {"kind": "literal", "text": text, "lang": binding.get("xml:lang"),
            "datatype": compact_iri(datatype, base) if datatype else None,
            "elided": len(value) > MAX_LITERAL}


def select(query: str, substitutions: dict[str, tuple], *, noted: bool = True
           ) -> tuple[list[str], list[dict], bool]:
    """Run a SELECT through the engine; (variables, bindings, truncated).  ``noted=False``
    keeps an auxiliary query out of the access log and the metrics
    (:attr:`~entente.server.engine.QueryRequest.noted`)."""
    result = get_engine().execute(
        QueryRequest(query, media_type=SPARQL_JSON, substitutions=substitutions, noted=noted)
    )
    data = json.loads(result.body)
    return data["head"]["vars"], data["results"]["bindings"], result.truncated


def wants_html(offers: str | tuple[str, ...]) -> bool:
    """True when the client prefers text/html to every alternative: ``offers`` is a query
    form (the types Entente writes for it, with their aliases: ``application/json`` counts
    for JSON-LD and SPARQL JSON) or a tuple of media types
    (:func:`entente.server.negotiation.prefers_html`); ``format=html`` asks for it."""
    fmt = request.args.get("format")
    if fmt:
        return fmt.strip().lower() == "html"
    return prefers_html(request.headers.get("Accept"), offers)


def graph_media() -> str:
    """The RDF media type for this request (a plain JSON client gets JSON-LD: an alias)."""
    return choose(request.headers.get("Accept"), request.args.get("format"), "CONSTRUCT")


def negotiated_headers(response: Response, path: str) -> None:
    """``Vary: Accept`` and the ``Link: rel="alternate"`` of every format a page offers."""
    response.vary.add("Accept")
    links = [f'<{path}?format={fmt}>; rel="alternate"; type="{media}"'
             for fmt, media in ALTERNATES.items()]
    links.append(f'<{path}?format=html>; rel="alternate"; type="text/html"')
    response.headers["Link"] = ", ".join(links)


#: a character no IRI path holds (RFC 3987: ASCII controls, space and ``<>"{}|\\^```, and
#: beyond ASCII what is not a ``ucschar``); the engine's refusal was "Invalid IRI code point"
_NOT_IN_IRI = re.compile(
    r"[^\x21\x23-\x3b\x3d\x3f-\x5b\x5d\x5f\x61-\x7a\x7e\xa0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
    + "".join(fr"\U{p:08x}-\U{p + 0xfffd:08x}" for p in range(0x10000, 0xe0000, 0x10000))
    + r"\U000e1000-\U000efffd]")


def check_iri(iri: str) -> None:
    """A 400 for an IRI made from a request path that no IRI can be (the engine's own
    error told the client nothing useful)."""
    bad = _NOT_IN_IRI.search(iri)
    if bad is not None:
        if bad.group() == "\ufffd":  # (what a percent-escape that is not UTF-8 decodes to)
            raise BadRequest("the path is not UTF-8: a percent-escape in it decodes to no "
                             "character")
        raise BadRequest(f"not a valid IRI: {iri!r}")
