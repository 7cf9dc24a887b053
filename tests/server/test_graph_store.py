"""The Graph Store HTTP Protocol's read side at ``/data``: a graph by its name, or the
default graph, in any graph format; absent graphs 404, bad requests 400, writes 405."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

BASE = "https://entente.example.org/"
NT = "application/n-triples"


def _get(client, query_string: dict, accept: str = NT):  # noqa: ANN001, ANN202
    return client.get("/data", query_string=query_string, headers={"Accept": accept})


def test_a_graph_by_its_name(client) -> None:
    r = _get(client, {"graph": f"{BASE}graph/build"})
    assert (r.status_code, r.mimetype) == (200, NT)
    assert r.get_data(as_text=True) == (
        f"<{BASE}id/build/000000000000> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<http://www.w3.org/ns/prov#Activity> .\n")
    assert "Accept" in r.headers["Vary"] and "X-SPARQL-Truncated" not in r.headers


@pytest.mark.parametrize(("accept", "parser"), [
    ("text/turtle", "turtle"), ("application/ld+json", "json-ld"), (NT, "nt"),
    ("application/rdf+xml", "xml"),
])
def test_the_same_graph_as_its_page_in_every_format(client, accept: str, parser: str) -> None:
    store = _get(client, {"graph": f"{BASE}graph/entities"}, accept)
    page = client.get("/graph/entities", headers={"Accept": accept})
    assert store.status_code == page.status_code == 200
    assert store.mimetype == accept
    assert isomorphic(Graph().parse(data=store.data, format=parser),
                      Graph().parse(data=page.data, format=parser))


@pytest.mark.parametrize("accept", ["application/n-quads", "application/trig"])
def test_a_graph_in_a_dataset_format_names_it(client, accept: str) -> None:
    """Exact bytes: its statements were in the default graph, as a CONSTRUCT's are."""
    r = _get(client, {"graph": f"{BASE}graph/build"}, accept)
    assert (r.status_code, r.mimetype) == (200, accept)
    triple = (f"<{BASE}id/build/000000000000> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
              "<http://www.w3.org/ns/prov#Activity>")
    assert r.get_data(as_text=True) == (
        f"{triple} <{BASE}graph/build> .\n" if accept == "application/n-quads"
        else f"<{BASE}graph/build> {{\n{triple} .\n}}\n")


def test_the_default_graph_is_the_union(client) -> None:
    r = _get(client, {"default": ""})
    assert r.status_code == 200
    lines = set(r.get_data(as_text=True).splitlines())
    count = client.get("/sparql", query_string={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"})
    assert len(lines) == int(count.get_json()["results"]["bindings"][0]["n"]["value"])


def test_a_graph_cut_at_the_row_cap_says_so(make_app) -> None:
    client = make_app(max_rows=5).test_client()
    r = _get(client, {"default": ""})
    assert (r.headers["X-SPARQL-Truncated"], r.headers["X-SPARQL-Max-Rows"]) == ("true", "5")
    assert len(r.get_data(as_text=True).splitlines()) == 5


@pytest.mark.parametrize(("query_string", "status", "error"), [
    ({"graph": "urn:x-absent"}, 404, "no graph urn:x-absent in this dataset"),
    ({}, 400, "name one graph: ?graph=IRI, or ?default for the default graph (the union of "
              "the named graphs)"),
    ({"graph": f"{BASE}graph/build", "default": ""}, 400,
     "name one graph: ?graph=IRI, or ?default for the default graph (the union of the "
     "named graphs)"),
    ({"graph": [f"{BASE}graph/build", f"{BASE}graph/entities"]}, 400,
     "the 'graph' parameter was given 2 times; give it once"),
    ({"graph": "not an iri"}, 400, "not an absolute IRI: 'not an iri'"),
])
def test_what_names_no_graph_is_an_error(client, query_string: dict, status: int,
                                         error: str) -> None:
    r = _get(client, query_string)
    assert (r.status_code, r.get_json()["error"]) == (status, error)


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_writes_are_refused(client, method: str) -> None:
    r = client.open("/data", method=method, query_string={"default": ""},
                    data=b"<urn:a> <urn:b> <urn:c> .", content_type="application/n-triples")
    assert (r.status_code, r.headers["Allow"]) == (405, "GET, HEAD, OPTIONS")
    assert r.get_json()["error"].startswith(f"the graph store is read-only here ({method} "
                                            "refused)")


def test_options_lists_the_methods_it_answers(client) -> None:
    """It listed PUT, POST, DELETE and PATCH, each then a 405 (RFC 9110, 10.2.1: Allow lists
    the methods the resource supports); with CORS, a preflight is answered as elsewhere."""
    r = client.open("/data", method="OPTIONS")
    assert (r.status_code, r.headers["Allow"], r.data) == (200, "GET, HEAD, OPTIONS", b"")
    pre = client.open("/data", method="OPTIONS", headers={
        "Origin": "https://analyst.example", "Access-Control-Request-Method": "GET"})
    assert pre.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in pre.headers["Access-Control-Allow-Methods"]
