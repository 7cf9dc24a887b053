"""The subcommands of the ``entente`` command line, one function each.

Each ``add_<command>(sub)`` declares that subcommand's parser and flags (their types and the
shared ``--store`` / ``--base-iri`` flags come from :mod:`entente.cli_args`); its work is done
by the module its handler names, imported lazily by :func:`_lazy` only when the command runs,
so ``entente --help`` stays cheap and complete. :data:`COMMANDS` lists them in the order
``entente --help`` shows them; :func:`entente.cli.build_parser` adds each in turn.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from pathlib import Path

from entente.cli_args import (
    add_base_iri_flag,
    add_store_flag,
    add_store_or_data_flags,
    path_arg,
    positive_float,
    positive_int,
    shard_arg,
)
from entente.config import Settings

Handler = Callable[[argparse.Namespace, Settings], int]
Subparsers = argparse._SubParsersAction


# --- handlers: each command's implementation, imported only when the command runs -------


def _lazy(module: str) -> Handler:
    """A handler that imports ``module`` (cheap ``--help``) and calls its ``main``."""

    def handler(args: argparse.Namespace, settings: Settings) -> int:
        main: Handler = importlib.import_module(module).main
        return main(args, settings)

    return handler


# --- the subcommands, in the order of ``entente --help`` ---------------------------------


def add_build(sub: Subparsers) -> None:
    p = sub.add_parser("build", help="extract the corpus into the RDF dataset and the store")
    p.add_argument(
        "--corpus",
        type=path_arg,
        default=None,
        metavar="DIR",
        help="folder of .txt documents and optional metadata.json (default: $ENTENTE_CORPUS "
        "or corpus)",
    )
    add_store_flag(p)
    p.add_argument(
        "--out",
        type=path_arg,
        default=None,
        metavar="FILE",
        help="also write the dataset here (.nq for N-Quads, .trig for TriG)",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="fail the build on any bad document instead of skipping it",
    )
    p.add_argument(
        "--workers",
        type=positive_int,
        default=None,
        metavar="N",
        help="extract documents in N processes (default: $ENTENTE_BUILD_WORKERS or 1)",
    )
    p.add_argument(
        "--no-reason",
        action="store_true",
        help="skip OWL reasoning (the inferred graph is then empty)",
    )
    p.add_argument(
        "--shard",
        type=shard_arg,
        default=None,
        metavar="K/N",
        help="build only shard K of N of the corpus (documents split by a hash of their file "
        "name), to merge with 'entente push --data'; see docs/scaling.md",
    )
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p.add_argument(
        "--timings",
        type=path_arg,
        default=None,
        metavar="FILE",
        help="write the seconds per build stage and the extraction throughput as JSON "
        "to FILE ('-': a last line on stdout); see docs/extraction.md",
    )
    add_base_iri_flag(p)
    p.set_defaults(handler=_lazy("entente.graph.build"))


def add_serve(sub: Subparsers) -> None:
    p = sub.add_parser(
        "serve", help="serve the store over SPARQL and HTTP (production WSGI server)"
    )
    add_store_flag(p)
    p.add_argument("--host", default=None,
                   help="interface to bind (default: $ENTENTE_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default: $ENTENTE_PORT or 8000)")
    p.add_argument(
        "--workers",
        type=positive_int,
        default=None,
        metavar="N",
        help="WSGI worker processes (default: $ENTENTE_WORKERS or 2)",
    )
    p.add_argument(
        "--threads",
        type=positive_int,
        default=None,
        metavar="N",
        help="threads per worker (default: $ENTENTE_THREADS or 8)",
    )
    p.add_argument(
        "--query-timeout",
        type=positive_float,
        default=None,
        metavar="SECONDS",
        help="per-query time limit (default: $ENTENTE_QUERY_TIMEOUT or 30)",
    )
    p.add_argument(
        "--max-rows",
        type=positive_int,
        default=None,
        metavar="N",
        help="result-row cap (default: $ENTENTE_MAX_ROWS or 10000)",
    )
    p.add_argument(
        "--backend",
        default=None,
        metavar="URL",
        help="serve from this remote SPARQL 1.1 query endpoint instead of the store "
        "(default: $ENTENTE_BACKEND; see docs/scaling.md)",
    )
    add_base_iri_flag(p)
    p.set_defaults(handler=_lazy("entente.server.serve"))


def add_push(sub: Subparsers) -> None:
    p = sub.add_parser(
        "push", help="publish the built dataset to a remote SPARQL 1.1 store, one named graph "
        "replaced at a time (Graph Store PUT, or SPARQL Update without --graph-store)"
    )
    source = p.add_mutually_exclusive_group()
    add_store_flag(source)
    p.add_argument(
        "--endpoint",
        default=None,
        metavar="URL",
        help="the remote's SPARQL query endpoint (default: $ENTENTE_BACKEND)",
    )
    p.add_argument(
        "--update-endpoint",
        default=None,
        metavar="URL",
        help="SPARQL Update endpoint (default: $ENTENTE_BACKEND_UPDATE or --endpoint)",
    )
    p.add_argument(
        "--graph-store",
        default=None,
        metavar="URL",
        help="Graph Store HTTP Protocol endpoint (default: $ENTENTE_BACKEND_GRAPH_STORE); "
        "without it SPARQL Update is used",
    )
    p.add_argument("--user", default=None, help="user name ($ENTENTE_BACKEND_USER)")
    p.add_argument("--password", default=None, help="password (better: $ENTENTE_BACKEND_PASSWORD)")
    p.add_argument("--token", default=None, help="Bearer token ($ENTENTE_BACKEND_TOKEN)")
    p.add_argument(
        "--auth",
        choices=["basic", "digest"],
        default=None,
        help="HTTP authentication for --user (default: $ENTENTE_BACKEND_AUTH or basic)",
    )
    source.add_argument(
        "--data",
        type=path_arg,
        action="append",
        default=None,
        metavar="FILE|DIR",
        help="push these N-Quads files, or every .nq in DIR (repeatable; e.g. one per worker "
        "build, merged: a shared graph must be identical in each) instead of the store",
    )
    p.add_argument(
        "--batch",
        type=positive_int,
        default=None,
        metavar="N",
        help="triples per request (default: $ENTENTE_PUSH_BATCH, else 10000 for the Graph "
        "Store, 1000 for SPARQL Update)",
    )
    p.add_argument(
        "--prune",
        action="store_true",
        help="also remove remote graphs under {base}graph/ that the dataset does not have",
    )
    p.add_argument("--quiet", action="store_true", help="no progress output")
    add_base_iri_flag(p)
    p.set_defaults(handler=_lazy("entente.graph.push"))


def add_query(sub: Subparsers) -> None:
    p = sub.add_parser("query", help="run a SPARQL query or a canned query against the store")
    add_store_flag(p)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("sparql", nargs="?", default=None, help="SPARQL query text")
    src.add_argument("--file", type=path_arg, default=None, help="read the query from a file")
    src.add_argument(
        "--canned", default=None, metavar="NAME", help="run canned query NAME (see --list)"
    )
    src.add_argument("--list", action="store_true", help="list the canned queries")
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="canned-query parameter (repeatable)",
    )
    p.add_argument("--limit", default=None, metavar="N",
                   help="canned query: at most N rows (as ?limit= on the server)")
    p.add_argument("--offset", default=None, metavar="N",
                   help="canned query: skip the first N rows of its order")
    p.add_argument("--timeout", type=positive_float, default=None, metavar="SECONDS",
                   help="time limit of the query (default: none; Ctrl-C stops it)")
    p.add_argument(
        "--format",
        default="table",
        choices=[
            "table",
            "json",
            "xml",
            "csv",
            "tsv",
            "turtle",
            "ntriples",
            "nquads",
            "jsonld",
            "rdfxml",
            "trig",
        ],
        help="output format (default: table)",
    )
    add_base_iri_flag(p)
    p.set_defaults(handler=_lazy("entente.graph.query_cli"))


def add_reason(sub: Subparsers) -> None:
    p = sub.add_parser("reason", help="check OWL consistency and materialise inferences (HermiT)")
    add_store_or_data_flags(p, "reason over this RDF file (with the ontology) instead of the store")
    p.add_argument("--reasoner", choices=["hermit", "pellet"], default="hermit",
                   help="the OWL reasoner owlready2 runs (Java; default: hermit)")
    p.add_argument(
        "--out",
        type=path_arg,
        default=None,
        metavar="FILE",
        help="write the inferred triples (N-Triples) here",
    )
    add_base_iri_flag(p)
    p.set_defaults(handler=_lazy("entente.graph.reason"))


def add_validate(sub: Subparsers) -> None:
    p = sub.add_parser("validate", help="validate the graph against the SHACL shapes (pySHACL)")
    add_store_or_data_flags(p, "validate this RDF file instead of the store")
    p.add_argument(
        "--shapes",
        type=path_arg,
        default=None,
        metavar="FILE",
        help="shapes graph (default: the bundled ontology/shapes.ttl)",
    )
    p.add_argument(
        "--inference",
        choices=("none", "rdfs"),
        default="none",
        help="entailment applied to data + ontology before validating (default: none)",
    )
    add_base_iri_flag(p)
    p.set_defaults(handler=_lazy("entente.graph.validate"))


def add_eval(sub: Subparsers) -> None:
    p = sub.add_parser("eval", help="precision and recall of the extraction against a gold file")
    add_store_flag(p)
    p.add_argument(
        "--gold",
        type=path_arg,
        default=Path("tests/gold/gold.jsonl"),
        metavar="FILE",
        help="gold facts, JSON lines (default: tests/gold/gold.jsonl)",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    add_base_iri_flag(p)
    p.set_defaults(handler=_lazy("entente.graph.evaluate"))


def add_bench(sub: Subparsers) -> None:
    p = sub.add_parser(
        "bench", help="run the benchmark harness in bench/ (see README, Performance)"
    )
    p.add_argument("--quick", action="store_true",
                   help="smoke run of every stage at small sizes (~1 minute; CI runs it once)")
    p.add_argument(
        "--sizes",
        default=None,
        metavar="LIST",
        help="comma-separated triple counts, e.g. 100000,1000000,10000000",
    )
    p.add_argument(
        "--out",
        type=path_arg,
        default=Path("bench/results"),
        metavar="DIR",
        help="where to write JSON and charts (default: bench/results)",
    )
    p.add_argument(
        "--only",
        choices=("build", "sizes"),
        default=None,
        help="run only the build stage, or only the per-size stages",
    )
    p.add_argument(
        "--reuse",
        type=path_arg,
        default=None,
        metavar="FILE",
        help="with --only: take the stages not run from this earlier results JSON",
    )
    p.set_defaults(handler=_lazy("entente.bench_cli"))


def add_soak(sub: Subparsers) -> None:
    p = sub.add_parser("soak", help="sustained load on a loopback server (docs/reliability.md)")
    add_store_flag(p)
    p.add_argument(
        "--duration",
        type=positive_float,
        default=60.0,
        metavar="SECONDS",
        help="length of the load phase (default: 60)",
    )
    p.add_argument(
        "--clients",
        type=positive_int,
        default=32,
        metavar="N",
        help="concurrent clients (default: 32)",
    )
    p.add_argument(
        "--runaway",
        type=int,
        default=20,
        metavar="N",
        help="concurrent runaway queries in the second phase (default: 20; 0 = skip)",
    )
    p.add_argument(
        "--query-timeout",
        type=positive_float,
        default=2.0,
        metavar="SECONDS",
        help="time limit of the server it starts (default: 2)",
    )
    p.add_argument(
        "--url", default=None, help="soak a running server on loopback instead of starting one"
    )
    p.add_argument(
        "--out", type=path_arg, default=None, metavar="FILE", help="also write the JSON report here"
    )
    p.set_defaults(handler=_lazy("entente.soak"))


COMMANDS: tuple[Callable[[Subparsers], None], ...] = (
    add_build, add_serve, add_push, add_query, add_reason, add_validate, add_eval, add_bench,
    add_soak,
)
