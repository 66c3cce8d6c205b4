"""The course site's theme as a student meets it: no icon script, one title, one search field, a favicon.

Built once with the real course (the ``course_site`` fixture). The icon checks
would catch a theme upgrade that adds a button whose icon ``icons.css`` does
not draw, and the request checks a theme that loads Font Awesome's script again.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

pytestmark = [pytest.mark.xdist_group("course"), pytest.mark.book, pytest.mark.slow]

#: Font Awesome's classes that set a style or a size, not an icon.
STYLE_CLASSES = {"fa", "fas", "fa-solid", "fa-regular", "fa-brands", "fa-lg", "fa-fw", "fa-xs", "fa-sm", "fa-xl"}
MODULE_1 = "modules/01-meeting-the-source/index.html"


def _pages(site: Path) -> list[Path]:
    """The course's pages (not the theme's fragments in _static, nor the JupyterLite app in lite/)."""
    return sorted(p for p in site.rglob("*.html") if not {"_static", "lite"} & set(p.relative_to(site).parts))


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_no_page_loads_font_awesome_script_and_the_site_does_not_ship_it(course_site: Path) -> None:
    assert not list(course_site.rglob("fontawesome.js*"))
    for path in _pages(course_site):
        assert "fontawesome.js" not in path.read_text(encoding="utf-8"), path


def test_every_icon_a_page_shows_is_drawn_by_the_course_css(course_site: Path) -> None:
    drawn = set(re.findall(r"\.(fa-[a-z0-9-]+)\{--sb-icon:", (course_site / "_static" / "icons.css").read_text()))
    used: dict[str, str] = {}
    for path in _pages(course_site):
        for element in _soup(path).select('[class*="fa-"]'):
            for name in element.get_attribute_list("class"):
                if name.startswith("fa-") and name not in STYLE_CLASSES:
                    used.setdefault(name, path.relative_to(course_site).as_posix())
    assert used, "the pages show no theme icon at all: the check would test nothing"
    assert {name: page for name, page in used.items() if name not in drawn} == {}


def test_the_window_title_names_the_course_once(course_site: Path) -> None:
    intro = _soup(course_site / "book" / "intro.html")
    logo, title = intro.select_one(".logo__title"), intro.title
    assert logo is not None and title is not None
    course = logo.get_text(strip=True)
    assert title.get_text() == course
    glossary_title = _soup(course_site / "book" / "glossary.html").title
    assert glossary_title is not None
    glossary = glossary_title.get_text()
    assert glossary == f"Glossary \N{EM DASH} {course}"
    for path in _pages(course_site):
        title = _soup(path).title
        if title is not None:
            parts = [p.strip() for p in title.get_text().split("\N{EM DASH}")]
            assert len(parts) == len(set(parts)), f"{path}: {title.get_text()!r}"


def test_every_page_has_the_course_favicon(course_site: Path) -> None:
    for path in _pages(course_site):
        soup = _soup(path)
        if soup.select_one('meta[http-equiv="Refresh"], meta[http-equiv="refresh"]'):
            continue  # the root's redirect to the first page
        icon = soup.select_one('link[rel="icon"]')
        assert icon is not None, path
        href = str(icon["href"])
        # Worksheets are single files and carry the icon inside them.
        assert href.startswith("data:image/svg+xml,") or (path.parent / href).resolve().is_file(), path


@pytest.mark.browser
@pytest.mark.parametrize(("width", "fields", "buttons"), [(1280, 1, 0), (390, 0, 1)])
def test_one_way_to_search_and_every_button_icon_drawn(course_url: str, page: Any, width: int, fields: int,
                                                       buttons: int) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{course_url}/{MODULE_1}", wait_until="networkidle")
    assert page.locator(".search-button-field:visible").count() == fields
    assert page.locator(".article-header-buttons .search-button:visible").count() == buttons
    icons = page.locator(".article-header-buttons .fa-solid:visible, .article-header-buttons .fas:visible")
    assert icons.count() >= 2
    for i in range(icons.count()):
        drawn = icons.nth(i).evaluate("""el => {
            const style = getComputedStyle(el, '::before');
            const box = el.getBoundingClientRect();
            return style.maskImage.startsWith('url(') && box.width > 8 && box.height > 8;
        }""")
        assert drawn, icons.nth(i).evaluate("el => el.outerHTML")
    assert not [url for url in requests if "fontawesome.js" in url or url.endswith("favicon.ico")]
