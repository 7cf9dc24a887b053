"""The graphs of ``entente build`` that come from no document: the build's identity
(:func:`build_hash`), its PROV-O record (the activity, the software, each graph it generated
and what that was derived from), and the OWL inferences over the entities and the documents'
actor facts."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable
from importlib.resources import files

from entente.graph.bundled import bundled_graph
from entente.graph.model import SourceDocument
from entente.graph.namespaces import ENT, PROV, RDF, RDFS, graph_iri, id_iri
from entente.graph.nquads import Quad, skolemised_quads
from rdflib import Dataset, Graph, Literal, URIRef

from entente import __version__
from entente.config import ONTOLOGY_IRI
from entente.errors import BuildError, EntenteError

#: The bundled reference entities (ontology/entities.ttl) as a source: what the entities graph
#: is derived from, as the ontology graph is derived from the ontology (ONTOLOGY_IRI).
ENTITIES_SOURCE_IRI = f"{ONTOLOGY_IRI}/entities"


def bundled_graph_or_fail(name: str, base: str | None = None) -> Graph:
    """``ontology/<name>`` (the parse the linker and the extractor read too): read only."""
    try:
        return bundled_graph(name, base)
    except EntenteError as exc:
        raise BuildError(str(exc)) from None


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 of the extraction's code: every ``.py`` file of the ``entente.graph`` package
    (its path and its bytes, in path order).  The version string is not bumped for every
    change, and a change to a rule's code changes the assertions as a change to rules.yaml
    does (an audit found two builds of different code, different claims under one IRI)."""
    root = files("entente.graph")
    digest = hashlib.sha256()
    stack = [("", root)]
    found: list[tuple[str, bytes]] = []
    while stack:
        prefix, folder = stack.pop()
        for entry in folder.iterdir():
            name = prefix + entry.name
            if entry.is_dir() and entry.name != "__pycache__":
                stack.append((name + "/", entry))
            elif entry.name.endswith(".py"):
                found.append((name, entry.read_bytes()))
    for name, data in sorted(found):
        digest.update(f"{name}\t{hashlib.sha256(data).hexdigest()}\n".encode())
    return digest.hexdigest()


def build_hash(docs: list[SourceDocument], rules_sha256: str, reason: bool = True) -> str:
    """The build's identity: everything its output depends on -- each document's file,
    content and metadata, the rules, the bundled ontology and entities, the software version
    and its code (:func:`code_digest`), and whether it reasons (``reason``: whether the
    reasoner will run, not whether it was asked for); the same inputs give the same IRI,
    other inputs another."""
    digest = hashlib.sha256()
    for doc in docs:
        meta = json.dumps(dataclasses.asdict(doc.meta), sort_keys=True, ensure_ascii=True)
        digest.update(f"{doc.file}\t{doc.sha256}\t{meta}\n".encode("utf-8", "surrogateescape"))
    for name in ("entente.ttl", "entities.ttl"):
        data = (files("entente.ontology") / name).read_bytes()
        digest.update(f"{name}\t{hashlib.sha256(data).hexdigest()}\n".encode())
    digest.update(f"rules\t{rules_sha256}\nsoftware\t{__version__}\ncode\t{code_digest()}\n"
                  f"reasoning\t{'on' if reason else 'off'}\n".encode())
    return digest.hexdigest()[:12]


