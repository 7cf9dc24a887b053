"""Precision and recall of the extracted assertions against a gold file (``entente eval``).

A gold fact (one JSON object per line, see tests/gold/README.md) names a document slug, a
subject, a predicate, an object (IRIs relative to the base), a polarity, a certainty and the
exact quote that states it.  A system assertion matches a gold fact when the document,
subject, predicate (symmetric ones in either order), object and polarity agree and the
assertion's evidence sentence overlaps the quote's span in the document text.  Matching is
one-to-one (a maximum bipartite matching per key).  Certainty agreement is reported over the
matched pairs; it is not required for a match.  The evaluator reports; it does not judge.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph
import rdflib
from entente.graph.namespaces import prologue

from entente.config import ONTOLOGY_NS, Settings
from entente.errors import EntenteError

PREDICATES = frozenset(
    "memberOf partyTo signed participantIn meetsWith visits cooperatesWith competesWith supports "
    "opposes sanctions defersTo tradesWith investsIn suppliesEnergyTo suppliesArmsTo dependsOn "
    "recognizes proposes invades annexes occupies fightsAgainst hasDiplomaticRelationsWith "
    "pressures votedFor votedAgainst abstainedOn vetoed affiliatedWith".split()
)
SYMMETRIC = frozenset({"cooperatesWith", "competesWith", "meetsWith", "tradesWith",
                       "fightsAgainst", "hasDiplomaticRelationsWith"})
CERTAINTIES = frozenset(
    "Asserted AlmostCertain HighlyLikely Likely RoughlyEvenChance Unlikely HighlyUnlikely Remote "
    "Possible".split()
)
POLARITIES = frozenset({"affirmed", "negated"})
GOLD_KEYS = ("id", "document", "subject", "predicate", "object", "polarity", "certainty", "quote")


@dataclass(frozen=True)
class GoldFact:
    id: str
    document: str
    subject: str
    predicate: str
    object: str
    polarity: str
    certainty: str
    quote: str


@dataclass(frozen=True)
class SystemAssertion:
    iri: str
    document: str
    subject: str
    predicate: str
    object: str
    polarity: str
    certainty: str
    spans: tuple[tuple[int, int], ...]  # evidence sentences (begin, end)
    sentence: str  # the first evidence sentence's text


@dataclass(frozen=True)
class Scores:
    system: int
    gold: int
    matched: int

    @property
    def precision(self) -> float | None:
        return self.matched / self.system if self.system else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def to_dict(self) -> dict[str, Any]:
        return {"system": self.system, "gold": self.gold, "matched": self.matched,
                "precision": _round(self.precision), "recall": _round(self.recall),
                "f1": _round(self.f1)}


@dataclass
class EvalReport:
    documents: list[str]
    overall: Scores
    by_predicate: dict[str, Scores]
    by_document: dict[str, Scores]
    certainty_agreed: int
    matches: list[tuple[GoldFact, SystemAssertion]] = field(default_factory=list)
    misses: list[GoldFact] = field(default_factory=list)
    false_positives: list[SystemAssertion] = field(default_factory=list)
    unlocated: list[GoldFact] = field(default_factory=list)  # quote not found in the text

    @property
    def certainty_accuracy(self) -> float | None:
        return self.certainty_agreed / len(self.matches) if self.matches else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "overall": self.overall.to_dict(),
            "certainty": {"agreed": self.certainty_agreed, "matched": len(self.matches),
                          "accuracy": _round(self.certainty_accuracy)},
            "by_predicate": {k: v.to_dict() for k, v in self.by_predicate.items()},
            "by_document": {k: v.to_dict() for k, v in self.by_document.items()},
            "matches": [{"gold": g.id, "assertion": s.iri} for g, s in self.matches],
            "certainty_disagreements": [
                {"gold": g.id, "assertion": s.iri, "gold_certainty": g.certainty,
                 "system_certainty": s.certainty}
                for g, s in self.matches if g.certainty != s.certainty
            ],
            "misses": [asdict(g) for g in self.misses],
            "false_positives": [{**asdict(s), "spans": [list(x) for x in s.spans]}
                                for s in self.false_positives],
            "unlocated_quotes": [g.id for g in self.unlocated],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# --- gold -------------------------------------------------------------------------------


def parse_gold(lines: list[str], source: str = "gold") -> list[GoldFact]:
    """Parse and check gold JSON lines; a bad line raises EntenteError naming it."""
    facts: list[GoldFact] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EntenteError(f"{where}: not valid JSON: {exc.msg}") from None
        if not isinstance(obj, dict):
            raise EntenteError(f"{where}: expected a JSON object")
        missing = [k for k in GOLD_KEYS if not isinstance(obj.get(k), str) or not obj[k]]
        if missing:
            raise EntenteError(f"{where}: missing or empty string field(s): {', '.join(missing)}")
        fact = GoldFact(**{k: obj[k] for k in GOLD_KEYS})
        if fact.id in seen:
            raise EntenteError(f"{where}: duplicate id {fact.id!r}")
        seen.add(fact.id)
        if fact.predicate not in PREDICATES:
            raise EntenteError(f"{where}: unknown predicate {fact.predicate!r}")
        if fact.polarity not in POLARITIES:
            raise EntenteError(f"{where}: polarity must be affirmed or negated, "
                               f"got {fact.polarity!r}")
        if fact.certainty not in CERTAINTIES:
            raise EntenteError(f"{where}: unknown certainty {fact.certainty!r}")
        facts.append(fact)
    return facts


def load_gold(path: Path) -> list[GoldFact]:
    """Read a gold file (JSON lines); unreadable or invalid files raise EntenteError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EntenteError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EntenteError(f"cannot read gold file {path}: {exc}") from None
    facts = parse_gold(text.splitlines(), str(path))
    if not facts:  # (an empty file scored precision 0 and recall 0 without a word)
        raise EntenteError(f"{path}: no gold facts (one JSON object per line)")
    return facts


