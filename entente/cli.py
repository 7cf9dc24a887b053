"""The ``entente`` command line.

Every subcommand is declared here (so ``entente --help`` is cheap and complete);
its work is done by a function in the package that owns it, imported lazily.
Exit codes: 0 success, 1 failure of the job, 2 bad usage.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from entente import __version__
from entente.config import Settings
from entente.errors import EntenteError, UsageError

Handler = Callable[[argparse.Namespace, Settings], int]


def _store_arg(p: argparse.ArgumentParser | argparse._MutuallyExclusiveGroup) -> None:
    p.add_argument(
        "--store",
        type=_path,
        default=None,
        metavar="DIR",
        help="store directory (default: $ENTENTE_STORE or var/store, written by 'entente build')",
    )


def _base_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--base-iri",
        default=None,
        metavar="IRI",
        help="base IRI of minted resources (default: $ENTENTE_BASE_IRI or https://entente.example.org/)",
    )


def _path(text: str) -> Path:
    """A path argument; an empty one is refused (Path("") is the current directory: an empty
    --corpus once built whatever folder the command ran in)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return Path(text)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _shard(text: str) -> tuple[int, int]:
    from entente.graph.corpus import parse_shard

    try:
        return parse_shard(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


# --- handlers: each command's implementation, imported only when the command runs -------


def _lazy(module: str) -> Handler:
    """A handler that imports ``module`` (cheap ``--help``) and calls its ``main``."""

    def handler(args: argparse.Namespace, settings: Settings) -> int:
        main: Handler = importlib.import_module(module).main
        return main(args, settings)

    return handler


class _Parser(argparse.ArgumentParser):
    """argparse with the CLI's error contract: a usage error is one line on stderr, exit 2
    (argparse's default prints the whole usage first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="entente",
        description="Entente: an evidence-backed knowledge graph of international relations.",
        epilog="Settings come from ENTENTE_* environment variables (see README, Configuration); "
        "flags override them. Exit codes: 0 success, 1 failure, 2 bad usage.",
    )
    parser.add_argument("--version", action="version", version=f"entente {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("build", help="extract the corpus into the RDF dataset and the store")
    p.add_argument(
        "--corpus",
        type=_path,
        default=None,
        metavar="DIR",
        help="folder of .txt documents and optional metadata.json (default: corpus)",
    )
    _store_arg(p)
    p.add_argument(
        "--out",
        type=_path,
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
        type=_positive_int,
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
        type=_shard,
        default=None,
        metavar="K/N",
        help="build only shard K of N of the corpus (documents split by a hash of their file "
        "name), to merge with 'entente push --data'; see docs/scaling.md",
    )
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p.add_argument(
        "--timings",
        type=_path,
        default=None,
        metavar="FILE",
        help="write the seconds per build stage and the extraction throughput as JSON "
        "to FILE ('-': a last line on stdout); see docs/extraction.md",
    )
    _base_arg(p)
    p.set_defaults(handler=_lazy("entente.graph.build"))

    p = sub.add_parser(
        "serve", help="serve the store over SPARQL and HTTP (production WSGI server)"
    )
    _store_arg(p)
    p.add_argument("--host", default=None, help="interface to bind (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default: 8000)")
    p.add_argument(
        "--workers",
        type=_positive_int,
        default=None,
        metavar="N",
        help="WSGI worker processes (default: 2)",
    )
    p.add_argument(
        "--threads",
        type=_positive_int,
        default=None,
        metavar="N",
        help="threads per worker (default: 8)",
    )
    p.add_argument(
        "--query-timeout",
        type=_positive_float,
        default=None,
        metavar="SECONDS",
        help="per-query time limit (default: 30)",
    )
    p.add_argument(
        "--max-rows",
        type=_positive_int,
        default=None,
        metavar="N",
        help="result-row cap (default: 10000)",
    )
    p.add_argument(
        "--backend",
        default=None,
        metavar="URL",
        help="serve from this remote SPARQL 1.1 query endpoint instead of the store "
        "(default: $ENTENTE_BACKEND; see docs/scaling.md)",
    )
    _base_arg(p)
    p.set_defaults(handler=_lazy("entente.server.serve"))

    p = sub.add_parser(
        "push", help="publish the built dataset to a remote SPARQL 1.1 store, one named graph "
        "replaced at a time (Graph Store PUT, or SPARQL Update without --graph-store)"
    )
    source = p.add_mutually_exclusive_group()
    _store_arg(source)
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
        help="Graph Store HTTP Protocol endpoint; without it SPARQL Update is used",
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
        type=_path,
        action="append",
        default=None,
        metavar="FILE|DIR",
        help="push these N-Quads files, or every .nq in DIR (repeatable; e.g. one per worker "
        "build, merged: a shared graph must be identical in each) instead of the store",
    )
    p.add_argument(
        "--batch",
        type=_positive_int,
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
    _base_arg(p)
    p.set_defaults(handler=_lazy("entente.graph.push"))

    p = sub.add_parser("query", help="run a SPARQL query or a canned query against the store")
    _store_arg(p)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("sparql", nargs="?", default=None, help="SPARQL query text")
    src.add_argument("--file", type=_path, default=None, help="read the query from a file")
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
    _base_arg(p)
    p.set_defaults(handler=_lazy("entente.graph.query_cli"))

    p = sub.add_parser("reason", help="check OWL consistency and materialise inferences (HermiT)")
    source = p.add_mutually_exclusive_group()
    _store_arg(source)
    source.add_argument(
        "--data",
        type=_path,
        default=None,
        metavar="FILE",
        help="reason over this RDF file (with the ontology) instead of the store",
    )
    p.add_argument("--reasoner", choices=["hermit", "pellet"], default="hermit")
    p.add_argument(
        "--out",
        type=_path,
        default=None,
        metavar="FILE",
        help="write the inferred triples (N-Triples) here",
    )
    _base_arg(p)
    p.set_defaults(handler=_lazy("entente.graph.reason"))

    p = sub.add_parser("validate", help="validate the graph against the SHACL shapes (pySHACL)")
    source = p.add_mutually_exclusive_group()
    _store_arg(source)
    source.add_argument(
        "--data",
        type=_path,
        default=None,
        metavar="FILE",
        help="validate this RDF file instead of the store",
    )
    p.add_argument(
        "--shapes",
        type=_path,
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
    _base_arg(p)
    p.set_defaults(handler=_lazy("entente.graph.validate"))

    p = sub.add_parser("eval", help="precision and recall of the extraction against a gold file")
    _store_arg(p)
    p.add_argument(
        "--gold",
        type=_path,
        default=Path("tests/gold/gold.jsonl"),
        metavar="FILE",
        help="gold facts, JSON lines (default: tests/gold/gold.jsonl)",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    _base_arg(p)
    p.set_defaults(handler=_lazy("entente.graph.evaluate"))

    p = sub.add_parser(
        "bench", help="run the benchmark harness in bench/ (see README, Performance)"
    )
    p.add_argument("--quick", action="store_true", help="seconds-long smoke run (what CI runs)")
    p.add_argument(
        "--sizes",
        default=None,
        metavar="LIST",
        help="comma-separated triple counts, e.g. 100000,1000000,10000000",
    )
    p.add_argument(
        "--out",
        type=_path,
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
        type=_path,
        default=None,
        metavar="FILE",
        help="with --only: take the stages not run from this earlier results JSON",
    )
    p.set_defaults(handler=_lazy("entente.bench_cli"))

    p = sub.add_parser("soak", help="sustained load on a loopback server (docs/reliability.md)")
    _store_arg(p)
    p.add_argument(
        "--duration",
        type=_positive_float,
        default=60.0,
        metavar="SECONDS",
        help="length of the load phase (default: 60)",
    )
    p.add_argument(
        "--clients",
        type=_positive_int,
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
        type=_positive_float,
        default=2.0,
        metavar="SECONDS",
        help="time limit of the server it starts (default: 2)",
    )
    p.add_argument(
        "--url", default=None, help="soak a running server on loopback instead of starting one"
    )
    p.add_argument(
        "--out", type=_path, default=None, metavar="FILE", help="also write the JSON report here"
    )
    p.set_defaults(handler=_lazy("entente.soak"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(
            store=getattr(args, "store", None),
            base_iri=getattr(args, "base_iri", None),
        )
    except ValueError as exc:  # a bad ENTENTE_* value
        print(f"entente {args.command}: error: {exc}", file=sys.stderr)
        return 2
    handler: Handler = args.handler
    try:
        return handler(args, settings)
    except UsageError as exc:
        print(f"entente {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except EntenteError as exc:
        print(f"entente {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"entente {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
