"""``entente bench``: run the benchmark harness (bench/), print the table, write JSON + PNG."""

from __future__ import annotations

import argparse
from pathlib import Path

from entente.config import Settings
from entente.errors import EntenteError, UsageError
from entente.output_paths import check_output, refuse_protected

FULL_SIZES = [100_000, 1_000_000, 10_000_000]


def parse_sizes(text: str | None, default: list[int]) -> list[int]:
    """'100000,1000000' or '100k,1m,10M' -> [100000, 1000000]."""
    if not text:
        return default
    out = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        if not part:
            continue
        scale = {"k": 1_000, "m": 1_000_000}.get(part[-1], 1)
        digits = part[:-1] if scale != 1 else part
        try:
            value = int(float(digits) * scale)
        except ValueError:
            raise UsageError(f"--sizes: cannot read {part!r} (expected e.g. 100000 or 1m)"
                             ) from None
        if value < 1000:
            raise UsageError(f"--sizes: {part!r} is too small (at least 1000 triples)")
        out.append(value)
    if not out:
        raise UsageError("--sizes: no size given")
    return sorted(set(out))


def _check_corpus(corpus: Path) -> None:
    """Refuse, before any work, a run whose corpus (the build stage's texts, the "corpus"
    size) has no document: each of those stages ended in an error after the rest had run."""
    from entente.bench.build_bench import corpus_size

    if corpus_size(corpus)[0] == 0:
        raise EntenteError(f"{corpus}: no .txt documents: the benchmark builds and serves the "
                           "corpus (set ENTENTE_CORPUS to its folder)")


def main(args: argparse.Namespace, settings: Settings) -> int:
    from entente.bench import harness, report

    out = Path(args.out)
    work = Path("var/bench-quick" if args.quick else "var/bench")
    if args.quick:
        cfg = harness.BenchConfig.quick_config(out, work)
        cfg.sizes = parse_sizes(args.sizes, cfg.sizes)
    else:
        cfg = harness.BenchConfig(out=out, work=work, sizes=parse_sizes(args.sizes, FULL_SIZES))
    cfg.base = settings.base
    cfg.corpus = settings.corpus
    only = getattr(args, "only", None)
    reuse = getattr(args, "reuse", None)
    if reuse is not None and only is None:
        raise UsageError("--reuse needs --only (the stages it does not run come from the file)")
    earlier = _read_results(reuse) if reuse is not None else None
    refuse_protected(out, "--out", store=settings.store)
    check_output(out, "the results", folder=True)
    if only == "sizes":
        cfg.build = False
    elif only == "build":
        cfg.sizes, cfg.include_corpus = [], False
    if cfg.build or cfg.include_corpus:
        _check_corpus(Path(cfg.corpus))
    name = "quick" if args.quick else "latest"
    partial = out / f"{name}.partial.json"  # (kept only when the run stops before its end)
    results = harness.run(cfg, log=lambda line: print(line, flush=True), partial=partial)
    if earlier is not None:
        results = harness.merge(results, earlier, only)
    json_path = harness.write_json(results, out / f"{name}.json")
    partial.unlink(missing_ok=True)
    png = report.chart(results, out / f"scaling-{name}.png")
    print()
    print(report.format_report(results))
    print(f"\nwrote {json_path}" + (f" and {png}" if png else ""))
    return 0


def _read_results(path: Path) -> dict:
    import json

    try:
        results = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EntenteError(f"--reuse {path}: no such file") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"--reuse {path}: cannot read results JSON: {exc}") from None
    if not isinstance(results, dict) or not {"machine", "build", "sizes"} & results.keys():
        raise UsageError(f"--reuse {path}: not the results of 'entente bench' (a JSON object "
                         "with 'machine', 'build' or 'sizes')")
    return results
