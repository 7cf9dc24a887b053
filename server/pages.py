"""Linked-data pages: every IRI minted under the base IRI dereferences here.

The request PATH decides the resource, whatever host serves it: ``/id/<path>`` is
``{base}id/<path>``, ``/graph/<path>`` is ``{base}graph/<path>``, ``/ontology`` is the
ontology (and ``/ontology/<version>`` its ``owl:versionIRI``), ``/shapes`` the SHACL shapes.
Browsers get HTML (labels, types, outgoing and incoming links, and the assertions about an
actor or from a document); RDF clients get the resource's description (outgoing and incoming
triples) in any graph format by content negotiation, with ``Vary: Accept`` and ``Link:
rel="alternate"`` headers; a description cut at the row cap says so in
``X-SPARQL-Truncated`` / ``X-SPARQL-Max-Rows``.  Queries go through the engine (timeouts,
row caps, cache); the IRI is always a substitution, never pasted into a query.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from importlib.resources import files
from typing import Any
from urllib.parse import urlencode

from entente.graph import canned
from entente.server.answer import graph_content, truncation_headers
from entente.server.engine import QueryRequest, QueryResult, get_engine
from entente.server.errors import BadRequest, NotFound
from entente.server.media import N_TRIPLES
from entente.server.negotiation import parse_accept
from entente.server.page_queries import (
    ACTOR_ROWS,
    COUNTS,
    DESCRIPTION,
    DOCUMENT_ROWS,
    GRAPH_CONTENT,
    GRAPH_SIZE,
    GRAPH_SUBJECTS,
    INCOMING,
    INCOMING_PROPERTIES,
    OUTGOING,
    VERSIONS,
)
from entente.server.rendering import (
    ALTERNATES,
    GENID,
    SHAPES_IRI,
    compact_iri,
    graph_media,
    select,
    settings,
    term_view,
    wants_html,
)
from flask import Blueprint, Response, current_app, render_template, request

from entente.config import ONTOLOGY_IRI, ONTOLOGY_NS

#: the bundled reference entities file (ontology/entities.ttl), served at /ontology/entities
ENTITIES_IRI = f"{ONTOLOGY_IRI}/entities"
#: the ontology's creator and publisher (``dcterms:creator``): the project, a hash IRI whose
#: document is the site's root
PROJECT_IRI = f"{ONTOLOGY_IRI.removesuffix('ontology')}#project"

bp = Blueprint("pages", __name__)

LABEL_PROPERTIES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
)
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: subjects shown per linking property, and linking properties shown, on a resource's page
INCOMING_EACH = 20
INCOMING_PROPERTIES_SHOWN = 40
#: subjects listed per page of a named graph's HTML page
GRAPH_PAGE = 100
#: rows of the assertions table on an actor's or a document's page (the rest: the canned
#: query, page by page; an actor of the 1M store had 9,000 rows, a 7.5 MB page in 5 s)
SECTION_ROWS = 50


def _rdf_response(result: QueryResult, path: str) -> Response:
    """An RDF document from the engine; cut at the row cap, it says so as /sparql does
    (``X-SPARQL-Truncated``, ``X-SPARQL-Max-Rows``)."""
    mimetype = result.media_type
    response = Response(result.body, status=200, content_type=f"{mimetype}; charset=utf-8")
    _negotiated_headers(response, path)
    response.headers["X-Store-Version"] = result.store_version
    for key, value in truncation_headers(result, settings().max_rows):
        response.headers[key] = value
    return response


def _negotiated_headers(response: Response, path: str) -> None:
    response.vary.add("Accept")
    links = [f'<{path}?format={fmt}>; rel="alternate"; type="{media}"'
             for fmt, media in ALTERNATES.items()]
    links.append(f'<{path}?format=html>; rel="alternate"; type="text/html"')
    response.headers["Link"] = ", ".join(links)


# --- views ----------------------------------------------------------------------------------


@bp.route("/id/<path:rest>")
def resource(rest: str) -> Response:
    base = settings().base
    return _describe(base + "id/" + rest, request.path)


@bp.route(f"/{GENID}<path:rest>")
def skolem(rest: str) -> Response:
    """A blank node of the data, named by its Skolem IRI (RDF 1.1, 3.5): described like any
    other resource."""
    return _describe(settings().base + GENID + rest, request.path)


@bp.route("/graph/<path:rest>")
def named_graph(rest: str) -> Response:
    base = settings().base
    iri = base + "graph/" + rest
    _check_iri(iri)
    subs = {"graph": ("iri", iri)}
    if not wants_html("CONSTRUCT"):
        media = graph_media()
        result = graph_content(get_engine(), GRAPH_CONTENT, iri, media)
        if result.row_count == 0:
            raise NotFound(f"no graph {iri} in this dataset")
        response = _rdf_response(result, request.path)
        # (the document is the graph's triples; what the dataset states about the graph,
        # its provenance, is in other graphs: where to find it)
        describe = urlencode({"query": f"DESCRIBE <{iri}>"})
        response.headers["Link"] += f', </sparql?{describe}>; rel="describedby"'
        return response
    if len(request.args.getlist("offset")) > 1:
        raise BadRequest("the 'offset' parameter was given more than once; give it once",
                         parameter="offset")
    offset = _offset(request.args.get("offset"))
    _, rows, _ = select(GRAPH_SIZE, subs, noted=False)  # (the page's query: its listing)
    if not rows:
        raise NotFound(f"no graph {iri} in this dataset")
    document = None
    if rest.startswith("document/"):
        document = term_view({"type": "uri", "value": base + "id/" + rest}, base)
    # what the dataset states about the graph (its provenance: made by which build, from
    # which document), from whichever graph states it
    _, about_rows, _ = select(OUTGOING, {"this": ("iri", iri)}, noted=False)
    about = [(term_view(r["p"], base), term_view(r["o"], base, r.get("oLabel")))
             for r in about_rows]
    # (one row more than a page tells whether there is a next page: under the row cap)
    size = max(1, min(GRAPH_PAGE, settings().max_rows - 1))
    _, listed, _ = select(GRAPH_SUBJECTS % {"limit": size + 1, "offset": offset}, subs)
    subjects = [{"subject": term_view(row["s"], base, row.get("sLabel")),
                 "type": term_view(row.get("sType"), base)} for row in listed[:size]]
    count = int(rows[0]["subjects"]["value"])
    last = (max(count, 1) - 1) // size * size  # where the last page starts
    page = render_template(
        "graph.html", iri=iri, triples=rows[0]["triples"]["value"],
        subjects=count, document=document, about=about,
        alternates=ALTERNATES, path=request.path, listed=subjects, first=offset + 1,
        previous=min(max(offset - size, 0), last) if offset else None,
        next=offset + size if len(listed) > size else None,
    )
    response = Response(page, mimetype="text/html")
    _negotiated_headers(response, request.path)
    return response


def _offset(value: str | None) -> int:
    """The ``offset`` of a page listing (0 when absent), checked as a canned query's is."""
    try:
        return canned.page({"offset": value})[1] or 0
    except canned.ParamError as exc:
        raise BadRequest(str(exc), parameter=exc.name) from None


