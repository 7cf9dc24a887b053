"""Each canned query returns its exact expected rows on the real corpus.

The expected answers are in expected/<case>.jsonl (see expected/cases.yaml for how to
regenerate them after a deliberate change, and review the diff).
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pyoxigraph
import pytest
import yaml
from entente.graph import canned
from entente.graph.store import StoreInfo, open_read_only

EXPECTED = Path(__file__).parent / "expected"
CASES = yaml.safe_load((EXPECTED / "cases.yaml").read_text(encoding="utf-8"))
BASE = "https://entente.example.org/"
ONTOLOGY = "https://entente.example.org/ontology#"


def _compact(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        value = term.value.replace(ONTOLOGY, "ent:")
        return value[len(BASE):] if value.startswith(BASE) else value
    if isinstance(term, pyoxigraph.Literal):
        return term.value
    return str(term)


@pytest.fixture(scope="module")
def corpus_store(built_store: StoreInfo) -> pyoxigraph.Store:
    return open_read_only(built_store)


def test_every_canned_query_has_a_corpus_case() -> None:
    assert {case["query"] for case in CASES} == set(canned.load_all())


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_exact_rows_on_the_corpus(corpus_store: pyoxigraph.Store, case: dict) -> None:
    query = canned.get(case["query"])
    subs = canned.to_pyoxigraph(canned.bind(query, case.get("params") or {}, BASE))
    results = corpus_store.query(query.text, use_default_graph_as_union=True,
                                 substitutions=subs or None)
    names = [v.value for v in results.variables]
    actual = [json.dumps(names, ensure_ascii=False)] + [
        json.dumps([_compact(s[n]) for n in names], ensure_ascii=False) for s in results
    ]
    expected = (EXPECTED / f"{case['file']}.jsonl").read_text(encoding="utf-8").splitlines()
    if actual != expected:
        diff = "\n".join(difflib.unified_diff(expected, actual, "expected", "actual", lineterm=""))
        pytest.fail(f"{case['file']}: rows differ from expected/{case['file']}.jsonl\n{diff}")
