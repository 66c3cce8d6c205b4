"""The real course, built with jupyter-book as `make book` and `make teacher-book` do.

One student build and one teacher build per session, one browser. Checked: the
full text equals the report in the seed; every page loads with no request to
another host and no axe-core violation, and none scrolls sideways at 320 px;
every internal link and asset exists;
no thebe or launch buttons; model answers and instructor notes only in the
teacher edition; the module notebooks run on a fresh kernel.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup

from sourcebook.notebooks import theme_list, without_left_out
from sourcebook.pages import Directive, all_directives

pytestmark = [pytest.mark.xdist_group("course"), pytest.mark.book, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
#: The archive's text of the report as the course received it (page furniture and all).
SEED = REPO / "tests" / "data" / "nie-rongzhen-1960-report.txt"
MODULES = sorted((REPO / "modules").glob("*/index.md"))
AXE = Path(str(__import__("axe_playwright_python").__file__)).parent / "axe.min.js"


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _pages(site: Path) -> list[Path]:
    """Every page of the site (the theme's template fragments in _static are not pages, and the
    in-browser notebooks' JupyterLite app in lite/ is tested in test_course_lite.py)."""
    return sorted(p for p in site.rglob("*.html")
                  if "_static" not in p.relative_to(site).parts and p.relative_to(site).parts[0] != "lite")


def test_the_source_page_shows_the_report_exactly_as_in_the_seed(course_site: Path) -> None:
    seed = SEED.read_text(encoding="utf-8")
    start = seed.index("Central Committee and Chairman")
    end = seed.index("3 July 1960", start) + len("3 July 1960")
    soup = _soup(course_site / "book" / "source.html")
    texts = soup.select(".sb-source-text")
    assert len(texts) == 1
    for number in texts[0].select(".sb-para-number"):
        number.decompose()
    assert _normalise(texts[0].get_text(" ")) == _normalise(seed[start:end])
    # Anchors p1..p8, each paragraph with its visible number.
    ids = [p.get("id") for p in soup.select(".sb-source-text p")]
    assert ids == ["salutation", *[f"p{n}" for n in range(1, 9)], "signature", "date"]
    fresh = _soup(course_site / "book" / "source.html")
    numbers = [n.get_text() for n in fresh.select(".sb-source-text .sb-para-number")]
    assert numbers == [str(n) for n in range(1, 9)]


def test_the_full_text_appears_once_in_the_site(course_site: Path) -> None:
    pages = [p for p in _pages(course_site) if _soup(p).select(".sb-source-text")]
    assert [p.relative_to(course_site).as_posix() for p in pages] == ["book/source.html"]


@pytest.mark.browser
def test_every_page_makes_no_request_to_another_host_and_has_no_axe_violation(course_site: Path, course_url: str,
                                                                             page: Any) -> None:
    failures = []
    for path in _pages(course_site):
        name = path.relative_to(course_site).as_posix()
        page.goto(f"{course_url}/{name}", wait_until="networkidle")
        if page.watch.foreign_requests:
            failures.append(f"{name}: requests to other hosts {page.watch.foreign_requests}")
            page.watch.foreign_requests.clear()
        if page.watch.console_errors or page.watch.page_errors:
            failures.append(f"{name}: errors {page.watch.console_errors + page.watch.page_errors}")
            page.watch.console_errors.clear()
            page.watch.page_errors.clear()
        page.add_script_tag(path=str(AXE))
        # preload: false, because axe's own fetch of the theme's @import'ed
        # CSS resolves the address wrongly and shows up as a 404.
        found = page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ["violations"], preload: false});
            return r.violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "));
        }""")
        failures += [f"{name}: {v}" for v in found]
    assert failures == [], "\n".join(failures)


@pytest.mark.browser
def test_at_400_percent_zoom_no_page_scrolls_sideways(course_site: Path, course_url: str, page: Any) -> None:
    # WCAG 1.4.10: a 1280 px window at 400% is 320 CSS px wide. Every page of the site in sphinx-book-theme
    # (the test book's are in pydata-sphinx-theme), and the printable worksheets, read on a phone too.
    from reflow import scrolls_sideways

    page.set_viewport_size({"width": 320, "height": 700})
    failures = []
    for path in _pages(course_site):
        name = path.relative_to(course_site).as_posix()
        page.goto(f"{course_url}/{name}", wait_until="networkidle")  # index.html moves on to the first page
        failures += [f"{name}: {found}" for found in scrolls_sideways(page)]
    assert failures == [], "\n".join(failures)


def _links(path: Path, site: Path) -> list[tuple[str, Path, str]]:
    """(href as written, target file, fragment) of every local href and src on a page."""
    soup = _soup(path)
    found = []
    for tag in soup.find_all(True):
        for attribute in ("href", "src"):
            value = tag.get(attribute)
            if not isinstance(value, str) or not value or value.startswith(("data:", "mailto:", "javascript:")):
                continue
            if urlparse(value).scheme or value.startswith("//"):
                continue
            url, fragment = urldefrag(value)
            target = (path.parent / unquote(url.split("?")[0])).resolve() if url else path
            if target.is_dir():
                target = target / "index.html"
            found.append((value, target, unquote(fragment)))
    return found


def test_no_broken_internal_links(course_site: Path) -> None:
    ids: dict[Path, set[str]] = {}
    broken = []
    for path in _pages(course_site):
        for href, target, fragment in _links(path, course_site):
            if not target.exists():
                broken.append(f"{path.relative_to(course_site)}: {href} (no file)")
                continue
            if fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = {t.get("id") for t in _soup(target).find_all(id=True)}
                if fragment not in ids[target]:
                    broken.append(f"{path.relative_to(course_site)}: {href} (no #{fragment})")
    assert broken == []


def test_no_thebe_or_launch_buttons(course_site: Path) -> None:
    for path in _pages(course_site):
        html = path.read_text(encoding="utf-8")
        for marker in ("thebe", "launch-buttons", "binder", "colab", "jupyterhub", "unpkg.com"):
            assert marker not in html.lower(), f"{path.relative_to(course_site)} mentions {marker}"


# --- editions ------------------------------------------------------------------------


def _directives(name: str, pages: list[Path] = MODULES) -> list[Directive]:
    """The page's directives called ``name``, wherever they stand (model answers sit in list items)."""
    return [d for page in pages for d in all_directives(page.read_text(encoding="utf-8")) if d.name == name]


