"""ontology/catalog-v001.xml: the OASIS XML catalog Protégé reads beside the file it opens.

The ontology's IRI is in a reserved example domain, and the shapes and the served entities
document import it: without the catalog, Protégé and the OWL API could not load them offline.
The catalog maps each ontology IRI and version IRI to a file of ``ontology/``;
``entities.owl`` is the entities document ``/ontology/entities`` serves, written by
``make protege`` (``scripts/write-entities-owl.py``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF

from entente.config import ONTOLOGY_IRI

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_DIR = ROOT / "ontology"
SCRIPT = ROOT / "scripts" / "write-entities-owl.py"
CATALOG_NS = "urn:oasis:names:tc:entity:xmlns:xml:catalog"
ENTITIES_IRI = ONTOLOGY_IRI + "/entities"
SHAPES_IRI = "https://entente.example.org/shapes"


def _catalog(folder: Path) -> dict[str, Path]:
    """The catalog's ``uri`` entries: IRI -> file (relative to the catalog's folder)."""
    root = ET.parse(folder / "catalog-v001.xml").getroot()
    assert root.tag == f"{{{CATALOG_NS}}}catalog"
    entries = list(root)
    assert entries and all(e.tag == f"{{{CATALOG_NS}}}uri" for e in entries)
    mapping = {e.get("name"): folder / e.get("uri") for e in entries}
    assert len(mapping) == len(entries)  # (no IRI mapped twice)
    return mapping


def _parse(path: Path) -> Graph:
    return Graph().parse(path, format="xml" if path.suffix == ".owl" else "turtle")


def _names(g: Graph) -> set[str]:
    """The IRIs a document answers to: its ontologies' IRIs and version IRIs."""
    ontologies = set(g.subjects(RDF.type, OWL.Ontology))
    return {str(o) for o in ontologies} | {
        str(v) for o in ontologies for v in g.objects(o, OWL.versionIRI)}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of ``ontology/`` (its Turtle files and the catalog) with ``entities.owl``
    written as ``make protege`` writes it (default base IRI)."""
    folder = tmp_path_factory.mktemp("protege")
    for path in [*ONTOLOGY_DIR.glob("*.ttl"), ONTOLOGY_DIR / "catalog-v001.xml"]:
        shutil.copy(path, folder)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTENTE_")}
    subprocess.run([sys.executable, str(SCRIPT), str(folder / "entities.owl")], check=True,
                   env=env, capture_output=True, timeout=120)
    return folder


def test_the_catalog_maps_each_ontology_and_version_iri_to_its_file(folder: Path) -> None:
    """The ontology IRI to the current file, each version IRI to the file that has it, the
    shapes and the entities document to theirs; nothing else."""
    expected = {ONTOLOGY_IRI: folder / "entente.ttl", SHAPES_IRI: folder / "shapes.ttl",
                ENTITIES_IRI: folder / "entities.owl"}
    for path in [*folder.glob("*.ttl"), folder / "entities.owl"]:
        g = _parse(path)
        for ontology in g.subjects(RDF.type, OWL.Ontology):
            expected.update({str(v): path for v in g.objects(ontology, OWL.versionIRI)})
    assert _catalog(folder) == expected
    assert {ONTOLOGY_IRI + "/0.1.0", ONTOLOGY_IRI + "/0.2.0", ENTITIES_IRI + "/0.2.0"} \
        <= expected.keys()


def test_every_import_is_mapped_to_a_file_that_exists_and_parses(folder: Path, client) -> None:
    """Every owl:imports of the shipped files and of the served OWL documents names an IRI
    the catalog maps to a file that exists, parses and is that ontology."""
    documents = {path.name: _parse(path) for path in folder.glob("*.ttl")}
    documents["entities.owl"] = _parse(folder / "entities.owl")
    for path in ("/shapes", "/ontology/entities", "/ontology/entities/0.2.0", "/ontology/0.1.0"):
        r = client.get(path, headers={"Accept": "text/turtle"})
        assert r.status_code == 200, path
        documents[path] = Graph().parse(data=r.data, format="turtle")
    mapping = _catalog(folder)
    imports: dict[str, set[str]] = {}
    for name, g in documents.items():
        for _, imported in g.subject_objects(OWL.imports):
            imports.setdefault(str(imported), set()).add(name)
    assert imports == {ONTOLOGY_IRI: {"entities.owl", "shapes.ttl", "/shapes",
                                      "/ontology/entities", "/ontology/entities/0.2.0"}}
    for iri in imports:
        target = mapping[iri]
        assert target.is_file(), target
        assert iri in _names(_parse(target))


def test_the_written_entities_file_is_the_served_document(folder: Path, client) -> None:
    r = client.get("/ontology/entities", headers={"Accept": "text/turtle"})
    assert isomorphic(Graph().parse(data=r.data, format="turtle"),
                      _parse(folder / "entities.owl"))


_LOAD = """
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.util.SimpleIRIMapper;
public class Load {
  public static void main(String[] args) throws Exception {
    OWLOntologyManager m = OWLManager.createOWLOntologyManager();
    for (int i = 1; i + 1 < args.length; i += 2)
      m.addIRIMapper(new SimpleIRIMapper(IRI.create(args[i]),
                                         IRI.create(new File(args[i + 1]).toURI())));
    OWLOntology o = m.loadOntologyFromOntologyDocument(new File(args[0]));
    for (OWLOntology c : m.getImportsClosure(o))
      System.out.println(c.getOntologyID().getOntologyIRI() + " " + m.getOntologyDocumentIRI(c));
  }
}
"""


@pytest.mark.skipif(shutil.which("javac") is None or shutil.which("java") is None,
                    reason="needs a JDK (javac) to run the OWL API bundled with HermiT")
@pytest.mark.parametrize("name", ["entities.owl", "shapes.ttl"])
def test_the_owl_api_loads_them_offline_through_the_catalog(folder: Path, tmp_path: Path,
                                                            name: str) -> None:
    """The OWL API (in owlready2's HermiT.jar) given the catalog's mappings loads the
    entities document and the shapes with their import from the local entente.ttl."""
    import owlready2

    jar = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"
    (tmp_path / "Load.java").write_text(_LOAD, encoding="utf-8")
    subprocess.run(["javac", "-cp", str(jar), "-d", str(tmp_path), str(tmp_path / "Load.java")],
                   check=True, timeout=120, capture_output=True)
    pairs = [arg for iri, path in _catalog(folder).items() for arg in (iri, str(path))]
    run = subprocess.run(["java", "-cp", f"{jar}:{tmp_path}", "Load", str(folder / name),
                          *pairs], capture_output=True, text=True, timeout=120, check=True)
    loaded = dict(line.split(" ") for line in run.stdout.splitlines())
    assert loaded[ONTOLOGY_IRI] == (folder / "entente.ttl").as_uri().replace("file:///",
                                                                            "file:/")
    assert loaded.keys() == {ONTOLOGY_IRI, ENTITIES_IRI if name == "entities.owl"
                             else SHAPES_IRI}

