"""The SPARQL of the linked-data pages (:mod:`entente.server.pages`): each query is run
through the engine with the page's resource as a substitution (``?this``, ``?graph``,
``?p``), never pasted; ``%(limit)d`` and ``%(offset)d`` are whole numbers the views fill in.

Written for Oxigraph's plans (docs/queries.md, "Writing queries that stay fast"): each
query starts from the page's resource and looks up what it shows for the few rows it keeps.
"""

from __future__ import annotations

_PROLOGUE = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX ent: <https://entente.example.org/ontology#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
#: a resource's label: its skos:prefLabel, else rdfs:label, else dcterms:title (a document
#: has only its title: links to it showed "id:document/...")
_LABEL = """OPTIONAL {{ ?{v} skos:prefLabel ?{v}Pref FILTER(LANG(?{v}Pref) IN ("en", "")) }}
  OPTIONAL {{ ?{v} rdfs:label ?{v}Rdfs FILTER(LANG(?{v}Rdfs) IN ("en", "")) }}
  OPTIONAL {{ ?{v} dcterms:title ?{v}Title FILTER(LANG(?{v}Title) IN ("en", "")) }}
  BIND(COALESCE(?{v}Pref, ?{v}Rdfs, ?{v}Title) AS ?{v}Label)"""
OUTGOING = _PROLOGUE + f"""SELECT DISTINCT ?this ?p ?o ?oLabel WHERE {{
  ?this ?p ?o .
  {_LABEL.format(v="o")}
}} ORDER BY ?p ?o LIMIT 1000"""
#: the properties that link to a resource, with how many subjects each (a group by hash: no
#: sort, no string read back; 15 ms for China's 24,580 links at 1M triples, where sorting
#: them by ``?p ?s`` to list the first 300 took 3.4 s)
INCOMING_PROPERTIES = """SELECT ?this ?p (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?this }
GROUP BY ?this ?p"""
#: up to ``%(limit)d`` subjects linking by one property (the first in the store's index)
INCOMING = _PROLOGUE + f"""SELECT DISTINCT ?this ?p ?s ?sLabel WHERE {{
  {{ SELECT DISTINCT ?this ?p ?s WHERE {{ ?s ?p ?this }} LIMIT %(limit)d }}
  {_LABEL.format(v="s")}
}}"""
COUNTS = _PROLOGUE + """SELECT ?this (COUNT(DISTINCT ?sentence) AS ?sentences)
  (COUNT(DISTINCT ?assertion) AS ?assertions) WHERE {
  ?this a ent:Document .
  OPTIONAL { ?sentence a ent:Sentence ; nif:referenceContext ?this }
  OPTIONAL { ?assertion a ent:Assertion ; prov:wasDerivedFrom ?this }
} GROUP BY ?this"""
DESCRIPTION = """CONSTRUCT { ?this ?p ?o . ?s ?q ?this }
WHERE { { ?this ?p ?o } UNION { ?s ?q ?this } }"""
GRAPH_CONTENT = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?graph { ?s ?p ?o } }"
VERSIONS = """SELECT ?graph ?ontology ?version WHERE {
  GRAPH ?graph { ?ontology <http://www.w3.org/2002/07/owl#versionIRI> ?version } }"""
GRAPH_SIZE = """SELECT ?graph (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects)
WHERE { GRAPH ?graph { ?s ?p ?o } } GROUP BY ?graph"""

#: an actor's latest assertions (by the date the fact holds, as text: 2022-02-04 before
#: 2022-02 before 2022; undated last), found from the actor (the dates joined as one hash
#: table: looked up row by row they cost 2.5x) and the other columns looked up for the rows
#: kept: China at 10M triples in ~0.3 s, where the about-actor query, which builds whole
#: property columns for a listing of everything, took 15 s for one actor.  Who said it is
#: labelled by skos:prefLabel or else its IRI (about-actor also tries rdfs:label and a
#: document's title: each such OPTIONAL made this query ~0.2 s slower at 10M); the page
#: sorts the labels (a sorted sub-select under the GROUP_CONCAT cost ~0.2 s more)
ACTOR_ROWS = _PROLOGUE + """SELECT ?this ?date ?role ?assertion ?predicate ?predicateLabel
       ?other ?otherLabel ?polarity ?certainty
       (GROUP_CONCAT(DISTINCT ?whoLabel; separator="; ") AS ?attributedToLabel) ?quote ?document
WHERE {
  { SELECT ?this ?assertion ?role ?date ?dk WHERE {
      { ?assertion ent:subject ?this . BIND("subject" AS ?role) }
      UNION { ?assertion ent:object ?this . BIND("object" AS ?role) }
      OPTIONAL { SELECT ?assertion ?date WHERE { ?assertion ent:date ?date } }
      BIND(STR(?date) AS ?dk)
    } ORDER BY DESC(?dk) LIMIT %(limit)d }
  ?assertion ent:subject ?subject ; ent:object ?object ; ent:predicate ?predicate ;
             prov:wasDerivedFrom ?document .
  BIND(IF(?role = "subject", ?object, ?subject) AS ?other)
  OPTIONAL { ?assertion ent:polarity ?polarity }
  OPTIONAL { ?assertion ent:certainty ?certainty }
  OPTIONAL { ?assertion ent:quote ?quote }
  LABELS
  BIND(IF(?role = "subject", ?objectLabel, ?subjectLabel) AS ?otherLabel)
  OPTIONAL { ?assertion ent:attributedTo ?who .
             OPTIONAL { ?who skos:prefLabel ?whoPref FILTER(LANG(?whoPref) IN ("en", "")) }
             BIND(STR(COALESCE(?whoPref, ?who)) AS ?whoLabel) }
} GROUP BY ?this ?date ?dk ?role ?assertion ?predicate ?predicateLabel ?other ?otherLabel
           ?polarity ?certainty ?quote ?document
ORDER BY DESC(?dk) STRLEN(STR(?assertion)) ?assertion ?role""".replace(
    # (labels of ?subject and ?object, which patterns bind: a label of ?other, which BIND
    # makes, was looked up as a table of every label, 3 s at 10M)
    "LABELS", "\n  ".join(_LABEL.format(v=v) for v in ("predicate", "subject", "object")))