@bp.route("/ontology")
def ontology() -> Response:
    return _ontology(request.path)


#: prior versions of the ontology, bundled as they were last published (version -> file):
#: what ``owl:priorVersion`` names resolves
PRIOR_VERSIONS = {"0.1.0": "entente-0.1.0.ttl"}


@bp.route("/ontology/<path:version>")
def ontology_version(version: str) -> Response:
    """The ontology's ``owl:versionIRI`` (``{ONTOLOGY_IRI}/0.2.0``): the ontology, as
    ``/ontology`` serves it, when the store's ontology has that version IRI; a prior version
    of :data:`PRIOR_VERSIONS` from its bundled file; 404 for any other version."""
    iri = ONTOLOGY_IRI + "/" + version
    _check_iri(iri)
    _, rows, _ = select(VERSIONS, {"graph": ("iri", settings().base + "graph/ontology"),
                                   "ontology": ("iri", ONTOLOGY_IRI)})
    known = sorted(row["version"]["value"] for row in rows)
    if iri in known:
        return _ontology(request.path)
    if version in PRIOR_VERSIONS:  # the current one's owl:priorVersion resolves
        return _bundled_turtle(
            PRIOR_VERSIONS[version], iri, f"Entente ontology {version} (a prior version)",
            f'The ontology as it was when version {version} was replaced; the current one is '
            '<a href="/ontology">here</a>.', owl=True)
    held = [*known, *(f"{ONTOLOGY_IRI}/{v}" for v in PRIOR_VERSIONS)]
    raise NotFound(f"no ontology version {iri} (this server has {', '.join(held)})")


