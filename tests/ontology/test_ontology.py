"""The ontology file: parses, loads into owlready2, is documented, keeps the data-model terms."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from decimal import Decimal
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

import pytest
from entente.graph.ontodoc import render_html
from entente.graph.validate import ontology_graph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD

ENT_NS = "https://entente.example.org/ontology#"
ONTOLOGY = URIRef("https://entente.example.org/ontology")
DATA_MODEL = Path(__file__).resolve().parents[2] / "docs" / "data-model.md"


def ent(local: str) -> URIRef:
    return URIRef(ENT_NS + local)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return ontology_graph()


def _terms(g: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
             SKOS.ConceptScheme, SKOS.Concept)
    return {t for k in kinds for t in g.subjects(RDF.type, k)
            if isinstance(t, URIRef) and str(t).startswith(ENT_NS)}


def test_ontology_header(onto: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in onto
    assert onto.value(ONTOLOGY, OWL.versionIRI) == URIRef("https://entente.example.org/ontology/0.2.0")
    assert onto.value(ONTOLOGY, OWL.versionInfo) == Literal("0.2.0")
    assert onto.value(ONTOLOGY, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/")
    for prop in (DCTERMS.created, DCTERMS.modified):
        assert onto.value(ONTOLOGY, prop).datatype == XSD.date
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.creator):
        assert onto.value(ONTOLOGY, prop) is not None
    vann = "http://purl.org/vocab/vann/"
    assert str(onto.value(ONTOLOGY, URIRef(vann + "preferredNamespacePrefix"))) == "ent"
    assert str(onto.value(ONTOLOGY, URIRef(vann + "preferredNamespaceUri"))) == ENT_NS


def test_creator_and_publisher_are_agents_not_literals(onto: Graph) -> None:
    """DCMI's range of dcterms:creator and dcterms:publisher is dcterms:Agent (non-literal)."""
    project = URIRef("https://entente.example.org/#project")
    for prop in (DCTERMS.creator, DCTERMS.publisher):
        assert list(onto.objects(ONTOLOGY, prop)) == [project]
    assert set(onto.objects(project, RDF.type)) == {OWL.NamedIndividual, FOAF.Organization,
                                                    DCTERMS.Agent}
    assert list(onto.objects(project, FOAF.name)) == [Literal("The Entente project")]
    # declared, as every reused external term is (OWL 2 DL)
    assert (DCTERMS.Agent, RDF.type, OWL.Class) in onto
    assert (FOAF.name, RDF.type, OWL.AnnotationProperty) in onto


def test_mentions_link_entities_with_nifs_itsrdf_taIdentRef(onto: Graph) -> None:
    """NIF 2.0 links a mention to its entity with itsrdf:taIdentRef; nif:taIdentRef does
    not exist."""
    from entente.graph.namespaces import ITSRDF, PREFIXES

    its = "http://www.w3.org/2005/11/its/rdf#"
    assert str(ITSRDF) == PREFIXES["itsrdf"] == its
    assert (URIRef(its + "taIdentRef"), RDF.type, OWL.ObjectProperty) in onto
    assert onto.value(URIRef(its + "taIdentRef"), RDFS.label) == Literal("taIdentRef", lang="en")
    nif = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
    assert not any(t == URIRef(nif + "taIdentRef") for triple in onto for t in triple)
    assert "nif:taIdentRef" not in DATA_MODEL.read_text(encoding="utf-8")


_PROFILE_CHECK = """
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
public class ProfileCheck {
  public static void main(String[] args) throws Exception {
    OWLOntology o = OWLManager.createOWLOntologyManager()
        .loadOntologyFromOntologyDocument(new File(args[0]));
    for (OWLProfileViolation v : new OWL2DLProfile().checkOntology(o).getViolations())
      System.out.println(v);
    System.out.println("axioms " + o.getAxiomCount());
  }
}
"""


@pytest.mark.skipif(shutil.which("javac") is None or shutil.which("java") is None,
                    reason="needs a JDK (javac) to run the OWL API bundled with HermiT")
def test_owl_api_finds_the_ontology_in_the_owl2_dl_profile(tmp_path: Path) -> None:
    """OWL API's OWL 2 DL profile checker (the OWL API in owlready2's HermiT.jar) reports
    no violation in entente.ttl."""
    import owlready2

    jar = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"
    (tmp_path / "ProfileCheck.java").write_text(_PROFILE_CHECK, encoding="utf-8")
    subprocess.run(["javac", "-cp", str(jar), "-d", str(tmp_path),
                    str(tmp_path / "ProfileCheck.java")], check=True, timeout=120)
    source = files("entente.ontology") / "entente.ttl"
    ttl = tmp_path / "entente.ttl"
    ttl.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    run = subprocess.run(["java", "-cp", f"{jar}:{tmp_path}", "ProfileCheck", str(ttl)],
                         capture_output=True, text=True, timeout=120, check=True)
    assert run.stdout.splitlines() == ["axioms 1019"]


