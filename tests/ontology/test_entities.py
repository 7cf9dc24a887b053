"""The bundled reference entities (ontology/entities.ttl): shape, labels, links."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from importlib.resources import files

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

BASE = "https://entente.example.org/"
ENT = Namespace("https://entente.example.org/ontology#")
ID = Namespace(BASE + "id/")
TIME = Namespace("http://www.w3.org/2006/time#")

#: allowed ent: class -> the IRI family ({BASE}id/{kind}/) its instances live in
KIND_OF_CLASS: dict[str, str] = {
    "State": "state",
    "InternationalOrganization": "org",
    "Person": "person",
    **{c: "institution" for c in (
        "Institution", "ThinkTank", "ResearchInstitute", "MediaOutlet", "GovernmentBody",
        "IntelligenceService", "Company",
    )},
    **{c: "agreement" for c in (
        "Treaty", "JointStatement", "Memorandum", "UnilateralDeclaration", "Deal", "Proposal",
    )},
    **{c: "event" for c in (
        "Event", "Meeting", "Summit", "ResolutionVote", "MilitaryOperation", "Invasion",
        "Annexation", "Sanction", "JointMilitaryExercise", "Resolution",
    )},
    **{c: "place" for c in ("Place", "Region")},
}
LABEL_PROPS = (SKOS.prefLabel, SKOS.altLabel)
WD_IRI = re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9]\d*$")
DBR_PREFIX = "http://dbpedia.org/resource/"


def _parse(text: str, base: str = BASE) -> Graph:
    graph = Graph()
    graph.parse(data=text, format="turtle", publicID=base)
    return graph


@pytest.fixture(scope="module")
def source() -> str:
    return (files("entente.ontology") / "entities.ttl").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def graph(source: str) -> Graph:
    return _parse(source)


@pytest.fixture(scope="module")
def entities(graph: Graph) -> list[URIRef]:
    """Every subject but the OWL-Time instants and intervals (id/time/) of the events."""
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef)
                and not s.startswith(ID + "time/")}
    return sorted(subjects)


def _ent_types(graph: Graph, subject: URIRef) -> list[str]:
    return sorted(
        str(t)[len(str(ENT)):] for t in graph.objects(subject, RDF.type) if str(t).startswith(ENT)
    )


def _labels(graph: Graph, subject: URIRef, prop: URIRef) -> set[str]:
    return {str(v) for v in graph.objects(subject, prop)}


def test_file_has_no_base_directive_and_resolves_against_the_configured_base(source: str) -> None:
    assert not re.search(r"^\s*(@base|BASE)\b", source, flags=re.MULTILINE | re.IGNORECASE)
    other = _parse(source, base="http://example.com/kg/")
    assert (URIRef("http://example.com/kg/id/state/china"), RDF.type, ENT.State) in other
    assert not any(str(s).startswith(BASE + "id/") for s in other.subjects())


def test_there_are_entities_of_every_family(graph: Graph, entities: list[URIRef]) -> None:
    kinds = {str(s)[len(str(ID)):].split("/")[0] for s in entities}
    assert kinds == {"state", "org", "person", "institution", "agreement", "event", "place"}
    assert len(entities) >= 150


def test_every_subject_is_an_entity_with_one_allowed_type(
    graph: Graph, entities: list[URIRef]
) -> None:
    bad = []
    for subject in entities:
        types = _ent_types(graph, subject)
        if len(types) != 1 or types[0] not in KIND_OF_CLASS:
            bad.append((str(subject), types))
            continue
        kind = KIND_OF_CLASS[types[0]]
        rest = str(subject)[len(str(ID)) + len(kind) + 1:]
        if not str(subject).startswith(f"{ID}{kind}/") or not re.fullmatch(
            r"[a-z0-9]+(-[a-z0-9]+)*", rest
        ):
            bad.append((str(subject), kind))
    assert bad == []


def test_every_entity_has_one_english_pref_label_equal_to_its_rdfs_label(
    graph: Graph, entities: list[URIRef]
) -> None:
    bad = []
    for subject in entities:
        prefs = list(graph.objects(subject, SKOS.prefLabel))
        labels = list(graph.objects(subject, RDFS.label))
        if len(prefs) != 1 or prefs[0].language != "en" or labels != prefs:
            bad.append(str(subject))
    assert bad == []


def test_no_surface_form_belongs_to_two_entities(graph: Graph, entities: list[URIRef]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for subject in entities:
        for prop in LABEL_PROPS:
            for label in _labels(graph, subject, prop):
                owners[" ".join(label.split()).casefold()].add(str(subject))
    shared = {label: sorted(iris) for label, iris in owners.items() if len(iris) > 1}
    assert shared == {}


def _clean(value: object) -> bool:
    return isinstance(value, Literal) and bool(str(value)) and str(value) == " ".join(
        str(value).split()
    )


def test_labels_are_clean_language_tagged_literals(graph: Graph) -> None:
    """(A time's label is its position, "2014-03" or "since 2014": no language, as the
    assertions' times have.)"""
    bad = [
        (str(s), str(v)) for p in (*LABEL_PROPS, RDFS.label) for s, v in graph.subject_objects(p)
        if not _clean(v) or v.language is None and not s.startswith(ID + "time/")
    ]
    assert bad == []


def _years(graph: Graph, time: URIRef) -> tuple[int, int | None]:
    """The years an instant or interval spans: (year, None) for an instant, (beginning, end)
    for an interval (end None: still holding)."""
    def year(instant: URIRef) -> int:
        positions = [v for p in (TIME.inXSDgYear, TIME.inXSDgYearMonth, TIME.inXSDDate)
                     for v in graph.objects(instant, p)]
        assert len(positions) == 1, instant
        return int(str(positions[0])[:4])

    beginning = graph.value(time, TIME.hasBeginning)
    if beginning is None:
        return year(time), None
    end = graph.value(time, TIME.hasEnd)
    return year(beginning), year(end) if end is not None else None


def test_event_and_agreement_times_agree_with_their_iris_and_labels(graph: Graph) -> None:
    """Only events and agreements are timed; a year their IRI or label names ("...-2014",
    "(February 2019)") is the year of their time, or within their interval; the time is
    described in the file (an instant, or an interval with a described beginning)."""
    timed = sorted(graph.subject_objects(TIME.hasTime))
    assert len(timed) >= 40
    bad = []
    for subject, time in timed:
        kind = str(subject)[len(str(ID)):].split("/")[0]
        if kind not in ("event", "agreement"):
            bad.append((str(subject), "not an event or agreement"))
            continue
        if (time, RDF.type, TIME.Instant) not in graph \
                and (time, RDF.type, TIME.ProperInterval) not in graph:
            bad.append((str(subject), "time not described"))
            continue
        first, last = _years(graph, time)
        if graph.value(time, TIME.hasBeginning) is None:
            last = first  # (an instant)
        named = {int(y) for y in re.findall(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)",
                                            f"{subject} {graph.value(subject, RDFS.label)}")}
        bad += [(str(subject), y, str(time)) for y in sorted(named)
                if not first <= y <= (last if last is not None else 9999)]
    assert bad == []


