"""Canned queries over HTTP: list, every result format, parameters, errors, form, OpenAPI."""

from __future__ import annotations

import csv
import io
import json

import pytest
from entente.graph import canned
from rdflib.query import Result

ID = "https://entente.example.org/id/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_list_as_json(mini_client) -> None:
    response = mini_client.get("/queries", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    listed = response.get_json()["queries"]
    assert [q["name"] for q in listed] == sorted(canned.load_all())
    shared = next(q for q in listed if q["name"] == "shared-memberships")
    assert shared["url"] == "/queries/shared-memberships"
    assert shared["params"][0] == {"name": "a", "type": "iri", "description": "the first actor",
                                   "required": False, "default": "id/state/china"}
    hedged = next(q for q in listed if q["name"] == "hedged-claims")
    assert hedged["params"][0]["values"] == ["certain", "hedged"]


def test_list_as_html(mini_client) -> None:
    response = mini_client.get("/queries", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    for name in canned.load_all():
        assert f'href="/queries/{name}"' in page
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize(("accept", "status", "media"), [
    ("text/turtle", 406, None), ("image/png, text/csv", 406, None),
    ("application/json;q=0, text/turtle", 406, None),
    ("*/*", 200, "application/json"), ("", 200, "application/json"),
    ("text/turtle, application/*;q=0.5", 200, "application/json")])
def test_the_list_is_json_or_html_or_a_406(mini_client, accept: str, status: int,
                                          media: str | None) -> None:
    r = mini_client.get("/queries", headers={"Accept": accept})
    assert r.status_code == status
    if media is not None:
        assert r.mimetype == media
    else:
        assert r.get_json() == {
            "error": f"cannot produce any of the accepted types ({accept}) for the list; "
                     "available: application/json, text/html",
            "status": 406, "available": ["application/json", "text/html"]}


def _rows(body: bytes, fmt: str) -> list[dict[str, str]]:
    if fmt == "json":
        return [{k: v["value"] for k, v in b.items()}
                for b in json.loads(body)["results"]["bindings"]]
    if fmt == "csv":
        return [{k: v for k, v in row.items() if v} for row in csv.DictReader(io.StringIO(
            body.decode("utf-8")))]
    result = Result.parse(io.BytesIO(body), format=fmt)
    return [{str(k): str(v) for k, v in row.asdict().items()} for row in result]


@pytest.mark.parametrize(
    ("how", "fmt", "media"),
    [
        ({"query_string": {"format": "json"}}, "json", "application/sparql-results+json"),
        ({"query_string": {"format": "xml"}}, "xml", "application/sparql-results+xml"),
        ({"query_string": {"format": "csv"}}, "csv", "text/csv"),
        ({"query_string": {"format": "tsv"}}, "tsv", "text/tab-separated-values"),
        ({"headers": {"Accept": "application/sparql-results+json"}}, "json",
         "application/sparql-results+json"),
        ({"headers": {"Accept": "application/sparql-results+xml"}}, "xml",
         "application/sparql-results+xml"),
        ({"headers": {"Accept": "text/csv;q=0.9, text/html;q=0.1"}}, "csv", "text/csv"),
        ({"headers": {"Accept": "text/tab-separated-values"}}, "tsv", "text/tab-separated-values"),
    ],
)
def test_every_result_format_parses_back(mini_client, how, fmt, media) -> None:
    query_string = {"document": "id/document/doc-b", "entity": "id/state/russia",
                    **how.get("query_string", {})}
    response = mini_client.get("/queries/assertions", query_string=query_string,
                               headers=how.get("headers", {}))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == media
    rows = _rows(response.data, fmt)
    assert [r["assertion"].strip("<>") for r in rows] == [
        ID + "assertion/doc-b-2", ID + "assertion/doc-b-3"]
    assert rows[1]["quote"].strip('"') == "Russia is not a member of the SCO, he said."
    assert "Russia" in rows[1]["subjectLabel"]


def test_defaults_apply_and_parameters_narrow(mini_client) -> None:
    default = mini_client.get("/queries/shared-memberships?format=json").get_json()
    assert [(b["organization"]["value"], b["assertions"]["value"])
            for b in default["results"]["bindings"]] == [(ID + "org/sco", "3")]
    none = mini_client.get("/queries/shared-memberships?format=json&a=id/state/india").get_json()
    assert none["results"]["bindings"] == []
    hedged = mini_client.get("/queries/hedged-claims?format=json&reporting=hedged").get_json()
    assert [b["assertion"]["value"] for b in hedged["results"]["bindings"]] == [
        ID + "assertion/doc-a-3", ID + "assertion/doc-b-4"]


@pytest.mark.parametrize(
    ("url", "parameter", "message"),
    [
        ("/queries/shared-memberships?a=%3Chttp://evil/%3E", "a", "parameter 'a': not an IRI"),
        ("/queries/shared-memberships?a=%7D%20.%20%3Fs%20%3Fp%20%3Fo%20%7D%20%23", "a",
         "parameter 'a': no resource is labelled '} . ?s ?p ?o } #'"),  # a label, looked up
        ("/queries/hedged-claims?reporting=maybe", "reporting",
         "parameter 'reporting': must be one of certain, hedged"),
        ("/queries/assertions?colour=red", "colour", "parameter 'colour': unknown parameter"),
        ("/queries/shared-memberships?a=id/org/sco&a=id/state/china", "a",
         "the 'a' parameter was given 2 times; give it once"),  # as /sparql's repeated query
        ("/queries/shared-memberships?b=id/state/china&format=csv&format=json", "format",
         "the 'format' parameter was given 2 times"),
    ],
)
def test_wrong_parameters_are_400_naming_the_parameter(mini_client, url, parameter, message):
    response = mini_client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == 400
    body = response.get_json()
    assert body["status"] == 400
    assert body["parameter"] == parameter
    assert message in body["error"]


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/csv",
                                    "application/json"])  # the fast path, then Flask
