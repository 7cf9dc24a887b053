"""The SHACL shapes accept a valid document graph and reject each kind of broken one."""

from __future__ import annotations

from pathlib import Path

import pytest
from entente.graph.store import StoreInfo
from entente.graph.validate import read_rdf, shapes_graph, validate_graph, violations
from rdflib.namespace import RDF

from entente.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "shapes"
ASSERTION = "https://entente.example.org/id/assertion/wire-1-1"
SENTENCE = "https://entente.example.org/id/sentence/wire-1-1"
DOCUMENT = "https://entente.example.org/id/document/wire-1"
STATE = "https://entente.example.org/id/state/alpha"

#: fixture name -> the exact (focus node, path, message) rows expected.
BROKEN = {
    "missing-subject": {
        (ASSERTION, "ent:subject", "An assertion has exactly one ent:subject (an IRI)."),
    },
    "two-objects": {
        (ASSERTION, "ent:object", "An assertion has exactly one ent:object (an IRI)."),
    },
    "no-evidence": {
        (ASSERTION, "ent:evidence", "An assertion has at least one ent:evidence."),
    },
    "evidence-no-offsets": {
        (SENTENCE, "nif:beginIndex",
         "A text span has exactly one nif:beginIndex, an xsd:integer or "
         "xsd:nonNegativeInteger >= 0."),
        (SENTENCE, "nif:endIndex",
         "A text span has exactly one nif:endIndex, an xsd:integer or "
         "xsd:nonNegativeInteger >= 0."),
    },
    "begin-after-end": {
        (SENTENCE, "nif:beginIndex",
         "The nif:beginIndex of a text span is not greater than its nif:endIndex."),
    },
    "untitled-document": {
        (DOCUMENT, "-",
         "A document has a dcterms:title or the null marker ent:titleStated false."),
    },
    "bad-sha256": {
        (DOCUMENT, "ent:sha256", "ent:sha256 is 64 lower-case hexadecimal digits."),
    },
    "state-without-label": {
        (STATE, "skos:prefLabel", "A state or international organization has a skos:prefLabel."),
    },
    "untyped-date": {
        (ASSERTION, "ent:date",
         "ent:date is a well-formed xsd:date, xsd:gYearMonth or xsd:gYear."),
    },
    "not-a-relation": {
        (ASSERTION, "ent:predicate/rdfs:subPropertyOf+",
         "The ent:predicate of an assertion is a relation property of the ontology "
         "(a sub-property of ent:relation)."),
    },
    "domain-outside-scheme": {
        (ASSERTION, "ent:inDomain",
         "The ent:inDomain of an assertion is an ent:Domain (a concept of ent:DomainScheme)."),
    },
    "negative-offset": {
        (SENTENCE, "nif:beginIndex",
         "A text span has exactly one nif:beginIndex, an xsd:integer or "
         "xsd:nonNegativeInteger >= 0."),
    },
    "since-without-beginning": {
        ("https://entente.example.org/id/time/since-2019", "time:hasBeginning",
         "A time interval has exactly one time:hasBeginning, a time:Instant."),
        (ASSERTION, "time:hasTime",
         "The time:hasTime of an assertion is the OWL-Time instant of its ent:date (the same "
         "value), or the interval that instant begins."),
    },
    "polarity-outside-scheme": {
        (ASSERTION, "ent:polarity/skos:inScheme",
         "The ent:polarity of an assertion is a concept of ent:PolarityScheme."),
    },
}


def test_valid_fixture_conforms() -> None:
    conforms, report, _text = validate_graph(read_rdf(FIXTURES / "valid.ttl"))
    assert violations(report) == []
    assert conforms


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_fixture_is_rejected_with_the_expected_message(name: str) -> None:
    conforms, report, _text = validate_graph(read_rdf(FIXTURES / f"broken-{name}.ttl"))
    assert not conforms
    assert set(violations(report)) == BROKEN[name]


def test_every_broken_fixture_is_tested() -> None:
    on_disk = {p.stem.removeprefix("broken-") for p in FIXTURES.glob("broken-*.ttl")}
    assert on_disk == set(BROKEN)


