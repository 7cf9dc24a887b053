"""Fixtures for the canned-query tests: a tiny dataset shaped like docs/data-model.md."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pyoxigraph
import pytest
from entente.graph import canned
from entente.graph.store import StoreInfo, publish

BASE = "https://entente.example.org/"
MINI = Path(__file__).parent / "data" / "mini.trig"


@pytest.fixture(scope="session")
def mini_store() -> pyoxigraph.Store:
    """An in-memory store holding tests/queries/data/mini.trig."""
    store = pyoxigraph.Store()
    store.load(path=str(MINI), format=pyoxigraph.RdfFormat.TRIG)
    return store


@pytest.fixture(scope="session")
def mini_store_dir(tmp_path_factory: pytest.TempPathFactory, mini_store: pyoxigraph.Store) -> Path:
    """The mini dataset published as an on-disk store (what 'entente build' writes)."""
    root = tmp_path_factory.mktemp("mini")
    nq = root / "mini.nq"
    lines = sorted(
        pyoxigraph.serialize(mini_store, format=pyoxigraph.RdfFormat.N_QUADS)
        .decode("utf-8").splitlines()
    )
    nq.write_text("\n".join(lines) + "\n", encoding="utf-8")
    info: StoreInfo = publish(nq, root / "store")
    return info.link


def compact(term: object) -> str | None:
    """Terms as short strings for exact comparisons: id:..., ent:..., or literal values."""
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        value = term.value.replace("https://entente.example.org/ontology#", "ent:")
        return value[len(BASE):] if value.startswith(BASE) else value
    if isinstance(term, pyoxigraph.Literal):
        return term.value
    return str(term)


@pytest.fixture(scope="session")
def run_canned():
    """run_canned(store, name, **params) -> (column names, rows as tuples of strings)."""

    def run(store: pyoxigraph.Store, name: str, **params: str):
        query = canned.get(name)
        bound = canned.bind(query, params, BASE)
        subs = canned.to_pyoxigraph(bound)
        results = store.query(query.text_for(bound), use_default_graph_as_union=True,
                              substitutions=subs or None)
        names = [v.value for v in results.variables]
        rows = [tuple(compact(s[n]) for n in names) for s in results]
        return names, rows

    return run


@pytest.fixture(scope="session")
def query_files() -> list[str]:
    """The canned query files (not their variants, ``<name>--<param>.rq``)."""
    return sorted(e.name for e in files("entente.queries").iterdir()
                  if e.name.endswith(".rq") and "--" not in e.name)
