"""The store: atomic publication, reuse of identical versions, failure safety, clear errors."""

from __future__ import annotations

import errno
import json
import logging
import os
import subprocess
from pathlib import Path

import pytest
from entente.graph import load_allocator
from entente.graph import store as store_mod
from entente.graph import store_load as load_mod
from entente.graph.store import current_version, locate, open_read_only, publish

from entente.errors import StoreError

G1 = "https://example.org/graph/a"
G2 = "https://example.org/graph/b"
NQ_ONE = (
    f'<https://example.org/s> <https://example.org/p> "one" <{G1}> .\n'
    f"<https://example.org/s> <https://example.org/q> <https://example.org/o> <{G2}> .\n"
)
NQ_TWO = NQ_ONE + f'<https://example.org/s> <https://example.org/p> "two" <{G1}> .\n'


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _versions(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("store-"))


def test_publish_layout_manifest_and_query(tmp_path: Path) -> None:
    nq = _write(tmp_path, "one.nq", NQ_ONE)
    link = tmp_path / "var" / "store"
    info = publish(nq, link, {"ontology.html": b"<html></html>"}, base_iri="https://example.org/")
    assert link.is_symlink()
    assert os.readlink(link) == f"store-{info.version}"
    assert info.manifest["quads"] == 2
    assert info.manifest["graphs"] == {G1: 1, G2: 1}
    assert info.manifest["base_iri"] == "https://example.org/"
    assert info.manifest["sha256"].startswith(info.version)
    assert info.dump_path.read_text(encoding="utf-8") == NQ_ONE
    assert info.ontology_html.read_bytes() == b"<html></html>"
    assert current_version(link) == info.version
    ro = open_read_only(locate(link))
    rows = list(ro.query(f"SELECT ?o WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}"))
    assert [r["o"].value for r in rows] == ["one"]


def test_same_content_same_version_and_switch(tmp_path: Path) -> None:
    link = tmp_path / "store"
    first = publish(_write(tmp_path, "one.nq", NQ_ONE), link, {})
    again = publish(_write(tmp_path, "one-again.nq", NQ_ONE), link, {})
    assert again.version == first.version
    assert again.root == first.root
    second = publish(_write(tmp_path, "two.nq", NQ_TWO), link, {})
    assert second.version != first.version
    assert current_version(link) == second.version
    # the previous version is kept for readers that still have it open
    assert _versions(tmp_path) == sorted([f"store-{first.version}", f"store-{second.version}"])
    third = publish(_write(tmp_path, "three.nq", NQ_TWO + NQ_ONE.replace("one", "three")), link, {})
    assert _versions(tmp_path) == sorted([f"store-{second.version}", f"store-{third.version}"])
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_damaged_version_is_loaded_again_not_reused(tmp_path: Path) -> None:
    """A rebuild of the same content reused a version whose store files were damaged (the
    dump's hash matched): exit 0, and every query failed (the CLI audit)."""
    link = tmp_path / "store"
    first = publish(_write(tmp_path, "one.nq", NQ_ONE), link, {})
    tables = sorted(first.oxigraph_path.glob("*.sst"))
    assert tables
    for table in tables:
        table.write_bytes(b"\0" * 100)
    with pytest.raises(StoreError, match="cannot open store read-only: Corruption: .* "
                                         r"\(build it again\)$"):
        open_read_only(locate(link))  # (a RuntimeError traceback from every command)
    again = publish(_write(tmp_path, "one-again.nq", NQ_ONE), link, {})
    assert again.version == first.version
    rows = open_read_only(locate(link)).query(f"SELECT ?o WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}")
    assert [r["o"].value for r in rows] == ["one"]