def test_document_with_explicit_null_title_marker_conforms(tmp_path: Path) -> None:
    text = (FIXTURES / "broken-untitled-document.ttl").read_text(encoding="utf-8")
    marked = text.replace('ent:sourceFile "wire-1.txt" ;',
                          'ent:sourceFile "wire-1.txt" ; ent:titleStated false ;')
    assert marked != text
    path = tmp_path / "marked.ttl"
    path.write_text(marked, encoding="utf-8")
    conforms, report, _text = validate_graph(read_rdf(path))
    assert violations(report) == []
    assert conforms


def test_cli_validate_exits_0_on_valid_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--data", str(FIXTURES / "valid.ttl")]) == 0
    assert capsys.readouterr().out.strip().endswith("valid.ttl: conforms")


def test_cli_validate_exits_1_and_prints_focus_path_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate", "--data", str(FIXTURES / "broken-two-objects.ttl")]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f"{ASSERTION}\tent:object\tAn assertion has exactly one ent:object (an IRI)."
    ]
    assert "does not conform (1 violations)" in captured.err


#: (a shape's text, what validate prints on stdout and on stderr with it)
_SHAPES_GIVEN = {
    "a-shape": ('sh:property [ sh:path ent:figure ; sh:minCount 1 ; sh:message "needs a figure" ]',
                f"{ASSERTION}\tent:figure\tneeds a figure\n", None),
    # (SHACL forbids VALUES in a SPARQL constraint: pySHACL's refusal was a traceback)
    "shapes-pyshacl-cannot-run": (
        'sh:sparql [ sh:select """SELECT $this WHERE { VALUES ?x { 1 } }""" ]', "",
        "entente validate: error: the shapes cannot be used: A SPARQL Constraint must not "
        "contain a VALUES clause.\n"),
}


@pytest.mark.parametrize("name", sorted(_SHAPES_GIVEN))
def test_cli_validate_with_explicit_shapes_file(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shape, out, err = _SHAPES_GIVEN[name]
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix ent: <https://entente.example.org/ontology#> .\n"
        f"<urn:x:shape> a sh:NodeShape ; sh:targetClass ent:Assertion ;\n  {shape} .\n",
        encoding="utf-8",
    )
    args = ["validate", "--data", str(FIXTURES / "valid.ttl"), "--shapes", str(shapes)]
    assert main(args) == 1
    captured = capsys.readouterr()
    assert captured.out == out
    if err is not None:
        assert captured.err == err


def test_cli_validate_names_a_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.ttl"
    assert main(["validate", "--data", str(missing)]) == 1
    assert capsys.readouterr().err.strip() == f"entente validate: error: {missing}: no such file"


def test_cli_validate_rejects_an_unknown_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = tmp_path / "data.csv"
    odd.write_text("a,b\n", encoding="utf-8")
    assert main(["validate", "--data", str(odd)]) == 2
    assert f"{odd}: unknown RDF format" in capsys.readouterr().err


def test_cli_validate_names_a_file_that_does_not_parse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle .\n", encoding="utf-8")
    assert main(["validate", "--data", str(bad)]) == 1
    assert f"{bad}: cannot parse turtle:" in capsys.readouterr().err


@pytest.mark.parametrize(("name", "text", "message"), [
    ("bad.nt", "<http://a> <http://b> <http://c> .\n<http://a> <http://b> .\n",
     "cannot parse nt: Parser error at line 2 column 23: The object of a triple must be an "
     "IRI, a blank node or a literal (bad.nt, line 2)"),
    ("bad.ttl", "@prefix x: <http://x/> .\nx:a x:b x:c .\nx:a x:b .\n",
     "cannot parse turtle: Parser error at line 3 column 9: . is not a valid RDF object "
     "(bad.ttl, line 3)"),
])
def test_cli_validate_says_where_a_file_does_not_parse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, message: str
) -> None:
    """With the line and column (rdflib's own messages: "Invalid line: ." for N-Triples,
    the Turtle file printed as bytes)."""
    bad = tmp_path / name
    bad.write_text(text, encoding="utf-8")
    assert main(["validate", "--data", str(bad)]) == 1
    assert capsys.readouterr().err == f"entente validate: error: {bad}: {message}\n"


@pytest.mark.slow
def test_the_built_corpus_conforms(built_store: StoreInfo) -> None:
    """The real extraction output (every document graph, entities, ontology) meets the shapes."""
    conforms, report, _text = validate_graph(read_rdf(built_store.dump_path))
    assert violations(report) == []
    assert conforms


