"""Self-description: the Service Description, VoID with counts from the data, the dump."""

from __future__ import annotations

import pytest
from entente.server.app import create_app
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, VOID, XSD

from entente.config import Settings

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
BASE = "https://entente.example.org/"
ENT = Namespace(BASE + "ontology#")
DATASET = URIRef(BASE + ".well-known/void#dataset")
FORMATS = "http://www.w3.org/ns/formats/"


def _int(graph: Graph, s: URIRef, p: URIRef) -> int:
    value = graph.value(s, p)
    assert isinstance(value, Literal) and value.datatype == XSD.integer, (s, p, value)
    return int(value)


@pytest.mark.parametrize(("accept", "parser"), [
    ("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
    ("application/n-triples", "nt"), ("application/rdf+xml", "xml"),
])
def test_service_description(client, test_store, accept: str, parser: str) -> None:
    r = client.get("/sparql", headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept
    g = Graph().parse(data=r.data, format=parser)
    service = g.value(None, RDF.type, SD.Service)
    assert g.value(service, SD.endpoint) == URIRef("http://localhost/sparql")
    assert set(g.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}
    formats = {str(f).removeprefix(FORMATS) for f in g.objects(service, SD.resultFormat)}
    assert formats == {"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                       "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML",
                       "N-Quads", "TriG"}
    assert set(g.objects(service, SD.feature)) == {SD.UnionDefaultGraph}
    dataset = g.value(service, SD.defaultDataset)
    assert g.value(dataset, SD.defaultGraph) is not None
    named = {g.value(n, SD.name): _int(g, g.value(n, SD.graph), VOID.triples)
             for n in g.objects(dataset, SD.namedGraph)}
    assert all((g.value(n, SD.graph), RDF.type, SD.Graph) in g
               for n in g.objects(dataset, SD.namedGraph))
    assert {str(k): v for k, v in named.items()} == test_store.manifest["graphs"]
    # the service's default dataset is the VoID dataset, linked back by void:sparqlEndpoint
    # (not void:inDataset on the service: its domain is foaf:Document)
    assert dataset == DATASET
    assert set(g.objects(DATASET, RDF.type)) == {SD.Dataset, VOID.Dataset}
    assert g.value(DATASET, VOID.sparqlEndpoint) == URIRef("http://localhost/sparql")
    assert not list(g.triples((None, VOID.inDataset, None)))
    _graphs_per_the_specs(g, DATASET)


def _graphs_per_the_specs(g: Graph, dataset: URIRef) -> None:
    """sd:name only on sd:NamedGraph nodes; their sd:graph is an sd:Graph and a void:Dataset
    (the subset, with void:triples), and the dataset's subsets are exactly those graphs."""
    names = list(g.subject_objects(SD.name))
    assert names and all(set(g.objects(n, RDF.type)) == {SD.NamedGraph} for n, _ in names)
    graphs = {g.value(n, SD.graph) for n in g.objects(dataset, SD.namedGraph)}
    assert all(set(g.objects(s, RDF.type)) == {SD.Graph, VOID.Dataset} for s in graphs)
    linksets = set(g.subjects(RDF.type, VOID.Linkset))
    assert set(g.objects(dataset, VOID.subset)) - linksets == graphs


def _subsets(void: Graph, dataset: URIRef) -> dict[str, int]:
    """{graph name: triples} of the dataset's subsets, through their sd:NamedGraph."""
    out = {}
    for node in void.objects(dataset, SD.namedGraph):
        subset = void.value(node, SD.graph)
        assert (dataset, VOID.subset, subset) in void
        out[str(void.value(node, SD.name))] = _int(void, subset, VOID.triples)
    return out


@pytest.mark.parametrize("path", ["/sparql", "/.well-known/void"])
@pytest.mark.parametrize(("accept", "fmt"), [("application/n-quads", "nq"),
                                              ("application/trig", "trig")])
def test_dataset_formats_carry_the_graph_as_the_default_graph(client, path: str, accept: str,
                                                               fmt: str) -> None:
    """N-Quads and TriG are advertised: the description comes in them (in the default
    graph), as in Turtle; rdflib alone refused them (500)."""
    turtle = client.get(path, headers={"Accept": "text/turtle"})
    expected = Graph().parse(data=turtle.data, format="turtle")
    for r in (client.get(path, headers={"Accept": accept}),
              client.get(path, query_string={"format": fmt})):
        assert r.status_code == 200 and r.mimetype == accept
        assert r.headers["Vary"] == "Accept, Origin, Accept-Encoding"
        ds = Dataset()
        ds.parse(data=r.data, format="nquads" if fmt == "nq" else "trig")
        quads = list(ds.quads((None, None, None, None)))
        assert len(quads) == len(expected) > 20
        assert {c for *_, c in quads} == {ds.default_graph.identifier}
        assert set(ds.default_graph) == set(expected)  # no blank nodes: the same triples


@pytest.fixture(scope="module")
def void(app) -> Graph:
    r = app.test_client().get("/.well-known/void")
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    return Graph().parse(data=r.data, format="turtle")


def test_void_totals_match_the_store(void: Graph, test_store) -> None:
    assert (DATASET, RDF.type, VOID.Dataset) in void
    assert _int(void, DATASET, VOID.triples) == test_store.manifest["quads"] == 353
    # 6 states + 3 orgs + document + build + 40 assertions + 40 sentences + 5 classes + ontology
    assert _int(void, DATASET, VOID.distinctSubjects) == 97
    assert _int(void, DATASET, VOID.properties) == 10
    assert _int(void, DATASET, VOID.classes) == 8
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef("http://localhost/sparql")
    assert void.value(DATASET, VOID.dataDump) == URIRef("http://localhost/dump.nq")
    assert void.value(DATASET, DCTERMS.license) is not None
    assert void.value(DATASET, DCTERMS.title) is not None


def test_void_gives_the_store_version_as_owl_version_info(void: Graph, test_store) -> None:
    """The store version is a literal: owl:versionInfo, not dcterms:hasVersion (whose
    value is a resource, another version of the dataset)."""
    assert list(void.objects(DATASET, OWL.versionInfo)) == [Literal(test_store.version)]
    assert (DATASET, DCTERMS.hasVersion, None) not in void


def test_void_partitions(void: Graph, test_store) -> None:
    classes = {void.value(p, VOID["class"]): _int(void, p, VOID.entities)
               for p in void.objects(DATASET, VOID.classPartition)}
    assert classes[ENT.State] == 6
    assert classes[ENT.InternationalOrganization] == 3
    assert classes[ENT.Assertion] == 40
    properties = {void.value(p, VOID.property): _int(void, p, VOID.triples)
                  for p in void.objects(DATASET, VOID.propertyPartition)}
    assert properties[ENT.memberOf] == 6  # the 40 truthy triples repeat 6 state-org pairs
    assert properties[ENT.quote] == 40
    assert sum(properties.values()) == 353
    assert _subsets(void, DATASET) == test_store.manifest["graphs"]
    assert not list(void.triples((None, VOID.inDataset, None)))
    _graphs_per_the_specs(void, DATASET)


def test_void_vocabularies_and_examples(void: Graph) -> None:
    vocabularies = {str(v) for v in void.objects(DATASET, VOID.vocabulary)}
    assert str(ENT) in vocabularies
    assert "http://www.w3.org/2004/02/skos/core#" in vocabularies
    assert "http://xmlns.com/foaf/0.1/" not in vocabularies  # not used by the data
    examples = set(void.objects(DATASET, VOID.exampleResource))
    assert examples == {URIRef(BASE + "id/state/china"), URIRef(BASE + "id/org/sco"),
                        URIRef(BASE + "id/assertion/test-doc-1")}


def test_dump_is_the_dataset(client, test_store) -> None:
    r = client.get("/dump.nq")
    assert r.status_code == 200
    assert r.mimetype == "application/n-quads"
    assert r.data == test_store.dump_path.read_bytes()
    ds = Dataset()
    ds.parse(data=r.data, format="nquads")
    quads = list(ds.quads((None, None, None, None)))
    assert len(quads) == 353
    assert all(str(g).startswith(BASE + "graph/") for *_, g in quads)
    r.close()


def test_void_on_the_built_corpus(built_store) -> None:
    app = create_app(Settings().with_(store=built_store.link))
    try:
        client = app.test_client()
        void = Graph().parse(data=client.get("/.well-known/void").data, format="turtle")
        assert _int(void, DATASET, VOID.triples) == built_store.manifest["quads"]
        assert _subsets(void, DATASET) == built_store.manifest["graphs"]
        examples = set(void.objects(DATASET, VOID.exampleResource))
        assert URIRef(BASE + "id/state/china") in examples
        assert URIRef(BASE + "id/org/sco") in examples
        _graphs_per_the_specs(void, DATASET)
        # the owl:sameAs links, one void:Linkset per target dataset (VoID 4.1); distinct
        # links, as the query counts them
        linksets = {}
        for linkset in void.subjects(RDF.type, VOID.Linkset):
            assert (DATASET, VOID.subset, linkset) in void
            assert void.value(linkset, VOID.linkPredicate) == OWL.sameAs
            assert void.value(linkset, VOID.subjectsTarget) == DATASET
            target = void.value(linkset, VOID.objectsTarget)
            linksets[str(void.value(target, VOID.uriSpace))] = _int(void, linkset, VOID.triples)
        links = {space: len({(s, o) for s, o in _same_as(built_store) if o.startswith(space)})
                 for space in linksets}
        assert linksets == links == {"http://www.wikidata.org/entity/": 244,
                                     "http://dbpedia.org/resource/": 333}
        health = client.get("/healthz").get_json()
        assert (health["version"], health["quads"]) == (
            built_store.version, built_store.manifest["quads"])
    finally:
        app.extensions["entente.engine"].close()


def _same_as(store) -> list[tuple[str, str]]:  # noqa: ANN001
    import pyoxigraph
    from entente.graph.store import open_read_only

    ox = open_read_only(store)
    same = pyoxigraph.NamedNode(str(OWL.sameAs))
    return [(q.subject.value, q.object.value) for q in ox.quads_for_pattern(None, same, None)]


def test_a_browser_gets_void_as_a_page(client) -> None:
    """A browser's Accept (text/html first, application/xml;q=0.9) got RDF/XML; text/html
    alone a 406."""
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for accept in (browser, "text/html"):
        r = client.get("/.well-known/void", headers={"Accept": accept})
        assert r.status_code == 200 and r.mimetype == "text/html"
        page = r.get_data(as_text=True)
        assert "VoID description of the dataset" in page
        assert "void:Dataset" in page and 'href="/.well-known/void?format=turtle"' in page
    assert "Accept" in r.headers["Vary"]
    rdf = client.get("/.well-known/void", headers={"Accept": "text/n3"})
    assert rdf.mimetype == "text/turtle"
