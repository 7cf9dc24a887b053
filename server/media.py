"""The media types Entente reads and writes, by name.

Standard library only: the query child processes (:mod:`entente.server.query_child`) import it
without Flask; :mod:`entente.server.negotiation` builds its tables from it.
"""

from __future__ import annotations

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
N_TRIPLES = "application/n-triples"
JSON_LD = "application/ld+json"
RDF_XML = "application/rdf+xml"
N_QUADS = "application/n-quads"
TRIG = "application/trig"