def test_every_shape_constraint_has_a_message() -> None:
    from rdflib.namespace import SH

    shapes = shapes_graph()
    property_shapes = set(shapes.objects(None, SH.property))
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert len(property_shapes) >= 25
    constrained_nodes = {s for s in node_shapes
                         if (s, SH["or"], None) in shapes or (s, SH.xone, None) in shapes}
    checked = property_shapes | constrained_nodes
    missing = [s for s in checked if shapes.value(s, SH.message) is None]
    assert missing == []


# --- mutations of the built corpus: each breaks one promise of docs/data-model.md ------------

ENT = "https://entente.example.org/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
ITSRDF = "http://www.w3.org/2005/11/its/rdf#"
TIME = "http://www.w3.org/2006/time#"
YEAR_1999 = "https://entente.example.org/id/time/1999"
ID_TIME = "https://entente.example.org/id/time/"
INVASION = "https://entente.example.org/id/event/russian-invasion-of-ukraine-2022"
WORLD_WAR_II = "https://entente.example.org/id/event/world-war-ii"
BASE = "https://entente.example.org/"


def _with(lines: list[str], subject: str, predicate: str) -> list[str]:
    return [x for x in lines if x.startswith(f"<{subject}> <{predicate}> ")]


def _without(lines: list[str], subject: str, *predicates: str) -> list[str]:
    """``lines`` without the statements of ``subject`` by ``predicates`` (there must be
    some: a mutation that removes nothing tests nothing)."""
    gone = {x for p in predicates for x in _with(lines, subject, p)}
    assert len(gone) >= len(predicates)
    return [x for x in lines if x not in gone]


def _graph(line: str) -> str:
    return line.rsplit(" ", 2)[-2]


def _dated_assertion(lines: list[str]) -> str:
    """The first assertion (in IRI order) that has an ent:date."""
    return min(x.split(" ", 1)[0][1:-1] for x in lines if f" <{ENT}date> " in x)


