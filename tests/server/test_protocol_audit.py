"""Defects an audit of /sparql against the SPARQL 1.1 specifications found (2026-12-06), each
fixed and pinned here: answers of NOW, RAND, UUID, STRUUID and BNODE replayed from a cache,
numbers counted digit by digit against the token limit, ``format`` and ``output`` naming one
format refused, older N-Quads and TriG media types refused, ``If-Match`` ignored and a
byte-order mark refused in a GET's query."""

from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import SKOS

from entente.sparql_tokens import calls_volatile_function, tokens

BASE = "https://entente.example.org/"
CHINA = f"<{BASE}id/state/china>"
LABEL_OF_CHINA = (f"SELECT ?l WHERE {{ {CHINA} "
                  "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }")
SRJ = "application/sparql-results+json"


def _values(response, name: str = "v") -> list[str]:  # noqa: ANN001
    assert response.status_code == 200, response.data
    return [b[name]["value"] for b in json.loads(response.data)["results"]["bindings"]]


# --- the answers of functions that give another value each run are not replayed ------------------

@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_query_calling_struuid_gets_a_new_value_each_time(client, method: str) -> None:
    """SPARQL 1.1 Query, 17.4.2.13: STRUUID is a fresh UUID at each call (the engine's result
    cache and the response cache replayed the first one)."""
    query = "SELECT (STRUUID() AS ?v) {}"
    send = (lambda: client.get("/sparql", query_string={"query": query})) if method == "GET" \
        else (lambda: client.post("/sparql", data={"query": query}))
    answers = [send() for _ in range(3)]
    values = [_values(a)[0] for a in answers]
    assert len(set(values)) == 3
    assert [a.headers["X-Cache"] for a in answers] == ["miss"] * 3


@pytest.mark.parametrize("call", ["NOW()", "rand ( )", "UUID()", "BNODE()", "bnode('x')"])
def test_every_volatile_function_is_seen_in_any_case_and_spacing(call: str) -> None:
    assert calls_volatile_function(f"SELECT ({call} AS ?v) {{}}")


@pytest.mark.parametrize("query", [
    'SELECT ?now { ?s <http://ex/now> ?now FILTER(?now != "NOW()") }',  # a variable, a string
    "PREFIX ex: <http://ex/> SELECT * { ?s ex:rand ?o }",  # a prefixed name
    "SELECT * { ?s ?p ?o } # ORDER BY RAND()",  # a comment
])
def test_names_that_are_not_calls_are_not_volatile(query: str) -> None:
    assert not calls_volatile_function(query)


def test_a_query_without_such_a_call_is_still_replayed(client) -> None:
    query = f'SELECT ?l ("NOW()" AS ?note) WHERE {{ {CHINA} ?p ?l FILTER(isLiteral(?l)) }}'
    first = client.get("/sparql", query_string={"query": query})
    again = client.get("/sparql", query_string={"query": query})
    assert (first.headers["X-Cache"], again.headers["X-Cache"]) == ("miss", "hit")
    assert again.data == first.data


# --- a number is one token -----------------------------------------------------------------------

def test_a_number_is_one_token_of_the_sparql_grammar() -> None:
    assert [t for _, t in tokens("?s ?p 1.5 . ?s ?p 12. ?s ?p .5e3 , 7E-2 , 1.e4")] == [
        "?s", "?p", "1.5", ".", "?s", "?p", "12", ".", "?s", "?p", ".5e3", ",", "7E-2", ",",
        "1.e4"]
    assert {kind for kind, text in tokens("1000 1.5 .5e3") } == {"number"}


def test_a_list_of_a_thousand_integers_is_not_too_long(client) -> None:
    """Each digit counted as a token: 1,000 four-digit integers made 5,014 tokens, a 400,
    where the same list of strings passed."""
    numbers = ", ".join(str(n) for n in range(1000, 2000))
    query = f"SELECT ?v WHERE {{ VALUES ?v {{ 1500 }} FILTER(?v IN ({numbers})) }}"
    assert _values(client.get("/sparql", query_string={"query": query})) == ["1500"]


# --- format and output naming one format ---------------------------------------------------------

