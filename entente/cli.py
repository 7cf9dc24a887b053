"""The ``entente`` command line.

Every subcommand is declared in :mod:`entente.cli_commands` (one function each; the argument
types and shared flags are in :mod:`entente.cli_args`), so ``entente --help`` is cheap and
complete; its work is done by a function in the package that owns it, imported lazily.
Exit codes: 0 success, 1 failure of the job, 2 bad usage, 130 Ctrl-C, 143 SIGTERM.
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import sys
from collections.abc import Sequence
from typing import NoReturn

from entente import __version__
from entente.cli_commands import COMMANDS, Handler
from entente.config import Settings
from entente.errors import EntenteError, Terminated, UsageError


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
        "flags override them. Exit codes: 0 success, 1 failure, 2 bad usage, 130 interrupted "
        "(Ctrl-C), 143 terminated (SIGTERM).",
    )
    parser.add_argument("--version", action="version", version=f"entente {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add_command in COMMANDS:
        add_command(sub)
    return parser


def _subparser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    """The parser of the subcommand ``command``."""
    for action in parser._actions:  # noqa: SLF001 (argparse keeps its subparsers only here)
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            return action.choices[command]
    return parser


def _negative_shard_attached(argv: list[str]) -> list[str]:
    """``--shard -1/2`` as ``--shard=-1/2``: argparse takes a value that starts with "-" and
    is not a plain number for an option, and said "expected one argument" instead of what
    is wrong with the shard."""
    for i, arg in enumerate(argv[:-1]):
        if arg == "--shard" and argv[i + 1][:1] == "-" and argv[i + 1][1:2].isdigit():
            return [*argv[:i], f"--shard={argv[i + 1]}", *argv[i + 2:]]
    return argv


def main(argv: Sequence[str] | None = None, *, console: bool = False) -> int:
    """Run the command ``argv`` names; its exit code.  ``console`` (the console script):
    the command's SIGTERM handler is left in place at the end, for :func:`run`."""
    parser = build_parser()
    args, unknown = parser.parse_known_args(_negative_shard_attached(
        list(sys.argv[1:] if argv is None else argv)))
    if unknown:  # (the subcommand's parser says so: 'entente build: error: ...')
        _subparser(parser, args.command).error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        settings = Settings.from_env(
            store=getattr(args, "store", None),
            base_iri=getattr(args, "base_iri", None),
        )
    except ValueError as exc:  # a bad ENTENTE_* value
        print(f"entente {args.command}: error: {exc}", file=sys.stderr)
        return 2
    if sys.stdout is None:  # started with stdout closed (`>&-`): Python then prints nothing
        result_out = str(getattr(args, "timings", None)) == "-" \
            or args.command not in _STDOUT_OPTIONAL and getattr(args, "out", None) is None
        if result_out:
            print(f"entente {args.command}: error: standard output is closed: nowhere to "
                  "write the result (redirect it to a file, or to /dev/null)", file=sys.stderr)
            return 1
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (for the process)
    elif isinstance(sys.stdout, io.TextIOWrapper):
        # a file name that is not UTF-8 (Python holds its bytes as lone surrogates) is written
        # back as those bytes: with a UTF-8 locale's "strict", 'wrote <name>' was a traceback
        sys.stdout.reconfigure(errors="surrogateescape")
    handler: Handler = args.handler
    previous = signal.getsignal(signal.SIGTERM)
    previous_int = signal.getsignal(signal.SIGINT)
    # (serve's server sets its own once it starts: exit 0 on SIGTERM; before, as any command)
    _terminate_as_interrupt()
    try:
        return handler(args, settings)
    except UsageError as exc:
        print(f"entente {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except EntenteError as exc:
        print(f"entente {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (`entente query ... | head`): no more output
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:  # what the system refuses where no job expects it (a path with a
        # name too long, a full disk ...): one line, as every error here (no traceback)
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"entente {args.command}: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        # (a second Ctrl-C, or the one a terminal's group sends after the first, must not
        # break the exit: it joins the threads that stopped the workers)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if isinstance(exc, Terminated):
            print(f"entente {args.command}: terminated", file=sys.stderr)
            return 128 + signal.SIGTERM
        print(f"entente {args.command}: interrupted", file=sys.stderr)
        return 130
    finally:
        if not console:  # (for a caller in this process, a test: the stop handling above
            # ignored both signals; a later Ctrl-C test in that process then saw none)
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
            if previous_int is not None:
                signal.signal(signal.SIGINT, previous_int)


def run() -> NoReturn:
    """The ``entente`` console script and ``python -m entente``: :func:`main`, then SIGINT
    and SIGTERM ignored while the interpreter exits.  The command is done; its finalization
    resets Python's handlers to the default, and a stop in those last milliseconds killed a
    build that had published its store, with no message and a status of -15."""
    code = main(console=True)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    sys.exit(code)


#: the commands whose standard output is only progress or an announcement, not their result
#: (push reports on stderr); so is the others' given ``--out`` (their result goes there)
_STDOUT_OPTIONAL = frozenset({"build", "push", "serve"})


def _terminate_as_interrupt() -> None:
    """SIGTERM raises :class:`Terminated` in this process, so a command stopped by it cleans up
    as after Ctrl-C (Python's default is to die at once: ``soak`` and ``bench`` left their
    server running).  A process forked from this one (a build worker) still dies at once."""
    main = os.getpid()

    def terminated(signum: int, _frame: object) -> None:
        if os.getpid() != main:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Terminated()

    signal.signal(signal.SIGTERM, terminated)


if __name__ == "__main__":  # pragma: no cover
    run()
