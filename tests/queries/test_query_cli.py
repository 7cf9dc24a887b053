"""``entente query`` end to end: a real subprocess against a published store."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
import rdflib

HEADER = ("assertion,subject,subjectLabel,predicate,predicateLabel,object,objectLabel,polarity,"
          "certainty,attributedTo,attributedToLabel,date,document,quote,start,end")
ID = "https://entente.example.org/id/"


def entente(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "entente", *args], capture_output=True,
                          text=True, timeout=120, env=env)


def test_assertions_as_csv(mini_store_dir: Path) -> None:
    result = entente("query", "--store", str(mini_store_dir), "--canned", "assertions",
                     "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == HEADER
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 10
    assert rows[5] == {
        "assertion": ID + "assertion/doc-b-3", "subject": ID + "state/russia",
        "subjectLabel": "Russia", "predicate": "https://entente.example.org/ontology#memberOf",
        "predicateLabel": "member of", "object": ID + "org/sco",
        "objectLabel": "Shanghai Cooperation Organisation",
        "polarity": "https://entente.example.org/ontology#Negated",
        "certainty": "https://entente.example.org/ontology#Asserted",
        "attributedTo": ID + "person/bob-speaker", "attributedToLabel": "Bob Speaker",
        "date": "", "document": ID + "document/doc-b",
        "quote": "Russia is not a member of the SCO, he said.", "start": "53", "end": "95",
    }


def test_canned_parameters_narrow_the_rows(mini_store_dir: Path) -> None:
    result = entente("query", "--store", str(mini_store_dir), "--canned", "assertions",
                     "--param", "document=id/document/doc-a", "--param", "entity=id/state/china",
                     "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [b["assertion"]["value"] for b in data["results"]["bindings"]] == [
        ID + "assertion/doc-a-1"]


def test_table_output_is_aligned(mini_store_dir: Path) -> None:
    result = entente("query", "--store", str(mini_store_dir), "--canned", "relation-types")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["predicate", "predicateLabel", "assertions", "affirmedAssertions",
                                "negatedAssertions", "hedgedAssertions", "documents"]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].split()[:4] == ["ent:memberOf", "member", "of", "4"]
    assert lines[2].index("member of") == lines[0].index("predicateLabel")
    assert lines[-1] == "(6 rows)"


def test_ad_hoc_construct_as_turtle(mini_store_dir: Path, tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text("PREFIX ent: <https://entente.example.org/ontology#>\n"
                     "CONSTRUCT { ?s ent:memberOf ?o } WHERE { ?s ent:memberOf ?o }")
    result = entente("query", "--store", str(mini_store_dir), "--file", str(query),
                     "--format", "turtle")
    assert result.returncode == 0, result.stderr
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) == 2
    assert "@prefix ent:" in result.stdout


def test_ask_and_list(mini_store_dir: Path) -> None:
    result = entente("query", "--store", str(mini_store_dir), "ASK { ?s ?p ?o }")
    assert (result.returncode, result.stdout) == (0, "true\n")
    listing = entente("query", "--list")
    assert listing.returncode == 0
    assert "assertions: Assertions with their evidence" in listing.stdout
    assert "--param entity=<iri>" in listing.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--canned", "assertions", "--param", "entity=<http://evil/>"], 2,
         "parameter 'entity': not an IRI"),
        (["--canned", "assertions", "--param", "colour=red"], 2, "parameter 'colour': unknown"),
        (["--canned", "no-such-query"], 2, "no canned query 'no-such-query'"),
        (["--canned", "about-actor", "--param", "actor=id/state/nowhere"], 2,
         "parameter 'actor': nothing in the store is named 'id/state/nowhere'"),
        (["--canned", "assertions", "--param", "entity=China", "--param", "entity=Russia"], 2,
         "parameter 'entity': given twice; give it once"),  # (the last value won)
        (["SELECT * WHERE { ?s ?p }"], 1, "query syntax error"),
        (["--param", "a=b", "ASK {}"], 2, "--param only applies to --canned"),
        (["--format", "turtle", "SELECT * WHERE { ?s ?p ?o }"], 2, "needs a CONSTRUCT"),
        (["--file", "/nonexistent/q.rq"], 1, "/nonexistent/q.rq: no such query file"),
    ],
)
def test_errors_are_one_line_with_the_right_exit_code(
    mini_store_dir: Path, args: list[str], code: int, message: str
) -> None:
    result = entente("query", "--store", str(mini_store_dir), *args)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_store_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = entente("query", "--store", str(missing), "--canned", "assertions")
    assert result.returncode == 1
    assert str(missing) in result.stderr


MEMBER_OF = "https://entente.example.org/ontology#memberOf"
MEMBERSHIPS = {(ID + "state/china", ID + "org/sco"), (ID + "state/russia", ID + "org/sco")}
GRAPH_FORMATS = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "jsonld": "json-ld",
                 "rdfxml": "xml", "trig": "trig"}  # --format -> rdflib's parser
RESULT_FORMATS = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"}


def query_as(store: Path, fmt: str, query: str) -> str:
    """``entente query --format fmt`` on ``store``: its stdout (the command must succeed)."""
    result = entente("query", "--store", str(store), "--format", fmt, query)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_every_graph_format_parses_to_the_same_triples(mini_store_dir: Path, fmt: str) -> None:
    out = query_as(mini_store_dir, fmt,
                   f"CONSTRUCT {{ ?s <{MEMBER_OF}> ?o }} WHERE {{ ?s <{MEMBER_OF}> ?o }}")
    graph = rdflib.Dataset()
    graph.parse(data=out, format=GRAPH_FORMATS[fmt])
    triples = {(str(s), str(p), str(o)) for s, p, o, _ in graph.quads()}
    assert triples == {(s, MEMBER_OF, o) for s, o in MEMBERSHIPS}


@pytest.mark.parametrize("fmt", RESULT_FORMATS)
def test_every_results_format_parses_to_the_same_rows(mini_store_dir: Path, fmt: str) -> None:
    out = query_as(mini_store_dir, fmt,
                   f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{MEMBER_OF}> ?o }} ORDER BY ?s")
    parsed = rdflib.query.Result.parse(io.StringIO(out), format=RESULT_FORMATS[fmt])
    assert [str(v) for v in parsed.vars] == ["s", "o"]
    assert [(str(row[0]), str(row[1])) for row in parsed] == sorted(MEMBERSHIPS)


@pytest.mark.parametrize(("fmt", "expected"), [
    ("json", '{"head":{},"boolean":true}\n'),
    ("xml", '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            "<head></head><boolean>true</boolean></sparql>\n"),
    ("table", "true\n"),
    ("csv", "_askResult\ntrue\n"),  # (the CSV's CRLF read back in text mode)
    ("tsv", "?_askResult\ntrue\n"),
])
def test_ask_in_each_format(mini_store_dir: Path, fmt: str, expected: str) -> None:
    assert query_as(mini_store_dir, fmt, f"ASK {{ ?s <{MEMBER_OF}> ?o }}") == expected


def test_rdf_xml_of_a_predicate_with_no_xml_name_is_one_line(mini_store_dir: Path) -> None:
    """(as /sparql answers it with a 406: pyoxigraph would write an element <oxprefix:>)"""
    result = entente("query", "--store", str(mini_store_dir),
                     'CONSTRUCT { <http://a> <urn:isbn:0451450523> "v" } WHERE {}',
                     "--format", "rdfxml")
    assert (result.returncode, result.stdout, result.stderr) == (
        1, "", "entente query: error: cannot write this result as rdfxml: the predicate "
               "<urn:isbn:0451450523> ends in no XML name (RDF/XML writes a predicate as an "
               "element name); use turtle, ntriples or jsonld\n")


def test_the_union_default_graph_matches_a_triple_once_per_graph(mini_store_dir: Path) -> None:
    """Oxigraph 0.5 does not merge the named graphs into a set (oxigraph#1919): a triple two
    documents assert is matched once per graph. README ("HTTP endpoints") and the Service
    Description say so; when the engine dedups, this fails and they must be changed."""
    triple = f"<{ID}state/russia> <https://entente.example.org/ontology#memberOf> <{ID}org/sco>"
    counts = (f"SELECT (COUNT(*) AS ?matches) WHERE {{ {triple} }}",
              f"SELECT (COUNT(*) AS ?matches) WHERE {{ SELECT DISTINCT * WHERE {{ {triple} }} }}",
              f"SELECT (COUNT(DISTINCT ?g) AS ?matches) WHERE {{ GRAPH ?g {{ {triple} }} }}")
    found = []
    for query in counts:
        result = entente("query", "--store", str(mini_store_dir), query, "--format", "csv")
        assert result.returncode == 0, result.stderr
        found.append(result.stdout.splitlines())
    assert found == [["matches", "2"], ["matches", "1"], ["matches", "2"]]


@pytest.mark.parametrize(("fmt", "out"), [
    ("csv", "z,a\nx,y\n"),  # (the text mode of the pipe reads CSV's CRLF as LF)
    ("tsv", '?z\t?a\n"x"\t"y"\n'),
    ("json", '{"head":{"vars":["z","a"]},"results":{"bindings":[{"z":{"type":"literal",'
             '"value":"x"},"a":{"type":"literal","value":"y"}}]}}\n'),
    ("table", "z  a\n-  -\nx  y\n(1 row)\n"),
])
def test_select_star_columns_in_the_querys_order(mini_store_dir: Path, fmt: str,
                                                 out: str) -> None:
    """As the server answers them (Oxigraph alone sorts them by name: ``a, z``)."""
    result = entente("query", "--store", str(mini_store_dir), "--format", fmt,
                     'SELECT * WHERE { BIND("x" AS ?z) BIND("y" AS ?a) }')
    assert result.returncode == 0, result.stderr
    assert result.stdout == out


@pytest.mark.parametrize(("query", "message"), [
    ("SELEC * {}", "query syntax error: error at 1:1: expected SELECT, ASK, CONSTRUCT or "
                   "DESCRIBE"),
    ("PREFIX x: <http://x/>\n  SELEC * {}", "query syntax error: error at 2:3: expected "
                                            "SELECT, ASK, CONSTRUCT or DESCRIBE"),
    ("", "query syntax error: error at 1:1: expected SELECT, ASK, CONSTRUCT or DESCRIBE"),
    ("INSERT DATA { <http://a> <http://b> <http://c> }",
     "entente query runs queries, not updates: the store is read-only (entente build writes "
     "it; a server takes updates at /update when ENTENTE_UPDATE_ENABLED is set)"),
    # (the engine's words: "expected one of Prefix not found, ['%'], ..." and "expected
    # OPTIONAL" at a later column; ent:, skos: ... are predeclared here)
    ("SELECT * { ?s ent:memberOf ?o ; foo:bar ?x }", "query syntax error: error at 1:33: the "
                                                    "prefix 'foo:' is not declared (add PREFIX "
                                                    "foo: <...>)"),
    ("SELECT ?s { <rel> ?p ?o }", "query syntax error: error at 1:13: the relative IRI <rel> "
                                  "has no base to resolve against (write the full IRI, or "
                                  "declare BASE <...>)"),
])
def test_a_query_without_a_query_form_is_told_where_one_was_expected(
        mini_store_dir: Path, query: str, message: str) -> None:
    """As the server answers it (the engine alone said "error at 1:10: expected CONSTRUCT")."""
    result = entente("query", "--store", str(mini_store_dir), query)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"entente query: error: {message}\n"


def test_json_ld_is_compact(mini_store_dir: Path) -> None:
    out = query_as(mini_store_dir, "jsonld",
                   f"CONSTRUCT {{ <{ID}state/china> <{MEMBER_OF}> <{ID}org/sco> }} WHERE {{}}")
    assert out == ('{\n  "@context": {\n    "ent": "https://entente.example.org/ontology#",\n'
                   '    "id": "https://entente.example.org/id/"\n  },\n  "@graph": [\n'
                   '    {"@id":"id:state/china","ent:memberOf":[{"@id":"id:org/sco"}]}\n'
                   '  ]\n}\n')


def test_a_canned_query_takes_a_page(mini_store_dir: Path) -> None:
    def rows(*flags: str) -> list[str]:
        result = entente("query", "--store", str(mini_store_dir), "--canned", "assertions",
                         "--format", "csv", *flags)
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()[1:]

    everything = rows()
    assert len(everything) == 10
    assert rows("--limit", "3") == everything[:3]
    assert rows("--limit", "3", "--offset", "8") == everything[8:]
    refused = entente("query", "--store", str(mini_store_dir), "--canned", "assertions",
                      "--offset", "-2")
    assert (refused.returncode, refused.stderr) == (
        2, "entente query: error: parameter 'offset': not a whole number from 0 to "
           "1,000,000,000: '-2'\n")
    refused = entente("query", "--store", str(mini_store_dir), "--limit", "3", "ASK {}")
    assert (refused.returncode, refused.stderr) == (
        2, "entente query: error: --limit only applies to --canned queries\n")


def test_a_query_file_may_start_with_a_byte_order_mark(mini_store_dir: Path,
                                                       tmp_path: Path) -> None:
    query = tmp_path / "ask.rq"
    query.write_bytes(b"\xef\xbb\xbfASK { }\n")
    result = entente("query", "--store", str(mini_store_dir), "--file", str(query))
    assert (result.returncode, result.stdout, result.stderr) == (0, "true\n", "")


def test_a_canned_iri_parameter_takes_a_label(mini_store_dir: Path) -> None:
    def run(value: str) -> subprocess.CompletedProcess[str]:
        return entente("query", "--store", str(mini_store_dir), "--canned", "about-actor",
                       "--param", f"actor={value}", "--format", "csv")

    by_iri = run("id/state/china")
    assert by_iri.returncode == 0 and by_iri.stdout.count("\n") > 1
    assert run("china").stdout == by_iri.stdout
    missing = run("Atlantis")
    assert (missing.returncode, missing.stderr) == (
        2, "entente query: error: parameter 'actor': no resource is labelled 'Atlantis'; give "
           "a label such as China, or an IRI such as id/state/china\n")


# --- values pyoxigraph's writers lose or refuse (the server's: tests/server/test_rdf12_results.py)

SELECT_CR = 'SELECT ?c WHERE { BIND("cr\\rx" AS ?c) }'
CONSTRUCT_CR = 'CONSTRUCT { <http://a> <http://b> ?c } WHERE { BIND("cr\\rx" AS ?c) }'
CONSTRUCT_TRIPLE_TERM = ('CONSTRUCT { <http://a> <http://b> ?t } WHERE { '
                         'BIND(<<( <http://a> <http://b> "c" )>> AS ?t) }')


def _entente_query(store: Path, query: str, fmt: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "entente", "query", "--store", str(store),
                           "--format", fmt, query], capture_output=True, timeout=120, check=False)


def test_the_cli_writes_a_carriage_return_as_a_reference_in_xml(mini_store_dir: Path) -> None:
    result = _entente_query(mini_store_dir, SELECT_CR, "xml")
    assert result.returncode == 0, result.stderr
    solutions = pyoxigraph.parse_query_results(result.stdout,
                                            format=pyoxigraph.QueryResultsFormat.XML)
    assert [s["c"] for s in solutions] == [pyoxigraph.Literal("cr\rx")]
    assert b"\r" not in result.stdout
    result = _entente_query(mini_store_dir, CONSTRUCT_CR, "rdfxml")
    assert result.returncode == 0, result.stderr
    graph = rdflib.Graph().parse(data=result.stdout, format="xml")
    assert [str(o) for o in graph.objects()] == ["cr\rx"]


def test_the_cli_refuses_json_ld_of_a_triple_term_in_one_line(mini_store_dir: Path) -> None:
    result = _entente_query(mini_store_dir, CONSTRUCT_TRIPLE_TERM, "jsonld")
    assert (result.returncode, result.stdout) == (1, b"")
    assert result.stderr.decode() == ("entente query: error: cannot write the result as "
                                      "jsonld: JSON-LD does not support RDF 1.2 yet\n")


CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"  # ~340M rows: minutes


def test_a_runaway_query_is_stopped_by_its_time_limit(built_store) -> None:  # noqa: ANN001
    """(it ran on for minutes: the engine held the main thread, and no limit applied)"""
    result = entente("query", "--store", str(built_store.link), "--timeout", "0.5", CROSS_JOIN)
    assert (result.returncode, result.stdout, result.stderr) == (
        1, "", "entente query: error: the query ran out of its 0.5 s time limit (--timeout)\n")


def _query_thread_running(pid: int) -> bool:
    """Whether ``entente query`` (process ``pid``) is inside the engine: its main thread
    waits (state S) for a thread of its own (not one of RocksDB's) that has been on the CPU,
    the query thread (graph/query_cli.py, ``_within``)."""
    from pathlib import Path

    def stat(tid: str) -> list[str]:
        text = Path(f"/proc/{pid}/task/{tid}/stat").read_text()
        return text[text.rindex(")") + 2:].split()  # state, ppid, ...; utime, stime: 11, 12

    try:
        main = stat(str(pid))
        others = [tid for tid in os.listdir(f"/proc/{pid}/task") if tid != str(pid) and not
                  Path(f"/proc/{pid}/task/{tid}/comm").read_text().startswith("rocksdb")]
        return main[0] == "S" and any(int(stat(t)[11]) + int(stat(t)[12]) > 0 for t in others)
    except (OSError, ValueError):  # (it exited, or a thread ended between the reads)
        return False


def test_ctrl_c_stops_a_running_query(built_store) -> None:  # noqa: ANN001
    import signal
    import time

    process = subprocess.Popen([sys.executable, "-m", "entente", "query", "--store",
                                str(built_store.link), "--timeout", "600", CROSS_JOIN],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60  # (a bound only: it is in the engine within a second)
        while not _query_thread_running(process.pid):
            assert process.poll() is None and time.monotonic() < deadline, \
                "entente query did not start its query"
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)  # (it ran on for minutes)
    finally:
        process.kill()
    assert (process.returncode, out, err) == (130, "", "entente query: interrupted\n")
