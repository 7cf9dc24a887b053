"""Variants of canned queries (``queries/<name>--<param>.rq``): another text of the query for
when a parameter is bound, found from that parameter, that gives the query's rows in the
query's order.  Each variant is run against its query for every value of its parameters in
the real corpus and in the mini dataset with odd assertions added; the loader refuses a
variant that cannot be one."""

from __future__ import annotations

import itertools

import pyoxigraph
import pytest
from entente.bench.engine import PARAMETER_VALUES
from entente.graph import canned
from entente.graph.store import StoreInfo, open_read_only

BASE = "https://entente.example.org/"
#: for each parameter a variant is for, the SPARQL listing its values (shared with the
#: benchmark; a new variant's parameter must be added there:
#: test_every_variant_parameter_has_values)
VALUES_OF = PARAMETER_VALUES
#: values that are no such resource, or another kind of resource: no rows either way
STRANGERS = ["id/state/china", "id/document/no-such-document"]
VARIANTS = sorted((name, variant.params) for name, query in canned.load_all().items()
                  for variant in query.variants)


def _rows(store: pyoxigraph.Store, text: str, bound: dict[str, tuple]) -> list[tuple]:
    results = store.query(text, use_default_graph_as_union=True,
                          substitutions=canned.to_pyoxigraph(bound) or None)
    names = [v.value for v in results.variables]
    return [tuple(None if s[n] is None else str(s[n]) for n in names) for s in results]


def _values(store: pyoxigraph.Store, param: str) -> list[str]:
    found = sorted(row["v"].value for row in store.query(VALUES_OF[param],
                                                          use_default_graph_as_union=True))
    return found + STRANGERS


@pytest.fixture(scope="module")
def corpus(built_store: StoreInfo) -> pyoxigraph.Store:
    return open_read_only(built_store)


def test_there_are_variants() -> None:
    assert ("assertions", ("document",)) in VARIANTS
    assert ("claims-by-source", ("source",)) in VARIANTS


@pytest.mark.parametrize(("name", "params"), VARIANTS)
def test_every_variant_parameter_has_values(name: str, params: tuple[str, ...]) -> None:
    assert set(params) <= set(VALUES_OF), f"add the values of {params} to PARAMETER_VALUES"


@pytest.mark.parametrize(("name", "params"), VARIANTS)
def test_a_variant_gives_its_querys_rows_in_order(corpus: pyoxigraph.Store, name: str,
                                                  params: tuple[str, ...]) -> None:
    query = canned.get(name)
    variant = next(v for v in query.variants if v.params == params)
    others = [p for p in query.params if p.name not in params]
    rows_seen = 0
    for values in itertools.product(*(_values(corpus, p) for p in params)):
        raw = dict(zip(params, values, strict=True))
        # the variant's parameters alone, then with each other parameter bound too
        for extra in [{}, *({p.name: "id/state/china"} for p in others if p.type == "iri")]:
            bound = canned.bind(query, {**raw, **extra}, BASE)
            expected = _rows(corpus, query.text, bound)
            assert _rows(corpus, variant.text, bound) == expected, (raw, extra)
            rows_seen += len(expected)
    assert rows_seen  # not a comparison of empty answers