#: a document's first assertions in the order of its text, as the assertions query lists
#: them (by sentence start, then by assertion), looked up from the document
DOCUMENT_ROWS = _PROLOGUE + """SELECT ?this ?start ?assertion ?subject ?subjectLabel
       ?predicate ?predicateLabel ?object ?objectLabel ?polarity ?certainty ?date ?quote
WHERE {
  { SELECT ?this ?assertion ?start WHERE {
      ?assertion prov:wasDerivedFrom ?this .  # (with "; a ent:Assertion" Oxigraph began
      FILTER EXISTS { ?assertion a ent:Assertion }  # with the class: 1.3 s at 10M, not 4 ms)
      OPTIONAL { ?assertion ent:evidence/nif:beginIndex ?start }
    } ORDER BY ?start STRLEN(STR(?assertion)) ?assertion LIMIT %(limit)d }
  ?assertion ent:subject ?subject ; ent:predicate ?predicate ; ent:object ?object .
  OPTIONAL { ?assertion ent:polarity ?polarity }
  OPTIONAL { ?assertion ent:certainty ?certainty }
  OPTIONAL { ?assertion ent:date ?date }
  OPTIONAL { ?assertion ent:quote ?quote }
  LABELS
} ORDER BY ?start STRLEN(STR(?assertion)) ?assertion""".replace(
    "LABELS", "\n  ".join(_LABEL.format(v=v) for v in ("subject", "predicate", "object")))
#: a page of a named graph's subjects (in IRI order), each with a label and a type from the
#: whole dataset; %(limit)d and %(offset)d are whole numbers the view checked.  Sorted on
#: 15-character pieces of the IRI (docs/queries.md, "Sort on short keys"): 0.06 s for the
#: first page of the 2,150 subjects of graph/entities at 1M triples, 0.49 s by ``?s``
GRAPH_SUBJECTS = _PROLOGUE + """SELECT ?graph ?s (MIN(?label) AS ?sLabel) (MIN(?type) AS ?sType)
WHERE {
  { SELECT ?graph ?s WHERE {
      { SELECT DISTINCT ?graph ?s WHERE { GRAPH ?graph { ?s ?p ?o } } }
      BIND(STR(?s) AS ?i) BIND(SUBSTR(?i, 1, 15) AS ?k1) BIND(SUBSTR(?i, 16, 15) AS ?k2)
      BIND(SUBSTR(?i, 31, 15) AS ?k3) BIND(SUBSTR(?i, 46, 15) AS ?k4)
      BIND(SUBSTR(?i, 61, 15) AS ?k5) BIND(SUBSTR(?i, 76, 15) AS ?k6) BIND(SUBSTR(?i, 91) AS ?k7)
    } ORDER BY ?k1 ?k2 ?k3 ?k4 ?k5 ?k6 ?k7 LIMIT %(limit)d OFFSET %(offset)d }
  OPTIONAL { ?s skos:prefLabel|rdfs:label ?label FILTER(LANG(?label) IN ("en", "")) }
  OPTIONAL { ?s a ?type }
} GROUP BY ?graph ?s ORDER BY ?s"""
#: the preferred labels of the actors (every subclass of ent:Actor): the suggestions of a
#: canned query's actor parameters on its form page (1,795 at 1M triples, 0.07-0.1 s;
#: 2,107 at 10M, 0.4-0.8 s; then the engine's cache)
ACTOR_LABELS = _PROLOGUE + """SELECT DISTINCT ?label WHERE {
  { SELECT DISTINCT ?x WHERE {
      { SELECT DISTINCT ?type WHERE { ?type rdfs:subClassOf* ent:Actor } } ?x a ?type } }
  ?x skos:prefLabel ?label FILTER(LANG(?label) IN ("en", ""))
} ORDER BY ?label LIMIT %(limit)d"""
