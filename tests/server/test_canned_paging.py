"""A canned query's rows come in pages: ``limit`` and ``offset`` after its ORDER BY, and a
``Link: <...>; rel="next"`` on a page that is full or was cut by the row cap, so a client
can walk past the cap (as Datasette's next links and GitHub's Link headers do)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from entente.graph import canned

from entente.config import Settings


def _app(store: Path, **settings: object):  # noqa: ANN202 - a Flask app
    from entente.server.app import create_app

    return create_app(Settings().with_(store=store, query_timeout=20.0, **settings))


@pytest.fixture(scope="module")
def client(mini_store_link: Path) -> Iterator:
    """The small canned-query dataset: its ``assertions`` query has 10 rows."""
    app = _app(mini_store_link)
    yield app.test_client()
    app.extensions["entente.engine"].close()


@pytest.fixture(scope="module")
def capped(mini_store_link: Path) -> Iterator:
    """The same, with a row cap of 4."""
    app = _app(mini_store_link, max_rows=4)
    yield app.test_client()
    app.extensions["entente.engine"].close()


def _csv(client, query_string: str):  # noqa: ANN001, ANN202
    r = client.get(f"/queries/assertions?{query_string}")
    assert r.status_code == 200, r.data
    return r


def _rows(response) -> list[str]:  # noqa: ANN001
    return response.get_data(as_text=True).splitlines()[1:]


def _next(response) -> str | None:  # noqa: ANN001
    link = response.headers.get("Link")
    if link is None:
        return None
    match = re.fullmatch(r'</queries/assertions\?(.*)>; rel="next"', link)
    assert match, link
    return match.group(1)


def _walk(client, first: str) -> tuple[list[str], list[str]]:  # noqa: ANN001
    """Every row from ``first`` on, following the next links, and the query strings asked."""
    rows, asked, query_string = [], [], first
    while query_string is not None:
        asked.append(query_string)
        response = _csv(client, query_string)
        rows += _rows(response)
        query_string = _next(response)
    return rows, asked


def test_limit_and_offset_cut_the_querys_order(client) -> None:
    everything = _rows(_csv(client, "format=csv"))
    assert len(everything) == 10
    assert _rows(_csv(client, "format=csv&limit=3")) == everything[:3]
    assert _rows(_csv(client, "format=csv&limit=3&offset=8")) == everything[8:]
    assert _rows(_csv(client, "format=csv&offset=7")) == everything[7:]
    assert _rows(_csv(client, "format=csv&limit=0")) == []


def test_the_next_links_walk_every_row_once(client) -> None:
    everything = _rows(_csv(client, "format=csv"))
    rows, asked = _walk(client, "format=csv&limit=4")
    assert rows == everything
    assert asked == ["format=csv&limit=4", "format=csv&limit=4&offset=4",
                     "format=csv&limit=4&offset=8"]  # 2 rows: fewer than 4, no link
    assert _next(_csv(client, "format=csv")) is None  # all rows, under the cap


def test_the_row_cap_links_the_rest(client, capped) -> None:
    everything = _rows(_csv(client, "format=csv"))
    first = _csv(capped, "format=csv")
    assert first.headers["X-SPARQL-Truncated"] == "true"
    assert _rows(first) == everything[:4]
    assert _next(first) == "format=csv&offset=4"
    rows, asked = _walk(capped, "format=csv")
    assert rows == everything
    assert asked == ["format=csv", "format=csv&offset=4", "format=csv&offset=8"]
    # a limit above the cap: pages of the cap's size, the limit kept
    rows, asked = _walk(capped, "format=csv&limit=6")
    assert rows == everything
    assert asked == ["format=csv&limit=6", "format=csv&limit=6&offset=4",
                     "format=csv&limit=6&offset=8"]


@pytest.mark.parametrize(("query_string", "parameter", "value"), [
    ("limit=x", "limit", "'x'"), ("offset=-1", "offset", "'-1'"),
    ("limit=1e3", "limit", "'1e3'"), ("limit=1000000001", "limit", "'1000000001'"),
    ("limit=%D9%A3", "limit", "'\u0663'"),  # an Arabic-Indic three: a digit, not ASCII
])
def test_a_page_that_is_not_a_whole_number_is_a_400(client, query_string: str,
                                                    parameter: str, value: str) -> None:
    r = client.get(f"/queries/assertions?{query_string}")
    assert r.status_code == 400
    assert r.get_json() == {
        "error": f"parameter '{parameter}': not a whole number from 0 to 1,000,000,000: "
                 f"{value}", "status": 400, "parameter": parameter}


def test_the_form_page_keeps_the_page_and_links_the_next(client) -> None:
    r = client.get("/queries/assertions?limit=3&offset=3", headers={"Accept": "text/html"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert ('<a href="/queries/assertions?limit=3&amp;offset=6" rel="next" id="next-page">'
            in page)
    assert r.headers["Link"] == '</queries/assertions?limit=3&offset=6>; rel="next"'
    assert '<a href="/queries/assertions?limit=3&amp;offset=3&amp;format=csv">csv</a>' in page
    assert page.count("<tr") == 4, page  # a header and three rows
    last = client.get("/queries/assertions?limit=3&offset=9", headers={"Accept": "text/html"})
    assert last.status_code == 200 and "Link" not in last.headers  # the last page: no next


def test_the_openapi_document_lists_the_page_parameters(client) -> None:
    parameters = client.get("/openapi.json").get_json()["paths"]["/queries/assertions"][
        "get"]["parameters"]
    assert {p["name"] for p in parameters} >= {"limit", "offset"}


def test_a_canned_query_leaves_paging_to_the_caller() -> None:
    text = "#+ title: t\n#+ description: d\nSELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 5\n"
    with pytest.raises(canned.CannedQueryError) as caught:
        canned.parse("x", text)
    assert str(caught.value) == ("x.rq: a canned query ends at its ORDER BY; LIMIT is the "
                                 "caller's (the limit and offset parameters)")
    inner = "#+ title: t\n#+ description: d\nSELECT ?s WHERE { { SELECT ?s { ?s ?p ?o } LIMIT 5 } }"
    assert canned.parse("x", inner).name == "x"  # a sub-select's LIMIT is its own
    named = "#+ title: t\n#+ description: d\n#+ params:\n#+   - name: offset\nSELECT ?offset {}"
    with pytest.raises(canned.CannedQueryError) as caught:
        canned.parse("x", named)
    assert str(caught.value) == ("x.rq: parameter name 'offset' is taken by every canned "
                                 "query (format, timeout, limit, offset)")


def test_the_form_page_shows_a_page_of_rows_and_downloads_all(client, monkeypatch) -> None:
    from entente.server import canned_views

    monkeypatch.setattr(canned_views, "HTML_PAGE_ROWS", 4)
    r = client.get("/queries/assertions", headers={"Accept": "text/html"})
    page = r.get_data(as_text=True)
    assert page.count("<tr") == 5, page  # a header and the first four rows
    assert ('<a href="/queries/assertions?limit=4&amp;offset=4" rel="next" id="next-page">'
            in page)
    assert '<a href="/queries/assertions?format=csv">csv</a>' in page  # every row
    assert len(_rows(_csv(client, "format=csv"))) == 10