def test_the_prune_leaves_a_folder_it_did_not_make(tmp_path: Path) -> None:
    """A folder named like a version, with neither a manifest of that version nor a store,
    is someone else's: it was deleted with what it held."""
    theirs = tmp_path / "store-deadbeef0000"
    theirs.mkdir()
    (theirs / "precious.txt").write_text("keep", encoding="utf-8")
    half_deleted = tmp_path / "store-0123456789ab"  # (a deletion cut short: only the dump)
    half_deleted.mkdir()
    (half_deleted / "dataset.nq").write_text(NQ_ONE, encoding="utf-8")
    link = tmp_path / "store"
    for text in (NQ_ONE, NQ_TWO, NQ_TWO + NQ_ONE.replace("one", "three")):
        publish(_write(tmp_path, "x.nq", text), link, {})
    assert (theirs / "precious.txt").read_text(encoding="utf-8") == "keep"
    assert not half_deleted.exists()
    assert len(_versions(tmp_path)) == 3  # its own two, and the stranger


def test_failure_mid_publish_leaves_previous_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = tmp_path / "store"
    first = publish(_write(tmp_path, "one.nq", NQ_ONE), link, {})

    def boom(*_args: object) -> dict[str, int]:
        raise RuntimeError("loader exploded")

    monkeypatch.setattr(store_mod, "load_dump", boom)
    with pytest.raises(RuntimeError, match="loader exploded"):
        publish(_write(tmp_path, "two.nq", NQ_TWO), link, {})
    assert current_version(link) == first.version
    assert locate(link).manifest["quads"] == 2
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
    assert _versions(tmp_path) == [f"store-{first.version}"]


def test_invalid_nquads_is_a_store_error(tmp_path: Path) -> None:
    link = tmp_path / "store"
    bad = _write(tmp_path, "bad.nq", "<https://example.org/s> not rdf .\n")
    with pytest.raises(StoreError, match="bad.nq: invalid N-Quads"):
        publish(bad, link, {})
    assert not link.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_refuses_foreign_directory(tmp_path: Path) -> None:
    link = tmp_path / "store"
    link.mkdir()
    (link / "precious.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(StoreError, match="real directory, not an Entente store link"):
        publish(_write(tmp_path, "one.nq", NQ_ONE), link, {})
    assert (link / "precious.txt").read_text(encoding="utf-8") == "keep me"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_parent_is_clear(tmp_path: Path) -> None:
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        with pytest.raises(StoreError, match="permission denied"):
            publish(_write(tmp_path, "one.nq", NQ_ONE), parent / "store", {})
    finally:
        parent.chmod(0o755)


def test_locate_errors_name_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(StoreError, match=f"{missing}: no store here"):
        locate(missing)
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(StoreError, match=f"{plain}: not an Entente store"):
        locate(plain)
    (plain / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreError, match="manifest.json: corrupt manifest \\(line 1, column 2"):
        locate(plain)
    (plain / "manifest.json").write_text(json.dumps({"version": "abc"}), encoding="utf-8")
    with pytest.raises(StoreError, match="corrupt manifest \\(no valid 'version'\\)"):
        locate(plain)
    (tmp_path / "d").mkdir()
    dangling = tmp_path / "d" / "store"
    dangling.symlink_to("store-000000000000")
    with pytest.raises(StoreError, match=f"{dangling}: store link points to missing"):
        locate(dangling)
    assert current_version(missing) is None
    assert current_version(dangling) == "000000000000"


def test_full_disk_is_a_clear_store_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    link = tmp_path / "store"
    first = publish(_write(tmp_path, "one.nq", NQ_ONE), link, {})

    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_mod, "load_dump", full)
    with pytest.raises(StoreError) as caught:
        publish(_write(tmp_path, "two.nq", NQ_TWO), link, {})
    assert str(caught.value) == (
        f"{link}: cannot publish store: no space left on device; previous store left unchanged"
    )
    assert current_version(link) == first.version
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
    # with no store before it, no "previous store" is said to be left
    with pytest.raises(StoreError) as caught:
        publish(_write(tmp_path, "two.nq", NQ_TWO), tmp_path / "new-store", {})
    assert str(caught.value) == (f"{tmp_path / 'new-store'}: cannot publish store: no space "
                                 "left on device; no store published")


