"""Answers from the query children: small ones in one message, large bodies as raw bytes
after their pickled header; the same bytes either way, and children stay usable."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from entente.server.engine import QueryRequest, get_engine
from entente.server.query_child import RAW_BODY_BYTES

JSON = "application/sparql-results+json"


@pytest.mark.parametrize("size", [10, RAW_BODY_BYTES - 200, RAW_BODY_BYTES, 3 * RAW_BODY_BYTES])
def test_a_body_of_any_size_arrives_whole(app, size: int) -> None:
    text = "é" * (size // 2)  # two UTF-8 bytes each
    query = f'SELECT ?x WHERE {{ BIND("{text}" AS ?x) }}'
    with app.test_request_context():
        engine = get_engine()
        result = engine.execute(QueryRequest(query, media_type=JSON, use_cache=False))
        after = engine.execute(QueryRequest("ASK { }", media_type=JSON, use_cache=False))
    assert json.loads(result.body)["results"]["bindings"] == [
        {"x": {"type": "literal", "value": text}}]
    assert (result.form, result.row_count, result.truncated) == ("SELECT", 1, False)
    assert json.loads(after.body) == {"head": {}, "boolean": True}


def test_a_large_body_over_http(client) -> None:
    text = "x" * (2 * RAW_BODY_BYTES)
    resp = client.get("/sparql", query_string={"query": f'SELECT ?x {{ BIND("{text}" AS ?x) }}',
                                               "format": "csv"})
    assert resp.status_code == 200
    assert resp.get_data() == f"x\r\n{text}\r\n".encode()
    assert resp.headers["Content-Length"] == str(len(text) + 5)


def test_the_query_childrens_module_loads_no_web_framework() -> None:
    # every query child (and the forkserver it is forked from) imports
    # entente.server.query_child: Flask, Werkzeug and Jinja there were ~10 MB more in each of
    # those processes
    # (what the interpreter loads before, e.g. a dependency's .pth hook such as cmeel's, is
    # not the module's)
    script = ("import sys; before = set(sys.modules); import entente.server.query_child; "
              "print(' '.join(sorted({m.split('.')[0] for m in set(sys.modules) - before}"
              " - set(sys.stdlib_module_names))))")
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True).stdout.split()
    assert [m for m in loaded if not m.startswith("_")] == ["entente", "pyoxigraph"]


def test_an_evaluation_error_is_told_as_it_is(app) -> None:
    """pyoxigraph raises RuntimeError for a substitution the query does not project: the
    message reaches the caller (it was "query exceeded the memory limit or crashed", the
    child having died of it), and the next query is answered."""
    from entente.server.errors import ServiceUnavailable

    with app.test_request_context():
        engine = get_engine()
        with pytest.raises(ServiceUnavailable) as caught:
            engine.execute(QueryRequest("SELECT ?s WHERE { ?s ?p ?o }", media_type=JSON,
                                        substitutions={"g": ("iri", "urn:x")},
                                        use_cache=False))
        after = engine.execute(QueryRequest("ASK { }", media_type=JSON, use_cache=False))
    assert caught.value.message == ("the store could not answer: The SPARQL query does not "
                                    "contains variable ?g in its SELECT projection")
    assert json.loads(after.body) == {"head": {}, "boolean": True}


def test_a_store_error_names_no_path_of_the_server(app, monkeypatch, caplog) -> None:
    """A corrupt block of the store is found only when a query reads it: the 503 told the
    client the server's directories (an audit); the log keeps them."""
    import logging

    from entente.server.errors import ServiceUnavailable

    corrupt = ("Corruption: block checksum mismatch: stored = 1, computed = 2 in "
               "/srv/entente/var/store-1a2b/oxigraph/000013.sst offset 100 size 4096")
    with app.test_request_context():
        engine = get_engine()
        monkeypatch.setattr(engine, "_run", lambda handle, job, timeout: ("error", corrupt))
        with caplog.at_level(logging.WARNING, logger="entente.server"), \
                pytest.raises(ServiceUnavailable) as caught:
            engine.execute(QueryRequest("SELECT * { ?s ?p ?o }", media_type=JSON,
                                        use_cache=False))
    assert caught.value.message == (
        "the store could not answer: Corruption: block checksum mismatch: stored = 1, "
        "computed = 2 in <store>/000013.sst offset 100 size 4096")
    assert corrupt in caplog.text