@pytest.mark.parametrize("output", ["srj", "JSON", SRJ])
def test_format_and_output_naming_one_format_are_answered(client, output: str) -> None:
    got = client.get("/sparql", query_string={"query": LABEL_OF_CHINA, "format": "json",
                                              "output": output})
    assert got.mimetype == SRJ
    assert _values(got, "l") == ["China"]


def test_format_and_output_naming_two_formats_are_still_a_400(client) -> None:
    got = client.get("/sparql", query_string={"query": LABEL_OF_CHINA, "format": "json",
                                              "output": "csv"})
    assert got.status_code == 400
    assert "ask for different formats" in got.get_data(as_text=True)


# --- the older N-Quads and TriG media types ------------------------------------------------------

@pytest.mark.parametrize(("accept", "media"), [
    ("text/x-nquads", "application/n-quads"), ("text/nquads", "application/n-quads"),
    ("text/n-quads", "application/n-quads"), ("application/x-trig", "application/trig")])
def test_older_names_of_n_quads_and_trig_are_accepted(client, accept: str, media: str) -> None:
    query = f"CONSTRUCT {{ {CHINA} ?p ?o }} WHERE {{ {CHINA} ?p ?o }}"
    got = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert (got.status_code, got.mimetype) == (200, media)
    graph = Dataset()
    graph.parse(data=got.data, format="nquads" if media == "application/n-quads" else "trig")
    assert Literal("China", lang="en") in set(graph.objects(URIRef(CHINA[1:-1]), SKOS.prefLabel))


# --- If-Match ------------------------------------------------------------------------------------

def test_if_match_naming_no_tag_of_the_answer_is_a_412(client) -> None:
    """RFC 9110, 13.1.1: If-Match uses the strong comparison; ``*`` matches any current
    representation (it was ignored: a 200 whatever it named)."""
    path = "/id/state/china"
    tag = client.get(path).headers["ETag"]
    assert client.get(path, headers={"If-Match": tag}).status_code == 200
    assert client.get(path, headers={"If-Match": f'"x", {tag}'}).status_code == 200
    assert client.get(path, headers={"If-Match": "*"}).status_code == 200
    for value in ('"not-it"', f"W/{tag}"):
        refused = client.get(path, headers={"If-Match": value})
        assert refused.status_code == 412
        assert refused.headers["ETag"] == tag
        assert refused.get_data(as_text=True) == (
            "If-Match names no entity tag of the current representation\n")


# --- a byte-order mark before a GET's query ------------------------------------------------------

def test_a_byte_order_mark_before_a_gets_query_is_dropped(client) -> None:
    """As before a POST body's query (a GET's gave a 400 at 1:7)."""
    got = client.get("/sparql", query_string={"query": "\ufeff" + LABEL_OF_CHINA})
    assert _values(got, "l") == ["China"]


# --- a graph named twice in FROM is one graph of the dataset -----------------------------------

DOC_GRAPH = f"<{BASE}graph/document/test-doc>"


@pytest.mark.parametrize("clause", [f"FROM {DOC_GRAPH}", f"FROM NAMED {DOC_GRAPH}"])
def test_a_graph_named_twice_in_from_counts_its_triples_once(client, clause: str) -> None:
    """SPARQL 1.1 Query, 13.2: the dataset's default graph is the merge of the FROM graphs,
    and its named graphs are a set (the engine read a graph named twice twice: 2x the
    count)."""
    pattern = "{ GRAPH ?g { ?s ?p ?o } }" if "NAMED" in clause else "{ ?s ?p ?o }"

    def count(clauses: str) -> str:
        query = f"SELECT (COUNT(*) AS ?v) {clauses} WHERE {pattern}"
        return _values(client.get("/sparql", query_string={"query": query}))[0]

    once = count(clause)
    assert int(once) > 0
    assert count(f"{clause}\n{clause}") == count(f"{clause} {clause} {clause}") == once


def test_a_blanked_repeated_from_keeps_an_errors_position(client) -> None:
    def position(second: str) -> str:
        query = f"SELECT * FROM {DOC_GRAPH} FROM {second} WHERE {{ ?s ?p }}"
        got = client.get("/sparql", query_string={"query": query})
        assert got.status_code == 400
        return got.get_json()["position"]

    # (the same length, another graph: not blanked)
    assert position(DOC_GRAPH) == position(DOC_GRAPH.replace("test-doc", "test-dox"))
