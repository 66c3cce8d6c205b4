"""The source and course directives on the small test course (tests/course/roots/mini)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

from sourcebook import load_source
from sourcebook.citation import citations

pytestmark = pytest.mark.book

ROOTS = Path(__file__).parent / "roots"
MODULE_3 = """---
module: 3
short_title: Third
themes: [Technology transfer, cold war science]
time: 30 minutes
---

# The third module

```{module-facts}
```
"""


def html(app: Any, page: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / page).read_text(encoding="utf-8"), "html.parser")


def text(node: Any) -> str:
    return " ".join(node.get_text(" ").split())


def test_source_text_shows_every_paragraph_verbatim_numbered_and_anchored(build_mini: Any) -> None:
    app = build_mini()
    source = load_source(ROOTS / "mini" / "sources" / "report.yml")
    box = html(app, "book/source.html").select_one(".sb-source-text")
    assert box is not None
    paragraphs = box.select("p.sb-para")
    assert [p["id"] for p in paragraphs] == [p.id for p in source.paragraphs]
    for shown, paragraph in zip(paragraphs, source.paragraphs, strict=True):
        number = shown.select_one(".sb-para-number")
        if paragraph.number is None:
            assert number is None
            assert shown.get_text() == paragraph.text
        else:
            assert number is not None and number.get_text() == str(paragraph.number)
            # The number links to its own anchor; the rest is the text, byte for byte.
            assert shown.select_one("a.sb-para-link")["href"] == f"#{paragraph.id}"
            number.parent.decompose()
            assert shown.get_text() == " " + paragraph.text
    assert "[Mao Zedong]" in box.get_text()


def test_source_text_is_not_touched_by_smart_quotes(build_mini: Any) -> None:
    report = (ROOTS / "mini" / "sources" / "report.yml").read_text(encoding="utf-8")
    report = report.replace('text: "Nie Rongzhen"', """text: "Nie -- 'Rongzhen' \\"N.R.\\" ..." """)
    app = build_mini(files={"sources/report.yml": report})
    signature = html(app, "book/source.html").select_one("#signature")
    assert signature is not None and signature.get_text() == "Nie -- 'Rongzhen' \"N.R.\" ..."


def test_the_page_with_the_full_text_is_recorded(build_mini: Any) -> None:
    app = build_mini()
    key = str((Path(app.srcdir) / "sources" / "report.yml").resolve())
    assert app.env.sourcebook_source_pages == {key: "book/source"}


def test_excerpts_quote_the_paragraphs_and_link_their_numbers_to_the_full_text(build_mini: Any) -> None:
    app = build_mini()
    source = load_source(ROOTS / "mini" / "sources" / "report.yml")
    quote = html(app, "modules/01-first/index.html").select_one("blockquote.sb-source-excerpt")
    assert quote is not None
    links = [a["href"] for a in quote.select("a.sb-para-link")]
    assert links == ["../../book/source.html#p1", "../../book/source.html#p3", "../../book/source.html#p4"]
    shown = list(quote.select("p.sb-para"))
    assert shown[0].get_text() == source.paragraph("salutation").text
    for p in shown[1:]:
        p.select_one("a").decompose()
    assert [p.get_text().strip() for p in shown[1:]] == [source.paragraph(a).text for a in ("p1", "p3", "p4")]
    assert "Nie Rongzhen, 3 July 1960" in text(quote.select_one(".attribution"))


def test_excerpt_numbers_stay_plain_text_without_a_full_text_page(build_mini: Any) -> None:
    index = (ROOTS / "mini" / "index.md").read_text(encoding="utf-8").replace("book/source\n", "")
    app = build_mini(files={"book/source.md": None, "index.md": index})
    quote = html(app, "modules/01-first/index.html").select_one("blockquote.sb-source-excerpt")
    assert quote is not None and not quote.select("a") and quote.select(".sb-para-number")


def test_source_card_shows_the_metadata_and_three_citation_styles(build_mini: Any) -> None:
    app = build_mini()
    source = load_source(ROOTS / "mini" / "sources" / "report.yml")
    card = html(app, "modules/01-first/index.html").select_one(".sb-source-card")
    assert card is not None
    fields = {text(dt).rstrip(":").strip(): text(dd) for dt, dd in
              zip(card.select(".sb-source-fields dt"), card.select(".sb-source-fields dd"), strict=True)}
    assert fields["Author"] == "Nie Rongzhen"
    assert fields["Date"] == "3 July 1960"
    assert fields["Translator"] == "Neil Silver"
    assert fields["Published in"] == source.original_publication
    assert fields["Abridged"].startswith("Yes")
    assert "claims no licence" in fields["Rights"]
    assert card.select_one(".sb-source-fields a")["href"] == source.archive_url
    terms, definitions = card.select(".sb-citations dt"), card.select(".sb-citations dd")
    styles = {text(dt): " ".join(dd.get_text().split()) for dt, dd in zip(terms, definitions, strict=True)}
    cite = citations(source)

    def plain(markdown: str) -> str:
        return markdown.replace("\\[", "[").replace("\\]", "]").replace("*", "")

    assert styles == {"Chicago (bibliography)": plain(cite.chicago_bibliography),
                      "Chicago (note)": plain(cite.chicago_note), "MLA": plain(cite.mla), "APA": plain(cite.apa)}
    assert card.select_one(".sb-citations em").get_text() == "Dang de wenxian (Party Historical Documents)"


@pytest.mark.parametrize(("files", "expected"), [
    ({"book/source.md": "# Full\n\n```{source-text} /sources/missing.yml\n```\n"}, "no source file at"),
    ({"sources/report.yml": "id: broken\ntitle: [unclosed\n"}, "report.yml:"),
    ({"modules/02-second/index.md": "---\nmodule: 2\n---\n# Two\n\n```{source-excerpt} /sources/report.yml\n"
      ":paragraphs: pp3\n```\n"}, "has no paragraph 'pp3'; did you mean `p3`?"),
    ({"modules/02-second/index.md": "---\nmodule: 2\n---\n# Two\n\n```{source-excerpt} /sources/report.yml\n"
      ":paragraphs: p4-p2\n```\n"}, "the range 'p4-p2' runs backwards"),
])
def test_source_errors_are_reported_with_their_place(build_mini: Any, files: dict[str, str], expected: str) -> None:
    app = build_mini(strict=False, files=files)
    assert expected in app.warnings
    assert "Traceback" not in app.warnings


def test_an_invalid_source_file_is_reported_at_its_own_line(build_mini: Any) -> None:
    report = (ROOTS / "mini" / "sources" / "report.yml").read_text(encoding="utf-8")
    app = build_mini(strict=False, files={"sources/report.yml": report.replace("date: 1960-07-03", "date: someday")})
    line = next(n for n, x in enumerate(report.splitlines(), 1) if x.startswith("date:"))
    assert f"report.yml:{line}:" in app.warnings and "ERROR" in app.warnings


def test_module_facts_show_time_and_themes_linked_to_the_theme_index(build_mini: Any) -> None:
    app = build_mini()
    facts = html(app, "modules/02-second/index.html").select_one("dl.sb-module-facts")
    assert facts is not None
    assert "45 minutes" in text(facts)
    assert [(a.get_text(), a["href"]) for a in facts.select("a")] == [
        ("Self-reliance", "../../book/themes.html#theme-self-reliance"),
        ("Cold War science", "../../book/themes.html#theme-cold-war-science")]


def _themes(app: Any) -> dict[str, list[str]]:
    page = html(app, "book/themes.html")
    return {text(s.find("h2")).rstrip("¶ ").strip(): [text(li) for li in s.select("li")]
            for s in page.select("section.sb-theme")}


def test_theme_index_lists_each_theme_with_its_modules(build_mini: Any) -> None:
    assert _themes(build_mini()) == {
        "Cold War science": ["Module 2: The second module (45 minutes)"],
        "Self-reliance": ["Module 1: The first module (50 minutes)", "Module 2: The second module (45 minutes)"],
        "Sources and evidence": ["Module 1: The first module (50 minutes)"],
    }


def test_a_new_module_appears_under_its_themes_with_no_other_edit(build_mini: Any) -> None:
    build_mini()
    # The same folder built again, as an author would: only the new page is added.
    app = build_mini(files={"modules/03-third/index.md": MODULE_3})
    themes = _themes(app)
    assert themes["Technology transfer"] == ["Module 3: The third module (30 minutes)"]
    # Themes are matched without regard to case, spelt as first met.
    assert themes["Cold War science"] == ["Module 2: The second module (45 minutes)",
                                          "Module 3: The third module (30 minutes)"]


def _pages_read(app: Any) -> set[str]:
    return set(re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", app.log))


def test_the_theme_index_is_read_again_when_a_page_changes_but_not_when_a_bank_does(build_mini: Any) -> None:
    app = build_mini()
    bank = Path(app.srcdir) / "questions" / "first.yml"
    app = build_mini(files={"questions/first.yml": bank.read_text(encoding="utf-8") + "\n# edited\n"})
    assert _pages_read(app) == {"modules/01-first/index", "modules/02-second/index"}
    page = Path(app.srcdir) / "modules" / "02-second" / "index.md"
    app = build_mini(files={"modules/02-second/index.md": page.read_text(encoding="utf-8") + "\nMore text.\n"})
    assert _pages_read(app) == {"modules/02-second/index", "book/themes"}


def _all_output(app: Any) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in Path(app.outdir).rglob("*")
                     if p.is_file() and p.suffix in (".html", ".js", ".ipynb", ".txt", ".json", ".md"))


def test_the_student_edition_leaves_out_model_answers_and_instructor_notes(build_mini: Any) -> None:
    app = build_mini()
    output = _all_output(app)
    for marker in ("MODEL-ANSWER-ONE", "INSTRUCTOR-NOTE-ONE", "INSTRUCTOR-NOTE-TWO"):
        assert marker not in output
    doctrees = b"".join(p.read_bytes() for p in Path(app.doctreedir).rglob("*.doctree"))
    assert b"MODEL-ANSWER-ONE" not in doctrees
    one = html(app, "modules/01-first/index.html")
    # The instructors' section had nothing else, so it goes; in module 2 it keeps its text.
    assert "For instructors" not in text(one)
    assert "Discuss paragraph 7 first." in text(html(app, "modules/02-second/index.html"))


def test_the_teacher_edition_shows_model_answers_in_a_toggle_and_marks_notes(build_mini: Any) -> None:
    app = build_mini(sourcebook_edition="teacher")
    one = html(app, "modules/01-first/index.html")
    toggle = one.select_one("details.sb-model-answer")
    assert toggle is not None and toggle.summary.get_text() == "Model answer"
    assert "MODEL-ANSWER-ONE" in text(toggle)
    note = one.select_one(".sb-instructor-note")
    assert note is not None and text(note.select_one(".admonition-title")) == "Instructor note"
    assert "INSTRUCTOR-NOTE-ONE" in text(note)
    two = html(app, "modules/02-second/index.html").select_one(".sb-instructor-note .admonition-title")
    assert two is not None and text(two) == "Instructor note: Timing"
    # Notebooks never carry teachers' material, in either edition.
    notebook = (Path(app.outdir) / "modules" / "01-first" / "01-first.ipynb").read_text(encoding="utf-8")
    assert "MODEL-ANSWER-ONE" not in notebook and "INSTRUCTOR-NOTE-ONE" not in notebook


def test_an_unknown_edition_is_an_error(build_mini: Any) -> None:
    app = build_mini(strict=False, sourcebook_edition="parent")
    assert "sourcebook_edition should be one of student, teacher, not 'parent'" in app.warnings
    assert "MODEL-ANSWER-ONE" not in _all_output(app)


def test_each_module_page_links_a_notebook_written_with_its_banks(build_mini: Any) -> None:
    app = build_mini()
    out = Path(app.outdir)
    for folder in ("01-first", "02-second"):
        link = html(app, f"modules/{folder}/index.html").select_one(".sb-notebook-download a")
        assert link is not None and link["href"] == f"{folder}.ipynb" and link.has_attr("download")
        notebook = nbformat.read(out / "modules" / folder / f"{folder}.ipynb", as_version=4)
        nbformat.validate(notebook)
    assert (out / "questions" / "first.yml").is_file()
    assert (out / "sources" / "report.yml").is_file()
    assert not (out / "book" / "source.ipynb").exists()
    code = [c.source for c in nbformat.read(out / "modules" / "02-second" / "02-second.ipynb", as_version=4).cells
            if c.cell_type == "code"]
    # The notebook carries its bank and source (a cell writes them beside it), and the quiz reads that copy.
    assert len(code) == 2 and "questions/first.yml" in code[0] and "sources/report.yml" in code[0]
    assert code[1] == 'from sourcebook import quiz\n\nquiz("questions/first.yml", ids=["isolation"])'


def test_a_notebook_that_cannot_be_made_is_reported_and_not_linked(build_mini: Any,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from sourcebook.notebooks import NotebookError, module_notebook
    from sourcebook.sphinx import course

    def failing(page: Any, *args: Any) -> Any:
        if "01-first" in str(page):
            raise NotebookError("line 3: an example of a page the notebook cannot show")
        return real(page, *args)

    real = module_notebook
    monkeypatch.setattr(course, "module_notebook", failing)
    app = build_mini(strict=False)
    assert "the notebook of this module could not be made: line 3: an example" in app.warnings
    out = Path(app.outdir)
    assert html(app, "modules/01-first/index.html").select_one(".sb-notebook-download, .sb-notebook-lite") is None
    assert not (out / "modules" / "01-first" / "01-first.ipynb").exists()
    assert html(app, "modules/02-second/index.html").select_one(".sb-notebook-download a") is not None
    assert html(app, "modules/02-second/index.html").select_one(".sb-notebook-lite a") is not None
    assert (out / "modules" / "02-second" / "02-second.ipynb").is_file()


def test_no_thebe_on_the_pages(build_mini: Any) -> None:
    app = build_mini(extensions=["myst_parser", "sphinx_thebe", "sourcebook.sphinx"])
    assert "thebe" not in (Path(app.outdir) / "modules" / "01-first" / "index.html").read_text(encoding="utf-8")


SHUFFLED = """---
module: 2
short_title: Second
---

