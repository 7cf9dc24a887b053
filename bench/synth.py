"""Deterministic synthetic data at scale: an N-Quads dataset and a text corpus.

``write_dataset`` streams documents in the exact shape of docs/data-model.md (documents with
metadata, sentences with offsets and nif:anchorOf, mentions, assertions with provenance,
certainty, polarity, attribution, dates, truthy triples; one named graph per document, plus
the ontology, entities and build graphs) to an N-Quads file until a target triple count is
reached.  Memory stays flat: one document is held at a time.

``synth_texts`` writes a folder of generated ``.txt`` documents and a ``metadata.json``, for
measuring the build's extraction throughput.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from entente.bench.compose import SynthDocument, compose_document
from entente.bench.world import World, reference_entities_ttl
from rdflib import Graph
from rdflib.compare import to_canonical_graph

from entente.config import ONTOLOGY_IRI, ONTOLOGY_NS
from entente.errors import EntenteError

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
ITSRDF = "http://www.w3.org/2005/11/its/rdf#"
TIME = "http://www.w3.org/2006/time#"
#: the OWL-Time position property of an instant, by the length of its date
_TIME_POSITION = {4: "inXSDgYear", 7: "inXSDgYearMonth", 10: "inXSDDate"}
DEFAULT_BASE = "https://entente.example.org/"


@dataclass(frozen=True)
class DatasetInfo:
    path: str
    triples: int
    documents: int
    assertions: int
    bytes: int
    seconds: float


def _esc(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r"))


def _lit(text: str, *, lang: str | None = None, dt: str | None = None) -> str:
    if lang:
        return f'"{_esc(text)}"@{lang}'
    if dt:
        return f'"{_esc(text)}"^^<{XSD}{dt}>'
    return f'"{_esc(text)}"'


def _date_lit(value: str) -> str:
    dt = {4: "gYear", 7: "gYearMonth"}.get(len(value), "date")
    return _lit(value, dt=dt)


def _ent(local: str) -> str:
    return f"<{ONTOLOGY_NS}{local}>"


class _Quads:
    """Collects N-Quads lines for one graph."""

    def __init__(self, graph: str) -> None:
        self.g = f"<{graph}>"
        self.lines: list[str] = []

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} {self.g} .\n")


def _bundled_graph(name: str, base: str, text: str | None) -> Iterator[str]:
    """A bundled Turtle file as N-Quads lines in graph ``name`` (blank nodes canonicalised)."""
    if text is None:
        return
    parsed = Graph()
    parsed.parse(data=text, format="turtle", publicID=base)
    canon = to_canonical_graph(parsed)
    g = f"<{base}graph/{name}>"
    for line in sorted(canon.serialize(format="nt").splitlines()):
        if line.strip():
            yield f"{line.rstrip().removesuffix('.').rstrip()} {g} .\n"


def _ontology_ttl() -> str | None:
    resource = files("entente.ontology") / "entente.ttl"
    return resource.read_text(encoding="utf-8") if resource.is_file() else None


def _entities_lines(world: World, base: str) -> Iterator[str]:
    described: set[str] = set()  # the instants entities.ttl describes itself
    for line in _bundled_graph("entities", base, reference_entities_ttl()):
        if f" <{TIME}Instant> " in line:
            described.add(line.split(" ", 1)[0][len(base) + 9:-1])  # (<{base}id/time/...>)
        yield line
    q = _Quads(f"{base}graph/entities")
    instants: dict[str, None] = {}  # the dates used, in order (each an OWL-Time instant)
    for kind in sorted(world.pools):
        for e in world.pools[kind]:
            if not e.reference or e.iri in world.ttl_iris:
                continue
            s = f"<{e.iri}>"
            for cls in e.classes:
                q.add(s, RDF_TYPE, _ent(cls))
            q.add(s, f"<{SKOS}prefLabel>", _lit(e.label, lang="en"))
            for alt in e.alt_labels:
                q.add(s, f"<{SKOS}altLabel>", _lit(alt, lang="en"))
            if e.date:  # (when it happened or was concluded, in OWL-Time as entities.ttl has it)
                q.add(s, f"<{TIME}hasTime>", f"<{base}id/time/{e.date}>")
                instants[e.date] = None
    un = f"<{base}id/org/united-nations>"
    for organ in ("un-security-council", "un-general-assembly"):
        q.add(f"<{base}id/org/{organ}>", _ent("partOf"), un)
    _describe_instants(q, base, (d for d in instants if d not in described))
    yield from q.lines


def _describe_instants(q: _Quads, base: str, dates: Iterable[str]) -> None:
    """Each date's OWL-Time instant: ``id/time/{date}``, its position and label."""
    for date in dates:
        t = f"<{base}id/time/{date}>"
        q.add(t, RDF_TYPE, f"<{TIME}Instant>")
        q.add(t, f"<{TIME}{_TIME_POSITION[len(date)]}>", _date_lit(date))
        q.add(t, f"<{RDFS}label>", _lit(date))


