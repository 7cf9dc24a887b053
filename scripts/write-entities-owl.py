"""Write the reference entities as the OWL document ``/ontology/entities`` serves (RDF/XML),
for Protégé offline: ``ontology/entities.ttl`` cannot be opened as it is (its IRIs are relative
to the base IRI, which a file's location is not, and it has no ontology header importing the
ontology).  ``make protege`` writes ``ontology/entities.owl``, beside ``catalog-v001.xml``,
which maps its ``owl:imports`` of the ontology IRI to ``entente.ttl`` (docs/ontology.md).

usage: python scripts/write-entities-owl.py [OUT]   (base IRI: $ENTENTE_BASE_IRI)
"""

from __future__ import annotations

import sys
from pathlib import Path

from entente.server.documents import entities_document

from entente.config import ONTOLOGY_NS, Settings


def main(argv: list[str]) -> int:
    default = Path(__file__).resolve().parents[1] / "ontology" / "entities.owl"
    out = Path(argv[0]) if argv else default
    graph = entities_document(Settings.from_env().base)
    graph.bind("ent", ONTOLOGY_NS)
    out.write_bytes(graph.serialize(format="xml", encoding="utf-8"))
    print(f"wrote {out} ({len(graph)} triples)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
