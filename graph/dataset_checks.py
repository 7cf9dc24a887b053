"""What ``entente validate`` checks graph by graph, beside the SHACL shapes.

The shapes run on the union of a dataset's graphs (``graph/validate.py``), so what one named
graph must hold is not theirs to see.  Three promises of docs/data-model.md are of that kind,
and an audit (2026-12-06) broke each in a copy of the corpus dump without a complaint:

- every named graph has its record: it is ``prov:wasGeneratedBy`` the build (or the update)
  that wrote it;
- a relation stated as a fact in a document's graph has an affirmed, asserted assertion of
  that graph behind it, whose evidence is its sentence (an actor's ``ent:affiliatedWith`` is
  part of its description, from the metadata or the phrase that names it: not a claim);
- a negated or hedged claim is not stated as a fact in its document's graph (unless an
  affirmed, asserted claim of the graph states it).

The dataset is loaded into an in-memory pyoxigraph store and each check is one SPARQL query
over its named graphs.  A file of triples (Turtle, N-Triples...) has no named graphs: nothing
to check here.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from entente.errors import EntenteError

#: file suffix -> the quad formats these checks read
QUAD_FORMATS = {".nq": pyoxigraph.RdfFormat.N_QUADS, ".trig": pyoxigraph.RdfFormat.TRIG}

_PROLOGUE = """PREFIX ent: <https://entente.example.org/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
#: (query selecting ?focus and ?path, message), each check of the module docstring
CHECKS: tuple[tuple[str, str], ...] = (
    (_PROLOGUE + """SELECT DISTINCT ?focus ?path WHERE {
        GRAPH ?focus { ?s ?p ?o }
        FILTER NOT EXISTS { GRAPH ?any { ?focus prov:wasGeneratedBy ?activity } }
        BIND (prov:wasGeneratedBy AS ?path)
    }""", "A named graph has its record: it is prov:wasGeneratedBy the build or the update "
          "that wrote it."),
    (_PROLOGUE + """SELECT DISTINCT ?focus ?path WHERE {
        GRAPH ?built { ?graph prov:wasDerivedFrom ?document }
        GRAPH ?described { ?document a ent:Document }
        GRAPH ?graph { ?focus ?path ?o }
        GRAPH ?ontology { ?path rdfs:subPropertyOf+ ent:relation }
        FILTER (?path != ent:affiliatedWith)
        FILTER NOT EXISTS { GRAPH ?graph {
            ?claim ent:subject ?focus ; ent:predicate ?path ; ent:object ?o ;
                ent:polarity ent:Affirmed ; ent:certainty ent:Asserted } }
    }""", "A relation stated as a fact in a document's graph has an affirmed, asserted "
          "assertion of that graph behind it."),
    (_PROLOGUE + """SELECT DISTINCT ?focus ?path WHERE {
        GRAPH ?graph {
            ?focus ent:subject ?s ; ent:predicate ?p ; ent:object ?o ;
                ent:polarity ?polarity ; ent:certainty ?certainty .
            FILTER (?polarity != ent:Affirmed || ?certainty != ent:Asserted)
            ?s ?p ?o .
            FILTER NOT EXISTS { ?claim ent:subject ?s ; ent:predicate ?p ; ent:object ?o ;
                ent:polarity ent:Affirmed ; ent:certainty ent:Asserted }
        }
        BIND (IF(?polarity != ent:Affirmed, ent:polarity, ent:certainty) AS ?path)
    }""", "A negated or hedged claim is not stated as a fact in its document's graph (unless "
          "an affirmed, asserted claim of that graph states it)."),
)


def graph_violations(path: Path) -> list[tuple[str, str, str]]:
    """(focus node IRI, path IRI, message) of every failed check of the dataset file
    ``path``, sorted; [] for a file of triples."""
    fmt = QUAD_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        return []
    store = pyoxigraph.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, OSError, ValueError) as exc:
        raise EntenteError(f"{path}: cannot read its graphs: {exc}") from None
    rows = {(row["focus"].value, row["path"].value, message)
            for query, message in CHECKS for row in store.query(query)}
    return sorted(rows)
