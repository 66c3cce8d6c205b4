"""Math in a page warns at its line (so a -W build fails), and no page ever loads MathJax from a CDN."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

PAGE = """\
---
orphan: true
---
# Growth

The output grew by $r$ a year, and the aid came to $2 billion and $3 million.

A role {math}`E = mc^2` in a sentence.

$$
(1 + r)^{10}
$$

```{math}
\\frac{1}{2}
```

Brackets \\(x\\) and \\[y\\]; escaped \\$5 and \\$6 are money, and so is `$x$` in code.

```{note}
In a note, $z$ too.
```
"""

MONEY = """\
---
orphan: true
---
# Aid

Loans of $2 billion and $3 million more; prices from $5-$10, US$1.5 billion, and \\$20.
"""


def test_each_piece_of_math_in_a_page_warns_at_its_line(build: Any) -> None:
    app = build("basic", strict=False, files={"growth.md": PAGE})
    found = {(int(line), column, text) for line, column, text in
             re.findall(r"growth\.md:(\d+):?(\d*): WARNING: the page holds (?:TeX |the )?math `([^`]*)`", app.warnings)}
    assert found == {(6, "20", "$r$"), (8, "", "E = mc^2"), (10, "1", "$$ (1 + r)^{10} $$"),
                     (14, "", "\\frac{1}{2}"), (18, "10", "\\(x\\)"), (18, "20", "\\[y\\]"),
                     (21, "12", "$z$")}, app.warnings
    assert "write it in words" in app.warnings and "[math]" in app.warnings
    with pytest.raises(Exception, match="math"):
        build("basic", files={"growth.md": PAGE})


def test_a_page_with_math_loads_no_mathjax_and_shows_the_tex_as_written(build: Any) -> None:
    app = build("basic", strict=False, files={"growth.md": PAGE})
    html = (Path(app.outdir) / "growth.html").read_text(encoding="utf-8")
    assert "mathjax" not in html.lower()
    assert not re.search(r"<script[^>]*src=\"(https?:)?//", html)
    assert 'class="math' not in html
    assert "E = mc^2" in html.replace('<span class="pre">', "").replace("</span>", "")


def test_money_in_a_page_is_not_math(build: Any) -> None:
    build("basic", files={"money.md": MONEY})  # warnings are errors
