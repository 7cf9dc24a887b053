"""What the ontology's axioms say about a graph, computed in Python beside the OWL reasoner:
the individuals typed with disjoint classes (the consistency report's explanation), and facts
closed under the property axioms (super-property, inverse, symmetric, transitive), so that
HermiT and Pellet give the same inferred graph."""

from __future__ import annotations

from entente.graph.validate import as_graph, ontology_graph
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from entente.config import ONTOLOGY_NS


def explain_conflicts(data: Graph | Dataset) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(explanations, individuals) for individuals whose types are declared disjoint.

    Types are the asserted ones plus those implied by the domains and ranges of the
    properties used, closed under ``rdfs:subClassOf`` of the ontology.
    """
    onto = ontology_graph()
    graph = as_graph(data)
    supers = _superclasses(onto)
    disjoint = _disjoint_pairs(onto)
    types: dict[URIRef, set[URIRef]] = {}
    for s, t in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and isinstance(t, URIRef):
            types.setdefault(s, set()).add(t)
    for prop_iri in set(graph.predicates()):
        for prop in _superproperties(onto, prop_iri):
            for domain in onto.objects(prop, RDFS.domain):
                for s in graph.subjects(prop_iri, None):
                    if isinstance(s, URIRef) and isinstance(domain, URIRef):
                        types.setdefault(s, set()).add(domain)
            for range_ in onto.objects(prop, RDFS.range):
                for o in graph.objects(None, prop_iri):
                    if isinstance(o, URIRef) and isinstance(range_, URIRef):
                        types.setdefault(o, set()).add(range_)
    explanations: list[str] = []
    individuals: list[str] = []
    for individual in sorted(types):
        closed = set()
        for t in types[individual]:
            closed |= supers.get(t, {t})
        clashes = sorted(
            (a, b) for a, b in disjoint if a in closed and b in closed and str(a) < str(b)
        )
        if clashes:
            individuals.append(str(individual))
            pairs = ", ".join(f"{_short(a)} and {_short(b)}" for a, b in clashes)
            explanations.append(f"{individual} is an instance of disjoint classes {pairs}")
    return tuple(explanations), tuple(individuals)


def closed_facts(onto: Graph, relations: set[URIRef],
                 facts: set[tuple[URIRef, URIRef, URIRef]]) -> set[tuple[URIRef, URIRef, URIRef]]:
    """``facts`` closed under the ontology's property axioms on ``relations``: super-property
    (``rdfs:subPropertyOf``), inverse, symmetric and transitive values.

    The reasoners do not report all of these through owlready2 (HermiT omits super-property
    values, e.g. ``ent:votedOn`` from ``ent:vetoed``, and values implied by an inverse or
    symmetric one), so they are completed here: HermiT and Pellet then give the same graph.
    """
    supers = {p: _superproperties(onto, p) & relations - {p} for p in relations}
    inverse: dict[URIRef, URIRef] = {}
    for a, b in onto.subject_objects(OWL.inverseOf):
        if a in relations and b in relations:
            inverse[a], inverse[b] = b, a
    symmetric = set(onto.subjects(RDF.type, OWL.SymmetricProperty)) & relations
    transitive = set(onto.subjects(RDF.type, OWL.TransitiveProperty)) & relations
    closed = set(facts)
    by_subject: dict[tuple[URIRef, URIRef], set[URIRef]] = {}  # (s, p) -> objects
    by_object: dict[tuple[URIRef, URIRef], set[URIRef]] = {}  # (o, p) -> subjects
    for s, p, o in closed:
        by_subject.setdefault((s, p), set()).add(o)
        by_object.setdefault((o, p), set()).add(s)
    todo = sorted(closed)
    while todo:
        s, p, o = todo.pop()
        derived = [(s, q, o) for q in supers[p]]
        if p in symmetric:
            derived.append((o, p, s))
        if p in inverse:
            derived.append((o, inverse[p], s))
        if p in transitive:
            derived += [(s, p, x) for x in by_subject.get((o, p), ())]
            derived += [(x, p, o) for x in by_object.get((s, p), ())]
        for fact in derived:
            if fact not in closed:
                closed.add(fact)
                by_subject.setdefault((fact[0], fact[1]), set()).add(fact[2])
                by_object.setdefault((fact[2], fact[1]), set()).add(fact[0])
                todo.append(fact)
    return closed


def _superclasses(onto: Graph) -> dict[URIRef, set[URIRef]]:
    closure: dict[URIRef, set[URIRef]] = {}
    for cls in set(onto.subjects(RDF.type, OWL.Class)):
        if isinstance(cls, URIRef):
            closure[cls] = {c for c in onto.transitive_objects(cls, RDFS.subClassOf)
                            if isinstance(c, URIRef)}
    return closure


def _superproperties(onto: Graph, prop: URIRef) -> set[URIRef]:
    return {p for p in onto.transitive_objects(prop, RDFS.subPropertyOf) if isinstance(p, URIRef)}


def _disjoint_pairs(onto: Graph) -> set[tuple[URIRef, URIRef]]:
    pairs: set[tuple[URIRef, URIRef]] = set()
    for a, b in onto.subject_objects(OWL.disjointWith):
        pairs |= {(a, b), (b, a)}
    for node in onto.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(onto.items(onto.value(node, OWL.members)))
        pairs |= {(a, b) for a in members for b in members if a != b}
    return pairs


def _short(iri: URIRef) -> str:
    return "ent:" + iri[len(ONTOLOGY_NS):] if str(iri).startswith(ONTOLOGY_NS) else str(iri)
