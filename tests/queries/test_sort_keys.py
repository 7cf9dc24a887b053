"""Row order of the listing queries that sort on short keys (docs/queries.md).

`assertions`, `hedged-claims`, `claims-by-source` and `about-actor` do not sort on the IRIs and
labels themselves: they sort on 15-character pieces of them (and `hedged-claims` on the rank of
the certainty level), which Oxigraph compares without reading the store. These tests build IRIs
and labels where a wrong cut would show: terms that differ only after 90 characters, one term a
prefix of another, differences on both sides of each piece boundary, a non-ASCII character, a
label in a language and one without, an actor without a label, two certainty levels with the
same probability. The expected order is computed here from the row values, in Python.
"""

from __future__ import annotations

import pyoxigraph
import pytest

BASE = "https://entente.example.org/"
DOC = "id/document/"
LONG = "a" * 60
#: document slugs: equal for 100 characters then different; one a prefix of another; a
#: non-ASCII character; pairs that differ on each side of a piece boundary (the slug starts at
#: character 41 of the IRI, pieces end at characters 45, 60, 75 and 90), where the character
#: after the first difference would sort the other way
DOCS = [LONG + "b" * 40 + "x", LONG + "b" * 40 + "w", LONG, LONG + "b", "b", "ab", LONG + "\u00e9",
        *(slug for at in (5, 6, 20, 21, 35, 36, 50, 51)
          for slug in ("a" * (at - 1) + "Zb", "a" * (at - 1) + "aa"))]
#: (source IRI path, label or None): labels equal for 50 characters, plain and @en, none, and
#: pairs of labels or of IRIs that differ on each side of a piece boundary
SOURCES = [("id/person/p1", '"' + "M" * 50 + 'y"@en'), ("id/person/p2", '"' + "M" * 50 + 'x"'),
           ("id/person/p3", '"Pat"@en'), ("id/person/p4", '"pat"'), ("id/institution/none", None),
           ("id/person/" + "q" * 70, '"Pat"@en'),
           *(source for at in (15, 16, 30, 31, 45, 46)
             for source in ((f"id/person/m{at}z", '"' + "M" * (at - 1) + 'Zb"'),
                            (f"id/person/m{at}a", '"' + "M" * (at - 1) + 'aa"@en'))),
           # one label, IRIs that differ at characters 45, 46, 60 and 61 (the path starts at 39)
           *(source for at in (45, 46, 60, 61)
             for source in ((f"id/person/{'s' * (at - 39)}Zb", '"Same"'),
                            (f"id/person/{'s' * (at - 39)}aa", '"Same"')))]
#: certainty level -> maxProbability (Possible and RoughlyEvenChance tie; Remote has none)
LEVELS = {"Asserted": "1.0", "Likely": "0.8", "Possible": "0.55", "RoughlyEvenChance": "0.55",
          "Unlikely": "0.45", "Remote": None}


