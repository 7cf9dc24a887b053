"""The SHACL shapes accept a valid document graph and reject each kind of broken one."""

from __future__ import annotations

from pathlib import Path

import pytest
from entente.graph.store import StoreInfo
from entente.graph.validate import read_rdf, shapes_graph, validate_graph, violations
from rdflib.namespace import RDF

from entente.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "shapes"
ASSERTION = "https://entente.example.org/id/assertion/wire-1-1"
SENTENCE = "https://entente.example.org/id/sentence/wire-1-1"
DOCUMENT = "https://entente.example.org/id/document/wire-1"
STATE = "https://entente.example.org/id/state/alpha"

#: fixture name -> the exact (focus node, path, message) rows expected.
BROKEN = {
    "missing-subject": {
        (ASSERTION, "ent:subject", "An assertion has exactly one ent:subject (an IRI)."),
    },
    "two-objects": {
        (ASSERTION, "ent:object", "An assertion has exactly one ent:object (an IRI)."),
    },
    "no-evidence": {
        (ASSERTION, "ent:evidence", "An assertion has at least one ent:evidence."),
    },
    "evidence-no-offsets": {
        (SENTENCE, "nif:beginIndex",
         "A text span has exactly one nif:beginIndex, an xsd:integer >= 0."),
        (SENTENCE, "nif:endIndex",
         "A text span has exactly one nif:endIndex, an xsd:integer >= 0."),
    },
    "begin-after-end": {
        (SENTENCE, "nif:beginIndex",
         "The nif:beginIndex of a text span is not greater than its nif:endIndex."),
    },
    "untitled-document": {
        (DOCUMENT, "-",
         "A document has a dcterms:title or the null marker ent:titleStated false."),
    },
    "bad-sha256": {
        (DOCUMENT, "ent:sha256", "ent:sha256 is 64 lower-case hexadecimal digits."),
    },
    "state-without-label": {
        (STATE, "skos:prefLabel", "A state or international organization has a skos:prefLabel."),
    },
    "untyped-date": {
        (ASSERTION, "ent:date", "ent:date is typed xsd:date, xsd:gYearMonth or xsd:gYear."),
    },
    "not-a-relation": {
        (ASSERTION, "ent:predicate/rdfs:subPropertyOf+",
         "The ent:predicate of an assertion is a relation property of the ontology "
         "(a sub-property of ent:relation)."),
    },
    "domain-outside-scheme": {
        (ASSERTION, "ent:inDomain",
         "The ent:inDomain of an assertion is an ent:Domain (a concept of ent:DomainScheme)."),
    },
    "negative-offset": {
        (SENTENCE, "nif:beginIndex",
         "A text span has exactly one nif:beginIndex, an xsd:integer >= 0."),
    },
    "polarity-outside-scheme": {
        (ASSERTION, "ent:polarity/skos:inScheme",
         "The ent:polarity of an assertion is a concept of ent:PolarityScheme."),
    },
}


def test_valid_fixture_conforms() -> None:
    conforms, report, _text = validate_graph(read_rdf(FIXTURES / "valid.ttl"))
    assert violations(report) == []
    assert conforms


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_fixture_is_rejected_with_the_expected_message(name: str) -> None:
    conforms, report, _text = validate_graph(read_rdf(FIXTURES / f"broken-{name}.ttl"))
    assert not conforms
    assert set(violations(report)) == BROKEN[name]


def test_every_broken_fixture_is_tested() -> None:
    on_disk = {p.stem.removeprefix("broken-") for p in FIXTURES.glob("broken-*.ttl")}
    assert on_disk == set(BROKEN)


def test_document_with_explicit_null_title_marker_conforms(tmp_path: Path) -> None:
    text = (FIXTURES / "broken-untitled-document.ttl").read_text(encoding="utf-8")
    marked = text.replace('ent:sourceFile "wire-1.txt" ;',
                          'ent:sourceFile "wire-1.txt" ; ent:titleStated false ;')
    assert marked != text
    path = tmp_path / "marked.ttl"
    path.write_text(marked, encoding="utf-8")
    conforms, report, _text = validate_graph(read_rdf(path))
    assert violations(report) == []
    assert conforms


def test_cli_validate_exits_0_on_valid_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--data", str(FIXTURES / "valid.ttl")]) == 0
    assert capsys.readouterr().out.strip().endswith("valid.ttl: conforms")


def test_cli_validate_exits_1_and_prints_focus_path_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate", "--data", str(FIXTURES / "broken-two-objects.ttl")]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f"{ASSERTION}\tent:object\tAn assertion has exactly one ent:object (an IRI)."
    ]
    assert "does not conform (1 violations)" in captured.err


def test_cli_validate_with_explicit_shapes_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix ent: <https://entente.example.org/ontology#> .\n"
        "<urn:x:shape> a sh:NodeShape ; sh:targetClass ent:Assertion ;\n"
        "  sh:property [ sh:path ent:figure ; sh:minCount 1 ; sh:message \"needs a figure\" ] .\n",
        encoding="utf-8",
    )
    args = ["validate", "--data", str(FIXTURES / "valid.ttl"), "--shapes", str(shapes)]
    assert main(args) == 1
    assert capsys.readouterr().out.splitlines() == [f"{ASSERTION}\tent:figure\tneeds a figure"]


def test_cli_validate_names_a_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.ttl"
    assert main(["validate", "--data", str(missing)]) == 1
    assert capsys.readouterr().err.strip() == f"entente validate: error: {missing}: no such file"


def test_cli_validate_rejects_an_unknown_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = tmp_path / "data.csv"
    odd.write_text("a,b\n", encoding="utf-8")
    assert main(["validate", "--data", str(odd)]) == 2
    assert f"{odd}: unknown RDF format" in capsys.readouterr().err


def test_cli_validate_names_a_file_that_does_not_parse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle .\n", encoding="utf-8")
    assert main(["validate", "--data", str(bad)]) == 1
    assert f"{bad}: cannot parse turtle:" in capsys.readouterr().err


@pytest.mark.slow
def test_the_built_corpus_conforms(built_store: StoreInfo) -> None:
    """The real extraction output (every document graph, entities, ontology) meets the shapes."""
    conforms, report, _text = validate_graph(read_rdf(built_store.dump_path))
    assert violations(report) == []
    assert conforms


def test_every_shape_constraint_has_a_message() -> None:
    from rdflib.namespace import SH

    shapes = shapes_graph()
    property_shapes = set(shapes.objects(None, SH.property))
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert len(property_shapes) >= 25
    constrained_nodes = {s for s in node_shapes if (s, SH["or"], None) in shapes}
    checked = property_shapes | constrained_nodes
    missing = [s for s in checked if shapes.value(s, SH.message) is None]
    assert missing == []
