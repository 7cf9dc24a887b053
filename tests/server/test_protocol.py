"""The SPARQL 1.1 Protocol at /sparql: modes, formats parsed back, negotiation, errors."""

from __future__ import annotations

import io
import json

import pytest
from entente.server.errors import NotAcceptable
from entente.server.negotiation import choose
from rdflib import ConjunctiveGraph, Graph, Literal, URIRef
from rdflib.query import Result

BASE = "https://entente.example.org/"
SKOS_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
STATE_LABELS = f"""SELECT ?s ?label WHERE {{
    ?s a <https://entente.example.org/ontology#State> ; <{SKOS_LABEL}> ?label }} ORDER BY ?s"""
STATES = ["china", "india", "iran", "kazakhstan", "mongolia", "russia"]
CONSTRUCT = f"""CONSTRUCT {{ ?s <{SKOS_LABEL}> ?label }} WHERE {{
    ?s a <https://entente.example.org/ontology#State> ; <{SKOS_LABEL}> ?label }}"""
EXPECTED_TRIPLES = {
    (URIRef(f"{BASE}id/state/{s}"), URIRef(SKOS_LABEL), Literal(s.title(), lang="en"))
    for s in STATES
}


def _rows(result: Result) -> list[tuple[str, str]]:
    return [(str(row[0]), str(row[1])) for row in result]


EXPECTED_ROWS = [(f"{BASE}id/state/{s}", s.title()) for s in STATES]


# --- protocol modes ---------------------------------------------------------------------


def test_get(client) -> None:
    r = client.get("/sparql", query_string={"query": STATE_LABELS})
    assert r.status_code == 200
    assert r.mimetype == "application/sparql-results+json"
    assert _rows(Result.parse(io.BytesIO(r.data), format="json")) == EXPECTED_ROWS


def test_post_form(client) -> None:
    r = client.post("/sparql", data={"query": STATE_LABELS})
    assert r.status_code == 200
    assert _rows(Result.parse(io.BytesIO(r.data), format="json")) == EXPECTED_ROWS


def test_post_sparql_query_body(client) -> None:
    r = client.post("/sparql", data=STATE_LABELS.encode(),
                    content_type="application/sparql-query")
    assert r.status_code == 200
    assert _rows(Result.parse(io.BytesIO(r.data), format="json")) == EXPECTED_ROWS


def test_default_graph_uri_restricts_the_default_graph(client) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    union = client.get("/sparql", query_string={"query": count}).get_json()
    only = client.get("/sparql", query_string={
        "query": count, "default-graph-uri": f"{BASE}graph/entities"}).get_json()
    two = client.get("/sparql", query_string=[
        ("query", count), ("default-graph-uri", f"{BASE}graph/entities"),
        ("default-graph-uri", f"{BASE}graph/ontology")]).get_json()
    value = lambda doc: int(doc["results"]["bindings"][0]["n"]["value"])  # noqa: E731
    assert value(only) == 18  # 6 states and 3 organizations, a type and a label each
    assert value(two) == 18 + 6
    assert value(union) > value(two)
    twice = client.get("/sparql", query_string=[
        ("query", count), ("default-graph-uri", f"{BASE}graph/entities"),
        ("default-graph-uri", f"{BASE}graph/entities")]).get_json()
    assert value(twice) == 18  # a graph named twice is one graph (the engine gave 36)


def test_a_named_graph_given_twice_is_listed_once(client) -> None:
    r = client.get("/sparql", query_string=[
        ("query", "SELECT ?g WHERE { GRAPH ?g { } }"),
        ("named-graph-uri", f"{BASE}graph/build"), ("named-graph-uri", f"{BASE}graph/build")])
    assert [b["g"]["value"] for b in r.get_json()["results"]["bindings"]] == [f"{BASE}graph/build"]


def test_named_graph_uri_limits_graph_patterns(client) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    r = client.get("/sparql", query_string=[
        ("query", query), ("named-graph-uri", f"{BASE}graph/ontology"),
        ("named-graph-uri", f"{BASE}graph/build")])
    graphs = [b["g"]["value"] for b in r.get_json()["results"]["bindings"]]
    assert graphs == [f"{BASE}graph/build", f"{BASE}graph/ontology"]


