"""``entente query``: run SPARQL or a canned query against the store, in process.

The store is opened read-only; the default graph is the union of all graphs (as on the
server).  Canned-query parameters are bound as SEP-0007 substitutions, never pasted.
Output formats: an aligned ``table`` for people, the SPARQL 1.1 result formats
(json, xml, csv, tsv) for SELECT/ASK, and RDF syntaxes for CONSTRUCT/DESCRIBE.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO

import pyoxigraph
from entente.graph import canned
from entente.graph.namespaces import PREFIXES

from entente.config import Settings
from entente.errors import EntenteError, UsageError
from entente.jsonld import compact as compact_jsonld
from entente.rdfxml import writable_predicate
from entente.sparql_tokens import (
    FORM_EXPECTED,
    after_prologue,
    explained,
    form_word,
    position,
    star_columns,
    star_variables,
)

RESULT_FORMATS = {
    "json": pyoxigraph.QueryResultsFormat.JSON,
    "xml": pyoxigraph.QueryResultsFormat.XML,
    "csv": pyoxigraph.QueryResultsFormat.CSV,
    "tsv": pyoxigraph.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
    "rdfxml": pyoxigraph.RdfFormat.RDF_XML,
    "trig": pyoxigraph.RdfFormat.TRIG,
}
MAX_CELL = 60  # characters per table cell before eliding


def main(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``entente query`` (see ``entente query --help``); returns the exit code."""
    out = sys.stdout
    if args.list:
        out.write(list_text(canned.load_all()))
        return 0
    for flag, given in (("--param", args.param), ("--limit", args.limit),
                        ("--offset", args.offset)):
        if given and not args.canned:
            raise UsageError(f"{flag} only applies to --canned queries")
    text, substitutions = _query_text(args, settings)  # (usage errors before the store's)
    store = _open(settings.store, settings.base)
    binary, words = _Chunks(), io.StringIO()  # (the result, written out once complete)

    def evaluate() -> None:
        nonlocal substitutions
        if args.canned:
            query, lookup = canned.get(args.canned), _lookup(store)
            subs = canned.resolve_labels(query, substitutions, lookup)
            # (an IRI that names nothing answered no rows, which read as "none found")
            canned.check_named(canned.given_iris(
                query, canned.parse_assignments(args.param), subs), lookup)
            substitutions = subs
        results = run(store, text, substitutions)
        try:
            write(results, args.format, binary, words, base=settings.base,
                  star=star_variables(text))
        except (OSError, RuntimeError) as exc:  # the engine cannot write or finish the result
            raise EntenteError(f"cannot write the result as {args.format}: {_one_line(exc)}"
                               ) from None

    _within(evaluate, args.timeout)
    out.write(words.getvalue())
    if binary.chunks:
        target = out.buffer if hasattr(out, "buffer") else None
        out.flush()
        for chunk in binary.chunks:
            if target is not None:
                target.write(chunk)
            else:
                out.write(chunk.decode("utf-8"))
        out.flush()
    return 0


