"""A named graph's HTML page lists its subjects, 100 a page in IRI order, with a label and a
type each, and links the pages before and after."""

from __future__ import annotations

import re

import pytest

from entente.config import Settings

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _subjects(page: str) -> list[str]:
    table = page.split('<table class="results" id="subjects">', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr><td><a href="([^"]+)"', table)


def test_the_subjects_of_a_small_graph_with_labels_and_types(client) -> None:
    page = client.get("/graph/entities", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert "<h2>Subjects 1–9</h2>" in page
    assert _subjects(page) == [
        "/id/org/brics", "/id/org/sco", "/id/org/un-security-council", "/id/state/china",
        "/id/state/india", "/id/state/iran", "/id/state/kazakhstan", "/id/state/mongolia",
        "/id/state/russia"]
    assert ('<tr><td><a href="/id/state/china" title="https://entente.example.org/id/state/'
            'china">China</a></td><td><a href="/ontology#State"') in page
    assert 'id="next-page"' not in page and 'id="previous-page"' not in page


def test_a_large_graph_comes_in_pages(built_store) -> None:
    from entente.server.app import create_app

    app = create_app(Settings().with_(store=built_store.link))
    try:
        client = app.test_client()
        count = client.get("/sparql", query_string={"query": (
            "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH "
            "<https://entente.example.org/graph/entities> { ?s ?p ?o } }")}).get_json()
        subjects = int(count["results"]["bindings"][0]["n"]["value"])
        assert subjects > 200
        seen: list[str] = []
        offset = 0
        while True:
            page = client.get(f"/graph/entities?offset={offset}",
                              headers={"Accept": BROWSER}).get_data(as_text=True)
            listed = _subjects(page)
            seen += listed
            assert f"<h2>Subjects {offset + 1}–{offset + len(listed)}</h2>" in page
            assert ('id="previous-page"' in page) == (offset > 0)
            if offset:
                assert f'href="/graph/entities?offset={offset - 100}" rel="prev"' in page
            found = re.search(r'href="/graph/entities\?offset=(\d+)" rel="next"', page)
            if found is None:
                break
            assert len(listed) == 100
            offset = int(found.group(1))
        assert len(seen) == len(set(seen)) == subjects
        assert seen == sorted(seen)  # the local paths: the IRIs' order
    finally:
        app.extensions["entente.engine"].close()


@pytest.mark.parametrize("offset", ["x", "-1", "1e3"])
def test_an_offset_that_is_not_a_whole_number_is_a_400(client, offset: str) -> None:
    r = client.get(f"/graph/entities?offset={offset}", headers={"Accept": "application/json"})
    html = client.get(f"/graph/entities?offset={offset}", headers={"Accept": BROWSER})
    assert html.status_code == 400
    assert r.status_code == 200  # an RDF client gets the graph: the listing is the page's
