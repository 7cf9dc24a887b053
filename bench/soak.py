"""The long fault-injection run of ``make soak``: many SIGKILLed builds (seeded).

    python bench/soak.py [--trials 40] [--seed 1234] [--corpus corpus] [--out FILE]

Prints one line per trial (phase, delay, store version before and after) and a JSON
summary; exit 1 when any trial left a broken store or temporary directories remained.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from entente.faults import kill_trials, leftovers, make_corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="entente-faults-") as tmp:
        root = Path(tmp)
        corpus = make_corpus(args.corpus, root / "corpus")
        store = root / "var" / "store"
        store.parent.mkdir()
        trials, full = kill_trials(corpus, store, args.trials, args.seed)
        for t in trials:
            print(f"trial {t.n:3d}: killed {t.delay_s:6.3f} s after 'extracting', in {t.phase:12s} "
                  f"{t.before} -> {t.after} {'ok' if t.ok else 'BROKEN: ' + t.problem}")
        left = leftovers(store, store.parent / "tmp")
        summary = {"trials": len(trials), "broken": sum(not t.ok for t in trials),
                   "phases": dict(Counter(t.phase for t in trials)),
                   "switched": sum(t.before != t.after for t in trials),
                   "full_build_s": round(full, 2), "leftovers": left,
                   "details": [asdict(t) for t in trials]}
    text = json.dumps({k: v for k, v in summary.items() if k != "details"}, indent=2)
    print(text)
    if args.out:
        args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 1 if summary["broken"] or left else 0


if __name__ == "__main__":
    sys.exit(main())
