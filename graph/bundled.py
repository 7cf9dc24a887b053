"""The files bundled with Entente that the pipeline reads: the Turtle files in ``ontology/``
(the ontology, the reference entities), parsed once per process, and ``graph/rules.yaml``.

A build process reads ``entities.ttl`` three times over: the linker (labels, demonyms), the
relation extractor (the entities' classes) and the build itself (the entities graph of the
dataset).  Parsing it with rdflib takes 0.1-0.2 s, so the three share one parse.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import yaml
from rdflib import Graph

from entente.errors import EntenteError

__all__ = ["bundled_graph", "load_rules", "rules_bytes"]


@lru_cache(maxsize=8)
def bundled_graph(name: str, base: str | None = None) -> Graph:
    """``ontology/<name>`` parsed, its relative IRIs resolved against ``base``.

    One graph per (name, base) and process, shared by every caller: read it, never change it.
    Raises :class:`EntenteError` naming the file when it is missing or is not Turtle."""
    resource = files("entente.ontology") / name
    graph = Graph()
    try:
        graph.parse(data=resource.read_text(encoding="utf-8"), format="turtle", publicID=base)
    except FileNotFoundError:
        raise EntenteError(f"ontology/{name}: file is missing") from None
    except Exception as exc:  # rdflib raises many parser exception types
        detail = " ".join(str(exc).split())[:300]
        raise EntenteError(f"ontology/{name}: cannot parse Turtle: {detail}") from None
    return graph


def rules_bytes() -> bytes:
    """The bundled ``graph/rules.yaml``."""
    try:
        return (files("entente.graph") / "rules.yaml").read_bytes()
    except FileNotFoundError:
        raise EntenteError("graph/rules.yaml: file is missing") from None


#: PyYAML's safe loader, on libyaml when the wheel has it: the rules file (1,500 lines)
#: then parses in some 20 ms instead of 250, twice per build process (linker, extractor)
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_rules(data: bytes | None = None, source: str = "graph/rules.yaml") -> dict:
    """Parse the rules file (bundled by default) into a dict."""
    try:
        rules = yaml.load(rules_bytes() if data is None else data, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise EntenteError(f"{source}: invalid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(rules, dict):
        raise EntenteError(f"{source}: expected a mapping at the top level")
    return rules