#: assertions the extractor never writes but a store may hold (other tools, hand edits, a
#: partial load): a variant must treat them as its query does.  Added to the mini dataset
#: (whose own rows the variant must give too).
EDGES = """
@prefix ent: <https://entente.example.org/ontology#> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <https://entente.example.org/> .
<graph/document/doc-a> {
  <id/assertion/edge-no-object> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:memberOf ; ent:attributedTo <id/person/edge> ;
      prov:wasDerivedFrom <id/document/doc-a> .
  <id/assertion/edge-no-predicate> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:object <id/org/sco> ; ent:attributedTo <id/person/edge> ;
      prov:wasDerivedFrom <id/document/doc-a> .
  <id/assertion/edge-no-subject> a ent:Assertion ; ent:predicate ent:memberOf ;
      ent:object <id/org/sco> ; ent:attributedTo <id/person/edge> ;
      prov:wasDerivedFrom <id/document/doc-a> .
  <id/assertion/edge-not-typed> ent:subject <id/state/china> ; ent:predicate ent:memberOf ;
      ent:object <id/org/sco> ; ent:attributedTo <id/person/edge> ;
      prov:wasDerivedFrom <id/document/doc-a> .
  <id/assertion/edge-many> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:memberOf ; ent:object <id/org/sco> ;
      ent:attributedTo <id/person/edge>, <id/person/edge-b>, <id/person/edge-c> ;
      ent:date "2021"^^xsd:gYear, "2021-05"^^xsd:gYearMonth ;
      ent:evidence <id/sentence/doc-a-2>, <id/sentence/edge-no-end> ;
      prov:wasDerivedFrom <id/document/doc-a> .
  <id/assertion/edge-unattributed> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:memberOf ; ent:object <id/org/sco> ;
      prov:wasDerivedFrom <id/document/doc-a> .
  # a statement affirmed and denied (conflicting-claims), with odd polarities
  <id/assertion/edge-bloc-yes> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:memberOf ; ent:object <id/org/edge-bloc> ; ent:polarity ent:Affirmed ;
      ent:attributedTo <id/person/edge-b>, <id/person/edge-d> ;
      ent:quote "edge: China is in the bloc", "edge: a second quote" ;
      prov:wasDerivedFrom <id/document/doc-a>, <id/document/doc-b> .
  <id/assertion/edge-bloc-no> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:memberOf ; ent:object <id/org/edge-bloc> ; ent:polarity ent:Negated ;
      prov:wasDerivedFrom <id/document/doc-a> .
  <id/assertion/edge-bloc-both> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:memberOf ; ent:object <id/org/edge-bloc> ;
      ent:polarity ent:Affirmed, ent:Negated ; ent:attributedTo <id/person/edge> ;
      prov:wasDerivedFrom <id/document/doc-a> .
  <id/assertion/edge-bloc-untyped> ent:subject <id/state/china> ; ent:predicate ent:memberOf ;
      ent:object <id/org/edge-bloc> ; ent:polarity ent:Negated ;
      prov:wasDerivedFrom <id/document/doc-a> .
  <id/assertion/edge-bloc-undocumented> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:memberOf ; ent:object <id/org/edge-bloc> ; ent:polarity ent:Negated .
  <id/assertion/edge-lone-denial> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:memberOf ; ent:object <id/org/edge-club> ; ent:polarity ent:Negated ;
      prov:wasDerivedFrom <id/document/doc-a> .
  <id/assertion/edge-no-object> ent:polarity ent:Negated .
  <id/assertion/edge-no-predicate> ent:polarity ent:Negated .
  <id/org/edge-bloc> skos:prefLabel "Edge bloc"@en ; rdfs:label "Bloc"@en .
  # agreements: two relations, two times (one undated, one dated and begun), a narrower type
  <id/assertion/edge-deal-party> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:partyTo ; ent:object <id/agreement/edge-deal> ;
      ent:polarity ent:Affirmed ; ent:date "2020"^^xsd:gYear ;
      ent:quote "edge: China is party to the deal" ; prov:wasDerivedFrom <id/document/doc-a> .
  <id/assertion/edge-deal-signed> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:signed, ent:partyTo ; ent:object <id/agreement/edge-deal> ;
      prov:wasDerivedFrom <id/document/doc-a>, <id/document/doc-b> .
  <id/assertion/edge-pact-proposed> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:proposes ; ent:object <id/agreement/edge-pact>, <id/agreement/edge-plan> ;
      ent:polarity ent:Negated ; prov:wasDerivedFrom <id/document/doc-a> .
  <id/assertion/edge-pact-untyped> ent:subject <id/state/china> ; ent:predicate ent:partyTo ;
      ent:object <id/agreement/edge-pact> ; prov:wasDerivedFrom <id/document/doc-a> .
  <id/assertion/edge-pact-undocumented> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:partyTo ; ent:object <id/agreement/edge-pact> .
  <id/assertion/edge-pact-opposed> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:opposes ; ent:object <id/agreement/edge-pact> ;
      prov:wasDerivedFrom <id/document/doc-a> .
  <id/agreement/edge-deal> a ent:Deal, ent:Agreement ; skos:prefLabel "Edge deal"@en ;
      time:hasTime <id/time/edge-dated>, <id/time/edge-undated> .
  <id/time/edge-dated> time:inXSDDate "2020-01-02"^^xsd:date ;
      time:hasBeginning <id/time/edge-begun> .
  <id/time/edge-begun> time:inXSDgYear "2019"^^xsd:gYear .
  <id/agreement/edge-pact> a ent:Treaty ; rdfs:label "Edge pact"@en ;
      time:hasTime <id/time/edge-undated> .
  <id/agreement/edge-plan> a ent:Proposal .
  # votes on resolutions, one dated by a time and an interval
  <id/assertion/edge-vote-for> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:votedFor ; ent:object <id/resolution/edge-res> ;
      ent:polarity ent:Affirmed ; ent:quote "edge: China voted for it" ;
      prov:wasDerivedFrom <id/document/doc-a> .
  <id/assertion/edge-vote-against> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:votedAgainst ; ent:object <id/resolution/edge-res> ;
      ent:date "2021"^^xsd:gYear, "2021-03"^^xsd:gYearMonth ;
      prov:wasDerivedFrom <id/document/doc-b> .
  <id/assertion/edge-vote-untyped> ent:subject <id/state/china> ;
      ent:predicate ent:abstainedOn ; ent:object <id/resolution/edge-res> ;
      prov:wasDerivedFrom <id/document/doc-a> .
  <id/assertion/edge-vote-undocumented> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:vetoed ; ent:object <id/resolution/edge-res> .
  <id/assertion/edge-vote-twice> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:votedFor, ent:vetoed ; ent:object <id/resolution/edge-res-undated> ;
      prov:wasDerivedFrom <id/document/doc-a> .
  <id/resolution/edge-res> a ent:Resolution ; skos:prefLabel "Edge resolution"@en ;
      time:hasTime <id/time/edge-dated> .
  <id/resolution/edge-res-undated> a ent:Resolution ; time:hasTime <id/time/edge-undated> ;
      rdfs:label "Undated edge resolution"@en .
  # the timeline: meetings, a Summit also typed Event, intervals with and without an end
  <id/assertion/edge-meeting> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:meetsWith ; ent:object <id/person/edge> ; ent:date "2022"^^xsd:gYear ;
      time:hasTime <id/time/edge-since> ; prov:wasDerivedFrom <id/document/doc-a> .
  <id/assertion/edge-meeting-twice> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:meetsWith ; ent:object <id/org/sco>, <id/agreement/edge-deal> ;
      prov:wasDerivedFrom <id/document/doc-b> .
  <id/assertion/edge-summit> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:cooperatesWith ; ent:object <id/event/edge-summit> ;
      prov:wasDerivedFrom <id/document/doc-a> .
  <id/event/edge-summit> a ent:Summit, ent:Event ; time:hasTime <id/time/edge-dated> .
  # figures: two per assertion, untyped, no object
  <id/assertion/edge-figures> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:tradesWith ; ent:object <id/org/edge-bloc>, <id/org/sco> ;
      ent:figure "edge: USD 1 bn", "edge: USD 2 bn" ; ent:date "2021"^^xsd:gYear ;
      ent:quote "edge: trade of USD 1 bn", "edge: or USD 2 bn" ;
      prov:wasDerivedFrom <id/document/doc-a>, <id/document/doc-b> .
  <id/assertion/edge-figure-untyped> ent:subject <id/state/china> ; ent:predicate ent:tradesWith ;
      ent:object <id/org/sco> ; ent:figure "edge: untyped" ;
      prov:wasDerivedFrom <id/document/doc-a> .
  <id/assertion/edge-figure-no-object> a ent:Assertion ; ent:subject <id/state/china> ;
      ent:predicate ent:tradesWith ; ent:figure "edge: no object" ;
      prov:wasDerivedFrom <id/document/doc-a> .
  <id/time/edge-since> a time:ProperInterval ; time:hasBeginning <id/time/edge-begun> .
  <id/time/edge-span> a time:ProperInterval ; time:hasBeginning <id/time/edge-begun> ;
      time:hasEnd <id/time/edge-end>, <id/time/edge-undated> .
  <id/time/edge-end> time:inXSDgYear "2023"^^xsd:gYear .
  <id/resolution/edge-res> time:hasTime <id/time/edge-span> .
  <id/assertion/edge-deal-party> time:hasTime <id/time/edge-since> .
  <id/sentence/edge-no-end> a ent:Sentence ; nif:beginIndex "3"^^xsd:nonNegativeInteger .
  <id/person/edge> skos:prefLabel "Edge"@en, "Edge"@en-GB, "Edge plain" .
  <id/person/edge-b> rdfs:label "Bee"@en .
}
<graph/document/doc-b> {
  <id/person/edge> skos:prefLabel "Edge"@en .
  <id/org/edge-bloc> skos:prefLabel "Edge bloc"@en, "Bloc of the edge" .
  <id/agreement/edge-deal> a ent:Deal ; skos:prefLabel "Deal at the edge" .
  <id/resolution/edge-res> skos:prefLabel "Resolution at the edge" .
}
"""