def _document_lines(doc: SynthDocument, base: str, build: str) -> tuple[list[str], int]:
    """The quads of one document's named graph, and its number of assertions."""
    d = f"<{base}id/document/{doc.slug}>"
    q = _Quads(f"{base}graph/document/{doc.slug}")
    nnint = "nonNegativeInteger"
    raw = doc.text.encode("utf-8")
    q.add(d, RDF_TYPE, _ent("Document"))
    q.add(d, RDF_TYPE, f"<{NIF}Context>")
    q.add(d, f"<{DCT}title>", _lit(doc.title, lang="en"))
    for author in doc.authors:
        q.add(d, f"<{DCT}creator>", f"<{author.iri}>")
    q.add(d, _ent("authorList"), _lit(", ".join(a.label for a in doc.authors)))
    q.add(d, f"<{DCT}publisher>", f"<{doc.publisher.iri}>")
    q.add(d, f"<{DCT}date>", _date_lit(doc.date))
    q.add(d, f"<{DCT}language>", _lit("en"))
    q.add(d, _ent("sourceFile"), _lit(f"{doc.slug}.txt"))
    q.add(d, _ent("sha256"), _lit(hashlib.sha256(raw).hexdigest()))
    q.add(d, _ent("byteSize"), _lit(str(len(raw)), dt="integer"))
    q.add(d, f"<{NIF}isString>", _lit(doc.text))
    q.add(d, f"<{PROV}wasGeneratedBy>", build)
    start, end, reason = doc.chrome
    seg = f"<{base}id/segment/{doc.slug}-{start}-{end}>"
    q.add(seg, RDF_TYPE, _ent("ExcludedSegment"))
    q.add(seg, f"<{NIF}referenceContext>", d)
    q.add(seg, f"<{NIF}beginIndex>", _lit(str(start), dt=nnint))
    q.add(seg, f"<{NIF}endIndex>", _lit(str(end), dt=nnint))
    q.add(seg, _ent("exclusionReason"), _lit(reason))
    for person in doc.people:
        p = f"<{person.iri}>"
        q.add(p, RDF_TYPE, _ent("Person"))
        q.add(p, f"<{SKOS}prefLabel>", _lit(person.label, lang="en"))
        q.add(p, _ent("roleDescription"), _lit("a fellow"))
        q.add(p, _ent("affiliatedWith"), f"<{doc.publisher.iri}>")
        q.add(p, f"<{PROV}wasDerivedFrom>", d)
    claims = []
    for n, sentence in enumerate(doc.sentences, start=1):
        s = f"<{base}id/sentence/{doc.slug}-{n}>"
        q.add(s, RDF_TYPE, _ent("Sentence"))
        q.add(s, RDF_TYPE, f"<{NIF}Sentence>")
        q.add(s, f"<{NIF}referenceContext>", d)
        q.add(s, f"<{NIF}beginIndex>", _lit(str(sentence.start), dt=nnint))
        q.add(s, f"<{NIF}endIndex>", _lit(str(sentence.end), dt=nnint))
        q.add(s, f"<{NIF}anchorOf>", _lit(sentence.text))
        for a, b, entity in sentence.mentions:
            m = f"<{base}id/mention/{doc.slug}-{a}-{b}>"
            q.add(m, RDF_TYPE, _ent("Mention"))
            q.add(m, RDF_TYPE, f"<{NIF}Phrase>")
            q.add(m, f"<{NIF}referenceContext>", d)
            q.add(m, f"<{NIF}sentence>", s)
            q.add(m, f"<{NIF}beginIndex>", _lit(str(a), dt=nnint))
            q.add(m, f"<{NIF}endIndex>", _lit(str(b), dt=nnint))
            q.add(m, f"<{NIF}anchorOf>", _lit(doc.text[a:b]))
            q.add(m, f"<{ITSRDF}taIdentRef>", f"<{entity.iri}>")
            q.add(m, _ent("denotes"), f"<{entity.iri}>")
        for c in sentence.claims:
            claims.append((sentence.start, c.template.rule, c.subject.iri, c.object.iri, n, c))
    claims.sort(key=lambda t: t[:4])
    truthy: set[tuple[str, str, str]] = set()
    instants: dict[str, None] = {}  # the dates used, in order (each an OWL-Time instant)
    for k, (_, _, _, _, n, c) in enumerate(claims, start=1):
        a = f"<{base}id/assertion/{doc.slug}-{k}>"
        subj, pred, obj = f"<{c.subject.iri}>", _ent(c.template.predicate), f"<{c.object.iri}>"
        q.add(a, RDF_TYPE, _ent("Assertion"))
        q.add(a, _ent("subject"), subj)
        q.add(a, _ent("predicate"), pred)
        q.add(a, _ent("object"), obj)
        q.add(a, _ent("polarity"), _ent("Negated" if c.negated else "Affirmed"))
        q.add(a, _ent("certainty"), _ent(c.certainty))
        for who in [c.speaker] if c.speaker else (doc.authors or [doc.publisher]):
            q.add(a, _ent("attributedTo"), f"<{who.iri}>")
        if c.date:
            q.add(a, _ent("date"), _date_lit(c.date))
            q.add(a, f"<{TIME}hasTime>", f"<{base}id/time/{c.date}>")
            instants[c.date] = None
        q.add(a, _ent("evidence"), f"<{base}id/sentence/{doc.slug}-{n}>")
        q.add(a, _ent("quote"), _lit(doc.sentences[n - 1].text))
        for domain in c.domains:
            q.add(a, _ent("inDomain"), _ent(domain))
        for region in c.regions:
            q.add(a, _ent("inRegion"), f"<{region.iri}>")
        if c.figure:
            q.add(a, _ent("figure"), _lit(c.figure))
        q.add(a, _ent("rule"), _lit(c.template.rule))
        q.add(a, f"<{PROV}wasDerivedFrom>", d)
        q.add(a, f"<{PROV}wasGeneratedBy>", build)
        if not c.negated and c.certainty == "Asserted" and (subj, pred, obj) not in truthy:
            truthy.add((subj, pred, obj))  # a claim made twice in a document: one triple
            q.add(subj, pred, obj)
    _describe_instants(q, base, instants)
    return q.lines, len(claims)