def test_every_term_is_labelled_and_defined(onto: Graph) -> None:
    terms = _terms(onto)
    assert len(terms) > 100
    unlabelled = sorted(t for t in terms if onto.value(t, RDFS.label) is None
                        and onto.value(t, SKOS.prefLabel) is None)
    undefined = sorted(t for t in terms if onto.value(t, SKOS.definition) is None
                       and onto.value(t, RDFS.comment) is None)
    assert unlabelled == []
    assert undefined == []


def test_every_ent_term_used_is_declared(onto: Graph) -> None:
    declared = _terms(onto)
    used = {t for triple in onto for t in triple
            if isinstance(t, URIRef) and str(t).startswith(ENT_NS)}
    assert sorted(used - declared) == []


def test_data_model_terms_are_all_present(onto: Graph) -> None:
    """Every ent: term named in docs/data-model.md exists with the declared kind."""
    text = DATA_MODEL.read_text(encoding="utf-8")
    named = set(re.findall(r"`ent:([A-Za-z0-9]+)`", text))
    named |= set(re.findall(r"ent:([A-Za-z0-9]+)", text.split("## A document")[1]))
    assert len(named) > 80
    declared = {str(t)[len(ENT_NS):] for t in _terms(onto)}
    assert sorted(named - declared) == []


@pytest.mark.parametrize(("prop", "characteristic"), [
    ("partOf", OWL.TransitiveProperty), ("locatedIn", OWL.TransitiveProperty),
    ("cooperatesWith", OWL.SymmetricProperty), ("competesWith", OWL.SymmetricProperty),
    ("meetsWith", OWL.SymmetricProperty), ("tradesWith", OWL.SymmetricProperty),
    ("fightsAgainst", OWL.SymmetricProperty), ("hasDiplomaticRelationsWith", OWL.SymmetricProperty),
])
def test_property_characteristics(onto: Graph, prop: str, characteristic: URIRef) -> None:
    assert (ent(prop), RDF.type, characteristic) in onto


def test_inverses_and_vote_hierarchy(onto: Graph) -> None:
    assert onto.value(ent("memberOf"), OWL.inverseOf) == ent("hasMember")
    assert onto.value(ent("partyTo"), OWL.inverseOf) == ent("hasParty")
    assert onto.value(ent("participantIn"), OWL.inverseOf) == ent("hasParticipant")
    assert (ent("signed"), RDFS.subPropertyOf, ent("partyTo")) in onto
    for vote in ("votedFor", "votedAgainst", "abstainedOn", "vetoed"):
        assert (ent(vote), RDFS.subPropertyOf, ent("votedOn")) in onto
    assert (ent("predicate"), RDF.type, OWL.AnnotationProperty) in onto
    # (not: its value may be a document, and prov:wasAttributedTo's range is prov:Agent; the
    # data states an actor value as prov:wasAttributedTo too: tests/graph/test_build.py)
    prov = "http://www.w3.org/ns/prov#"
    assert (ent("attributedTo"), RDFS.subPropertyOf, URIRef(prov + "wasAttributedTo")) \
        not in onto


def test_certainty_scale_follows_icd_203(onto: Graph) -> None:
    expected = {
        "Remote": ("0.01", "0.05", "almost no chance"),
        "HighlyUnlikely": ("0.05", "0.20", "very unlikely"),
        "Unlikely": ("0.20", "0.45", "unlikely"),
        "RoughlyEvenChance": ("0.45", "0.55", "roughly even chance"),
        "Likely": ("0.55", "0.80", "likely"),
        "HighlyLikely": ("0.80", "0.95", "very likely"),
        "AlmostCertain": ("0.95", "0.99", "almost certain"),
    }
    for local, (low, high, label) in expected.items():
        concept = ent(local)
        assert onto.value(concept, ent("minProbability")).toPython() == Decimal(low)
        assert onto.value(concept, ent("maxProbability")).toPython() == Decimal(high)
        assert str(onto.value(concept, SKOS.prefLabel)) == label
        assert "ICD 203" in str(onto.value(concept, SKOS.definition))
        assert (concept, SKOS.inScheme, ent("CertaintyScale")) in onto
        assert (concept, RDF.type, ent("CertaintyLevel")) in onto
    assert Literal("highly likely", lang="en") in set(onto.objects(ent("HighlyLikely"),
                                                                   SKOS.altLabel))
    for local in ("Possible", "Asserted"):
        assert onto.value(ent(local), ent("minProbability")) is None
        assert (ent(local), SKOS.inScheme, ent("CertaintyScale")) in onto
    assert "ICD 203" in str(onto.value(ent("CertaintyScale"), SKOS.definition))


