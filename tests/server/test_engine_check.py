"""The engine's lexer check is remembered for accepted queries only: refusals repeat."""

from __future__ import annotations

import pytest
from entente.server.engine import MAX_CHECKED_CHARS, QueryRequest, checked_form, get_engine
from entente.server.errors import BadRequest

SERVICE = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
UPDATE = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
STATES = "SELECT ?s WHERE { ?s a <https://entente.example.org/ontology#State> } ORDER BY ?s"


@pytest.mark.parametrize("query", [SERVICE, UPDATE])
def test_a_refused_query_is_refused_again_over_http(client, query: str) -> None:
    first = client.get("/sparql", query_string={"query": query})
    second = client.get("/sparql", query_string={"query": query})
    assert first.status_code == second.status_code == 400
    assert first.get_json() == second.get_json()


def test_a_refused_query_is_refused_again_by_the_engine(app) -> None:
    with app.test_request_context():
        engine = get_engine()
        for _ in range(3):
            with pytest.raises(BadRequest, match=r"^SERVICE <http://127\.0\.0\.1:9/sparql>"):
                engine.execute(QueryRequest(SERVICE))


def test_an_accepted_query_is_answered_then_served_from_the_cache(app) -> None:
    with app.test_request_context():
        engine = get_engine()
        first = engine.execute(QueryRequest(STATES, media_type="text/csv"))
        second = engine.execute(QueryRequest(STATES, media_type="text/csv"))
    assert first.body == second.body
    assert first.body.decode().splitlines()[0] == "s"
    assert first.row_count == 6
    assert second.cached is True


def test_the_memo_is_keyed_by_the_allowlist() -> None:
    allowed = ("http://127.0.0.1:9/sparql",)
    assert checked_form(SERVICE, allowed) == "SELECT"
    assert checked_form(SERVICE, allowed) == "SELECT"
    with pytest.raises(BadRequest):
        checked_form(SERVICE, ())
    with pytest.raises(BadRequest):
        checked_form(SERVICE, ("http://example.org/sparql",))


def test_long_queries_are_checked_every_time() -> None:
    padded = SERVICE + "\n#" + "x" * MAX_CHECKED_CHARS
    for _ in range(2):
        with pytest.raises(BadRequest):
            checked_form(padded)
    long_select = STATES + "\n#" + "x" * MAX_CHECKED_CHARS
    assert checked_form(long_select) == "SELECT"