def build_activity(base: str, build_iri: str, docs: list[str], rules_sha256: str
                    ) -> list[Quad]:
    g = URIRef(graph_iri(base, "build"))
    b = URIRef(build_iri)
    software = URIRef(id_iri(base, "software", "entente"))
    quads: list[Quad] = [
        (b, RDF.type, PROV.Activity, g),
        (b, RDFS.label, Literal(f"Entente build {build_iri.rsplit('/', 1)[-1]}", lang="en"), g),
        (b, ENT.softwareVersion, Literal(__version__), g),
        (b, ENT.rulesSha256, Literal(rules_sha256), g),
        (b, PROV.wasAssociatedWith, software, g),
        (software, RDF.type, PROV.SoftwareAgent, g),
        (software, RDFS.label, Literal("Entente", lang="en"), g),
    ]
    quads += [(b, PROV.used, URIRef(id_iri(base, "document", slug)), g) for slug in docs]
    # (and the bundled ontology and reference entities, the sources of those two graphs)
    quads += [(b, PROV.used, URIRef(ONTOLOGY_IRI), g),
              (b, PROV.used, URIRef(ENTITIES_SOURCE_IRI), g)]
    # every graph the build writes is a prov:Entity it generated, derived from its source:
    # a document graph from the document, the ontology graph from the ontology, the entities
    # graph from the bundled entities file
    for slug in docs:
        quads += _generated(g, b, graph_iri(base, f"document/{slug}"),
                            [id_iri(base, "document", slug)])
    quads += _generated(g, b, graph_iri(base, "ontology"), [ONTOLOGY_IRI])
    quads += _generated(g, b, graph_iri(base, "build"), [])  # this graph: the build's record
    quads += _generated(g, b, graph_iri(base, "entities"), [ENTITIES_SOURCE_IRI])
    quads.append((URIRef(graph_iri(base, "entities")), RDFS.comment, Literal(
        "The reference entities bundled with Entente (ontology/entities.ttl).", lang="en"), g))
    source = URIRef(ENTITIES_SOURCE_IRI)
    quads += [(source, RDF.type, PROV.Entity, g), (source, RDFS.label, Literal(
        "Entente reference entities (ontology/entities.ttl)", lang="en"), g)]
    return quads


def _generated(g: URIRef, build: URIRef, graph: str, sources: list[str]) -> list[Quad]:
    """``graph`` a prov:Entity that ``build`` generated, derived from each of ``sources``."""
    node = URIRef(graph)
    return [(node, RDF.type, PROV.Entity, g), (node, PROV.wasGeneratedBy, build, g),
            *((node, PROV.wasDerivedFrom, URIRef(source), g) for source in sources)]


def inferred_provenance(base: str, build_iri: str, docs: list[str]) -> list[Quad]:
    """The inferred graph, generated by the build's reasoning from the ontology, the entities
    and the document graphs (in the build graph, beside the others)."""
    premises = [graph_iri(base, name) for name in ("ontology", "entities")]
    premises += [graph_iri(base, f"document/{slug}") for slug in docs]
    return _generated(URIRef(graph_iri(base, "build")), URIRef(build_iri),
                      graph_iri(base, "inferred"), premises)


def inferences(entities: Graph, reason_lines: list[str], base: str,
               report: Callable[[str], None]) -> tuple[list[Quad], str | None]:
    """OWL inferences over the entities and the actor/truthy part of the document graphs."""
    from entente.graph.reason import ReasonerUnavailable, infer_triples, reasoning_input

    dataset = Dataset()
    named = dataset.graph(URIRef(graph_iri(base, "entities")))
    for triple in entities:
        named.add(triple)
    if reason_lines:
        dataset.parse(data="\n".join(reason_lines), format="nquads")
    data = reasoning_input(dataset)
    try:
        inferred = infer_triples(data)
    except ReasonerUnavailable as exc:
        report(f"entente build: reasoning skipped: {exc}")
        return [], "reasoner unavailable"
    except EntenteError as exc:
        report(f"entente build: reasoning failed, inferred graph left empty: {exc}")
        return [], str(exc)
    new = Graph()
    for triple in inferred:
        if triple not in data:
            new.add(triple)
    return skolemised_quads(new, base, URIRef(graph_iri(base, "inferred"))), None


def evidence_prefix(base: str) -> tuple[str, ...]:
    """Subjects the reasoner ignores (documents, spans, assertions): not kept for it."""
    return tuple(f"<{base}id/{kind}/" for kind in
                 ("document", "sentence", "mention", "segment", "assertion"))

