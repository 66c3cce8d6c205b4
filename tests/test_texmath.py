"""What counts as TeX math in a bank's Markdown: pandoc's tex_math_dollars rule, so that money stays text."""

from __future__ import annotations

import pytest

from sourcebook.texmath import find_math


@pytest.mark.parametrize(("text", "math"), [
    ("$x^2$", ["$x^2$"]),
    ("$x$ is 4", ["$x$"]),  # a digit after the text, not after the closing $
    ("costs \\$5 and $x$", ["$x$"]),
    ("$$\na^2\n$$", ["$$\na^2\n$$"]),
    ("\\(a\\) and \\[b\\]", ["\\(a\\)", "\\[b\\]"]),
    ("| a | $x$ |\n|---|---|\n| 1 | $y$ |", ["$x$", "$y$"]),
    ("- an item with $x$", ["$x$"]),
    ("$2 billion and $3 million", []),  # the closing $ follows a space
    ("$5-$10", []),  # the closing $ is followed by a digit
    ("US$5 and US$6", []),
    ("between $20,000 and$30,000", []),
    ("$ x $", []),  # the opening $ is followed by a space
    ("\\$x\\$", []),  # escaped: dollar signs
    ("`$x$` in code", []),
    ("```\n$x$\n```", []),
    ("\\\\(x\\\\)", []),  # an escaped backslash, then a parenthesis
    ("a $$ b", []),
])
def test_math_is_found_as_pandoc_reads_it(text: str, math: list[str]) -> None:
    assert [m.written for m in find_math(text)] == math
