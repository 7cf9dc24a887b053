"""Linked-data pages: HTML for browsers, RDF by content negotiation, 404s, escaping."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from entente.graph.store import publish
from rdflib import Literal, Namespace
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from entente.config import Settings

MINI = Path(__file__).parent.parent / "queries" / "data" / "mini.trig"
ID = Namespace("https://entente.example.org/id/")
ENT = Namespace("https://entente.example.org/ontology#")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ONTOLOGY_HTML = b"<!doctype html><html><body><h1>Entente ontology</h1></body></html>"
RDF_TYPES = [
    ("text/turtle", "turtle"),
    ("application/ld+json", "json-ld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"),
]


@pytest.fixture(scope="module")
def mini_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    root = tmp_path_factory.mktemp("pages")
    store = pyoxigraph.Store()
    store.load(path=str(MINI), format=pyoxigraph.RdfFormat.TRIG)
    (root / "mini.nq").write_bytes(pyoxigraph.serialize(store, format=pyoxigraph.RdfFormat.N_QUADS))
    info = publish(root / "mini.nq", root / "store", {"ontology.html": ONTOLOGY_HTML})
    from entente.server.app import create_app

    app = create_app(Settings().with_(store=info.link, query_timeout=20.0))
    yield app.test_client()
    app.extensions["entente.engine"].close()


def _graph(response, fmt: str) -> rdflib.Graph:
    assert response.status_code == 200, response.get_data(as_text=True)
    return rdflib.Graph().parse(data=response.data, format=fmt)


def test_state_page_for_browsers(mini_client) -> None:
    response = mini_client.get("/id/state/china", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "<h1>China</h1>" in page
    assert '<a href="/ontology#State"' in page  # type, linked locally
    assert 'href="/id/org/sco"' in page  # outgoing link (memberOf)
    assert 'href="/id/assertion/doc-a-3"' in page  # incoming link and assertion table
    # the assertions about the actor, with quote, polarity, certainty, attribution and source
    assert "Latest assertions about China (by the date the fact holds)" in page
    assert "Russia will likely supply gas to China, about 38 bcm." in page
    assert 'href="/ontology#Likely"' in page
    assert "Ann Author" in page
    assert 'href="/id/document/doc-a"' in page
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize(("media", "fmt"), RDF_TYPES)
def test_state_description_by_content_negotiation(mini_client, media: str, fmt: str) -> None:
    response = mini_client.get("/id/state/china", headers={"Accept": media})
    assert response.mimetype == media
    graph = _graph(response, fmt)
    china = ID["state/china"]
    assert (china, SKOS.prefLabel, Literal("China", lang="en")) in graph
    assert (china, ENT.memberOf, ID["org/sco"]) in graph
    assert (ID["assertion/doc-a-3"], ENT.object, china) in graph  # incoming
    assert "Accept" in response.headers["Vary"]
    link = response.headers["Link"]
    for alternate in ("text/turtle", "application/ld+json", "application/n-triples",
                      "application/rdf+xml", "text/html"):
        assert f'rel="alternate"; type="{alternate}"' in link
    turtle = _graph(mini_client.get("/id/state/china?format=turtle"), "turtle")
    assert isomorphic(graph, turtle)


def test_organization_page_and_rdf(mini_client) -> None:
    page = mini_client.get("/id/org/sco", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert "<h1>Shanghai Cooperation Organisation</h1>" in page
    assert 'href="/id/state/russia"' in page  # incoming memberOf
    graph = _graph(mini_client.get("/id/org/sco", headers={"Accept": "text/turtle"}), "turtle")
    assert (ID["state/russia"], ENT.memberOf, ID["org/sco"]) in graph
    assert (ID["org/sco"], RDF.type, ENT.InternationalOrganization) in graph


def test_assertion_page_and_rdf(mini_client) -> None:
    page = mini_client.get("/id/assertion/doc-b-3", headers={"Accept": BROWSER}).get_data(
        as_text=True)
    assert "Russia is not a member of the SCO, he said." in page
    assert 'href="/ontology#Negated"' in page
    # the claim is the page's title (it was the assertion's IRI)
    title = page.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert title == "Russia member of Shanghai Cooperation Organisation (negated)", title
    assert 'href="/id/sentence/doc-b-2"' in page
    graph = _graph(mini_client.get("/id/assertion/doc-b-3?format=ntriples"), "nt")
    assert (ID["assertion/doc-b-3"], ENT.polarity, ENT.Negated) in graph
    assert (ID["assertion/doc-b-3"], ENT.attributedTo, ID["person/bob-speaker"]) in graph


def test_document_page_has_metadata_counts_and_assertions(mini_client) -> None:
    page = mini_client.get("/id/document/doc-a", headers={"Accept": BROWSER}).get_data(
        as_text=True)
    assert "<h1>Partners of convenience</h1>" in page
    assert '<span id="sentence-count">2</span>' in page
    assert '<span id="assertion-count">3</span>' in page
    assert "Assertions from this document" in page
    assert page.count('href="/id/assertion/doc-a-') >= 3
    assert 'href="/queries/assertions?document=https%3A%2F%2Fentente.example.org%2Fid%2F' \
           'document%2Fdoc-a"' in page


def test_ontology_html_and_turtle(mini_client) -> None:
    html = mini_client.get("/ontology", headers={"Accept": BROWSER})
    assert html.status_code == 200
    assert html.data == ONTOLOGY_HTML
    assert "Accept" in html.headers["Vary"]
    graph = _graph(mini_client.get("/ontology", headers={"Accept": "text/turtle"}), "turtle")
    assert (ENT.State, RDF.type, OWL.Class) in graph
    assert (ENT.State, rdflib.RDFS.subClassOf, ENT.Actor) in graph
    assert not list(graph.triples((ID["state/china"], None, None)))  # only the ontology graph


def test_an_events_page_and_links_to_a_document_are_labelled(mini_client) -> None:
    """An event's table was headed "about this actor"; a link to a document showed its IRI
    (a document has a dcterms:title, no rdfs:label)."""
    page = mini_client.get("/id/event/summit-2022-02-04", headers={"Accept": BROWSER})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<h2>Latest assertions about Beijing summit of 4 February 2022 (by the date the fact " \
           "holds)</h2>" in text
    assertion = mini_client.get("/id/assertion/doc-c-1", headers={"Accept": BROWSER})
    assert re.search(r'<a href="/id/document/doc-c"[^>]*>Summit diplomacy</a>',
                     assertion.get_data(as_text=True))


def test_named_graph(mini_client) -> None:
    page = mini_client.get("/graph/document/doc-b", headers={"Accept": BROWSER})
    assert page.status_code == 200
    assert 'href="/id/document/doc-b"' in page.get_data(as_text=True)
    graph = _graph(mini_client.get("/graph/document/doc-b", headers={"Accept": "text/turtle"}),
                   "turtle")
    assert (ID["assertion/doc-b-3"], ENT.polarity, ENT.Negated) in graph
    assert not list(graph.triples((ID["assertion/doc-a-1"], None, None)))


@pytest.mark.parametrize(("accept", "fmt"), [("application/n-quads", "nquads"),
                                             ("application/trig", "trig")])
def test_a_named_graph_in_a_dataset_format_names_its_graph(mini_client, accept: str,
                                                           fmt: str) -> None:
    """Its triples were in the default graph (a CONSTRUCT's, as /sparql writes it)."""
    name = rdflib.URIRef(str(ID["document/doc-b"]).replace("/id/", "/graph/"))
    turtle = _graph(mini_client.get("/graph/document/doc-b", headers={"Accept": "text/turtle"}),
                    "turtle")
    response = mini_client.get("/graph/document/doc-b", headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    dataset = rdflib.Dataset()
    dataset.parse(data=response.data, format=fmt)
    assert {graph.identifier for graph in dataset.graphs() if len(graph)} == {name}
    assert set(dataset.graph(name)) == set(turtle) and len(turtle) > 0


@pytest.mark.parametrize("accept", [BROWSER, "text/turtle", "application/json"])
@pytest.mark.parametrize("path", ["/id/state/atlantis", "/graph/document/nope"])
def test_unknown_resources_are_404(mini_client, path: str, accept: str) -> None:
    response = mini_client.get(path, headers={"Accept": accept})
    assert response.status_code == 404
    why = (f"nothing is known about https://entente.example.org{path}" if "/id/" in path
           else f"no graph https://entente.example.org{path} in this dataset")
    if accept == BROWSER:
        assert response.mimetype == "text/html"
        assert f"<h1>404 Not Found</h1><p>{why}</p>" in response.get_data(as_text=True)
    else:  # no RDF for what is not there: the error in JSON
        assert response.get_json() == {"error": why, "status": 404}


def test_labels_and_literals_are_escaped(mini_client) -> None:
    page = mini_client.get("/id/institution/alpha", headers={"Accept": BROWSER}).get_data(
        as_text=True)
    assert "Alpha &lt;script&gt;alert(1)&lt;/script&gt; Institute" in page
    assert "<script>alert(1)" not in page


def test_the_path_decides_whatever_the_host(mini_client) -> None:
    response = mini_client.get("/id/state/russia", base_url="http://elsewhere.test:8123",
                               headers={"Accept": "text/turtle"})
    graph = _graph(response, "turtle")
    assert (ID["state/russia"], SKOS.prefLabel, Literal("Russia", lang="en")) in graph


def test_a_plain_json_client_gets_json_ld(mini_client) -> None:
    response = mini_client.get("/id/state/china", headers={"Accept": "application/json"})
    assert response.mimetype == "application/ld+json"
    assert (ID["state/china"], ENT.memberOf, ID["org/sco"]) in _graph(response, "json-ld")


def test_skolem_iris_are_pages_like_any_resource(built_store) -> None:
    """The build names the ontology's blank nodes ``{base}.well-known/genid/...``: those IRIs
    dereference (RDF and HTML), and pages link to them on this server."""
    from entente.server.app import create_app

    app = create_app(Settings().with_(store=built_store.link))
    try:
        client = app.test_client()
        found = client.get("/sparql", query_string={"query": (
            "SELECT ?b ?p WHERE { ?s ?p ?b FILTER(STRSTARTS(STR(?b), "
            "'https://entente.example.org/.well-known/genid/')) } ORDER BY ?b ?p LIMIT 1")})
        row = found.get_json()["results"]["bindings"][0]
        iri = row["b"]["value"]
        path = iri[len("https://entente.example.org"):]
        turtle = client.get(path, headers={"Accept": "text/turtle"})
        assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"
        graph = rdflib.Graph().parse(data=turtle.get_data(as_text=True), format="turtle")
        assert (None, rdflib.URIRef(row["p"]["value"]), rdflib.URIRef(iri)) in graph
        html = client.get(path, headers={"Accept": BROWSER})
        assert html.status_code == 200 and iri in html.get_data(as_text=True)
        missing = client.get("/.well-known/genid/0000000000000000",
                             headers={"Accept": "text/turtle"})
        assert missing.status_code == 404
    finally:
        app.extensions["entente.engine"].close()


def test_the_bundled_entities_file_dereferences(mini_client) -> None:
    """The build derives graph/entities from <.../ontology/entities>: that IRI is served."""
    from importlib.resources import files

    # (its relative IRIs resolved against the base IRI, as the build resolves them: they were
    # the server's working directory's, file:///.../id/state/china, and so was the expected
    # graph's here)
    expected = rdflib.Graph().parse(
        data=(files("entente.ontology") / "entities.ttl").read_text(encoding="utf-8"),
        format="turtle", publicID="https://entente.example.org/")
    r = mini_client.get("/ontology/entities", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.mimetype == "application/n-triples"
    assert b"file:" not in r.data
    served = _graph(r, "nt")
    # an ontology of its own that imports the one declaring its terms (an OWL tool read its
    # relations as annotations and its classes as undeclared without it), labelled, with the
    # ontology's version and licence
    from entente.graph.validate import ontology_graph

    ontology = rdflib.URIRef("https://entente.example.org/ontology")
    version = ontology_graph().value(ontology, OWL.versionInfo)
    licence = ontology_graph().value(ontology, DCTERMS.license)
    assert (str(version), licence) == ("0.2.0", rdflib.URIRef(
        "https://creativecommons.org/licenses/by/4.0/"))
    this = rdflib.URIRef("https://entente.example.org/ontology/entities")
    assert set(served.predicate_objects(this)) == {
        (RDF.type, OWL.Ontology), (OWL.imports, ontology),
        (RDFS.label, Literal("Entente reference entities", lang="en")),
        (OWL.versionIRI, rdflib.URIRef(f"{this}/{version}")), (OWL.versionInfo, version),
        (DCTERMS.license, licence)}
    served.remove((this, None, None))
    assert isomorphic(served, expected)
    china = rdflib.URIRef("https://entente.example.org/id/state/china")
    assert rdflib.Literal("China", lang="en") in set(served.objects(china, SKOS.prefLabel))
    page = mini_client.get("/ontology/entities", headers={"Accept": "text/html"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<h1>Entente reference entities</h1>" in text
    assert "<code>https://entente.example.org/ontology/entities</code>" in text
    assert "owl:sameAs" in text


def test_the_entities_version_iri_dereferences(mini_client) -> None:
    """The entities document's owl:versionIRI (the ontology's version) serves the same
    document; another version is a 404 naming the one held."""
    this = "https://entente.example.org/ontology/entities"
    for accept in ("text/turtle", "application/rdf+xml", "text/html"):
        current = mini_client.get("/ontology/entities", headers={"Accept": accept})
        versioned = mini_client.get("/ontology/entities/0.2.0", headers={"Accept": accept})
        assert versioned.status_code == 200 and versioned.mimetype == accept
        if accept == "text/html":  # (its links name the path it was asked at)
            assert "<h1>Entente reference entities</h1>" in versioned.get_data(as_text=True)
        else:
            assert versioned.data == current.data
    missing = mini_client.get("/ontology/entities/0.1.0", headers={"Accept": "text/turtle"})
    assert missing.status_code == 404
    assert missing.get_json()["error"] == (f"no entities version {this}/0.1.0 (this server "
                                           f"has {this}/0.2.0)")