def _many_quads(n: int) -> str:
    return "".join(
        f'<https://example.org/s{i}> <https://example.org/p> "v {i}" <{G1 if i % 3 else G2}> .\n'
        for i in range(n)
    ) + "<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n"


#: the two ways a dump is loaded, forced on small files: many chunks (two at a time), and
#: the whole file by pyoxigraph (the way of dumps from WHOLE_FILE_BYTES up)
LOAD_WAYS = {"chunks": {"CHUNK_BYTES": 1000, "_READ_BYTES": 333},  # ~17 chunks
             "whole": {"WHOLE_FILE_BYTES": 1000}}


@pytest.mark.parametrize("lenient", [False, True])
@pytest.mark.parametrize("way", sorted(LOAD_WAYS))
def test_each_way_of_loading_gives_the_same_store_as_one_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str, lenient: bool
) -> None:
    text = _many_quads(300)
    whole = publish(_write(tmp_path, "all.nq", text), tmp_path / "a" / "store", {})
    for name, value in LOAD_WAYS[way].items():
        monkeypatch.setattr(load_mod, name, value)
    loaded = publish(_write(tmp_path, "all.nq", text), tmp_path / "b" / "store", {},
                     lenient=lenient)
    assert loaded.manifest == whole.manifest
    assert loaded.manifest["graphs"] == {"": 1, G1: 200, G2: 100}
    assert loaded.manifest["quads"] == 301
    assert loaded.dump_path.read_text(encoding="utf-8") == text
    store = open_read_only(loaded)
    assert len(store) == 301
    rows = store.query(f'ASK {{ GRAPH <{G2}> {{ <https://example.org/s297> ?p "v 297" }} }}')
    assert bool(rows)


@pytest.mark.parametrize("lenient", [False, True])
@pytest.mark.parametrize("way", sorted(LOAD_WAYS))
def test_a_syntax_error_names_the_line_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str, lenient: bool
) -> None:
    link = tmp_path / "store"
    first = publish(_write(tmp_path, "one.nq", NQ_ONE), link, {})
    for name, value in LOAD_WAYS[way].items():
        monkeypatch.setattr(load_mod, name, value)
    lines = _many_quads(100).splitlines(keepends=True)
    lines[76] = "<https://example.org/s> not rdf .\n"  # in a later chunk
    bad = _write(tmp_path, "bad.nq", "".join(lines))
    with pytest.raises(StoreError, match=r"bad\.nq: invalid N-Quads: Parser error at line 77 "):
        publish(bad, link, {}, lenient=lenient)
    assert current_version(link) == first.version
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("way", sorted(LOAD_WAYS))
def test_a_dump_that_changes_while_it_is_published_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    """The file is read twice, to load it and to copy it: a change in between is refused."""
    link = tmp_path / "store"
    first = publish(_write(tmp_path, "one.nq", NQ_ONE), link, {})
    for name, value in LOAD_WAYS[way].items():
        monkeypatch.setattr(load_mod, name, value)
    source = _write(tmp_path, "big.nq", _many_quads(100))
    copy = load_mod._copy_and_hash

    def copy_then_append(path: Path, dump: Path) -> str:  # another writer, after the copy
        sha = copy(path, dump)
        with path.open("a", encoding="utf-8") as fh:
            fh.write("<https://example.org/late> <https://example.org/p> \"x\" .\n")
        return sha

    monkeypatch.setattr(load_mod, "_copy_and_hash", copy_then_append)
    with pytest.raises(StoreError, match=r"big\.nq: the file changed while it was being published"):
        publish(source, link, {})
    assert current_version(link) == first.version
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_same_size_different_content_is_loaded(tmp_path: Path) -> None:
    link = tmp_path / "store"
    first = publish(_write(tmp_path, "one.nq", NQ_ONE), link, {})
    same_size = NQ_ONE.replace('"one"', '"eno"')
    second = publish(_write(tmp_path, "eno.nq", same_size), link, {})
    assert second.version != first.version
    assert second.dump_path.read_text(encoding="utf-8") == same_size
    rows = open_read_only(second).query(f"SELECT ?o WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}")
    assert [r["o"].value for r in rows] == ["eno"]


