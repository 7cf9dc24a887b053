"""The fast path for GET /queries/<name> and GET /sparql: the same responses, logs and metrics
as the Flask views, and Flask still answers everything it does not take."""

from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

import pytest
from entente.server.app import create_app
from entente.server.compression import Compression
from entente.server.conditional import ConditionalGet
from entente.server.fastpath import FastPath
from werkzeug.test import Client

BASE = "https://entente.example.org/"
JSON = "application/sparql-results+json"
STATES = f"SELECT ?s WHERE {{ ?s a <{BASE}ontology#State> }} ORDER BY ?s"
SHARED = "/queries/shared-memberships?" + urlencode({"a": "id/state/china",
                                                     "b": "id/state/russia"})


@pytest.fixture()
def pair(settings):  # noqa: ANN001, ANN201 - (app, fast client, Flask-only client, view calls)
    app = create_app(settings.with_(cache_entries=0, max_rows=3,
                                    cors_origins=("https://app.example",)))
    compression = app.wsgi_app  # (gzip, then ETag and 304 around everything else)
    assert isinstance(compression, Compression)
    conditional = compression.app
    assert isinstance(conditional, ConditionalGet)
    fast = conditional.app
    assert isinstance(fast, FastPath)
    calls: list[str] = []
    for endpoint in ("canned.run", "sparql.sparql"):
        view = app.view_functions[endpoint]

        def counted(*args, _view=view, _name=endpoint, **kwargs):  # noqa: ANN002, ANN003, ANN202
            calls.append(_name)
            return _view(*args, **kwargs)

        app.view_functions[endpoint] = counted
    # (Flask alone, behind the same gzip and conditional layers as the whole app)
    alone = Compression(ConditionalGet(fast.app, conditional.max_bytes), compression.max_bytes)
    yield app, app.test_client(), Client(alone), calls
    app.extensions["entente.engine"].close()


def _same(fast_resp, flask_resp) -> None:  # noqa: ANN001
    assert fast_resp.status == flask_resp.status
    assert sorted(fast_resp.headers.items()) == sorted(flask_resp.headers.items())
    assert fast_resp.get_data() == flask_resp.get_data()


FAST_CASES = [
    (SHARED, {"Accept": JSON}),
    (SHARED + "&format=csv", {}),
    (SHARED, {"Accept": "text/tab-separated-values", "Origin": "https://app.example"}),
    (SHARED, {"Accept": "application/sparql-results+xml", "Origin": "https://other.example"}),
    ("/sparql?" + urlencode({"query": STATES}), {"Accept": "text/csv"}),  # truncated
    ("/sparql?" + urlencode({"query": STATES}), {"Accept": JSON}),
    ("/sparql?" + urlencode({"query": STATES, "format": "json"}), {}),
    ("/sparql?" + urlencode({"query": STATES, "default-graph-uri": f"{BASE}graph/entities"}),
     {"Accept": JSON}),
    ("/sparql?" + urlencode({"query": f"ASK {{ <{BASE}id/state/china> ?p ?o }}"}), {}),
]


@pytest.mark.parametrize(("url", "headers"), FAST_CASES)
def test_the_fast_path_answers_like_the_flask_view(pair, url: str, headers: dict) -> None:
    _app, client, flask_only, calls = pair
    fast_resp = client.get(url, headers=headers)
    assert calls == []  # answered without the view
    flask_resp = flask_only.get(url, headers=headers)
    assert calls != []
    assert fast_resp.status_code == 200
    _same(fast_resp, flask_resp)


def test_truncation_and_download_headers(pair) -> None:  # noqa: ANN001
    _app, client, _flask_only, _calls = pair
    resp = client.get("/sparql?" + urlencode({"query": STATES, "format": "csv"}),
                      headers={"Origin": "https://app.example"})
    assert resp.headers["X-SPARQL-Truncated"] == "true"
    assert resp.headers["X-SPARQL-Max-Rows"] == "3"
    assert resp.headers["Access-Control-Allow-Origin"] == "https://app.example"
    assert resp.headers["Vary"] == "Accept, Origin, Accept-Encoding"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.get_data(as_text=True).count("\r\n") == 4  # header line + 3 rows
    assert "Content-Disposition" not in resp.headers
    resp = client.get(SHARED + "&format=tsv")
    assert resp.headers["Content-Disposition"] == (
        'attachment; filename="shared-memberships.tsv"')