@bp.route("/shapes")
def shapes() -> Response:
    """The SHACL shapes graph (``ontology/shapes.ttl``, the IRI ``{SHAPES_IRI}``): RDF by
    content negotiation, or its Turtle source on a page."""
    return _bundled_turtle(
        "shapes.ttl", SHAPES_IRI, "Entente SHACL shapes",
        "The structural constraints <code>entente validate</code> checks the data against "
        '(<a href="/ontology">the ontology</a> says what the terms mean).')


@bp.route("/ontology/entities")
def entities_source() -> Response:
    """The bundled reference entities file (``ontology/entities.ttl``), the source the build
    records for the graph ``graph/entities``: RDF by content negotiation (the document of
    :func:`entities_document`), or its Turtle source on a page."""
    return _bundled_turtle(
        "entities.ttl", ENTITIES_IRI, "Entente reference entities",
        "The states, organisations, people and events Entente knows before it reads a text, "
        "with their labels and <code>owl:sameAs</code> links; the build loads them into the "
        '<a href="/graph/entities">entities graph</a>.', document=entities_document, owl=True)


@bp.route("/ontology/entities/<version>")
def entities_version(version: str) -> Response:
    """The entities document's ``owl:versionIRI`` (``{ENTITIES_IRI}/0.2.0``, the ontology's
    version): the same document; 404 for any other version."""
    _check_iri(f"{ENTITIES_IRI}/{version}")
    current = entities_version_info()
    if version != current:
        raise NotFound(f"no entities version {ENTITIES_IRI}/{version} (this server has "
                       f"{ENTITIES_IRI}/{current})")
    return entities_source()


def entities_version_info() -> str:
    """The version of the bundled ontology (``owl:versionInfo`` of ``entente.ttl``), which
    the entities document takes as its own."""
    return _ontology_header()[0]


@functools.lru_cache(maxsize=1)
def _ontology_header() -> tuple[str, tuple[str, ...]]:
    """The bundled ontology's ``owl:versionInfo`` and ``dcterms:license`` values."""
    from rdflib import DCTERMS, OWL, Graph, URIRef

    graph = Graph().parse(data=_bundled_source("entente.ttl"), format="turtle")
    this = URIRef(ONTOLOGY_IRI)
    return (str(graph.value(this, OWL.versionInfo)),
            tuple(sorted(str(o) for o in graph.objects(this, DCTERMS.license))))


@functools.lru_cache(maxsize=4)
def entities_document(base: str) -> Any:
    """The OWL document served at :data:`ENTITIES_IRI`: ``entities.ttl``, its relative IRIs
    resolved against ``base``, as an ontology of its own that imports the one declaring its
    terms (an OWL tool -- Protégé, the OWL API -- read its relations as annotations and its
    classes as undeclared, 1,818 OWL 2 DL violations, without it), labelled, with the bundled
    ontology's version (``{ENTITIES_IRI}/{version}``, ``owl:versionInfo``) and licence
    (``dcterms:license``).  ``scripts/write-entities-owl.py`` writes it to a file, for
    Protégé offline (``ontology/catalog-v001.xml`` maps its import to ``entente.ttl``).
    Built once per base and shared, as :func:`_bundled_graph` is: callers serialise it, never
    change it."""
    from rdflib import DCTERMS, OWL, RDF, RDFS, Graph, Literal, URIRef

    version, licences = _ontology_header()
    this = URIRef(ENTITIES_IRI)
    graph = _bundled_graph("entities.ttl", base) + Graph()  # (a copy: the parse is cached)
    graph.add((this, RDF.type, OWL.Ontology))
    graph.add((this, RDFS.label, Literal("Entente reference entities", lang="en")))
    graph.add((this, OWL.versionIRI, URIRef(f"{ENTITIES_IRI}/{version}")))
    graph.add((this, OWL.versionInfo, Literal(version)))
    for licence in licences:
        graph.add((this, DCTERMS.license, URIRef(licence)))
    graph.add((this, OWL.imports, URIRef(ONTOLOGY_IRI)))
    return graph


def _bundled_turtle(name: str, iri: str, title: str, blurb: str,
                    document: Callable[[str], Any] | None = None,
                    owl: bool = False) -> Response:
    """A Turtle file bundled in ``entente.ontology`` as a resource: its graph to RDF clients
    (``document(base)`` instead when given), its source on a page to browsers (parsed with
    rdflib: the server loads no graph/ code beyond the namespaces, the store and the canned
    queries).  With ``owl`` (an OWL document) a client that names no format gets RDF/XML
    (:func:`_owl_default`)."""
    from entente.server.describe import rdf_response

    if not wants_html("CONSTRUCT"):
        base = settings().base
        graph = document(base) if document is not None else _bundled_graph(name, base)
        response = rdf_response(graph, _owl_default() if owl else None)
    else:
        page = render_template("bundled.html", iri=iri, title=title, blurb=blurb,
                               source=_bundled_source(name), alternates=ALTERNATES,
                               path=request.path)
        response = Response(page, mimetype="text/html")
    _negotiated_headers(response, request.path)
    return response


