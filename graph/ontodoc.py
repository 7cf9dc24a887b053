"""HTML documentation of the Entente ontology, generated from ``ontology/entente.ttl``.

:func:`render_html` returns one self-contained page (no scripts, no external assets): the
ontology's metadata, the class tree, every class and property with its label, definition,
super-terms, domain/range and OWL characteristics, and the SKOS concept schemes with their
concepts.  Every ``ent:`` term has an anchor named by its local name, so
``https://entente.example.org/ontology#State`` lands on ``ent:State`` when the page is served
at the ontology IRI.  The output is deterministic (sorted, no timestamps).
"""

from __future__ import annotations

from html import escape
from string import Template

from entente.graph.namespaces import ENT, PREFIXES, VANN
from entente.graph.validate import ontology_graph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from entente.config import ONTOLOGY_IRI, ONTOLOGY_NS

_PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.45; color: #1b1b1b; }
code { background: #f3f3f3; padding: 0 .2em; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .2em .5em;
       vertical-align: top; text-align: left; }
section.term { border-top: 1px solid #ddd; margin-top: 1.2rem; }
dl { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; }
dt { font-weight: 600; } dd { margin: 0; }
</style>
</head>
<body>
<h1>$title</h1>
$metadata
<nav><h2>Contents</h2><ul>
<li><a href="#classes">Classes</a></li>
<li><a href="#objectproperties">Object properties</a></li>
<li><a href="#datatypeproperties">Datatype properties</a></li>
<li><a href="#annotationproperties">Annotation properties</a></li>
<li><a href="#schemes">Concept schemes</a></li>
<li><a href="#namespaces">Namespaces</a></li>
</ul></nav>
<h2 id="tree">Class tree</h2>
$tree
<h2 id="classes">Classes</h2>
$classes
<h2 id="objectproperties">Object properties</h2>
$object_properties
<h2 id="datatypeproperties">Datatype properties</h2>
$datatype_properties
<h2 id="annotationproperties">Annotation properties</h2>
$annotation_properties
<h2 id="schemes">Concept schemes</h2>
$schemes
<h2 id="namespaces">Namespaces</h2>
$namespaces
</body>
</html>
""")

_CHARACTERISTICS = (
    (OWL.TransitiveProperty, "transitive"),
    (OWL.SymmetricProperty, "symmetric"),
    (OWL.FunctionalProperty, "functional"),
    (OWL.InverseFunctionalProperty, "inverse functional"),
    (OWL.AsymmetricProperty, "asymmetric"),
    (OWL.ReflexiveProperty, "reflexive"),
    (OWL.IrreflexiveProperty, "irreflexive"),
)


def render_html(graph: Graph | None = None) -> str:
    """The ontology documentation page (``graph`` defaults to the bundled ontology)."""
    g = graph if graph is not None else ontology_graph()
    onto = URIRef(ONTOLOGY_IRI)
    title = str(g.value(onto, DCTERMS.title) or "Entente ontology")
    classes = _own(g, OWL.Class)
    concept_types = {ENT.CertaintyLevel, ENT.Polarity, ENT.VoteCast, ENT.Domain}
    return _PAGE.substitute(
        title=escape(title),
        metadata=_metadata(g, onto),
        tree=_tree(g, classes),
        classes="\n".join(_class_section(g, c) for c in classes),
        object_properties="\n".join(_property_section(g, p) for p in _own(g, OWL.ObjectProperty)),
        datatype_properties="\n".join(
            _property_section(g, p) for p in _own(g, OWL.DatatypeProperty)
        ),
        annotation_properties="\n".join(
            _property_section(g, p) for p in _own(g, OWL.AnnotationProperty)
        ),
        schemes="\n".join(
            _scheme_section(g, s, concept_types) for s in _own(g, SKOS.ConceptScheme)
        ),
        namespaces=_namespaces(),
    )


# --- sections ------------------------------------------------------------------------------


def _metadata(g: Graph, onto: URIRef) -> str:
    rows = [("IRI", _link_out(onto))]
    fields = (
        ("Version IRI", OWL.versionIRI), ("Version", OWL.versionInfo),
        ("Description", DCTERMS.description), ("Creator", DCTERMS.creator),
        ("Publisher", DCTERMS.publisher), ("Created", DCTERMS.created),
        ("Modified", DCTERMS.modified), ("License", DCTERMS.license),
        ("Preferred prefix", VANN.preferredNamespacePrefix),
        ("Preferred namespace", VANN.preferredNamespaceUri), ("Comment", RDFS.comment),
    )
    for name, prop in fields:
        values = sorted(g.objects(onto, prop), key=str)
        if values:
            rows.append((name, ", ".join(_value(g, v) for v in values)))
    return _dl(rows)


def _tree(g: Graph, classes: list[URIRef]) -> str:
    own = set(classes)

    def parents(c: URIRef) -> list[URIRef]:
        return [p for p in g.objects(c, RDFS.subClassOf) if p in own]

    def children(c: URIRef) -> list[URIRef]:
        return sorted((s for s in g.subjects(RDFS.subClassOf, c) if s in own), key=str)

    def branch(c: URIRef) -> str:
        kids = children(c)
        inner = "<ul>" + "".join(branch(k) for k in kids) + "</ul>" if kids else ""
        return f"<li>{_link(g, c)}{inner}</li>"

    roots = [c for c in classes if not parents(c)]
    return "<ul>" + "".join(branch(c) for c in roots) + "</ul>"


def _class_section(g: Graph, c: URIRef) -> str:
    rows = _common_rows(g, c)
    supers = sorted(g.objects(c, RDFS.subClassOf), key=str)
    subs = sorted(g.subjects(RDFS.subClassOf, c), key=str)
    rows.append(("Subclass of", _links(g, supers)))
    rows.append(("Superclass of", _links(g, subs)))
    rows.append(("Disjoint with", _links(g, sorted(_disjoint_with(g, c), key=str))))
    rows.append(("In domain of", _links(g, sorted(g.subjects(RDFS.domain, c), key=str))))
    rows.append(("In range of", _links(g, sorted(g.subjects(RDFS.range, c), key=str))))
    members = sorted(
        (i for i in g.subjects(RDF.type, c) if isinstance(i, URIRef)), key=str
    )
    rows.append(("Instances", _links(g, members)))
    return _term_section(g, c, "Class", rows)


def _property_section(g: Graph, p: URIRef) -> str:
    rows = _common_rows(g, p)
    traits = [name for kind, name in _CHARACTERISTICS if (p, RDF.type, kind) in g]
    rows.append(("Characteristics", escape(", ".join(traits))))
    rows.append(("Sub-property of", _links(g, sorted(g.objects(p, RDFS.subPropertyOf), key=str))))
    rows.append(("Super-property of",
                 _links(g, sorted(g.subjects(RDFS.subPropertyOf, p), key=str))))
    inverse = set(g.objects(p, OWL.inverseOf)) | set(g.subjects(OWL.inverseOf, p))
    rows.append(("Inverse of", _links(g, sorted(inverse, key=str))))
    rows.append(("Domain", _links(g, sorted(g.objects(p, RDFS.domain), key=str))))
    rows.append(("Range", _links(g, sorted(g.objects(p, RDFS.range), key=str))))
    kind = {OWL.ObjectProperty: "Object property", OWL.DatatypeProperty: "Datatype property"}
    label = next((v for k, v in kind.items() if (p, RDF.type, k) in g), "Annotation property")
    return _term_section(g, p, label, rows)


def _scheme_section(g: Graph, scheme: URIRef, concept_types: set[URIRef]) -> str:
    rows = _common_rows(g, scheme)
    sources = sorted(g.objects(scheme, DCTERMS.source), key=str)
    if sources:
        rows.append(("Source", ", ".join(_value(g, v) for v in sources)))
    concepts = sorted(g.subjects(SKOS.inScheme, scheme), key=lambda c: (_notation(g, c), str(c)))
    head = ("<tr><th>Concept</th><th>Notation</th><th>Labels</th><th>Definition</th>"
            "<th>Probability</th><th>Notes</th></tr>")
    body = []
    for concept in concepts:
        low, high = g.value(concept, ENT.minProbability), g.value(concept, ENT.maxProbability)
        probability = f"{_percent(low)}&#8211;{_percent(high)}" if low is not None else ""
        alts = sorted(str(a) for a in g.objects(concept, SKOS.altLabel))
        labels = escape(str(g.value(concept, SKOS.prefLabel) or ""))
        if alts:
            labels += " <small>(" + escape(", ".join(alts)) + ")</small>"
        types = sorted((t for t in g.objects(concept, RDF.type) if t in concept_types), key=str)
        notes = [str(n) for n in g.objects(concept, SKOS.note)]
        body.append(
            f'<tr id="{_anchor(concept)}"><td><code>{escape(_curie(concept))}</code>'
            f" {_links(g, types)}</td>"
            f"<td>{escape(str(g.value(concept, SKOS.notation) or ''))}</td>"
            f"<td>{labels}</td>"
            f"<td>{escape(str(g.value(concept, SKOS.definition) or ''))}</td>"
            f"<td>{probability}</td><td>{escape(' '.join(sorted(notes)))}</td></tr>"
        )
    table = f"<table>{head}{''.join(body)}</table>"
    return _term_section(g, scheme, "Concept scheme", rows, extra=table)


def _namespaces() -> str:
    rows = "".join(
        f"<tr><td><code>{escape(p)}:</code></td><td><code>{escape(ns)}</code></td></tr>"
        for p, ns in sorted(PREFIXES.items())
    )
    return f"<table><tr><th>Prefix</th><th>Namespace</th></tr>{rows}</table>"


# --- helpers -------------------------------------------------------------------------------


def _own(g: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(
        (t for t in g.subjects(RDF.type, kind)
         if isinstance(t, URIRef) and str(t).startswith(ONTOLOGY_NS)),
        key=str,
    )


def _common_rows(g: Graph, term: URIRef) -> list[tuple[str, str]]:
    rows = [("IRI", f"<code>{escape(str(term))}</code>")]
    for prop, name in ((SKOS.definition, "Definition"), (RDFS.comment, "Comment"),
                       (SKOS.scopeNote, "Scope note"), (SKOS.note, "Note")):
        for value in sorted(g.objects(term, prop), key=str):
            rows.append((name, escape(str(value))))
    see_also = sorted(g.objects(term, RDFS.seeAlso), key=str)
    if see_also:
        rows.append(("See also", _links(g, see_also)))
    return rows


def _term_section(
    g: Graph, term: URIRef, kind: str, rows: list[tuple[str, str]], extra: str = ""
) -> str:
    shown = [(k, v) for k, v in rows if v]
    return (
        f'<section class="term" id="{_anchor(term)}">'
        f"<h3>{escape(_label(g, term))} <small>({escape(kind)}, "
        f"<code>{escape(_curie(term))}</code>)</small></h3>{_dl(shown)}{extra}</section>"
    )


def _dl(rows: list[tuple[str, str]]) -> str:
    return "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def _links(g: Graph, terms: list) -> str:
    return ", ".join(_link(g, t) for t in terms)


def _link(g: Graph, term: object) -> str:
    if isinstance(term, BNode):
        members = g.value(term, OWL.unionOf)
        if members is not None:
            return "(" + " or ".join(_link(g, m) for m in g.items(members)) + ")"
        return "[anonymous]"
    if isinstance(term, URIRef) and str(term).startswith(ONTOLOGY_NS):
        return f'<a href="#{_anchor(term)}">{escape(_curie(term))}</a>'
    if isinstance(term, URIRef):
        return _link_out(term, _curie(term))
    return escape(str(term))


def _link_out(term: URIRef, text: str | None = None) -> str:
    return f'<a href="{escape(str(term))}">{escape(text or str(term))}</a>'


def _value(g: Graph, value: object) -> str:
    if isinstance(value, Literal):
        return escape(str(value))
    return _link(g, value)


def _label(g: Graph, term: URIRef) -> str:
    label = g.value(term, RDFS.label) or g.value(term, SKOS.prefLabel)
    return str(label) if label is not None else _curie(term)


def _curie(term: URIRef) -> str:
    text = str(term)
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(ns) and len(text) > len(ns):
            return f"{prefix}:{text[len(ns):]}"
    return text


def _anchor(term: URIRef) -> str:
    text = str(term)
    return text[len(ONTOLOGY_NS):] if text.startswith(ONTOLOGY_NS) else text


def _disjoint_with(g: Graph, c: URIRef) -> set[URIRef]:
    found = set(g.objects(c, OWL.disjointWith)) | set(g.subjects(OWL.disjointWith, c))
    for node in g.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(g.items(g.value(node, OWL.members)))
        if c in members:
            found |= {m for m in members if m != c}
    return {t for t in found if isinstance(t, URIRef)}


def _notation(g: Graph, concept: object) -> str:
    return str(g.value(concept, SKOS.notation) or "~")


def _percent(value: object) -> str:
    return f"{float(str(value)) * 100:g}%" if value is not None else ""
