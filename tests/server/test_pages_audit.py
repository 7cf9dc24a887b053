"""Defects an audit of the linked-data pages found (2026-12-06), each fixed and pinned here on
the corpus: a subject listed twice under "Referenced by", a named graph's provenance out of
reach from its IRI, the paging of a graph's page, a path that is not UTF-8, the negotiation at
``/`` and assertion titles by local names."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from entente.server.app import create_app
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF

BASE = "https://entente.example.org/"
HTML = "text/html"
DW = "dw-2022-02-03-ukraine-crisis-russia-china"


@pytest.fixture(scope="module")
def corpus_client(built_store):  # noqa: ANN001, ANN201 - a client of an app on the corpus
    from entente.config import Settings

    app = create_app(Settings().with_(store=built_store.link))
    yield app.test_client()
    app.extensions["entente.engine"].close()


def _page(client, path: str) -> str:  # noqa: ANN001
    got = client.get(path, headers={"Accept": HTML})
    assert got.status_code == 200, got.data
    return got.get_data(as_text=True)


def test_a_subject_with_its_label_in_two_graphs_is_referenced_once(corpus_client) -> None:
    """"since 2014-03" has its rdfs:label in two document graphs: it was listed twice."""
    page = _page(corpus_client, "/id/time/2014-03")
    incoming = page.split('id="incoming"', 1)[1].split("</table>", 1)[0]
    assert incoming.count('href="/id/time/since-2014-03"') == 1


def test_a_graphs_page_shows_what_the_dataset_states_about_the_graph(corpus_client) -> None:
    page = _page(corpus_client, f"/graph/document/{DW}")
    about = page.split('id="about-graph"', 1)[1].split("</table>", 1)[0]
    assert f'href="/id/document/{DW}"' in about  # prov:wasDerivedFrom
    assert re.search(r'href="/id/build/[0-9a-f]{12}"', about)  # prov:wasGeneratedBy


def test_a_graphs_rdf_links_to_its_description(corpus_client) -> None:
    graph_iri = f"{BASE}graph/document/{DW}"
    got = corpus_client.get(f"/graph/document/{DW}", headers={"Accept": "text/turtle"})
    assert got.status_code == 200
    described = re.search(r'<([^>]+)>; rel="describedby"', got.headers["Link"])
    assert described is not None
    url = described.group(1)
    assert unquote(url.split("query=", 1)[1].replace("+", " ")) == f"DESCRIBE <{graph_iri}>"
    description = corpus_client.get(url, headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=description.data, format="turtle")
    assert (URIRef(graph_iri), RDF.type, PROV.Entity) in graph
    assert (URIRef(graph_iri), PROV.wasDerivedFrom, URIRef(f"{BASE}id/document/{DW}")) in graph
    assert len(list(graph.objects(URIRef(graph_iri), PROV.wasGeneratedBy))) == 1


def test_a_graph_page_past_its_end_links_back_to_its_last_page(corpus_client) -> None:
    page = _page(corpus_client, "/graph/entities?offset=99999")
    count = int(re.search(r'id="past-the-end">No subjects from 100000 on: the graph has '
                          r"(\d+)\.", page).group(1))
    previous = re.search(r'href="/graph/entities\?offset=(\d+)" rel="prev"', page)
    assert previous is not None and int(previous.group(1)) == (count - 1) // 100 * 100


def test_a_graph_page_offset_given_twice_is_a_400(corpus_client) -> None:
    got = corpus_client.get("/graph/entities?offset=1&offset=2", headers={"Accept": HTML})
    assert got.status_code == 400
    assert "parameter was given more than once; give it once" in got.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/id/%FF", "/graph/%FF", "/.well-known/genid/%FF",
                                  "/id/state/%C3"])
def test_a_path_that_is_not_utf8_is_a_400_saying_so(corpus_client, path: str) -> None:
    """It was the engine's "cannot run the query: Invalid IRI code point"."""
    got = corpus_client.get(path)
    assert got.status_code == 400
    assert got.get_json()["error"] == ("the path is not UTF-8: a percent-escape in it decodes "
                                       "to no character")


@pytest.mark.parametrize(("accept", "media"), [("application/json", "application/ld+json"),
                                               ("text/plain", "application/n-triples")])
def test_the_root_negotiates_aliases_as_every_page_does(corpus_client, accept: str,
                                                        media: str) -> None:
    got = corpus_client.get("/", headers={"Accept": accept})
    assert (got.status_code, got.mimetype) == (200, media)
    assert corpus_client.get("/id/state/china", headers={"Accept": accept}).mimetype == media


@pytest.mark.parametrize(("n", "title"), [
    (2, "Xi Jinping meets with Vladimir Putin (likely)"),
    (17, "China supports Russia (negated)")])
def test_an_assertions_title_names_its_predicate_and_certainty_by_label(corpus_client, n: int,
                                                                        title: str) -> None:
    page = _page(corpus_client, f"/id/assertion/{DW}-{n}")
    assert page.split("<h1>", 1)[1].split("</h1>", 1)[0] == title


def test_the_ontology_page_links_to_this_servers_pages(corpus_client) -> None:
    """Its links to the project, the ontology and its version left the site."""
    page = _page(corpus_client, "/ontology")
    assert 'href="https://entente.example.org/' not in page
    assert page.count('href="/#project"') == 2
    assert 'href="/ontology"' in page and re.search(r'href="/ontology/\d+\.\d+\.\d+"', page)


def test_a_parameter_may_be_this_servers_url_of_the_resource(corpus_client) -> None:
    """Copied from the address bar of the resource's page ("http://localhost:8000/id/...");
    it was a 400 "nothing in the store is named ..." on any host but entente.example.org."""
    def rows(actor: str, host: str = "localhost") -> tuple[int, bytes]:
        got = corpus_client.get("/queries/about-actor",
                                query_string={"actor": actor, "format": "json"},
                                headers={"Host": host})
        return got.status_code, got.data

    status, expected = rows("id/state/china")
    assert status == 200 and b"China" in expected
    for url in ("http://localhost/id/state/china", "https://localhost/id/state/china",
                " http://LOCALHOST/id/state/china"):
        assert rows(url) == (200, expected), url
    assert rows("http://localhost:8000/id/state/china", "localhost:8000") == (200, expected)
    # another host's URL is another IRI, which names nothing here; the same request line
    # with another Host is not replayed from the response cache (which does not key on it)
    assert rows("http://elsewhere.example/id/state/china")[0] == 400
    assert rows("http://localhost/id/state/china", "elsewhere.example")[0] == 400
