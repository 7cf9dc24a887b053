"""``SELECT *`` answers its columns in the order the query names its variables.

SPARQL leaves that order open; Jena, RDF4J and Virtuoso give ``?s ?p ?o`` for
``SELECT * { ?s ?p ?o }``, and so does the server (Oxigraph alone sorts them by name)."""

from __future__ import annotations

import json

import pytest

from entente.sparql_tokens import star_variables

TWO = 'SELECT * WHERE { BIND("x" AS ?z) BIND("y" AS ?a) }'


def _get(client, query: str, accept: str):  # noqa: ANN001, ANN202
    r = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert r.status_code == 200, r.data
    return r


@pytest.mark.parametrize(("accept", "body"), [
    ("application/sparql-results+json",
     '{"head": {"vars": ["z", "a"]}, "results": {"bindings": '
     '[{"z": {"type": "literal", "value": "x"}, "a": {"type": "literal", "value": "y"}}]}}'),
    ("text/csv", "z,a\r\nx,y\r\n"),
    ("text/tab-separated-values", '?z\t?a\n"x"\t"y"\n'),
])
def test_the_columns_and_their_values_follow_the_query(client, accept: str, body: str) -> None:
    assert _get(client, TWO, accept).get_data(as_text=True) == body


def test_xml_names_the_variables_in_the_querys_order(client) -> None:
    text = _get(client, TWO, "application/sparql-results+xml").get_data(as_text=True)
    assert '<head><variable name="z"/><variable name="a"/></head>' in text
    assert ('<result><binding name="z"><literal>x</literal></binding>'
            '<binding name="a"><literal>y</literal></binding></result>') in text


@pytest.mark.parametrize(("query", "names"), [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", ["s", "p", "o"]),
    ("SELECT DISTINCT * { ?zz ?p $o . BIND(1 AS ?a) } LIMIT 1", ["zz", "p", "o", "a"]),
    # a variable only a FILTER names is no column; one only a comment names is none either
    ("SELECT * # ?q\n{ ?s ?p ?o FILTER(?o != ?never) } LIMIT 1", ["s", "p", "o"]),
    # a sub-select's own variables stay inside it
    ("SELECT * { { SELECT ?t (COUNT(?x) AS ?n) { ?x a ?t } GROUP BY ?t } } LIMIT 1",
     ["t", "n"]),
    # an explicit projection keeps its order
    ("SELECT ?o ?s { ?s ?p ?o } LIMIT 1", ["o", "s"]),
])
def test_select_star_columns(client, query: str, names: list[str]) -> None:
    r = _get(client, query, "application/sparql-results+json")
    assert json.loads(r.data)["head"]["vars"] == names


@pytest.mark.parametrize(("query", "names"), [
    ('PREFIX select: <http://x/> SELECT REDUCED * { ?b select:p "?s" ; <http://x/?a> $a }',
     ("b", "a")),
    ("select * where { ?s ?p ?o . ?o ?q ?s }", ("s", "p", "o", "q")),
    ("SELECT ?s { ?s ?p ?o }", None),
    ("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", None),
    ("ASK { ?s ?p ?o }", None),
    ("CONSTRUCT { ?s ?p ?o } WHERE { SELECT * { ?s ?p ?o } }", None),
    ("INSERT DATA { <http://a> <http://b> <http://c> }", None),
])
def test_star_variables_reads_the_query_text(query: str, names: tuple[str, ...] | None) -> None:
    assert star_variables(query) == names
