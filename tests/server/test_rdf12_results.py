"""What the endpoint's own result writers do with values an audit found them losing: a carriage
return in XML (read back as a line feed), RDF 1.2 terms (a literal's base direction, a triple
term) in the results formats, and a graph JSON-LD cannot carry (a 406, not a 503).  The same
values through ``entente query``: tests/queries/test_query_cli.py."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

SRJ = "application/sparql-results+json"
SRX = "application/sparql-results+xml"
TSV = "text/tab-separated-values"
SRX_NS = "{http://www.w3.org/2005/sparql-results#}"
ITS_DIR = "{http://www.w3.org/2005/11/its}dir"

SELECT_RDF12 = ('SELECT ?t ?d ?c WHERE { BIND(<<( <http://a> <http://b> "c"@en--ltr )>> AS ?t) '
                'BIND("d"@ar--rtl AS ?d) BIND("cr\\rx" AS ?c) }')
CONSTRUCT_CR = 'CONSTRUCT { <http://a> <http://b> ?c } WHERE { BIND("cr\\rx" AS ?c) }'
CONSTRUCT_TRIPLE_TERM = ('CONSTRUCT { <http://a> <http://b> ?t } WHERE { '
                         'BIND(<<( <http://a> <http://b> "c" )>> AS ?t) }')
CONSTRUCT_DIRECTION = 'CONSTRUCT { <http://a> <http://b> "d"@ar--rtl } WHERE {}'

TRIPLE = ox.Triple(ox.NamedNode("http://a"), ox.NamedNode("http://b"),
                   ox.Literal("c", language="en", direction=ox.BaseDirection.LTR))
RTL = ox.Literal("d", language="ar", direction=ox.BaseDirection.RTL)


def _select(client, media: str) -> bytes:  # noqa: ANN001 - the Flask test client
    r = client.get("/sparql", query_string={"query": SELECT_RDF12}, headers={"Accept": media})
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.data


def test_json_results_keep_the_base_direction_and_the_triple_term(client) -> None:
    row = json.loads(_select(client, SRJ))["results"]["bindings"][0]
    assert row == {
        "t": {"type": "triple", "value": {
            "subject": {"type": "uri", "value": "http://a"},
            "predicate": {"type": "uri", "value": "http://b"},
            "object": {"type": "literal", "value": "c", "xml:lang": "en", "its:dir": "ltr"}}},
        "d": {"type": "literal", "value": "d", "xml:lang": "ar", "its:dir": "rtl"},
        "c": {"type": "literal", "value": "cr\rx"},
    }


@pytest.mark.parametrize(("media", "fmt"), [(SRX, ox.QueryResultsFormat.XML),
                                            (TSV, ox.QueryResultsFormat.TSV),
                                            (SRJ, ox.QueryResultsFormat.JSON)])
def test_each_results_format_reads_back_as_the_same_terms(client, media: str,
                                                          fmt: ox.QueryResultsFormat) -> None:
    solutions = ox.parse_query_results(_select(client, media), format=fmt)
    assert [[s["t"], s["d"], s["c"]] for s in solutions] == [
        [TRIPLE, RTL, ox.Literal("cr\rx")]]


def test_xml_results_write_a_carriage_return_as_a_reference(client) -> None:
    body = _select(client, SRX)
    assert b"\r" not in body and b"<literal>cr&#13;x</literal>" in body
    literals = ET.fromstring(body).iter(f"{SRX_NS}literal")
    assert [(e.text, e.get(ITS_DIR)) for e in literals] == [
        ("c", "ltr"), ("d", "rtl"), ("cr\rx", None)]


def test_rdf_xml_writes_a_carriage_return_as_a_reference(client) -> None:
    r = client.get("/sparql", query_string={"query": CONSTRUCT_CR, "format": "rdfxml"})
    assert r.status_code == 200
    assert b"\r" not in r.data
    graph = Graph().parse(data=r.data, format="xml")
    assert [str(o) for o in graph.objects(URIRef("http://a"), URIRef("http://b"))] == ["cr\rx"]


@pytest.mark.parametrize(("query", "where"), [
    (CONSTRUCT_TRIPLE_TERM, 'the triple term <http://a> <http://b> "c" in triple 1'),
    (CONSTRUCT_DIRECTION, 'the literal "d"@ar--rtl in triple 1 (its base direction)'),
])
def test_json_ld_of_an_rdf_1_2_graph_is_not_acceptable(client, query: str, where: str) -> None:
    r = client.get("/sparql", query_string={"query": query},
                   headers={"Accept": "application/ld+json"})
    assert r.status_code == 406
    assert r.get_json() == {
        "error": f"cannot write this result as application/ld+json: {where} is RDF 1.2, which "
                 "JSON-LD 1.1 cannot carry; ask for text/turtle, application/n-triples or "
                 "application/rdf+xml",
        "status": 406,
        "available": ["text/turtle", "application/n-triples", "application/rdf+xml",
                      "application/n-quads", "application/trig"]}
    r = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200


@pytest.mark.parametrize("predicate", ["http://example.org/123", "urn:isbn:0451450523",
                                       "http://example.org/p#"])
def test_rdf_xml_of_a_predicate_with_no_xml_name_is_not_acceptable(client, predicate: str
                                                                    ) -> None:
    """RDF/XML writes a predicate as an element name; one whose IRI ends in no XML name
    cannot be written (RDF 1.1 XML Syntax, 2.7): a 406, not a 200 that is no XML."""
    query = f'CONSTRUCT {{ <http://a> <{predicate}> "v" }} WHERE {{}}'
    r = client.get("/sparql", query_string={"query": query},
                   headers={"Accept": "application/rdf+xml"})
    assert r.status_code == 406
    assert r.get_json()["error"] == (
        f"cannot write this result as application/rdf+xml: the predicate <{predicate}> of "
        "triple 1 ends in no XML name (RDF/XML writes a predicate as an element name); ask "
        "for text/turtle, application/n-triples or application/ld+json")
    fine = 'CONSTRUCT { <http://a> <http://example.org/1abc> "v" } WHERE {}'
    r = client.get("/sparql", query_string={"query": fine},
                   headers={"Accept": "application/rdf+xml"})
    assert r.status_code == 200
    assert len(Graph().parse(data=r.data, format="xml")) == 1


@pytest.mark.parametrize(("path", "query", "what"), [
    ("/sparql", "ASK {}", "an ASK query"),
    ("/sparql", "SELECT * {}", "a SELECT query"),
    ("/sparql", "DESCRIBE <http://a>", "a DESCRIBE query"),
    ("/sparql", None, "a CONSTRUCT query or an RDF document"),  # the service description
    ("/.well-known/void", None, "a CONSTRUCT query or an RDF document"),
])
def test_a_406_says_what_it_could_not_write(client, path: str, query: str | None,
                                            what: str) -> None:
    r = client.get(path, query_string={"query": query} if query else {},
                   headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert r.get_json()["error"].startswith(
        f"cannot produce any of the accepted types (image/png) for {what}; available: ")


@pytest.mark.parametrize(("query", "error", "where"), [
    ("SELECT * {\n  ?s foo:bar ?o }",
     "the prefix 'foo:' is not declared (add PREFIX foo: <...>)", "2:6"),
    # (no prefix is predeclared at /sparql; the project's are named with their namespace)
    ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT * { ?s skos:prefLabel ?l ; "
     "ent:memberOf ?o }", "the prefix 'ent:' is not declared (add PREFIX ent: "
     "<https://entente.example.org/ontology#>)", "2:35"),
    ("SELECT ?s { <rel> ?p ?o }", "the relative IRI <rel> has no base to resolve against "
     "(write the full IRI, or declare BASE <...>)", "1:13"),
    ("SELECT ?x { BIND(<#frag> AS ?x) }", "the relative IRI <#frag> has no base to resolve "
     "against (write the full IRI, or declare BASE <...>)", "1:18"),
    # (an IRI with a space was "the prefix 'http:' is not declared")
    ("SELECT * {\n  <http://ex.org/a b> ?p ?o }", "the IRI <http://ex.org/a b> holds a space, "
     "which no IRI may (%-encode it: %20)", "2:3"),
    ("SELECT * { ?s ?p <urn:x|y> }", "the IRI <urn:x|y> holds '|', which no IRI may "
     "(%-encode it: %7C)", "1:18"),
    # (a relative IRI with a space was the engine's "expected IRI parsing failed" at 1:51)
    ("BASE <http://ex.org/> SELECT * WHERE { ?s ?p <a b> }", "the IRI <a b> holds a space, "
     "which no IRI may (%-encode it: %20)", "1:46"),
    ("SELECT * { ?s ?p <a{b> }", "the IRI <a{b> holds '{', which no IRI may "
     "(%-encode it: %7B)", "1:18"),
    # (a comparison before the broken IRI is no IRI: it was "the IRI <YEAR(NOW()) && ?o >")
    ("BASE <http://ex.org/> SELECT * { ?s ?p ?o FILTER(?o<YEAR(NOW()) && ?o > 1990) "
     "?s <a b> ?o }", "the IRI <a b> holds a space, which no IRI may (%-encode it: %20)", "1:82"),
    ("PREFIX ex: <http://x/> SELECT * { ?s ?p ?o FILTER(?o<ex:b && 2 > ?o) "
     "?s <http://a b> ?o }", "the IRI <http://a b> holds a space, which no IRI may "
     "(%-encode it: %20)", "1:73"),
    # (a comparison with a prefixed name is no IRI, though a ">" follows on the line)
    ("PREFIX ex: <http://x/> SELECT * { ?a ?p ?c FILTER(?c<ex:x && ?c > 1) FILTER(?c = "
     "foo:y) }", "the prefix 'foo:' is not declared (add PREFIX foo: <...>)", "1:82"),
])
def test_an_undeclared_prefix_a_relative_or_a_broken_iri_is_named_where_it_is(
        client, query: str, error: str, where: str) -> None:
    """(the engine's own words: "expected one of Prefix not found, ['%'], ..." over 800
    characters, and "expected OPTIONAL" at a later column)"""
    r = client.get("/sparql", query_string={"query": query})
    assert r.status_code == 400
    assert r.get_json() == {"error": f"malformed query: error at {where}: {error}",
                            "status": 400, "position": where}


@pytest.mark.parametrize("query", [
    "PREFIX foo: <http://x/> SELECT * { ?s foo:bar ?o }",  # declared
    "BASE <http://x/> SELECT * { <rel> ?p ?o }",
])
def test_declared_prefixes_and_a_base_are_answered(client, query: str) -> None:
    assert client.get("/sparql", query_string={"query": query}).status_code == 200
