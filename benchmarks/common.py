"""What every benchmark shares: the figure it reports, a repeat-and-take-the-median timer, and sourcebook's
modules compiled to bytecode before anything is timed."""

from __future__ import annotations

import compileall
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sourcebook


@dataclass
class Figure:
    """One measurement against its baseline, measured in the same run."""

    name: str
    value: float
    baseline_name: str
    baseline: float
    unit: str
    goal: float | None  # the ratio value / baseline should be at most this (None: no ratio goal)
    note: str = ""
    #: A goal on the value itself rather than the ratio (seconds on a slow network, a
    #: Lighthouse score): at most ``limit``, or at least it when ``at_least``.
    limit: float | None = None
    at_least: bool = False

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("inf")

    @property
    def met(self) -> bool:
        if self.limit is not None:
            within = self.value >= self.limit if self.at_least else self.value <= self.limit
            if not within:
                return False
        return self.goal is None or self.ratio <= self.goal

    @property
    def goal_text(self) -> str:
        """The goal as the table shows it: ``≤ 0.5`` (a ratio), ``≤ 10 s`` or ``≥ 95`` (the value)."""
        parts = []
        if self.goal is not None:
            parts.append(f"≤ {self.goal:g}")
        if self.limit is not None:
            unit = f" {self.unit}" if self.unit else ""
            parts.append(f"{'≥' if self.at_least else '≤'} {self.limit:g}{unit}")
        return ", ".join(parts) or "none"

    @property
    def verdict(self) -> str:
        """``met``, ``MISSED``, or nothing for a figure shown for information."""
        if self.goal is None and self.limit is None:
            return ""
        return "met" if self.met else "MISSED"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": round(self.ratio, 3), "met": self.met}


def median_time(action: Callable[[], object], repeat: int = 5, warmup: int = 1) -> float:
    """Median wall time of ``action`` in seconds over ``repeat`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def compile_modules(package: Path = Path(sourcebook.__file__).parent) -> None:
    """Compile the modules of ``package`` (sourcebook's, by default) to bytecode, as pip does when it installs
    a package.

    An editable install compiles each module when it is first imported and keeps the bytecode, unless
    ``PYTHONDONTWRITEBYTECODE`` is set, as it is on some shared machines: then every process that the
    benchmarks start (each build, each ``sourcebook check``) compiled sourcebook's modules again, 0.1 s of a
    1.9 s rebuild, while the libraries it is compared with, installed with their bytecode, did not.
    """
    if not compileall.compile_dir(str(package), quiet=1):
        raise RuntimeError(f"compiling the modules of {package} failed")
