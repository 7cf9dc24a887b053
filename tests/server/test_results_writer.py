"""The SELECT results writers, through /sparql: exact bodies in the four result formats for
terms that need escaping, unbound values, repeated terms and the row cap."""

from __future__ import annotations

import json

import pytest

QUERY = """SELECT ?x ?y ?z WHERE { VALUES (?x ?y ?z) {
  ("a,b\\"c\\n\\td" <http://example.org/a?b=c&d> "é<>&"@fr)
  (UNDEF 1.5 "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date>)
  ("a,b\\"c\\n\\td" <http://example.org/a?b=c&d> UNDEF)
  (UNDEF UNDEF "plain")
} }"""

X = {"type": "literal", "value": 'a,b"c\n\td'}
Y = {"type": "uri", "value": "http://example.org/a?b=c&d"}
ROWS = [
    {"x": X, "y": Y, "z": {"type": "literal", "value": "é<>&", "xml:lang": "fr"}},
    {"y": {"type": "literal", "value": "1.5",
           "datatype": "http://www.w3.org/2001/XMLSchema#decimal"},
     "z": {"type": "literal", "value": "2020-01-01",
           "datatype": "http://www.w3.org/2001/XMLSchema#date"}},
    {"x": X, "y": Y},
]


def _get(client, fmt: str, query: str = QUERY):  # noqa: ANN001, ANN202
    r = client.get("/sparql", query_string={"query": query}, headers={"Accept": fmt})
    assert r.status_code == 200
    return r


def test_json_is_the_results_document_as_json_dumps_writes_it(client) -> None:
    r = _get(client, "application/sparql-results+json")
    doc = json.loads(r.data)
    bindings = doc["results"]["bindings"]
    assert doc["head"] == {"vars": ["x", "y", "z"]}
    assert bindings == [*ROWS, {"z": {"type": "literal", "value": "plain"}}]
    assert r.data == json.dumps(doc, ensure_ascii=False).encode()


def test_csv_quotes_fields_and_leaves_unbound_empty(client) -> None:
    assert _get(client, "text/csv").data.decode() == (
        'x,y,z\r\n"a,b""c\n\td",http://example.org/a?b=c&d,é<>&\r\n'
        ',1.5,2020-01-01\r\n"a,b""c\n\td",http://example.org/a?b=c&d,\r\n,,plain\r\n')


def test_tsv_writes_terms_in_ntriples_syntax(client) -> None:
    assert _get(client, "text/tab-separated-values").data.decode() == (
        '?x\t?y\t?z\n"a,b\\"c\\n\\td"\t<http://example.org/a?b=c&d>\t"é<>&"@fr\n'
        '\t"1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'
        '\t"2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date>\n'
        '"a,b\\"c\\n\\td"\t<http://example.org/a?b=c&d>\t\n\t\t"plain"\n')


def test_xml_escapes_and_omits_unbound(client) -> None:
    body = _get(client, "application/sparql-results+xml").data.decode()
    assert ('<result><binding name="x"><literal>a,b"c\n\td</literal></binding>'
            '<binding name="y"><uri>http://example.org/a?b=c&amp;d</uri></binding>'
            '<binding name="z"><literal xml:lang="fr">é&lt;&gt;&amp;</literal></binding>'
            '</result>\n') in body
    assert ('<result><binding name="y"><literal '
            'datatype="http://www.w3.org/2001/XMLSchema#decimal">1.5</literal></binding>'
            '<binding name="z"><literal datatype="http://www.w3.org/2001/XMLSchema#date">'
            '2020-01-01</literal></binding></result>\n') in body


@pytest.mark.parametrize("fmt", ["application/sparql-results+json", "text/csv"])
def test_the_row_cap_applies_to_rows_of_repeated_terms(client, fmt: str) -> None:
    # the test store's quads times four, each row with the same IRI: over the 1,000-row cap
    many = ("SELECT ?k ?same WHERE { ?s ?p ?o VALUES ?k { 1 2 3 4 } "
            "BIND(<http://example.org/same> AS ?same) }")
    r = client.get("/sparql", query_string={"query": many}, headers={"Accept": fmt})
    assert r.headers["X-SPARQL-Truncated"] == "true"
    assert r.headers["X-SPARQL-Max-Rows"] == "1000"
    if fmt == "text/csv":
        lines = r.data.decode().split("\r\n")
        assert lines[0] == "k,same" and lines[-1] == ""
        assert len(lines[1:-1]) == 1000
        assert {line.split(",")[1] for line in lines[1:-1]} == {"http://example.org/same"}
    else:
        doc = json.loads(r.data)
        assert len(doc["results"]["bindings"]) == 1000
        assert doc["entente"] == {"truncated": True, "maxRows": 1000}
        assert {json.dumps(b["same"]) for b in doc["results"]["bindings"]} == {
            json.dumps({"type": "uri", "value": "http://example.org/same"})}
        assert r.data == json.dumps(doc, ensure_ascii=False).encode()
