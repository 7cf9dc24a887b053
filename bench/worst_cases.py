"""Worst-case pages: how the extraction time of pathological documents grows with their size.

Each case is a generated page of a shape that once took time faster than linear in its size
(docs/performance.md, "Worst-case inputs"): runs of brackets or quotes around a word, a
word followed by possessives and dots, a bracket left open after a long word, a long run of
spaces in a sentence, one long sentence of names, many one-word lines.  Each is extracted
at two sizes, the second twice the first, in a child process with a time limit (a runaway
case is reported as such, not a hung harness); the figures are CPU seconds of
``extract_document``, characters per CPU second, and the growth exponent k (time ~ size^k:
1 linear, 2 quadratic).

``python -m entente.bench.worst_cases [--quick]`` prints the figures as JSON; ``entente bench``
runs it as part of its build stage.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

#: case -> the page for a size n (characters, roughly)
CASES: dict[str, Callable[[int], str]] = {
    "bracket runs": lambda n: "Intro: " + "(" * (n // 2) + "Russia supports China"
    + ")" * (n // 2) + " ends.",
    "quote runs": lambda n: "Intro: " + "’" * (n // 2) + "Russia supports China"
    + "’" * (n // 2) + " ends.",
    "possessives and dots": lambda n: "Russia" + "'s" * (n // 3) + "." * (n // 3)
    + " supports China.",
    # (one sentence: the sentence splitter cuts at 2,000 characters)
    "open bracket, long word": lambda n: "Japan supports Iran (" + "Xy" * (min(n, 1900) // 2)
    + " and opposes Iraq.",
    "run of spaces": lambda n: "Armenia and Azerbaijan's relationship" + " " * min(n, 1900)
    + "x remains good.",
    "one sentence of names": lambda n: "Russia, China, Iran, India and Brazil support "
    * (n // 46) + "Serbia.",
    "one-word lines": lambda n: "Russia\n" * (n // 7),
}

#: the first size of each case (characters); the second is twice it
SIZE = 40_000
QUICK_SIZE = 2_000
#: cases whose page is one sentence, capped by the sentence splitter: their sizes are
#: those of that sentence
ONE_SENTENCE = {"open bracket, long word": 900, "run of spaces": 900}


@functools.lru_cache(maxsize=1)
def _tools():  # noqa: ANN202 - the build's Tools, once per process
    from entente.graph.build_workers import bundled_tools
    from entente.graph.extract import warm_up

    tools = bundled_tools("https://entente.example.org/")
    warm_up()
    return tools


#: a page extracted in under a second in all is extracted again, up to this many times, and
#: the least CPU time kept (a single run of 0.07 s once read as growth k = 1.5 where best
#: of three at five sizes gives 1.08)
BEST_OF = 3


def measure(name: str, sizes: list[int]) -> list[dict[str, Any]]:
    """Extract the page of ``name`` at each size (in this process, after one small warm-up
    page): its characters, the least CPU seconds of ``extract_document`` over its runs
    (:data:`BEST_OF`) and what was found."""
    from entente.graph.extract import extract_document
    from entente.graph.model import DocumentMeta, SourceDocument

    tools = _tools()

    def doc(t: str) -> SourceDocument:
        return SourceDocument("page.txt", t, "0" * 64, len(t.encode()), DocumentMeta(slug="p"))

    extract_document(doc(CASES[name](1000)), tools.linker, tools.extractor)  # (warm-up)
    out = []
    for size in sizes:
        text = CASES[name](size)
        times = []
        while True:
            started = time.process_time()
            ex = extract_document(doc(text), tools.linker, tools.extractor)
            times.append(time.process_time() - started)
            if len(times) == BEST_OF or sum(times) >= 1.0:
                break
        cpu = min(times)
        out.append({"chars": len(text), "cpu_s": round(cpu, 4), "runs": len(times),
                    "chars_per_cpu_s": round(len(text) / cpu) if cpu > 0 else None,
                    "sentences": len(ex.sentences), "assertions": len(ex.assertions)})
    return out


def run_cases(cases: dict[str, list[int]], timeout_s: float) -> dict[str, list[dict]]:
    """:func:`measure` of each case at its sizes, in one child process (the tools loaded
    once) that prints a line per case; cases it did not report within ``timeout_s`` in all
    (or before it died) get [{"timeout_s": ...}] or [{"error": ...}]."""
    cmd = [sys.executable, "-m", "entente.bench.worst_cases", "--cases", json.dumps(cases)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s,
                              check=False)
        output, failure = done.stdout, None if done.returncode == 0 else {
            "error": f"exit {done.returncode}: "
                     f"{(done.stderr.strip().splitlines() or ['no output'])[-1]}"}
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or ""
        output = out.decode() if isinstance(out, bytes) else out
        failure = {"timeout_s": timeout_s}
    found = {}
    for line in output.splitlines():
        if line.startswith("{"):
            found.update(json.loads(line))
    return {name: found.get(name) or [failure or {"error": "no figures"}] for name in cases}


def worst_cases(quick: bool = False, timeout_s: float = 600.0) -> dict[str, Any]:
    """Every case at two sizes (the second twice the first), and its growth exponent."""
    sizes = {}
    for name in CASES:
        first = min(ONE_SENTENCE.get(name, SIZE), QUICK_SIZE) if quick \
            else ONE_SENTENCE.get(name, SIZE)
        sizes[name] = [first, 2 * first]
    out: dict[str, Any] = {}
    for name, runs in run_cases(sizes, timeout_s).items():
        k = None
        if len(runs) == 2 and all(r.get("cpu_s") for r in runs):
            a, b = runs
            k = round(math.log(b["cpu_s"] / a["cpu_s"]) / math.log(b["chars"] / a["chars"]), 2)
        out[name] = {"sizes": runs, "growth_k": k}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m entente.bench.worst_cases",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (seconds)")
    parser.add_argument("--cases", help=argparse.SUPPRESS)  # {case: [size, ...]}: a child
    args = parser.parse_args(argv)
    if args.cases:
        for name, sizes in json.loads(args.cases).items():
            print(json.dumps({name: measure(name, sizes)}), flush=True)
        return 0
    print(json.dumps(worst_cases(args.quick), indent=1))
    return 0


if __name__ == "__main__":  # pragma: no cover - command line
    sys.exit(main())