def _declared_distinct(g: Graph) -> set[frozenset]:
    """The pairs of individuals ``g`` declares different (``owl:AllDifferent``'s
    ``owl:distinctMembers`` or ``owl:members``, ``owl:differentFrom``)."""
    from rdflib.collection import Collection

    pairs = {frozenset(pair) for pair in g.subject_objects(OWL.differentFrom)}
    for node in g.subjects(RDF.type, OWL.AllDifferent):
        for prop in (OWL.distinctMembers, OWL.members):
            for head in g.objects(node, prop):
                members = list(Collection(g, head))
                pairs |= {frozenset((a, b)) for a in members for b in members if a != b}
    return pairs


def test_the_values_of_functional_properties_are_declared_distinct(onto: Graph) -> None:
    """A functional property's closed set of values (the individuals of its range) is
    declared pairwise distinct: without it, an assertion with two certainty levels made them
    one individual instead of being inconsistent (polarity and votes had it, certainty not)."""
    distinct = _declared_distinct(onto)
    checked = {}
    for prop in onto.subjects(RDF.type, OWL.FunctionalProperty):
        for cls in onto.objects(prop, RDFS.range):
            members = sorted(onto.subjects(RDF.type, cls))
            missing = [(a, b) for i, a in enumerate(members) for b in members[i + 1:]
                       if frozenset((a, b)) not in distinct]
            assert missing == [], prop
            checked[prop] = len(members)
    assert checked == {ent("certainty"): 9, ent("polarity"): 2}


@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")
def test_an_assertion_with_two_certainty_levels_is_inconsistent() -> None:
    from entente.graph.reason import check_consistency

    assertion = URIRef("https://entente.example.org/id/assertion/x-1")
    data = Graph()
    data.add((assertion, RDF.type, ent("Assertion")))
    data.add((assertion, ent("certainty"), ent("Likely")))
    assert check_consistency(data).ok
    data.add((assertion, ent("certainty"), ent("Possible")))
    assert not check_consistency(data).ok


def test_concept_schemes_are_complete(onto: Graph) -> None:
    schemes = {"PolarityScheme": 2, "VoteCastScheme": 4, "DomainScheme": 11, "CertaintyScale": 9}
    for scheme, count in schemes.items():
        members = set(onto.subjects(SKOS.inScheme, ent(scheme)))
        assert len(members) == count
        assert members == set(onto.objects(ent(scheme), SKOS.hasTopConcept))
        assert all((m, RDF.type, SKOS.Concept) in onto for m in members)


def test_ontology_loads_into_owlready2() -> None:
    import owlready2

    world = owlready2.World()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "entente.nt"
        ontology_graph().serialize(destination=str(path), format="nt", encoding="utf-8")
        world.get_ontology(path.as_uri()).load(format="ntriples")
    try:
        assert world[ENT_NS + "State"] in world[ENT_NS + "Actor"].descendants()
        assert world[ENT_NS + "memberOf"].inverse_property is world[ENT_NS + "hasMember"]
        assert owlready2.TransitiveProperty in world[ENT_NS + "partOf"].is_a
    finally:
        world.close()


def test_bundled_file_is_the_parsed_graph() -> None:
    text = (files("entente.ontology") / "entente.ttl").read_text(encoding="utf-8")
    parsed = Graph().parse(data=text, format="turtle")
    assert len(parsed) == len(ontology_graph())


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name == "href" and value and value.startswith("#"):
                self.hrefs.add(value[1:])


def test_html_documentation_has_an_anchor_per_term(onto: Graph) -> None:
    html = render_html()
    assert html == render_html()  # deterministic
    parser = _Anchors()
    parser.feed(html)
    locals_ = {str(t)[len(ENT_NS):] for t in _terms(onto)}
    assert sorted(locals_ - parser.ids) == []
    assert sorted(parser.hrefs - parser.ids) == []
    assert "<title>Entente ontology</title>" in html
    assert "ICD 203" in html and "80%&#8211;95%" in html
