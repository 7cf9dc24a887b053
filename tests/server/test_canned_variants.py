"""Over HTTP, a canned query with a variant for its bound parameter (queries/assertions--
document.rq) answers the query's rows, and its form page shows the SPARQL that ran."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from entente.config import Settings

DOC = "https://entente.example.org/id/document/doc-a"


@pytest.fixture(scope="module")
def client(mini_store_link: Path) -> Iterator:
    from entente.server.app import create_app

    app = create_app(Settings().with_(store=mini_store_link, query_timeout=20.0))
    yield app.test_client()
    app.extensions["entente.engine"].close()


def _rows(client, query_string: str) -> list[dict[str, str]]:  # noqa: ANN001
    r = client.get(f"/queries/assertions?format=csv&{query_string}")
    assert r.status_code == 200, r.get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))


def test_the_variant_answers_the_querys_rows(client) -> None:  # noqa: ANN001
    everything = _rows(client, "")
    mine = _rows(client, "document=id/document/doc-a")
    assert mine == [row for row in everything if row["document"] == DOC]
    assert len(mine) == 3  # (mini.trig: doc-a's three assertions)
    assert _rows(client, "document=id/document/doc-a&limit=2&offset=1") == mine[1:3]


def test_the_form_page_shows_the_sparql_that_ran(client) -> None:  # noqa: ANN001
    html = {"Accept": "text/html"}
    page = client.get("/queries/assertions?document=id/document/doc-a", headers=html)
    assert "assertions.rq when its document parameter is bound" in page.get_data(as_text=True)
    page = client.get("/queries/assertions?entity=id/state/china", headers=html)
    page = page.get_data(as_text=True)
    assert "assertions.rq when its document parameter is bound" not in page
    assert "ORDER BY ?dk1 ?dk2" in page