def _runs(body: str) -> list[str]:
    """Runs of plain words in a Markdown body: text that appears in the HTML as written."""
    runs = re.split(r"[*_`\[\]{}()<>#|\"'’“”‘\n]|\s-\s|\d+\)", body)
    return sorted({_normalise(r) for r in runs if len(_normalise(r)) >= 20}, key=len, reverse=True)


def _public_text() -> str:
    """Everything the student edition may show: pages without teachers' material, sources, banks."""
    parts = []
    for page in [*REPO.glob("book/*.md"), *MODULES]:
        # Model answers in list items are indented: cut by their lines, as the notebook does.
        text = without_left_out(page.read_text(encoding="utf-8"))
        for name in ("model-answer", "instructor-note"):
            for directive in _directives(name, [page]):
                text = text.replace(directive.source, "")
        parts.append(text)
    parts += [p.read_text(encoding="utf-8") for p in [*REPO.glob("sources/*.yml"), *REPO.glob("questions/*.yml")]]
    return _normalise(" ".join(parts))


def _site_text(site: Path) -> str:
    parts = []
    for path in site.rglob("*"):
        if path.suffix == ".html":
            parts.append(_soup(path).get_text(" "))
        elif path.suffix in (".js", ".json", ".ipynb", ".txt", ".md", ".yml"):
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
    return _normalise(" ".join(parts))


@pytest.fixture(scope="module")
def teacher_material() -> dict[str, list[str]]:
    """For each model answer and instructor note, its longest run of words found nowhere else in the course."""
    public = _public_text()
    material: dict[str, list[str]] = {}
    for name in ("model-answer", "instructor-note"):
        material[name] = []
        for directive in _directives(name):
            own = [run for run in _runs(directive.body) if run not in public]
            assert own, f"no text of its own in the {name} at line {directive.line}: {directive.body[:80]}"
            material[name].append(own[0])
    assert material["model-answer"] and material["instructor-note"], "the modules should have teachers' material"
    return material


def test_the_student_site_holds_no_model_answer_or_instructor_note(course_site: Path,
                                                                   teacher_material: dict[str, list[str]]) -> None:
    text = _site_text(course_site)
    for kind, fragments in teacher_material.items():
        found = [f for f in fragments if f in text]
        assert found == [], f"{kind} text in the student site: {found}"
    assert not list(course_site.rglob("_sources"))


