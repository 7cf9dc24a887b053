"""Argument types and shared flags of the ``entente`` command line.

The ``type=`` callables turn one command-line string into a value or refuse it with an
``argparse.ArgumentTypeError`` (argparse then exits 2 with the message); ``add_store_flag`` and
``add_base_iri_flag`` declare the ``--store`` and ``--base-iri`` flags several subcommands share.
The subcommands themselves are declared in :mod:`entente.cli_commands`.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path


def add_store_flag(p: argparse.ArgumentParser | argparse._MutuallyExclusiveGroup) -> None:
    p.add_argument(
        "--store",
        type=path_arg,
        default=None,
        metavar="DIR",
        help="store directory (default: $ENTENTE_STORE or var/store, written by 'entente build')",
    )


def add_store_or_data_flags(p: argparse.ArgumentParser, data_help: str) -> None:
    """``--store DIR`` or ``--data FILE``, not both (a command that reads the store or a file)."""
    source = p.add_mutually_exclusive_group()
    add_store_flag(source)
    source.add_argument("--data", type=path_arg, default=None, metavar="FILE", help=data_help)


def add_base_iri_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--base-iri",
        default=None,
        metavar="IRI",
        help="base IRI of minted resources (default: $ENTENTE_BASE_IRI or https://entente.example.org/)",
    )


def path_arg(text: str) -> Path:
    """A path argument; an empty one is refused (Path("") is the current directory: an empty
    --corpus once built whatever folder the command ran in)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return Path(text)


def positive_int(text: str) -> int:
    """A whole number of at least 1 ("abc", "2.5" and "0" are refused alike)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def shard_arg(text: str) -> tuple[int, int]:
    """``K/N``: the K-th of N shards of the corpus (``graph.corpus.parse_shard``)."""
    from entente.graph.corpus import parse_shard

    try:
        return parse_shard(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def positive_float(text: str) -> float:
    """A finite number above 0 ("abc", "nan", "inf" and "-1" are refused alike)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value

