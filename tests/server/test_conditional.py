"""Conditional GETs: every complete GET answer has a strong ETag (a hash of its body) and
``Cache-Control: no-cache``; a matching ``If-None-Match`` gets 304 with no body, whether the
answer was computed or replayed by the response cache; another format is another tag."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from entente.server.app import create_app

BASE = "https://entente.example.org/"
LABEL_OF_CHINA = (f"SELECT ?l WHERE {{ <{BASE}id/state/china> "
                  "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }")


@pytest.fixture(params=[True, False], ids=["cache-on", "cache-off"])
def client(request, settings):  # noqa: ANN001, ANN201
    app = create_app(settings if request.param else settings.with_(cache_entries=0))
    yield app.test_client()
    app.extensions["entente.engine"].close()


@pytest.mark.parametrize("path", [
    "/sparql?" + urlencode({"query": LABEL_OF_CHINA}),
    "/queries/shared-memberships?a=id/state/china&b=id/state/russia",
    "/id/state/china",
    "/.well-known/void",
])
def test_a_revalidated_get_is_304_with_no_body(client, path: str) -> None:
    first = client.get(path)
    assert first.status_code == 200 and first.data
    tag = first.headers["ETag"]
    assert tag.startswith('"') and tag.endswith('"') and len(tag) == 42  # sha1, quoted
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get(path, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == tag
    assert "Content-Type" not in again.headers
    # a list with the tag, a weak form of it and "*" match too; another tag does not
    for value in (f'"x", {tag}', f"W/{tag}", "*"):
        assert client.get(path, headers={"If-None-Match": value}).status_code == 304
    other = client.get(path, headers={"If-None-Match": '"not-it"'})
    assert other.status_code == 200 and other.data == first.data
    assert other.headers["ETag"] == tag  # the same bytes, the same tag


def test_another_format_is_another_tag(client) -> None:
    json_answer = client.get("/sparql", query_string={"query": LABEL_OF_CHINA})
    csv_answer = client.get("/sparql", query_string={"query": LABEL_OF_CHINA},
                            headers={"Accept": "text/csv", "If-None-Match":
                                     json_answer.headers["ETag"]})
    assert csv_answer.status_code == 200 and csv_answer.data == b"l\r\nChina\r\n"
    assert csv_answer.headers["ETag"] != json_answer.headers["ETag"]


@pytest.mark.parametrize(("first", "second"), [("text/turtle", "application/trig"),
                                               ("application/n-triples", "application/n-quads")])
def test_two_formats_with_the_same_bytes_have_two_tags(client, first: str, second: str
                                                       ) -> None:
    """A page's triples in Turtle and in TriG (in N-Triples and N-Quads) are the same bytes,
    but two representations: a validator of one must not validate the other (RFC 9110,
    8.8.1; the pages vary on Accept)."""
    one = client.get("/id/state/china", headers={"Accept": first})
    assert one.status_code == 200 and one.mimetype == first
    other = client.get("/id/state/china", headers={"Accept": second,
                                                         "If-None-Match": one.headers["ETag"]})
    assert other.status_code == 200 and other.mimetype == second
    assert other.data == one.data and other.headers["ETag"] != one.headers["ETag"]


def test_errors_and_posts_get_no_tag(client) -> None:
    bad = client.get("/sparql", query_string={"query": "SELECT ?x WHERE {"})
    assert bad.status_code == 400 and "ETag" not in bad.headers
    posted = client.post("/sparql", data={"query": LABEL_OF_CHINA})
    assert posted.status_code == 200 and "ETag" not in posted.headers


@pytest.mark.parametrize("path", [
    "/sparql?" + urlencode({"query": LABEL_OF_CHINA}),
    "/queries/shared-memberships?a=id/state/china&b=id/state/russia",
    "/id/state/china",
    "/.well-known/void",
])
def test_a_head_has_the_gets_headers_and_revalidates(client, path: str) -> None:
    """RFC 9110, 9.3.2 and 13.1.2 (a HEAD had neither ETag nor Cache-Control, and never a
    304)."""
    got = client.get(path)
    head = client.head(path)
    assert (head.status_code, head.data) == (200, b"")
    for name in ("ETag", "Cache-Control", "Content-Type", "Content-Length", "Vary"):
        assert head.headers.get(name) == got.headers.get(name), name
    again = client.head(path, headers={"If-None-Match": got.headers["ETag"]})
    assert (again.status_code, again.data) == (304, b"")
    assert again.headers["ETag"] == got.headers["ETag"]