def test_the_times_of_some_events_and_agreements(graph: Graph) -> None:
    def time(rel: str) -> str:
        return str(graph.value(ID[rel], TIME.hasTime))[len(str(ID)):]

    assert time("event/russian-invasion-of-ukraine-2022") == "time/2022-02-24"
    assert time("event/annexation-of-crimea-2014") == "time/2014-03"
    assert time("event/russo-ukrainian-war") == "time/since-2014"
    assert time("event/world-war-ii") == "time/1939--1945"
    assert time("agreement/sino-russian-treaty-2001") == "time/2001-07-16"
    assert _years(graph, ID["time/1939--1945"]) == (1939, 1945)
    assert _years(graph, ID["time/since-2014"]) == (2014, None)
    untimed = sorted(str(s)[len(str(ID)):] for s in graph.subjects(RDF.type, ENT.Proposal)
                     if graph.value(s, TIME.hasTime) is None)
    assert untimed == ["agreement/eu-russia-new-agreement", "agreement/freeze-for-freeze",
                       "agreement/polar-silk-road"]


def test_demonyms_and_roles_are_plain_strings(graph: Graph) -> None:
    """The ontology gives ent:demonym and ent:roleDescription the range xsd:string: a
    language-tagged literal there makes the dataset inconsistent for an OWL reasoner."""
    bad = [
        (str(s), str(v)) for p in (ENT.demonym, ENT.roleDescription)
        for s, v in graph.subject_objects(p)
        if not _clean(v) or v.language is not None or v.datatype not in (None, XSD.string)
    ]
    assert bad == []


