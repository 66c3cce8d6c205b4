"""The cycle collector during a build: what lives for the whole build is set aside while pages are
written, and given back at the end; set aside by someone else, it is left alone."""

from __future__ import annotations

import gc
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

RECORDER = """
    import gc

    seen = []


    def setup(app):
        app.connect("html-page-context", lambda app, *args: seen.append(("page", gc.get_freeze_count())))
        app.connect("build-finished", lambda app, exception: seen.append(("end", gc.get_freeze_count())))
        return {"parallel_read_safe": True, "parallel_write_safe": True}
"""


@pytest.fixture
def recorder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, int]]]:
    """A small extension that notes the collector's permanent generation while pages are written."""
    folder = tmp_path / "extension"
    folder.mkdir()
    (folder / "freeze_recorder.py").write_text(textwrap.dedent(RECORDER), encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    import freeze_recorder  # type: ignore[import-not-found]

    yield freeze_recorder.seen
    sys.modules.pop("freeze_recorder", None)


def build_recorded(build_mini: Callable[..., Any]) -> None:
    build_mini(extensions=["myst_parser", "sourcebook.sphinx", "freeze_recorder"])


def test_pages_are_written_with_the_long_lived_objects_set_aside_and_given_back(
        build_mini: Callable[..., Any], recorder: list[tuple[str, int]]) -> None:
    gc.unfreeze()
    build_recorded(build_mini)
    pages = [count for event, count in recorder if event == "page"]
    assert pages and min(pages) > 10_000, recorder  # the imported modules at least
    assert next(count for event, count in recorder if event == "end") > 0  # the end's other handlers gain too
    assert gc.get_freeze_count() == 0


def test_objects_someone_else_set_aside_are_left_alone(build_mini: Callable[..., Any],
                                                     recorder: list[tuple[str, int]]) -> None:
    keep = [object() for _ in range(10)]
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        build_recorded(build_mini)
        # Nothing more set aside during the build (a few set aside before may be freed meanwhile), and
        # nothing given back after it.
        assert recorder and all(before - 1_000 < count <= before for _, count in recorder), (before, recorder)
        assert before - 1_000 < gc.get_freeze_count() <= before
    finally:
        gc.unfreeze()
    del keep
