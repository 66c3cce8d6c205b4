"""Work shared with forked processes (sourcebook.forking): results, errors, and a process that dies."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from sourcebook import forking

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="forks only on Linux")

HERE = os.getpid()


def whose(offset: int) -> tuple[int, int]:
    return os.getpid(), offset + 1


def refuses(text: str) -> None:
    raise ValueError(text)


def dies_elsewhere(value: int) -> int:
    if os.getpid() != HERE:
        os._exit(9)
    return value * 2


def test_what_the_forked_process_returned_comes_back() -> None:
    with forking.InFork(whose, 41) as other:
        pid, value = other.result()
    assert value == 42 and pid != os.getpid()


def test_what_the_forked_process_raised_is_raised_here() -> None:
    with forking.InFork(refuses, "no such bank") as other, pytest.raises(ValueError, match="no such bank"):
        other.result()


def test_work_whose_process_dies_is_done_here() -> None:
    with forking.InFork(dies_elsewhere, 21) as other:
        assert other.result() == 42


def test_the_process_is_ended_with_the_block() -> None:
    with forking.InFork(threading.Event().wait) as other:  # would wait for ever
        pass
    assert other._process.exitcode is not None


def test_how_many_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    # In a process of its own, with no other thread: it forks.
    clean = subprocess.run([sys.executable, "-c", "from sourcebook import forking; print(forking.can_fork())"],
                           capture_output=True, text=True, check=True)
    assert clean.stdout.strip() == "True"
    # (This test's process may run the browser tests' threads: as if it had none, then with one.)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    cores = len(os.sched_getaffinity(0))
    assert forking.processes(None, 100) == cores
    assert forking.processes(None, 0) == 1  # (nothing worth a second process)
    assert forking.processes(3, 0) == 3  # as asked, as make's -j
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not forking.can_fork() and forking.processes(3, 100) == 1  # a fork would copy only this thread
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(sys, "platform", "win32")
    assert forking.processes(None, 100) == 1