def _trig() -> str:
    lines = ["@prefix ent: <https://entente.example.org/ontology#> .",
             "@prefix prov: <http://www.w3.org/ns/prov#> .",
             "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
             "@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .",
             f"@base <{BASE}> .", "<graph/ontology> {"]
    for level, top in LEVELS.items():
        lines.append(f"  ent:{level} skos:prefLabel \"{level}\"@en" +
                     (f" ; ent:maxProbability {top} ." if top else " ."))
    lines.append("}")
    lines.append("<graph/entities> {")
    for path, label in SOURCES:
        named = f" ; skos:prefLabel {label}" if label else ""
        lines.append(f"  <{path}> a ent:Person{named} .")
    lines.append("}")
    levels = list(LEVELS)
    n = 0
    for i, slug in enumerate(DOCS):
        doc = f"<{DOC}{slug}>"
        lines.append(f"<graph/document/d{i}> {{")
        lines.append(f"  {doc} a ent:Document .")
        # two assertions in the same sentence (same start): 'd{i}-2' sorts before 'd{i}-10'
        for k in (2, 10):
            n += 1
            source = SOURCES[n % len(SOURCES)][0]
            level = levels[n % len(levels)]
            lines.append(f"  <id/sentence/d{i}-1> a ent:Sentence ; nif:referenceContext {doc} ;"
                         " nif:beginIndex 0 ; nif:endIndex 9 .")
            lines.append(f"  <id/assertion/d{i}-{k}> a ent:Assertion ;"
                         f" ent:subject <id/state/x> ; ent:predicate ent:supports ;"
                         f" ent:object <id/state/y{n % 3}> ; ent:polarity ent:Affirmed ;"
                         f" ent:certainty ent:{level} ; ent:attributedTo <{source}> ;"
                         f" ent:evidence <id/sentence/d{i}-1> ; ent:quote \"q{n}\" ;"
                         f" prov:wasDerivedFrom {doc} .")
        lines.append("}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(_trig().encode("utf-8"), format=pyoxigraph.RdfFormat.TRIG)
    return store


def _by_assertion(iri: str) -> tuple[int, str]:
    return (len(iri), iri)  # STRLEN(STR(?assertion)) ?assertion


def _doc(value: str) -> str:
    return BASE + value if value.startswith("id/") else value


def _strictly_increasing(keys: list[tuple]) -> bool:
    return all(a < b for a, b in zip(keys, keys[1:], strict=False))


def test_the_data_has_the_cases(store, run_canned) -> None:
    _, rows = run_canned(store, "assertions")
    assert len(rows) == 2 * len(DOCS)
    assert max(len(BASE + DOC + slug) for slug in DOCS) > 90 + 15


def test_assertions_order(store, run_canned) -> None:
    names, rows = run_canned(store, "assertions")
    i_doc, i_start, i_a = names.index("document"), names.index("start"), names.index("assertion")
    keys = [(_doc(r[i_doc]), int(r[i_start]), *_by_assertion(r[i_a])) for r in rows]
    assert _strictly_increasing(keys)
    assert [r[i_doc] for r in rows][:2] == [DOC + "aaaaZb"] * 2  # 'Z' < 'a'


def test_about_actor_order(store, run_canned) -> None:
    names, rows = run_canned(store, "about-actor", actor="id/state/x")
    i_doc, i_a, i_role = names.index("document"), names.index("assertion"), names.index("role")
    keys = [(_doc(r[i_doc]), *_by_assertion(r[i_a]), r[i_role]) for r in rows]
    assert len(rows) == 2 * len(DOCS)
    assert _strictly_increasing(keys)


def test_claims_by_source_order(store, run_canned) -> None:
    names, rows = run_canned(store, "claims-by-source")
    i_label, i_source = names.index("sourceLabel"), names.index("source")
    i_doc, i_a = names.index("document"), names.index("assertion")
    keys = [(r[i_label] is not None, r[i_label] or "", _doc(r[i_source]), _doc(r[i_doc]),
             *_by_assertion(r[i_a])) for r in rows]
    assert len(rows) == 2 * len(DOCS)
    assert {r[i_source] for r in rows} == {path for path, _ in SOURCES}
    assert _strictly_increasing(keys)
    assert rows[0][i_label] is None  # the source without a label comes first
    labels = [r[i_label] for r in rows if r[i_label] is not None]
    assert labels.index("M" * 50 + "x") < labels.index("M" * 50 + "y")  # plain vs @en, by text


def test_hedged_claims_order(store, run_canned) -> None:
    names, rows = run_canned(store, "hedged-claims")
    i_rep, i_max = names.index("reporting"), names.index("maxProbability")
    i_cert, i_doc, i_a = names.index("certainty"), names.index("document"), names.index("assertion")

    def desc_max(value: str | None) -> tuple[bool, float]:
        return (value is None, -float(value or 0))  # DESC: unbound last

    keys = [(r[i_rep], *desc_max(r[i_max]), r[i_cert], _doc(r[i_doc]), *_by_assertion(r[i_a]))
            for r in rows]
    assert len(rows) == 2 * len(DOCS)
    assert _strictly_increasing(keys)
    tied = [r[i_cert] for r in rows if r[i_max] == "0.55"]
    assert set(tied) == {"ent:Possible", "ent:RoughlyEvenChance"}
    assert tied == sorted(tied)  # the rank of the level decides between equal probabilities
