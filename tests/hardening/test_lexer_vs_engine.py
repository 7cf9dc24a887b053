"""The lexer check against the engine itself: random queries built from the tokens where a
lexer and a parser can disagree (escapes in IRIs and prefixed names, strings with quotes and
'#', comments, characters beyond U+FFFF, stray backslashes), each with a SERVICE clause to a
loopback listener somewhere in it.  Every query the check lets through (no allow-list) is run
by pyoxigraph on an empty store: the listener must never be called."""

from __future__ import annotations

import socket
import threading

import pyoxigraph as ox
import pytest
from entente.server.errors import BadRequest
from entente.server.lexer import check_query
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(deadline=None, derandomize=True, database=None, max_examples=1500,
                suppress_health_check=list(HealthCheck))

#: Pattern elements ({v} is a fresh variable), valid SPARQL, each holding a token where a lexer
#: and the parser can disagree; and a few invalid pieces.
ELEMENTS = [
    "BIND(ex:a\\# AS {v})", "BIND(ex:a\\\\ AS {v})", "BIND(ex:a%23 AS {v})",
    "BIND(ex:\U00010000\\# AS {v})", "BIND(ex:a\\'b AS {v})", "BIND(ex:a.b\\. AS {v})",
    "BIND(<http://x/\\u0041#> AS {v})", "BIND(<http://x/\\U00000041#> AS {v})",
    'BIND("a#b" AS {v})', 'BIND("a\\"#" AS {v})', "BIND('a\\'#' AS {v})",
    'BIND("""a"#""" AS {v})', "BIND('''a''#''' AS {v})", 'BIND("a\\u0022#" AS {v})',
    'BIND("\\U0001F600#" AS {v})', "{v} ex:p\\#q ?o{v2} .", "VALUES {v} {{ ex:a\\# }}",
    "FILTER(1<2)", "FILTER(?x<?y)", "# a comment\n", "#", "\n", "\\", "<", '"', "'",
]


def _pattern(indexes: list[int], name: str) -> str:
    return " ".join(ELEMENTS[i].format(v=f"?{name}{n}", v2=f"{name}{n}")
                    for n, i in enumerate(indexes))


class Listener:
    """A loopback socket that counts the connections made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.port = self.sock.getsockname()[1]
        self.calls = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.calls += 1
            conn.close()


@pytest.fixture(scope="module")
def listener():  # noqa: ANN201
    server = Listener()
    yield server
    server.sock.close()


@FUZZ
@given(before=st.lists(st.integers(0, len(ELEMENTS) - 1), max_size=4),
       after=st.lists(st.integers(0, len(ELEMENTS) - 1), max_size=2))
def test_no_query_the_check_passes_makes_the_engine_connect(listener, before, after) -> None:
    service = f"SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }}"
    query = (f"PREFIX ex: <http://ex/>\nSELECT * WHERE {{ {_pattern(before, 'v')} {service} "
             f"{_pattern(after, 'w')} }}")
    try:
        check_query(query)
    except BadRequest:
        return
    calls = listener.calls
    try:
        list(ox.Store().query(query))
    except (SyntaxError, OSError, ValueError, TypeError):
        pass
    assert listener.calls == calls, f"the engine called the SERVICE: {query!r}"
