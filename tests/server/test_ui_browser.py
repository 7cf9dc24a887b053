"""The query UI: its configuration (test client) and a real headless chromium on a live server.

The browser tests drive Debian's chromium (never a downloaded browser) with playwright; they
skip with a reason where chromium or playwright is missing.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from entente.graph import canned
from entente.graph.namespaces import PREFIXES

from entente.config import Settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def app(mini_store_link: Path) -> Iterator:
    from entente.server.app import create_app

    application = create_app(Settings().with_(store=mini_store_link, query_timeout=20.0))
    yield application
    application.extensions["entente.engine"].close()


def _config(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="entente-config">(.*?)</script>',
                      page, re.DOTALL)
    assert match, "the page carries its configuration as a JSON block"
    return json.loads(match.group(1))


def test_index_configures_the_editor(app) -> None:
    response = app.test_client().get("/", headers={"Accept": BROWSER})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    config = _config(page)
    assert config["endpoint"] == "/sparql"
    assert config["prefixes"] == {**PREFIXES, "id": "https://entente.example.org/id/"}
    names = [e["name"] for e in config["examples"]]
    assert names == sorted(canned.load_all())
    assert config["examples"][names.index("assertions")]["query"] == canned.get("assertions").text
    shared = config["examples"][names.index("shared-memberships")]["query"]
    # (the block opens the WHERE group and the groups of the two sub-selects projecting ?a ?b)
    assert shared.count(" VALUES (?a ?b) { (<https://entente.example.org/id/state/china> "
                        "<https://entente.example.org/id/state/russia>) }") == 3
    assert config["downloads"] == {"results": ["json", "xml", "csv", "tsv"],
                                   "graph": ["turtle", "ntriples", "jsonld", "rdfxml"]}
    # no inline script, nothing from another origin
    assert not re.search(r"<script(?![^>]*(src=\"/static/|type=\"application/json\"))", page)
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    prefixes = app.test_client().get("/ui/prefixes.json").get_json()
    assert prefixes["ent"] == "https://entente.example.org/ontology#"


def test_every_example_asks_what_its_canned_query_answers(app) -> None:
    """An example run in the editor gives the rows /queries/<name> gives with no parameter
    (its defaults bound: the bare text of shared-memberships gave every pair of actors)."""
    client = app.test_client()
    config = _config(client.get("/", headers={"Accept": BROWSER}).get_data(as_text=True))
    bound = set()
    for example in config["examples"]:
        ran = client.post("/sparql", data={"query": example["query"]},
                          headers={"Accept": "application/sparql-results+json"})
        canned_rows = client.get(example["url"], headers={"Accept": "application/json"})
        assert ran.status_code == canned_rows.status_code == 200, example["name"]
        assert ran.get_json()["results"] == canned_rows.get_json()["results"], example["name"]
        if "VALUES" in example["query"] and "VALUES" not in canned.get(example["name"]).text:
            bound.add(example["name"])
    assert bound == {"about-actor", "shared-memberships"}  # the queries with defaults


def test_defaults_are_bound_in_each_sub_select_that_projects_them() -> None:
    """Oxigraph does not push a VALUES block into the sub-selects of its group: the block
    opens each sub-select projecting a bound variable (by name or after AS), with those
    variables only; a sub-select that does not project it, SELECT *, strings and IRIs with
    braces are left alone."""
    from entente.server.inject import bind_values_throughout

    query = ('SELECT ?n WHERE { { SELECT ?a (COUNT(?x) AS ?n) WHERE { ?a <p:q> ?x } '
             'GROUP BY ?a } { SELECT ?x WHERE { ?a <p:r> ?x FILTER(?x != "}{") } } '
             '{ SELECT * WHERE { ?a <p:s> ?y } } '
             '{ SELECT (?a AS ?b) ?c WHERE { ?a <p:t> ?c } } }')
    bound = bind_values_throughout(query, {"a": ("iri", "http://a"), "b": ("iri", "http://b")})
    assert bound == (
        'SELECT ?n WHERE { VALUES (?a ?b) { (<http://a> <http://b>) } '
        '{ SELECT ?a (COUNT(?x) AS ?n) WHERE { VALUES (?a) { (<http://a>) } ?a <p:q> ?x } '
        'GROUP BY ?a } { SELECT ?x WHERE { ?a <p:r> ?x FILTER(?x != "}{") } } '
        '{ SELECT * WHERE { ?a <p:s> ?y } } '
        '{ SELECT (?a AS ?b) ?c WHERE { VALUES (?b) { (<http://b>) } ?a <p:t> ?c } } }')
    assert bind_values_throughout(query, {}) == query


def test_fallback_editor_when_yasgui_is_missing(app, monkeypatch: pytest.MonkeyPatch) -> None:
    from entente.server import ui

    monkeypatch.setattr(ui, "yasgui_installed", lambda: False)
    page = app.test_client().get("/").get_data(as_text=True)
    assert 'id="fallback-note"' in page
    assert '<form id="fallback" method="post" action="/sparql">' in page
    assert "yasgui.min.js" not in page


# --- a real browser --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def live_url(serve_store, mini_store_link: Path) -> str:  # noqa: ANN001
    return serve_store(mini_store_link, "--workers", "1").url


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip("Debian chromium is not installed (scripts/install-test-deps.sh installs it)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="the playwright package is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, live_url: str) -> Iterator:
    context = browser.new_context()
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("request", lambda r: problems.append(f"outside request: {r.url}")
           if not r.url.startswith((live_url, "data:")) else None)
    tab.problems = problems
    yield tab
    context.close()


@pytest.mark.browser
def test_run_a_canned_query_and_see_the_table(page, live_url: str) -> None:
    page.goto(live_url)
    yasgui = page.query_selector("#yasgui") is not None
    page.click('button.example[data-name="negated-claims"]')
    rows = ".yasr table tbody tr" if yasgui else "#fallback-results table tbody tr"
    page.wait_for_selector(rows, timeout=20000)
    assert page.locator(rows).count() == 1
    table = page.inner_text(".yasr table" if yasgui else "#fallback-results table")
    assert "Russia is not a member of the SCO, he said." in table
    # result links lead to this server's pages
    hrefs = page.eval_on_selector_all(rows + " a", "els => els.map(e => e.getAttribute('href'))")
    assert "/id/assertion/doc-b-3" in hrefs
    assert "/id/state/russia" in hrefs
    assert page.problems == []


@pytest.mark.browser
def test_open_a_resource_page_and_follow_a_link(page, live_url: str) -> None:
    page.goto(live_url + "id/state/china")
    assert page.inner_text("h1") == "China"
    page.click('#outgoing a[href="/id/org/sco"]')
    page.wait_for_url(live_url + "id/org/sco")
    assert page.inner_text("h1") == "Shanghai Cooperation Organisation"
    page.click('#incoming a[href="/id/state/russia"]')
    page.wait_for_url(live_url + "id/state/russia")
    assert page.inner_text("h1") == "Russia"
    assert page.problems == []


@pytest.mark.browser
def test_canned_query_form_in_the_browser(page, live_url: str) -> None:
    page.goto(live_url + "queries/hedged-claims")
    page.select_option('select[name="reporting"]', "hedged")
    page.click("#params button[type=submit]")
    page.wait_for_url(re.compile(r".*reporting=hedged.*"))
    assert page.locator("#results tbody tr").count() == 2
    with page.expect_download() as download:
        page.click('.downloads a:text("csv")')
    path = download.value.path()
    assert Path(path).read_text(encoding="utf-8").splitlines()[0].startswith(
        "reporting,certainty,certaintyLabel")
    assert page.problems == []
