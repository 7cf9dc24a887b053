"""An answer's fingerprint is the same from every engine and every form of the same result,
and another result has another fingerprint (entente.bench.answers)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph
import pytest
from entente.bench.answers import (
    fingerprint_boolean,
    fingerprint_json,
    fingerprint_oxigraph,
    fingerprint_rdflib,
    literal_value,
)
from rdflib import Dataset

EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
DATA = f"""
<{EX}china> <{EX}label> "China"@en <{EX}g1> .
<{EX}china> <{EX}label> "Chine"@fr <{EX}g1> .
<{EX}russia> <{EX}label> "Russia"@EN <{EX}g2> .
<{EX}china> <{EX}member> <{EX}sco> <{EX}g1> .
<{EX}russia> <{EX}member> <{EX}sco> <{EX}g2> .
<{EX}russia> <{EX}member> <{EX}brics> <{EX}g2> .
<{EX}china> <{EX}member> <{EX}brics> <{EX}g1> .
<{EX}sco> <{EX}share> "0.25"^^<{XSD}decimal> <{EX}g1> .
<{EX}sco> <{EX}share> "1.0E-1"^^<{XSD}double> <{EX}g1> .
<{EX}brics> <{EX}share> "3"^^<{XSD}integer> <{EX}g2> .
<{EX}brics> <{EX}note> "founded 2009"^^<{XSD}string> <{EX}g2> .
<{EX}sco> <{EX}note> "founded 2001" <{EX}g2> .
<{EX}sco> <{EX}founded> "2001-06-15"^^<{XSD}date> <{EX}g2> .
_:b1 <{EX}about> <{EX}sco> <{EX}g1> .
"""
QUERIES = {
    # aggregates: a count, an average over three numeric types, concatenated names
    "members": f"""SELECT ?org (COUNT(?state) AS ?n) (GROUP_CONCAT(STR(?state); separator=" ")
                   AS ?states) WHERE {{ ?state <{EX}member> ?org }} GROUP BY ?org
                   ORDER BY ?org""",
    "shares": f"""SELECT ?org (AVG(?share) AS ?mean) (SUM(?share) AS ?total)
                  WHERE {{ ?org <{EX}share> ?share }} GROUP BY ?org""",
    # every kind of term, unbound values, a blank node, a language tag in either case
    "terms": f"""SELECT ?s ?label ?note ?founded ?b WHERE {{
                   ?s <{EX}member> ?org
                   OPTIONAL {{ ?s <{EX}label> ?label }}
                   OPTIONAL {{ ?org <{EX}note> ?note }}
                   OPTIONAL {{ ?org <{EX}founded> ?founded }}
                   OPTIONAL {{ ?b <{EX}about> ?org }} }}""",
    "ask": f"ASK {{ <{EX}china> <{EX}member> <{EX}sco> }}",
}


@pytest.fixture(scope="module")
def engines() -> tuple[pyoxigraph.Store, Dataset]:
    store = pyoxigraph.Store()
    store.load(DATA.encode(), pyoxigraph.RdfFormat.N_QUADS)
    dataset = Dataset(default_union=True)
    dataset.parse(data=DATA, format="nquads")
    return store, dataset


def _oxigraph(store: pyoxigraph.Store, query: str) -> str:
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, pyoxigraph.QueryBoolean):
        return fingerprint_boolean(bool(result))
    return fingerprint_oxigraph(result.variables, list(result))


def _oxigraph_json(store: pyoxigraph.Store, query: str) -> str:
    result = store.query(query, use_default_graph_as_union=True)
    return fingerprint_json(json.loads(result.serialize(
        format=pyoxigraph.QueryResultsFormat.JSON)))


def _rdflib(dataset: Dataset, query: str) -> str:
    result = dataset.query(query)
    if result.type == "ASK":
        return fingerprint_json({"boolean": bool(result.askAnswer)})
    return fingerprint_rdflib(result.vars or [], list(result))


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_engine_and_form_gives_one_fingerprint(engines: tuple, name: str) -> None:
    store, dataset = engines
    query = QUERIES[name]
    ours = _oxigraph(store, query)
    assert len(ours) == 16 and int(ours, 16) >= 0
    assert _oxigraph_json(store, query) == ours
    assert _rdflib(dataset, query) == ours  # (rdflib's decimals, its row order: the same)


def _body(rows: list[dict]) -> dict:
    return {"head": {"vars": ["a", "b"]}, "results": {"bindings": rows}}


ROW_1 = {"a": {"type": "uri", "value": EX + "sco"},
         "b": {"type": "literal", "datatype": XSD + "integer", "value": "72"}}
ROW_2 = {"a": {"type": "uri", "value": EX + "un"},
         "b": {"type": "literal", "value": "China; Russia"}}


def test_the_same_rows_in_another_order_or_form_agree() -> None:
    same = fingerprint_json(_body([ROW_1, ROW_2]))
    decimal = {**ROW_1, "b": {"type": "typed-literal", "datatype": XSD + "decimal",
                              "value": "72.0"}}
    swapped = {**ROW_2, "b": {"type": "literal", "datatype": XSD + "string",
                              "value": "Russia; China"}}
    assert fingerprint_json(_body([ROW_2, ROW_1])) == same
    assert fingerprint_json(_body([decimal, swapped])) == same
    # an empty string for an unbound value (GROUP_CONCAT over nothing, in Virtuoso)
    empty = {**ROW_2, "b": {"type": "literal", "value": ""}}
    assert fingerprint_json(_body([ROW_1, empty])) == fingerprint_json(_body([ROW_1,
                                                                              {"a": ROW_2["a"]}]))
    # variables listed in another order in the head
    assert fingerprint_json({"head": {"vars": ["b", "a"]},
                             "results": {"bindings": [ROW_1, ROW_2]}}) == same


@pytest.mark.parametrize("changed", [
    # another count (what Virtuoso 7.2 gives for shared-memberships), a name missing from a
    # list (its GROUP_CONCAT in assertions at 1M), another IRI, a value unbound, a row twice
    [{**ROW_1, "b": {"type": "literal", "datatype": XSD + "integer", "value": "0"}}, ROW_2],
    [ROW_1, {**ROW_2, "b": {"type": "literal", "value": "China"}}],
    [{**ROW_1, "a": {"type": "uri", "value": EX + "brics"}}, ROW_2],
    [{"a": ROW_1["a"]}, ROW_2],
    [ROW_1, ROW_1],
    [ROW_1, {**ROW_2, "b": {"type": "literal", "xml:lang": "en", "value": "China; Russia"}}],
])
def test_another_result_has_another_fingerprint(changed: list[dict]) -> None:
    assert fingerprint_json(_body(changed)) != fingerprint_json(_body([ROW_1, ROW_2]))


@pytest.mark.parametrize(("a", "b", "same"), [
    (("1", XSD + "integer", None), ("1.0E0", XSD + "double", None), True),
    (("0.3333333333333333", XSD + "double", None),
     ("0.333333333333333333", XSD + "decimal", None), True),
    (("0.5", XSD + "decimal", None), ("0.6", XSD + "decimal", None), False),
    (("x", None, "EN"), ("x", None, "en"), True),
    (("x", None, "en"), ("x", None, None), False),
    (("2001-06-15", XSD + "date", None), ("2001-06-15", None, None), False),
    (("not a number", XSD + "integer", None), ("not a number", XSD + "integer", None), True),
])
def test_literal_values(a: tuple, b: tuple, same: bool) -> None:
    assert (literal_value(*a) == literal_value(*b)) is same


def test_the_virtuoso_peer_gives_the_engines_fingerprint(virtuoso: str, tmp_path: Path,
                                                         engines: tuple) -> None:
    """The same inline data answered by the suite's Virtuoso (its own number forms, its own
    order) and by pyoxigraph has one fingerprint."""
    from entente.bench.virtuoso import Virtuoso, latencies

    query = ('SELECT ?x ?n ?label WHERE { VALUES (?x ?n ?label) { '
             f'(<{EX}a> 2 "Ann"@en) (<{EX}b> 2.50 "B; A") (<{EX}c> 1.0e0 UNDEF) }} }}')
    server = Virtuoso(None, tmp_path, 0, urlsplit(virtuoso).port)
    found = latencies(server, {"q": {"text": query, "subs": {}}}, runs=1, budget_s=0.1,
                      timeout_s=30)
    assert found["q"]["rows"] == 3, found
    assert found["q"]["answer"] == _oxigraph(engines[0], query)


def test_the_remote_backend_stage_fingerprints_what_it_serves(virtuoso_corpus: str,
                                                              built_store) -> None:
    """The remote stage (serve --backend over Virtuoso) keeps each query's fingerprint; where
    Virtuoso answers right, it is the one of our engine's answer on the same data."""
    from entente.bench.engine import canned_workload
    from entente.bench.remote_bench import _latencies
    from entente.graph import canned
    from entente.graph.store import open_read_only

    from entente.config import Settings

    base = "https://entente.example.org/"
    workload = {k: v for k, v in canned_workload(base).items()
                if k in ("relation-types", "negated-claims", "un-votes")}
    found = _latencies(Settings().with_(backend=f"{virtuoso_corpus}/sparql", base_iri=base,
                                        cache_entries=0, max_rows=100_000),
                       workload, 1, 0.05)
    store = open_read_only(built_store)
    for name, item in workload.items():
        result = store.query(item["text"], use_default_graph_as_union=True,
                             substitutions=canned.to_pyoxigraph(
                                 {k: tuple(v) for k, v in item["subs"].items()}))
        solutions = list(result)
        assert found[name]["rows"] == len(solutions) > 0, (name, found[name])
        assert found[name]["answer"] == fingerprint_oxigraph(result.variables, solutions), name