def test_from_names_a_graph(client) -> None:
    query = f"SELECT (COUNT(*) AS ?n) FROM <{BASE}graph/entities> WHERE {{ ?s ?p ?o }}"
    r = client.get("/sparql", query_string={"query": query})
    assert r.get_json()["results"]["bindings"][0]["n"]["value"] == "18"


def test_from_file_never_reads_a_file(client, tmp_path) -> None:
    secret = tmp_path / "secret.ttl"
    secret.write_text("<http://x/a> <http://x/b> <http://x/c> .\n")
    r = client.get("/sparql", query_string={
        "query": f"SELECT * FROM <file://{secret}> WHERE {{ ?s ?p ?o }}"})
    assert r.status_code == 200
    assert r.get_json()["results"]["bindings"] == []


# --- formats, parsed back -------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "parser"), [("json", "json"), ("xml", "xml"), ("csv", "csv"),
                                             ("tsv", "tsv")])
def test_select_formats_parse_back(client, fmt: str, parser: str) -> None:
    r = client.get("/sparql", query_string={"query": STATE_LABELS, "format": fmt})
    assert r.status_code == 200
    result = Result.parse(io.BytesIO(r.data), format=parser)
    assert [str(v) for v in result.vars] == ["s", "label"]
    assert _rows(result) == EXPECTED_ROWS


def test_csv_quotes_and_tsv_escapes(client) -> None:
    query = (f"SELECT ?q WHERE {{ <{BASE}id/assertion/test-doc-1> "
             "<https://entente.example.org/ontology#quote> ?q }")
    csv = client.get("/sparql", query_string={"query": query, "format": "csv"}).data
    assert csv == b'q\r\n"Sentence 1, with a comma and a tab\t."\r\n'
    tsv = client.get("/sparql", query_string={"query": query, "format": "tsv"}).data
    assert tsv == b'?q\n"Sentence 1, with a comma and a tab\\t."\n'


@pytest.mark.parametrize(("fmt", "parser"), [("json", "json"), ("xml", "xml")])
def test_ask_formats_parse_back(client, fmt: str, parser: str) -> None:
    for query, expected in [(f"ASK {{ <{BASE}id/state/china> ?p ?o }}", True),
                            (f"ASK {{ <{BASE}id/state/atlantis> ?p ?o }}", False)]:
        r = client.get("/sparql", query_string={"query": query, "format": fmt})
        assert Result.parse(io.BytesIO(r.data), format=parser).askAnswer is expected


def test_ask_csv_and_tsv(client) -> None:
    ask = f"ASK {{ <{BASE}id/state/china> ?p ?o }}"
    assert client.get("/sparql", query_string={"query": ask, "format": "csv"}).data == (
        b"_askResult\r\ntrue\r\n")
    assert client.get("/sparql", query_string={"query": ask, "format": "tsv"}).data == (
        b"?_askResult\ntrue\n")


@pytest.mark.parametrize(("media", "parser"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"), ("application/n-quads", "nquads"), ("application/trig", "trig"),
])
def test_construct_formats_parse_back(client, media: str, parser: str) -> None:
    r = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": media})
    assert r.status_code == 200
    assert r.mimetype == media
    if parser in ("nquads", "trig"):
        graph: Graph = ConjunctiveGraph()
    else:
        graph = Graph()
    graph.parse(data=r.data, format=parser)
    assert set(graph) == EXPECTED_TRIPLES


def test_describe_returns_the_resource(client) -> None:
    r = client.get("/sparql", query_string={"query": f"DESCRIBE <{BASE}id/org/sco>",
                                            "format": "nt"})
    graph = Graph().parse(data=r.data, format="nt")
    assert (URIRef(f"{BASE}id/org/sco"), URIRef(SKOS_LABEL), Literal("SCO", lang="en")) in graph


# --- negotiation ------------------------------------------------------------------------------