@functools.lru_cache(maxsize=4)
def _bundled_source(name: str) -> str:
    """A bundled file's text (read once: the package's files do not change while serving)."""
    return (files("entente.ontology") / name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=4)
def _bundled_graph(name: str, base: str) -> Any:
    """A bundled Turtle file's graph, parsed once, its relative IRIs (``entities.ttl``:
    ``<id/state/china>``) resolved against the base IRI, as the build resolves them (rdflib
    would take the server's working directory: ``file:///.../id/state/china``)."""
    from rdflib import BNode, Graph
    from rdflib.compare import to_canonical_graph

    parsed = Graph().parse(data=_bundled_source(name), format="turtle", publicID=base)
    # the same bytes from every worker process: the parser labels blank nodes at random
    # (shapes.ttl's property shapes and lists), so they are labelled from the graph's shape
    # (an audit saw two N-Triples bodies, two ETags; describe.rdf_response sorts the lines)
    if any(isinstance(term, BNode) for triple in parsed for term in triple):
        parsed = to_canonical_graph(parsed)
    # (put in in one order: the XML and JSON-LD writers follow it, workers being forks with
    # one hash seed; a graph of its own, as to_canonical_graph's takes no prefix bindings)
    graph = Graph()
    for triple in sorted(parsed, key=lambda t: tuple(term.n3() for term in t)):
        graph.add(triple)
    return graph


def _ontology(path: str) -> Response:
    """The ontology: its documentation page to browsers, its graph to RDF clients."""
    base = settings().base
    if not wants_html("CONSTRUCT"):
        from entente.server.describe import rdf_response

        graph_media()  # (a 406 before the query)
        result = get_engine().execute(QueryRequest(
            GRAPH_CONTENT, media_type=N_TRIPLES,
            substitutions={"graph": ("iri", base + "graph/ontology")},
        ))
        if result.row_count == 0:
            raise NotFound("the ontology graph is empty in this store")
        response = rdf_response(_unskolemised(result.body, base + GENID), _owl_default())
        _negotiated_headers(response, path)
        response.headers["X-Store-Version"] = result.store_version
        for key, value in truncation_headers(result, settings().max_rows):
            response.headers[key] = value
        return response
    info = get_engine().info
    try:
        page = info.ontology_html.read_bytes()
    except OSError:
        current_app.logger.warning("no ontology documentation at %s", info.ontology_html)
        return _describe(ONTOLOGY_IRI, path)
    response = Response(page, mimetype="text/html")
    _negotiated_headers(response, path)
    return response


def _owl_default() -> str | None:
    """``rdfxml`` (OWL 2's one exchange syntax every OWL tool reads) for a client that names
    no format: no ``format``, and no ``Accept`` header or only ``*/*`` (owlready2's
    ``get_ontology(url).load()`` sends none, and failed on the Turtle it was given); None
    otherwise, for the negotiation every page has."""
    if request.args.get("format") is not None:
        return None
    ranges = parse_accept(request.headers.get("Accept") or "")
    return "rdfxml" if all(media == "*/*" for media, _, _ in ranges) else None


def _unskolemised(ntriples: bytes, genid: str) -> Any:
    """The N-Triples ``ntriples`` as a graph whose Skolem IRIs (under ``genid``) are blank
    nodes again (RDF 1.1, 3.5): the build names the ontology's blank nodes to keep its dump
    deterministic, but the OWL document at the ontology's IRI is OWL's RDF mapping, whose
    class expressions, lists and ``owl:AllDisjointClasses`` are blank nodes (owlready2 took
    each Skolem IRI for a named class with no definition)."""
    from rdflib import BNode, Graph, URIRef

    graph = Graph()
    for triple in Graph().parse(data=ntriples, format="nt"):
        graph.add(tuple(BNode("g" + t[len(genid):])  # (an NCName: RDF/XML's rdf:nodeID)
                        if isinstance(t, URIRef) and t.startswith(genid) else t
                        for t in triple))
    return graph


