"""Label edge cases the canned queries must keep after their rewrites for speed.

The queries fetch labels from DISTINCT (entity, label) tables instead of per-row OPTIONALs.
These tests pin the answers in the cases where the two could differ: an entity with two
labels (one row per label), a label only in rdfs:label, no label at all (unbound), a label
repeated in several graphs (no duplicate rows) and an attribution without any label (its IRI).
"""

from __future__ import annotations

import pyoxigraph
import pytest

TRIG = """
@prefix ent: <https://entente.example.org/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@base <https://entente.example.org/> .

<graph/ontology> {
  ent:supports rdfs:label "supports"@en .
  ent:opposes rdfs:label "opposes"@en .
}
<graph/entities> {
  <id/state/x> a ent:State ; skos:prefLabel "Xland"@en, "Xland plain", "Xlande"@fr .
  <id/state/y> a ent:State ; rdfs:label "Yland"@en .
  <id/state/z> a ent:State .
}
<graph/document/d1> {
  <id/document/d1> a ent:Document ; dcterms:title "One"@en .
  <id/person/pat> a ent:Person ; skos:prefLabel "Pat"@en .
  <id/sentence/d1-1> a ent:Sentence ; nif:referenceContext <id/document/d1> ;
      nif:beginIndex 0 ; nif:endIndex 10 .
  <id/assertion/d1-1> a ent:Assertion ; ent:subject <id/state/x> ; ent:predicate ent:supports ;
      ent:object <id/state/y> ; ent:polarity ent:Affirmed ; ent:certainty ent:Asserted ;
      ent:attributedTo <id/person/pat> ; ent:evidence <id/sentence/d1-1> ; ent:quote "q1" ;
      prov:wasDerivedFrom <id/document/d1> .
}
<graph/document/d2> {
  <id/document/d2> a ent:Document ; dcterms:title "Two"@en .
  <id/person/pat> a ent:Person ; skos:prefLabel "Pat"@en .
  <id/sentence/d2-1> a ent:Sentence ; nif:referenceContext <id/document/d2> ;
      nif:beginIndex 0 ; nif:endIndex 20 .
  <id/sentence/d2-2> a ent:Sentence ; nif:referenceContext <id/document/d2> ;
      nif:beginIndex 21 ; nif:endIndex 40 .
  <id/assertion/d2-1> a ent:Assertion ; ent:subject <id/state/x> ; ent:predicate ent:supports ;
      ent:object <id/state/y> ; ent:polarity ent:Affirmed ; ent:certainty ent:Likely ;
      ent:attributedTo <id/person/pat>, <id/institution/nameless> ;
      ent:evidence <id/sentence/d2-1> ; ent:quote "q2" ; prov:wasDerivedFrom <id/document/d2> .
  <id/assertion/d2-2> a ent:Assertion ; ent:subject <id/state/z> ; ent:predicate ent:opposes ;
      ent:object <id/state/x> ; ent:polarity ent:Negated ; ent:certainty ent:Asserted ;
      ent:evidence <id/sentence/d2-2> ; ent:quote "q3" ; prov:wasDerivedFrom <id/document/d2> .
}
"""

X, Y, Z = "id/state/x", "id/state/y", "id/state/z"
D1, D2 = "id/document/d1", "id/document/d2"
NAMELESS = "https://entente.example.org/id/institution/nameless"


@pytest.fixture(scope="module")
def store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(TRIG.encode("utf-8"), format=pyoxigraph.RdfFormat.TRIG)
    return store


def S(*items: str) -> frozenset[str]:  # noqa: N802 - short for the expected sets
    return frozenset(items)


def concat_as_set(value: str | None, sep: str) -> frozenset[str] | None:
    return None if value is None else frozenset(value.split(sep))


def test_assertions_one_row_per_label_and_unbound_without_label(store, run_canned) -> None:
    names, rows = run_canned(store, "assertions")
    assert [r[0] for r in rows] == ["id/assertion/d1-1", "id/assertion/d1-1",
                                    "id/assertion/d2-1", "id/assertion/d2-1",
                                    "id/assertion/d2-2", "id/assertion/d2-2"]
    at, atl = names.index("attributedTo"), names.index("attributedToLabel")
    picked = {(r[0], r[2], r[4], r[6], concat_as_set(r[at], " "), concat_as_set(r[atl], "; "))
              for r in rows}
    pat = "https://entente.example.org/id/person/pat"
    assert picked == {
        ("id/assertion/d1-1", "Xland", "supports", "Yland", S(pat), S("Pat")),
        ("id/assertion/d1-1", "Xland plain", "supports", "Yland", S(pat), S("Pat")),
        ("id/assertion/d2-1", "Xland", "supports", "Yland", S(pat, NAMELESS), S("Pat", NAMELESS)),
        ("id/assertion/d2-1", "Xland plain", "supports", "Yland", S(pat, NAMELESS),
         S("Pat", NAMELESS)),
        ("id/assertion/d2-2", None, "opposes", "Xland", None, None),
        ("id/assertion/d2-2", None, "opposes", "Xland plain", None, None),
    }


