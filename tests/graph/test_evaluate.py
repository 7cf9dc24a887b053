"""The gold file is valid, and the evaluator gives exact figures on a hand-made store."""

from __future__ import annotations

import json
from collections import Counter
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from entente.graph.evaluate import (
    CERTAINTIES,
    PREDICATES,
    GoldFact,
    evaluate,
    format_report,
    load_gold,
    parse_gold,
)
from entente.graph.store import StoreInfo, load_dataset_into_memory, publish

from entente.cli import main as cli_main
from entente.config import ONTOLOGY_NS
from entente.errors import EntenteError

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "gold" / "gold.jsonl"
CORPUS = ROOT / "corpus"
BASE = "https://entente.example.org/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
PROV = "http://www.w3.org/ns/prov#"


# --- the gold file -----------------------------------------------------------------------


def _corpus_texts() -> dict[str, str]:
    meta = json.loads((CORPUS / "metadata.json").read_text(encoding="utf-8"))
    return {d["slug"]: (CORPUS / d["file"]).read_text(encoding="utf-8")
            for d in meta["documents"]}


def test_gold_file_is_valid() -> None:
    facts = load_gold(GOLD)  # parses every line, required keys, ids unique, known terms
    texts = _corpus_texts()
    assert len(facts) == 140  # README "Quality"
    per_document = Counter(f.document for f in facts)
    assert set(per_document) == set(texts)
    assert sorted(per_document.values()) == [11, 21, 23, 30, 55]
    for fact in facts:
        assert fact.quote in texts[fact.document], f"{fact.id}: quote not in the text"
        assert fact.predicate in PREDICATES and fact.certainty in CERTAINTIES
        for iri in (fact.subject, fact.object):
            kind, _, slug = iri.removeprefix("id/").partition("/")
            assert iri.startswith("id/") and kind in {
                "state", "org", "person", "institution", "agreement", "event", "place",
            } and slug, f"{fact.id}: bad IRI {iri}"
    assert {f.polarity for f in facts} == {"affirmed", "negated"}
    assert {f.certainty for f in facts} == {  # hedged facts are represented
        "Asserted", "HighlyLikely", "Likely", "Possible", "Unlikely"}


def test_gold_iris_are_reference_entities_or_minted_actors() -> None:
    entities = rdflib.Graph().parse(
        data=(files("entente.ontology") / "entities.ttl").read_text(encoding="utf-8"),
        format="turtle", publicID=BASE)
    known = {str(s) for s in entities.subjects(unique=True)}
    unknown = sorted({iri for f in load_gold(GOLD) for iri in (f.subject, f.object)
                      if BASE + iri not in known})
    # actors the linker mints from their name are allowed; nothing else may be invented
    assert [iri for iri in unknown
            if not iri.startswith(("id/person/", "id/institution/"))] == []


def test_gold_lines_are_plain_json_objects_with_exactly_the_documented_keys() -> None:
    keys = {"id", "document", "subject", "predicate", "object", "polarity", "certainty", "quote"}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        assert set(json.loads(line)) == keys


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ('["a list"]', "expected a JSON object"),
        ('{"id": "x"}', "missing or empty string field(s): document"),
        (json.dumps({"id": "g1", "document": "d", "subject": "id/state/a", "predicate": "likes",
                     "object": "id/state/b", "polarity": "affirmed", "certainty": "Asserted",
                     "quote": "q"}), "unknown predicate 'likes'"),
        (json.dumps({"id": "g1", "document": "d", "subject": "id/state/a",
                     "predicate": "supports", "object": "id/state/b", "polarity": "maybe",
                     "certainty": "Asserted", "quote": "q"}), "polarity must be"),
        (json.dumps({"id": "g1", "document": "d", "subject": "id/state/a",
                     "predicate": "supports", "object": "id/state/b", "polarity": "affirmed",
                     "certainty": "Sure", "quote": "q"}), "unknown certainty 'Sure'"),
    ],
)
def test_bad_gold_lines_are_named(line: str, message: str) -> None:
    with pytest.raises(EntenteError, match=r"^g\.jsonl:2: ") as info:
        parse_gold(["", line], "g.jsonl")
    assert message in str(info.value)


def test_duplicate_gold_ids_are_rejected() -> None:
    line = json.dumps({"id": "g1", "document": "d", "subject": "id/state/a",
                       "predicate": "supports", "object": "id/state/b",
                       "polarity": "affirmed", "certainty": "Asserted", "quote": "q"})
    with pytest.raises(EntenteError, match="g.jsonl:2: duplicate id 'g1'"):
        parse_gold([line, line], "g.jsonl")


