"""Parameters are checked by type and bound as RDF terms, never pasted into the query."""

from __future__ import annotations

import pyoxigraph
import pytest
from entente.graph import canned

BASE = "https://entente.example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
HEADER = """#+ title: Test query
#+ description: A query with one parameter of each type.
#+ params:
#+   - name: actor
#+     type: iri
#+     default: id/state/china
#+   - name: text
#+     type: string
#+   - name: when
#+     type: date
#+   - name: count
#+     type: integer
#+   - name: kind
#+     type: enum
#+     values: [certain, hedged]
#+   - name: must
#+     type: string
#+     required: true
"""
QUERY = HEADER + "SELECT ?actor ?text ?when ?count ?kind ?must WHERE { }\n"


@pytest.fixture()
def query() -> canned.CannedQuery:
    return canned.parse("test", QUERY)


def test_defaults_and_types(query: canned.CannedQuery) -> None:
    subs = canned.bind(query, {"must": "m", "when": "2019-02", "count": "+7", "kind": "hedged",
                               "text": "a b"}, BASE)
    assert subs == {
        "actor": ("iri", BASE + "id/state/china"),
        "must": ("literal", "m", XSD + "string", None),
        "when": ("literal", "2019-02", XSD + "gYearMonth", None),
        "count": ("literal", "7", XSD + "integer", None),
        "kind": ("literal", "hedged", XSD + "string", None),
        "text": ("literal", "a b", XSD + "string", None),
    }


@pytest.mark.parametrize(("value", "datatype"),
                         [("2022", "gYear"), ("2022-02", "gYearMonth"), ("2022-02-04", "date")])
def test_dates_take_the_precision_given(query: canned.CannedQuery, value: str, datatype: str):
    subs = canned.bind(query, {"must": "m", "when": value}, BASE)
    assert subs["when"] == ("literal", value, XSD + datatype, None)


def test_absent_optional_parameters_stay_unbound(query: canned.CannedQuery) -> None:
    assert set(canned.bind(query, {"must": "m"}, BASE)) == {"actor", "must"}


def test_absolute_iris_are_kept(query: canned.CannedQuery) -> None:
    subs = canned.bind(query, {"must": "m", "actor": "http://www.wikidata.org/entity/Q148"}, BASE)
    assert subs["actor"] == ("iri", "http://www.wikidata.org/entity/Q148")


@pytest.mark.parametrize("value", [" id/state/china", "id/state/china ", " /id/state/china ",
                                   f" {BASE}id/state/china  "])
def test_spaces_around_an_iri_are_no_part_of_it(query: canned.CannedQuery, value: str) -> None:
    """As around a label (they were a 400 "not an IRI")."""
    subs = canned.bind(query, {"must": "m", "actor": value}, BASE)
    assert subs["actor"] == ("iri", BASE + "id/state/china")


@pytest.mark.parametrize(
    ("raw", "name", "problem"),
    [
        ({}, "must", "is required"),
        ({"must": "m", "colour": "red"}, "colour", "unknown parameter of test"),
        ({"must": "m", "count": "1.5"}, "count", "not an integer"),
        ({"must": "m", "count": "12abc"}, "count", "not an integer"),
        ({"must": "m", "when": "2022-13"}, "when", "not a date"),
        ({"must": "m", "when": "yesterday"}, "when", "not a date"),
        ({"must": "m", "kind": "maybe"}, "kind", "must be one of certain, hedged"),
        ({"must": "m", "actor": "<http://evil/>"}, "actor", "not an IRI"),
        ({"must": "m", "actor": "http://evil/> } #"}, "actor", "not an IRI"),
        ({"must": "m", "actor": "javascript:alert(1)"}, "actor", "not an IRI"),
        ({"must": "m", "actor": "urn:x y"}, "actor", "not an IRI"),  # a scheme: no title
        ({"must": "m", "actor": "id/state/china\"x"}, "actor", "not an IRI"),
    ],
)
def test_bad_values_name_the_parameter(query, raw, name, problem) -> None:
    with pytest.raises(canned.ParamError, match=problem) as info:
        canned.bind(query, raw, BASE)
    assert info.value.name == name
    assert str(info.value).startswith(f"parameter {name!r}: ")


def test_a_value_with_no_slash_or_colon_is_a_label_to_look_up(query) -> None:
    """(:func:`canned.resolve_labels` looks it up as a literal: never pasted into a query)"""
    subs = canned.bind(query, {"must": "m", "actor": "} . ?s ?p ?o } #"}, BASE)
    assert subs["actor"] == ("label", "} . ?s ?p ?o } #")


@pytest.mark.parametrize("title", [
    "Threat Assessment: Beijing and Moscow", "China: a partner", "US/China relations today",
    "Can the Ukraine crisis push Russia closer to China?"])
def test_words_with_a_colon_or_a_slash_are_a_label_not_an_iri(query, title: str) -> None:
    """A document's title holds colons and slashes; an IRI holds no space."""
    assert canned.bind(query, {"must": "m", "actor": title}, BASE)["actor"] == ("label", title)


def test_injection_attempts_are_bound_literally_and_the_text_never_changes(query) -> None:
    before = query.text
    evil = '"} . ?s ?p ?o } #'
    subs = canned.bind(query, {"must": evil, "text": "<http://evil/>"}, BASE)
    assert query.text == before
    assert subs["must"] == ("literal", evil, XSD + "string", None)
    store = pyoxigraph.Store()
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://x/s"), pyoxigraph.NamedNode("http://x/p"),
                              pyoxigraph.Literal("o")))
    rows = list(store.query(query.text, substitutions=canned.to_pyoxigraph(subs)))
    assert len(rows) == 1
    assert rows[0]["must"] == pyoxigraph.Literal(evil)
    assert rows[0]["text"] == pyoxigraph.Literal("<http://evil/>")
    assert query.text == before


def test_to_pyoxigraph_builds_terms() -> None:
    subs = canned.to_pyoxigraph({
        "a": ("iri", "http://x/a"),
        "b": ("literal", "7", XSD + "integer", None),
        "c": ("literal", "hi", None, "en"),
        "d": ("literal", "plain", None, None),
    })
    assert subs == {
        pyoxigraph.Variable("a"): pyoxigraph.NamedNode("http://x/a"),
        pyoxigraph.Variable("b"): pyoxigraph.Literal(
            "7", datatype=pyoxigraph.NamedNode(XSD + "integer")
        ),
        pyoxigraph.Variable("c"): pyoxigraph.Literal("hi", language="en"),
        pyoxigraph.Variable("d"): pyoxigraph.Literal("plain"),
    }


def test_param_assignments_from_the_command_line() -> None:
    assert canned.parse_assignments(["a=1", "b=x=y", "c="]) == {"a": "1", "b": "x=y", "c": ""}
    with pytest.raises(canned.ParamError, match="expected NAME=VALUE"):
        canned.parse_assignments(["novalue"])