#: a character no IRI path holds (RFC 3987: ASCII controls, space and ``<>"{}|\\^```, and
#: beyond ASCII what is not a ``ucschar``); the engine's refusal was "Invalid IRI code point"
_NOT_IN_IRI = re.compile(
    r"[^\x21\x23-\x3b\x3d\x3f-\x5b\x5d\x5f\x61-\x7a\x7e\xa0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
    + "".join(fr"\U{p:08x}-\U{p + 0xfffd:08x}" for p in range(0x10000, 0xe0000, 0x10000))
    + r"\U000e1000-\U000efffd]")


def _check_iri(iri: str) -> None:
    bad = _NOT_IN_IRI.search(iri)
    if bad is not None:
        if bad.group() == "\ufffd":  # (what a percent-escape that is not UTF-8 decodes to)
            raise BadRequest("the path is not UTF-8: a percent-escape in it decodes to no "
                             "character")
        raise BadRequest(f"not a valid IRI: {iri!r}")


def project_description() -> Response:
    """The RDF of :data:`PROJECT_IRI` (for an RDF client at ``/``, its document)."""
    return _describe(PROJECT_IRI, "/")


def _describe(iri: str, path: str) -> Response:
    _check_iri(iri)
    subs = {"this": ("iri", iri)}
    if not wants_html("CONSTRUCT"):
        media = graph_media()
        result = get_engine().execute(QueryRequest(DESCRIPTION, media_type=media,
                                                   substitutions=subs))
        if result.row_count == 0:
            raise NotFound(f"nothing is known about {iri}")
        return _rdf_response(result, path)
    page, capped = _html_page(iri, subs)
    response = Response(page, mimetype="text/html")
    _negotiated_headers(response, path)
    if capped:  # the row cap cut the statements: the page says so, as the RDF's headers do
        response.headers["X-SPARQL-Truncated"] = "true"
        response.headers["X-SPARQL-Max-Rows"] = str(settings().max_rows)
    return response


def _html_page(iri: str, subs: dict[str, tuple]) -> tuple[str, bool]:
    """The resource's page, and whether the row cap (``ENTENTE_MAX_ROWS``) cut its
    statements or a listing of what links to it."""
    base = settings().base
    _, out_rows, out_cut = select(OUTGOING, subs)
    _, linking, props_cut = select(INCOMING_PROPERTIES, subs)
    if not out_rows and not linking:
        raise NotFound(f"nothing is known about {iri}")
    label, types, outgoing = None, [], []
    for row in out_rows:
        p, o = row["p"]["value"], row["o"]
        if p == RDF_TYPE:
            types.append(term_view(o, base, row.get("oLabel")))
            continue
        if label is None and p in LABEL_PROPERTIES and o.get("type") == "literal":
            label = o["value"]
        outgoing.append((term_view(row["p"], base), term_view(o, base, row.get("oLabel"))))
    incoming, in_cut, in_capped = _incoming(iri, linking, base)
    capped = out_cut or props_cut or in_capped
    type_iris = {t.get("iri") for t in types}
    if label is None and ONTOLOGY_NS + "Assertion" in type_iris:
        label = _assertion_title(out_rows, base)
    sections = _sections(iri, type_iris, base, label or compact_iri(iri, base))
    return render_template(
        "resource.html", iri=iri, label=label or compact_iri(iri, base), types=types,
        outgoing=outgoing, incoming=incoming, truncated=out_cut or in_cut, capped=capped,
        max_rows=settings().max_rows, sections=sections, alternates=ALTERNATES,
        path=request.path,
    ), capped


def _assertion_title(rows: list[dict], base: str) -> str | None:
    """An assertion's page title, the claim it records: "China supports Russia", with
    "(negated)" and its certainty when not Asserted, by their labels (an assertion has no
    label of its own, and its title was its IRI)."""
    values: dict[str, dict] = {}
    for row in rows:
        name = row["p"]["value"].removeprefix(ONTOLOGY_NS)
        if name in ("subject", "predicate", "object", "polarity", "certainty"):
            values.setdefault(name, {**row["o"], "label": (row.get("oLabel") or {}).get("value")})
    if not {"subject", "predicate", "object"} <= values.keys():
        return None

    def name(key: str) -> str:
        term = values[key]
        return term["label"] or compact_iri(term["value"], base) if term["type"] == "uri" \
            else term["value"]

    # (the ontology's labels: "meets with", "very likely"; else the local names)
    verb = values["predicate"]["label"] or values["predicate"]["value"].removeprefix(ONTOLOGY_NS)
    notes = []
    if values.get("polarity", {}).get("value") == ONTOLOGY_NS + "Negated":
        notes.append("negated")
    certainty = values.get("certainty", {}).get("value", "").removeprefix(ONTOLOGY_NS)
    if certainty and certainty != "Asserted":
        notes.append(values["certainty"]["label"] or certainty)
    said = f"{name('subject')} {verb} {name('object')}"
    return f"{said} ({', '.join(notes)})" if notes else said