def test_unreadable_gold_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(EntenteError, match="missing.jsonl: no such file$"):
        load_gold(tmp_path / "missing.jsonl")
    (tmp_path / "latin1.jsonl").write_bytes(b"\xe9\n")
    with pytest.raises(EntenteError, match="cannot read gold file .*latin1.jsonl: 'utf-8'"):
        load_gold(tmp_path / "latin1.jsonl")


# --- the evaluator on a hand-made store -----------------------------------------------------

DOC_A = ("China and Russia vetoed the draft. Russia cooperates with China. "
         "China does not recognize Kosovo. Russia may defer to China. China supports Russia.")
DOC_B = "China supports Russia. Russia opposes the draft."
DOC_C = "Russia is a member of the UN."


def _iri(path: str) -> ox.NamedNode:
    return ox.NamedNode(BASE + path)


class StoreBuilder:
    """Writes documents, sentences and assertions in the shape of docs/data-model.md."""

    def __init__(self) -> None:
        self.store = ox.Store()
        self.texts: dict[str, str] = {}
        self.counter: Counter[str] = Counter()

    def add(self, doc: str, s: ox.NamedNode, p: ox.NamedNode, o: ox.Term) -> None:
        self.store.add(ox.Quad(s, p, o, _iri(f"graph/document/{doc}")))

    def document(self, doc: str, text: str) -> None:
        self.texts[doc] = text
        node = _iri(f"id/document/{doc}")
        self.add(doc, node, RDF_TYPE, ox.NamedNode(ONTOLOGY_NS + "Document"))
        self.add(doc, node, ox.NamedNode(NIF + "isString"), ox.Literal(text))

    def sentence(self, doc: str, sentence: str) -> ox.NamedNode:
        begin = self.texts[doc].index(sentence)
        node = _iri(f"id/sentence/{doc}-{begin}")
        self.add(doc, node, RDF_TYPE, ox.NamedNode(ONTOLOGY_NS + "Sentence"))
        self.add(doc, node, ox.NamedNode(NIF + "anchorOf"), ox.Literal(sentence))
        for prop, value in (("beginIndex", begin), ("endIndex", begin + len(sentence))):
            self.add(doc, node, ox.NamedNode(NIF + prop), ox.Literal(
                str(value), datatype=ox.NamedNode(
                    "http://www.w3.org/2001/XMLSchema#integer")))
        return node

    def assertion(self, doc: str, s: str, p: str, o: str, sentence: str,
                  polarity: str = "Affirmed", certainty: str = "Asserted") -> None:
        self.counter[doc] += 1
        node = _iri(f"id/assertion/{doc}-{self.counter[doc]}")
        ent = ONTOLOGY_NS
        self.add(doc, node, RDF_TYPE, ox.NamedNode(ent + "Assertion"))
        for prop, value in (("subject", _iri(s)), ("predicate", ox.NamedNode(ent + p)),
                            ("object", _iri(o)), ("polarity", ox.NamedNode(ent + polarity)),
                            ("certainty", ox.NamedNode(ent + certainty)),
                            ("evidence", self.sentence(doc, sentence))):
            self.add(doc, node, ox.NamedNode(ent + prop), value)
        self.add(doc, node, ox.NamedNode(PROV + "wasDerivedFrom"), _iri(f"id/document/{doc}"))


CHINA, RUSSIA, DRAFT = "id/state/china", "id/state/russia", "id/event/draft"


@pytest.fixture()
def small_store() -> ox.Store:
    b = StoreBuilder()
    for doc, text in (("doc-a", DOC_A), ("doc-b", DOC_B), ("doc-c", DOC_C)):
        b.document(doc, text)
    vetoed = "China and Russia vetoed the draft."
    b.assertion("doc-a", CHINA, "vetoed", DRAFT, vetoed)  # doc-a-1
    b.assertion("doc-a", RUSSIA, "vetoed", DRAFT, vetoed)  # doc-a-2
    b.assertion("doc-a", RUSSIA, "cooperatesWith", CHINA, "Russia cooperates with China.")
    b.assertion("doc-a", CHINA, "recognizes", "id/place/kosovo",  # polarity wrong: doc-a-4
                "China does not recognize Kosovo.")
    b.assertion("doc-a", RUSSIA, "defersTo", CHINA, "Russia may defer to China.")  # certainty
    b.assertion("doc-a", CHINA, "vetoed", DRAFT, vetoed)  # a duplicate: doc-a-6
    b.assertion("doc-b", CHINA, "supports", RUSSIA, "China supports Russia.")  # doc-b-1
    b.assertion("doc-b", RUSSIA, "opposes", DRAFT, "Russia opposes the draft.")  # doc-b-2
    b.assertion("doc-c", RUSSIA, "memberOf", "id/org/un", DOC_C)  # no gold for doc-c
    return b.store