def test_the_teacher_site_holds_every_model_answer_and_instructor_note(teacher_site: Path,
                                                                      teacher_material: dict[str, list[str]]) -> None:
    text = _normalise(" ".join(_soup(p).get_text(" ") for p in _pages(teacher_site)))
    for kind, fragments in teacher_material.items():
        missing = [f for f in fragments if f not in text]
        assert missing == [], f"{kind} text missing from the teacher site: {missing}"
    module = _soup(teacher_site / "modules" / "01-meeting-the-source" / "index.html")
    assert module.select("details.sb-model-answer > summary")
    assert module.select(".sb-instructor-note .admonition-title")


# --- themes and notebooks ------------------------------------------------------------


def _front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text.split("---", 2)[1])
    return data


def test_the_themes_page_lists_every_module_under_each_of_its_themes(course_site: Path) -> None:
    soup = _soup(course_site / "book" / "themes.html")
    listed = {}
    for section in soup.select("section.sb-theme"):
        title = section.find(["h2", "h3"])
        assert title is not None
        heading = title.get_text().replace("#", "").strip()
        listed[heading] = {a["href"].split("/")[-2] for a in section.select("a.reference.internal")
                           if "index.html" in a["href"]}
    expected: dict[str, set[str]] = {}
    for module in MODULES:
        for theme in theme_list(_front_matter(module).get("themes")):
            expected.setdefault(theme, set()).add(module.parent.name)
    assert listed == expected


def test_every_module_page_links_its_notebook(course_site: Path) -> None:
    for module in MODULES:
        html = course_site / "modules" / module.parent.name / "index.html"
        link = _soup(html).select_one("p.sb-notebook-download a[download]")
        assert link is not None and link.get_text() == "Download this module as a Jupyter notebook"
        assert (html.parent / link["href"]).is_file()


