"""A folder kept between test sessions, and a lock on it held while a fixture
fills it once (a virtual environment, a package from npm), so that two test
workers or two test sessions never build the same thing at the same time."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def kept_folder(request: pytest.FixtureRequest, name: str) -> Path:
    """The folder ``name`` in pytest's cache, or, when the cache plugin is off (``-p no:cacheprovider``),
    in the user's cache folder (``$XDG_CACHE_HOME/sourcebook/tests``)."""
    cache = getattr(request.config, "cache", None)
    if cache is not None:
        return Path(cache.mkdir(name))
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return home / "sourcebook" / "tests" / name


@contextmanager
def locked(folder: Path) -> Iterator[Path]:
    """Holds an exclusive lock on ``folder`` (made if missing) and yields it."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield folder
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