def test_concurrent_publications_always_leave_a_served_version(tmp_path: Path) -> None:
    """Processes publishing different datasets into one link at once: every one succeeds and
    the link always ends on a version that exists (a prune once deleted a version another
    publication had renamed into place but not yet linked)."""
    import subprocess
    import sys

    link = tmp_path / "race" / "store"
    inputs = [_write(tmp_path, f"{n}.nq", NQ_ONE + f'<https://example.org/s> '
                     f'<https://example.org/p> "{n}" <{G2}> .\n') for n in range(3)]
    script = ("import sys; from pathlib import Path; from entente.graph.store import publish; "
              "publish(Path(sys.argv[1]), Path(sys.argv[2]))")
    for _ in range(8):
        runs = [subprocess.Popen([sys.executable, "-c", script, str(nq), str(link)],
                                 stderr=subprocess.PIPE, text=True) for nq in inputs]
        errors = [run.communicate(timeout=120)[1] for run in runs]
        assert [run.returncode for run in runs] == [0, 0, 0], errors
        info = locate(link)
        assert len(open_read_only(info)) == 3
        assert len(_versions(link.parent)) <= 3


@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM"])
def test_a_stop_while_the_link_is_switched_comes_after_it(tmp_path: Path, name: str) -> None:
    """Ctrl-C or SIGTERM that came while the link was switched cut the switch from what the
    caller commits with it (the build's --out).  Now it is held until both are done, then
    delivered: the version is live and ``then`` ran."""
    import signal

    from entente.errors import Terminated

    link = tmp_path / "store"
    first = publish(_write(tmp_path, "a.nq", NQ_ONE), link)
    number = getattr(signal, name)
    committed = []

    def stop_then_commit() -> None:
        os.kill(os.getpid(), number)
        committed.append(current_version(link))

    def raise_terminated(_signum: int, _frame: object) -> None:
        raise Terminated()

    before = signal.signal(signal.SIGTERM, raise_terminated)  # (as the CLI sets it)
    try:
        with pytest.raises(KeyboardInterrupt):
            publish(_write(tmp_path, "b.nq", NQ_TWO), link, then=stop_then_commit)
    finally:
        signal.signal(signal.SIGTERM, before)
    assert committed == [current_version(link)] and committed[0] != first.version
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back


def test_a_failure_of_what_goes_with_the_switch_says_the_store_is_published(
        tmp_path: Path) -> None:
    """It said "cannot publish store: ...; previous store left unchanged" with the new
    version live (found in review)."""
    link = tmp_path / "store"
    publish(_write(tmp_path, "a.nq", NQ_ONE), link)

    def fail() -> None:
        raise OSError(errno.ENOENT, "No such file or directory")

    with pytest.raises(StoreError) as caught:
        publish(_write(tmp_path, "b.nq", NQ_TWO), link, then=fail)
    live = current_version(link)
    assert str(caught.value) == (f"{link}: the store is published (version {live}), but what "
                                 "goes with it failed: No such file or directory")


