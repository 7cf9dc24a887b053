"""An actor's page stays small however much links to it: what links to it is grouped by
property, with each property's count and its first subjects, and the table of assertions
about it shows its first rows and links the rest (the canned query, page by page).  At 1M
triples China's page was 7.5 MB, built in 5 s: 24,580 links sorted to list 300, and all of
its 9,000 assertion rows."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from entente.config import Settings

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ID = "https://entente.example.org/id/"


@pytest.fixture(scope="module")
def corpus_client(built_store) -> Iterator:  # noqa: ANN001
    from entente.server.app import create_app

    app = create_app(Settings().with_(store=built_store.link))
    yield app.test_client()
    app.extensions["entente.engine"].close()


def _count(client, query: str) -> int:  # noqa: ANN001
    rows = client.get("/sparql", query_string={"query": query}).get_json()
    return int(rows["results"]["bindings"][0]["n"]["value"])


def test_links_are_grouped_by_property_with_their_counts(corpus_client) -> None:
    from entente.server.pages import INCOMING_EACH

    page = corpus_client.get("/id/state/russia", headers={"Accept": BROWSER}).get_data(
        as_text=True)
    table = page.split('id="incoming"', 1)[1].split("</table>", 1)[0]
    groups = re.findall(r'<tr><td><a href="[^"]*" title="([^"]+)"[^>]*>[^<]*</a> '
                        r'<small class="count">\((\d+)\)</small></td>\s*<td>(.*?)</td></tr>',
                        table, re.S)
    assert groups, table[:500]
    properties = [p for p, _, _ in groups]
    assert properties == sorted(properties)
    for prop, count, cell in groups:
        expected = _count(corpus_client, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{prop}> "
                                         f"<{ID}state/russia> }}")
        shown = len(re.findall(r"<a ", cell))
        assert int(count) == expected
        assert shown == min(expected, INCOMING_EACH)
        more = re.search(r"and (\d+) more", cell)
        assert (int(more.group(1)) if more else 0) == expected - shown
    assert "ent:denotes" in page and "and " in page  # a mention per occurrence: many


def _column(page: str, name: str) -> list[str]:
    table = page.split('id="assertions"', 1)[1].split("</table>", 1)[0]
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(rf'<td class="col-{name}">(.*?)</td>', table, re.S)]


def test_an_actors_page_shows_its_latest_assertions(corpus_client) -> None:
    from entente.server.pages import SECTION_ROWS

    page = corpus_client.get("/id/state/russia", headers={"Accept": BROWSER}).get_data(
        as_text=True)
    dates = [d.split(" ")[0] for d in _column(page, "date")]  # (the datatype after it)
    everything = corpus_client.get(
        "/queries/about-actor?actor=id/state/russia&format=json").get_json()
    assertions = {b["assertion"]["value"]: b.get("date", {}).get("value", "")
                  for b in everything["results"]["bindings"]}
    assert len(assertions) > SECTION_ROWS
    assert len(dates) == SECTION_ROWS
    # newest first, as text (2022-02-04, 2022-02, 2022), the undated last: the top of all
    assert dates == sorted(assertions.values(), reverse=True)[:SECTION_ROWS]
    shown = set(_column(page, "assertion"))
    assert len(shown) == SECTION_ROWS
    assert 'href="/queries/about-actor?actor=https%3A%2F%2Fentente.example.org%2Fid%2Fstate%2F' \
           'russia"' in page  # all of them: the canned query (its own order, no next page)
    assert 'id="more-assertions"' not in page
    # who said it in label order, as the about-actor query lists it (which labels a source
    # without a skos:prefLabel by its title or rdfs:label, where the page shows its IRI)
    said = {b["assertion"]["value"].removeprefix(ID): b["attributedToLabel"]["value"]
            for b in everything["results"]["bindings"]}
    shown_said = dict(zip(_column(page, "assertion"),
                          map(html.unescape, _column(page, "attributedToLabel")), strict=True))
    assert any("; " in who for who in shown_said.values())
    for assertion, who in shown_said.items():
        assert who.split("; ") == sorted(who.split("; "))
        if "https://" not in who:
            assert who == said[assertion.removeprefix("id:")]


def test_a_documents_page_links_the_next_page_of_its_assertions(corpus_client,
                                                                monkeypatch) -> None:
    from entente.server import pages

    monkeypatch.setattr(pages, "SECTION_ROWS", 10)
    document = "id/document/usip-2019-china-russia-cooperation-spans-globe"
    page = corpus_client.get(f"/{document}", headers={"Accept": BROWSER}).get_data(
        as_text=True)
    link = re.search(r'<a href="([^"]+)" rel="next" id="more-assertions">', page)
    assert link is not None
    url = link.group(1).replace("&amp;", "&")
    assert url == ("/queries/assertions?document=https%3A%2F%2Fentente.example.org%2F"
                   "id%2Fdocument%2Fusip-2019-china-russia-cooperation-spans-globe"
                   "&limit=10&offset=10")
    listed = corpus_client.get(f"/queries/assertions?document={document}&format=json")
    order = [b["assertion"]["value"].removeprefix("https://entente.example.org/")
             for b in listed.get_json()["results"]["bindings"]]
    assert len(order) > 20
    assert _column(page, "assertion") == [f"id:{a.removeprefix('id/')}" for a in order[:10]]
    following = corpus_client.get(url + "&format=json").get_json()["results"]["bindings"]
    assert [b["assertion"]["value"].removeprefix("https://entente.example.org/")
            for b in following] == order[10:20]


def test_a_small_table_has_no_link_to_more(corpus_client) -> None:
    page = corpus_client.get("/id/org/sco", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert 'id="more-assertions"' not in page