def _mutate(name: str, lines: list[str]) -> tuple[list[str], str, str, str]:
    """(mutated lines, focus node, path, message) for mutation ``name``."""
    a = _dated_assertion(lines)
    if name == "no-attribution":
        return (_without(lines, a, ENT + "attributedTo"), a, "ent:attributedTo",
                "An assertion has at least one ent:attributedTo: the actor who makes the claim "
                "(or, when the source names none, the document), by IRI.")
    if name == "two-dates":
        date = _with(lines, a, ENT + "date")[0]
        extra = f'<{a}> <{ENT}date> "1999"^^<{XSD}gYear> {_graph(date)} .'
        return ([*lines, extra], a, "ent:date",
                "An assertion has at most one ent:date (when the claimed fact holds).")
    if name == "month-13":
        date = _with(lines, a, ENT + "date")[0]
        bad = f'<{a}> <{ENT}date> "2019-13"^^<{XSD}gYearMonth> {_graph(date)} .'
        time = _with(lines, a, TIME + "hasTime")[0]  # (an instant of it could not be written)
        return ([bad if x == date else x for x in lines if x != time], a, "ent:date",
                "ent:date is a well-formed xsd:date, xsd:gYearMonth or xsd:gYear.")
    if name == "quote-not-the-sentence":
        quote = _with(lines, a, ENT + "quote")[0]
        bad = f'<{a}> <{ENT}quote> "Something else was said." {_graph(quote)} .'
        return ([bad if x == quote else x for x in lines], a, "ent:quote",
                "The ent:quote of an assertion is the nif:anchorOf of its evidence sentence.")
    if name == "two-source-documents":
        source = _with(lines, a, PROV + "wasDerivedFrom")[0]
        documents = sorted({x.split(" ", 1)[0] for x in lines
                            if x.split(" ")[1:3] == [f"<{RDF}type>", f"<{ENT}Document>"]})
        other = next(d for d in documents if d != source.split(" ")[2])
        extra = f"<{a}> <{PROV}wasDerivedFrom> {other} {_graph(source)} ."
        return ([*lines, extra], a, "prov:wasDerivedFrom",
                "An assertion is prov:wasDerivedFrom exactly one ent:Document (its source; its "
                "evidence spans may be values too).")
    if name == "mention-links-nothing":
        mention = min(x.split(" ", 1)[0][1:-1] for x in lines
                      if x.split(" ")[1:3] == [f"<{RDF}type>", f"<{ENT}Mention>"])
        return (_without(lines, mention, ENT + "denotes", ITSRDF + "taIdentRef"), mention, "-",
                "A mention links the entity it names with ent:denotes or itsrdf:taIdentRef.")
    if name == "time-not-the-date":
        time = _with(lines, a, TIME + "hasTime")[0]
        g = _graph(time)
        bad = f"<{a}> <{TIME}hasTime> <{YEAR_1999}> {g} ."
        instant = [f"<{YEAR_1999}> <{RDF}type> <{TIME}Instant> {g} .",
                   f'<{YEAR_1999}> <{TIME}inXSDgYear> "1999"^^<{XSD}gYear> {g} .']
        return ([*(bad if x == time else x for x in lines), *instant], a, "time:hasTime",
                "The time:hasTime of an assertion is the OWL-Time instant of its ent:date (the "
                "same value), or the interval that instant begins.")
    if name == "time-without-a-date":
        date = _with(lines, a, ENT + "date")[0]
        return ([x for x in lines if x != date], a, "time:hasTime",
                "The time:hasTime of an assertion is the OWL-Time instant of its ent:date (the "
                "same value), or the interval that instant begins.")
    if name == "instant-with-two-positions":
        time = _with(lines, a, TIME + "hasTime")[0]
        instant = time.split(" ")[2][1:-1]
        other = f'<{TIME}inXSDDate> "1999-01-01"^^<{XSD}date>' \
            if _with(lines, instant, TIME + "inXSDgYear") \
            else f'<{TIME}inXSDgYear> "1999"^^<{XSD}gYear>'
        extra = f"<{instant}> {other} {_graph(time)} ."
        return ([*lines, extra], instant, "-",
                "A time instant has exactly one position: time:inXSDgYear, "
                "time:inXSDgYearMonth or time:inXSDDate.")
    if name == "event-with-two-times":
        time = _with(lines, INVASION, TIME + "hasTime")[0]
        extra = f"<{INVASION}> <{TIME}hasTime> <{ID_TIME}2022> {_graph(time)} ."
        instant = [f"<{ID_TIME}2022> <{RDF}type> <{TIME}Instant> {_graph(time)} .",
                   f'<{ID_TIME}2022> <{TIME}inXSDgYear> "2022"^^<{XSD}gYear> {_graph(time)} .']
        return ([*lines, extra, *instant], INVASION, "time:hasTime",
                "A resource (an event, an agreement, an assertion) has at most one time:hasTime, "
                "a time:Instant or a time:ProperInterval.")
    if name == "instant-not-its-iri":
        position = _with(lines, ID_TIME + "1987", TIME + "inXSDgYear")[0]
        bad = position.replace('"1987"', '"1988"')
        return ([bad if x == position else x for x in lines], ID_TIME + "1987",
                "time:inXSDgYear", "An instant's IRI names its position: id/time/{date}.")
    if name == "interval-not-its-iri":
        beginning = _with(lines, ID_TIME + "since-2014", TIME + "hasBeginning")[0]
        bad = beginning.replace(f"<{ID_TIME}2014>", f"<{ID_TIME}2014-03>")
        return ([bad if x == beginning else x for x in lines], ID_TIME + "since-2014",
                "time:hasBeginning", "An interval's IRI names it: id/time/since-{beginning} "
                "without an end, id/time/{beginning}--{end} with one.")
    if name == "interval-ends-before-it-begins":
        time = _with(lines, WORLD_WAR_II, TIME + "hasTime")[0]
        backwards, g = ID_TIME + "1945--1939", _graph(time)
        bad = f"<{WORLD_WAR_II}> <{TIME}hasTime> <{backwards}> {g} ."
        interval = [f"<{backwards}> <{RDF}type> <{TIME}ProperInterval> {g} .",
                    f"<{backwards}> <{TIME}hasBeginning> <{ID_TIME}1945> {g} .",
                    f"<{backwards}> <{TIME}hasEnd> <{ID_TIME}1939> {g} ."]
        return ([*(bad if x == time else x for x in lines), *interval], backwards,
                "time:hasEnd", "A time interval ends no earlier than it begins (compared to "
                "the precision of the coarser of the two positions).")
    return _mutate_provenance(name, lines, a)


