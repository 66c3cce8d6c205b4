"""A lock on a folder of pytest's cache, held while a fixture fills it once (a
virtual environment, a package from npm), so that two test workers or two test
sessions never build the same thing at the same time."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


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