class _Chunks:
    """A binary stream that keeps what is written as it is (no copy into a buffer: a 1M
    SELECT's JSON is 265 MB)."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(data)
        return len(data)

    def flush(self) -> None:
        pass


def _within(job: Callable[[], None], seconds: float | None) -> None:
    """Run ``job`` on a daemon thread and wait for it, at most ``seconds`` (None: no limit,
    the default of ``entente query``: an export of every triple of a 10M store takes a
    minute; the server has its limit and a row cap).

    The engine lets go of the interpreter while it evaluates, so this thread hears Ctrl-C and
    SIGTERM meanwhile: in the main thread a cross join ran on for minutes after them.  A job
    that runs out of time or is interrupted is left to the process's exit, which ends its
    thread (the store is read-only); its result is never written, so the output is whole or
    absent."""
    failure: list[BaseException] = []
    done: list[bool] = []

    def target() -> None:
        try:
            job()
            done.append(True)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
            # (the engine's result objects may be dropped only by the thread that made them:
            # the tracebacks, whose frames hold them, are let go of here, and an unexpected
            # error keeps its traceback as text)
            if not isinstance(exc, EntenteError):
                exc.add_note("".join(traceback.format_exception(exc)).rstrip())
            chained: list[BaseException] = []
            pending: list[BaseException | None] = [exc]
            while pending:  # (both links of each: a cause and a context may both be set)
                link = pending.pop()
                if link is None or link in chained:
                    continue
                chained.append(link)
                link.__traceback__ = None
                pending += [link.__cause__, link.__context__]
            failure.append(exc)

    worker = threading.Thread(target=target, name="entente-query", daemon=True)
    worker.start()
    deadline = None if seconds is None else time.monotonic() + seconds
    while worker.is_alive():
        left = 0.25 if deadline is None else deadline - time.monotonic()
        if left <= 0:
            raise EntenteError(f"the query ran out of its {seconds:g} s time limit (--timeout)")
        worker.join(min(left, 0.25))
    if failure:
        raise failure[0]
    if not done:  # (the handler itself failed: no result, and no error to show)
        raise EntenteError("the query stopped without a result or an error")


def _query_text(args: argparse.Namespace, settings: Settings) -> tuple[str, dict[str, tuple]]:
    """The query text and its substitutions (a canned query's labels still to look up:
    :func:`entente.graph.canned.resolve_labels`)."""
    if args.canned:
        query = canned.get(args.canned)
        values = canned.parse_assignments(args.param)
        substitutions = canned.bind(query, values, settings.base)
        limit, offset = canned.page({"limit": args.limit, "offset": args.offset})
        # (a variant is chosen by which parameters are bound, which labels do not change)
        return canned.paged(query.text_for(substitutions), limit, offset), substitutions
    if args.file is not None:
        path = Path(args.file)
        try:
            return path.read_text(encoding="utf-8-sig"), {}  # (a byte-order mark dropped)
        except FileNotFoundError:
            raise EntenteError(f"{path}: no such query file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise EntenteError(f"{path}: cannot read query: {exc}") from None
    return args.sparql, {}


def _lookup(store: pyoxigraph.Store) -> canned.Lookup:
    def lookup(text: str, substitutions: dict[str, tuple]) -> list[str]:
        rows = store.query(text, use_default_graph_as_union=True,
                           substitutions=canned.to_pyoxigraph(substitutions))
        return [row["e"].value for row in rows]
    return lookup


def _open(store_path: Path, base: str) -> pyoxigraph.Store:
    from entente.graph.store import locate, open_read_only

    return open_read_only(locate(store_path, base))


def run(
    store: pyoxigraph.Store, text: str, substitutions: dict[str, tuple] | None = None
) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples:
    """Evaluate ``text`` over the union default graph with the given substitutions.

    The project's well-known prefixes (ent:, skos:, prov:, nif: ...) are predeclared, as the
    Wikidata Query Service does; a PREFIX in the query overrides them.
    """
    from entente.graph.namespaces import PREFIXES

    form = form_word(text)
    if form is None:  # (the engine's own message points past the first word: "expected CONSTRUCT")
        raise EntenteError(f"query syntax error: error at "
                           f"{position(text, after_prologue(text))}: {FORM_EXPECTED}")
    if form == "UPDATE":
        raise EntenteError("entente query runs queries, not updates: the store is read-only "
                           "(entente build writes it; a server takes updates at /update when "
                           "ENTENTE_UPDATE_ENABLED is set)")
    try:
        return store.query(
            text,
            prefixes=PREFIXES,
            use_default_graph_as_union=True,
            substitutions=canned.to_pyoxigraph(substitutions or {}) or None,
        )
    except SyntaxError as exc:
        clearer = explained(text, str(exc), PREFIXES)  # (an undeclared prefix, no BASE)
        if clearer is not None:
            raise EntenteError(f"query syntax error: error at {position(text, clearer[1])}: "
                               f"{clearer[0]}") from None
        raise EntenteError(f"query syntax error: {_one_line(exc)}") from None
    except (RuntimeError, OSError) as exc:
        raise EntenteError(f"query failed: {_one_line(exc)}") from None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def write(
    results: pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples,
    fmt: str,
    binary: IO[bytes] | None,
    text: IO[str],
    base: str,
    star: Sequence[str] | None = None,
) -> None:
    """Write ``results`` in ``fmt`` (binary formats to ``binary`` when given).  ``star``: the
    variables of a ``SELECT *`` in the order the query names them
    (:func:`entente.sparql_tokens.star_variables`), the order of its columns, as the server
    gives them."""
    prefixes = {**PREFIXES, "id": base + "id/"}
    if isinstance(results, pyoxigraph.QueryTriples):
        if fmt in RESULT_FORMATS:
            raise UsageError(f"--format {fmt} is for SELECT/ASK; a graph query needs "
                             f"one of: table, {', '.join(GRAPH_FORMATS)}")
        if fmt == "table":
            rows = [(t.subject, t.predicate, t.object) for t in results]
            text.write(table(["subject", "predicate", "object"], rows, prefixes))
            return
        graph_prefixes = prefixes if fmt in ("turtle", "trig") else None
        triples = list(results)
        if fmt == "rdfxml":  # (a predicate is an element name there: the server's 406)
            for triple in triples:
                if not writable_predicate(triple.predicate.value):
                    raise EntenteError(
                        f"cannot write this result as rdfxml: the predicate "
                        f"<{triple.predicate.value[:80]}> ends in no XML name (RDF/XML writes "
                        f"a predicate as an element name); use turtle, ntriples or jsonld")
        data = pyoxigraph.serialize(triples, format=GRAPH_FORMATS[fmt],
                                    prefixes=graph_prefixes) or b""
        if fmt == "jsonld":  # pyoxigraph writes it expanded
            data = compact_jsonld(data or b"[]", prefixes)
        _emit(_xml_carriage_returns(data) if fmt == "rdfxml" else data, binary, text)
        return
    if fmt in GRAPH_FORMATS:
        raise UsageError(f"--format {fmt} needs a CONSTRUCT or DESCRIBE query; "
                         f"use one of: table, {', '.join(RESULT_FORMATS)}")
    if isinstance(results, pyoxigraph.QueryBoolean):
        if fmt == "table":
            text.write("true\n" if bool(results) else "false\n")
            return
        if fmt in ("csv", "tsv"):  # as /sparql writes it (docs/server.md): a one-column
            # table, as Jena does; pyoxigraph writes the bare word, which no CSV reader names
            word = "true" if bool(results) else "false"
            data = f"_askResult\r\n{word}\r\n" if fmt == "csv" else f"?_askResult\n{word}\n"
            _emit(data.encode(), binary, text)
            return
        _emit(results.serialize(format=RESULT_FORMATS[fmt]), binary, text)
        return
    names = [v.value for v in results.variables]
    columns = star_columns(names, star)
    ordered = [names[i] for i in columns] if columns is not None else None
    if fmt == "table":
        names = ordered or names
        rows = [tuple(solution[name] for name in names) for solution in results]
        text.write(table(names, rows, prefixes))
        return
    if ordered:  # the columns in the query's order: the engine's JSON with its head reordered
        document = json.loads(results.serialize(format=pyoxigraph.QueryResultsFormat.JSON))
        document["head"]["vars"] = ordered
        results = pyoxigraph.parse_query_results(
            json.dumps(document).encode(), format=pyoxigraph.QueryResultsFormat.JSON)
    data = results.serialize(format=RESULT_FORMATS[fmt])
    _emit(_xml_carriage_returns(data) if fmt == "xml" else data, binary, text)


def _xml_carriage_returns(data: bytes) -> bytes:
    """pyoxigraph's XML (SPARQL results, RDF/XML) with each carriage return of a value written
    as ``&#13;``: a parser reads a raw one as a line feed (XML 1.0, 2.11), and the value would
    come back changed.  Only a literal holds one: the writers lay out with line feeds."""
    return data.replace(b"\r", b"&#13;")


def _emit(data: bytes, binary: IO[bytes] | _Chunks | None, text: IO[str]) -> None:
    end = b"" if data.endswith(b"\n") else b"\n"  # (not data + end: a copy of all of it)
    if binary is not None:
        text.flush()
        binary.write(data)
        if end:
            binary.write(end)
        binary.flush()
    else:
        text.write(data.decode("utf-8") + end.decode())


def compact(term: object, prefixes: dict[str, str]) -> str:
    """A short, readable rendering of an RDF term for the table."""
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.NamedNode):
        best = max(
            ((p, ns) for p, ns in prefixes.items() if term.value.startswith(ns)),
            key=lambda item: len(item[1]),
            default=None,
        )
        if best is not None:
            local = term.value[len(best[1]):]
            if local and all(c.isalnum() or c in "-_./" for c in local):
                return f"{best[0]}:{local}"
        return f"<{term.value}>"
    if isinstance(term, pyoxigraph.Literal):
        return term.value
    return str(term)


def table(names: Sequence[str], rows: Iterable[Sequence[object]], prefixes: dict[str, str]) -> str:
    """Rows as aligned text columns, with a header, a rule and a row count."""
    cells = [[_cell(compact(term, prefixes)) for term in row] for row in rows]
    widths = [len(n) for n in names]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    count = len(cells)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(lines) + "\n"


def _cell(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= MAX_CELL else value[: MAX_CELL - 1] + "…"


def list_text(queries: dict[str, canned.CannedQuery]) -> str:
    """The ``--list`` output: name, title and parameters of every canned query."""
    lines = []
    for name, query in queries.items():
        lines.append(f"{name}: {query.title}")
        for p in query.params:
            extra = []
            if p.values:
                extra.append("one of " + "|".join(p.values))
            if p.default is not None:
                extra.append(f"default {p.default}")
            if p.required:
                extra.append("required")
            suffix = f" ({'; '.join(extra)})" if extra else ""
            lines.append(f"    --param {p.name}=<{p.type}>{suffix}  {p.description}".rstrip())
    return "\n".join(lines) + "\n"
