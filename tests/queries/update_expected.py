"""Regenerate tests/queries/expected/*.jsonl from a fresh build of the corpus.

Run ``.venv/bin/python tests/queries/update_expected.py`` after a deliberate change to the
extraction or to the canned queries, then review the diff: the files are the exact answers
that tests/queries/test_corpus_rows.py checks.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import pyoxigraph
import yaml
from entente.graph import canned
from entente.graph.build import build
from entente.graph.store import open_read_only

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
BASE = "https://entente.example.org/"
ONTOLOGY = "https://entente.example.org/ontology#"


def compact(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        value = term.value.replace(ONTOLOGY, "ent:")
        return value[len(BASE):] if value.startswith(BASE) else value
    if isinstance(term, pyoxigraph.Literal):
        return term.value
    return str(term)


def answer(store: pyoxigraph.Store, name: str, params: dict[str, str]) -> list[list]:
    query = canned.get(name)
    subs = canned.to_pyoxigraph(canned.bind(query, params, BASE))
    results = store.query(query.text, use_default_graph_as_union=True, substitutions=subs or None)
    names = [v.value for v in results.variables]
    return [names, *([compact(s[n]) for n in names] for s in results)]


def render(table: list[list]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in table)


def cases() -> list[dict]:
    return yaml.safe_load((HERE / "expected" / "cases.yaml").read_text(encoding="utf-8"))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        summary = build(REPO / "corpus", Path(tmp) / "store", base=BASE, reason=False,
                        warn=lambda _line: None)
        store = open_read_only(summary.store)
        for case in cases():
            table = answer(store, case["query"], case.get("params") or {})
            (HERE / "expected" / f"{case['file']}.jsonl").write_text(render(table),
                                                                     encoding="utf-8")
            print(f"{case['file']}: {len(table) - 1} rows")
        del store
    return 0


if __name__ == "__main__":
    sys.exit(main())