@pytest.mark.parametrize(("accept", "form", "expected"), [
    (None, "SELECT", "application/sparql-results+json"),
    ("*/*", "SELECT", "application/sparql-results+json"),
    ("text/csv", "SELECT", "text/csv"),
    ("application/json", "ASK", "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml", "SELECT", "application/sparql-results+xml"),
    ("text/csv;q=0.9, application/sparql-results+xml;q=0.1", "SELECT", "text/csv"),
    ("text/*", "SELECT", "text/csv"),
    ("text/*;q=0.5, text/tab-separated-values", "SELECT", "text/tab-separated-values"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", "SELECT", "application/sparql-results+json"),
    (None, "CONSTRUCT", "text/turtle"),
    ("application/rdf+xml;q=0.9, application/ld+json", "DESCRIBE", "application/ld+json"),
    ("application/*", "CONSTRUCT", "application/n-triples"),
    ("text/turtle;q=0, */*;q=0.1", "CONSTRUCT", "application/n-triples"),
    ("application/json", "CONSTRUCT", "application/ld+json"),
    ("application/sparql-results+json, application/json;q=0.5", "DESCRIBE",
     "application/ld+json"),
    ("application/xml", "SELECT", "application/sparql-results+xml"),  # as Jena reads them
    ("text/xml", "ASK", "application/sparql-results+xml"),
    ("application/xml", "CONSTRUCT", "application/rdf+xml"),
    ("text/xml;q=0.9, text/turtle;q=0.1", "DESCRIBE", "application/rdf+xml"),
])
def test_negotiation_table(accept: str | None, form: str, expected: str) -> None:
    assert choose(accept, None, form) == expected


@pytest.mark.parametrize(("fmt", "form", "expected"), [
    ("json", "SELECT", "application/sparql-results+json"),
    ("tsv", "ASK", "text/tab-separated-values"),
    ("ttl", "CONSTRUCT", "text/turtle"), ("jsonld", "CONSTRUCT", "application/ld+json"),
    ("nq", "DESCRIBE", "application/n-quads"), ("rdfxml", "CONSTRUCT", "application/rdf+xml"),
])
def test_format_parameter_wins(fmt: str, form: str, expected: str) -> None:
    assert choose("text/csv", fmt, form) == expected


def test_not_acceptable_is_406_listing_types(client) -> None:
    r = client.get("/sparql", query_string={"query": STATE_LABELS},
                   headers={"Accept": "image/png"})
    assert r.status_code == 406
    body = r.get_json()
    assert body["status"] == 406
    assert "text/csv" in body["error"] and "application/sparql-results+json" in body["error"]
    r = client.get("/sparql", query_string={"query": CONSTRUCT, "format": "csv"})
    assert r.status_code == 406
    with pytest.raises(NotAcceptable):
        choose("text/turtle", None, "SELECT")


# --- request errors ----------------------------------------------------------------------


def test_unsupported_post_type_is_415(client) -> None:
    r = client.post("/sparql", data=b"<x/>", content_type="application/xml")
    assert r.status_code == 415
    assert r.get_json() == {
        "error": "cannot read a POST body of type application/xml; send "
                 "application/x-www-form-urlencoded or application/sparql-query",
        "status": 415,
    }


@pytest.mark.parametrize("accept", ["text/html", "text/turtle", "image/png"])
def test_a_malformed_query_is_400_before_any_406(client, accept: str) -> None:
    """No format fits, but the query is broken: its syntax is what the client hears of."""
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o "},
                   headers={"Accept": accept})
    assert r.status_code == 400
    if accept == "text/html":  # errors are a page for a browser
        assert r.mimetype == "text/html" and "error at 1:27" in r.get_data(as_text=True)
    else:
        assert r.get_json()["position"] == "1:27"
    fine = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"},
                      headers={"Accept": accept})
    assert fine.status_code == 406


@pytest.mark.parametrize(("query", "where"), [
    ("", "1:1"),
    ("PREFIX x: <http://a/> SELEC * {}", "1:23"),  # after the prologue
    ("BASE <http://b/>\n# a comment\n  FOO { }", "3:3"),
])
def test_a_query_without_a_form_is_400_with_position(client, query: str, where: str) -> None:
    r = client.post("/sparql", data={"query": query})
    assert r.status_code == 400
    assert r.get_json() == {
        "error": f"malformed query: error at {where}: expected SELECT, ASK, CONSTRUCT or "
                 "DESCRIBE", "position": where, "status": 400}


def test_malformed_query_is_400_with_position(client) -> None:
    r = client.get("/sparql", query_string={"query": "SELECT ?s WHERE {\n  ?s ?p }"})
    assert r.status_code == 400
    body = r.get_json()
    assert body["position"] == "2:10"  # pyoxigraph's own line:column
    assert body["error"].startswith("malformed query: error at 2:10")


