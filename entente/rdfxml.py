"""What RDF/XML can write, shared by the server's writer and ``entente query``: a predicate is
an element name there, the longest ending of its IRI that is an XML name (an NCName: a letter
or "_" first); ``http://example.org/123`` or ``urn:isbn:0451450523`` has none (RDF 1.1 XML
Syntax, 2.7), and pyoxigraph would write an element ``<oxprefix:>``, no XML."""

from __future__ import annotations

import re

_XML_NAME_END = re.compile(r"[^\W\d][\w.\-\u00b7]*\Z")


def writable_predicate(iri: str) -> bool:
    """Whether RDF/XML can write ``iri`` as a predicate (its IRI ends in an XML name)."""
    return _XML_NAME_END.search(iri) is not None
