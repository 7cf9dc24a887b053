"""The one-way flow of the brief: corpus -> extraction -> dataset -> store -> server.

The server never imports the extractor (nor spaCy, nor the reasoner or the validator), and
the ``graph`` package never imports the web stack (``docs/architecture.md``, "Rules of the
road").  Every module of each package is imported in a fresh interpreter and what it loaded
is read off ``sys.modules``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import entente.graph
import entente.server

#: what the server may import from the graph package
SERVER_MAY_USE = {"entente.graph", "entente.graph.namespaces", "entente.graph.store",
                  "entente.graph.store_load", "entente.graph.load_allocator",
                  "entente.graph.load_partition",
                  "entente.graph.canned",
                  "entente.graph.canned.binding", "entente.graph.canned.loading",
                  "entente.graph.canned.model"}


def _modules(package) -> list[str]:  # noqa: ANN001 - a package module
    """Every module of ``package`` and of its subpackages (``entente.graph.relations``)."""
    root = Path(package.__file__).parent
    names = set()
    for path in root.rglob("*.py"):
        parts = [p for p in path.relative_to(root).with_suffix("").parts if p != "__init__"]
        names.add(".".join([package.__name__, *parts]))
    return sorted(names)


def _loaded(modules: list[str]) -> set[str]:
    code = ("import importlib, sys\n"
            "for name in sys.argv[1:]:\n    importlib.import_module(name)\n"
            "print('\\n'.join(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code, *modules], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_the_server_never_imports_the_extractor() -> None:
    modules = _modules(entente.server)
    assert "entente.server.app" in modules and "entente.server.results" in modules
    loaded = _loaded(modules)
    assert {m for m in loaded if m.startswith("entente.graph")} <= SERVER_MAY_USE
    assert {m.split(".")[0] for m in loaded} & {"spacy", "thinc", "owlready2", "pyshacl"} == set()


def test_the_graph_package_never_imports_the_web_stack() -> None:
    modules = _modules(entente.graph)
    assert "entente.graph.extract" in modules and "entente.graph.build" in modules
    assert "entente.graph.relations.apply" in modules
    loaded = _loaded(modules)
    # (not Jinja: spaCy's own command line loads it)
    assert {m.split(".")[0] for m in loaded} & {"flask", "werkzeug", "granian"} == set()
    assert not any(m.startswith("entente.server") for m in loaded)