@pytest.mark.parametrize("how", ["get", "form", "canned"])
def test_percent_escapes_that_are_not_utf8_are_400(client, how: str) -> None:
    """``%FF%FE`` is no UTF-8: refused, never run as the six characters ``%FF%FE``."""
    bad = "SELECT%20(%22%FF%FE%22%20AS%20%3Fx)%20%7B%7D"
    if how == "get":
        r = client.get(f"/sparql?query={bad}", headers={"Accept": "text/csv"})
    elif how == "form":
        r = client.post("/sparql", data=f"query={bad}".encode(),
                        content_type="application/x-www-form-urlencoded")
    else:
        r = client.get("/queries/shared-memberships?a=id/state/%E9&b=id/state/russia")
    assert r.status_code == 400
    body = r.get_json()
    assert body["parameter"] == ("a" if how == "canned" else "query")
    assert "not UTF-8 once percent-decoded" in body["error"]


def test_utf8_percent_escapes_are_read(client) -> None:
    r = client.get("/sparql?query=SELECT%20(%22caf%C3%A9%22%20AS%20%3Fx)%20%7B%7D",
                   headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.get_data(as_text=True) == "x\r\ncafé\r\n"
    r = client.post("/sparql", data="query=SELECT%20(%22caf%C3%A9%22%20AS%20%3Fx)%20%7B%7D",
                    content_type="application/x-www-form-urlencoded",
                    headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.get_data(as_text=True) == "x\r\ncafé\r\n"


def test_query_and_update_together_is_400(client) -> None:
    r = client.post("/sparql", data={"query": STATE_LABELS, "update": "CLEAR ALL"})
    assert r.status_code == 400
    assert r.get_json()["error"] == "a request may carry a query or an update, not both"


@pytest.mark.parametrize("function", ["<http://ex.org/f>", "xsd:foo"])
def test_an_unknown_function_is_400_not_503(client, function: str) -> None:
    """The engine's "custom function ... is not supported" is the query's fault: a 503
    tells a client the service is down, and it retries."""
    query = f"PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT ({function}(1) AS ?x) {{}}"
    r = client.get("/sparql", query_string={"query": query})
    iri = function.replace("xsd:", "<http://www.w3.org/2001/XMLSchema#") + (
        ">" if function.startswith("xsd:") else "")
    assert (r.status_code, r.get_json()["error"]) == (
        400, f"cannot run the query: The custom function {iri} is not supported")


@pytest.mark.parametrize("path", ["/sparql", "/update"])
def test_a_compressed_body_is_415(make_app, path: str) -> None:
    """RFC 9110: a content coding the server does not read is a 415 (a gzipped query was
    read as text: "the query body is not UTF-8 (byte 1)")."""
    import gzip

    client = make_app(update_enabled=True, update_token="t").test_client()
    kind = "query" if path == "/sparql" else "update"
    body = gzip.compress(b"ASK {}" if kind == "query" else b"CLEAR ALL")
    r = client.post(path, data=body, headers={
        "Content-Type": f"application/sparql-{kind}", "Content-Encoding": "gzip",
        "Authorization": "Bearer t"})
    assert (r.status_code, r.get_json()["error"]) == (
        415, "cannot read a request body in the content coding 'gzip'; send it uncompressed")
    plain = client.post("/sparql", data=b"ASK {}", headers={
        "Content-Type": "application/sparql-query", "Content-Encoding": "identity"})
    assert plain.status_code == 200


def test_a_query_sent_to_update_is_told_where_queries_go(make_app) -> None:
    client = make_app(update_enabled=True, update_token="t").test_client()
    r = client.post("/update", data={"query": "ASK {}"}, headers={"Authorization": "Bearer t"})
    assert (r.status_code, r.get_json()["error"]) == (
        400, "this is the update endpoint: send the update as 'update' (queries go to /sparql)")


def test_duplicate_query_is_400(client) -> None:
    r = client.get("/sparql", query_string=[("query", "ASK {}"), ("query", "ASK {}")])
    assert r.status_code == 400
    assert "given 2 times" in r.get_json()["error"]


def test_missing_query_in_post_is_400(client) -> None:
    r = client.post("/sparql", data={"format": "json"})
    assert r.status_code == 400
    assert r.get_json() == {"error": "missing the 'query' parameter", "status": 400}


@pytest.mark.parametrize("request_kwargs", [
    {"data": {"update": "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }"}},
    {"data": b"DROP ALL", "content_type": "application/sparql-update"},
    {"data": {"query": "LOAD <http://example.org/data.ttl>"}},
    {"data": {"query": "DELETE WHERE { ?s ?p ?o }"}},
])
def test_updates_are_refused_at_sparql(client, request_kwargs: dict) -> None:
    r = client.post("/sparql", **request_kwargs)
    assert r.status_code == 400
    assert r.get_json()["error"] == "updates are not accepted at /sparql; see /update"
    still = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).get_json()
    assert still["boolean"] is True


def test_cache_hit_is_marked(client) -> None:
    query = STATE_LABELS + " LIMIT 2"
    first = client.get("/sparql", query_string={"query": query})
    second = client.get("/sparql", query_string={"query": query})
    assert first.headers["X-Cache"] == "miss"
    assert second.headers["X-Cache"] == "hit"
    assert first.data == second.data


def test_get_without_query_is_the_service_description_or_the_ui(client) -> None:
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    browser = client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.status_code == 303
    assert browser.headers["Location"].endswith("/")


def test_json_results_are_utf8_json(client) -> None:
    r = client.get("/sparql", query_string={"query": 'SELECT ?x { BIND("Москва"@ru AS ?x) }'})
    assert json.loads(r.data.decode("utf-8"))["results"]["bindings"][0]["x"] == {
        "type": "literal", "value": "Москва", "xml:lang": "ru"}


def test_a_byte_order_mark_before_a_query_body_is_not_read_as_sparql(client) -> None:
    """Editors on Windows start a saved .rq file with one; ``curl --data-binary @q.rq`` sends
    it (the engine said "error at 1:8: expected one of VERSION, [_]")."""
    r = client.post("/sparql", data=b"\xef\xbb\xbfASK { }",
                    content_type="application/sparql-query")
    assert (r.status_code, r.get_json()) == (200, {"head": {}, "boolean": True})


def test_describe_gives_each_triple_once(settings, tmp_path) -> None:  # noqa: ANN001
    """A triple two named graphs hold is one triple of the description (Oxigraph's DESCRIBE
    over the union default graph gave it once per graph)."""
    from entente.server.app import create_app

    from .conftest import dataset_lines, publish_dataset  # noqa: TID252

    china = f"<{BASE}id/state/china>"
    typed = f"{china} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{BASE}ontology#State>"
    store = tmp_path / "store"
    publish_dataset(store, sorted({*dataset_lines(), f"{typed} <{BASE}graph/extra> ."}))
    app = create_app(settings.with_(store=store))
    try:
        r = app.test_client().get("/sparql", query_string={"query": f"DESCRIBE {china}"},
                                  headers={"Accept": "application/n-triples"})
    finally:
        app.extensions["entente.engine"].close()
    lines = r.get_data(as_text=True).splitlines()
    assert f"{typed} ." in lines
    assert len(lines) == len(set(lines)) == 3  # its type, its label, its membership


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_output_is_fusekis_name_for_format(client, method: str) -> None:
    def ask(**params: str):  # noqa: ANN202
        data = {"query": "ASK { }", **params}
        if method == "GET":
            return client.get("/sparql", query_string=data)
        return client.post("/sparql", data=data)

    r = ask(output="csv")
    assert (r.status_code, r.get_data(as_text=True)) == (200, "_askResult\r\ntrue\r\n")
    assert ask(output="xml", format="xml").mimetype == "application/sparql-results+xml"
    refused = ask(output="csv", format="json")
    assert (refused.status_code, refused.get_json()) == (400, {
        "error": "the 'format' ('json') and 'output' ('csv') parameters ask for different "
                 "formats; give one", "status": 400, "parameter": "output"})


def test_a_repeated_format_takes_its_first_value(client) -> None:
    """Not a 400, unlike a repeated ``query``: SPARQLWrapper sends its format several times,
    spelled differently (``format=json-ld&format=application/ld+json,application/x-json+ld``
    and the same as ``output``)."""
    r = client.get("/sparql?query=ASK%7B%7D&format=json&format=xml")
    assert (r.status_code, r.mimetype) == (200, "application/sparql-results+json")


def test_output_chooses_the_service_descriptions_format(client) -> None:
    r = client.get("/sparql", query_string={"output": "nt"},
                   headers={"Accept": "text/html,*/*;q=0.8"})
    assert (r.status_code, r.mimetype) == (200, "application/n-triples")