def test_demonyms_are_not_labels(graph: Graph, entities: list[URIRef]) -> None:
    labels = {
        str(v).casefold() for s in entities for p in LABEL_PROPS for v in graph.objects(s, p)
    }
    demonyms = {str(v).casefold() for v in graph.objects(None, ENT.demonym)}
    assert "chinese" in demonyms and "russian" in demonyms and "american" in demonyms
    assert labels & demonyms == set()


def test_same_as_targets_are_wikidata_items_or_dbpedia_resources(graph: Graph) -> None:
    bad = [
        (str(s), str(o)) for s, o in graph.subject_objects(OWL.sameAs)
        if not (WD_IRI.match(str(o)) or str(o).startswith(DBR_PREFIX))
    ]
    assert bad == []
    targets = list(graph.objects(None, OWL.sameAs))
    assert len(targets) == len(set(targets)), "one external IRI linked from two entities"


def test_background_relations_point_at_entities(graph: Graph, entities: list[URIRef]) -> None:
    """(And every time an event or interval points at is described in the file.)"""
    known = set(entities) | set(graph.subjects(RDF.type, TIME.Instant)) \
        | set(graph.subjects(RDF.type, TIME.ProperInterval))
    dangling = [
        (str(s), str(p), str(o)) for s, p, o in graph
        if isinstance(o, URIRef) and str(o).startswith(str(ID)) and o not in known
    ]
    assert dangling == []


@pytest.mark.parametrize(
    ("entity", "prop", "value"),
    [
        ("state/china", SKOS.altLabel, "Beijing"),
        ("state/china", SKOS.altLabel, "People's Republic of China"),
        ("state/russia", SKOS.altLabel, "the Kremlin"),
        ("state/russia", SKOS.altLabel, "Moscow"),
        ("state/russia", SKOS.altLabel, "Russian Federation"),
        ("state/ukraine", SKOS.altLabel, "Kiev"),
        ("state/ukraine", SKOS.altLabel, "Kyiv"),
        ("state/united-states", SKOS.altLabel, "Washington"),
        ("state/united-states", SKOS.altLabel, "U.S."),
        ("state/north-korea", SKOS.altLabel, "Pyongyang"),
        ("state/syria", SKOS.altLabel, "Damascus"),
        ("state/kosovo", SKOS.altLabel, "Pristina"),
        ("org/sco", SKOS.prefLabel, "Shanghai Cooperation Organization"),
        ("org/nato", SKOS.altLabel, "NATO"),
    ],
)
def test_spot_check_labels(graph: Graph, entity: str, prop: URIRef, value: str) -> None:
    assert Literal(value, lang="en") in set(graph.objects(ID[entity], prop))


@pytest.mark.parametrize(
    ("entity", "demonyms"),
    [
        ("state/china", ["Chinese", "Sino"]),
        ("state/russia", ["Russian"]),
        ("state/united-states", ["American"]),
        ("state/ukraine", ["Ukrainian"]),
    ],
)
def test_spot_check_demonyms(graph: Graph, entity: str, demonyms: list[str]) -> None:
    assert sorted(str(v) for v in graph.objects(ID[entity], ENT.demonym)) == demonyms


@pytest.mark.parametrize(
    ("subject", "prop", "obj"),
    [
        ("org/un-security-council", ENT.partOf, "org/un"),
        ("org/un-general-assembly", ENT.partOf, "org/un"),
        ("org/european-parliament", ENT.partOf, "org/eu"),
        ("place/xinjiang", ENT.locatedIn, "state/china"),
        ("place/siberia", ENT.locatedIn, "state/russia"),
        ("person/xi-jinping", ENT.affiliatedWith, "state/china"),
        ("person/danil-bochkov", ENT.affiliatedWith, "institution/riac"),
        ("person/pascal-abb", ENT.affiliatedWith, "institution/prif"),
        ("event/russian-invasion-of-ukraine-2022", ENT.partOf, "event/russo-ukrainian-war"),
    ],
)
def test_spot_check_relations(graph: Graph, subject: str, prop: URIRef, obj: str) -> None:
    assert (ID[subject], prop, ID[obj]) in graph


