"""The Turtle files bundled in ``ontology/`` (the ontology, the reference entities), parsed
once per process.

A build process reads ``entities.ttl`` three times over: the linker (labels, demonyms), the
relation extractor (the entities' classes) and the build itself (the entities graph of the
dataset).  Parsing it with rdflib takes 0.1-0.2 s, so the three share one parse.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from rdflib import Graph

from entente.errors import EntenteError

__all__ = ["bundled_graph"]


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