# --- the system's assertions -------------------------------------------------------------

_ASSERTIONS = prologue() + """
SELECT ?a ?doc ?s ?p ?o ?pol ?cert ?begin ?end ?anchor WHERE {
  ?a a ent:Assertion ; ent:subject ?s ; ent:predicate ?p ; ent:object ?o ;
     prov:wasDerivedFrom ?doc .
  OPTIONAL { ?a ent:polarity ?pol }
  OPTIONAL { ?a ent:certainty ?cert }
  OPTIONAL { ?a ent:evidence ?sentence .
             ?sentence nif:beginIndex ?begin ; nif:endIndex ?end .
             OPTIONAL { ?sentence nif:anchorOf ?anchor } }
}
"""
_TEXTS = prologue() + "SELECT ?doc ?text WHERE { ?doc a ent:Document ; nif:isString ?text }"


def _as_store(dataset: pyoxigraph.Store | rdflib.Dataset) -> pyoxigraph.Store:
    if isinstance(dataset, pyoxigraph.Store):
        return dataset
    store = pyoxigraph.Store()
    data = dataset.serialize(format="nquads", encoding="utf-8")
    store.load(data, format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def _local(iri: str, prefix: str) -> str:
    return iri[len(prefix):] if iri.startswith(prefix) else iri


def _value(term: Any) -> str | None:
    return None if term is None else str(term.value)


def read_assertions(store: pyoxigraph.Store, base: str) -> list[SystemAssertion]:
    """Every ent:Assertion with its evidence spans, IRIs made relative to ``base``."""
    rows: dict[str, dict[str, Any]] = {}
    for sol in store.query(_ASSERTIONS, use_default_graph_as_union=True):
        iri = _value(sol["a"]) or ""
        row = rows.setdefault(iri, {"spans": {}, "sol": sol})
        begin, end = _value(sol["begin"]), _value(sol["end"])
        if begin is not None and end is not None:
            row["spans"][(int(begin), int(end))] = _value(sol["anchor"]) or ""
    result = []
    for iri, row in sorted(rows.items()):
        sol, spans = row["sol"], dict(sorted(row["spans"].items()))
        polarity = _local(_value(sol["pol"]) or "Affirmed", ONTOLOGY_NS).lower()
        result.append(SystemAssertion(
            iri=_local(iri, base),
            document=(_value(sol["doc"]) or "").rstrip("/").rsplit("/", 1)[-1],
            subject=_local(_value(sol["s"]) or "", base),
            predicate=_local(_value(sol["p"]) or "", ONTOLOGY_NS),
            object=_local(_value(sol["o"]) or "", base),
            polarity=polarity,
            certainty=_local(_value(sol["cert"]) or "Asserted", ONTOLOGY_NS),
            spans=tuple(spans),
            sentence=next(iter(spans.values()), ""),
        ))
    return result


def read_texts(store: pyoxigraph.Store) -> dict[str, str]:
    """Document slug -> full text (nif:isString)."""
    return {(_value(s["doc"]) or "").rstrip("/").rsplit("/", 1)[-1]: _value(s["text"]) or ""
            for s in store.query(_TEXTS, use_default_graph_as_union=True)}


# --- matching ----------------------------------------------------------------------------


def _key(document: str, s: str, p: str, o: str, polarity: str) -> tuple[str, ...]:
    if p in SYMMETRIC and o < s:
        s, o = o, s
    return (document, s, p, o, polarity)


def _quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    spans, start = [], text.find(quote)
    while start != -1:
        spans.append((start, start + len(quote)))
        start = text.find(quote, start + 1)
    return spans


def _overlaps(a: tuple[tuple[int, int], ...], b: list[tuple[int, int]]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _bipartite(edges: dict[int, list[int]]) -> dict[int, int]:
    """Maximum matching (Kuhn's augmenting paths), deterministic: returns right -> left."""
    owner: dict[int, int] = {}

    def augment(left: int, seen: set[int]) -> bool:
        for right in edges[left]:
            if right in seen:
                continue
            seen.add(right)
            if right not in owner or augment(owner[right], seen):
                owner[right] = left
                return True
        return False

    for left in sorted(edges):
        augment(left, set())
    return owner


def evaluate(dataset: pyoxigraph.Store | rdflib.Dataset, gold: list[GoldFact],
             base: str) -> EvalReport:
    """Compare the dataset's assertions with the gold facts of the documents the gold covers."""
    store = _as_store(dataset)
    documents = sorted({g.document for g in gold})
    texts = read_texts(store)
    system = [a for a in read_assertions(store, base) if a.document in set(documents)]
    located = {g.id: _quote_spans(texts.get(g.document, ""), g.quote) for g in gold}

    by_key: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for j, a in enumerate(system):
        by_key[_key(a.document, a.subject, a.predicate, a.object, a.polarity)].append(j)
    edges = {i: [j for j in by_key.get(_key(g.document, g.subject, g.predicate, g.object,
                                                g.polarity), [])
                 if _overlaps(system[j].spans, located[g.id])]
             for i, g in enumerate(gold)}
    pairs = sorted((gi, sj) for sj, gi in _bipartite(edges).items())
    matched_gold = {gi for gi, _ in pairs}
    matched_system = {sj for _, sj in pairs}

    def scores(gold_sel: list[int], sys_sel: list[int]) -> Scores:
        return Scores(len(sys_sel), len(gold_sel), len(set(gold_sel) & matched_gold))

    def grouped(attr: str) -> dict[str, Scores]:
        names = sorted({getattr(g, attr) for g in gold} | {getattr(a, attr) for a in system})
        return {n: scores([i for i, g in enumerate(gold) if getattr(g, attr) == n],
                          [j for j, a in enumerate(system) if getattr(a, attr) == n])
                for n in names}

    matches = [(gold[gi], system[sj]) for gi, sj in pairs]
    return EvalReport(
        documents=documents,
        overall=Scores(len(system), len(gold), len(pairs)),
        by_predicate=grouped("predicate"),
        by_document=grouped("document"),
        certainty_agreed=sum(g.certainty == s.certainty for g, s in matches),
        matches=matches,
        misses=[g for i, g in enumerate(gold) if i not in matched_gold],
        false_positives=[a for j, a in enumerate(system) if j not in matched_system],
        unlocated=[g for g in gold if not located[g.id]],
    )


# --- output ------------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _table(title: str, rows: dict[str, Scores]) -> list[str]:
    width = max([len(title), *map(len, rows)])
    lines = [f"{title:<{width}}  {'P':>5}  {'R':>5}  {'F1':>5}  system  gold  matched"]
    for name, s in rows.items():
        lines.append(f"{name:<{width}}  {_fmt(s.precision):>5}  {_fmt(s.recall):>5}  "
                     f"{_fmt(s.f1):>5}  {s.system:>6}  {s.gold:>4}  {s.matched:>7}")
    return lines


def format_report(report: EvalReport) -> str:
    """The human-readable report: overall, per predicate, per document, misses, false positives."""
    o = report.overall
    lines = [
        f"documents evaluated: {len(report.documents)}",
        f"overall: precision {_fmt(o.precision)}  recall {_fmt(o.recall)}  F1 {_fmt(o.f1)}  "
        f"(system {o.system}, gold {o.gold}, matched {o.matched})",
        f"certainty agreement on matched pairs: {_fmt(report.certainty_accuracy)} "
        f"({report.certainty_agreed}/{len(report.matches)})",
        "",
        *_table("predicate", report.by_predicate),
        "",
        *_table("document", report.by_document),
        "",
        f"misses (false negatives): {len(report.misses)}",
    ]
    for g in report.misses:
        lines.append(f"  {g.id} [{g.document}] {g.subject} {g.predicate} {g.object} "
                     f"({g.polarity}, {g.certainty})")
        lines.append(f"      quote: {g.quote}")
    lines.append(f"false positives: {len(report.false_positives)}")
    for a in report.false_positives:
        lines.append(f"  {a.iri} {a.subject} {a.predicate} {a.object} "
                     f"({a.polarity}, {a.certainty})")
        lines.append(f"      sentence: {a.sentence}")
    if report.unlocated:
        lines.append("gold quotes not found in their document text: "
                     + ", ".join(g.id for g in report.unlocated))
    return "\n".join(lines)


def main(args: argparse.Namespace, settings: Settings) -> int:
    """``entente eval``: exit 0 when the evaluation ran, 1 when store or gold is unreadable."""
    from entente.graph.store import locate, open_read_only

    gold = load_gold(Path(args.gold))
    store = open_read_only(locate(settings.store, settings.base))
    report = evaluate(store, gold, settings.base_iri)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(format_report(report))
    return 0