# The second module

```{quiz} ../../questions/every.yml
:shuffle:
:seed: 5
:name: seeded
```

```{quiz} ../../questions/every.yml
:shuffle:
:count: 4
:name: per-student
```
"""


def test_a_seeded_shuffle_shows_the_same_order_on_the_site_and_the_worksheet(build_mini: Any) -> None:
    from orders import site_order, worksheet_order
    from sourcebook.selection import SeededRandom, mix

    every = (Path(__file__).parents[1] / "sphinx" / "roots" / "basic" / "questions" / "every-type.yml")
    app = build_mini(files={"questions/every.yml": every.read_text(encoding="utf-8"),
                            "modules/02-second/index.md": SHUFFLED}, sourcebook_edition="teacher")
    folder = Path(app.outdir) / "modules" / "02-second"
    site = site_order((folder / "index.html").read_text(encoding="utf-8"))
    assert site == worksheet_order((folder / "worksheet.html").read_text(encoding="utf-8"))
    assert site == worksheet_order((folder / "answer-key.html").read_text(encoding="utf-8"))
    # The seeded quiz is mixed at build time, by the algorithm of the browser (tests/conformance/order.yml).
    bank_ids = [q["id"] for q in yaml.safe_load(every.read_text(encoding="utf-8"))["questions"]]
    assert [i for i, _ in site[:10]] == mix(bank_ids, SeededRandom("5"))
    # The quiz mixed per student is written in the bank's order; the browser mixes it.
    drawn = [i for i, _ in site[10:]]
    assert len(drawn) == 4 and drawn == sorted(drawn, key=bank_ids.index)


def test_each_bank_is_read_once_per_build(build_mini: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from sourcebook import loader
    from sourcebook.sphinx import files

    reads: list[str] = []
    real = loader.read_bank

    def counting(path: Any, **kwargs: Any) -> Any:
        reads.append(Path(path).name)
        return real(path, **kwargs)

    monkeypatch.setattr(files, "read_bank", counting)
    build_mini()
    # Two modules quiz on it; each page, its worksheet and its notebook share one reading.
    assert reads == ["first.yml"]


BREAKER = '''
from pathlib import Path


def break_the_bank(app, doctree, docname):
    # The bank changes after the pages were read and before they are written.
    Path(app.srcdir, "questions", "first.yml").write_text("title: [broken\\n", encoding="utf-8")


def setup(app):
    app.connect("doctree-resolved", break_the_bank, priority=300)
'''


def test_a_bank_broken_between_reading_and_writing_is_reported(build_mini: Any) -> None:
    conf = (Path(__file__).parent / "roots" / "mini" / "conf.py").read_text(encoding="utf-8") + BREAKER
    app = build_mini(strict=False, files={"conf.py": conf})
    assert "the quiz's bank" in app.warnings and "no longer reads" in app.warnings
    assert not (Path(app.outdir) / "modules" / "02-second" / "worksheet.html").exists()
    assert html(app, "modules/02-second/index.html").select_one(".sb-worksheet-links") is None
CARD = """id: letter-1959
card: true
title: A letter that answers the report
author: A correspondent
date: 1959-06-20
date_note: the date the archive assigns
paragraphs:
  - id: who
    heading: Who wrote it, for whom, and why
    text: A correspondent, for the report's author.
  - id: summary
    heading: What it says, in summary
    text: It declines what was promised.
