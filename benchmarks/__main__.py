"""Run every benchmark, print one table, write benchmarks/results.json."""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
from pathlib import Path

from .common import Figure, compile_modules

#: Benchmark modules, each with ``run(root) -> list[Figure]``.
BENCHMARKS = ["bench_check", "bench_edit", "bench_extension", "bench_weight", "bench_interactive", "bench_network",
              "bench_lighthouse", "bench_curriculum", "bench_report", "bench_lite", "bench_preview"]
ROOT = Path(__file__).resolve().parent.parent


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def number(value: float) -> str:
    """Three significant digits, without an exponent: 0.123, 9.77, 407, 2,496."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def table(figures: list[Figure]) -> str:
    rows = [("figure", "value", "baseline", "ratio", "goal", "")]
    for f in figures:
        rows.append((f.name, f"{number(f.value)} {f.unit}".strip(),
                     f"{f.baseline_name}: {number(f.baseline)} {f.unit}".strip(),
                     f"{f.ratio:.2f}", f.goal_text, f.verdict))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main(names: list[str]) -> int:
    figures: list[Figure] = []
    compile_modules()
    for name in names or BENCHMARKS:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"running {name} ...", file=sys.stderr)
        figures.extend(module.run(ROOT))
    print(f"Machine: {machine()}\n")
    print(table(figures))
    results = ROOT / "benchmarks" / "results.json"
    here = machine()
    measured = [{**f.as_dict(), "machine": here} for f in figures]
    if names and results.exists():
        # Some benchmarks only: their figures replace the same figures of the last full run; each figure
        # names the machine it was measured on.
        last = json.loads(results.read_text(encoding="utf-8"))
        fresh = {figure["name"] for figure in measured}
        kept = [{**f, "machine": f.get("machine", last.get("machine", ""))} for f in last["figures"]
                if f["name"] not in fresh]
        measured = kept + measured
    out = {"machine": here, "figures": measured}
    results.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
