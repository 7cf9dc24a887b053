"""The CLI's contract: help for every command, exit code 2 on bad usage, the package is clean."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ENTENTE = [sys.executable, "-m", "entente"]
COMMANDS = ["build", "serve", "query", "reason", "validate", "eval", "push", "bench", "soak"]
README = Path(__file__).resolve().parents[2] / "README.md"


def readme_synopsis() -> dict[str, set[str]]:
    """command -> the flags README's CLI synopsis gives it (plus --base-iri where it says)."""
    text = README.read_text(encoding="utf-8")
    block = text.split("entente build ", 1)[1].split("```", 1)[0]
    flags: dict[str, set[str]] = {}
    command = "build"
    for line in ("entente build " + block).splitlines():
        match = re.match(r"entente (\S+)", line)  # (and "entente --version")
        if match:
            command = match.group(1)
        flags.setdefault(command, set()).update(re.findall(r"--[a-z][a-z-]*", line))
    for command in flags:
        if command not in ("bench", "soak"):  # "Every command but bench and soak ..."
            flags[command].add("--base-iri")
    return flags


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ENTENTE, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_top_level_help_lists_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert command in result.stdout


def test_version_is_the_projects() -> None:
    import tomllib

    pinned = tomllib.loads((README.parent / "pyproject.toml").read_text(encoding="utf-8"))
    result = run("--version")
    assert (result.returncode, result.stdout, result.stderr) == (
        0, f"entente {pinned['project']['version']}\n", "")


