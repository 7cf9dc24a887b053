"""Over HTTP, a canned query with a variant for its bound parameter (queries/assertions--
document.rq) answers the query's rows, and its form page shows the SPARQL that ran."""

from __future__ import annotations

import csv
import io

DOC = "https://entente.example.org/id/document/doc-a"


def _rows(mini_client, query_string: str) -> list[dict[str, str]]:  # noqa: ANN001
    r = mini_client.get(f"/queries/assertions?format=csv&{query_string}")
    assert r.status_code == 200, r.get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))


def test_the_variant_answers_the_querys_rows(mini_client) -> None:  # noqa: ANN001
    everything = _rows(mini_client, "")
    mine = _rows(mini_client, "document=id/document/doc-a")
    assert mine == [row for row in everything if row["document"] == DOC]
    assert len(mine) == 3  # (mini.trig: doc-a's three assertions)
    assert _rows(mini_client, "document=id/document/doc-a&limit=2&offset=1") == mine[1:3]


def test_the_form_page_shows_the_sparql_that_ran(mini_client) -> None:  # noqa: ANN001
    html = {"Accept": "text/html"}
    page = mini_client.get("/queries/assertions?document=id/document/doc-a", headers=html)
    assert "assertions.rq when its document parameter is bound" in page.get_data(as_text=True)
    page = mini_client.get("/queries/assertions?entity=id/state/china", headers=html)
    page = page.get_data(as_text=True)
    assert "assertions.rq when its document parameter is bound" not in page
    assert "ORDER BY ?dk1 ?dk2" in page
