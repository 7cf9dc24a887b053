"""OWL reasoning over Entente data with owlready2 (HermiT, or Pellet).

Two jobs:

* :func:`check_consistency` -- is ontology + data consistent?  When it is not, the report
  names the individuals whose types clash (e.g. typed both ``ent:State`` and ``ent:Person``,
  or given a type through a property's domain or range that is disjoint with its own); when
  it is, it lists any unsatisfiable classes.
* :func:`infer_triples` -- materialise what OWL entails and the data does not state: inverse
  and symmetric property values, transitive ``partOf``/``locatedIn`` chains, super-property
  values (``rdfs:subPropertyOf``, e.g. ``ent:votedOn`` from ``ent:vetoed``) and types from
  domains and ranges.  Only new triples are returned; the property values are closed in
  Python over what the reasoner reports, so HermiT and Pellet give the same triples.

Both are meant for the **small** part of the dataset that OWL can say something about: the
reference entities, minted actors and the direct ("truthy") triples.  Assertion nodes,
sentences, mentions and documents are left out (:func:`reasoning_input` selects the rest), so a
run over the corpus takes seconds, most of it the Java start-up.

What the reasoner sees (see :func:`_prepare`): literals whose datatype is outside the OWL 2
datatype map (``xsd:date``, ``xsd:gYear`` ...) and ``owl:sameAs`` links (to Wikidata/DBpedia:
reasoning over them would copy every fact onto the external IRI) are dropped; undeclared
predicates are declared annotation properties and undeclared types classes, so that any RDF
input is OWL 2 DL.  Java is needed; without it :class:`ReasonerUnavailable` says so in one line.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from entente.graph.axioms import closed_facts, explain_conflicts
from entente.graph.namespaces import ENT, NIF, TIME, graph_iri
from entente.graph.validate import as_graph, data_path, ontology_graph, read_data
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from entente.config import ONTOLOGY_NS, Settings
from entente.errors import EntenteError

REASONERS = ("hermit", "pellet")

#: Datatypes of the OWL 2 datatype map (others are dropped before reasoning).
_OWL2_DATATYPES = {
    *(XSD[n] for n in (
        "string", "normalizedString", "token", "language", "Name", "NCName", "NMTOKEN",
        "boolean", "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger",
        "positiveInteger", "negativeInteger", "long", "int", "short", "byte", "unsignedLong",
        "unsignedInt", "unsignedShort", "unsignedByte", "double", "float", "hexBinary",
        "base64Binary", "anyURI", "dateTime", "dateTimeStamp",
    )),
    RDF.PlainLiteral, RDF.XMLLiteral, RDF.langString, RDFS.Literal, OWL.real, OWL.rational,
}
#: Classes whose instances are not reasoned over (evidence and provenance records).
_EXCLUDED_TYPES = (ENT.Assertion, ENT.Document, ENT.TextSpan, ENT.Sentence, ENT.Mention,
                   ENT.ExcludedSegment, NIF.Context, NIF.Sentence, NIF.Phrase,
                   TIME.Instant, TIME.ProperInterval)  # (an assertion's date in OWL-Time)
_NOISE_TYPES = {OWL.Thing, OWL.NamedIndividual, OWL.Nothing}
_DECLARATIONS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                 RDFS.Datatype, OWL.Ontology, OWL.NamedIndividual}


class ReasonerUnavailable(EntenteError):
    """Java (needed by HermiT and Pellet) is not installed or not on PATH."""


@dataclass(frozen=True)
class ConsistencyReport:
    """The outcome of :func:`check_consistency`.

    ``ok`` is true when ontology + data are consistent and every class is satisfiable; an
    inconsistent run names the ``conflicting_individuals`` (with ``explanations``), an
    incoherent one the ``unsatisfiable_classes``.
    """

    ok: bool
    reasoner: str
    unsatisfiable_classes: tuple[str, ...] = ()
    conflicting_individuals: tuple[str, ...] = ()
    explanations: tuple[str, ...] = ()
    message: str = ""

    def lines(self) -> list[str]:
        """A human-readable summary, one fact per line."""
        if self.ok:
            out = [f"consistent ({self.reasoner})"]
        elif self.unsatisfiable_classes:
            out = [f"incoherent ({self.reasoner}): {self.message}"]
        else:
            out = [f"inconsistent ({self.reasoner}): {self.message}"]
        out += [f"unsatisfiable class: {c}" for c in self.unsatisfiable_classes]
        out += [f"conflict: {e}" for e in self.explanations]
        return out


# --- public API ----------------------------------------------------------------------------


def check_consistency(data: Graph | Dataset, reasoner: str = "hermit") -> ConsistencyReport:
    """Check ontology + ``data`` for consistency with HermiT (or Pellet)."""
    return _reason(data, reasoner, infer=False)[0]


def infer_triples(data: Graph | Dataset, reasoner: str = "hermit") -> Graph:
    """The triples OWL entails from ontology + ``data`` that neither states (new ones only).

    Kept: values of the ontology's ``ent:`` object properties (inverse, symmetric, transitive,
    super-property) and ``rdf:type`` with the most specific named classes (from domains and
    ranges), for resources of the data.  Not kept: ``owl:Thing``, ``owl:NamedIndividual``,
    class-level (TBox) inferences, anything about ontology terms.  Raises EntenteError when the
    data is inconsistent.  Give it the small part of the dataset (see :func:`reasoning_input`).
    """
    report, inferred = _reason(data, reasoner)
    if inferred is None:
        detail = "; ".join(report.explanations) or "no disjoint-type clash found"
        raise EntenteError(f"cannot infer: the data is inconsistent ({detail})")
    return inferred


def reasoning_input(data: Graph | Dataset, base: str | None = None) -> Graph:
    """The part of a dataset worth reasoning over: entities, actors, truthy triples.

    Drops assertion nodes, documents, sentences, mentions, excluded segments and the
    assertions' times (instants, intervals; and triples pointing at them), and, when
    ``base`` is given, the ``graph/ontology`` and ``graph/inferred`` named graphs.
    """
    skip_graphs: set[URIRef] = set()
    if base is not None:
        skip_graphs = {URIRef(graph_iri(base, "ontology")), URIRef(graph_iri(base, "inferred"))}
    if isinstance(data, Dataset):
        triples = Graph()
        for s, p, o, g in data.quads((None, None, None, None)):
            graph_name = getattr(g, "identifier", g)
            if graph_name not in skip_graphs:
                triples.add((s, p, o))
    else:
        triples = data
    excluded = {s for t in _EXCLUDED_TYPES for s in triples.subjects(RDF.type, t)}
    selected = Graph()
    for s, p, o in triples:
        if s in excluded or o in excluded:
            continue
        selected.add((s, p, o))
    return selected


# --- internals -----------------------------------------------------------------------------


def _reason(
    data: Graph | Dataset, reasoner: str, infer: bool = True
) -> tuple[ConsistencyReport, Graph | None]:
    """One reasoner run: the consistency report, and the new triples when consistent.

    With ``infer=False`` property values are not computed (faster) and the graph is empty.
    """
    import owlready2

    prepared = _prepare(as_graph(data))
    world = _load_world(prepared)
    try:
        try:
            reasoner = _run(world, reasoner, infer)
        except owlready2.OwlReadyInconsistentOntologyError:
            explanations, individuals = explain_conflicts(data)
            message = "the data contradicts the ontology" + (
                f" ({len(individuals)} conflicting individuals)"
                if individuals
                else "; no disjoint-type clash found to name the individuals"
            )
            return ConsistencyReport(False, reasoner, (), individuals, explanations, message), None
        unsatisfiable = tuple(sorted(
            c.iri for c in world.inconsistent_classes() if c.iri != str(OWL.Nothing)
        ))
        entailed = Graph()
        if infer:
            for triple in world.as_rdflib_graph():
                entailed.add(triple)
    finally:
        world.close()
    if unsatisfiable:
        message = f"consistent, but {len(unsatisfiable)} unsatisfiable classes"
    else:
        message = "consistent"
    report = ConsistencyReport(not unsatisfiable, reasoner, unsatisfiable, message=message)
    return report, (_new_triples(prepared, entailed) if infer else Graph())


def reasoner_available() -> bool:
    """Whether the OWL reasoner can run here (a Java runtime on PATH): a build without it
    skips reasoning, and its identity says so (graph/build_graphs.build_hash)."""
    import owlready2

    return (shutil.which(owlready2.JAVA_EXE) or shutil.which("java")) is not None


def _java() -> str:
    import owlready2

    exe = shutil.which(owlready2.JAVA_EXE) or shutil.which("java")
    if exe is None:
        raise ReasonerUnavailable(
            "java not found on PATH: OWL reasoning (HermiT/Pellet) needs a Java runtime"
        )
    return exe


def _run(world: object, reasoner: str, infer: bool = True) -> str:
    """Run ``reasoner`` on ``world``; when HermiT fails (a Java error), try Pellet.

    Returns the name of the reasoner whose results are in the world.  Inconsistency is
    raised as owlready2's OwlReadyInconsistentOntologyError.
    """
    import owlready2

    if reasoner not in REASONERS:
        raise EntenteError(f"unknown reasoner {reasoner!r} (use one of {', '.join(REASONERS)})")
    owlready2.JAVA_EXE = _java()
    try:
        _sync(world, reasoner, infer)
        return reasoner
    except owlready2.OwlReadyJavaError as exc:
        failure = f"{reasoner} failed: {_java_detail(exc, reasoner)}"
    if reasoner != "hermit":
        raise EntenteError(failure)
    try:
        _sync(world, "pellet", infer)
        return "pellet"
    except owlready2.OwlReadyJavaError as exc:
        raise EntenteError(f"{failure}; pellet failed: {_java_detail(exc, 'pellet')}") from None


def _sync(world: object, reasoner: str, infer: bool) -> None:
    import owlready2

    # owlready2 writes the world to a temporary N-Triples file that it removes only when the
    # reasoner returns: a Ctrl-C meanwhile left it (~500 KB a build) in the system's temporary
    # folder.  Here it goes to a folder of ours, removed whatever happens.
    with tempfile.TemporaryDirectory(prefix="entente-reason-") as tmp:
        previous, tempfile.tempdir = tempfile.tempdir, tmp
        try:
            if reasoner == "pellet":
                owlready2.sync_reasoner_pellet(world, infer_property_values=infer, debug=0)
            else:
                owlready2.sync_reasoner_hermit(world, infer_property_values=infer, debug=0)
        finally:
            tempfile.tempdir = previous


def _java_detail(exc: BaseException, reasoner: str) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    detail = next((ln for ln in lines if "Exception" in ln or "Error" in ln), "no message")
    if "UnsupportedClassVersionError" in detail:
        return f"the installed Java is too old for owlready2's bundled {reasoner} ({detail})"
    return detail


def _load_world(prepared: Graph) -> object:
    """A fresh owlready2 World holding ontology + prepared data (via an N-Triples file)."""
    import owlready2

    combined = ontology_graph()
    for triple in prepared:
        combined.add(triple)
    world = owlready2.World()
    with tempfile.TemporaryDirectory(prefix="entente-reason-") as tmp:
        path = Path(tmp) / "input.nt"
        combined.serialize(destination=str(path), format="nt", encoding="utf-8")
        try:
            world.get_ontology(path.as_uri()).load(format="ntriples")
        except Exception as exc:  # owlready2's parser errors have no common base class
            world.close()
            raise EntenteError(f"owlready2 cannot load the data: {exc}") from None
    return world


def _prepare(data: Graph) -> Graph:
    """Make arbitrary RDF data safe OWL 2 DL input (see the module docstring)."""
    onto = ontology_graph()
    declared = {s for t in _DECLARATIONS for s in onto.subjects(RDF.type, t)}
    declared |= {s for s in onto.subjects(RDF.type, OWL.TransitiveProperty)}
    builtin = {RDF.type, RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy,
               RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range,
               OWL.equivalentClass, OWL.equivalentProperty, OWL.disjointWith, OWL.inverseOf,
               OWL.differentFrom}
    out = Graph()
    for s, p, o in data:
        if isinstance(s, BNode) or isinstance(o, BNode) or p == OWL.sameAs:
            continue
        if isinstance(o, Literal) and o.datatype is not None and o.datatype not in _OWL2_DATATYPES:
            continue
        if str(s).startswith(ONTOLOGY_NS) or (s, None, None) in onto:
            continue  # data may not redefine ontology terms
        if p == RDF.type and isinstance(o, URIRef):
            if o in (OWL.Ontology, OWL.Thing):
                continue
            if o not in declared and o not in _DECLARATIONS:
                out.add((o, RDF.type, OWL.Class))
        elif p not in builtin and p not in declared:
            out.add((p, RDF.type, OWL.AnnotationProperty))
        elif isinstance(o, Literal) and (p, RDF.type, OWL.ObjectProperty) in onto:
            continue
        elif isinstance(o, URIRef) and (p, RDF.type, OWL.DatatypeProperty) in onto:
            continue
        out.add((s, p, o))
    return out


def _new_triples(data: Graph, entailed: Graph) -> Graph:
    onto = ontology_graph()
    relations = {
        p for p in onto.subjects(RDF.type, OWL.ObjectProperty)
        if str(p).startswith(ONTOLOGY_NS) and p != ENT.relation
    }
    classes = set(onto.subjects(RDF.type, OWL.Class))
    individuals = {t for s, _p, o in data for t in (s, o) if isinstance(t, URIRef)}
    facts: set[tuple[URIRef, URIRef, URIRef]] = set()
    for s, p, o in list(data) + list(entailed):
        if p in relations and isinstance(s, URIRef) and isinstance(o, URIRef):
            facts.add((s, p, o))
    result = Graph()
    for s, p, o in closed_facts(onto, relations, facts):
        if s in individuals and o in individuals and (s, p, o) not in data:
            result.add((s, p, o))
    for s, o in entailed.subject_objects(RDF.type):
        if s in individuals and o in classes and o not in _NOISE_TYPES \
                and (s, RDF.type, o) not in data and not isinstance(o, BNode):
            result.add((s, RDF.type, o))
    return result


def main(args: argparse.Namespace, settings: Settings) -> int:
    """``entente reason``: consistency, then the inferred triples (counted; written with --out)."""
    from entente.output_paths import check_output, refuse_protected

    path = data_path(args, settings)
    if args.out is not None:
        refuse_protected(Path(args.out), "--out", store=settings.store, inputs=[path])
        check_output(Path(args.out), "the inferred triples")
    data = reasoning_input(read_data(path), settings.base)
    report, inferred = _reason(data, args.reasoner)
    for line in report.lines():
        print(line, file=sys.stdout if report.ok else sys.stderr)
    if inferred is None:
        return 1
    print(f"inferred triples: {len(inferred)}")
    if args.out is not None:
        lines = sorted(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in inferred)
        try:
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            Path(args.out).write_text("".join(lines), encoding="utf-8")
        except OSError as exc:
            raise EntenteError(f"{args.out}: cannot write the inferred triples: "
                               f"{exc.strerror}") from None
        print(f"wrote {args.out}")
    return 0 if report.ok else 1