def expected_documents(target_triples: int) -> int:
    """A rough document count for a triple target (sizes the entity pools)."""
    return max(1, target_triples // 1100)


def write_dataset(path: Path, target_triples: int, *, seed: int = 42,
                  base: str = DEFAULT_BASE) -> DatasetInfo:
    """Stream a synthetic dataset of at least ``target_triples`` quads to ``path`` (N-Quads)."""
    if target_triples < 1:
        raise EntenteError(f"synthetic dataset: target triple count must be positive, "
                           f"got {target_triples}")
    started = time.perf_counter()
    rng = random.Random(seed)
    world = World.create(base, seed)
    world.grow(expected_documents(target_triples))
    build_hash = hashlib.sha256(f"synth:{seed}:{target_triples}".encode()).hexdigest()[:12]
    build = f"<{base}id/build/{build_hash}>"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = n_docs = n_assertions = 0
    try:
        with path.open("w", encoding="utf-8", newline="\n") as out:
            for lines in (_bundled_graph("ontology", base, _ontology_ttl()),
                          _entities_lines(world, base)):
                for line in lines:
                    out.write(line)
                    count += 1
            used: list[str] = []
            # (the build graph, written last: 12 lines and 4 a document, below)
            while count + 4 * len(used) + 12 < target_triples or n_docs == 0:
                doc = compose_document(world, rng, n_docs, coverage=n_docs == 0)
                lines, n = _document_lines(doc, base, build)
                out.writelines(lines)
                count += len(lines)
                n_docs += 1
                n_assertions += n
                used.append(f"{base}id/document/{doc.slug}")
            g = _Quads(f"{base}graph/build")
            g.add(build, RDF_TYPE, f"<{PROV}Activity>")
            g.add(build, f"<{RDFS}label>", _lit(f"Entente synthetic build {build_hash}"))
            g.add(build, _ent("softwareVersion"), _lit("synthetic"))
            g.add(build, f"<{PROV}wasAssociatedWith>", f"<{base}id/software/entente>")
            for doc_iri in used:
                g.add(build, f"<{PROV}used>", f"<{doc_iri}>")
            # every graph's record, as a build writes it: the build made it, from its source
            # (entente validate checks that each graph has one)
            sources = [(f"{base}graph/ontology", ONTOLOGY_IRI),
                       (f"{base}graph/entities", f"{ONTOLOGY_IRI}/entities"),
                       *((doc.replace("/id/document/", "/graph/document/"), doc)
                         for doc in used)]
            for graph, source in sources:
                g.add(f"<{graph}>", RDF_TYPE, f"<{PROV}Entity>")
                g.add(f"<{graph}>", f"<{PROV}wasGeneratedBy>", build)
                g.add(f"<{graph}>", f"<{PROV}wasDerivedFrom>", f"<{source}>")
            g.add(f"<{base}graph/build>", RDF_TYPE, f"<{PROV}Entity>")
            g.add(f"<{base}graph/build>", f"<{PROV}wasGeneratedBy>", build)
            out.writelines(g.lines)
            count += len(g.lines)
    except OSError as exc:
        raise EntenteError(f"{path}: cannot write synthetic dataset: {exc}") from None
    return DatasetInfo(str(path), count, n_docs, n_assertions, path.stat().st_size,
                       time.perf_counter() - started)


def synth_texts(n_docs: int, seed: int, folder: Path, *, base: str = DEFAULT_BASE) -> dict:
    """Write ``n_docs`` generated documents (``.txt``) and a ``metadata.json`` into ``folder``.

    Sentences are built from templates with the actor names of the bundled reference
    entities and the trigger verbs of the extraction rules.  Returns counts and sizes.
    """
    if n_docs < 1:
        raise EntenteError(f"synthetic texts: need at least one document, got {n_docs}")
    folder = Path(folder)
    rng = random.Random(seed)
    world = World.create(base, seed)
    world.grow(n_docs)
    entries = []
    total = 0
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(n_docs):
            doc = compose_document(world, rng, i, coverage=i == 0)
            name = f"{doc.slug}.txt"
            data = doc.text.encode("utf-8")
            (folder / name).write_bytes(data)
            total += len(data)
            entries.append({"file": name, "slug": doc.slug, "title": doc.title,
                            "authors": [a.label for a in doc.authors],
                            "publisher": doc.publisher.label, "date": doc.date,
                            "language": "en"})
        meta = {"about": f"Synthetic benchmark corpus (seed {seed}), generated by entente bench.",
                "documents": entries}
        (folder / "metadata.json").write_text(json.dumps(meta, indent=1) + "\n",
                                              encoding="utf-8")
    except OSError as exc:
        raise EntenteError(f"{folder}: cannot write synthetic texts: {exc}") from None
    return {"folder": str(folder), "documents": n_docs, "bytes": total,
            "reference_entities": world.from_ttl}