def test_the_module_notebooks_run_on_a_fresh_kernel(course_site: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    notebooks = sorted(course_site.glob("modules/*/*.ipynb"))
    assert len(notebooks) == len(MODULES)
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        assert any(c.cell_type == "code" and "quiz(" in c.source for c in notebook.cells), path.name
        NotebookClient(notebook, kernel_name="python3", timeout=120,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
                  if o.get("output_type") == "error"]
        assert errors == [], f"{path.name}: {errors}"


def test_every_quiz_shows_the_same_order_on_the_site_and_on_its_worksheet(course_site: Path) -> None:
    from orders import site_order, worksheet_order

    for module in MODULES:
        folder = course_site / "modules" / module.parent.name
        site = site_order((folder / "index.html").read_text(encoding="utf-8"))
        assert site, module
        assert site == worksheet_order((folder / "worksheet.html").read_text(encoding="utf-8")), module
# --- the report, the document set and what pages may mention ---------------------------


def _report_paragraphs() -> list[str]:
    seed = SEED.read_text(encoding="utf-8")
    body = seed[seed.index("Central Committee and Chairman"):]
    return [_normalise(block) for block in body.split("\n\n") if block.strip()]


def test_every_excerpt_on_every_page_is_a_paragraph_of_the_report_verbatim(course_site: Path) -> None:
    report = set(_report_paragraphs())
    excerpts = 0
    for path in _pages(course_site):
        for quote in _soup(path).select(".sb-source-excerpt"):
            for paragraph in quote.select("p.sb-para"):
                for number in paragraph.select(".sb-para-number"):
                    number.decompose()
                assert _normalise(paragraph.get_text()) in report, f"{path.name}: {paragraph.get_text()[:80]}"
                excerpts += 1
    # Modules 1 to 6 quote, between them, every numbered paragraph.
    assert excerpts >= 8


#: Each document of the set: its card page, and the phrases by which a page mentions it.
DOCUMENTS = {
    "book/documents/zhou-enlai-1960-remarks.html":
        r"Zhou Enlai'?s? (?:remarks|annotat)|Zhou wrote remarks|Zhou annotated",
    "book/documents/soviet-recall-note-1960.html":
        r"recall note|note recalling|note recalled|recall of the Soviet experts",
    "book/documents/khrushchev-sed-letter-1960.html": r"Khrushchev'?s letter|letter to the East German",
    "book/documents/nie-13-2-60.html": r"NIE 13-2-60|estimate of December 1960",
    "book/documents/snie-13-4-64.html": r"SNIE 13-4-64|estimate of August 1964",
}


def test_no_page_mentions_a_document_it_does_not_let_the_student_see(course_site: Path) -> None:
    missing = []
    for path in _pages(course_site):
        if path.name == "genindex.html":  # the index lists glossary terms, not documents
            continue
        soup = _soup(path)
        # The page's own content (a worksheet's instructions sit above its <main>).
        main = soup if path.name == "worksheet.html" else soup.select_one("main") or soup
        text = _normalise(main.get_text(" "))
        # Links in the page's own content only: the sidebar links every page of the site.
        hrefs = [str(a["href"]) for a in main.select("a[href]")]
        targets = {(path.parent / unquote(urldefrag(href)[0])).resolve() for href in hrefs
                   if not urlparse(href).scheme and urldefrag(href)[0]}
        for card, mention in DOCUMENTS.items():
            if (course_site / card).resolve() == path.resolve() or not re.search(mention, text, flags=re.IGNORECASE):
                continue
            if path.name == "worksheet.html":  # printed, so it names the card where a page would link it
                title = _soup(course_site / card).select_one(".sb-source-title").get_text()
                if _normalise(title).replace("\u2019", "'") not in text.replace("\u2019", "'"):
                    missing.append(f"{path.relative_to(course_site)} mentions {card} without naming it")
            elif (course_site / card).resolve() not in targets:
                missing.append(f"{path.relative_to(course_site)} mentions {card} without a link to it")
        # The course's own working notes are not something a student can see.
        if "fact sheet" in text.lower():
            missing.append(f"{path.relative_to(course_site)} cites the fact sheet")
    assert missing == []


@pytest.mark.parametrize("card", sorted(DOCUMENTS), ids=lambda c: Path(c).stem)
def test_each_document_card_shows_its_sections_and_says_the_text_is_not_reproduced(course_site: Path,
                                                                                card: str) -> None:
    from sourcebook import load_source

    source = load_source(REPO / "sources" / (Path(card).stem + ".yml"))
    soup = _soup(course_site / card)
    sections = soup.select(".sb-document-card .sb-card-section")
    assert [s.get("id") for s in sections] == [p.id for p in source.paragraphs]
    assert [s.select_one("h2").get_text().rstrip("#") for s in sections] == [p.heading for p in source.paragraphs]
    assert "Not reproduced here" in soup.select_one(".sb-source-card").get_text()
    assert soup.select_one(f'.sb-source-card a[href="{source.archive_url}"]') is not None


def _interface_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Each English interface text that Chinese words differently, as a pattern of a whole text."""
    from sourcebook.i18n import catalogue

    texts = catalogue()
    patterns = []
    for key, english in texts["en"].items():
        if english == texts["zh_CN"][key]:
            continue  # "MLA", "APA", the same in both
        parts = re.split(r"\{\w+\}", " ".join(english.split()))
        if len(re.sub(r"\W", "", "".join(parts))) < 3:
            continue  # nothing but placeholders and punctuation ("{day} {month_name} {year}")
        patterns.append((key, re.compile(".+?".join(re.escape(p) for p in parts))))
    return patterns


def test_a_chinese_build_shows_no_english_interface_text(chinese_teacher_site: Path) -> None:
    import json

    patterns = _interface_patterns()
    found: set[tuple[str, str, str]] = set()
    pages = _pages(chinese_teacher_site)
    assert any(p.name == "worksheet.html" for p in pages) and any(p.name == "answer-key.html" for p in pages)
    for page in pages:
        soup = _soup(page)
        texts: list[str] = []
        for data in soup.select("script.sb-data"):
            strings = json.loads(data.get_text()).get("strings", {})
            texts += list(strings.values())
        for script in soup.find_all(["script", "style"]):
            script.decompose()
        # Headings and bank titles are the course's own words (a module's "Quiz" section), not interface text.
        for heading in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "title"]):
            heading.decompose()
        for title in soup.select(".sb-title, .sb-progress-table td"):
            title.decompose()
        # What sourcebook writes: a worksheet whole, on a page its elements (the rest is the course's own text).
        generated = [soup] if page.name in ("worksheet.html", "answer-key.html") else [
            e for e in soup.find_all(class_=re.compile(r"^sb-"))
            if not e.find_parent(class_=re.compile(r"^sb-"))]
        for element in generated:
            texts += [" ".join(t.split()) for t in element.find_all(string=True)]
            texts += [str(e[attr]) for attr in ("title", "aria-label") for e in element.select(f"[{attr}]")]
        for text in texts:
            for key, pattern in patterns:
                if text and pattern.fullmatch(text.strip()):
                    found.add((page.name, key, text))
    assert not found, "\n".join(map(str, sorted(found)[:60]))
