"""gzip content coding (server/compression.py): a client that accepts gzip gets the same
bytes coded, under a tag of their own, revalidated with it; small answers, ranges, clients
that do not accept gzip and ``ENTENTE_COMPRESSION=off`` get the bytes as they are."""

from __future__ import annotations

import gzip
from urllib.parse import urlencode

import pytest

JSON = "application/sparql-results+json"
#: every triple of the test store: a JSON answer of tens of KB
EVERYTHING = "/sparql?" + urlencode({"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } "
                                              "ORDER BY ?g ?s ?p ?o"})
SMALL = "/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"})
GZIP = {"Accept": JSON, "Accept-Encoding": "gzip, deflate, br"}


def _varies(resp) -> bool:  # noqa: ANN001
    return "accept-encoding" in {v.strip().lower() for v in resp.headers["Vary"].split(",")}


def test_a_client_that_accepts_gzip_gets_the_same_bytes_coded(client) -> None:  # noqa: ANN001
    plain = client.get(EVERYTHING, headers={"Accept": JSON})
    coded = client.get(EVERYTHING, headers=GZIP)
    assert plain.status_code == coded.status_code == 200
    assert len(plain.data) > 20_000 and "Content-Encoding" not in plain.headers
    assert coded.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(coded.data) == plain.data
    assert int(coded.headers["Content-Length"]) == len(coded.data) < len(plain.data) // 5
    assert coded.headers["ETag"] == plain.headers["ETag"][:-1] + '-gzip"'
    assert coded.headers["Content-Type"] == plain.headers["Content-Type"]
    assert _varies(plain) and _varies(coded)
    # (the coding is deterministic: no time stamp, no file name)
    assert client.get(EVERYTHING, headers=GZIP).data == coded.data


def test_the_gzip_tag_revalidates_the_gzip_answer(client) -> None:  # noqa: ANN001
    coded = client.get(EVERYTHING, headers=GZIP)
    again = client.get(EVERYTHING, headers={**GZIP, "If-None-Match": coded.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == coded.headers["ETag"] and _varies(again)
    # a client that no longer accepts gzip holds no valid copy with that tag
    plain = client.get(EVERYTHING, headers={"Accept": JSON,
                                            "If-None-Match": coded.headers["ETag"]})
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    # ... and the identity tag still revalidates the identity answer
    again = client.get(EVERYTHING, headers={"Accept": JSON,
                                            "If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == plain.headers["ETag"]


@pytest.mark.parametrize(("accept_encoding", "coded"), [
    ("gzip", True), ("GZIP;q=0.5", True), ("x-gzip", True), ("*", True), ("br, *;q=0.1", True),
    ("gzip;q=0", False), ("gzip;q=0, *", False), ("*;q=0", False), ("identity", False),
    ("br, zstd", False), ("", False)])
def test_accept_encoding_decides(client, accept_encoding: str,  # noqa: ANN001
                                 coded: bool) -> None:
    resp = client.get(EVERYTHING, headers={"Accept": JSON, "Accept-Encoding": accept_encoding})
    assert resp.status_code == 200
    assert (resp.headers.get("Content-Encoding") == "gzip") is coded
    assert _varies(resp)


def test_a_head_has_the_get_s_headers(client) -> None:  # noqa: ANN001
    got = client.get(EVERYTHING, headers=GZIP)
    head = client.head(EVERYTHING, headers=GZIP)
    assert head.status_code == 200 and head.data == b""
    for name in ("Content-Encoding", "Content-Length", "ETag", "Vary", "Content-Type"):
        assert head.headers[name] == got.headers[name], name


def test_a_post_query_is_coded_too(client) -> None:  # noqa: ANN001
    query = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o"
    plain = client.post("/sparql", data={"query": query}, headers={"Accept": JSON})
    coded = client.post("/sparql", data={"query": query}, headers=GZIP)
    assert coded.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(coded.data) == plain.data


def test_what_is_sent_as_it_is(client) -> None:  # noqa: ANN001
    small = client.get(SMALL, headers=GZIP)  # (under 1 KiB)
    assert small.status_code == 200 and len(small.data) < 1024
    assert "Content-Encoding" not in small.headers and _varies(small)
    bad = client.get("/sparql?" + urlencode({"query": "SELECT * WHERE { ?s ?p "}),
                     headers=GZIP)  # (an error is not coded)
    assert bad.status_code == 400 and "Content-Encoding" not in bad.headers
    whole = client.get("/dump.nq", headers=GZIP)
    assert whole.headers["Content-Encoding"] == "gzip"
    part = client.get("/dump.nq", headers={**GZIP, "Range": "bytes=0-99"})
    assert part.status_code == 206 and "Content-Encoding" not in part.headers
    assert part.data == gzip.decompress(whole.data)[:100]


def test_off_codes_nothing(make_app) -> None:  # noqa: ANN001
    client = make_app(compression="off").test_client()
    resp = client.get(EVERYTHING, headers=GZIP)
    assert resp.status_code == 200 and "Content-Encoding" not in resp.headers
    assert not _varies(resp)


@pytest.mark.parametrize(("cache_entries", "codings"), [(1024, 1), (0, 3)])
def test_a_replayed_answer_is_not_coded_again(make_app, monkeypatch, cache_entries: int,  # noqa: ANN001
                                              codings: int) -> None:
    """The gzip form is kept by the identity form's strong tag (the same tag, the same
    bytes): a replay is not coded again; with the cache off nothing is kept."""
    from entente.server import compression

    made: list[int] = []
    real = compression.gzip_bytes
    monkeypatch.setattr(compression, "gzip_bytes", lambda data: made.append(1) or real(data))
    client = make_app(cache_entries=cache_entries).test_client()
    answers = [client.get(EVERYTHING, headers=GZIP) for _ in range(3)]
    assert {a.data for a in answers} == {answers[0].data} and len(made) == codings
    plain = client.get(EVERYTHING, headers={"Accept": JSON})
    assert gzip.decompress(answers[-1].data) == plain.data
    assert {a.headers["ETag"] for a in answers} == {answers[0].headers["ETag"]}