def _mutate_provenance(name: str, lines: list[str], a: str) -> tuple[list[str], str, str, str]:
    """The mutations that break an assertion's provenance or its span's text."""
    evidence = _with(lines, a, ENT + "evidence")[0].split(" ")[2][1:-1]
    if name == "no-quote":
        return (_without(lines, a, ENT + "quote"), a, "ent:quote",
                "An assertion has exactly one ent:quote, a plain string (its evidence sentence).")
    if name == "no-generated-by":
        return (_without(lines, a, PROV + "wasGeneratedBy"), a, "prov:wasGeneratedBy",
                "An assertion is prov:wasGeneratedBy the build (a prov:Activity) that extracted "
                "it.")
    if name == "the-document-as-agent":
        source = _with(lines, a, PROV + "wasDerivedFrom")[0]
        extra = f"<{a}> <{PROV}wasAttributedTo> {source.split(' ')[2]} {_graph(source)} ."
        return ([*lines, extra], a, "prov:wasAttributedTo",
                "The prov:wasAttributedTo of an assertion is an actor, never a document "
                "(PROV-O's range is prov:Agent; ent:attributedTo may name the document).")
    if name == "date-without-a-time":
        return (_without(lines, a, TIME + "hasTime"), a, "ent:date",
                "An assertion with a well-formed ent:date has a time:hasTime (its OWL-Time "
                "instant, or the interval it begins).")
    if name == "evidence-of-another-document":  # (the assertion's source another document)
        source = _with(lines, a, PROV + "wasDerivedFrom")[0]
        documents = sorted({x.split(" ", 1)[0] for x in lines
                            if x.split(" ")[1:3] == [f"<{RDF}type>", f"<{ENT}Document>"]})
        other = next(d for d in documents if d != source.split(" ")[2])
        bad = f"<{a}> <{PROV}wasDerivedFrom> {other} {_graph(source)} ."
        return ([bad if x == source else x for x in lines], a, "ent:evidence",
                "The evidence sentence of an assertion is a span of the document it is "
                "prov:wasDerivedFrom (its nif:referenceContext).")
    if name == "sentence-without-its-text":
        return (_without(lines, evidence, NIF + "anchorOf"), evidence,
                "nif:anchorOf", "A sentence or a mention has its text as nif:anchorOf (the "
                "quote of the assertions it is evidence for).")
    if name == "anchor-not-the-text":
        anchor = _with(lines, evidence, NIF + "anchorOf")[0]
        text = anchor.split(" ", 2)[2].rsplit(" ", 2)[0]
        bad_text = '"Something else was said."'
        bad = anchor.replace(text, bad_text)
        quotes = [x for x in lines if f" <{ENT}quote> {text} " in x]
        return ([bad if x == anchor else x.replace(text, bad_text) if x in quotes else x
                 for x in lines], evidence, "nif:anchorOf",
                "The nif:anchorOf of a text span is the text of its document (nif:isString) "
                "between its nif:beginIndex and nif:endIndex (in characters).")
    return _mutate_claim(name, lines, a)