def _incoming(iri: str, linking: list[dict], base: str
              ) -> tuple[list[dict[str, Any]], bool, bool]:
    """What links to ``iri``, by property (in IRI order): each with its count of subjects and
    up to :data:`INCOMING_EACH` of them, by label; whether anything was left out, and whether
    the row cap cut a listing."""
    linking = sorted(linking, key=lambda row: row["p"]["value"])
    cut, capped = len(linking) > INCOMING_PROPERTIES_SHOWN, False
    groups = []
    for row in linking[:INCOMING_PROPERTIES_SHOWN]:
        count = int(row["n"]["value"])
        _, rows, cap_cut = select(INCOMING % {"limit": INCOMING_EACH},
                                  {"this": ("iri", iri), "p": ("iri", row["p"]["value"])})
        capped = capped or cap_cut
        subjects = sorted((term_view(r["s"], base, r.get("sLabel")) for r in _one_each(rows)),
                          key=lambda t: (t["text"].casefold(), t.get("iri", "")))
        groups.append({"property": term_view(row["p"], base), "count": count,
                       "subjects": subjects, "more": max(count - len(subjects), 0)})
        cut = cut or count > len(subjects)
    return groups, cut, capped


def _one_each(rows: list[dict]) -> list[dict]:
    """One row per subject ``s``: the one with the first label (a subject with two labels,
    or one label in two graphs, was listed twice and counted twice against "more")."""
    kept: dict[tuple[str, str], dict] = {}
    for row in rows:
        key = (row["s"].get("type", ""), row["s"].get("value", ""))
        label = row.get("sLabel", {}).get("value")
        held = kept.get(key)
        if held is None or (label is not None and (
                held.get("sLabel") is None or label < held["sLabel"]["value"])):
            kept[key] = row
    return list(kept.values())


def _sections(iri: str, types: set[str | None], base: str, label: str) -> list[dict[str, Any]]:
    """Extra tables: the latest assertions about an actor (or an event, an agreement ...:
    whatever ``label`` names), or the first assertions from a document (with its counts),
    each linking the canned query that lists them all."""
    sections: list[dict[str, Any]] = []
    this = {"this": ("iri", iri)}
    if ONTOLOGY_NS + "Document" in types:
        _, rows, _ = select(COUNTS, this)
        if rows:
            sections.append({"kind": "counts", "sentences": rows[0]["sentences"]["value"],
                             "assertions": rows[0]["assertions"]["value"]})
        name, param, query = "assertions", "document", DOCUMENT_ROWS
        title = "Assertions from this document, in the order of the text"
    elif ONTOLOGY_NS + "Assertion" in types or iri.startswith(base + "id/sentence/"):
        return sections
    else:
        name, param, query = "about-actor", "actor", ACTOR_ROWS
        title = f"Latest assertions about {label} (by the date the fact holds)"
    names, rows, _ = select(query % {"limit": SECTION_ROWS + 1}, this)
    if not rows:
        return sections
    for row in rows:  # who said it in label order, as the about-actor query lists it
        said = row.get("attributedToLabel")
        if said:
            said["value"] = "; ".join(sorted(set(said["value"].split("; "))))
    shown = [n for n in names if n != "this"
             and not (n.endswith("Label") and n[:-5] in names)]
    more = len(rows) > SECTION_ROWS
    sections.append({
        "kind": "table", "title": title, "query": name, "vars": shown,
        "rows": [{n: term_view(r.get(n), base, r.get(n + "Label")) for n in shown}
                 for r in rows[:SECTION_ROWS]],
        "truncated": more, "shown": SECTION_ROWS,
        "link": f"/queries/{name}?{urlencode({param: iri})}",
        # the canned assertions query lists a document's rows in this order: its next page
        # follows on; the about-actor query has its own order (by document)
        "next": (f"/queries/{name}?" + urlencode(
            {param: iri, "limit": SECTION_ROWS, "offset": SECTION_ROWS}))
        if more and name == "assertions" else None,
    })
    return sections
