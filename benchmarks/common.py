"""What every benchmark shares: the figure it reports and a repeat-and-take-the-median timer."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class Figure:
    """One measurement against its baseline, measured in the same run."""

    name: str
    value: float
    baseline_name: str
    baseline: float
    unit: str
    goal: float  # the ratio value / baseline should be at most this
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("inf")

    @property
    def met(self) -> bool:
        return self.ratio <= self.goal

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