def _mutate_claim(name: str, lines: list[str], a: str) -> tuple[list[str], str, str, str]:
    """The mutations of an assertion's claim and of the spans an audit (2026-12-06) found the
    shapes let pass."""
    if name == "subject-not-named":  # (an actor the evidence sentence does not name; the
        # claim's triple, if stated, moves with it: the graph checks see no unbacked fact)
        subject = _with(lines, a, ENT + "subject")[0]
        old, atlantis = subject.split(" ")[2], f"<{BASE}id/state/atlantis>"
        bad = f"<{a}> <{ENT}subject> {atlantis} {_graph(subject)} ."
        moved = {x: atlantis + x[len(old):] for x in lines if x.startswith(old + " ")
                 and _graph(x) == _graph(subject)
                 and x.split(" ")[1:3] == [_with(lines, a, ENT + "predicate")[0].split(" ")[2],
                                           _with(lines, a, ENT + "object")[0].split(" ")[2]]}
        return ([bad if x == subject else moved.get(x, x) for x in lines], a, "ent:subject",
                "The ent:subject of an assertion is named in its evidence sentence: one of the "
                "sentence's mentions denotes it (when its mentions are recorded).")
    if name == "attributed-to-a-place":
        said = _with(lines, a, ENT + "attributedTo")[0]
        bad = f"<{a}> <{ENT}attributedTo> <{BASE}id/place/crimea> {_graph(said)} ."
        return ([bad if x == said else x for x in lines], a, "ent:attributedTo",
                "The ent:attributedTo of an assertion makes claims: an actor or the document, "
                "not a place, a text span or an assertion.")
    if name == "untyped-assertion":  # (the assertion shape takes its nodes by their type)
        return (_without(lines, a, str(RDF.type)), a, "-",
                "A resource with an ent:subject, ent:predicate, ent:object, ent:evidence or "
                "ent:quote is an ent:Assertion.")
    if name == "segment-past-the-end":  # (a segment has no text: the anchor check passes it)
        segment = min(x.split(" ", 1)[0][1:-1] for x in lines
                      if "/id/segment/" in x.split(" ", 1)[0])
        end = _with(lines, segment, NIF + "endIndex")[0]
        bad = f'<{segment}> <{NIF}endIndex> "99999"^^<{XSD}integer> {_graph(end)} .'
        return ([bad if x == end else x for x in lines], segment, "nif:endIndex",
                "A text span ends within its document's text: its nif:endIndex is at most the "
                "length of the nif:isString (an excluded segment, which has no nif:anchorOf, "
                "too).")
    raise AssertionError(name)


def _two_documents(lines: list[str]) -> list[str]:
    """The dump with two document graphs left beside every other graph: the smallest one with
    a dated assertion (the mutated one: :func:`_dated_assertion` of what is left) and the
    smallest other, which ``two-source-documents`` cites.  A fifth of the validation time,
    the same violations."""
    sizes: dict[str, int] = {}
    for x in lines:
        if "/graph/document/" in _graph(x):
            sizes[_graph(x)] = sizes.get(_graph(x), 0) + 1
    dated = {_graph(x) for x in lines if f" <{ENT}date> " in x}
    mutated = min((g for g in sizes if g in dated), key=lambda g: (sizes[g], g))
    other = min((g for g in sizes if g != mutated), key=lambda g: (sizes[g], g))
    cut = [x for x in lines
           if "/graph/document/" not in _graph(x) or _graph(x) in (mutated, other)]
    assert _graph(_with(cut, _dated_assertion(cut), ENT + "date")[0]) == mutated
    return cut


MUTATIONS = ("no-attribution", "two-dates", "month-13", "quote-not-the-sentence",
             "two-source-documents", "mention-links-nothing", "time-not-the-date",
             "time-without-a-date", "instant-with-two-positions", "event-with-two-times",
             "instant-not-its-iri", "interval-not-its-iri", "interval-ends-before-it-begins",
             "no-quote", "no-generated-by", "the-document-as-agent", "date-without-a-time",
             "evidence-of-another-document", "sentence-without-its-text",
             "anchor-not-the-text", "subject-not-named", "attributed-to-a-place",
             "untyped-assertion", "segment-past-the-end")


