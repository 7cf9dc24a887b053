"""Defects an audit of the server found, each fixed and pinned here: truncation stated on
linked-data documents, content negotiation by q-value (aliases, q=0, HTML), Vary, the canned
query names in /metrics, control characters in IRI parameters, the ontology's version IRI and
the shapes, /sparql's ``format`` in OpenAPI, XML that XML 1.0 cannot carry, and /update's
dataset parameters and methods."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlencode

import pytest
from entente.server.app import create_app
from entente.server.negotiation import choose
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from .conftest import dataset_lines, publish_dataset  # noqa: TID252

BASE = "https://entente.example.org/"
ENT = BASE + "ontology#"
NT = "application/n-triples"
SRJ = "application/sparql-results+json"
SRX = "application/sparql-results+xml"
CONSTRUCT = f"CONSTRUCT {{ ?s a <{ENT}State> }} WHERE {{ ?s a <{ENT}State> }}"
TOKEN = "audit-token"


# --- 2. linked-data RDF documents cut at the row cap say so ------------------------------------

@pytest.fixture(scope="module")
def capped(settings):  # noqa: ANN001, ANN201 - an app whose row cap is 5
    app = create_app(settings.with_(max_rows=5))
    yield app
    app.extensions["entente.engine"].close()


@pytest.mark.parametrize("path", ["/id/state/china", "/graph/ontology", "/ontology"])
def test_a_capped_document_states_its_truncation(capped, path: str) -> None:
    # china: 9 triples (type, label, memberOf, 6 assertions about it); the ontology graph: 6
    r = capped.test_client().get(path, headers={"Accept": NT})
    assert r.status_code == 200 and r.mimetype == NT
    assert len(r.get_data(as_text=True).splitlines()) == 5
    assert r.headers["X-SPARQL-Truncated"] == "true"
    assert r.headers["X-SPARQL-Max-Rows"] == "5"


def test_a_capped_html_page_says_truncated_and_has_the_headers(capped, client) -> None:
    r = capped.test_client().get("/id/state/china", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert r.headers["X-SPARQL-Truncated"] == "true" and r.headers["X-SPARQL-Max-Rows"] == "5"
    page = r.get_data(as_text=True)
    assert "Truncated: the statements or links stop at the server's row cap (5 rows" in page
    # (the RDF download it pointed to is cut at the cap too)
    assert "and so does its RDF description; page through them all with a query at " \
        '<a href="/sparql">/sparql</a>' in page
    whole = client.get("/id/state/china", headers={"Accept": "text/html"})
    assert "X-SPARQL-Truncated" not in whole.headers and "Truncated" not in whole.get_data(
        as_text=True)


def test_a_graph_listing_under_the_row_cap_links_its_next_page(capped) -> None:
    """A page of a graph's subjects is one row under the cap, so the row that tells there is
    a next page is not cut (at a cap of 5: pages of 4, each linking the next)."""
    c = capped.test_client()
    seen, offset = [], 0
    while offset is not None:
        page = c.get(f"/graph/entities?offset={offset}", headers={"Accept": "text/html"})
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        listed = re.findall(r'<td><a href="(/id/[^"]+)"', text)
        assert 1 <= len(listed) <= 4
        seen += listed
        found = re.search(r'href="/graph/entities\?offset=(\d+)" rel="next"', text)
        offset = int(found.group(1)) if found else None
    assert len(seen) == len(set(seen)) > 4


def test_a_whole_document_has_no_truncation_headers(client) -> None:
    r = client.get("/id/state/china", headers={"Accept": NT})
    assert r.status_code == 200
    assert len(r.get_data(as_text=True).splitlines()) == 9
    assert "X-SPARQL-Truncated" not in r.headers and "X-SPARQL-Max-Rows" not in r.headers


# --- 3. the highest q wins; aliases count for their type; q=0 is final -------------------------

@pytest.mark.parametrize(("accept", "media"), [
    ("application/n-triples, text/html;q=0.9", NT),
    ("application/trig, text/html;q=0.9", "application/trig"),
    ("application/xml, text/html;q=0.9", "application/rdf+xml"),
    ("text/html;q=0.5, text/turtle;q=0.5", "text/turtle"),  # a tie: the server's preference
])
def test_a_bare_get_gives_the_description_when_rdf_has_the_higher_q(client, accept: str,
                                                                     media: str) -> None:
    r = client.get("/sparql", headers={"Accept": accept})
    assert (r.status_code, r.mimetype) == (200, media)
    assert r.headers["Vary"] == "Accept, Origin, Accept-Encoding"


@pytest.mark.parametrize("accept", [
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",  # a browser
    "application/n-triples;q=0.8, text/html;q=0.9",
    "text/html",
])
def test_a_bare_get_sends_html_first_clients_to_the_ui(client, accept: str) -> None:
    r = client.get("/sparql", headers={"Accept": accept})
    assert (r.status_code, r.headers["Location"]) == (303, "/")
    # 4. the Accept header decided it
    assert r.headers["Vary"] == "Accept, Origin, Accept-Encoding"


@pytest.mark.parametrize(("path", "media"), [
    ("/id/state/china", "application/ld+json"),
    ("/graph/ontology", "application/ld+json"),
    ("/ontology", "application/ld+json"),
    ("/queries/actors", SRJ),
])
def test_application_json_outranks_lower_q_html(client, path: str, media: str) -> None:
    r = client.get(path, headers={"Accept": "application/json, text/html;q=0.9"})
    assert (r.status_code, r.mimetype) == (200, media)
    assert "Accept" in r.headers["Vary"]
    r = client.get(path, headers={"Accept": "application/json;q=0.8, text/html"})
    assert (r.status_code, r.mimetype) == (200, "text/html")


@pytest.mark.parametrize(("query", "accept", "fallback"), [
    (CONSTRUCT, "application/rdf+xml;q=0, application/xml", "text/turtle"),
    (CONSTRUCT, "application/ld+json;q=0, application/json", "text/turtle"),
    (f"SELECT ?s WHERE {{ ?s a <{ENT}State> }}", f"{SRJ};q=0, application/json", SRX),
    (f"SELECT ?s WHERE {{ ?s a <{ENT}State> }}", f"{SRX};q=0, text/xml", SRJ),
])
def test_an_explicit_q0_is_not_overridden_by_an_alias(client, query: str, accept: str,
                                                      fallback: str) -> None:
    r = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert r.status_code == 406, r.get_data(as_text=True)
    assert r.get_json()["error"].startswith(f"cannot produce any of the accepted types ({accept})")
    # with a wildcard too: the best of the rest, never the refused type
    r = client.get("/sparql", query_string={"query": query},
                   headers={"Accept": accept + ", */*;q=0.1"})
    assert (r.status_code, r.mimetype) == (200, fallback)


def test_choose_by_q_then_the_servers_order() -> None:
    from entente.server.negotiation import prefers_html

    assert choose("application/json, text/turtle;q=0.9", None, "CONSTRUCT") == "application/ld+json"
    assert choose("text/csv;q=0.5, application/xml;q=0.6", None, "SELECT") == SRX
    assert choose("application/xml;q=0, application/rdf+xml", None, "CONSTRUCT") == (
        "application/rdf+xml")  # the type named itself is more specific than its alias
    # text/* matches no application/ type; text/turtle is named itself, so q=0.2 stands
    assert choose("text/*, text/turtle;q=0.2", None, "CONSTRUCT") == "text/turtle"
    assert choose("text/*, text/turtle;q=0.2", None, "SELECT") == "text/csv"
    assert choose("application/json;q=0, */*", None, "SELECT") == SRX  # an alias's q=0 counts
    assert prefers_html("text/html;q=0.9, application/json", ("application/json",)) is False
    assert prefers_html("application/json;q=0.9, text/html", ("application/json",)) is True
    assert prefers_html("*/*", "CONSTRUCT") is False and prefers_html(None, "SELECT") is False


# --- 4. Vary: Accept wherever the Accept header chose the answer --------------------------------

@pytest.mark.parametrize(("path", "accept"), [
    ("/sparql", "text/turtle"), ("/queries", "text/html"), ("/queries", "application/json"),
    ("/queries/actors", "text/html"), ("/queries/actors", SRJ), ("/id/state/china", "text/html"),
    ("/ontology", "text/html"), ("/shapes", "text/turtle"), ("/shapes", "text/html"),
    ("/.well-known/void", "text/turtle"), ("/id/state/nowhere", NT),
    ("/sparql", "application/sparql-results+json"),  # 406
])
def test_vary_names_accept(client, path: str, accept: str) -> None:
    r = client.get(path, headers={"Accept": accept})
    assert re.split(r",\s*", r.headers["Vary"])[0] == "Accept", (r.status_code, r.headers)


# --- 5. /metrics times each canned query under its name ------------------------------------------

def test_metrics_label_canned_queries_by_name(settings) -> None:
    app = create_app(settings.with_(cache_entries=0))
    try:
        client = app.test_client()
        assert client.get("/queries/actors", headers={"Accept": SRJ}).status_code == 200  # fast
        assert client.get("/queries/actors?format=csv").status_code == 200  # fast path
        assert client.get("/queries/actors", headers={"Accept": "text/html"}).status_code == 200
        r = client.get("/queries/about-actor?" + urlencode({"actor": "id/state/china"}),
                       headers={"Accept": "application/json, text/html;q=0.9"})  # Flask view
        assert r.status_code == 200
        client.get("/sparql", query_string={"query": "ASK {}"})
        metrics = client.get("/metrics").get_data(as_text=True)
        counts = dict(re.findall(r'^entente_query_seconds_count\{query="([^"]+)"\} (\S+)$',
                                 metrics, re.MULTILINE))
        assert counts == {"about-actor": "1.0", "actors": "3.0", "sparql.sparql": "1.0"}
    finally:
        app.extensions["entente.engine"].close()


def test_metrics_label_canned_queries_by_name_under_entente_serve(live_server) -> None:
    assert live_server.get("queries/timeline", headers={"Accept": SRJ}).status_code == 200
    metrics = live_server.get("metrics").text
    assert re.search(r'^entente_query_seconds_count\{query="timeline"\} [1-9]', metrics,
                     re.MULTILINE), metrics
    assert 'query="canned.run"' not in metrics


# --- 6. an IRI parameter with a control character is a 400 naming the parameter ------------------

@pytest.mark.parametrize(("value", "why"), [
    ("id/state/china\n", "holds the control character U+000A"),
    ("id/state/china\x01", "holds the control character U+0001"),
    ("id/state/\x7fchina", "holds the control character U+007F"),
    (BASE + "id/state/china\n", "holds the control character U+000A"),
    (BASE + "id/state/china\x85", "holds the control character U+0085"),
])
@pytest.mark.parametrize("accept", [SRJ, "text/csv"])  # the fast path, then Flask
def test_a_control_character_in_an_iri_parameter_names_the_parameter(client, value: str,
                                                                     why: str,
                                                                     accept: str) -> None:
    r = client.get("/queries/about-actor?" + urlencode({"actor": value}),
                   headers={"Accept": accept})
    assert r.status_code == 400
    assert r.get_json() == {
        "error": f"parameter 'actor': not an IRI: {value!r} ({why})",
        "status": 400, "parameter": "actor"}


def test_the_html_form_shows_the_control_character_error(client) -> None:
    r = client.get("/queries/about-actor?actor=id/state/china%0A",
                   headers={"Accept": "text/html"})
    assert r.status_code == 400 and r.mimetype == "text/html"
    assert "not an IRI: &#39;id/state/china\\n&#39; (holds the control character U+000A)" in (
        r.get_data(as_text=True))


# --- 7. the ontology's version IRI and the shapes graph dereference ------------------------------

@pytest.fixture(scope="module")
def built_app(built_store):  # noqa: ANN001, ANN201 - an app on the real corpus
    from entente.config import Settings

    app = create_app(Settings().with_(store=built_store.link))
    yield app
    app.extensions["entente.engine"].close()


def _version_iri() -> str:
    """The owl:versionIRI of ontology/entente.ttl (``{BASE}ontology/0.1.0``)."""
    from entente.graph.validate import ontology_graph

    version = ontology_graph().value(URIRef(BASE + "ontology"), OWL.versionIRI)
    assert str(version).startswith(BASE + "ontology/")
    return str(version)


@pytest.mark.parametrize("accept", ["text/turtle", NT, "application/ld+json", "text/html"])
def test_the_version_iri_serves_the_ontology(built_app, accept: str) -> None:
    client = built_app.test_client()
    path = _version_iri().removeprefix(BASE[:-1])  # /ontology/0.1.0
    ontology = client.get("/ontology", headers={"Accept": accept})
    version = client.get(path, headers={"Accept": accept})
    assert ontology.status_code == version.status_code == 200
    assert version.mimetype == ontology.mimetype == accept
    assert version.data == ontology.data
    assert "Accept" in version.headers["Vary"]
    assert version.headers["Link"].startswith(f'<{path}?format=turtle>; rel="alternate"')
    if accept == "text/turtle":
        g = Graph().parse(data=version.data, format="turtle")
        assert (URIRef(BASE + "ontology"), OWL.versionIRI, URIRef(_version_iri())) in g


def test_an_unknown_ontology_version_is_404(built_app, client) -> None:
    r = built_app.test_client().get("/ontology/9.9.9")
    assert r.status_code == 404
    assert r.get_json()["error"] == (
        f"no ontology version {BASE}ontology/9.9.9 (this server has {_version_iri()}, "
        f"{BASE}ontology/0.1.0)")
    # the small test store's ontology has no version IRI: only the prior one is held
    r = client.get("/ontology/0.2.0", headers={"Accept": "text/turtle"})
    assert r.status_code == 404
    assert r.get_json()["error"] == (f"no ontology version {BASE}ontology/0.2.0 (this server "
                                     f"has {BASE}ontology/0.1.0)")


@pytest.mark.parametrize("accept", ["text/turtle", "text/html"])
def test_the_prior_version_the_ontology_names_resolves(built_app, accept: str) -> None:
    """owl:priorVersion <ontology/0.1.0> was a 404: a broken link for Protégé and LOV."""
    from entente.graph.validate import ontology_graph

    prior = ontology_graph().value(URIRef(BASE + "ontology"), OWL.priorVersion)
    assert str(prior) == BASE + "ontology/0.1.0"
    r = built_app.test_client().get("/ontology/0.1.0", headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept
    if accept == "text/turtle":
        g = Graph().parse(data=r.data, format="turtle")
        assert (URIRef(BASE + "ontology"), OWL.versionIRI, prior) in g
        assert (URIRef(BASE + "ontology"), OWL.versionInfo, None) in g
        assert str(g.value(URIRef(BASE + "ontology"), OWL.versionInfo)) == "0.1.0"
    else:
        assert "Entente ontology 0.1.0 (a prior version)" in r.get_data(as_text=True)


def test_the_shapes_graph_dereferences(client) -> None:
    from entente.graph.validate import shapes_graph

    expected = shapes_graph()
    r = client.get("/shapes", headers={"Accept": "text/turtle"})
    assert (r.status_code, r.mimetype) == (200, "text/turtle")
    g = Graph().parse(data=r.data, format="turtle")
    assert len(g) == len(expected)
    shapes = URIRef(BASE + "shapes")
    assert (shapes, RDF.type, OWL.Ontology) in g
    assert (shapes, OWL.imports, URIRef(BASE + "ontology")) in g
    assert g.value(shapes, URIRef("http://www.w3.org/2000/01/rdf-schema#label")) == Literal(
        "Entente SHACL shapes", lang="en")
    r = client.get("/shapes", headers={"Accept": "application/n-quads"})
    assert (r.status_code, r.mimetype) == (200, "application/n-quads")
    page = client.get("/shapes", headers={"Accept": "text/html"})
    assert (page.status_code, page.mimetype) == (200, "text/html")
    text = page.get_data(as_text=True)
    assert "entsh:AssertionShape a sh:NodeShape" in text and "<code>https://entente." in text


@pytest.mark.parametrize("fmt", ["nt", "nq", "jsonld", "xml", "ttl"])
def test_the_shapes_graph_is_the_same_bytes_from_every_worker(client, fmt: str) -> None:
    """Each worker parses shapes.ttl itself, and the parser labels its blank nodes at random:
    they are labelled from the graph's shape, so a worker's bytes (and ETag) are every
    worker's; N-Triples and N-Quads are sorted (an audit saw conditional GETs fail)."""
    from entente.server import documents

    first = client.get("/shapes", query_string={"format": fmt})
    documents._bundled_graph.cache_clear()  # (as another worker process: parsed again)
    again = client.get("/shapes", query_string={"format": fmt})
    assert first.status_code == again.status_code == 200
    assert first.data == again.data and first.headers["ETag"] == again.headers["ETag"]
    if fmt in ("nt", "nq"):
        lines = first.data.decode().splitlines()
        assert lines == sorted(lines) and "_:" in first.data.decode()