def test_an_iri_that_names_nothing_is_a_400_not_an_empty_answer(mini_client, accept) -> None:
    """It answered 200 with no rows, which reads as "none found" (an analyst's audit); an
    IRI that names something and finds no rows is still a 200."""
    r = mini_client.get("/queries/about-actor?actor=id/state/nowhere", headers={"Accept": accept})
    assert (r.status_code, r.get_json()) == (400, {
        "error": "parameter 'actor': nothing in the store is named 'id/state/nowhere' (no "
                 "triple has https://entente.example.org/id/state/nowhere); give a label such "
                 "as China, or an IRI such as id/state/china", "status": 400,
        "parameter": "actor"})
    empty = mini_client.get("/queries/shared-memberships?a=id/state/india&format=json")
    assert empty.status_code == 200 and empty.get_json()["results"]["bindings"] == []
    form = mini_client.get("/queries/about-actor?actor=id/state/nowhere",
                           headers={"Accept": "text/html"})
    assert form.status_code == 400 and form.mimetype == "text/html"
    assert "nothing in the store is named &#39;id/state/nowhere&#39;" in form.get_data(True)


def test_unknown_query_is_404_and_unacceptable_type_is_406(mini_client) -> None:
    missing = mini_client.get("/queries/no-such-query", headers={"Accept": "application/json"})
    assert missing.status_code == 404
    assert missing.get_json() == {"error": "no canned query 'no-such-query'; see /queries",
                                  "status": 404}
    refused = mini_client.get("/queries/assertions", headers={"Accept": "image/png"})
    assert refused.status_code == 406
    body = refused.get_json()
    assert body["error"].startswith("cannot produce any of the accepted types (image/png) for a "
                                    "SELECT query; available: application/sparql-results+json")
    assert body["available"] == ["application/sparql-results+json",
                                 "application/sparql-results+xml", "text/csv",
                                 "text/tab-separated-values"]


def test_html_form_and_results_table(mini_client) -> None:
    response = mini_client.get("/queries/negated-claims", headers={"Accept": BROWSER})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<form method="get" action="/queries/negated-claims"' in page
    assert '<input name="entity"' in page
    assert page.count("<tr>") == 2  # header + one negated claim
    assert 'href="/id/assertion/doc-b-3"' in page
    assert "Russia is not a member of the SCO, he said." in page
    for fmt in ("json", "xml", "csv", "tsv"):
        assert f'href="/queries/negated-claims?format={fmt}"' in page


def test_html_form_shows_a_bad_parameter(mini_client) -> None:
    response = mini_client.get("/queries/hedged-claims?reporting=maybe",
                               headers={"Accept": BROWSER})
    assert response.status_code == 400
    assert "parameter &#39;reporting&#39;: must be one of certain, hedged" in response.get_data(
        as_text=True)


def test_labels_are_escaped_in_html(mini_client) -> None:
    page = mini_client.get("/queries/claims-by-source", headers={"Accept": BROWSER}).get_data(
        as_text=True)
    assert "Alpha &lt;script&gt;alert(1)&lt;/script&gt; Institute" in page
    assert "<script>alert(1)" not in page


def test_openapi_describes_every_query(mini_client) -> None:
    doc = mini_client.get("/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"
    for name in canned.load_all():
        assert f"/queries/{name}" in doc["paths"]
    op = doc["paths"]["/queries/shared-memberships"]["get"]
    params = {p["name"]: p for p in op["parameters"]}
    assert params["a"]["schema"] == {
        "type": "string", "default": "id/state/china",
        "description": "an IRI (absolute, or base-relative such as id/state/china) or a label "
                       "of one resource (China)"}
    assert params["format"]["schema"]["enum"] == ["json", "xml", "csv", "tsv", "html"]
    assert set(op["responses"]["200"]["content"]) == {
        "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
        "text/tab-separated-values", "text/html"}
    hedged = doc["paths"]["/queries/hedged-claims"]["get"]["parameters"][0]
    assert hedged["schema"] == {"type": "string", "enum": ["certain", "hedged"]}
    assert set(doc["paths"]["/sparql"]) == {"get", "post"}
    assert "application/sparql-query" in doc["paths"]["/sparql"]["post"]["requestBody"]["content"]


@pytest.mark.parametrize("query_string", [
    "timeout=soon&format=html",
    "timeout=0.01&format=html",
    "a=id/state/china&a=id/state/russia&format=html",
])
def test_the_form_page_checks_what_the_results_check(mini_client, query_string: str) -> None:
    """The HTML page of a canned query refuses the timeout and repeated parameters the
    result formats refuse, and shows why in the form (400)."""
    page = mini_client.get(f"/queries/shared-memberships?{query_string}")
    data = mini_client.get(f"/queries/shared-memberships?{query_string.replace('html', 'json')}")
    assert page.status_code == data.status_code == 400
    assert page.mimetype == "text/html"
    assert data.get_json()["error"] in page.get_data(as_text=True).replace("&#39;", "'")
