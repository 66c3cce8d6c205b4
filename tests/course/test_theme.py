"""The course site's theme as a student meets it: no icon script, one title, one search field, a favicon,
and a quiz that waits for nothing it does not need (no blocking script, no search index, the theme's
stylesheets without unused rules).

Built once with the real course (the ``course_site`` fixture). The icon checks
would catch a theme upgrade that adds a button whose icon ``icons.css`` does
not draw, and the request checks a theme that loads Font Awesome's script again.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from sourcebook.sphinx.assets import BUNDLE_NAME
from sourcebook.sphinx.stylesheets import DIGEST_NAMED, JOINED_NAME, joined

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


def _scripts(soup: Any) -> list[Any]:
    return [s for s in soup.find_all("script") if s.get("src")]


def _own_static_files() -> frozenset[str]:
    from sourcebook.sphinx.theme import own_static_files

    return own_static_files()


def _static_name(src: str) -> str:
    return src.split("?", 1)[0].split("_static/", 1)[-1]


def test_a_quiz_page_blocks_on_no_script_and_its_quiz_waits_for_no_other_script(course_site: Path) -> None:
    own = _own_static_files()
    quiz_pages = [p for p in _pages(course_site) if "data-sourcebook-quiz" in p.read_text(encoding="utf-8")]
    assert MODULE_1 in {p.relative_to(course_site).as_posix() for p in quiz_pages}
    for path in quiz_pages:
        soup = _soup(path)
        head = soup.head
        assert head is not None
        # A script without defer or async stops the page's parsing until it is fetched:
        # only Sphinx's 320-byte settings, which the page's inline scripts fill in.
        blocking = [_static_name(str(s["src"])) for s in _scripts(head)
                    if not s.has_attr("defer") and not s.has_attr("async")]
        assert blocking == ["documentation_options.js"], (path, blocking)
        # The quiz's scripts come as one file (quiz-<digest>.js): one request, not one per question type,
        # async, so that it runs as soon as it arrives and waits for no other script (deferred ones run in order).
        scripts = [_static_name(str(s["src"])) for s in _scripts(soup)]
        (quiz,) = [name for name in scripts if BUNDLE_NAME.fullmatch(name)]
        assert not {"quiz.js", "grading.js"} & set(scripts) and not [n for n in scripts if n.startswith("types/")]
        (loader,) = [s for s in _scripts(soup) if _static_name(str(s["src"])) == quiz]
        assert loader.has_attr("async") and not loader.has_attr("defer"), path
        # Deferred scripts run in order: the package's come before the other extensions'.
        deferred = [_static_name(str(s["src"])) for s in _scripts(soup) if s.has_attr("defer")]
        first_other = next((i for i, name in enumerate(deferred) if name not in own), len(deferred))
        assert all(name not in own for name in deferred[first_other:]), (path, deferred)
        for script in _scripts(soup):
            name = _static_name(str(script["src"]))
            if name in own or BUNDLE_NAME.fullmatch(name):
                assert script.get("fetchpriority") == "high", script
        # Nothing is preloaded ahead of what the page needs first.
        assert soup.select('link[rel="preload"]') == [], path


def _joined_members(site: Path, name: str) -> list[str]:
    """The stylesheets a joined one (``site-<digest>.css``) holds, in order, as the build recorded them."""
    members: list[str] = json.loads((site.parent / ".doctrees" / "sourcebook-css" / "joined" / f"{name}.json")
                                    .read_text(encoding="utf-8"))
    return members


def test_no_stylesheet_is_found_only_through_another(course_site: Path) -> None:
    # The theme's styles/theme.css only imports basic.css: a page linking it fetched basic.css a round trip later.
    linked: set[str] = set()
    for path in _pages(course_site):
        links = [_static_name(str(link["href"])) for link in _soup(path).select('link[rel="stylesheet"]')]
        if links:  # not the redirecting home page, nor a worksheet (its styles are inline)
            members = [m for link in links for m in (_joined_members(course_site, link)
                                                     if JOINED_NAME.fullmatch(link) else [link])]
            assert "styles/theme.css" not in members and members[0] == "basic.css", (path, members[:3])
            linked.update(members)
    for name in linked:
        assert "@import" not in (course_site / "_static" / name).read_text(encoding="utf-8"), name


def test_every_page_links_the_sites_stylesheets_as_one_file(course_site: Path) -> None:
    """A browser fetches six files at a time from a host: ten stylesheets in the head came in two waves."""
    shared: set[str] = set()
    for path in _pages(course_site):
        links = [_static_name(str(link["href"])) for link in _soup(path).select('link[rel="stylesheet"]')]
        if not links:
            continue
        # The code colours and the quiz's stylesheet (linked only where they are used) stand alone, so that
        # the pages share the others joined.
        alone = [link for link in links if not JOINED_NAME.fullmatch(link)]
        assert alone == [name for name in ("pygments.css", "quiz.css") if name in alone], (path, links)
        if "pygments.css" not in links:
            assert len(links) - len(alone) == 1, (path, links)
            shared.add(links[0])
    assert len(shared) == 1  # one file for every page without code, cached once
    (name,) = shared
    members = _joined_members(course_site, name)
    assert members[:2] == ["basic.css", "styles/pydata-sphinx-theme.css"] and "quiz.css" not in members
    static = course_site / "_static"
    # In the pages' order, each as the site serves it (purged), addresses inside made relative to _static.
    assert (static / name).read_bytes() == joined(static, members)
    assert (static / "styles" / "pydata-sphinx-theme.css").read_bytes().decode()[-500:] in (static / name).read_text(
        encoding="utf-8")


def test_the_search_index_loads_on_the_search_page_only(course_site: Path) -> None:
    search_tools = ("searchindex.js", "searchtools.js", "language_data.js")
    for path in _pages(course_site):
        names = {_static_name(str(s["src"])).rsplit("/", 1)[-1] for s in _scripts(_soup(path))}
        if path.name == "search.html" and path.parent == course_site:
            assert set(search_tools) <= names
        else:
            assert not names & set(search_tools), path


def _original_theme_stylesheets(site: Path) -> dict[str, bytes]:
    """The site's stylesheets that are not the package's, as the theme and extensions ship them
    (kept by the build beside its cache), by address under the site."""
    originals = {}
    cache = site.parent / ".doctrees" / "sourcebook-css"
    for kept in cache.glob("*.original.css"):
        data = kept.read_bytes()
        for path in (site / "_static").rglob("*.css"):
            result = kept.with_name(kept.name.replace(".original.css", ".purged.css"))
            if result.is_file() and path.read_bytes() == result.read_bytes():
                originals[path.relative_to(site).as_posix()] = data
    return originals


#: Every element's classes with its ancestors', and its computed style and its ::before and ::after as one string.
#: Custom properties (``--name``) are left out: the served stylesheets drop those nothing uses, and each one
#: that is used shows in the computed values of the properties that use it.
COMPUTED_STYLES = """() => Array.from(document.querySelectorAll('*')).map(el => [
  (() => {
    let c = '';
    for (let n = el; n; n = n.parentElement) c = (n.getAttribute('class') || '') + '>' + c;
    return c;
  })(),
  [null, '::before', '::after'].map(p => {
    const s = getComputedStyle(el, p);
    return Array.from(s).filter(name => !name.startsWith('--'))
      .map(name => name + ':' + s.getPropertyValue(name)).join(';');
  }).join('|')])"""


def _fulfil_with(body: bytes, fulfilled: list[str]) -> Any:
    def fulfil(route: Any) -> None:
        fulfilled.append(route.request.url)
        route.fulfill(body=body, content_type="text/css")
    return fulfil


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_the_lighter_stylesheets_style_every_element_as_the_originals_do(
        course_site: Path, course_url: str, page: Any, width: int) -> None:
    originals = _original_theme_stylesheets(course_site)
    assert "_static/styles/pydata-sphinx-theme.css" in originals
    served = (course_site / "_static" / "styles" / "pydata-sphinx-theme.css").stat().st_size
    assert served < len(originals["_static/styles/pydata-sphinx-theme.css"]) / 2
    page.set_viewport_size({"width": width, "height": 800})
    styles = {}
    fulfilled: list[str] = []
    static = course_site / "_static"

    def original(member: str) -> bytes:
        return originals.get(f"_static/{member}") or (static / member).read_bytes()

    for side in ("served", "original"):
        if side == "original":
            for address, data in originals.items():
                page.route(f"**/{address}*", _fulfil_with(data, fulfilled))
            # A joined stylesheet: the same files joined as the originals.
            for joined_file in static.glob("site-*.css"):
                data = joined(static, _joined_members(course_site, joined_file.name), read=original)
                page.route(f"**/_static/{joined_file.name}*", _fulfil_with(data, fulfilled))
        for name in (MODULE_1, "book/progress.html"):
            page.goto(f"{course_url}/{name}", wait_until="networkidle")
            # Compared at rest: no transition or animation half-way (the same rule on both sides).
            page.add_style_tag(content="*, *::before, *::after { transition: none !important;"
                                       " animation: none !important; }")
            page.evaluate("() => document.fonts.ready")
            styles[side, name] = page.evaluate(COMPUTED_STYLES)
    joined_fulfilled = [name for name in (url.split("?")[0].rsplit("/", 1)[-1] for url in fulfilled)
                        if JOINED_NAME.fullmatch(name)]
    assert any("styles/pydata-sphinx-theme.css" in _joined_members(course_site, name) for name in joined_fulfilled), \
        "the originals were not what the page got"
    for name in (MODULE_1, "book/progress.html"):
        assert len(styles["served", name]) == len(styles["original", name]) > 100
        pairs = list(zip(styles["served", name], styles["original", name], strict=True))
        # The theme's scripts change some classes as they run (the table of contents follows
        # the scroll), at their own pace on each load: an element counts where its classes
        # and its ancestors' are the same on both loads.
        same_classes = [(i, a[1], b[1]) for i, (a, b) in enumerate(pairs) if a[0] == b[0]]
        assert len(same_classes) > 0.95 * len(pairs)
        differing = [i for i, a, b in same_classes if a != b]
        first = [sorted(set(pairs[i][0][1].split(";")) ^ set(pairs[i][1][1].split(";")))[:6] for i in differing[:1]]
        assert differing == [], f"{name}: {len(differing)} elements styled otherwise, the first in {first}"


@pytest.mark.browser
def test_a_module_page_fetches_no_web_font_no_search_index_and_nothing_from_another_host(
        course_url: str, page: Any) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{course_url}/{MODULE_1}", wait_until="networkidle")
    assert [url for url in requests if not url.startswith(course_url)] == []
    assert [url for url in requests if ".woff" in url or "searchindex.js" in url] == []
    # The quiz answers: its scripts ran although the other extensions' scripts now come after them.
    question = page.locator("fieldset.sb-q.sb-single").first
    question.locator(".sb-choice input").first.check()
    question.get_by_role("button", name="Check").click()
    assert question.locator(".sb-result").inner_text().strip()
    # Sphinx's doctools, now deferred after the quiz's scripts, ran too.
    assert page.evaluate("() => typeof Documentation === 'object' && typeof DOCUMENTATION_OPTIONS === 'object'")


@pytest.mark.browser
def test_without_bootstrap_the_header_buttons_keep_their_tooltips_sidebar_and_back_to_top(
        course_site: Path, course_url: str, page: Any) -> None:
    assert not list((course_site / "_static").rglob("bootstrap.js"))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{course_url}/{MODULE_1}", wait_until="networkidle")
    assert not [url for url in requests if "bootstrap" in url]
    # A tooltip shows when the keyboard's focus reaches a header button, says its name, and goes on Escape.
    button = page.locator('.article-header-buttons [data-bs-toggle="tooltip"]:visible').first
    name = button.get_attribute("aria-label")
    assert name and button.get_attribute("title") is None  # the title became the tooltip (and the name)
    button.focus()
    tip = page.locator('.tooltip[role="tooltip"]')
    expect(tip).to_have_text(name)
    expect(tip).to_be_visible()
    box, under = button.bounding_box(), tip.bounding_box()
    assert box and under and under["y"] >= box["y"] + box["height"] - 1
    page.keyboard.press("Escape")
    expect(tip).to_have_count(0)
    # ... and half a second after the pointer rests on it; it goes when the pointer leaves.
    button.hover()
    expect(tip).to_be_visible()
    page.mouse.move(640, 700)
    expect(tip).to_have_count(0)
    # On a phone (the theme shows no "Back to top" from 1200 px on): shown while scrolling back up below the
    # header, and it goes to the top; the sidebar's button (the theme's own script) still opens the sidebar.
    page.set_viewport_size({"width": 390, "height": 800})
    # The window itself scrolled, as a wheel over a box that scrolls on its own (a wide table) would not. Each
    # scroll waits for its scroll event, which the page's handler (registered before) has then seen: two
    # scrolls in one frame would give one event, as on a busy machine, and no scrolling up to see.
    scroll = """by => new Promise(seen => {
        addEventListener("scroll", () => seen(window.scrollY), {once: true});
        window.scrollBy(0, by);
    })"""
    assert page.evaluate(scroll, 3000) > 1000
    page.evaluate(scroll, -300)
    back = page.locator("#pst-back-to-top")
    expect(back).to_be_visible()
    back.click()
    page.wait_for_function("() => window.scrollY === 0")
    page.locator(".primary-toggle:visible").first.click()
    expect(page.locator("#pst-primary-sidebar-modal")).to_have_attribute("open", "")


def _quiz_page(ids: str) -> str:
    return f"---\norphan: true\n---\n\n# Extra practice\n\n```{{quiz}} questions/first.yml\n:ids: {ids}\n```\n"


def test_a_rebuild_removes_the_quiz_scripts_and_stylesheets_no_page_loads_any_more(build_mini: Any) -> None:
    """A page whose quiz shows other question types loads another quiz-<digest>.js: the one no page loads any
    more is removed, so that a site copied onto a USB stick carries only what its pages load."""

    def digest_named(app: Any) -> tuple[set[str], set[str]]:
        """The digest-named files of the site's static folder, and those its pages refer to."""
        site = Path(app.outdir)
        present = {p.name for p in (site / "_static").iterdir() if DIGEST_NAMED.fullmatch(p.name)}
        loaded = {name for page in site.rglob("*.html") for name in DIGEST_NAMED.findall(page.read_text("utf-8"))}
        return present, loaded

    first = build_mini(files={"extra.md": _quiz_page("satellite-years")})  # a numeric question alone
    present, loaded = digest_named(first)
    assert present == loaded and any(BUNDLE_NAME.fullmatch(name) for name in present)
    (numeric_only,) = {name for name in re.findall(r"quiz-[0-9a-f]{16}\.js",
                                                    (Path(first.outdir) / "extra.html").read_text("utf-8"))}
    again = build_mini(files={"extra.md": _quiz_page("isolation, satellite-years")})
    present, loaded = digest_named(again)
    assert numeric_only not in present and present == loaded, (numeric_only, present, loaded)
    assert "removed 1 quiz scripts and stylesheets no page loads any more" in again.log