# --- 8. OpenAPI lists /sparql's format parameter -------------------------------------------------

def test_openapi_lists_the_format_of_sparql(client) -> None:
    from entente.server.negotiation import format_values

    paths = client.get("/openapi.json").get_json()["paths"]["/sparql"]
    get = {p["name"]: p for p in paths["get"]["parameters"]}
    assert list(get) == ["query", "default-graph-uri", "named-graph-uri", "format", "output",
                         "timeout"]
    assert [p["name"] for p in paths["post"]["parameters"]] == [
        "default-graph-uri", "named-graph-uri", "format", "output", "timeout"]
    assert get["output"]["schema"] == get["format"]["schema"]
    enum = get["format"]["schema"]["enum"]
    assert enum == format_values()
    assert enum[:23] == ["json", "srj", "xml", "srx", "csv", "tsv", "turtle", "ttl", "nt",
                         "ntriples", "n-triples", "jsonld", "json-ld", "rdfxml", "rdf",
                         "rdf+xml", "n3", "nq", "nquads", "n-quads", "trig", SRJ, SRX]
    form = paths["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
    assert form["schema"]["properties"]["format"]["enum"] == enum
    for value in enum:  # every value listed is taken by one form or the other
        try:
            choose(None, value, "SELECT")
        except Exception:  # noqa: BLE001
            choose(None, value, "CONSTRUCT")


# --- 10. XML results stay well-formed: a value XML 1.0 cannot carry is a 406 ---------------------

SELECT_CONTROL = 'SELECT ?n ?d WHERE { BIND(1 AS ?n) BIND("a\\u0001c" AS ?d) }'
CONSTRUCT_CONTROL = f'CONSTRUCT {{ <{BASE}x> <{BASE}p> "a\\u001Fc"@en }} WHERE {{}}'


@pytest.mark.parametrize("fast", [True, False])
def test_a_control_character_is_not_written_into_xml_results(app, client, fast: bool) -> None:
    get = client.get if fast else app.test_client().post
    r = get("/sparql", query_string={"query": SELECT_CONTROL},
            headers={"Accept": SRX}) if fast else get(
        "/sparql", data={"query": SELECT_CONTROL}, headers={"Accept": SRX})
    assert r.status_code == 406
    assert r.get_json() == {
        "error": f"cannot write this result as {SRX}: the literal \"a\\u0001c\" (?d in row 1) "
                 "holds the character U+0001, which XML 1.0 cannot carry; ask for "
                 f"{SRJ}, text/csv or text/tab-separated-values",
        "status": 406, "available": [SRJ, "text/csv", "text/tab-separated-values"]}
    r = client.get("/sparql", query_string={"query": SELECT_CONTROL}, headers={"Accept": SRJ})
    assert r.status_code == 200
    assert r.get_json()["results"]["bindings"][0]["d"]["value"] == "a\x01c"


def test_a_control_character_is_not_written_into_rdf_xml(client) -> None:
    r = client.get("/sparql", query_string={"query": CONSTRUCT_CONTROL, "format": "rdfxml"})
    assert r.status_code == 406
    assert r.get_json()["error"] == (
        "cannot write this result as application/rdf+xml: the literal \"a\\u001Fc\"@en in "
        "triple 1 holds the character U+001F, which XML 1.0 cannot carry; ask for "
        "text/turtle, application/n-triples or application/ld+json")
    assert client.get("/sparql", query_string={"query": CONSTRUCT_CONTROL, "format": "nt"}
                      ).get_data(as_text=True) == f'<{BASE}x> <{BASE}p> "a\\u001Fc"@en .\n'


def test_characters_xml_carries_are_written_and_parse_back(client) -> None:
    text = "tab\t nl\n cr\r nel\x85 del\x7f repl\ufffd astral\U0001f600 <&>"
    query = 'SELECT ?d WHERE { BIND("tab\\t nl\\n cr\\r nel\\u0085 del\\u007F ' \
            'repl\\uFFFD astral\\U0001F600 <&>" AS ?d) }'
    r = client.get("/sparql", query_string={"query": query}, headers={"Accept": SRX})
    assert r.status_code == 200
    root = ET.fromstring(r.data)
    literal = root.find(".//{http://www.w3.org/2005/sparql-results#}literal")
    # (a CR is written as "&#13;": a parser normalises a raw one to LF)
    assert literal is not None and literal.text == text


# --- 11. /update: dataset parameters refused, other methods 405 ----------------------------------

@pytest.fixture()
def update_app(settings, tmp_path: Path):  # noqa: ANN001, ANN201
    store = tmp_path / "store"
    publish_dataset(store, dataset_lines())
    app = create_app(settings.with_(store=store, update_enabled=True, update_token=TOKEN))
    yield app
    app.extensions["entente.engine"].close()


UPDATE = f"INSERT DATA {{ GRAPH <{BASE}graph/extra> {{ <{BASE}x> <{BASE}p> <{BASE}y> }} }}"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.mark.parametrize("name", ["using-graph-uri", "using-named-graph-uri"])
def test_update_refuses_dataset_parameters(update_app, name: str) -> None:
    client = update_app.test_client()
    before = client.get("/healthz").get_json()["version"]
    expected = {"error": f"the {name!r} parameter is not supported: updates run on the whole "
                         "dataset; write USING (NAMED) or WITH in the update instead",
                "status": 400, "parameter": name}
    r = client.post("/update", data={"update": UPDATE, name: f"{BASE}graph/entities"},
                    headers=AUTH)
    assert (r.status_code, r.get_json()) == (400, expected)
    r = client.post(f"/update?{name}={BASE}graph/entities", data=UPDATE.encode(),
                    content_type="application/sparql-update", headers=AUTH)
    assert (r.status_code, r.get_json()) == (400, expected)
    assert client.get("/healthz").get_json()["version"] == before


@pytest.mark.parametrize("headers", [AUTH, {}])
def test_update_by_get_is_405(update_app, headers: dict[str, str]) -> None:
    r = update_app.test_client().get("/update", query_string={"update": UPDATE},
                                     headers=headers)
    assert r.status_code == 405
    assert r.headers["Allow"] == "OPTIONS, POST"  # (OPTIONS: the CORS preflight)
    assert r.get_json() == {"error": "method GET is not allowed at /update", "status": 405}


def test_the_project_iri_dereferences_to_rdf_at_the_root(built_app) -> None:
    """<{base}#project>, the ontology's dcterms:creator and publisher, is a hash IRI whose
    document is /: an RDF client gets its description there (/ answered the UI to any
    Accept, the one minted IRI that did not dereference), a browser still gets the UI."""
    from rdflib import FOAF

    client = built_app.test_client()
    project = URIRef(BASE + "#project")
    for headers, query, fmt in (({"Accept": "text/turtle"}, "", "turtle"),
                                ({"Accept": "application/n-triples, text/html;q=0.5"}, "", "nt"),
                                ({}, "?format=rdfxml", "xml")):
        r = client.get("/" + query, headers=headers)
        assert r.status_code == 200 and "Accept" in r.headers["Vary"]
        graph = Graph().parse(data=r.data, format=fmt)
        assert (project, RDF.type, FOAF.Organization) in graph
        assert (project, FOAF.name, Literal("The Entente project")) in graph
    for headers in ({}, {"Accept": "*/*"}, {"Accept": "text/html,application/xml;q=0.9,*/*;q=0.8"},
                    {"Accept": "text/html, text/turtle"}):
        r = client.get("/", headers=headers)
        assert (r.status_code, r.mimetype) == (200, "text/html"), headers
    refused = client.get("/", headers={"Accept": "text/html;q=0, */*"})  # anything but HTML
    assert (refused.status_code, refused.mimetype) == (200, "text/turtle")


@pytest.mark.parametrize("path", ["/ontology", "/ontology/0.1.0", "/ontology/entities"])
def test_an_owl_document_without_a_format_is_rdf_xml_that_owlready2_reads(built_app,
                                                                          path: str) -> None:
    """owlready2's get_ontology(url).load() sends no Accept header and reads no Turtle (it
    failed at line 17); OWL 2's one required syntax is RDF/XML, and a client naming any type
    still gets it."""
    import io

    import owlready2

    client = built_app.test_client()
    for headers in ({}, {"Accept": "*/*"}, {"Accept": "*/*;q=0.8"}):
        r = client.get(path, headers=headers)
        assert (r.status_code, r.mimetype) == (200, "application/rdf+xml")
    if path != "/ontology/entities":  # (which imports the ontology: owlready2 would fetch it)
        world = owlready2.World()
        world.get_ontology("http://entente.test/onto/").load(
            fileobj=io.BytesIO(client.get(path).data))
        assert len(list(world.classes())) > 20
    for headers, media in (({"Accept": "text/turtle"}, "text/turtle"),
                           ({"Accept": "text/turtle, */*;q=0.1"}, "text/turtle")):
        assert client.get(path, headers=headers).mimetype == media
    assert client.get(path + "?format=nt").mimetype == "application/n-triples"


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), (NT, "nt"),
                                             ("application/rdf+xml", "xml")])
def test_the_ontology_iri_serves_owls_blank_nodes_not_skolem_iris(built_app, accept: str,
                                                                  fmt: str) -> None:
    """The OWL document at the ontology's IRI is entente.ttl as OWL maps it to RDF: its class
    expressions, lists and owl:AllDisjointClasses blank nodes (the build's Skolem IRIs stay
    in the dataset: /graph/ontology, /sparql)."""
    from importlib.resources import files

    from rdflib.compare import isomorphic

    r = built_app.test_client().get("/ontology", headers={"Accept": accept})
    assert r.status_code == 200 and b".well-known/genid/" not in r.data
    expected = Graph().parse(data=(files("entente.ontology") / "entente.ttl").read_text(
        encoding="utf-8"), format="turtle")
    assert isomorphic(Graph().parse(data=r.data, format=fmt), expected)
    dataset = built_app.test_client().get("/graph/ontology", headers={"Accept": NT})
    assert b".well-known/genid/" in dataset.data