#: the columns whose order each query's ORDER BY fixes (rows equal in them may come in any
#: order)
SORTED_BY = {
    "assertions": ("document", "start", "assertion"),
    "claims-by-source": ("sourceLabel", "source", "document", "assertion"),
    "agreements": ("agreementLabel", "agreement", "partyLabel", "relation", "document",
                   "party", "agreementType", "polarity", "date", "quote"),
    "un-votes": ("date", "resolution", "stateLabel", "vote", "document"),
    "timeline": ("date", "document", "assertion", "kind"),
    "economic-figures": ("document", "assertion"),
    "conflicting-claims": ("subject", "predicate", "objectLabel", "object", "affirmed",
                           "negated"),
}


@pytest.fixture(scope="module")
def edges(mini_store: pyoxigraph.Store) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.extend(mini_store.quads_for_pattern(None, None, None, None))
    store.load(EDGES.encode(), format=pyoxigraph.RdfFormat.TRIG)
    return store


@pytest.mark.parametrize(("name", "params"), VARIANTS)
def test_a_variant_treats_odd_assertions_as_its_query_does(
        edges: pyoxigraph.Store, name: str, params: tuple[str, ...]) -> None:
    query = canned.get(name)
    variant = next(v for v in query.variants if v.params == params)
    values = [_values(edges, p) for p in params]
    names = [v.value for v in edges.query(query.text, use_default_graph_as_union=True).variables]
    columns = [names.index(c) for c in SORTED_BY[name]]
    edge_rows = 0
    for combination in itertools.product(*values):
        bound = canned.bind(query, dict(zip(params, combination, strict=True)), BASE)
        expected = _rows(edges, query.text, bound)
        actual = _rows(edges, variant.text, bound)
        # the same rows; in the same order but for rows the ORDER BY ties (an assertion with
        # two dates: the query's order ends at the assertion)
        assert sorted(actual, key=repr) == sorted(expected, key=repr), combination
        assert ([[r[c] for c in columns] for r in actual]
                == [[r[c] for c in columns] for r in expected]), combination
        edge_rows += sum("edge" in str(row) for row in expected)
    assert edge_rows  # the odd assertions took part


