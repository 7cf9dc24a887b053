"""Fuzzed protocol input against the app on the built corpus (Flask test client): random and
mutated SPARQL, raw bytes and truncated UTF-8, NUL bytes, random parameters, methods, paths,
Accept headers and content types.  Every answer is a well-formed 4xx in the one error shape, a
redirect, or a 200 whose body parses (and, for SELECT in SPARQL JSON, equals what pyoxigraph
answers directly).  Never a 5xx.  About 2,100 generated requests plus the nasty corpus."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote_from_bytes

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import check_answer  # noqa: TID252

FUZZ = settings(deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))

SEEDS = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 5",
    "ASK { <https://entente.example.org/id/state/china> ?p ?o }",
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "SELECT ?l WHERE { <https://entente.example.org/id/state/russia> skos:prefLabel ?l }",
    "CONSTRUCT WHERE { <https://entente.example.org/id/state/china> ?p ?o }",
    "DESCRIBE <https://entente.example.org/id/state/china>",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?c } } GROUP BY ?g ORDER BY ?g",
    'SELECT ?s WHERE { ?s ?p "China"@en } LIMIT 3',
    'SELECT (STRLEN("\u4f60\u597d \u00e9\u00e8 \U0001f600") AS ?x) {}',
    "SELECT * { VALUES ?x { 1 2 3 } FILTER(?x > 1) }",
    "PREFIX ent: <https://entente.example.org/ontology#>\n"
    "SELECT ?a WHERE { ?a a ent:Assertion } ORDER BY ?a LIMIT 7 # comment",
]
PATHS = ["/sparql", "/queries", "/queries/actors", "/queries/about-actor", "/id/state/china",
         "/id/", "/graph/ontology", "/ontology", "/", "/healthz", "/.well-known/void",
         "/openapi.json", "/update", "/nope", "/static/../../etc/passwd", "/queries/%00"]
PARAMS = ["query", "update", "format", "default-graph-uri", "named-graph-uri", "actor",
          "limit", "from", "q", ""]
MEDIA = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
         "text/tab-separated-values", "text/turtle", "application/ld+json", "text/html",
         "application/n-triples", "application/rdf+xml", "application/json", "*/*", "text/*",
         "image/png", "application/x-nonsense", ""]
CONTENT_TYPES = ["application/x-www-form-urlencoded", "application/sparql-query",
                 "application/sparql-update", "text/plain", "multipart/form-data",
                 "application/json", "", "application/sparql-query; charset=latin-1",
                 "application/x-www-form-urlencoded; charset=utf-16"]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]

fuzz_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=120)
accept = st.one_of(
    st.sampled_from(MEDIA),
    st.lists(st.tuples(st.sampled_from(MEDIA), st.sampled_from(
        ["1", "0", "0.5", "-1", "2", "nan", "abc", "0.0001", "", "1e9"])), max_size=4)
    .map(lambda items: ", ".join(f"{m};q={q}" for m, q in items)),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=80),
)


def _mutate(data: st.DataObject, text: str) -> str:
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(st.sampled_from(["cut", "insert", "delete", "dup", "swap", "nul"]))
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 20)))
        if op == "cut":
            text = text[:i]
        elif op == "insert":
            text = text[:i] + data.draw(st.sampled_from(
                ["{", "}", "(", ")", "?x", "<", ">", '"', "'", ".", ";", "#", "\\", "*",
                 "SELECT", "UNION", "OPTIONAL", "FILTER(", "unknown:thing", "^^", "@", "\n",
                 "GRAPH", "SERVICE", "INSERT", "\u0000", "\ufffd", "\U0001f600"])) + text[i:]
        elif op == "delete":
            text = text[:i] + text[j:]
        elif op == "dup":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "swap" and j > i:
            text = text[:i] + text[i:j][::-1] + text[j:]
        elif op == "nul":
            text = text[:i] + "\x00" + text[i:]
    return text


class Sender:
    """Sends requests through the test client, checks every answer and counts them."""

    def __init__(self, client: Any, oracle: ox.Store) -> None:
        self.client = client
        self.oracle = oracle
        self.sent = 0

    def send(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.client.open(path, method=method, **kwargs)
        self.sent += 1
        check_answer(method, response.status_code, response.content_type or "", response.data)
        for header in ("X-Content-Type-Options",):
            assert response.headers.get(header) == "nosniff", (path, response.headers)
        return response

    def query(self, method: str, query: str, **kwargs: Any) -> Any:
        if method == "GET":
            return self.send("GET", "/sparql", query_string={"query": query}, **kwargs)
        if method == "FORM":
            return self.send("POST", "/sparql", data={"query": query}, **kwargs)
        return self.send("POST", "/sparql", data=query.encode("utf-8"),
                         content_type="application/sparql-query", **kwargs)

    def check_select(self, query: str, response: Any) -> None:
        """A 200 SPARQL JSON SELECT has exactly the rows pyoxigraph gives (as a multiset)."""
        if response.status_code != 200 or response.mimetype != "application/sparql-results+json":
            return
        data = json.loads(response.data)
        if "results" not in data or data.get("entente", {}).get("truncated"):
            return
        words = {w.upper() for w in re.findall(r"[A-Za-z]+", query)}
        if words & {"LIMIT", "OFFSET", "SAMPLE"}:  # which rows is up to the engine
            return
        got = sorted(json.dumps(b, sort_keys=True) for b in data["results"]["bindings"])
        expected = self.oracle.query(query, use_default_graph_as_union=True)
        names = [v.value for v in expected.variables]
        want = sorted(json.dumps({n: _term(row[n]) for n in names if row[n] is not None},
                                 sort_keys=True) for row in expected)
        assert got == want, query


def _term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


@pytest.fixture(scope="module")
def sender(hard_app: Any, built_store: Any) -> Sender:
    oracle = ox.Store()
    oracle.bulk_load(path=str(built_store.dump_path), format=ox.RdfFormat.N_QUADS)
    return Sender(hard_app.test_client(), oracle)


@settings(FUZZ, max_examples=400)
@given(query=fuzz_text, how=st.sampled_from(["GET", "FORM", "BODY"]))
def test_random_text_as_a_query(sender: Sender, query: str, how: str) -> None:
    sender.query(how, query)


@settings(FUZZ, max_examples=500)
@given(data=st.data(), seed=st.sampled_from(SEEDS), how=st.sampled_from(["GET", "FORM", "BODY"]))
def test_mutated_sparql(sender: Sender, data: st.DataObject, seed: str, how: str) -> None:
    query = _mutate(data, seed)
    response = sender.query(how, query)
    if response.status_code == 200 and "\x00" not in query:
        sender.check_select(query, response)


@settings(FUZZ, max_examples=300)
@given(seed=st.sampled_from(SEEDS), cut=st.integers(0, 400), junk=st.binary(max_size=8),
       where=st.sampled_from(["body", "url"]))
def test_raw_bytes_and_truncated_utf8(sender: Sender, seed: str, cut: int, junk: bytes,
                                      where: str) -> None:
    raw = (seed + " # \u4f60\u597d\U0001f600").encode("utf-8")
    raw = raw[:cut % (len(raw) + 1)] + junk
    if where == "body":
        sender.send("POST", "/sparql", data=raw, content_type="application/sparql-query")
    else:
        sender.send("GET", "/sparql?query=" + quote_from_bytes(raw, safe=""))


@settings(FUZZ, max_examples=500)
@given(
    method=st.sampled_from(METHODS),
    params=st.lists(st.tuples(st.sampled_from(PARAMS),
                              st.one_of(st.sampled_from(SEEDS), fuzz_text,
                                        st.sampled_from(["json", "xml", "csv", "tsv", "ttl",
                                                         "html", "bogus", "file:///etc/passwd",
                                                         "urn:x", "http://evil/"]))),
                    max_size=5),
    content_type=st.sampled_from(CONTENT_TYPES),
    accept_header=accept,
    in_body=st.booleans(),
)
def test_random_parameters_types_and_accept(
    sender: Sender, method: str, params: list[tuple[str, str]], content_type: str,
    accept_header: str, in_body: bool,
) -> None:
    headers = {"Accept": accept_header}
    if method in ("POST", "PUT", "PATCH") and in_body:
        from urllib.parse import urlencode

        sender.send(method, "/sparql", data=urlencode(params).encode("utf-8"),
                    content_type=content_type, headers=headers)
    else:
        sender.send(method, "/sparql", query_string=params, headers=headers)


@settings(FUZZ, max_examples=400)
@given(path=st.sampled_from(PATHS), tail=fuzz_text, accept_header=accept,
       params=st.dictionaries(st.sampled_from(PARAMS[1:]), fuzz_text, max_size=3),
       method=st.sampled_from(["GET", "GET", "POST", "HEAD"]))
def test_random_paths_and_parameters(sender: Sender, path: str, tail: str, accept_header: str,
                                     params: dict[str, str], method: str) -> None:
    target = path + (quote_from_bytes(tail.encode("utf-8")) if path.endswith("/") else "")
    sender.send(method, target, query_string=params, headers={"Accept": accept_header})


# --- the nasty corpus ------------------------------------------------------------------------

MB = 1_000_000
NASTY: list[tuple[str, dict[str, Any], set[int]]] = [
    ("1 MB comment query", {"query_string": {"query": "ASK {} #" + "x" * (MB - 100)}}, {200}),
    ("1 MB POST body", {"method": "POST", "data": ("SELECT * {} #" + "y" * (MB - 100)).encode(),
                        "content_type": "application/sparql-query"}, {200}),
    ("over the size limit", {"method": "POST", "data": b"ASK {} #" + b"z" * (2 * MB),
                             "content_type": "application/sparql-query"}, {413}),
    ("nested groups x300", {"query_string": {"query": "ASK " + "{" * 300 + "}" * 300}}, {400}),
    ("nested groups x100000", {"query_string": {"query": "ASK " + "{" * 100_000}}, {400}),
    ("nested groups x256", {"query_string": {"query": "ASK " + "{" * 256 + "}" * 256}}, {200}),
    ("nested parentheses", {"query_string": {"query": "ASK { FILTER(" + "(" * 5000 + "1"
                                            + ")" * 5000 + ") }"}}, {400}),
    ("long operator chain", {"query_string": {"query": "ASK { FILTER(" + "+".join(["1"] * 9000)
                                             + " > 0) }"}}, {400}),
    ("long UNION chain", {"query_string": {"query": "SELECT * { " + " UNION ".join(
        ["{ BIND(1 AS ?x) }"] * 3000) + " }"}}, {400}),
    ("long BIND list", {"query_string": {"query": "SELECT * { " + " ".join(
        f"BIND({i} AS ?x{i})" for i in range(2000)) + " }"}}, {400}),
    ("big VALUES block", {"query_string": {"query": "SELECT (COUNT(*) AS ?n) { VALUES ?x { "
                                          + " ".join(str(i) for i in range(20000)) + " } }"}},
     {200}),
    ("NUL bytes", {"query_string": {"query": "SELECT\x00* { ?s ?p ?o\x00 }"}}, {400}),
    ("NUL in a string", {"query_string": {"query": 'ASK { FILTER("a\x00b" = "a\x00b") }'}},
     {200}),
    ("unknown prefix", {"query_string": {"query": "SELECT * { ?s nope:p ?o }"}}, {400}),
    ("lone surrogate escape", {"query_string": {"query": 'ASK { FILTER("\\uD800" = "") }'}},
     {400}),
    ("truncated UTF-8 body", {"method": "POST", "data": "ASK {} # \u4f60".encode()[:-1],
                              "content_type": "application/sparql-query"}, {400}),
    ("latin-1 body", {"method": "POST", "data": "ASK {} # caf\xe9".encode("latin-1"),
                      "content_type": "application/sparql-query"}, {400}),
    ("duplicate query", {"query_string": [("query", "ASK {}"), ("query", "ASK {}")]}, {400}),
    ("query in URL and form", {"method": "POST", "query_string": {"query": "ASK {}"},
                               "data": {"query": "ASK {}"}}, {400}),
    ("query and update", {"query_string": {"query": "ASK {}", "update": "CLEAR ALL"}}, {400}),
    ("absurd Accept", {"query_string": {"query": "ASK {}"},
                       "headers": {"Accept": "a/b;q=1;q=2, */*;q=-5, " + "x/y, " * 2000}},
     {406}),
    ("Accept nothing acceptable", {"query_string": {"query": "ASK {}"},
                                   "headers": {"Accept": "image/png"}}, {406}),
    ("bad format", {"query_string": {"query": "ASK {}", "format": "\x00\xff"}}, {406}),
    ("wrong content type", {"method": "POST", "data": b"ASK {}", "content_type": "text/plain"},
     {415}),
    ("multipart", {"method": "POST", "data": {"query": "ASK {}"},
                   "content_type": "multipart/form-data"}, {415}),
    ("graph parameter not an IRI", {"query_string": {"query": "ASK {}",
                                                     "default-graph-uri": "<evil> {"}}, {400}),
    ("FROM a file", {"query_string": {"query": "SELECT * FROM <file:///etc/passwd> "
                                               "{ ?s ?p ?o }"}}, {200}),
    ("SERVICE", {"query_string": {"query": "SELECT * { SERVICE <http://127.0.0.1:9/> "
                                           "{ ?s ?p ?o } }"}}, {400}),
    ("update keyword", {"query_string": {"query": "DROP ALL"}}, {400}),
    ("PUT", {"method": "PUT", "data": b"ASK {}"}, {405}),
]


@pytest.mark.parametrize(("name", "kwargs", "statuses"), NASTY, ids=[n[0] for n in NASTY])
def test_nasty_corpus(sender: Sender, name: str, kwargs: dict[str, Any],
                      statuses: set[int]) -> None:
    kwargs = dict(kwargs)
    method = kwargs.pop("method", "GET")
    response = sender.send(method, "/sparql", **kwargs)
    assert response.status_code in statuses, (name, response.status_code, response.data[:300])


def test_nested_and_long_queries_name_the_limit(sender: Sender) -> None:
    deep = sender.send("GET", "/sparql", query_string={"query": "ASK " + "{" * 300 + "}" * 300})
    assert deep.get_json() == {  # the 257th bracket: ASK and a space, then 256
        "error": "error at 1:261: query nests brackets 300 deep; the limit is 256",
        "position": "1:261", "status": 400}
    chain = "ASK { FILTER(" + "+".join(["1"] * 9000) + " > 0) }"
    long = sender.send("GET", "/sparql", query_string={"query": chain})
    assert long.get_json() == {"error": "query is too long: 18007 tokens outside VALUES and "
                               "DATA blocks; the limit is 5000", "status": 400}
    values = sender.send("GET", "/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) "
                         "{ VALUES ?x { " + " ".join(map(str, range(20000))) + " } }"})
    assert values.get_json()["results"]["bindings"][0]["n"]["value"] == "20000"