@pytest.mark.parametrize(
    ("entity", "cls"),
    [
        ("person/vladimir-putin", "Person"),
        ("institution/riac", "ThinkTank"),
        ("institution/gazprom", "Company"),
        ("institution/dw", "MediaOutlet"),
        ("agreement/belt-and-road-initiative", "Proposal"),
        ("agreement/freeze-for-freeze", "Proposal"),
        ("agreement/budapest-memorandum", "Memorandum"),
        ("event/annexation-of-crimea-2014", "Annexation"),
        ("event/russian-invasion-of-ukraine-2022", "Invasion"),
        ("place/central-asia", "Region"),
        ("place/taiwan", "Place"),
    ],
)
def test_spot_check_types(graph: Graph, entity: str, cls: str) -> None:
    assert _ent_types(graph, ID[entity]) == [cls]


def test_contested_places_have_no_located_in(graph: Graph) -> None:
    for place in ("place/crimea", "place/taiwan", "place/south-china-sea", "state/kosovo"):
        assert list(graph.objects(ID[place], ENT.locatedIn)) == [], place


def test_document_metadata_names_are_entity_labels(
    graph: Graph, entities: list[URIRef], request: pytest.FixtureRequest
) -> None:
    """Authors, affiliations and publishers in corpus/metadata.json link to entities."""
    path = request.config.rootpath / "corpus" / "metadata.json"
    documents = json.loads(path.read_text(encoding="utf-8"))["documents"]
    names = {
        name
        for doc in documents
        for name in (*doc.get("authors", []), doc.get("publisher"), doc.get("author_affiliation"))
        if name
    }
    assert len(names) >= 8
    labels = {
        str(v) for s in entities for p in (*LABEL_PROPS, RDFS.label) for v in graph.objects(s, p)
    }
    assert sorted(names - labels) == []


@pytest.mark.parametrize(
    ("entity", "target"),
    [
        ("state/china", "http://www.wikidata.org/entity/Q148"),
        ("state/russia", "http://www.wikidata.org/entity/Q159"),
        ("state/united-states", "http://www.wikidata.org/entity/Q30"),
        ("state/ukraine", "http://www.wikidata.org/entity/Q212"),
        ("org/nato", "http://www.wikidata.org/entity/Q7184"),
        ("org/eu", "http://www.wikidata.org/entity/Q458"),
        ("org/un", "http://www.wikidata.org/entity/Q1065"),
        ("org/sco", "http://www.wikidata.org/entity/Q485207"),
        ("org/g20", "http://www.wikidata.org/entity/Q19771"),
        ("person/narendra-modi", "http://www.wikidata.org/entity/Q1058"),
    ],
)
def test_spot_check_same_as(graph: Graph, entity: str, target: str) -> None:
    assert (ID[entity], OWL.sameAs, URIRef(target)) in graph


def test_a_place_is_not_the_same_as_a_state(graph: Graph) -> None:
    """Taiwan is a place here (its status contested); Wikidata's Q865 and DBpedia's Taiwan are
    the state: close, not the same (owl:sameAs merged a place with a state)."""
    taiwan = ID["place/taiwan"]
    assert list(graph.objects(taiwan, OWL.sameAs)) == []
    assert set(graph.objects(taiwan, SKOS.closeMatch)) == {
        URIRef("http://www.wikidata.org/entity/Q865"), URIRef("http://dbpedia.org/resource/Taiwan")}


def test_entities_are_consistent_with_the_ontology(graph: Graph) -> None:
    """HermiT over ontology + entities: no type clash, no range violation."""
    reason = pytest.importorskip("entente.graph.reason")
    data = Graph()
    data.parse(
        data=(files("entente.ontology") / "entente.ttl").read_text(encoding="utf-8"),
        format="turtle",
    )
    for triple in graph:
        data.add(triple)
    try:
        report = reason.check_consistency(data)
    except reason.ReasonerUnavailable as exc:
        pytest.skip(str(exc))
    assert (report.ok, report.unsatisfiable_classes, report.conflicting_individuals) == (
        True, (), ()
    ), report.message
