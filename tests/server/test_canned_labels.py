"""An IRI parameter of a canned query also takes a label: ``?actor=China`` is the actor
labelled "China" (in any case, by its preferred or alternative label), so an analyst need
not know the IRIs; a label that names nothing, or several things, is a 400 saying so."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from entente.config import Settings

from .conftest import dataset_lines, publish_dataset  # noqa: TID252

BASE = "https://entente.example.org/"
LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"


def _app(store: Path, **settings: object):  # noqa: ANN202 - a Flask app
    from entente.server.app import create_app

    return create_app(Settings().with_(store=store, query_timeout=20.0, **settings))


@pytest.fixture(scope="module")
def client(mini_store_link: Path) -> Iterator:
    app = _app(mini_store_link)
    yield app.test_client()
    app.extensions["entente.engine"].close()


def _csv(client, query_string: str) -> str:  # noqa: ANN001
    r = client.get(f"/queries/about-actor?format=csv&{query_string}")
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_data(as_text=True)


@pytest.mark.parametrize("label", ["China", "china", "CHINA", "PRC", "prc", "  China "])
def test_a_label_stands_for_its_resource(client, label: str) -> None:
    by_iri = _csv(client, "actor=id/state/china")
    assert by_iri.count("\n") > 1  # rows, not only the header
    assert _csv(client, f"actor={label}") == by_iri


def test_the_form_page_takes_a_label(client) -> None:
    page = client.get("/queries/about-actor?actor=Russia", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert 'href="/id/state/russia"' in page.get_data(as_text=True)


def test_a_label_of_nothing_is_a_400(client) -> None:
    r = client.get("/queries/about-actor?actor=Atlantis")
    assert (r.status_code, r.get_json()) == (400, {
        "error": "parameter 'actor': no resource is labelled 'Atlantis'; give a label such as "
                 "China, or an IRI such as id/state/china",
        "status": 400, "parameter": "actor"})


def test_a_label_of_several_things_is_a_400_naming_them(tmp_path: Path) -> None:
    twins = [f'<{BASE}id/state/{n}> <{LABEL}> "Twin"@en <{BASE}graph/entities> .'
             for n in ("twin-a", "twin-b")]
    store = tmp_path / "store"
    publish_dataset(store, sorted({*dataset_lines(), *twins}))
    app = _app(store)
    try:
        r = app.test_client().get("/queries/shared-memberships?a=twin&b=China")
    finally:
        app.extensions["entente.engine"].close()
    assert (r.status_code, r.get_json()["error"]) == (400, (
        f"parameter 'a': 'twin' labels 2 resources ({BASE}id/state/twin-a, "
        f"{BASE}id/state/twin-b); give the IRI of one"))


@pytest.mark.parametrize(("value", "why"), [
    ("a:b", "absolute http(s), base-relative such as id/state/china, or a label"),
    ("x\ty", "holds the control character U+0009"),
])
def test_what_is_neither_an_iri_nor_a_label(client, value: str, why: str) -> None:
    r = client.get("/queries/about-actor", query_string={"actor": value})
    assert (r.status_code, r.get_json()["error"]) == (
        400, f"parameter 'actor': not an IRI: {value!r} ({why})")


def test_a_document_title_stands_for_its_document(built_store) -> None:  # noqa: ANN001
    """A document has no label but its title (dcterms:title), which the forms offer as
    "IRI or label" and claims-by-source shows as an anonymous source's label: both are
    taken back (they were "no resource is labelled")."""
    app = _app(built_store.link)
    try:
        client = app.test_client()

        def csv(path: str, **params: str) -> str:
            r = client.get(path, query_string={**params, "format": "csv"})
            assert r.status_code == 200, r.get_data(as_text=True)
            return r.get_data(as_text=True)

        dw = "id/document/dw-2022-02-03-ukraine-crisis-russia-china"
        by_iri = csv("/queries/assertions", document=dw)
        assert by_iri.count("\n") > 10
        assert csv("/queries/assertions",
                   document="Can the Ukraine crisis push Russia closer to China?") == by_iri
        threat = "id/document/threat-assessment-beijing-moscow-cooperation"
        title = ("Russia's war against Ukraine has not changed Beijing's goal of strengthening "
                 "strategic cooperation with Moscow")
        by_source = csv("/queries/claims-by-source", source=threat)
        assert by_source.count("\n") > 1 and csv("/queries/claims-by-source",
                                                  source=title) == by_source
    finally:
        app.extensions["entente.engine"].close()


def test_the_form_suggests_actor_labels(client) -> None:
    page = client.get("/queries/shared-memberships", headers={"Accept": "text/html"}
                      ).get_data(as_text=True)
    datalist = page.split('<datalist id="actor-labels">', 1)[1].split("</datalist>", 1)[0]
    labels = re.findall(r'<option value="([^"]*)">', datalist)
    assert labels == sorted(labels)
    assert {"China", "Russia", "India", "BRICS", "Ann Author"} <= set(labels)
    assert "Central Asia" not in labels  # a region, no actor
    assert len(re.findall(r'list="actor-labels"', page)) == 2  # a and b
    document_form = client.get("/queries/economic-figures", headers={"Accept": "text/html"})
    assert "actor-labels" not in document_form.get_data(as_text=True)  # a document parameter


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """The mini store with labels that str.title(), .capitalize(), .upper() and .lower() of a
    lower- or upper-case text never give ("People's Republic of China": "People'S Republic
    Of China"), and "Twin" and "twin" as labels of two actors."""
    alt = "http://www.w3.org/2004/02/skos/core#altLabel"
    graph = f"<{BASE}graph/entities>"
    extra = [f'<{BASE}id/state/china> <http://www.w3.org/2000/01/rdf-schema#label> '
             f'"People\'s Republic of China" {graph} .',
             f'<{BASE}id/state/russia> <{alt}> "the Russian Federation"@en {graph} .',
             f'<{BASE}id/state/china> <{alt}> "Twin"@en {graph} .',
             f'<{BASE}id/state/russia> <{alt}> "twin"@en {graph} .']
    import pyoxigraph
    from entente.graph.store import publish

    from .conftest import MINI_TRIG  # noqa: TID252

    root = tmp_path_factory.mktemp("labelled")
    mini = pyoxigraph.Store()
    mini.load(path=str(MINI_TRIG), format=pyoxigraph.RdfFormat.TRIG)
    lines = pyoxigraph.serialize(mini, format=pyoxigraph.RdfFormat.N_QUADS).decode()
    (root / "labelled.nq").write_text(lines + "\n".join(extra) + "\n", encoding="utf-8")
    app = _app(publish(root / "labelled.nq", root / "store",
                       {"ontology.html": b"<html></html>"}).link)
    yield app.test_client()
    app.extensions["entente.engine"].close()


@pytest.mark.parametrize(("label", "iri"), [
    ("people's republic of china", "id/state/china"),
    ("PEOPLE'S REPUBLIC OF CHINA", "id/state/china"),
    ("The Russian Federation", "id/state/russia"),
    # the label as given first: "Twin" is China's, "twin" Russia's
    ("Twin", "id/state/china"),
    ("twin", "id/state/russia"),
])
def test_a_label_in_any_case_stands_for_its_resource(labelled, label: str, iri: str) -> None:
    by_iri = _csv(labelled, f"actor={iri}")
    assert by_iri.count("\n") > 1
    assert _csv(labelled, f"actor={label}") == by_iri


def test_a_label_given_in_another_case_of_two_labels_is_a_400(labelled) -> None:
    r = labelled.get("/queries/about-actor", query_string={"actor": "TWIN"})
    assert (r.status_code, r.get_json()["error"]) == (400, (
        f"parameter 'actor': 'TWIN' labels 2 resources ({BASE}id/state/china, "
        f"{BASE}id/state/russia); give the IRI of one"))


@pytest.mark.parametrize("value", ["./id/state/china", "id/../id/state/china",
                                   "id/state/./china", "/id/state/china"])
def test_a_relative_iri_is_resolved_against_the_base(client, value: str) -> None:
    """RFC 3986, 5.2: dot segments removed, a path from the root (a page's URL path) too."""
    assert _csv(client, f"actor={value}") == _csv(client, "actor=id/state/china")


def test_a_network_path_reference_is_refused(client) -> None:
    r = client.get("/queries/about-actor", query_string={"actor": "//evil.example/x"})
    assert r.status_code == 400 and "not an IRI" in r.get_json()["error"]


def test_a_form_page_logs_and_counts_its_canned_query_not_its_lookups(
        client, caplog: pytest.LogCaptureFixture) -> None:
    """The HTML form also resolves the label and looks up actor labels for its suggestions;
    its access line described the suggestions (339 rows on the corpus) instead of the query,
    and the metrics counted all three as the canned query."""
    from prometheus_client.parser import text_string_to_metric_families

    def runs() -> float:
        text = client.get("/metrics").get_data(as_text=True)
        return sum(s.value for f in text_string_to_metric_families(text) for s in f.samples
                   if s.name == "entente_query_seconds_count"
                   and s.labels.get("query") == "about-actor")

    rows = _csv(client, "actor=id/state/china").count("\n") - 1
    before = runs()
    with caplog.at_level(logging.INFO, logger="entente.access"):
        page = client.get("/queries/about-actor?actor=China",
                          headers={"Accept": "text/html"})
    assert page.status_code == 200 and rows > 0
    [line] = [json.loads(r.getMessage()) for r in caplog.records if r.name == "entente.access"]
    assert (line["endpoint"], line["rows"]) == ("canned.run", rows)
    assert runs() - before == 1



def test_the_lookups_a_form_page_makes_are_in_the_slow_query_log(
        mini_store_link: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Left out of the access line, the label lookup and the suggestions are still queries
    the server ran: with every query slow, each has its line in entente.slow."""
    app = _app(mini_store_link, slow_query_ms=0.0)
    try:
        with caplog.at_level(logging.INFO, logger="entente"):
            page = app.test_client().get("/queries/about-actor?actor=Russia",
                                         headers={"Accept": "text/html"})
    finally:
        app.extensions["entente.engine"].close()
    assert page.status_code == 200
    slow = [json.loads(r.getMessage()) for r in caplog.records if r.name == "entente.slow"]
    [line] = [json.loads(r.getMessage()) for r in caplog.records if r.name == "entente.access"]
    texts = [q["query"] for q in slow]
    assert len(slow) == 3 and len({q["query_hash"] for q in slow}) == 3
    assert slow[0]["query_hash"] == line["query_hash"]  # the canned query, then the lookups
    assert all("skos/core#" in text and "prefLabel" in text for text in texts[1:])


def test_a_label_lookup_that_runs_out_of_time_is_run_once(
        mini_store_link: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The fast path met the lookup's time-out and let Flask answer the request, which ran
    the lookup again: a client waited twice the time limit for its 503."""
    from entente.server.errors import QueryTimeout

    app = _app(mini_store_link, cache_entries=0)
    engine = app.extensions["entente.engine"]
    real, lookups = engine.execute, []

    def execute(req):  # noqa: ANN001, ANN202
        if "prefLabel" in req.query and "#+ title" not in req.query:
            lookups.append(req.query)
            exc = QueryTimeout("query exceeded the 20 s time limit")
            exc.query = req.query
            raise exc
        return real(req)

    engine.execute = execute
    try:
        with caplog.at_level(logging.INFO, logger="entente"):
            r = app.test_client().get("/queries/about-actor?actor=Russia&format=csv")
    finally:
        engine.execute = real
        engine.close()
    assert r.status_code == 503 and len(lookups) == 1
    [line] = [json.loads(x.getMessage()) for x in caplog.records if x.name == "entente.access"]
    assert line["timeout"] is True and line["status"] == 503
    [slow] = [json.loads(x.getMessage()) for x in caplog.records if x.name == "entente.slow"]
    assert slow["timeout"] is True and slow["query"] == lookups[0][:4000]
