"""Real SPARQL clients against the live server: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, JSONLD, N3, POST, RDFXML, TURTLE, XML, SPARQLWrapper

BASE = "https://entente.example.org/"
ORGS = """SELECT ?org ?label WHERE {
  ?org a <https://entente.example.org/ontology#InternationalOrganization> ;
       <http://www.w3.org/2004/02/skos/core#prefLabel> ?label } ORDER BY ?org"""
EXPECTED = [(f"{BASE}id/org/brics", "BRICS"), (f"{BASE}id/org/sco", "SCO"),
            (f"{BASE}id/org/un-security-council", "UN-SECURITY-COUNCIL")]


def _wrapper(live_server, fmt: str, method: str | None = None) -> SPARQLWrapper:
    sparql = SPARQLWrapper(live_server.url + "sparql")
    sparql.setReturnFormat(fmt)
    if method:
        sparql.setMethod(method)
    return sparql


@pytest.mark.parametrize("method", [None, POST])
def test_sparqlwrapper_json(live_server, method: str | None) -> None:
    sparql = _wrapper(live_server, JSON, method)
    sparql.setQuery(ORGS)
    bindings = sparql.query().convert()["results"]["bindings"]
    assert [(b["org"]["value"], b["label"]["value"]) for b in bindings] == EXPECTED


def test_sparqlwrapper_xml(live_server) -> None:
    sparql = _wrapper(live_server, XML)
    sparql.setQuery(ORGS)
    document = sparql.query().convert()  # an xml.dom.minidom Document
    results = document.getElementsByTagName("result")
    rows = []
    for result in results:
        values = {b.getAttribute("name"): b.firstChild.firstChild.data
                  for b in result.getElementsByTagName("binding")}
        rows.append((values["org"], values["label"]))
    assert rows == EXPECTED


def test_sparqlwrapper_ask_and_construct(live_server) -> None:
    sparql = _wrapper(live_server, JSON)
    sparql.setQuery(f"ASK {{ <{BASE}id/state/china> ?p ?o }}")
    assert sparql.query().convert()["boolean"] is True
    sparql = _wrapper(live_server, TURTLE)
    sparql.setQuery(f"CONSTRUCT {{ ?o ?p ?l }} WHERE {{ VALUES ?o {{ <{BASE}id/org/sco> }} "
                    "?o ?p ?l FILTER(isLiteral(?l)) }")
    graph = Graph().parse(data=sparql.query().convert(), format="turtle")
    assert set(graph.objects(URIRef(f"{BASE}id/org/sco"))) == {Literal("SCO", lang="en")}


@pytest.mark.parametrize("fmt", [RDFXML, N3])
def test_sparqlwrapper_construct_as_rdf_xml_and_n3(live_server, fmt: str) -> None:
    """SPARQLWrapper sends ``format=rdf+xml`` or ``format=n3`` beside its Accept header: both
    were a 406 (N3 is answered with Turtle, its subset; convert() parses either)."""
    sparql = _wrapper(live_server, fmt)
    sparql.setQuery(f"CONSTRUCT {{ <{BASE}id/org/sco> ?p ?o }} WHERE {{ <{BASE}id/org/sco> ?p ?o "
                    "FILTER(isLiteral(?o)) }")
    result = sparql.query().convert()
    graph = result if isinstance(result, Graph) else Graph().parse(data=result, format="turtle")
    assert set(graph.objects(URIRef(f"{BASE}id/org/sco"))) == {Literal("SCO", lang="en")}


def test_sparqlwrapper_json_ld(live_server) -> None:
    sparql = _wrapper(live_server, JSONLD)
    sparql.setQuery(f"CONSTRUCT {{ <{BASE}id/org/sco> ?p ?o }} WHERE {{ <{BASE}id/org/sco> ?p ?o "
                    "FILTER(isLiteral(?o)) }")
    result = sparql.query().convert()  # SPARQLWrapper parses JSON-LD into an rdflib graph
    graph = result if isinstance(result, Graph) else Graph().parse(
        data=json.dumps(result), format="json-ld")
    assert set(graph.objects(URIRef(f"{BASE}id/org/sco"))) == {Literal("SCO", lang="en")}


def test_rdflib_sparqlstore(live_server) -> None:
    store = SPARQLStore(live_server.url + "sparql", returnFormat="json")
    graph = Graph(store=store)
    rows = [(str(r.org), str(r.label)) for r in graph.query(ORGS)]
    assert rows == EXPECTED
    assert graph.query(f"ASK {{ <{BASE}id/org/sco> ?p ?o }}").askAnswer is True
    store.close()


def test_rdflib_sparqlstore_xml(live_server) -> None:
    store = SPARQLStore(live_server.url + "sparql", returnFormat="xml", method="POST")
    rows = [(str(r[0]), str(r[1])) for r in Graph(store=store).query(ORGS)]
    assert rows == EXPECTED
    store.close()


def test_live_server_on_the_built_corpus(serve_store, built_store) -> None:
    server = serve_store(built_store.link, "--workers", "1")
    sparql = SPARQLWrapper(server.url + "sparql")
    sparql.setReturnFormat(JSON)
    sparql.setQuery("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    count = sparql.query().convert()["results"]["bindings"][0]["n"]["value"]
    assert int(count) == built_store.manifest["quads"]
    health = server.get("healthz").json()
    assert health["version"] == built_store.version