def test_attributions_are_listed_in_the_order_of_their_labels(corpus: pyoxigraph.Store) -> None:
    # "The United States and NATO have said there is a real threat Russia could invade
    # Ukraine.": the IRIs and the labels in the same (label) order, with or without the
    # document bound
    query = canned.get("assertions")
    doc = "id/document/dw-2022-02-03-ukraine-crisis-russia-china"
    for raw in ({}, {"document": doc}):
        bound = canned.bind(query, raw, BASE)
        rows = {r[0]: r for r in _rows(corpus, query.text_for(bound), bound)}
        row = rows[f"<{BASE}id/assertion/dw-2022-02-03-ukraine-crisis-russia-china-4>"]
        assert row[9:11] == (f'"{BASE}id/org/nato {BASE}id/state/united-states"',
                             '"North Atlantic Treaty Organization; United States"')


def test_the_variant_runs_when_its_parameters_are_bound() -> None:
    query = canned.get("assertions")
    by_document = next(v for v in query.variants if v.params == ("document",))
    by_entity = next(v for v in query.variants if v.params == ("entity",))
    assert len({by_document.text, by_entity.text, query.text}) == 3
    assert query.text_for({}) == query.text
    assert query.text_for(canned.bind(query, {"entity": "id/state/china"}, BASE)) == by_entity.text
    # both bound: two variants of one parameter each; the first by file name runs
    for raw in ({"document": "id/document/x"},
                {"document": "id/document/x", "entity": "id/state/china"}):
        assert query.text_for(canned.bind(query, raw, BASE)) == by_document.text


