"""A call that must return in time: reading a pipe or a device must be refused, not waited on for ever."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def returns_within(seconds: float, call: Callable[[], T], what: str) -> T:
    """What ``call()`` returns (or raises), run in a thread; the test fails if it has not returned within
    ``seconds`` (the thread, left waiting, ends with the test session)."""
    outcome: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            outcome.append((True, call()))
        except BaseException as exc:
            outcome.append((False, exc))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=seconds)
    assert outcome, f"{what} did not return"
    returned, value = outcome[0]
    if not returned:
        raise value
    return value  # type: ignore[no-any-return]