def test_the_readme_synopsis_covers_every_command() -> None:
    assert sorted(readme_synopsis()) == sorted([*COMMANDS, "--version"])


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_the_readme_flags(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0, result.stderr
    documented = set(re.findall(r"--[a-z][a-z-]*", result.stdout))
    assert readme_synopsis()[command] - documented == set()


@pytest.mark.parametrize(
    "args",
    [
        ["no-such-command"],
        [],
        ["build", "--no-such-flag"],
        ["serve", "--port", "not-a-number"],
        ["serve", "--max-rows", "0"],
        ["query", "--format", "pdf", "SELECT * {}"],
        ["validate", "--store", "var/store", "--data", "x.ttl"],
        ["reason", "--store", "var/store", "--data", "x.ttl"],
        ["push", "--store", "var/store", "--data", "x.nq"],
        ["build", "--corpus", ""],
        ["query", "--store", "", "ASK {}"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.strip(), "a usage error says what is wrong on stderr"
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_bad_environment_value_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENTENTE_MAX_ROWS", "lots")
    result = run("validate", "--data", "nothing.ttl")
    assert (result.returncode, result.stderr) == (
        2, "entente validate: error: setting max_rows (ENTENTE_MAX_ROWS): cannot read 'lots': "
        "not a whole number\n")


@pytest.mark.parametrize(("base", "why"), [
    ("http://exa mple.org/",
     "'http://exa mple.org/' contains ' ' at position 10, which no IRI may"),
    ("urn:x", "'urn:x' is not an absolute http(s) IRI with a host (e.g. https://example.org/)"),
    ("example.org/kg/", "'example.org/kg/' is not an absolute http(s) IRI with a host"),
    ("https://example.org/kg?x=1", "'https://example.org/kg?x=1' has a query or fragment"),
    ("https://example.org/<kg>/", "'https://example.org/<kg>/' contains '<' at position 20"),
])
def test_a_base_iri_no_iri_can_start_with_is_refused_before_the_build(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, base: str, why: str) -> None:
    """Before, the build ran and its publish failed on the N-Quads of a temporary file."""
    for how in ("env", "flag"):
        if how == "env":
            monkeypatch.setenv("ENTENTE_BASE_IRI", base)
            result = run("build", "--store", str(tmp_path / "store"), "--no-reason")
        else:
            monkeypatch.delenv("ENTENTE_BASE_IRI", raising=False)
            result = run("build", "--store", str(tmp_path / "store"), "--no-reason",
                         "--base-iri", base)
        assert result.returncode == 2, (how, result.stderr)
        assert result.stderr.startswith(
            f"entente build: error: setting base_iri (ENTENTE_BASE_IRI): {why}"), how
        assert not (tmp_path / "store").exists()


@pytest.mark.parametrize("name", ["graph", "server", "ontology", "queries"])
def test_generic_top_level_names_are_not_installed(name: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"import {name}"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode != 0
    assert "ModuleNotFoundError" in result.stderr


def test_entente_subpackages_import(tmp_path: Path) -> None:
    code = "import entente.graph, entente.server, entente.ontology, entente.queries"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("args", "env", "message"), [
    (("serve", "--port", "0"), {},
     "setting port (ENTENTE_PORT): must be from 1 to 65535, got 0"),
    (("serve", "--query-timeout", "0.05"), {},
     "setting query_timeout (ENTENTE_QUERY_TIMEOUT): must be from 0.1 to 86400, got 0.05"),
    # (an audit: the server started, and every query was a 500: poll() took no such wait)
    (("serve",), {"ENTENTE_QUERY_TIMEOUT": "inf"},
     "setting query_timeout (ENTENTE_QUERY_TIMEOUT): must be from 0.1 to 86400, got inf"),
    # (it started, and every update was a 403)
    (("serve",), {"ENTENTE_UPDATE_ENABLED": "1"},
     "ENTENTE_UPDATE_ENABLED is set but ENTENTE_UPDATE_TOKEN is not: set a token (clients "
     "send it as 'Authorization: Bearer TOKEN'), or leave updates off"),
    (("serve",), {"ENTENTE_PORT": "eighty"},
     "setting port (ENTENTE_PORT): cannot read 'eighty': not a whole number"),
    (("serve",), {"ENTENTE_UPDATE_ENABLED": "ture"},
     "setting update_enabled (ENTENTE_UPDATE_ENABLED): cannot read 'ture': expected one of "
     "1, true, yes, on, 0, false, no, off"),
    (("push", "--endpoint", "http://127.0.0.1:1/sparql"), {"ENTENTE_BACKEND_AUTH": "Digest"},
     "setting backend_auth (ENTENTE_BACKEND_AUTH): must be one of basic, digest, got 'Digest'"),
    (("serve",), {"ENTENTE_BACKEND_DATASET": "union"},
     "setting backend_dataset (ENTENTE_BACKEND_DATASET): must be one of named, endpoint, "
     "got 'union'"),
    (("build",), {"ENTENTE_LOAD_ALLOCATOR": "jemalloc"},
     "setting load_allocator (ENTENTE_LOAD_ALLOCATOR): must be one of mimalloc, system, "
     "got 'jemalloc'"),
])
def test_a_setting_that_cannot_apply_is_one_line_and_exit_2(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: tuple[str, ...],
        env: dict[str, str], message: str) -> None:
    """A flag's value out of its setting's range was a traceback (exit 1); an unknown word
    for a yes/no setting read as "no"."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = run(*args, "--store", str(tmp_path / "nowhere"))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"entente {args[0]}: error: {message}\n"


@pytest.mark.parametrize(("args", "message"), [
    (("build", "--workers", "abc"), "argument --workers: must be a positive integer, got abc"),
    (("build", "--workers", "2.5"), "argument --workers: must be a positive integer, got 2.5"),
    (("build", "--workers", "0"), "argument --workers: must be a positive integer, got 0"),
    (("soak", "--duration", "soon"), "argument --duration: must be a positive number, got soon"),
    (("soak", "--duration", "inf"), "argument --duration: must be a positive number, got inf"),
    (("soak", "--duration", "nan"), "argument --duration: must be a positive number, got nan"),
    (("soak", "--duration", "-1"), "argument --duration: must be a positive number, got -1"),
    # (an unknown option: the subcommand's error, as every other; it was "entente: error")
    (("build", "--bogus"), "unrecognized arguments: --bogus"),
    (("query", "--canned", "actors", "--frobnicate"), "unrecognized arguments: --frobnicate"),
])
def test_a_flag_value_of_the_wrong_kind_names_the_flag_and_the_value(
        args: tuple[str, ...], message: str) -> None:
    """(argparse's own wording for a value int() or float() refuses named the checking
    function: "invalid _positive_int value: 'abc'")"""
    result = run(*args)
    assert (result.returncode, result.stdout) == (2, "")
    cmd = args[0]
    assert result.stderr == f"entente {cmd}: error: {message} (see 'entente {cmd} --help')\n"


@pytest.mark.parametrize("command", [
    ["eval"], ["reason"], ["validate"], ["query", "ASK {}"], ["serve", "--port", "1"],
])
def test_a_base_iri_other_than_the_stores_is_a_usage_error(
        built_store, command: list[str]) -> None:  # noqa: ANN001
    """The manifest records the base the store was built with; nothing compared it: eval
    found 0 matches, reason too few inferences (8, where the store's own base gave 69 then;
    350 now), serve 404 pages, all with exit 0."""
    other = "https://example.org/kg/"
    result = run(*command, "--store", str(built_store.link), "--base-iri", other)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"entente {command[0]}: error: {built_store.link}: the store was built with base IRI "
        f"https://entente.example.org/, not {other} (--base-iri, ENTENTE_BASE_IRI): give the "
        "store's base, or build again with this one\n")


def test_the_stores_base_given_without_its_slash_is_the_same_base(built_store) -> None:  # noqa: ANN001
    result = run("query", "ASK {}", "--store", str(built_store.link), "--base-iri",
                 "https://entente.example.org")
    assert (result.returncode, result.stdout.strip()) == (0, "true"), result.stderr


def _closed_stdout(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI with file descriptor 1 closed (a shell's ``>&-``)."""
    import os

    return subprocess.run([sys.executable, "-m", "entente", *args], stdout=None,
                          stderr=subprocess.PIPE, text=True, timeout=120,
                          preexec_fn=lambda: os.close(1))  # noqa: PLW1509


@pytest.mark.parametrize("args", [("query", "--list"), ("eval",), ("validate",),
                                  ("build", "--timings", "-")])
def test_a_command_whose_result_goes_to_a_closed_stdout_fails_saying_so(
        built_store, args: tuple[str, ...]) -> None:  # noqa: ANN001
    """Python sets sys.stdout to None when fd 1 is closed and print() then writes nothing:
    eval and validate exited 0 with their result lost, query --list with a traceback."""
    result = _closed_stdout(*args, "--store", str(built_store.link))
    assert result.returncode == 1
    assert result.stderr == (f"entente {args[0]}: error: standard output is closed: nowhere "
                             "to write the result (redirect it to a file, or to /dev/null)\n")


#: a dataset the reasoner infers two triples from (sub-properties' values), small so that a
#: test of how ``reason`` writes them does not reason over the whole corpus
_VOTES = """@prefix ent: <https://entente.example.org/ontology#> .
@prefix id: <https://entente.example.org/id/> .
id:state\\/alpha a ent:State ; ent:vetoed id:event\\/vote .
id:state\\/beta a ent:State ; ent:abstainedOn id:event\\/vote .
id:event\\/vote a ent:ResolutionVote .
"""


def _votes(tmp_path: Path) -> Path:
    data = tmp_path / "votes.ttl"
    data.write_text(_VOTES, encoding="utf-8")
    return data


@pytest.mark.skipif(shutil.which("java") is None, reason="reason needs a Java runtime")
def test_a_result_written_to_out_needs_no_stdout(tmp_path: Path) -> None:
    out = tmp_path / "inferred.nt"
    result = _closed_stdout("reason", "--data", str(_votes(tmp_path)), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text().count(" .\n") == 2  # (two ent:votedOn triples)


@pytest.mark.parametrize("args", [
    ("validate", "--data", "{m}"), ("validate", "--data", "{m}.nq"), ("reason", "--data", "{m}.nq"),
    ("eval", "--gold", "{m}.jsonl"), ("push", "--endpoint", "http://127.0.0.1:1/s", "--data",
                                      "{m}.nq"),
    ("bench", "--only", "build", "--reuse", "{m}.json"), ("query", "--file", "{m}.rq"),
])
def test_a_missing_input_file_is_named_with_exit_1(tmp_path: Path, built_store,  # noqa: ANN001
                                                   args: tuple[str, ...]) -> None:
    """Each command said it its own way, with exit 1 or 2 ("unknown RDF format" for a
    missing file without a suffix, "no such N-Quads file" with exit 2, errno text)."""
    missing = str(tmp_path / "missing")
    argv = [a.format(m=missing) for a in args]
    if argv[0] in ("eval", "query"):
        argv += ["--store", str(built_store.link)]
    result = run(*argv)
    given = next(a for a in argv if a.startswith(missing))
    assert (result.returncode, result.stdout) == (1, ""), result.stderr
    where = "--reuse " if argv[0] == "bench" else ""
    suffix = " query file" if argv[0] == "query" else " file"
    assert result.stderr == f"entente {argv[0]}: error: {where}{given}: no such{suffix}\n"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize(("args", "what"), [
    (("reason", "--out", "/proc/nx/inferred.nt"), "the inferred triples"),
    (("soak", "--out", "/proc/nx/soak.json"), "the report"),
    (("bench", "--quick", "--out", "/proc/nx"), "the results"),
])
def test_an_output_path_that_cannot_be_written_fails_before_the_work(
        built_store, args: tuple[str, ...], what: str) -> None:  # noqa: ANN001
    """soak and bench found out at their end (after minutes of work), reason after
    reasoning: the output path is probed first (os.access passes /proc for root)."""
    store = () if args[0] == "bench" else ("--store", str(built_store.link))
    result = run(*args, *store)
    out = args[args.index("--out") + 1]
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"entente {args[0]}: error: {out}: cannot write {what}: "
                             "cannot create /proc/nx: No such file or directory\n")


@pytest.mark.parametrize(("url", "why"), [
    ("localhost:8000/sparql", "is not an http(s) URL with a host (e.g. "
     "http://127.0.0.1:3030/ds/sparql)"),
    ("http://", "is not an http(s) URL with a host (e.g. http://127.0.0.1:3030/ds/sparql)"),
    ("http://[::1/sparql", "is not a URL (Invalid IPv6 URL)"),
    ("http://127.0.0.1:99999/sparql", "is not a URL (Port out of range 0-65535)"),
    ("http://exa mple/sparql", "contains ' ' at position 10"),
])
def test_a_malformed_endpoint_url_is_a_usage_error_naming_its_flag_or_setting(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, url: str, why: str) -> None:
    """push quoted requests' parser ("Failed to parse: ...", exit 1), serve tried to connect
    ("No connection adapters were found")."""
    pushed = run("push", "--endpoint", url, "--store", str(tmp_path / "nowhere"))
    assert (pushed.returncode, pushed.stderr) == (
        2, f"entente push: error: --endpoint: {url!r} {why}\n")
    monkeypatch.setenv("ENTENTE_BACKEND_UPDATE", url)
    served = run("serve")
    assert (served.returncode, served.stderr) == (
        2, "entente serve: error: setting backend_update (ENTENTE_BACKEND_UPDATE): "
        f"{url!r} {why}\n")


@pytest.mark.skipif(shutil.which("java") is None, reason="reason needs a Java runtime")
def test_a_file_name_that_is_not_utf8_is_printed_as_its_bytes(tmp_path: Path) -> None:
    """With a UTF-8 locale's strict stdout, 'wrote <name>' was a UnicodeEncodeError traceback."""
    import os

    out = os.fsencode(tmp_path) + b"/\xff.nt"
    result = subprocess.run(
        [sys.executable, "-m", "entente", "reason", "--data", str(_votes(tmp_path)),
         "--out", out], capture_output=True, timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(b"wrote " + out + b"\n")
    assert os.path.getsize(out) > 0


@pytest.mark.parametrize(("args", "content", "code", "message"), [
    (("eval", "--gold"), "\n", 1, "{f}: no gold facts (one JSON object per line)"),
    (("validate", "--shapes"), "# nothing\n", 1,
     "{f}: no SHACL shapes (no sh: property in it)"),
    # (metadata.json read as JSON-LD, or an empty file, "conformed" with nothing checked)
    (("validate", "--data"), '{"documents": []}\n', 1, "{f}: no RDF statements in it"),
    (("reason", "--data"), "\n", 1, "{f}: no RDF statements in it"),
    (("bench", "--only", "build", "--reuse"), "[]\n", 2,
     "--reuse {f}: not the results of 'entente bench' (a JSON object with 'machine', 'build' "
     "or 'sizes')"),
])
def test_an_input_with_nothing_in_it_is_refused(built_store, tmp_path: Path,  # noqa: ANN001
                                                args: tuple[str, ...], content: str,
                                                code: int, message: str) -> None:
    """An empty gold file scored 0/0, an empty shapes file validated everything, a JSON list
    passed as earlier bench results: each with exit 0."""
    suffix = {"eval": ".jsonl", "validate": ".ttl", "bench": ".json", "reason": ".nt"}[args[0]]
    if args[:2] == ("validate", "--data"):
        suffix = ".json"
    given = tmp_path / f"input{suffix}"
    given.write_text(content, encoding="utf-8")
    store = () if args[0] == "bench" or "--data" in args else ("--store",
                                                              str(built_store.link))
    result = run(*args, str(given), *store)
    assert (result.returncode, result.stderr) == (
        code, f"entente {args[0]}: error: {message.format(f=given)}\n")


def test_an_output_probe_leaves_a_dangling_symlink_as_it_was(tmp_path: Path) -> None:
    """The probe opened the link (creating its target) and then removed the link."""
    from entente.output_paths import output_problem

    link = tmp_path / "report.json"
    link.symlink_to(tmp_path / "target.json")
    assert output_problem(link) is None
    assert link.is_symlink() and not (tmp_path / "target.json").exists()


def _probe_together(barrier, path: str, folder: bool, results) -> None:  # noqa: ANN001
    from entente.output_paths import output_problem

    barrier.wait()
    results.put(output_problem(Path(path), folder=folder))


@pytest.mark.parametrize("folder", [False, True])
def test_commands_started_together_probe_one_new_folder_without_failing(
        tmp_path: Path, folder: bool) -> None:
    """Shard builds started together, writing ``--out`` (or their stores) into one new
    folder: one's probe met the folder the other's had just made and the build failed
    ("cannot create o: File exists"), 3 runs in 10 with ``--out``.  Six probes at once of
    paths in one new folder, twenty times: none finds a problem."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    for round_ in range(20):
        shared = tmp_path / f"round-{round_}" / "shared"
        barrier, results = ctx.Barrier(6), ctx.Queue()
        # (a file in the folder, as --out; or the folder of a store, as the build's check)
        paths = [shared / f"worker-{k}.nq" if not folder else shared / f"s{k}" / "x"
                 for k in range(6)]
        procs = [ctx.Process(target=_probe_together,
                             args=(barrier, str(p if not folder else p.parent), folder,
                                   results)) for p in paths]
        for proc in procs:
            proc.start()
        problems = [results.get(timeout=30) for _ in procs]
        for proc in procs:
            proc.join(30)
        assert problems == [None] * 6, (round_, problems)


def test_a_bench_without_a_corpus_is_refused_before_the_work(tmp_path: Path) -> None:
    """Run where there is no corpus, the benchmark went on: the corpus's builds and the
    "corpus" size each ended in an error line after the rest had run, and it exited 0."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "ENTENTE_CORPUS"}
    result = subprocess.run([*ENTENTE, "bench", "--quick", "--out", "results"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("entente bench: error: corpus: no .txt documents: the benchmark "
                             "builds and serves the corpus (set ENTENTE_CORPUS to its folder)\n")
    assert list(tmp_path.iterdir()) == []  # (no results, no work folder)


def test_a_url_problem_does_not_repeat_the_password() -> None:
    from entente.config import http_url_problem

    assert http_url_problem("ftp://ann:s3cret@example.org/sparql") == (
        "'ftp://***@example.org/sparql' is not an http(s) URL with a host (e.g. "
        "http://127.0.0.1:3030/ds/sparql)")


@pytest.mark.parametrize(("command", "out", "why"), [
    (["reason", "--store", "{store}"], "{store}/dataset.nq", "is inside the store ({live})"),
    (["soak", "--duration", "1", "--store", "{store}"], "{store}/manifest.json",
     "is inside the store ({live})"),
    (["reason", "--data", "{tmp}/in.nq"], "{tmp}/in.nq", "is the command's input ({tmp}/in.nq)"),
])
def test_an_out_inside_a_store_or_on_the_input_is_refused_first(
        built_store, tmp_path: Path, command: list[str], out: str, why: str) -> None:  # noqa: ANN001
    """reason --out and soak --out replaced a live store's dump or manifest, or reason's own
    input, and exited 0 (the CLI audit); build --out already refused them."""
    store = tmp_path / "store"
    store.symlink_to(built_store.root)
    (tmp_path / "in.nq").write_bytes(built_store.dump_path.read_bytes())
    kept = (built_store.dump_path, built_store.root / "manifest.json", tmp_path / "in.nq")
    before = [p.read_bytes() for p in kept]
    names = {"store": store, "tmp": tmp_path, "live": built_store.root}
    target = out.format(**names)
    result = run(*[a.format(**names) for a in command], "--out", target)
    assert (result.returncode, result.stderr) == (
        2, f"entente {command[0]}: error: --out {target} {why.format(**names)}\n")
    assert [p.read_bytes() for p in kept] == before


def test_timings_inside_the_store_are_refused_first(built_store, tmp_path: Path) -> None:  # noqa: ANN001
    """build --timings S/manifest.json broke the store it had just published (the review)."""
    store = tmp_path / "store"
    store.symlink_to(built_store.root)
    manifest = (built_store.root / "manifest.json").read_bytes()
    corpus = Path(__file__).resolve().parents[2] / "corpus"
    result = run("build", "--no-reason", "--corpus", str(corpus), "--store", str(store),
                 "--timings", str(store / "manifest.json"))
    assert (result.returncode, result.stderr) == (
        2, f"entente build: error: --timings {store / 'manifest.json'} is inside the store "
           f"({built_store.root})\n")
    assert (built_store.root / "manifest.json").read_bytes() == manifest