def test_the_variant_with_most_bound_parameters_runs() -> None:
    query = canned.parse("q", "#+ title: t\n#+ description: d\n#+ params:\n"
                         "#+   - name: a\n#+     type: iri\n#+   - name: b\n#+     type: iri\n"
                         "SELECT ?a ?b WHERE { ?a ?p ?b }")
    query = canned.with_variant(query, "q--a", "SELECT ?a ?b WHERE { ?a ?p1 ?b }")
    query = canned.with_variant(query, "q--a--b", "SELECT ?a ?b WHERE { ?a ?p2 ?b }")
    query = canned.with_variant(query, "q--b", "SELECT ?a ?b WHERE { ?a ?p3 ?b }")
    assert query.text_for({"a": ("iri", "x")}).endswith("?p1 ?b }")
    assert query.text_for({"b": ("iri", "x")}).endswith("?p3 ?b }")
    assert query.text_for({"a": ("iri", "x"), "b": ("iri", "y")}).endswith("?p2 ?b }")


QUERY = ("#+ title: t\n#+ description: d\n#+ params:\n#+   - name: a\n#+     type: iri\n"
         "#+   - name: b\n#+     type: iri\nSELECT ?a ?b WHERE { ?a ?p ?b } ORDER BY ?a")


@pytest.mark.parametrize(("name", "text", "problem"), [
    ("q--c", "SELECT ?a ?b WHERE { ?a ?p ?b }", "q has no parameter 'c'"),
    ("q", "SELECT ?a ?b WHERE { ?a ?p ?b }", "a variant's name is q--<parameter>"),
    ("r--a", "SELECT ?a ?b WHERE { ?a ?p ?b }", "a variant's name is q--<parameter>"),
    ("q--b--a", "SELECT ?a ?b WHERE { ?a ?p ?b }", "in alphabetical order"),
    ("q--a--a", "SELECT ?a ?b WHERE { ?a ?p ?b }", "in alphabetical order"),
    ("q--a", "#+ title: x\nSELECT ?a ?b WHERE { ?a ?p ?b }", "has no '#+' header"),
    ("q--a", "SELECT ?b ?a WHERE { ?a ?p ?b }", "must select what q.rq selects, in its order"),
    ("q--a", "SELECT ?a WHERE { ?a ?p ?b }", "must select what q.rq selects"),
    ("q--a", "SELECT * WHERE { ?a ?p ?b }", "must select what q.rq selects"),
    ("q--a", "SELECT ?a ?b WHERE { ?a ?p ?b } LIMIT 5", "LIMIT is the caller's"),
])
def test_a_variant_that_cannot_be_one_is_refused(name: str, text: str, problem: str) -> None:
    query = canned.parse("q", QUERY)
    with pytest.raises(canned.CannedQueryError) as caught:
        canned.with_variant(query, name, text)
    assert str(caught.value).startswith(f"queries/{name}.rq: ")
    assert problem in str(caught.value)


def test_two_variants_for_the_same_parameters_are_refused() -> None:
    query = canned.with_variant(canned.parse("q", QUERY), "q--a", "SELECT ?a ?b WHERE { ?a ?p ?b }")
    with pytest.raises(canned.CannedQueryError, match="has a variant for these parameters"):
        canned.with_variant(query, "q--a", "SELECT ?a ?b WHERE { ?a ?q ?b }")
