"""The notebook quiz as a browser draws it: ipywidgets' own HTML manager renders the
quiz's widgets, and the page is checked with axe-core and the keyboard.

The manager (`@jupyter-widgets/html-manager`, the one ipywidgets embeds with)
comes from the npm registry once and is kept in pytest's cache (see `cachelock.kept_folder`). Without npm it
skips on a developer machine and fails in CI.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import pytest
from ipywidgets.embed import __html_manager_version__, embed_minimal_html

from cachelock import kept_folder, locked
from sourcebook import quiz

TESTS = Path(__file__).resolve().parent.parent
AXE = Path(str(__import__("axe_playwright_python").__file__)).parent / "axe.min.js"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

pytestmark = pytest.mark.xdist_group("widget-page")


@pytest.fixture(scope="session")
def html_manager(request: pytest.FixtureRequest) -> Path:
    """The folder with the HTML manager's `embed.js` and its fonts."""
    with locked(kept_folder(request, "jupyter-widgets-html-manager")) as folder:
        return _fetch_html_manager(folder)


def _fetch_html_manager(folder: Path) -> Path:
    dist = folder / "package" / "dist"
    if not (dist / "embed.js").exists():
        npm = shutil.which("npm")
        if npm is None:
            message = "npm not found: it fetches @jupyter-widgets/html-manager"
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)
        spec = f"@jupyter-widgets/html-manager@{__html_manager_version__}"
        run = subprocess.run([npm, "pack", spec, "--pack-destination", str(folder)], capture_output=True,
                             text=True, timeout=300)
        assert run.returncode == 0, run.stderr[-2000:]
        with tarfile.open(next(folder.glob("*.tgz"))) as archive:
            archive.extractall(folder, filter="data")
    return dist


@pytest.fixture
def widget_page(html_manager: Path, tmp_path: Path, page: Any, served: Any) -> Any:
    """A page showing the notebook quiz of the conformance bank (every question type)."""
    for item in html_manager.iterdir():
        if item.suffix in (".js", ".woff2", ".woff", ".ttf", ".eot", ".svg"):
            shutil.copy(item, tmp_path / item.name)
    shown = quiz(TESTS / "conformance" / "bank.yml")
    embed_minimal_html(tmp_path / "quiz.html", views=[shown.widget], title="Notebook quiz",
                       embed_url="embed.js", requirejs=False)
    html = (tmp_path / "quiz.html").read_text(encoding="utf-8")
    # No favicon request (it would be a 404 in the console).
    (tmp_path / "quiz.html").write_text(html.replace("<head>", '<head><link rel="icon" href="data:,">', 1),
                                        encoding="utf-8")
    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(f"{served(tmp_path)}/quiz.html")
    page.wait_for_selector(".widget-radio-box")
    return page


def test_the_drawn_widgets_pass_axe(widget_page: Any) -> None:
    widget_page.add_script_tag(path=str(AXE))
    violations = widget_page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations
             .map(v => v.id + ': ' + v.nodes.map(n => n.html.slice(0, 120)).join(' | '))"""
    )
    assert violations == []


def test_every_control_has_a_name_a_screen_reader_can_read(widget_page: Any) -> None:
    unnamed = widget_page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea, button')].filter(e => {
             const label = e.labels && [...e.labels].map(l => l.textContent.trim()).join(' ');
             return !(label || e.getAttribute('aria-label') || e.title || e.textContent.trim());
           }).map(e => e.outerHTML.slice(0, 120))"""
    )
    assert unnamed == []


def test_the_keyboard_moves_through_the_quiz_in_reading_order(widget_page: Any) -> None:
    positions = []
    for _ in range(40):
        widget_page.keyboard.press("Tab")
        positions.append(widget_page.evaluate(
            """() => { const r = document.activeElement.getBoundingClientRect();
                       return [Math.round(r.top + window.scrollY), Math.round(r.left)]; }"""))
    assert len(set(map(tuple, positions))) == len(positions), positions  # each Tab reaches a new control
    tops = [top for top, _ in positions]
    # Down the page, never back up; controls side by side go left to right.
    assert tops == sorted(tops), positions
    for (top_a, left_a), (top_b, left_b) in itertools.pairwise(positions):
        if abs(top_a - top_b) < 4:
            assert left_a < left_b, positions
