"""Entity linking: reference entities by label (gazetteer) and minted actors.

Reference entities come from ``ontology/entities.ttl`` (``skos:prefLabel``, ``skos:altLabel``,
``rdfs:label``).  Labels are matched with a spaCy ``PhraseMatcher`` on lower-cased tokens of a
blank English pipeline, so word boundaries are token boundaries ("Russian" never matches inside
"Russians"); a label token written with a capital must be capitalised in the text too ("US" the
state, not "us").  Overlapping matches: the longest wins, then the earliest.  A label shared by two
entities is ambiguous and not linked.

Demonyms ("Chinese", "Russian") link to their state only where they stand for it (the
``linking.demonyms`` rules in ``graph/rules.yaml``): inside a hyphenated pair ("Sino-Russian",
"US-Russian") or directly before a state-role head noun, possibly through a coordination
("Russian President", "Chinese backing", "Chinese and Russian diplomats"); never before other
nouns ("the Russian language", "Chinese companies") and never the plural ("Russians").

Named actors that are not reference entities are minted (see ``graph/actors.py``).

The package's modules, each a part of :class:`Linker` or what those parts share:

* ``linker``: the class, its tables and the pass over a document's sentences;
* ``references``: gazetteer and demonym matches in a sentence's tokens;
* ``office_holders``: "the Russian president" as the office's holder on the document's date;
* ``filters``: the checks on the mentions found (dated names, link contexts, national
  bodies, shared surnames);
* ``spans``: the longest of overlapping spans, and the names nested in an event's.
"""

from entente.graph.linking.linker import Linker

__all__ = ["Linker"]