@pytest.mark.slow
@pytest.mark.parametrize("name", MUTATIONS)
def test_a_mutated_corpus_dump_is_rejected(
    name: str, built_store: StoreInfo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One triple of the built dump changed: ``entente validate`` names exactly that break."""
    lines = _two_documents(built_store.dump_path.read_text(encoding="utf-8").splitlines())
    mutated, focus, path, message = _mutate(name, lines)
    assert mutated != lines
    dump = tmp_path / f"{name}.nq"
    dump.write_text("\n".join(mutated) + "\n", encoding="utf-8")
    assert main(["validate", "--data", str(dump)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [f"{focus}\t{path}\t{message}"]
    assert captured.err.strip() == f"{dump}: does not conform (1 violations)"


@pytest.mark.slow
def test_offsets_typed_as_nifs_non_negative_integer_conform(
    built_store: StoreInfo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """NIF's declared range of the offsets (xsd:nonNegativeInteger) is accepted beside the
    build's xsd:integer; a negative value of it is not (on two documents' graphs, as above)."""
    lines = _two_documents(built_store.dump_path.read_text(encoding="utf-8").splitlines())
    offsets = (f"> <{NIF}beginIndex> ", f"> <{NIF}endIndex> ")
    integer, non_negative = f'"^^<{XSD}integer> ', f'"^^<{XSD}nonNegativeInteger> '
    retyped = [x.replace(integer, non_negative) if any(o in x for o in offsets) else x
               for x in lines]
    assert sum(x != y for x, y in zip(lines, retyped, strict=True)) > 500
    dump = tmp_path / "non-negative.nq"
    dump.write_text("\n".join(retyped) + "\n", encoding="utf-8")
    assert main(["validate", "--data", str(dump)]) == 0
    assert capsys.readouterr().out.strip() == f"{dump}: conforms"
    sentence = min(x for x in retyped if f"> <{NIF}beginIndex> " in x
                   and x.startswith("<https://entente.example.org/id/sentence/"))
    negative = sentence.split(' "', 1)[0] + f' "-1"^^<{XSD}nonNegativeInteger> {_graph(sentence)} .'
    dump.write_text("\n".join(negative if x == sentence else x for x in retyped) + "\n",
                    encoding="utf-8")
    assert main(["validate", "--data", str(dump)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{sentence.split(' ', 1)[0][1:-1]}\tnif:beginIndex\tA text span has exactly one "
        "nif:beginIndex, an xsd:integer or xsd:nonNegativeInteger >= 0."]


@pytest.mark.slow
def test_the_built_corpus_conforms_under_rdfs_inference(
    built_store: StoreInfo, capsys: pytest.CaptureFixture[str]
) -> None:
    """With RDFS inference an assertion's evidence sentences are prov:wasDerivedFrom values
    too (ent:evidence is a sub-property of it), beside its one document: still conforms."""
    dump = built_store.dump_path
    assert main(["validate", "--data", str(dump), "--inference", "rdfs"]) == 0
    assert capsys.readouterr().out.strip() == f"{dump}: conforms"


def test_rdfs_inference_makes_evidence_a_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--inference rdfs`` is applied: a second document given as ent:evidence (a
    sub-property of prov:wasDerivedFrom) is a second source only under RDFS entailment."""
    valid = (FIXTURES / "valid.ttl").read_text(encoding="utf-8")
    other = "https://entente.example.org/id/document/wire-2"
    extra = (f"\n<{other}> a <{ENT}Document> ; <http://purl.org/dc/terms/title> \"Two\" ;\n"
             f"    <{ENT}sha256> \"{'0' * 64}\" .\n"
             f"<{ASSERTION}> <{ENT}evidence> <{other}> .\n")
    data = tmp_path / "evidence-document.ttl"
    data.write_text(valid + extra, encoding="utf-8")
    assert main(["validate", "--data", str(data)]) == 1
    plain = capsys.readouterr().out
    assert main(["validate", "--data", str(data), "--inference", "rdfs"]) == 1
    inferred = capsys.readouterr().out
    source = (f"{ASSERTION}\tprov:wasDerivedFrom\tAn assertion is prov:wasDerivedFrom exactly "
              "one ent:Document (its source; its evidence spans may be values too).")
    assert source not in plain.splitlines()
    assert source in inferred.splitlines()


def test_the_synthetic_benchmark_dataset_conforms(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """bench/synth.py writes NIF's own offset datatype (xsd:nonNegativeInteger) and links
    mentions with itsrdf:taIdentRef, as NIF 2.0 does: the shapes accept it."""
    from entente.bench import synth

    dump = tmp_path / "synth.nq"
    synth.write_dataset(dump, 3000, seed=3, base="https://entente.example.org/")
    lines = dump.read_text(encoding="utf-8").splitlines()
    mentions = {x.split(" ", 1)[0] for x in lines
                if x.split(" ")[1:3] == [f"<{RDF}type>", f"<{ENT}Mention>"]}
    linked = {x.split(" ", 1)[0] for x in lines if f" <{ITSRDF}taIdentRef> " in x}
    assert linked == mentions and len(mentions) > 10
    assert not any(f" <{NIF}taIdentRef> " in x for x in lines)
    assert any(f'"^^<{XSD}nonNegativeInteger> ' in x for x in lines)
    assert main(["validate", "--data", str(dump)]) == 0
    assert capsys.readouterr().out.strip() == f"{dump}: conforms"