def _gold(n: str, doc: str, s: str, p: str, o: str, quote: str, polarity: str = "affirmed",
          certainty: str = "Asserted") -> GoldFact:
    return GoldFact(n, doc, s, p, o, polarity, certainty, quote)


SMALL_GOLD = [
    _gold("g1", "doc-a", CHINA, "vetoed", DRAFT, "China and Russia vetoed the draft"),
    _gold("g2", "doc-a", RUSSIA, "vetoed", DRAFT, "China and Russia vetoed the draft"),
    _gold("g3", "doc-a", CHINA, "cooperatesWith", RUSSIA, "cooperates with"),  # symmetric
    _gold("g4", "doc-a", CHINA, "recognizes", "id/place/kosovo", "does not recognize Kosovo",
          polarity="negated"),
    _gold("g5", "doc-a", RUSSIA, "defersTo", CHINA, "Russia may defer to China",
          certainty="Possible"),
    _gold("g6", "doc-a", CHINA, "supports", RUSSIA, "China supports Russia."),  # system: doc-b
    _gold("g7", "doc-b", RUSSIA, "opposes", DRAFT, "opposes the draft"),
    _gold("g8", "doc-a", RUSSIA, "cooperatesWith", CHINA, "Russia may defer"),  # other sentence
]


def _figures(scores: dict[str, object]) -> tuple[object, ...]:
    return tuple(scores[k] for k in ("system", "gold", "matched", "precision", "recall", "f1"))


def test_exact_figures_on_a_small_store(small_store: ox.Store) -> None:
    report = evaluate(small_store, SMALL_GOLD, BASE)
    data = report.to_dict()
    assert data["documents"] == ["doc-a", "doc-b"]
    assert _figures(data["overall"]) == (8, 8, 5, 0.625, 0.625, 0.625)
    assert data["certainty"] == {"agreed": 4, "matched": 5, "accuracy": 0.8}
    assert data["certainty_disagreements"] == [
        {"gold": "g5", "assertion": "id/assertion/doc-a-5", "gold_certainty": "Possible",
         "system_certainty": "Asserted"}]
    assert {k: _figures(v) for k, v in data["by_predicate"].items()} == {
        "cooperatesWith": (1, 2, 1, 1.0, 0.5, 0.6667),
        "defersTo": (1, 1, 1, 1.0, 1.0, 1.0),
        "opposes": (1, 1, 1, 1.0, 1.0, 1.0),
        "recognizes": (1, 1, 0, 0.0, 0.0, 0.0),
        "supports": (1, 1, 0, 0.0, 0.0, 0.0),
        "vetoed": (3, 2, 2, 0.6667, 1.0, 0.8),
    }
    assert {k: _figures(v) for k, v in data["by_document"].items()} == {
        "doc-a": (6, 7, 4, 0.6667, 0.5714, 0.6154),
        "doc-b": (2, 1, 1, 0.5, 1.0, 0.6667),
    }
    assert [(g.id, s.iri) for g, s in report.matches] == [
        ("g1", "id/assertion/doc-a-1"), ("g2", "id/assertion/doc-a-2"),
        ("g3", "id/assertion/doc-a-3"), ("g5", "id/assertion/doc-a-5"),
        ("g7", "id/assertion/doc-b-2")]
    assert [g.id for g in report.misses] == ["g4", "g6", "g8"]
    assert [a.iri for a in report.false_positives] == [
        "id/assertion/doc-a-4", "id/assertion/doc-a-6", "id/assertion/doc-b-1"]
    assert report.false_positives[0].sentence == "China does not recognize Kosovo."
    assert report.unlocated == []


def test_rdflib_dataset_gives_the_same_figures(small_store: ox.Store) -> None:
    dataset = rdflib.Dataset()
    dataset.parse(data=small_store.dump(format=ox.RdfFormat.N_QUADS).decode(), format="nquads")
    report = evaluate(dataset, SMALL_GOLD, BASE)
    assert _figures(report.overall.to_dict()) == (8, 8, 5, 0.625, 0.625, 0.625)