FLASK_CASES = [
    (SHARED + "&format=html", {}),  # the HTML form page
    (SHARED, {"Accept": "text/html"}),
    (SHARED, {"Accept": "text/csv, text/html;q=0.5"}),  # names html: the view weighs q (CSV)
    ("/queries/shared-memberships?a=not%20an%20iri", {"Accept": JSON}),  # 400 naming a
    (SHARED + "&format=turtle", {}),  # 406
    ("/queries/no-such-query", {}),  # 404
    ("/sparql", {"Accept": "text/turtle"}),  # the service description
    ("/sparql?" + urlencode([("query", STATES), ("query", STATES)]), {}),  # repeated: 400
    ("/sparql?" + urlencode({"query": STATES, "default-graph-uri": "no-iri"}), {}),
    ("/sparql?" + urlencode({"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}), {}),
    ("/sparql?" + urlencode({"query": STATES, "update": "CLEAR ALL"}), {}),
]


@pytest.mark.parametrize(("url", "headers"), FLASK_CASES)
def test_flask_answers_what_the_fast_path_leaves(pair, url: str, headers: dict) -> None:
    _app, client, flask_only, calls = pair
    fast_resp = client.get(url, headers=headers)
    flask_resp = flask_only.get(url, headers=headers)
    assert len(calls) == 2  # the view answered both
    _same(fast_resp, flask_resp)


def test_an_engine_error_is_answered_by_flask_without_running_again(pair, caplog) -> None:
    _app, client, flask_only, calls = pair
    url = "/sparql?" + urlencode({"query": "SELECT ?s WHERE { ?s ?p }"})
    with caplog.at_level(logging.INFO, logger="entente.access"):
        fast_resp = client.get(url)
    assert fast_resp.status_code == 400
    assert fast_resp.get_json()["position"] == "1:26"
    assert calls == []  # raised by the hook, not by running the view (and the query) again
    _same(fast_resp, flask_only.get(url))
    access = [json.loads(r.getMessage()) for r in caplog.records if r.name == "entente.access"]
    assert [(a["path"], a["status"], a["endpoint"]) for a in access] == [
        ("/sparql", 400, "sparql.sparql")]


def test_logs_and_metrics_are_those_of_the_view(pair, caplog) -> None:
    app, client, flask_only, _calls = pair
    with caplog.at_level(logging.INFO, logger="entente.access"):
        client.get(SHARED, environ_base={"REMOTE_ADDR": "10.0.0.7"})
        flask_only.get(SHARED, environ_base={"REMOTE_ADDR": "10.0.0.7"})
    fast_log, flask_log = (json.loads(r.getMessage()) for r in caplog.records
                           if r.name == "entente.access")
    assert list(fast_log) == list(flask_log)  # same fields, same order
    for record in (fast_log, flask_log):
        del record["duration_ms"], record["query_ms"]
    assert fast_log == flask_log
    assert fast_log["client"] == "10.0.0.7" and fast_log["endpoint"] == "canned.run"
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'entente_requests_total{endpoint="canned.run",status="200"} 2' in metrics
    # timed under the canned query's name (docs/server.md), by both paths
    assert 'entente_query_seconds_count{query="shared-memberships"} 2' in metrics


def test_a_rate_limit_counts_fast_answers_and_replays_and_refuses_in_flask(settings) -> None:  # noqa: ANN001, E501
    from entente.server.cache import ResponseCache
    from entente.server.ops import RateGate

    app = create_app(settings.with_(rate_limit_per_minute=3))
    try:
        gate = app.wsgi_app
        assert isinstance(gate, RateGate) and isinstance(gate.inner, Compression)
        assert isinstance(gate.inner.app, ConditionalGet)
        assert isinstance(gate.inner.app.app, ResponseCache)
        assert isinstance(gate.inner.app.app.app, FastPath)
        calls: list[str] = []
        view = app.view_functions["canned.run"]

        def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            calls.append("canned.run")
            return view(*args, **kwargs)

        app.view_functions["canned.run"] = counted
        client = app.test_client()
        first, replayed = client.get(SHARED), client.get(SHARED)
        assert (first.status_code, first.headers["X-Cache"]) == (200, "miss")
        assert (replayed.status_code, replayed.headers["X-Cache"]) == (200, "hit")
        assert replayed.get_data() == first.get_data()
        assert calls == []  # the fast path answered, then the response cache
        assert gate.exempt == {"/healthz", "/metrics"} and gate.exempt_prefixes == ("/static/",)
        for exempt in ("/healthz", "/metrics", "/static/entente.css"):
            assert client.get(exempt).status_code == 200  # takes no token
        assert client.get("/queries").status_code == 200  # a Flask view: the third token
        refused = client.get(SHARED)
        assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 20
        body = refused.get_json()
        assert body["status"] == 429 and "rate limit of 3 requests per minute" in str(body)
        assert calls == []  # refused before the view
        metrics = client.get("/metrics").get_data(as_text=True)
        assert "entente_rate_limited_total 1.0" in metrics
    finally:
        app.extensions["entente.engine"].close()
