"""RDF namespaces and IRI minting shared by every layer."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

from entente.config import ONTOLOGY_IRI, ONTOLOGY_NS

ENT = Namespace(ONTOLOGY_NS)
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
#: ITS 2.0 RDF terms: NIF 2.0 links a mention to its entity with ``itsrdf:taIdentRef``.
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
TIME = Namespace("http://www.w3.org/2006/time#")
WD = Namespace("http://www.wikidata.org/entity/")
DBR = Namespace("http://dbpedia.org/resource/")

#: prefix -> namespace IRI, used for Turtle output, SPARQL prologues and the UI.
PREFIXES: dict[str, str] = {
    "ent": ONTOLOGY_NS,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "foaf": str(FOAF),
    "schema": str(SCHEMA),
    "nif": str(NIF),
    "itsrdf": str(ITSRDF),
    "oa": str(OA),
    "vann": str(VANN),
    "void": str(VOID),
    "sd": str(SD),
    "time": str(TIME),
    "wd": str(WD),
    "dbr": str(DBR),
}

__all__ = [
    "DBR", "DCTERMS", "ENT", "FOAF", "ITSRDF", "NIF", "OA", "ONTOLOGY_IRI", "OWL", "PREFIXES",
    "PROV", "RDF", "RDFS", "SCHEMA", "SD", "SKOS", "TIME", "VANN", "VOID", "WD", "XSD",
    "graph_iri", "id_iri", "prologue", "slugify",
]

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A readable, stable IRI segment: ASCII, lower case, hyphens.

    Accents go ("Zürich" -> "zurich"); letters or digits with no ASCII form (Chinese,
    Cyrillic, "Ł") would go too and make different names one slug ("李明" and "王芳" were
    both "x"), so then the slug ends with 8 hex digits of the name's SHA-256 (NFC).
    """
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    slug = _NON_ALNUM.sub("-", ascii_text.lower()).strip("-")
    if any(not c.isascii() and unicodedata.category(c)[0] in "LN" for c in decomposed):
        digest = hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()
        return f"{slug or 'x'}-{digest[:8]}"
    return slug or "x"


def id_iri(base: str, kind: str, key: str) -> str:
    """``{base}id/{kind}/{key}``, e.g. ``id_iri(base, "state", "china")``."""
    return f"{base}id/{kind}/{key}"


def graph_iri(base: str, name: str) -> str:
    """``{base}graph/{name}``, e.g. ``graph_iri(base, "document/dw-2022")``."""
    return f"{base}graph/{name}"


def push_marker_iri(base: str) -> str:
    """``{base}push``: the graph, and its one subject, where ``entente push`` records the
    fingerprint of the data it pushed (``dcterms:identifier``), outside ``{base}graph/`` so
    that it is never part of Entente's dataset; ``serve --backend`` reads it to see a push."""
    return f"{base}push"


def prologue() -> str:
    """SPARQL PREFIX declarations for every known prefix."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
