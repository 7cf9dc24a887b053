"""Every bundled canned query is well-formed, documented and runs."""

from __future__ import annotations

import pyoxigraph
import pytest
from entente.graph import canned

REQUIRED = {
    "assertions", "shared-memberships", "about-actor", "timeline", "un-votes", "agreements",
    "claims-by-source", "hedged-claims", "negated-claims", "cooperation-vs-competition",
    "economic-figures", "corroborated-claims", "conflicting-claims", "documents", "actors",
    "relation-types",
}
ASSERTION_COLUMNS = [
    "assertion", "subject", "subjectLabel", "predicate", "predicateLabel", "object",
    "objectLabel", "polarity", "certainty", "attributedTo", "attributedToLabel", "date",
    "document", "quote", "start", "end",
]


def test_the_analyst_questions_are_all_there(query_files: list[str]) -> None:
    queries = canned.load_all()
    assert set(queries) == REQUIRED
    assert sorted(f"{n}.rq" for n in queries) == query_files


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_each_query_is_documented(name: str) -> None:
    query = canned.get(name)
    assert query.title and query.description
    assert len(query.description) > 40
    for param in query.params:
        assert param.description, f"{name}: parameter {param.name} undocumented"


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_each_query_runs_with_defaults_and_with_every_parameter(
    name: str, mini_store: pyoxigraph.Store, run_canned
) -> None:
    query = canned.get(name)
    names, rows = run_canned(mini_store, name)
    assert rows, f"{name} returns rows on the mini dataset"
    # every parameter bound at once: pyoxigraph only substitutes projected variables
    values = {}
    for param in query.params:
        values[param.name] = {
            "iri": "id/state/russia", "enum": param.values[0] if param.values else "",
            "string": "x", "integer": "1", "date": "2022",
        }[param.type]
    bound_names, _ = run_canned(mini_store, name, **values)
    assert bound_names == names


def test_assertions_columns_are_exactly_the_contract(mini_store, run_canned) -> None:
    names, _ = run_canned(mini_store, "assertions")
    assert names == ASSERTION_COLUMNS


def test_a_parameter_must_be_projected() -> None:
    text = "#+ title: t\n#+ description: d\n#+ params:\n#+   - name: who\n#+     type: iri\n" \
           "SELECT ?x WHERE { ?x ?p ?who }"
    with pytest.raises(canned.CannedQueryError, match="binds \\?who"):
        canned.parse("t", text)


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("#+ description: d\n", "needs a non-empty 'title'"),
        ("#+ title: t\n#+ description: d\n#+ color: red\n", "unknown header keys"),
        ("#+ title: t\n#+ description: d\n#+ params:\n#+   - name: x\n#+     type: float\n",
         "type must be one of"),
        ("#+ title: t\n#+ description: d\n#+ params:\n#+   - name: x\n#+     type: enum\n",
         "needs 'values'"),
        ("#+ title: t\n#+ description: d\n#+ params:\n#+   - name: x\n#+     type: integer\n"
         "#+     default: many\n", "bad default"),
        ("#+ title: [unclosed\n", "bad '#\\+' header"),
    ],
)
def test_malformed_headers_are_named_errors(header: str, problem: str) -> None:
    with pytest.raises(canned.CannedQueryError, match=problem) as info:
        canned.parse("broken", header + "SELECT ?x WHERE { ?x ?p ?o }", "queries/broken.rq")
    assert str(info.value).startswith("queries/broken.rq: ")


def test_unknown_query_lists_the_known_ones() -> None:
    with pytest.raises(canned.UnknownQuery, match="no canned query 'nope' \\(known: about-actor"):
        canned.get("nope")
