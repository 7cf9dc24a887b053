"""The reference entities of ``ontology/entities.ttl`` as the linker and the relation extractor
read them: each entity's IRI, label and classes, the labels and demonyms that name them, and
the link contexts of the entities whose generic labels link only beside their context."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from entente.config import ONTOLOGY_NS

__all__ = ["Entity", "read_entities", "read_link_contexts"]


@dataclass(frozen=True)
class Entity:
    iri: str
    label: str
    types: frozenset[str]  # ontology class local names


def read_link_contexts(graph: Graph, labels: dict[str, set[str]],
                       demonyms: dict[str, set[str]]) -> dict[str, tuple[frozenset[str],
                                                                         frozenset[str]]]:
    """Entity IRI -> (its ``ent:linkContext`` IRIs, its generic labels in lower case): the
    labels that name none of the context entities (by a label or a demonym of theirs), which
    link only where the text also names every context entity (``Linker._in_context``)."""
    link_context = URIRef(ONTOLOGY_NS + "linkContext")
    names_of: dict[str, list[str]] = {}
    for table in (labels, demonyms):
        for name, iris in table.items():
            for iri in iris:
                names_of.setdefault(iri, []).append(name.lower())
    out: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for subject in sorted({s for s in graph.subjects(link_context, None)
                           if isinstance(s, URIRef)}):
        iri = str(subject)
        contexts = frozenset(str(o) for o in graph.objects(subject, link_context))
        names = [n for c in contexts for n in names_of.get(c, [])]
        # (its full names and acronyms are never generic: "Joint Comprehensive Plan of Action",
        # "JCPOA")
        full = {" ".join(str(v).split()) for p in (SKOS.prefLabel, RDFS.label)
                for v in graph.objects(subject, p)}
        generic = frozenset(
            label.lower() for label, iris in labels.items() if iri in iris
            and label not in full and not label.isupper()
            and not any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", label.lower())
                        for n in names))
        out[iri] = (contexts, generic)
    return out


def read_entities(
    graph: Graph,
) -> tuple[dict[str, Entity], dict[str, set[str]], dict[str, set[str]]]:
    """Entities with their class local names, label -> IRIs, demonym -> IRIs."""
    entities: dict[str, Entity] = {}
    labels: dict[str, set[str]] = {}
    demonyms: dict[str, set[str]] = {}
    demonym = URIRef(ONTOLOGY_NS + "demonym")
    subjects = set(graph.subjects(SKOS.prefLabel, None)) | set(graph.subjects(SKOS.altLabel, None))
    for subject in sorted(s for s in subjects if isinstance(s, URIRef)):
        iri = str(subject)
        types = frozenset(
            str(t)[len(ONTOLOGY_NS):] for t in graph.objects(subject, RDF.type)
            if str(t).startswith(ONTOLOGY_NS)
        )
        pref = sorted(str(v) for v in graph.objects(subject, SKOS.prefLabel))
        names = pref + sorted(
            str(v) for p in (SKOS.altLabel, RDFS.label) for v in graph.objects(subject, p)
        )
        entities[iri] = Entity(iri=iri, label=pref[0] if pref else names[0], types=types)
        for name in names:
            name = " ".join(name.split())
            if name:
                labels.setdefault(name, set()).add(iri)
        for form in graph.objects(subject, demonym):
            demonyms.setdefault(" ".join(str(form).split()), set()).add(iri)
    return entities, labels, demonyms