@pytest.fixture
def load_processes(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, str]]:
    """Every load below goes to a child process under mimalloc; the list gets the environment
    each child was started with."""
    if load_allocator.mimalloc_library() is None:
        pytest.skip("cmeel-mimalloc is not installed (not Linux on x86_64 or aarch64)")
    monkeypatch.setattr(load_mod, "CHILD_MIN_BYTES", 0)
    started: list[dict[str, str]] = []
    popen = subprocess.Popen

    def spy(args: list[str], **kwargs: object) -> subprocess.Popen:
        started.append(dict(kwargs["env"]))  # type: ignore[call-overload]
        return popen(args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(load_mod.subprocess, "Popen", spy)
    return started


def test_which_allocator_a_load_runs_under(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_allocator, "mimalloc_library", lambda: Path("/lib/libmimalloc.so.3"))
    big = load_mod.CHILD_MIN_BYTES
    assert load_mod.allocator_for(big, "mimalloc") == "mimalloc"
    assert load_mod.allocator_for(big - 1, "mimalloc") == "system"  # the child costs more
    assert load_mod.allocator_for(big, "system") == "system"
    monkeypatch.setattr(load_allocator, "mimalloc_library", lambda: None)  # not installed
    assert load_mod.allocator_for(big, "mimalloc") == "system"
    with pytest.raises(ValueError, match="unknown allocator 'jemalloc'"):
        load_mod.allocator_for(big, "jemalloc")


@pytest.mark.parametrize("lenient", [False, True])
def test_a_load_process_under_mimalloc_gives_the_same_store(
    tmp_path: Path, load_processes: list[dict[str, str]], caplog: pytest.LogCaptureFixture,
    lenient: bool,
) -> None:
    text = _many_quads(300)
    here = publish(_write(tmp_path, "all.nq", text), tmp_path / "a" / "store", {},
                   allocator="system")
    assert load_processes == []
    with caplog.at_level(logging.WARNING):
        child = publish(_write(tmp_path, "all.nq", text), tmp_path / "b" / "store", {},
                        lenient=lenient)
    assert caplog.records == []  # (the child found mimalloc mapped into itself)
    [env] = load_processes
    assert env["LD_PRELOAD"].split()[0] == str(load_allocator.mimalloc_library())
    assert (env["MIMALLOC_PURGE_DELAY"], env["MIMALLOC_ALLOW_LARGE_OS_PAGES"]) == ("-1", "1")
    assert child.manifest == here.manifest
    assert child.manifest["graphs"] == {"": 1, G1: 200, G2: 100}
    assert child.dump_path.read_bytes() == here.dump_path.read_bytes()
    store = open_read_only(child)
    assert len(store) == 301
    assert bool(store.query(f'ASK {{ GRAPH <{G2}> {{ <https://example.org/s297> ?p "v 297" }} }}'))


def test_a_syntax_error_in_a_load_process_names_the_line(
    tmp_path: Path, load_processes: list[dict[str, str]]
) -> None:
    link = tmp_path / "store"
    first = publish(_write(tmp_path, "one.nq", NQ_ONE), link, {}, allocator="system")
    lines = _many_quads(100).splitlines(keepends=True)
    lines[76] = "<https://example.org/s> not rdf .\n"
    bad = _write(tmp_path, "bad.nq", "".join(lines))
    with pytest.raises(StoreError) as caught:
        publish(bad, link, {}, lenient=True)
    assert str(caught.value).startswith(
        f"{bad}: invalid N-Quads: Parser error at line 77 between columns 25 and 28: ")
    assert len(load_processes) == 1
    assert current_version(link) == first.version
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_load_process_that_dies_is_a_store_error_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, load_processes: list[dict[str, str]]
) -> None:
    link = tmp_path / "store"
    first = publish(_write(tmp_path, "one.nq", NQ_ONE), link, {}, allocator="system")
    monkeypatch.setattr(load_mod, "_CHILD_CODE",
                        "import os, signal; os.kill(os.getpid(), signal.SIGKILL)")
    source = _write(tmp_path, "two.nq", NQ_TWO)
    with pytest.raises(StoreError) as caught:
        publish(source, link, {})
    assert str(caught.value) == (
        f"{source}: the load process (mimalloc; ENTENTE_LOAD_ALLOCATOR=system loads in this "
        "process) was killed by SIGKILL: no message")
    assert current_version(link) == first.version
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
