"""The response cache in front of the app: a repeated GET of a query result is replayed from
stored bytes, per format and origin, counted in /metrics and the access log, and never across
store versions, rate limits or a switched-off cache."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from entente.server.app import create_app

from .conftest import dataset_lines, publish_dataset  # noqa: TID252

BASE = "https://entente.example.org/"
LABEL_OF_CHINA = (f"SELECT ?l WHERE {{ <{BASE}id/state/china> "
                  "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }")
CANNED = "/queries/shared-memberships"


@pytest.fixture()
def make_app():  # noqa: ANN201 - a factory of Flask apps, closed at the end
    apps = []

    def make(settings):  # noqa: ANN001, ANN202
        app = create_app(settings)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["entente.engine"].close()


def _label(response) -> str:  # noqa: ANN001
    return response.get_json()["results"]["bindings"][0]["l"]["value"]


def test_a_repeated_get_replays_the_same_response(settings, make_app) -> None:
    client = make_app(settings).test_client()
    first = client.get(CANNED, query_string={"a": "id/state/china", "b": "id/state/russia"})
    second = client.get(CANNED, query_string={"a": "id/state/china", "b": "id/state/russia"})
    assert first.status_code == second.status_code == 200
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert first.data == second.data
    assert second.get_json()["head"]["vars"] == first.get_json()["head"]["vars"]
    drop = {"X-Cache"}
    assert ({k: v for k, v in first.headers.items() if k not in drop}
            == {k: v for k, v in second.headers.items() if k not in drop})


def test_format_accept_and_origin_are_part_of_the_key(settings, make_app) -> None:
    client = make_app(settings.with_(cors_origins=("https://a.example",))).test_client()
    json_body = client.get("/sparql", query_string={"query": LABEL_OF_CHINA})
    csv_body = client.get("/sparql", query_string={"query": LABEL_OF_CHINA},
                          headers={"Accept": "text/csv"})
    assert csv_body.mimetype == "text/csv" and csv_body.data == b"l\r\nChina\r\n"
    assert _label(json_body) == "China"
    download = client.get("/sparql", query_string={"query": LABEL_OF_CHINA, "format": "tsv"})
    assert download.data == b'?l\n"China"@en\n'
    again = client.get("/sparql", query_string={"query": LABEL_OF_CHINA, "format": "tsv"})
    assert again.headers["X-Cache"] == "hit" and again.data == download.data
    plain = client.get("/sparql", query_string={"query": LABEL_OF_CHINA})
    assert "Access-Control-Allow-Origin" not in plain.headers
    allowed = client.get("/sparql", query_string={"query": LABEL_OF_CHINA},
                         headers={"Origin": "https://a.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://a.example"
    other = client.get("/sparql", query_string={"query": LABEL_OF_CHINA},
                       headers={"Origin": "https://b.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_hits_count_in_metrics_and_the_access_log(settings, make_app,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    client = make_app(settings).test_client()
    query = LABEL_OF_CHINA + " # metrics"
    with caplog.at_level(logging.INFO, logger="entente.access"):
        for _ in range(3):
            assert client.get("/sparql", query_string={"query": query}).status_code == 200
    access = [json.loads(r.getMessage()) for r in caplog.records if r.name == "entente.access"]
    assert [line["cached"] for line in access] == [False, True, True]
    assert len({line["query_hash"] for line in access}) == 1
    assert [line["rows"] for line in access] == [1, 1, 1]
    assert {(line["path"], line["status"], line["endpoint"]) for line in access} == {
        ("/sparql", 200, "sparql.sparql")}
    text = client.get("/metrics").get_data(as_text=True)
    assert 'entente_requests_total{endpoint="sparql.sparql",status="200"} 3' in text
    assert "entente_cache_hits_total 2" in text


def test_a_new_store_version_is_never_answered_from_old_bytes(settings, make_app,
                                                              tmp_path: Path) -> None:
    store = tmp_path / "store"
    publish_dataset(store, dataset_lines())
    app = make_app(settings.with_(store=store))
    client = app.test_client()
    assert _label(client.get("/sparql", query_string={"query": LABEL_OF_CHINA})) == "China"
    assert client.get("/sparql", query_string={"query": LABEL_OF_CHINA}).headers[
        "X-Cache"] == "hit"
    publish_dataset(store, dataset_lines(extra_label=" (v2)"))
    app.extensions["entente.engine"].refresh()
    fresh = client.get("/sparql", query_string={"query": LABEL_OF_CHINA})
    assert (_label(fresh), fresh.headers["X-Cache"]) == ("China (v2)", "miss")


def test_errors_and_posts_are_not_replayed(settings, make_app) -> None:
    client = make_app(settings).test_client()
    for _ in range(2):
        bad = client.get("/sparql", query_string={"query": "SELECT nonsense"})
        assert bad.status_code == 400 and "X-Cache" not in bad.headers
    posted = [client.post("/sparql", data={"query": LABEL_OF_CHINA + " # post"})
              for _ in range(2)]
    assert [p.headers["X-Cache"] for p in posted] == ["miss", "hit"]  # the engine's cache
    assert posted[0].data == posted[1].data


def test_a_rate_limit_sees_every_request(settings, make_app) -> None:
    """A request the response cache replays still counts against the client's rate."""
    client = make_app(settings.with_(rate_limit_per_minute=2)).test_client()
    answers = [client.get("/sparql", query_string={"query": LABEL_OF_CHINA}) for _ in range(3)]
    assert [(r.status_code, r.headers.get("X-Cache")) for r in answers] == [
        (200, "miss"), (200, "hit"), (429, None)]
    assert answers[1].data == answers[0].data


def test_cache_off_means_every_answer_is_computed(settings, make_app) -> None:
    client = make_app(settings.with_(cache_entries=0)).test_client()
    marks = [client.get("/sparql", query_string={"query": LABEL_OF_CHINA}).headers["X-Cache"]
             for _ in range(2)]
    assert marks == ["miss", "miss"]


def test_result_cache_keeps_to_its_byte_budget() -> None:
    from entente.server.cache import ResultCache

    cache: ResultCache[bytes] = ResultCache(10, max_bytes=10, size=len)
    cache.put(("v", "a"), b"a" * 6)
    cache.put(("v", "b"), b"b" * 6)  # 12 bytes > 10: the least recently used goes
    assert cache.get(("v", "a")) is None and cache.get(("v", "b")) == b"b" * 6
    cache.put(("v", "c"), b"c" * 11)  # larger than the whole budget: not kept
    assert cache.get(("v", "c")) is None and cache.bytes == 6
    cache.put(("v", "b"), b"B" * 4)  # replacing an entry re-counts it
    assert cache.bytes == 4
    cache.drop_versions_except("w")
    assert cache.bytes == 0 and len(cache) == 0


def test_a_result_over_a_quarter_of_the_budget_is_cached_by_neither_cache(settings,
                                                                          make_app) -> None:
    client = make_app(settings.with_(cache_mb=1)).test_client()  # the cap: 256 KiB
    big = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 4000"
    got = [client.get("/sparql", query_string={"query": big}) for _ in range(2)]
    posted = [client.post("/sparql", data={"query": big}) for _ in range(2)]
    assert all(r.status_code == 200 for r in got + posted)
    assert len(got[0].data) > 256 * 1024 and got[0].data == posted[1].data
    assert [r.headers["X-Cache"] for r in got + posted] == ["miss"] * 4
    small = [client.post("/sparql", data={"query": LABEL_OF_CHINA}) for _ in range(2)]
    assert [r.headers["X-Cache"] for r in small] == ["miss", "hit"]