def test_claims_by_source_label_repeated_in_graphs_gives_one_row(store, run_canned) -> None:
    _, rows = run_canned(store, "claims-by-source", source="id/person/pat")
    assert sorted(rows, key=repr) == sorted([
        ("id/person/pat", "Pat", "id/assertion/d1-1", label, "supports", "Yland",
         "ent:Affirmed", "ent:Asserted", "q1", D1, None)
        for label in ("Xland", "Xland plain")
    ] + [
        ("id/person/pat", "Pat", "id/assertion/d2-1", label, "supports", "Yland",
         "ent:Affirmed", "ent:Likely", "q2", D2, None)
        for label in ("Xland", "Xland plain")
    ], key=repr)
    _, nameless = run_canned(store, "claims-by-source", source="id/institution/nameless")
    assert {(r[0], r[1], r[2]) for r in nameless} == {
        ("id/institution/nameless", None, "id/assertion/d2-1")}


def test_corroborated_claims_counts_are_the_same_for_each_label(store, run_canned) -> None:
    _, rows = run_canned(store, "corroborated-claims")
    # (two documents, one of them unhedged: d2's claim is ent:Likely; two assertions)
    assert [r[:10] for r in rows] == [
        (X, "Xland", "ent:supports", "supports", Y, "Yland", "ent:Affirmed", "2", "1", "2"),
        (X, "Xland plain", "ent:supports", "supports", Y, "Yland", "ent:Affirmed", "2", "1", "2"),
    ]
    assert {concat_as_set(r[10], " ") for r in rows} == {
        frozenset({"https://entente.example.org/" + D1, "https://entente.example.org/" + D2})}


def test_corroborated_claims_merges_a_symmetric_relation_and_keeps_uncertain_claims(
        run_canned) -> None:
    """Z cooperates with X (d1, no certainty: data from /update or another store) and X with Z
    (d2, Asserted): one statement, X first (the lesser IRI), of two documents, one of them
    unhedged (the assertion without a certainty was dropped from every count)."""
    trig = """@prefix ent: <https://entente.example.org/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@base <https://entente.example.org/> .
<graph/ontology> { ent:cooperatesWith a owl:SymmetricProperty . }
<graph/document/d1> { <id/assertion/d1-1> a ent:Assertion ; ent:subject <id/state/z> ;
    ent:predicate ent:cooperatesWith ; ent:object <id/state/x> ; ent:polarity ent:Affirmed ;
    prov:wasDerivedFrom <id/document/d1> . }
<graph/document/d2> { <id/assertion/d2-1> a ent:Assertion ; ent:subject <id/state/x> ;
    ent:predicate ent:cooperatesWith ; ent:object <id/state/z> ; ent:polarity ent:Affirmed ;
    ent:certainty ent:Asserted ; prov:wasDerivedFrom <id/document/d2> . }
"""
    store = pyoxigraph.Store()
    store.load(trig.encode(), format=pyoxigraph.RdfFormat.TRIG)
    _, rows = run_canned(store, "corroborated-claims")
    assert [(r[0], r[2], r[4], r[6], r[7], r[8], r[9]) for r in rows] == [
        (X, "ent:cooperatesWith", Z, "ent:Affirmed", "2", "1", "2")]


def test_relation_types_counts(store, run_canned) -> None:
    _, rows = run_canned(store, "relation-types")
    assert rows == [
        ("ent:supports", "supports", "2", "2", "0", "1", "2"),
        ("ent:opposes", "opposes", "1", "0", "1", "0", "1"),
    ]


def test_about_actor_other_without_label_is_unbound(store, run_canned) -> None:
    _, rows = run_canned(store, "about-actor", actor=X)
    assert [(r[1], r[2], r[5], r[6]) for r in rows] == [
        ("subject", "id/assertion/d1-1", Y, "Yland"),
        ("subject", "id/assertion/d2-1", Y, "Yland"),
        ("object", "id/assertion/d2-2", Z, None),
    ]
    assert [concat_as_set(r[9], "; ") for r in rows] == [
        {"Pat"}, {"Pat", NAMELESS}, None]


def test_hedged_and_negated_claims(store, run_canned) -> None:
    _, hedged = run_canned(store, "hedged-claims", reporting="hedged")
    assert {(r[0], r[1], r[5], r[6]) for r in hedged} == {
        ("hedged", "ent:Likely", "id/assertion/d2-1", "Xland"),
        ("hedged", "ent:Likely", "id/assertion/d2-1", "Xland plain"),
    }
    _, negated = run_canned(store, "negated-claims")
    assert {(r[0], r[2], r[6]) for r in negated} == {
        ("id/assertion/d2-2", None, "Xland"), ("id/assertion/d2-2", None, "Xland plain")}
