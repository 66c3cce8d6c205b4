"""Instructions of `sourcebook new module` left in a page warn at their line, so a -W build fails."""

from __future__ import annotations

import re
from typing import Any

import pytest

PAGE = """\
---
orphan: true
---
# A module being written

## Context

Write the context essay here: what a student needs to know to read these
paragraphs well, and no more.

## Key points

- Our own first key point.
"""


def test_an_instruction_left_in_a_page_fails_a_strict_build_at_its_line(build: Any) -> None:
    app = build("basic", strict=False, files={"draft.md": PAGE})
    assert re.search(r"draft\.md:8:1: WARNING: .*“Write the context essay here…”.*\[placeholder\]", app.warnings), \
        app.warnings
    with pytest.raises(Exception, match="Write the context essay here"):
        build("basic", files={"draft.md": PAGE})