def test_a_quote_missing_from_the_text_is_reported(small_store: ox.Store) -> None:
    gold = [_gold("g9", "doc-b", RUSSIA, "opposes", DRAFT, "Russia opposes the resolution")]
    report = evaluate(small_store, gold, BASE)
    assert [g.id for g in report.unlocated] == ["g9"]
    assert report.overall.matched == 0
    assert "gold quotes not found in their document text: g9" in format_report(report)


def test_text_report_lists_figures_misses_and_false_positives(small_store: ox.Store) -> None:
    text = format_report(evaluate(small_store, SMALL_GOLD, BASE))
    assert ("overall: precision 0.625  recall 0.625  F1 0.625  (system 8, gold 8, matched 5)"
            in text)
    assert "certainty agreement on matched pairs: 0.800 (4/5)" in text
    assert "vetoed          0.667  1.000  0.800       3     2        2" in text
    assert "misses (false negatives): 3" in text
    assert "      quote: does not recognize Kosovo" in text
    assert "false positives: 3" in text
    assert "      sentence: China supports Russia." in text


# --- the command line --------------------------------------------------------------------


def _write_gold(path: Path, facts: list[GoldFact]) -> Path:
    path.write_text("".join(json.dumps(f.__dict__) + "\n" for f in facts), encoding="utf-8")
    return path


@pytest.fixture()
def published(small_store: ox.Store, tmp_path: Path) -> Path:
    dump = tmp_path / "dataset.nq"
    dump.write_bytes(small_store.dump(format=ox.RdfFormat.N_QUADS))
    publish(dump, tmp_path / "store", base_iri=BASE)
    return tmp_path / "store"


def test_cli_prints_the_figures(published: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    gold = _write_gold(tmp_path / "gold.jsonl", SMALL_GOLD)
    assert cli_main(["eval", "--store", str(published), "--gold", str(gold)]) == 0
    out = capsys.readouterr().out
    assert ("overall: precision 0.625  recall 0.625  F1 0.625  (system 8, gold 8, matched 5)"
            in out)
    assert "  g4 [doc-a] id/state/china recognizes id/place/kosovo (negated, Asserted)" in out


def test_cli_json(published: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = _write_gold(tmp_path / "gold.jsonl", SMALL_GOLD)
    assert cli_main(["eval", "--store", str(published), "--gold", str(gold), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert _figures(data["overall"]) == (8, 8, 5, 0.625, 0.625, 0.625)
    assert [m["id"] for m in data["misses"]] == ["g4", "g6", "g8"]
    assert [m["gold"] for m in data["matches"]] == ["g1", "g2", "g3", "g5", "g7"]
    assert [a["iri"] for a in data["false_positives"]] == [
        "id/assertion/doc-a-4", "id/assertion/doc-a-6", "id/assertion/doc-b-1"]


def test_cli_unreadable_store_or_gold_exits_1(published: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    gold = _write_gold(tmp_path / "gold.jsonl", SMALL_GOLD)
    assert cli_main(["eval", "--store", str(tmp_path / "nowhere"), "--gold", str(gold)]) == 1
    assert "nowhere" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    assert cli_main(["eval", "--store", str(published), "--gold", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("entente eval: error: ") and "bad.jsonl:1: not valid JSON" in err


def test_the_corpus_scores_what_the_readme_says(built_store: StoreInfo) -> None:
    """README "Quality of the extraction": a change to the extraction changes these figures,
    and the README with them."""
    report = evaluate(load_dataset_into_memory(built_store), load_gold(GOLD), BASE)
    overall = report.overall
    assert (overall.system, overall.gold, overall.matched) == (131, 140, 124)
    assert {doc: (s.system, s.gold, s.matched) for doc, s in report.by_document.items()} == {
        "dw-2022-02-03-ukraine-crisis-russia-china": (21, 21, 20),
        "euromaidan-2015-sino-russian-entente-regime": (26, 30, 26),
        "prif-2022-new-sino-russian-entente": (24, 23, 20),
        "threat-assessment-beijing-moscow-cooperation": (10, 11, 8),
        "usip-2019-china-russia-cooperation-spans-globe": (50, 55, 50),
    }
    assert report.certainty_agreed == 123  # of 124 matched: the README's 99%
