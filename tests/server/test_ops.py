"""Operations: health, metrics, logs, live store rebuilds, SPARQL Update, `entente serve`."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from entente.server.app import create_app

from .conftest import dataset_lines, publish_dataset, start_server, stop_server  # noqa: TID252

BASE = "https://entente.example.org/"
LABEL_OF_CHINA = (f"SELECT ?l WHERE {{ <{BASE}id/state/china> "
                  "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }")
TOKEN = "s3cret-token"


def test_healthz(make_app, test_store) -> None:
    import time

    made = time.time()
    client = make_app().test_client()
    r = client.get("/healthz")
    asked = time.time()
    assert r.status_code == 200
    body = r.get_json()
    assert body["status"] == "ok"
    assert body["version"] == test_store.version
    assert body["quads"] == 353
    assert body["store"] == str(test_store.link)
    # seconds since the app was made (to a tenth): within the time the test took to get here
    assert isinstance(body["uptime_s"], float)
    assert 0 <= body["uptime_s"] <= round(asked - made, 1) + 0.1


def test_healthz_is_503_when_the_store_is_gone(settings, tmp_path: Path) -> None:
    store = tmp_path / "store"
    info = publish_dataset(store, dataset_lines())
    app = create_app(settings.with_(store=store))
    try:
        store.unlink()
        r = app.test_client().get("/healthz")
        assert r.status_code == 503
        body = r.get_json()
        assert body["status"] == "unavailable"
        assert str(store) in body["error"]
    finally:
        app.extensions["entente.engine"].close()
    assert info.root.is_dir()


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """The samples of a Prometheus text exposition: (name, sorted labels) -> value."""
    from prometheus_client.parser import text_string_to_metric_families

    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


METRIC_TYPES = {
    "entente_requests_total": ("counter", "HTTP requests by endpoint and status."),
    "entente_query_seconds": ("histogram", "Query time by endpoint or canned query name."),
    "entente_query_timeouts_total": ("counter", "Queries stopped by the time limit."),
    "entente_cache_hits_total": ("counter", "Results answered from the result cache."),
    "entente_rate_limited_total": ("counter", "Requests refused by the rate limit."),
    "entente_store_quads": ("gauge", "Quads in the store version being served."),
}


def test_metrics(settings) -> None:
    app = create_app(settings)
    try:
        client = app.test_client()
        for _ in range(2):
            client.get("/sparql", query_string={"query": LABEL_OF_CHINA})
        client.get("/sparql", query_string={"query": "SELECT nonsense"})
        r = client.get("/metrics")
        assert r.mimetype == "text/plain"
        assert r.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
        text = r.get_data(as_text=True)
        for name, (kind, help_text) in METRIC_TYPES.items():
            assert f"# HELP {name} {help_text}\n# TYPE {name} {kind}\n" in text
        assert "_created" not in text
        got = samples(text)
        sparql = (("endpoint", "sparql.sparql"),)
        assert got["entente_requests_total", (*sparql, ("status", "200"))] == 2
        assert got["entente_requests_total", (*sparql, ("status", "400"))] == 1
        query = (("query", "sparql.sparql"),)
        assert got["entente_query_seconds_count", query] == 1  # one miss, one cache hit
        assert got["entente_query_seconds_bucket", (("le", "+Inf"), *query)] == 1
        assert got["entente_query_seconds_bucket", (("le", "60.0"), *query)] == 1
        assert 0 < got["entente_query_seconds_sum", query] < 60
        assert got["entente_cache_hits_total", ()] == 1
        assert got["entente_query_timeouts_total", ()] == 0
        assert got["entente_rate_limited_total", ()] == 0
        assert got["entente_store_quads", ()] == 353
        # a second app in the same process counts on its own
        other = create_app(settings)
        try:
            fresh = samples(other.test_client().get("/metrics").get_data(as_text=True))
            assert ("entente_requests_total", (*sparql, ("status", "200"))) not in fresh
            assert fresh["entente_cache_hits_total", ()] == 0
        finally:
            other.extensions["entente.engine"].close()
    finally:
        app.extensions["entente.engine"].close()


def test_rate_limited_requests_are_counted(make_app) -> None:
    app = make_app(rate_limit_per_minute=1, cache_entries=0)
    client = app.test_client()
    statuses = [client.get("/sparql", query_string={"query": LABEL_OF_CHINA}).status_code
                for _ in range(3)]
    assert statuses == [200, 429, 429]
    got = samples(client.get("/metrics").get_data(as_text=True))
    assert got["entente_rate_limited_total", ()] == 2
    assert got["entente_requests_total", (("endpoint", "sparql.sparql"),
                                          ("status", "429"))] == 2


def test_access_and_slow_query_logs(make_app, caplog: pytest.LogCaptureFixture) -> None:
    app = make_app(slow_query_ms=0.0)
    with caplog.at_level(logging.INFO, logger="entente"):
        app.test_client().get("/sparql", query_string={"query": LABEL_OF_CHINA + " # log"})
    access = [json.loads(r.getMessage()) for r in caplog.records if r.name == "entente.access"]
    assert len(access) == 1
    line = access[0]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/sparql", 200)
    assert line["rows"] == 1 and line["cached"] is False and len(line["query_hash"]) == 12
    # the request's time holds its query's (a round trip to a query process: not 0.00 ms)
    assert isinstance(line["duration_ms"], float) and isinstance(line["query_ms"], float)
    assert 0 < line["query_ms"] <= line["duration_ms"]
    slow = [json.loads(r.getMessage()) for r in caplog.records if r.name == "entente.slow"]
    assert len(slow) == 1 and slow[0]["query"].endswith("# log")


def _label(server) -> str:  # noqa: ANN001
    r = server.get("sparql", params={"query": LABEL_OF_CHINA})
    assert r.status_code == 200, r.text
    return r.json()["results"]["bindings"][0]["l"]["value"]


def test_rebuild_is_picked_up_without_failed_requests(tmp_path: Path) -> None:
    store = tmp_path / "store"
    publish_dataset(store, dataset_lines())
    server = start_server(store, "--workers", "2", "--threads", "4")
    try:
        assert _label(server) == "China"
        failures: list[str] = []
        seen: set[str] = set()
        stop = threading.Event()

        def hammer() -> None:
            while not stop.is_set():
                try:
                    r = server.get("sparql", params={"query": LABEL_OF_CHINA})
                except requests.RequestException as exc:
                    failures.append(repr(exc))
                    continue
                if r.status_code != 200:
                    failures.append(f"{r.status_code} {r.text}")
                else:
                    seen.add(r.json()["results"]["bindings"][0]["l"]["value"])

        threads = [threading.Thread(target=hammer) for _ in range(3)]
        for t in threads:
            t.start()
        new = publish_dataset(store, dataset_lines(extra_label=" (rebuilt)"))
        deadline = time.monotonic() + 90  # a bound on waiting, not a timing assertion
        while "China (rebuilt)" not in seen and time.monotonic() < deadline and not failures:
            stop.wait(0.1)
        stop.set()
        for t in threads:
            t.join(30)
        assert failures == []
        assert "China (rebuilt)" in seen
        # every worker polls the store link at most once a second: soon all answer the new data
        streak, answers = 0, []
        while streak < 6 and time.monotonic() < deadline:
            answers.append(_label(server))
            streak = streak + 1 if answers[-1] == "China (rebuilt)" else 0
            time.sleep(0.1)
        assert streak == 6, answers[-20:]
        versions = [server.get("healthz").json()["version"] for _ in range(20)]
        assert versions[-1] == new.version, versions
    finally:
        output = stop_server(server)
    assert f"Entente is serving {server.url} (SPARQL endpoint: {server.url}sparql)" in output


@pytest.fixture()
def update_app(settings, tmp_path: Path):  # noqa: ANN201
    store = tmp_path / "store"
    publish_dataset(store, dataset_lines())
    app = create_app(settings.with_(store=store, update_enabled=True, update_token=TOKEN))
    yield app
    app.extensions["entente.engine"].close()


INSERT = (f"INSERT DATA {{ GRAPH <{BASE}graph/extra> {{ <{BASE}id/state/china> "
          f"<{BASE}ontology#memberOf> <{BASE}id/org/new-club> }} }}")
ASK_NEW = f"ASK {{ <{BASE}id/state/china> ?p <{BASE}id/org/new-club> }}"
#: the quads of an update's record (its graph) before the lines on the graphs it changed
RECORD = 12


def test_update_is_off_by_default(client) -> None:
    r = client.post("/update", data={"update": INSERT},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 404
    assert "disabled" in r.get_json()["error"]


def test_update_needs_the_token(update_app) -> None:
    client = update_app.test_client()
    r = client.post("/update", data={"update": INSERT})
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    r = client.post("/update", data={"update": INSERT}, headers={"Authorization": "Bearer nope"})
    assert r.status_code == 403
    assert client.get("/sparql", query_string={"query": ASK_NEW}).get_json()["boolean"] is False


def test_update_applies_and_is_visible(update_app) -> None:
    client = update_app.test_client()
    r = client.post("/update", data=INSERT.encode(), content_type="application/sparql-update",
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.get_json()["quads"] == 353 + 1 + RECORD + 1  # (+ graph/extra wasGeneratedBy it)
    answer = client.get("/sparql", query_string={"query": ASK_NEW})
    assert answer.get_json()["boolean"] is True
    assert answer.headers["X-Store-Version"] == r.get_json()["version"]


def test_an_insert_into_the_default_graph_lands_in_the_updates_graph(update_app) -> None:
    """Entente's data lives in named graphs and every count is per named graph: a triple an
    update writes into the default graph is moved into graph/updates (VoID once said one
    triple fewer than the manifest)."""
    client = update_app.test_client()
    insert = (f"INSERT DATA {{ <{BASE}id/state/china> <{BASE}ontology#memberOf> "
              f"<{BASE}id/org/new-club> }}")
    r = client.post("/update", data={"update": insert},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.get_data(as_text=True)
    where = client.get("/sparql", query_string={"query": (
        f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s ?p <{BASE}id/org/new-club> }} }}")},
        headers={"Accept": "text/csv"})
    assert where.get_data(as_text=True) == f"g\r\n{BASE}graph/updates\r\n"
    health = client.get("/healthz").get_json()
    void = client.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    total = next(line for line in void.get_data(as_text=True).splitlines()
                 if line.startswith("<") and "#triples>" in line and "/void#dataset>" in line)
    assert health["quads"] == r.get_json()["quads"] == 353 + 1 + RECORD + 1
    assert total.split()[2] == f'"{353 + 1 + RECORD + 1}"^^<http://www.w3.org/2001/XMLSchema#integer>'


def _update(client, text: str):  # noqa: ANN001, ANN202
    return client.post("/update", data={"update": text},
                       headers={"Authorization": f"Bearer {TOKEN}"})


def _ask(client, query: str) -> bool:  # noqa: ANN001
    return client.get("/sparql", query_string={"query": query}).get_json()["boolean"]


def test_an_update_s_default_graph_is_the_union_as_a_query_s(update_app) -> None:
    """sd:UnionDefaultGraph for updates too: what INSERT DATA put in the default graph,
    DELETE DATA takes out (rdflib's SPARQLUpdateStore add then remove); a WHERE matches the
    data in the named graphs; a triple deleted from the default graph leaves every graph."""
    client = update_app.test_client()
    triple = f"<{BASE}id/state/china> <{BASE}ontology#memberOf> <{BASE}id/org/new-club>"
    assert _update(client, f"INSERT DATA {{ {triple} }}").status_code == 200
    assert _ask(client, f"ASK {{ {triple} }}") is True
    r = _update(client, f"DELETE DATA {{ {triple} }}")
    # (the two updates' records; the second: graph/updates, emptied, is invalidated)
    assert r.status_code == 200 and r.get_json()["quads"] == 353 + 2 * (RECORD + 1)
    assert _ask(client, f"ASK {{ {triple} }}") is False
    # a WHERE over the union: the build's data in its graphs
    member = f"<{BASE}id/state/china> <{BASE}ontology#memberOf> ?org"
    copied = (f"INSERT {{ GRAPH <{BASE}graph/copy> {{ <{BASE}id/state/china> <{BASE}x> ?org }} }}"
              f" WHERE {{ {member} }}")
    assert _update(client, copied).status_code == 200
    assert _ask(client, f"ASK {{ GRAPH <{BASE}graph/copy> {{ ?s <{BASE}x> ?o }} }}") is True
    # deleted from the default graph: from the graph that held it
    assert _ask(client, f"ASK {{ GRAPH ?g {{ {member} }} }}") is True
    assert _update(client, f"DELETE WHERE {{ {member} }}").status_code == 200
    assert _ask(client, f"ASK {{ GRAPH ?g {{ {member} }} }}") is False
    assert _ask(client, f"ASK {{ GRAPH <{BASE}graph/copy> {{ ?s <{BASE}x> ?o }} }}") is True
    # out of the union and into one graph: moved there
    label = f"<{BASE}id/state/china> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l"
    moved = f"DELETE {{ {label} }} INSERT {{ GRAPH <{BASE}graph/moved> {{ {label} }} }} " \
            f"WHERE {{ {label} }}"
    assert _update(client, moved).status_code == 200
    where = client.get("/sparql", query_string={"query": f"SELECT ?g WHERE {{ GRAPH ?g {{ "
                                                         f"{label} }} }}"},
                       headers={"Accept": "text/csv"})
    assert where.get_data(as_text=True) == f"g\r\n{BASE}graph/moved\r\n"


def test_blank_nodes_stay_in_their_graph_and_leave_the_union_with_their_triple(
        settings, tmp_path: Path) -> None:  # noqa: ANN001
    """The ontology's OWL lists are blank nodes.  Every update copied each blank-node triple
    into graph/updates (the changes were found by comparing the store with a second load
    of the dump, whose blank nodes the engine names anew); a triple of them deleted from
    the default graph stayed in its graph."""
    store = tmp_path / "store"
    onto = f"<{BASE}graph/ontology>"
    lists = [f"_:list <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> <{BASE}ontology#State> "
             f"{onto} .",
             f"_:list <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> "
             f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> {onto} ."]
    publish_dataset(store, sorted(dataset_lines() + lists))
    app = create_app(settings.with_(store=store, update_enabled=True, update_token=TOKEN))
    try:
        client = app.test_client()
        first = f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#first> <{BASE}ontology#State>"
        graphs = f"SELECT ?g WHERE {{ GRAPH ?g {{ ?list {first} }} }}"
        assert _update(client, f"INSERT DATA {{ <{BASE}a> <{BASE}b> <{BASE}c> }}"
                       ).status_code == 200
        where = client.get("/sparql", query_string={"query": graphs},
                           headers={"Accept": "text/csv"}).get_data(as_text=True)
        assert where == f"g\r\n{BASE}graph/ontology\r\n"
        updates = client.get("/sparql", query_string={"query": (
            f"SELECT ?s ?p ?o WHERE {{ GRAPH <{BASE}graph/updates> {{ ?s ?p ?o }} }}")},
            headers={"Accept": "text/csv"}).get_data(as_text=True)
        assert updates == f"s,p,o\r\n{BASE}a,{BASE}b,{BASE}c\r\n"
        assert _update(client, f"DELETE WHERE {{ ?list {first} }}").status_code == 200
        assert _ask(client, f"ASK {{ GRAPH ?g {{ ?list {first} }} }}") is False
        assert _ask(client, "ASK { GRAPH ?g { ?list <http://www.w3.org/1999/02/22-rdf-syntax-ns"
                            "#rest> ?rest } }") is True
    finally:
        app.extensions["entente.engine"].close()


def test_an_update_is_recorded_with_its_provenance(update_app) -> None:
    """No triple without provenance: an update's changes were anonymous.  Each update has a
    record graph: the activity, its times, the request (its text and SHA-256), and the graphs
    it made, changed and emptied."""
    import hashlib
    import re

    client = update_app.test_client()
    before = client.get("/healthz").get_json()["version"]
    previous = update_app.extensions["entente.engine"].info.manifest["sha256"]
    label = f"<{BASE}id/state/china> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l"
    text = (f"DELETE {{ {label} }} INSERT {{ GRAPH <{BASE}graph/moved> {{ {label} }} }} "
            f"WHERE {{ {label} }} ;\nDROP GRAPH <{BASE}graph/build>")
    r = _update(client, text)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.get_json()["version"] != before
    key = hashlib.sha256(f"{previous}\n{text}".encode()).hexdigest()[:12]
    assert r.get_json()["provenance"] == f"{BASE}id/update/{key}"
    page = client.get(f"/id/update/{key}/request", headers={"Accept": "application/n-triples"})
    assert page.status_code == 200 and hashlib.sha256(text.encode()).hexdigest() in page.text
    found = client.get("/sparql", query_string={"query": (
        f"SELECT ?s ?p ?o WHERE {{ GRAPH <{BASE}graph/update/{key}> {{ ?s ?p ?o }} }}")})
    rows = {tuple(b[v]["value"] for v in "spo")
            for b in found.get_json()["results"]["bindings"]}
    prov, activity = "http://www.w3.org/ns/prov#", f"{BASE}id/update/{key}"
    times = {row for row in rows if row[1].endswith("AtTime")}
    assert {p for _, p, _ in times} == {prov + "startedAtTime", prov + "endedAtTime"}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", o) for _, _, o in times)
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    digest = hashlib.sha256(text.encode()).hexdigest()
    assert rows - times == {
        (f"{BASE}graph/entities", prov + "wasInfluencedBy", activity),
        (f"{BASE}graph/moved", prov + "wasGeneratedBy", activity),
        (f"{BASE}graph/update/{key}", prov + "wasGeneratedBy", activity),
        (f"{BASE}graph/update/{key}", rdf_type, prov + "Entity"),
        (activity, rdf_type, prov + "Activity"),
        (activity, "http://www.w3.org/2000/01/rdf-schema#label", f"SPARQL Update {key}"),
        (activity, prov + "invalidated", f"{BASE}graph/build"),
        (activity, prov + "used", f"{activity}/request"),
        (activity, prov + "wasAssociatedWith", f"{BASE}id/software/entente"),
        (f"{activity}/request", "http://purl.org/dc/terms/format", "application/sparql-update"),
        (f"{activity}/request", rdf_type, prov + "Entity"),
        (f"{activity}/request", f"{BASE}ontology#sha256", digest),
        (f"{activity}/request", prov + "value", text),
    }


def test_a_long_update_is_recorded_by_its_hash_alone(update_app) -> None:
    """A push's batch (thousands of triples) is not stored a second time as text."""
    from entente.server.update import RECORDED_TEXT_CHARS

    body = "".join(f"<{BASE}id/x/{i}> <{BASE}ontology#memberOf> <{BASE}id/org/new-club> .\n"
                   for i in range(RECORDED_TEXT_CHARS // 80 + 1))
    client = update_app.test_client()
    assert _update(client, f"INSERT DATA {{ {body} }}").status_code == 200
    values = client.get("/sparql", query_string={"query": (
        "SELECT (COUNT(?v) AS ?n) (COUNT(?h) AS ?hashes) WHERE { ?r <http://purl.org/dc/terms/"
        "format> \"application/sparql-update\" ; <https://entente.example.org/ontology#sha256> "
        "?h OPTIONAL { ?r <http://www.w3.org/ns/prov#value> ?v } }")}).get_json()
    row = values["results"]["bindings"][0]
    assert (row["n"]["value"], row["hashes"]["value"]) == ("0", "1")


def test_an_update_out_of_memory_is_not_the_client_s_error(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """At 1M triples an update under the default memory cap ran out of memory in Python and
    answered 400 'the update failed: MemoryError:' (a client would not retry, nor could fix
    it): the child says "memory", which the endpoint answers with a 503 naming the setting."""
    import pyoxigraph as ox
    from entente.server import update as update_module

    class Pipe:
        sent: list[tuple] = []

        def send(self, message: tuple) -> None:
            self.sent.append(message)

    def out_of_memory(*_args: object, **_kwargs: object) -> bytes:
        raise MemoryError()

    dump = tmp_path / "d.nq"
    dump.write_text("".join(line + "\n" for line in dataset_lines()), encoding="utf-8")
    monkeypatch.setattr(ox, "serialize", out_of_memory)
    update_module._apply(Pipe(), str(dump), INSERT, str(tmp_path / "out.nq"), 0, BASE, "")
    assert Pipe.sent == [("memory", "")]
    assert not (tmp_path / "out.nq").exists()


def test_an_update_the_engine_refuses_is_a_400_that_changes_nothing(update_app) -> None:
    """CREATE of a graph that exists is an error (Update 3.2.3); it was a 503 'crashed'."""
    client = update_app.test_client()
    before = client.get("/healthz").get_json()["version"]
    r = _update(client, f"CREATE GRAPH <{BASE}graph/entities>")
    assert r.status_code == 400, r.get_data(as_text=True)
    assert r.get_json()["error"].startswith("the update failed: ")
    assert "already exists" in r.get_json()["error"]
    assert client.get("/healthz").get_json()["version"] == before


def test_another_worker_answers_a_query_after_an_update_from_the_new_version(
        update_app, settings) -> None:
    """Read your writes across workers: with updates on, a worker reads the store link on
    every request (it had looked once a second: an audit saw 7-10% stale answers)."""
    import time as _time

    store = update_app.extensions["entente.engine"].settings.store
    other = create_app(settings.with_(store=store, update_enabled=True, update_token=TOKEN))
    try:
        engine = other.extensions["entente.engine"]
        r = _update(update_app.test_client(), INSERT)
        assert r.status_code == 200, r.get_data(as_text=True)
        engine._checked = _time.monotonic()  # (as a worker that looked a moment ago)
        answer = other.test_client().get("/sparql", query_string={"query": ASK_NEW})
        assert answer.get_json()["boolean"] is True
        assert answer.headers["X-Store-Version"] == r.get_json()["version"]
    finally:
        other.extensions["entente.engine"].close()


def test_the_update_endpoint_is_a_service_of_its_own(update_app) -> None:
    """/sparql refuses updates: SPARQL11Update is the language of another sd:Service, whose
    endpoint is /update (Service Description 3.2)."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    sd = "http://www.w3.org/ns/sparql-service-description#"
    body = update_app.test_client().get("/sparql", headers={"Accept": "text/turtle"}).data
    g = Graph().parse(data=body, format="turtle")
    services = {str(s): {str(o) for o in g.objects(s, URIRef(sd + "supportedLanguage"))}
                for s in g.subjects(RDF.type, URIRef(sd + "Service"))}
    assert services == {"http://localhost/sparql#service": {sd + "SPARQL11Query"},
                        "http://localhost/update#service": {sd + "SPARQL11Update"}}
    assert g.value(URIRef("http://localhost/update#service"), URIRef(sd + "endpoint")) == \
        URIRef("http://localhost/update")


def test_a_batch_of_push_s_size_is_not_too_long_for_update(update_app) -> None:
    """INSERT DATA is flat data, as VALUES is: its tokens are not counted against the 5,000
    the lexer allows (``entente push``'s default batch of 1,000 triples, 5,028 tokens, was
    refused by Entente's own /update); a long expression in a WHERE still is."""
    from entente.graph.push import UPDATE_BATCH

    body = "".join(f"<{BASE}id/x/{i}> <{BASE}ontology#memberOf> <{BASE}id/org/new-club> .\n"
                   for i in range(UPDATE_BATCH))
    client = update_app.test_client()
    r = client.post("/update", data=f"INSERT DATA {{ GRAPH <{BASE}graph/extra> {{\n{body}}} }}",
                    content_type="application/sparql-update",
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.get_data(as_text=True)
    count = client.get("/sparql", query_string={"query": f"SELECT (COUNT(*) AS ?n) {{ GRAPH "
                                                f"<{BASE}graph/extra> {{ ?s ?p ?o }} }}"})
    assert count.get_json()["results"]["bindings"][0]["n"]["value"] == str(UPDATE_BATCH)
    chain = "+".join(["1"] * 3000)
    long = client.post("/update", data=f"DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o "
                       f"FILTER({chain} > 0) }}", content_type="application/sparql-update",
                       headers={"Authorization": f"Bearer {TOKEN}"})
    assert long.status_code == 400
    assert long.get_json()["error"] == ("update is too long: 6016 tokens outside VALUES and "
                                        "DATA blocks; the limit is 5000")


def test_failing_update_changes_nothing(update_app) -> None:
    client = update_app.test_client()
    before = client.get("/healthz").get_json()["version"]
    r = client.post("/update", data={"update": "INSERT DATA { <not closed"},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 400
    assert r.get_json()["error"].startswith("malformed update: ")
    assert client.get("/healthz").get_json()["version"] == before


def test_serve_refuses_a_missing_store(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = subprocess.run(
        [sys.executable, "-m", "entente", "serve", "--store", str(missing), "--port", "1"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(missing) in lines[0] and lines[0].startswith("entente serve: error:")


@pytest.mark.parametrize(("host", "code", "message"), [
    ("999.1.1.1", 2, "entente serve: error: --host (ENTENTE_HOST) '999.1.1.1': not a host "
                     "name or an IP address"),
    ("10.255.255.1", 1, "entente serve: error: cannot listen on 10.255.255.1:"),
    ("127.0.0.1", 1, "entente serve: error: cannot listen on 127.0.0.1:"),  # (the port in use)
])
def test_serve_that_cannot_listen_says_so_in_one_line(tmp_path: Path, host: str, code: int,
                                                      message: str) -> None:
    """granian raised these as a traceback of ~70 lines (a Rust backtrace among them)."""
    import socket

    info = publish_dataset(tmp_path / "store", dataset_lines())
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "entente", "serve", "--store", str(info.link), "--host", host,
             "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), result.stderr


def test_serve_prints_its_url_once_it_answers_and_ctrl_c_exits_130(tmp_path: Path) -> None:
    """The URL is printed when a request to it is answered (it was printed ~1 s before the
    workers had loaded the app).  A terminal's Ctrl-C reaches the whole process group: the
    query children ignore it and end with their worker (each printed a KeyboardInterrupt
    traceback), and serve exits 130 as every command does (it exited 0).

    Workers ignore SIGINT (a worker that took it and the main process's SIGTERM sometimes
    waited until it was killed 10 s later: not asserted, under load granian's kill warning
    also comes at once).  A query process still importing its modules printed a
    KeyboardInterrupt traceback, and one whose worker was stopped while it started a broken
    pipe's ("Process entente-query:")."""
    import os
    import signal
    import urllib.request

    proc, port = _serve_a_small_store(tmp_path)
    try:
        line = proc.stdout.readline()
        assert line.startswith(f"Entente is serving http://127.0.0.1:{port}/"), line
        # no retry: once the line is out, the first request is answered
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D",
                                      timeout=30).read()
        assert b'"boolean": true' in body or b'"boolean":true' in body
        # each web worker ignores SIGINT, once granian has set its handlers (the hook in
        # serve._worker_signals depends on how granian 2 imports them: this checks it holds)
        deadline = time.monotonic() + 30  # (a bound on waiting for the workers to load)
        while not _workers_ignore_sigint(proc.pid):
            assert time.monotonic() < deadline, "a web worker does not ignore SIGINT"
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert "Traceback" not in err, err
    assert proc.returncode == 130
    assert err.strip().splitlines()[-1] == "entente serve: interrupted"


def _workers_ignore_sigint(main: int) -> bool:
    """Whether every web worker (child) of the server's main process ignores SIGINT, with
    granian's handler for SIGTERM in place (Linux: /proc's signal masks)."""
    import signal

    children = subprocess.run(["pgrep", "-P", str(main)], capture_output=True,
                              text=True).stdout.split()
    masks = []
    for pid in children:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return False
        fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
        masks.append((int(fields["SigIgn"], 16), int(fields["SigCgt"], 16)))
    return bool(masks) and all(ignored >> (signal.SIGINT - 1) & 1
                                   and caught >> (signal.SIGTERM - 1) & 1
                                   for ignored, caught in masks)


def _serve_a_small_store(tmp_path: Path) -> tuple[subprocess.Popen, int]:
    """``entente serve`` of a small store on a free port, in a session of its own (a
    signal to its group is a terminal's Ctrl-C); (process, port)."""
    import socket

    info = publish_dataset(tmp_path / "store", dataset_lines())
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "entente", "serve", "--store", str(info.link), "--port",
         str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    return proc, port


def test_serve_stopped_by_sigterm_exits_0(tmp_path: Path) -> None:
    """SIGTERM is a supervisor's clean stop (systemd, a container runtime): exit 0."""
    import signal

    proc, _ = _serve_a_small_store(tmp_path)
    try:
        assert proc.stdout.readline().startswith("Entente is serving")
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "interrupted" not in err, err


def test_serve_refuses_a_corrupt_store(tmp_path: Path) -> None:
    info = publish_dataset(tmp_path / "store", dataset_lines())
    (info.oxigraph_path / "CURRENT").write_text("garbage\n")
    result = subprocess.run(
        [sys.executable, "-m", "entente", "serve", "--store", str(info.link), "--port", "1"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"entente serve: error: {info.oxigraph_path}: ")
    assert "Traceback" not in result.stderr


def test_create_app_on_a_corrupt_store_names_it(settings, tmp_path: Path) -> None:
    from entente.errors import StoreError

    info = publish_dataset(tmp_path / "store", dataset_lines())
    (info.oxigraph_path / "CURRENT").write_text("garbage\n")
    with pytest.raises(StoreError, match=str(info.oxigraph_path)):
        create_app(settings.with_(store=info.link))


def test_a_byte_order_mark_before_an_update_body_is_not_read_as_sparql(update_app) -> None:
    client = update_app.test_client()
    r = client.post("/update", data=b"\xef\xbb\xbf" + INSERT.encode(),
                    content_type="application/sparql-update",
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert client.get("/sparql", query_string={"query": ASK_NEW}).get_json()["boolean"] is True