"""


def test_a_document_card_page_and_quiz_evidence_that_links_into_it(build_mini: Any) -> None:
    bank = (ROOTS / "mini" / "questions" / "first.yml").read_text(encoding="utf-8")
    bank = bank.replace("source: ../sources/report.yml\n",
                        "source: ../sources/report.yml\ndocuments: [../sources/card.yml]\n", 1)
    bank = bank.replace("    evidence: [salutation]", "    evidence: [salutation, letter-1959#summary]", 1)
    assert "letter-1959#summary" in bank
    page = "# The letter\n\n```{source-card} /sources/card.yml\n```\n\n```{source-text} /sources/card.yml\n```\n"
    index = (ROOTS / "mini" / "index.md").read_text(encoding="utf-8")
    app = build_mini(files={"sources/card.yml": CARD, "questions/first.yml": bank, "book/letter.md": page,
                            "index.md": index.replace("book/glossary", "book/glossary\nbook/letter", 1)})
    card = html(app, "book/letter.html")
    sections = card.select(".sb-document-card section.sb-card-section")
    assert [s["id"] for s in sections] == ["who", "summary"]
    assert sections[1].h2 is not None and sections[1].h2.get_text().startswith("What it says, in summary")
    fields = card.select_one(".sb-source-card").get_text(" ")
    assert "Not reproduced here" in fields and "Abridged" not in fields
    assert "20 June 1959 (the date the archive assigns)" in fields
    module = html(app, "modules/01-first/index.html")
    assert module.select_one('.sb-evidence a[href="../../book/letter.html#summary"]') is not None
    # The module's notebook finds the card beside the bank in the built site, and is still the one linked.
    assert (Path(app.outdir) / "sources" / "card.yml").is_file()
    link = module.select_one(".sb-notebook-download a")
    assert link is not None and link["href"] == "01-first.ipynb"


def test_a_build_with_nothing_to_write_leaves_the_stylesheets_as_they_are(build_mini: Any) -> None:
    app = build_mini()
    assert "the theme's stylesheets without unused rules" in app.log
    static = Path(app.outdir) / "_static"
    served = {path: path.read_bytes() for path in static.rglob("*.css")}
    again = build_mini()
    assert "no targets are out of date" in again.log
    assert "the theme's stylesheets without unused rules" not in again.log  # nothing was copied, nothing to purge
    assert {path: path.read_bytes() for path in static.rglob("*.css")} == served
    # A build that writes pages purges again, to the same stylesheets.
    third = build_mini(files={"questions/first.yml": (ROOTS / "mini" / "questions" / "first.yml").read_text(
        encoding="utf-8").replace("prompt: ", "prompt: (Edited) ", 1)})
    assert "the theme's stylesheets without unused rules" in third.log
    assert {path: path.read_bytes() for path in static.rglob("*.css")} == served
