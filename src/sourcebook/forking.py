"""Work shared with forked copies of this process: the class report of a school year on every processor.

On Linux a forked process starts with everything this one holds (shared
until either writes to it), so it needs nothing passed to it: the class
report's forked processes find the list of their students' files, and the
banks, where they already lie. What a process gives back is pickled and
sent through a pipe. Elsewhere (Windows and macOS start processes afresh),
and where another thread runs (a fork copies only the thread that forks,
which could leave a lock held for ever), all the work is done in this
process, to the same result.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    """Whether work can be shared with forked processes here: on Linux, with no other thread running."""
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods() \
        and threading.active_count() == 1


def processes(wanted: int | None, useful: int) -> int:
    """How many processes to share work with: ``wanted`` (None: as many as this process has processors,
    but no more than are ``useful``); 1 where processes cannot be forked."""
    if not can_fork():
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), useful) if wanted is None else wanted)


class InFork(Generic[T]):
    """``function(*args)`` run in a forked copy of this process, meanwhile this one goes on.

    :meth:`result` waits for what it returned, and raises what it raised.
    If the process ends without sending anything (killed, out of memory,
    or a result that cannot be pickled), ``function(*args)`` is run here
    instead. Use it in a ``with`` block: the process is ended at the block's
    end, whatever happened.
    """

    def __init__(self, function: Callable[..., T], *args: Any) -> None:
        self._call = (function, args)
        context = multiprocessing.get_context("fork")
        self._receiving, sending = context.Pipe(duplex=False)
        self._process = context.Process(target=_run_and_send, args=(function, args, sending), daemon=True)
        try:
            self._process.start()
        finally:
            sending.close()

    def result(self) -> T:
        try:
            outcome, value = self._receiving.recv()
        except (EOFError, OSError):  # the process ended without sending
            function, args = self._call
            return function(*args)
        if outcome == "raised":
            raise value
        return value  # type: ignore[no-any-return]

    def close(self) -> None:
        self._receiving.close()
        if self._process.pid is not None:
            self._process.kill()
            self._process.join()

    def __enter__(self) -> InFork[T]:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


def _run_and_send(function: Callable[..., Any], args: tuple[Any, ...], sending: Any) -> None:
    """In the forked process: run ``function(*args)`` and send what it returned, or the exception it raised."""
    try:
        message: tuple[str, Any] = ("returned", function(*args))
    except BaseException as exc:
        message = ("raised", exc)
    with contextlib.suppress(Exception):  # (what cannot be sent is done again by the process waiting for it)
        sending.send(message)
