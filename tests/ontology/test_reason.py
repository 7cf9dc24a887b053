"""OWL reasoning with owlready2/HermiT: consistency, named conflicts, materialised inferences."""

from __future__ import annotations

import contextlib
import functools
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from entente.graph.reason import (
    REASONERS,
    ReasonerUnavailable,
    check_consistency,
    infer_triples,
    reasoning_input,
)
from entente.graph.store import StoreInfo
from entente.graph.validate import read_rdf
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS, XSD

from entente.cli import main

needs_java = pytest.mark.skipif(
    shutil.which("java") is None, reason="java is not on PATH: HermiT needs a Java runtime"
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reason"
ENT = "https://entente.example.org/ontology#"
ID = "https://entente.example.org/id/"


def _t(s: str, p: str, o: str) -> tuple[URIRef, URIRef, URIRef]:
    expand = {"ent:": ENT, "id:": ID, "rdf:": str(RDF)}
    terms = []
    for term in (s, p, o):
        prefix, _, local = term.partition(":")
        terms.append(URIRef(expand[prefix + ":"] + local))
    return terms[0], terms[1], terms[2]


@needs_java
def test_ontology_alone_is_consistent_with_no_unsatisfiable_classes() -> None:
    report = check_consistency(Graph())
    assert report.ok
    assert report.unsatisfiable_classes == ()
    assert report.lines() == ["consistent (hermit)"]


@pytest.fixture(scope="module")
def relations_inferred() -> Graph:
    """The inferences from relations.ttl, computed once for the module."""
    return infer_triples(read_rdf(FIXTURES / "relations.ttl"))


@needs_java
def test_inference_materialises_inverse_symmetric_transitive_and_range_types(
    relations_inferred: Graph,
) -> None:
    assert set(relations_inferred) == {
        _t("id:org/league", "ent:hasMember", "id:state/alpha"),
        _t("id:state/beta", "ent:cooperatesWith", "id:state/alpha"),
        _t("id:org/league-council-committee", "ent:partOf", "id:org/league"),
        _t("id:org/league", "ent:hasPart", "id:org/league-council"),
        _t("id:org/league", "ent:hasPart", "id:org/league-council-committee"),
        _t("id:org/league-council", "ent:hasPart", "id:org/league-council-committee"),
        _t("id:state/beta", "ent:partyTo", "id:agreement/pact"),
        _t("id:agreement/pact", "ent:hasParty", "id:state/beta"),
        _t("id:agreement/pact", "rdf:type", "ent:Agreement"),
    }


@needs_java
def test_inference_is_deterministic_and_skips_what_owl_cannot_use(
    relations_inferred: Graph,
) -> None:
    data = Graph()
    data.parse(FIXTURES / "relations.ttl")
    alpha = URIRef(ID + "state/alpha")
    data.add((alpha, URIRef(ENT + "date"), Literal("2019", datatype=XSD.gYear)))
    data.add((alpha, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q0")))
    data.add((alpha, URIRef("urn:x:undeclared"), URIRef(ID + "state/beta")))
    assert sorted(infer_triples(data)) == sorted(relations_inferred)


@needs_java
def test_inconsistent_fixture_names_the_individual() -> None:
    report = check_consistency(read_rdf(FIXTURES / "inconsistent.ttl"))
    assert not report.ok
    assert report.conflicting_individuals == (ID + "state/chimera",)
    assert report.explanations == (
        f"{ID}state/chimera is an instance of disjoint classes ent:Person and ent:State",
    )


@needs_java
def test_range_clash_is_explained() -> None:
    data = Graph()
    alpha, beta = URIRef(ID + "state/alpha"), URIRef(ID + "state/beta")
    data.add((alpha, RDF.type, URIRef(ENT + "State")))
    data.add((beta, RDF.type, URIRef(ENT + "State")))
    data.add((alpha, URIRef(ENT + "memberOf"), beta))  # range: InternationalOrganization
    report = check_consistency(data)
    assert not report.ok
    assert report.conflicting_individuals == (str(beta),)


@needs_java
def test_cli_reason_reports_inconsistency_with_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reason", "--data", str(FIXTURES / "inconsistent.ttl")]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "inconsistent (hermit): the data contradicts the ontology (1 conflicting individuals)",
        f"conflict: {ID}state/chimera is an instance of disjoint classes ent:Person and ent:State",
    ]


@needs_java
def test_cli_reason_writes_sorted_ntriples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "inferred.nt"
    assert main(["reason", "--data", str(FIXTURES / "relations.ttl"), "--out", str(out)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "consistent (hermit)", "inferred triples: 9", f"wrote {out}",
    ]
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 9
    assert lines == sorted(lines)
    assert f"<{ID}org/league> <{ENT}hasMember> <{ID}state/alpha> ." in lines


def test_reasoning_input_leaves_out_evidence_and_named_graphs() -> None:
    base = "https://entente.example.org/"
    data = read_rdf(Path(__file__).resolve().parent.parent / "fixtures" / "shapes" / "valid.ttl")
    dataset = Dataset()
    for triple in data.triples((None, None, None)):
        if "/id/build/" not in str(triple[0]):  # (the build's activity is graph/build's)
            dataset.graph(URIRef(base + "graph/document/wire-1")).add(triple)
    inferred_graph = dataset.graph(URIRef(base + "graph/inferred"))
    inferred_graph.add((URIRef(ID + "x"), RDF.type, URIRef(ENT + "State")))
    selected = reasoning_input(dataset, base)
    subjects = {str(s) for s in selected.subjects()}
    assert subjects == {ID + "state/alpha", ID + "org/league", ID + "institution/wire"}
    assert (URIRef(ID + "state/alpha"), SKOS.prefLabel, Literal("Alpha", lang="en")) in selected


def test_missing_java_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import owlready2

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(owlready2, "JAVA_EXE", "java")
    with pytest.raises(ReasonerUnavailable):
        check_consistency(Graph())
    assert main(["reason", "--data", str(FIXTURES / "relations.ttl")]) == 1
    err = capsys.readouterr().err
    assert err == (
        "entente reason: error: java not found on PATH: "
        "OWL reasoning (HermiT/Pellet) needs a Java runtime\n"
    )


@needs_java
def test_unsatisfiable_class_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    report = check_consistency(read_rdf(FIXTURES / "unsatisfiable.ttl"))
    assert not report.ok
    assert report.unsatisfiable_classes == ("https://example.org/vocab#StatePerson",)
    assert report.conflicting_individuals == ()
    assert main(["reason", "--data", str(FIXTURES / "unsatisfiable.ttl")]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "incoherent (hermit): consistent, but 1 unsatisfiable classes",
        "unsatisfiable class: https://example.org/vocab#StatePerson",
    ]


@needs_java
def test_cli_reason_with_pellet_infers_what_hermit_infers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], relations_inferred: Graph
) -> None:
    out = tmp_path / "pellet.nt"
    args = ["reason", "--data", str(FIXTURES / "relations.ttl"), "--reasoner", "pellet"]
    code = main([*args, "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert set(Graph().parse(out, format="nt")) == set(relations_inferred)


def test_hermit_java_failure_falls_back_to_pellet(monkeypatch: pytest.MonkeyPatch) -> None:
    import owlready2

    calls: list[str] = []

    def hermit(*_args: object, **_kwargs: object) -> None:
        calls.append("hermit")
        raise owlready2.OwlReadyJavaError("Java error message is:\nException: boom\n")

    def pellet(*_args: object, **_kwargs: object) -> None:
        calls.append("pellet")

    monkeypatch.setattr(owlready2, "sync_reasoner_hermit", hermit)
    monkeypatch.setattr(owlready2, "sync_reasoner_pellet", pellet)
    monkeypatch.setattr("entente.graph.reason._java", lambda: "java")
    report = check_consistency(Graph())
    assert calls == ["hermit", "pellet"]
    assert report.ok and report.reasoner == "pellet"


@needs_java
@pytest.mark.slow
def test_the_built_corpus_is_consistent_with_the_ontology(built_store: StoreInfo) -> None:
    """All of the extraction output, assertion nodes and spans included, is consistent."""
    report = check_consistency(read_rdf(built_store.dump_path))
    assert report.lines() == ["consistent (hermit)"]


Reasoned = Callable[[str], tuple[int, list[str], Path]]


@pytest.fixture(scope="module")
def corpus_reasoned(built_store: StoreInfo, tmp_path_factory: pytest.TempPathFactory
                    ) -> Reasoned:
    """``entente reason --store`` over the built corpus with a reasoner (HermiT as the
    default, without ``--reasoner``), each run at most once in this test process: reasoner
    -> (exit code, printed lines, the ``--out`` file)."""
    folder = tmp_path_factory.mktemp("corpus-reasoned")

    @functools.cache
    def run(reasoner: str) -> tuple[int, list[str], Path]:
        out = folder / f"{reasoner}.nt"
        extra = [] if reasoner == "hermit" else ["--reasoner", reasoner]
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            code = main(["reason", "--store", str(built_store.link), *extra, "--out", str(out)])
        return code, printed.getvalue().splitlines(), out

    return run


@needs_java
@pytest.mark.slow
def test_cli_reason_over_a_store_writes_only_new_ent_triples(
    built_store: StoreInfo, corpus_reasoned: Reasoned
) -> None:
    code, printed, out = corpus_reasoned("hermit")  # (the default reasoner)
    assert code == 0
    # (a change to the extraction, the reference entities or the ontology changes the count:
    # look at what the new triples are before writing the new figure here)
    assert printed[:2] == ["consistent (hermit)", "inferred triples: 350"]
    inferred = Graph().parse(out, format="nt")
    assert len(inferred) == 350
    asserted = read_rdf(built_store.dump_path)
    for s, p, o in inferred:
        assert p == RDF.type or str(p).startswith(ENT)
        assert not str(s).startswith(ENT)
        assert (s, p, o, None) not in asserted


_VOTES = """@prefix ent: <https://entente.example.org/ontology#> .
@prefix id: <https://entente.example.org/id/> .
id:state\\/alpha a ent:State ; ent:vetoed id:event\\/vote .
id:state\\/beta a ent:State ; ent:abstainedOn id:event\\/vote .
id:person\\/gamma a ent:Person ; ent:holdsPosition id:institution\\/ministry .
id:institution\\/ministry a ent:GovernmentBody .
id:event\\/vote a ent:ResolutionVote .
"""


@needs_java
@pytest.mark.parametrize("reasoner", REASONERS)
def test_super_property_values_are_materialised(
    reasoner: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A value of a sub-property is one of its super-property (rdfs:subPropertyOf), with
    either reasoner: ent:vetoed and ent:abstainedOn give ent:votedOn, ent:holdsPosition gives
    ent:affiliatedWith."""
    data, out = tmp_path / "votes.ttl", tmp_path / f"{reasoner}.nt"
    data.write_text(_VOTES, encoding="utf-8")
    assert main(["reason", "--data", str(data), "--reasoner", reasoner, "--out", str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [f"consistent ({reasoner})",
                                                        "inferred triples: 3"]
    assert out.read_text(encoding="utf-8").splitlines() == [
        f"<{ID}person/gamma> <{ENT}affiliatedWith> <{ID}institution/ministry> .",
        f"<{ID}state/alpha> <{ENT}votedOn> <{ID}event/vote> .",
        f"<{ID}state/beta> <{ENT}votedOn> <{ID}event/vote> .",
    ]


@needs_java
@pytest.mark.slow
def test_hermit_and_pellet_infer_the_same_triples_on_the_corpus(
    corpus_reasoned: Reasoned
) -> None:
    inferred = {}
    for reasoner in REASONERS:
        code, printed, out = corpus_reasoned(reasoner)
        assert code == 0
        assert printed[0] == f"consistent ({reasoner})"
        inferred[reasoner] = out.read_text(encoding="utf-8")
    assert inferred["hermit"] == inferred["pellet"]
    china, russia, event = f"<{ID}state/china>", f"<{ID}state/russia>", f"<{ID}event/"
    assert [line for line in inferred["hermit"].splitlines() if f"<{ENT}votedOn>" in line] == [
        f"{china} <{ENT}votedOn> {event}crimea-resolution-2014> .",
        f"{china} <{ENT}votedOn> {event}unga-resolution-68-262> .",
        f"{china} <{ENT}votedOn> {event}unsc-draft-resolution-venezuela-2019> .",
        f"{china} <{ENT}votedOn> {event}unsc-resolution-minusca-2018> .",
        f"{russia} <{ENT}votedOn> {event}unsc-draft-resolution-venezuela-2019> .",
        f"{russia} <{ENT}votedOn> {event}unsc-resolution-minusca-2018> .",
    ]


def test_the_reasoners_temporary_file_is_removed_when_interrupted(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """owlready2 removes its N-Triples file only when the reasoner returns: a Ctrl-C left it
    in the system's temporary folder (the CLI audit)."""
    import tempfile

    import owlready2
    from entente.graph import reason

    made: list[str] = []

    def interrupted(world: object, **_: object) -> None:
        with tempfile.NamedTemporaryFile("wb", delete=False) as handle:  # as owlready2 does
            made.append(handle.name)
        raise KeyboardInterrupt

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(owlready2, "sync_reasoner_hermit", interrupted)
    with pytest.raises(KeyboardInterrupt):
        reason._sync(object(), "hermit", infer=True)
    assert made and not Path(made[0]).exists()
    assert list(tmp_path.iterdir()) == [] and tempfile.tempdir == str(tmp_path)
