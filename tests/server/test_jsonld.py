"""JSON-LD is served compact: a ``@context`` of the prefixes it uses, compact IRIs, a
``@graph`` of nodes, ``rdf:type`` as ``@type`` (as Jena, Wikidata and DBpedia serve it),
and it expands to the same triples as the other formats."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from entente.jsonld import compact

BASE = "https://entente.example.org/"
ENT = BASE + "ontology#"
ID = BASE + "id/"
XSD = "http://www.w3.org/2001/XMLSchema#"

CONSTRUCT = (f'CONSTRUCT {{ <{ID}state/china> a <{ENT}State> ; <{ENT}memberOf> <{ID}org/sco> ; '
             f'<http://www.w3.org/2000/01/rdf-schema#label> "China"@en ; '
             f'<{ENT}founded> "1949-10-01"^^<{XSD}date> }} WHERE {{}}')


def test_a_construct_is_compact_json_ld(client) -> None:
    r = client.get("/sparql", query_string={"query": CONSTRUCT},
                   headers={"Accept": "application/ld+json"})
    assert (r.status_code, r.mimetype) == (200, "application/ld+json")
    assert json.loads(r.data) == {
        "@context": {"ent": ENT, "id": ID, "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
                     "xsd": XSD},
        "@graph": [{"@id": "id:state/china", "@type": ["ent:State"],
                    "ent:memberOf": [{"@id": "id:org/sco"}],
                    "rdfs:label": [{"@language": "en", "@value": "China"}],
                    "ent:founded": [{"@type": "xsd:date", "@value": "1949-10-01"}]}],
    }
    turtle = client.get("/sparql", query_string={"query": CONSTRUCT, "format": "turtle"})
    assert isomorphic(Graph().parse(data=r.data, format="json-ld"),
                      Graph().parse(data=turtle.data, format="turtle"))


def test_an_iri_whose_scheme_is_a_prefix_keeps_its_meaning(client) -> None:
    """``<id:x>`` is an IRI of scheme ``id``: with ``id`` in the context it would read as
    ``{base}id/x``, so the context leaves that prefix out."""
    query = f"CONSTRUCT {{ <id:x> <{ENT}memberOf> <{ID}org/sco> }} WHERE {{}}"
    r = client.get("/sparql", query_string={"query": query, "format": "jsonld"})
    assert json.loads(r.data) == {
        "@context": {"ent": ENT},
        "@graph": [{"@id": "id:x", "ent:memberOf": [{"@id": f"{ID}org/sco"}]}],
    }


def test_an_empty_graph_is_an_empty_graph(client) -> None:
    r = client.get("/sparql", query_string={
        "query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(false) }", "format": "jsonld"})
    assert json.loads(r.data) == {"@context": {}, "@graph": []}


@pytest.mark.parametrize("path", ["/id/state/china", "/.well-known/void", "/sparql"])
def test_pages_and_descriptions_are_compact_and_mean_what_turtle_says(client,
                                                                      path: str) -> None:
    r = client.get(path, headers={"Accept": "application/ld+json"})
    assert (r.status_code, r.mimetype) == (200, "application/ld+json")
    document = json.loads(r.data)
    assert set(document) == {"@context", "@graph"} and document["@graph"]
    assert document["@context"]  # every IRI of these documents has a prefix of ours ...
    keys = {key for node in document["@graph"] for key in node}
    assert all(key.startswith("@") or ":" in key and not key.startswith("http")
               for key in keys), keys  # ... so no property is written in full
    turtle = client.get(path, headers={"Accept": "text/turtle"})
    assert isomorphic(Graph().parse(data=r.data, format="json-ld"),
                      Graph().parse(data=turtle.data, format="turtle"))


@pytest.mark.parametrize(("iri", "written"), [
    (ENT + "State", "ent:State"),
    (ENT, ENT),  # no suffix: kept whole
    ("http://example.org/ns#//x", "http://example.org/ns#//x"),  # "p://x" reads as an IRI
    ("http://example.org/nsx", "http://example.org/nsx"),  # no gen-delim: no prefix
    ("http://example.org/ns#a", "ex:a"),
])
def test_which_iris_are_written_compact(iri: str, written: str) -> None:
    expanded = json.dumps([{"@id": iri}])
    prefixes = {"ent": ENT, "ex": "http://example.org/ns#", "bad": "http://example.org/ns"}
    assert json.loads(compact(expanded, prefixes))["@graph"] == [{"@id": written}]


def test_lists_blank_nodes_and_typed_literals() -> None:
    expanded = json.dumps([{"@id": "_:b0", "http://example.org/ns#p": [
        {"@list": [{"@id": "http://example.org/ns#a"}, {"@value": "1", "@type": XSD + "int"}]},
        {"@id": "_:b1"}],
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": [{"@value": "not a class"}]}])
    document = json.loads(compact(expanded, {"ex": "http://example.org/ns#", "xsd": XSD,
                                             "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}))
    assert document["@graph"] == [{"@id": "_:b0", "ex:p": [
        {"@list": [{"@id": "ex:a"}, {"@value": "1", "@type": "xsd:int"}]}, {"@id": "_:b1"}],
        "rdf:type": [{"@value": "not a class"}]}]  # a literal type stays a property
    assert isomorphic(Graph().parse(data=expanded, format="json-ld"),
                      Graph().parse(data=json.dumps(document), format="json-ld"))
