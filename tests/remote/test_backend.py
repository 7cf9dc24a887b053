"""The remote backend keeps the embedded store's policy and answers: row cap, SERVICE,
parameters bound safely, resource pages, VoID and the dump."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from entente.server.engine import QueryRequest
from entente.server.errors import BadRequest
from entente.server.inject import bind_values

from entente.config import Settings

BASE = "https://entente.example.org/"
EVIL = '"} } ; DROP GRAPH <x> # \\ \n \u00e9'


def _app(settings: Settings) -> Iterator:
    from entente.server.app import create_app

    app = create_app(settings)
    yield app
    app.extensions["entente.engine"].close()


@pytest.fixture(scope="module")
def remote_app(virtuoso_corpus: str, built_store) -> Iterator:  # noqa: ANN001
    yield from _app(Settings().with_(backend=f"{virtuoso_corpus}/sparql", store=built_store.link,
                                     query_timeout=20.0))


@pytest.fixture(scope="module")
def capped_app(virtuoso_corpus: str, built_store) -> Iterator:  # noqa: ANN001
    yield from _app(Settings().with_(backend=f"{virtuoso_corpus}/sparql", store=built_store.link,
                                     max_rows=3, query_timeout=20.0))


@pytest.fixture(scope="module")
def embedded_app(built_store) -> Iterator:  # noqa: ANN001
    yield from _app(Settings().with_(store=built_store.link, query_timeout=20.0))


def test_row_cap_and_truncation_flag(capped_app) -> None:
    r = capped_app.test_client().get("/sparql", query_string={
        "query": "SELECT ?s WHERE { ?s a <https://entente.example.org/ontology#Assertion> }"},
        headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    assert r.headers["X-SPARQL-Truncated"] == "true" and r.headers["X-SPARQL-Max-Rows"] == "3"
    body = r.get_json()
    assert len(body["results"]["bindings"]) == 3
    assert body["entente"] == {"truncated": True, "maxRows": 3}


def test_service_refused_before_the_remote(remote_app) -> None:
    r = remote_app.test_client().get("/sparql", query_string={
        "query": "SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }"})
    assert r.status_code == 400
    assert "SERVICE <http://evil.example/sparql> is not allowed" in r.get_json()["error"]


def test_injection_values_round_trip_as_data(remote_app) -> None:
    engine = remote_app.extensions["entente.engine"]
    result = engine.execute(QueryRequest(
        "SELECT ?x ?y WHERE { }", media_type="application/sparql-results+json",
        substitutions={"x": ("literal", EVIL, None, None),
                       "y": ("iri", "http://x.example/a?b=c#d")}, use_cache=False))
    row = json.loads(result.body)["results"]["bindings"]
    assert row == [{"x": {"type": "literal", "value": EVIL},
                    "y": {"type": "uri", "value": "http://x.example/a?b=c#d"}}]


def test_bad_iri_is_refused_not_pasted() -> None:
    with pytest.raises(BadRequest, match="cannot bind the parameter value"):
        bind_values("SELECT ?x WHERE { ?x ?p ?o }", {"x": ("iri", "http://a> } <b")})


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT ?x WHERE { ?x ?p '{' }",
     "SELECT ?x WHERE { VALUES (?x) { (<http://a>) } ?x ?p '{' }"),
    ("# { comment\nCONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }",
     "# { comment\nCONSTRUCT { ?x ?p ?o } WHERE { VALUES (?x) { (<http://a>) } ?x ?p ?o }"),
    ("CONSTRUCT WHERE { ?x ?p ?o }",
     "CONSTRUCT WHERE { VALUES (?x) { (<http://a>) } ?x ?p ?o }"),
    ("ASK { <urn:{> ?p ?x }", "ASK { VALUES (?x) { (<http://a>) } <urn:{> ?p ?x }"),
])
def test_values_open_the_where_group(query: str, expected: str) -> None:
    assert bind_values(query, {"x": ("iri", "http://a")}) == expected


def _triples(body: bytes) -> set:
    return set(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))


@pytest.mark.parametrize("path", ["/id/state/china", "/id/org/sco", "/graph/entities"])
def test_pages_equal_the_embedded_ones(remote_app, embedded_app, path: str) -> None:
    headers = {"Accept": "application/n-triples"}
    remote = remote_app.test_client().get(path, query_string={"format": "ntriples"},
                                          headers=headers)
    local = embedded_app.test_client().get(path, query_string={"format": "ntriples"},
                                           headers=headers)
    assert remote.status_code == local.status_code == 200
    assert "X-SPARQL-Truncated" not in remote.headers
    assert _triples(remote.data) == _triples(local.data)


def test_html_page_and_void_and_dump(remote_app, built_store) -> None:
    client = remote_app.test_client()
    page = client.get("/id/state/china", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Latest assertions about China" in page.get_data(True)
    void = ox.parse(client.get("/.well-known/void", headers={"Accept": "application/n-triples"})
                    .data, format=ox.RdfFormat.N_TRIPLES)
    totals = [q.object.value for q in void
              if q.predicate.value == "http://rdfs.org/ns/void#triples"
              and q.subject.value.endswith("void#dataset")]
    assert totals == [str(built_store.manifest["quads"])]
    dump = client.get("/dump.nq")
    assert dump.status_code == 200 and dump.data == built_store.dump_path.read_bytes()
    health = client.get("/healthz").get_json()
    assert health["status"] == "ok" and health["quads"] == built_store.manifest["quads"]


def test_a_dataset_of_many_graphs_is_answered(virtuoso: str, built_store) -> None:  # noqa: ANN001
    """With ENTENTE_BACKEND_DATASET=named every Entente graph is sent as the dataset, and
    Virtuoso echoes one response header per graph: 150 graphs once broke every answer."""
    import requests
    from requests.auth import HTTPDigestAuth

    base = "https://many.example.org/"
    session = requests.Session()
    session.auth = HTTPDigestAuth("dba", "dba")
    for i in range(150):
        put = session.put(f"{virtuoso}/sparql-graph-crud-auth",
                          params={"graph": f"{base}graph/doc/{i}"},
                          data=f"<{base}id/x/{i}> <{base}ontology#n> {i} .\n".encode(),
                          headers={"Content-Type": "application/n-triples"}, timeout=30)
        assert put.status_code in (200, 201, 204), put.text
    app_iter = _app(Settings().with_(backend=f"{virtuoso}/sparql", store=built_store.link,
                                     base_iri=base, query_timeout=20.0))
    app = next(app_iter)
    try:
        r = app.test_client().get("/sparql", query_string={
            "query": "SELECT (COUNT(*) AS ?n) (SUM(?v) AS ?sum) WHERE { ?s ?p ?v }"},
            headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200, r.get_data(as_text=True)
        row = r.get_json()["results"]["bindings"][0]
        assert (row["n"]["value"], row["sum"]["value"]) == ("150", str(sum(range(150))))
    finally:
        next(app_iter, None)
        for i in range(150):
            session.delete(f"{virtuoso}/sparql-graph-crud-auth",
                           params={"graph": f"{base}graph/doc/{i}"}, timeout=30)


def test_a_push_that_keeps_every_count_still_refreshes_the_cache(
        entente, virtuoso: str, virtuoso_push_args: list[str], built_store,  # noqa: ANN001
        tmp_path) -> None:  # noqa: ANN001
    """The remote's version is read from its graph counts and the push marker: a push that
    changes a literal, and so no count, is still seen (the cache once served the old rows)."""
    base = "https://refresh.example.org/"

    def push(value: str) -> None:
        nq = tmp_path / f"{value}.nq"
        nq.write_text(f'<{base}id/x> <{base}ontology#v> "{value}" <{base}graph/document/x> .\n',
                      encoding="utf-8")
        done = entente("push", "--data", str(nq), "--base-iri", base, "--quiet",
                       *virtuoso_push_args)
        assert done.returncode == 0, done.stderr

    push("one")
    app_iter = _app(Settings().with_(backend=f"{virtuoso}/sparql", store=built_store.link,
                                     base_iri=base, backend_refresh=0.0, query_timeout=20.0))
    app = next(app_iter)
    try:
        def answer() -> tuple[str, str]:
            r = app.test_client().get("/sparql", query_string={
                "query": "SELECT ?v WHERE { ?s ?p ?v }"}, headers={"Accept": "text/csv"})
            return r.headers["X-Cache"], r.get_data(as_text=True)

        assert answer() == ("miss", "v\r\none\r\n")
        assert answer() == ("hit", "v\r\none\r\n")
        push("two")
        assert answer() == ("miss", "v\r\ntwo\r\n")
        # the dump is not served from a local store that is not the one pushed
        assert app.test_client().get("/dump.nq").status_code == 404
    finally:
        next(app_iter, None)


def test_select_star_columns_follow_the_query(remote_app) -> None:
    """As the embedded store answers them (tests/server/test_select_star.py)."""
    r = remote_app.test_client().get("/sparql", query_string={
        "query": 'SELECT * WHERE { BIND("x" AS ?z) BIND("y" AS ?a) }'},
        headers={"Accept": "text/csv"})
    assert r.status_code == 200, r.data
    assert r.get_data(as_text=True) == "z,a\r\nx,y\r\n"
