"""Linked-data pages: every IRI minted under the base IRI dereferences here.

The request PATH decides the resource, whatever host serves it: ``/id/<path>`` is
``{base}id/<path>``, ``/graph/<path>`` is ``{base}graph/<path>`` (the ontology, the shapes and
the reference entities, documents bundled with the code, are :mod:`entente.server.documents`').
Browsers get HTML (labels, types, outgoing and incoming links, and the assertions about an
actor or from a document); RDF clients get the resource's description (outgoing and incoming
triples) in any graph format by content negotiation, with ``Vary: Accept`` and ``Link:
rel="alternate"`` headers; a description cut at the row cap says so in
``X-SPARQL-Truncated`` / ``X-SPARQL-Max-Rows``.  Queries go through the engine (timeouts,
row caps, cache); the IRI is always a substitution, never pasted into a query.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from entente.graph import canned
from entente.server.answer import graph_content, truncation_headers
from entente.server.engine import QueryRequest, QueryResult, get_engine
from entente.server.errors import BadRequest, NotFound
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
)
from entente.server.rendering import (
    ALTERNATES,
    GENID,
    check_iri,
    compact_iri,
    graph_media,
    negotiated_headers,
    select,
    settings,
    term_view,
    wants_html,
)
from flask import Blueprint, Response, render_template, request

from entente.config import ONTOLOGY_IRI, ONTOLOGY_NS

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
    negotiated_headers(response, path)
    response.headers["X-Store-Version"] = result.store_version
    for key, value in truncation_headers(result, settings().max_rows):
        response.headers[key] = value
    return response


# --- views ----------------------------------------------------------------------------------


@bp.route("/id/<path:rest>")
def resource(rest: str) -> Response:
    base = settings().base
    return describe(base + "id/" + rest, request.path)


@bp.route(f"/{GENID}<path:rest>")
def skolem(rest: str) -> Response:
    """A blank node of the data, named by its Skolem IRI (RDF 1.1, 3.5): described like any
    other resource."""
    return describe(settings().base + GENID + rest, request.path)


@bp.route("/graph/<path:rest>")
def named_graph(rest: str) -> Response:
    base = settings().base
    iri = base + "graph/" + rest
    check_iri(iri)
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
    negotiated_headers(response, request.path)
    return response


def _offset(value: str | None) -> int:
    """The ``offset`` of a page listing (0 when absent), checked as a canned query's is."""
    try:
        return canned.page({"offset": value})[1] or 0
    except canned.ParamError as exc:
        raise BadRequest(str(exc), parameter=exc.name) from None


def project_description() -> Response:
    """The RDF of :data:`PROJECT_IRI` (for an RDF client at ``/``, its document)."""
    return describe(PROJECT_IRI, "/")


def describe(iri: str, path: str) -> Response:
    """The page of ``iri`` (HTML), or its description in RDF (outgoing and incoming triples)
    by content negotiation; 404 when nothing is known about it."""
    check_iri(iri)
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
    negotiated_headers(response, path)
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
