"""The benchmarks' helpers on tiny inputs, timing nothing: benchmarks do not fail
the tests, but they must not rot. Finding the quiz directives of a page,
removing them, counting the pages Sphinx reads, the questions and banks the
benchmarks make, jupyterquiz's format, weighing a page's scripts and styles,
and one build of the time-to-interactive book (3 questions), whose page must
have what the in-page clicking script looks for.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # benchmarks/ is a package at the top of the repository, not installed

from benchmarks import __main__ as bench_main  # noqa: E402
from benchmarks import (  # noqa: E402
    bench_curriculum,
    bench_edit,
    bench_extension,
    bench_interactive,
    bench_lighthouse,
    bench_network,
    bench_preview,
    bench_report,
    bench_weight,
)
from benchmarks.common import Figure, compile_modules  # noqa: E402

from sourcebook.i18n import strings_for  # noqa: E402
from sourcebook.loader import load_bank  # noqa: E402

PAGE = """\
---
module: 1
---
# A page

```{quiz} /questions/one.yml
:count: 2
```

An example, not a quiz:

````md
```{quiz} /questions/one.yml
```
````

:::{quiz} ../../questions/two.yml
:::

````{admonition} Inside another directive
```{quiz} /questions/two.yml
```
````

The end.
"""
EXAMPLE_ONLY = "Write a quiz like this:\n\n````md\n```{quiz} /questions/one.yml\n```\n````\n"


def test_every_benchmark_is_listed_and_has_run() -> None:
    for name in bench_main.BENCHMARKS:
        module = __import__(f"benchmarks.{name}", fromlist=["run"])
        assert callable(module.run), name
    assert {"bench_edit", "bench_extension", "bench_weight", "bench_interactive", "bench_report", "bench_network",
            "bench_lighthouse", "bench_curriculum"} <= set(bench_main.BENCHMARKS)


def test_directives_are_found_as_myst_reads_them() -> None:
    found = bench_edit.directives(PAGE)
    assert [(name, argument) for _, _, name, argument in found] == [
        ("quiz", "/questions/one.yml"), ("quiz", "../../questions/two.yml"), ("quiz", "/questions/two.yml")]
    assert bench_edit.directives("# Progress\n\n```{quiz-progress}\n```\n") == [(2, 4, "quiz-progress", "")]
    assert bench_edit.directives(EXAMPLE_ONLY) == []
    lines = PAGE.splitlines()
    for start, end, name, _ in found:
        assert "{" + name + "}" in lines[start]
        assert lines[end - 1].strip(":`") == ""


def test_stripping_quizzes_keeps_everything_else() -> None:
    stripped = bench_extension.strip_quizzes(PAGE)
    assert bench_edit.directives(stripped) == []
    assert "````md\n```{quiz} /questions/one.yml\n```\n````" in stripped  # the example stays
    assert stripped.startswith("---\nmodule: 1\n---\n# A page\n")
    assert "{admonition} Inside another directive" in stripped and stripped.endswith("The end.\n")


def make_course(folder: Path) -> Path:
    for name in ("questions", "modules/m1", "book", "_build/html"):
        (folder / name).mkdir(parents=True)
    for bank in ("one", "two"):
        (folder / "questions" / f"{bank}.yml").write_text("title: x\n", encoding="utf-8")
    (folder / "modules" / "m1" / "index.md").write_text(PAGE, encoding="utf-8")
    (folder / "book" / "other.md").write_text("```{quiz} /questions/two.yml\n```\n", encoding="utf-8")
    (folder / "book" / "plain.md").write_text("# No quiz\n", encoding="utf-8")
    (folder / "book" / "example.md").write_text(EXAMPLE_ONLY, encoding="utf-8")
    (folder / "book" / "progress.md").write_text("# Progress\n\n```{quiz-progress}\n```\n", encoding="utf-8")
    (folder / "_build" / "html" / "stale.md").write_text(PAGE, encoding="utf-8")
    (folder / "_config.yml").write_text("title: x\n", encoding="utf-8")
    return folder


def test_pages_using_a_bank_and_the_course_copy(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course")
    one, two = course / "questions" / "one.yml", course / "questions" / "two.yml"
    # The progress page lists every quiz; an example in a code block is no quiz.
    assert bench_edit.pages_using(course, one) == ["book/progress", "modules/m1/index"]
    assert bench_edit.pages_using(course, two) == ["book/other", "book/progress", "modules/m1/index"]
    assert bench_edit.most_used_bank(course) == two

    copy = bench_edit.copy_course(course, tmp_path / "copy")
    assert (copy / "_config.yml").exists() and (copy / "modules" / "m1" / "index.md").exists()
    assert not (copy / "_build").exists()
    assert bench_extension.strip_course(copy) == 5
    assert bench_edit.pages_using(copy, two) == []
    assert (copy / "book" / "example.md").read_text(encoding="utf-8") == EXAMPLE_ONLY
    assert (copy / "book" / "plain.md").read_text(encoding="utf-8") == "# No quiz\n"


def test_pages_read_from_sphinx_output() -> None:
    output = bench_edit.ANSI.sub("", (
        "\x1b[01mupdating environment: \x1b[39;49;00m0 added, 2 changed, 0 removed\n"
        "\x1b[01mreading sources... \x1b[39;49;00m[ 50%] \x1b[35mbook/progress\x1b[39;49;00m\n"
        "\x1b[01mreading sources... \x1b[39;49;00m[100%] \x1b[35mmodules/m1/index\x1b[39;49;00m\n"
        "\x1b[01mwriting output... \x1b[39;49;00m[100%] \x1b[32mbook/intro\x1b[39;49;00m\n"))
    assert bench_edit.pages_read(output) == ["book/progress", "modules/m1/index"]
    assert bench_edit.pages_read("reading sources... \n") == []


def test_course_questions_make_a_clean_bank_and_jupyterquiz_json(tmp_path: Path) -> None:
    source, questions = bench_weight.course_questions(ROOT, 3, types=("single",))
    assert source.exists() and len(questions) == 3
    assert all(q["type"] == "single" for q in questions)
    bank = bench_weight.write_bank(tmp_path / "bank.yml", "Three", source, questions)
    assert [q.id for q in load_bank(bank).questions] == [q["id"] for q in questions]

    converted = bench_weight.jupyterquiz_questions(bank)
    assert len(converted) == 3
    for original, question in zip(questions, converted, strict=True):
        assert question["type"] == "multiple_choice"
        assert question["question"].strip() == original["prompt"].strip()
        assert sum(a["correct"] for a in question["answers"]) == 1
        assert len(question["answers"]) == len(original["choices"])

    with pytest.raises(RuntimeError, match="fewer than"):
        bench_weight.course_questions(ROOT, 10_000)


def test_a_bank_that_does_not_check_is_refused(tmp_path: Path) -> None:
    source, questions = bench_weight.course_questions(ROOT, 2)
    with pytest.raises(RuntimeError, match="does not check"):
        bench_weight.write_bank(tmp_path / "bank.yml", "Twice", source, [questions[0], questions[0]])


def test_notebook_without_outputs() -> None:
    notebook = {"cells": [{"cell_type": "markdown", "source": "# x"},
                          {"cell_type": "code", "source": "1", "execution_count": 3,
                           "outputs": [{"output_type": "execute_result"}]}]}
    plain = json.loads(bench_weight.without_outputs(json.dumps(notebook)))
    assert plain["cells"][1]["outputs"] == [] and plain["cells"][1]["execution_count"] is None
    assert plain["cells"][0] == notebook["cells"][0]


def test_weighing_what_a_page_adds(tmp_path: Path) -> None:
    static = tmp_path / "_static"
    static.mkdir()
    (static / "theme.css").write_text("body { color: black; }\n" * 20)
    (static / "quiz.js").write_text("function quiz() { return 1; }\n" * 50)
    head = '<link rel="stylesheet" href="_static/theme.css?v=1"><script src="_static/theme.js" defer></script>'
    (static / "theme.js").write_text("var theme = 1;\n")
    (tmp_path / "plain.html").write_text(
        f"<html><head>{head}<script>DOCUMENTATION_OPTIONS.pagename = 'plain';</script></head><body></body></html>")
    (tmp_path / "quiz.html").write_text(
        f'<html><head>{head}<script src="_static/quiz.js?v=2" defer></script>'
        "<script>DOCUMENTATION_OPTIONS.pagename = 'quiz';</script>"
        '<script src="https://cdn.example.org/x.js"></script></head>'
        '<body><script type="application/json">{"a": 1}</script><style>.q { margin: 0 }</style></body></html>')
    added = bench_weight.added_assets(tmp_path / "quiz.html", tmp_path / "plain.html")
    assert set(added) == {"file _static/quiz.js", "external https://cdn.example.org/x.js",
                          'inline <script> {"a": 1}', "inline <style> .q { margin: 0 }"}
    js = (static / "quiz.js").read_bytes()
    assert added["file _static/quiz.js"] == bench_weight.gzipped(js) < len(js)
    assert added["external https://cdn.example.org/x.js"] == bench_weight.gzipped(b"")
    assert bench_weight.breakdown(added).startswith("quiz.js ")
    # As a browser fetched them: a script that a script added counts too, a file never fetched does not.
    (static / "later.js").write_text("var later = 2;\n")
    fetched = {tmp_path / "quiz.html": ["_static/theme.css", "_static/quiz.js", "_static/later.js"],
               tmp_path / "plain.html": ["_static/theme.css", "_static/theme.js"]}
    added = bench_weight.added_assets(tmp_path / "quiz.html", tmp_path / "plain.html", fetched)
    assert set(added) == {"file _static/quiz.js", "file _static/later.js",
                          'inline <script> {"a": 1}', "inline <style> .q { margin: 0 }"}


def test_modules_are_compiled_to_bytecode_as_an_installed_package_is(tmp_path: Path) -> None:
    package = tmp_path / "package"
    (package / "inner").mkdir(parents=True)
    modules = [package / "__init__.py", package / "inner" / "__init__.py", package / "inner" / "module.py"]
    for module in modules:
        module.write_text("VALUE = 1\n", encoding="utf-8")
    compile_modules(package)
    for module in modules:
        assert Path(importlib.util.cache_from_source(str(module))).is_file(), module
    # sourcebook's own modules, by default.
    compile_modules()
    import sourcebook.loader
    assert Path(importlib.util.cache_from_source(sourcebook.loader.__file__)).is_file()
    (package / "broken.py").write_text("def (:\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="compiling"):
        compile_modules(package)


def test_figures_print_in_the_table() -> None:
    figure = Figure("x", 2.0, "y", 4.0, "s", 0.3, "a note")
    assert figure.ratio == 0.5 and not figure.met
    assert "MISSED" in bench_main.table([figure])
    # A goal on the value itself: seconds at most, a score at least.
    seconds = Figure("slow", 9.5, "anchor", 20.0, "s", None, limit=10.0)
    assert seconds.met and seconds.goal_text == "≤ 10 s"
    assert not Figure("slow", 10.5, "anchor", 20.0, "s", None, limit=10.0).met
    score = Figure("lighthouse", 90, "anchor", 30, "", None, limit=95, at_least=True)
    assert not score.met and score.goal_text == "≥ 95"
    assert Figure("lighthouse", 100, "anchor", 30, "", None, limit=95, at_least=True).met
    assert "≥ 95" in bench_main.table([score])
    shown = Figure("rebuild", 2.0, "clean", 3.0, "s", None)
    assert shown.met and shown.verdict == "" and shown.goal_text == "none"


def test_every_question_type_has_a_jupyterquiz_counterpart() -> None:
    bank = load_bank(ROOT / "tests" / "examples" / "valid" / "every-type.yml")
    converted = {type(q).__name__: bench_network.jupyterquiz_question(q) for q in bank.questions}
    assert len(converted) == 10
    assert converted["Evidence"]["type"] == "many_choice"
    assert [a["correct"] for a in converted["Evidence"]["answers"]] == [False, True, True, True]
    assert converted["SingleChoice"]["type"] == "multiple_choice"
    assert converted["MultipleAnswer"]["type"] == "many_choice"
    assert [a["answer"] for a in converted["TrueFalse"]["answers"]] == ["True", "False"]
    assert converted["Numeric"]["answers"][0]["range"][0] == 40
    for name in ("ShortText", "Ordering", "Matching", "Blanks", "OpenResponse"):
        answers = converted[name]["answers"]
        assert converted[name]["type"] == "string" and answers[0]["correct"] and answers[-1]["type"] == "default"


def test_the_anchor_page_is_the_module_text_around_its_quiz() -> None:
    # The extension's directives are the ones the anchor leaves out.
    registered = {name for path in (ROOT / "src" / "sourcebook" / "sphinx").glob("*.py")
                  for name in re.findall(r'add_directive\("([\w-]+)"', path.read_text(encoding="utf-8"))}
    assert registered == set(bench_network.SOURCEBOOK_DIRECTIVES)
    before, after = bench_network._notebook_text((ROOT / f"{bench_network.MODULE}.md").read_text(encoding="utf-8"))
    assert before.lstrip().startswith("# ") and "## Quiz" in before
    # No directive of sourcebook is left for a stock book.
    assert bench_edit.directives(before + after, names=bench_network.SOURCEBOOK_DIRECTIVES) == []
    assert after.strip()


def test_a_generated_curriculum_has_the_course_structure(tmp_path: Path) -> None:
    course = bench_curriculum.generate(ROOT, tmp_path / "course", modules=10)
    toc = yaml.safe_load((course / "_toc.yml").read_text(encoding="utf-8"))
    assert toc["root"] == "book/intro" and len(toc["parts"]) == 3
    pages = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    assert pages[0] == "book/progress" and len(pages) == 1 + len(bench_curriculum.REFERENCE_PAGES) + 10
    # The reference pages that modules link to are there, so the generated course builds without warnings.
    assert all((course / f"{page}.md").is_file() for page in bench_curriculum.REFERENCE_PAGES)
    assert "book/source" in pages and "book/glossary" in pages
    banks = sorted((course / "questions").glob("*.yml"))
    assert len(banks) == 10
    ids = [q.id for bank in banks for q in load_bank(bank).questions]
    assert len(ids) == 150 == len(set(ids))
    # The bank of module 9 is quizzed by its module, the review of module 10 and the progress page.
    assert bench_edit.pages_using(course, course / "questions" / "009.yml") == [
        "book/progress", "modules/009-module-009/index", "modules/010-module-010/index"]
    text = (banks[0]).read_text(encoding="utf-8")
    bench_curriculum.edit_bank(banks[0])
    assert banks[0].read_text(encoding="utf-8") != text and load_bank(banks[0]).questions[0].prompt.startswith(
        "(Edited) ")


def test_lighthouse_scores_and_what_cost_points() -> None:
    report = {"categories": {
        "performance": {"score": 0.634, "auditRefs": [{"id": "fcp", "weight": 10}, {"id": "tbt", "weight": 30},
                                                      {"id": "info", "weight": 0}]},
        "accessibility": {"score": 1, "auditRefs": [{"id": "label", "weight": 7}]},
        "best-practices": {"score": None, "auditRefs": []}},
        "audits": {"fcp": {"score": 0.5, "displayValue": "3.4 s"}, "tbt": {"score": 0.1}, "info": {"score": 0},
                   "label": {"score": 1}}}
    assert bench_lighthouse.scores(report) == {"performance": 63, "accessibility": 100, "best-practices": 0}
    assert bench_lighthouse.failing(report, "performance") == ["tbt", "fcp 3.4 s"]
    assert bench_lighthouse.failing(report, "accessibility") == []


@pytest.mark.book
def test_the_interactive_book_builds_with_what_the_clicking_script_needs(tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    folder = bench_interactive.quiz_book(ROOT, tmp_path / "book", count=3)
    bench_edit.build(folder, clean=True)
    html = folder / "_build" / "html"
    page = BeautifulSoup((html / "quiz.html").read_text(encoding="utf-8"), "html.parser")
    questions = page.select("fieldset.sb-q")
    assert len(questions) == 3
    first = page.select_one("fieldset.sb-q.sb-single")  # what ANSWER_SCRIPT answers
    assert first is not None and first.select(".sb-choice input")
    assert strings_for("en")["check"] == "Check"  # the button ANSWER_SCRIPT looks for
    # Evidence links to the source page, as in the course, instead of quoting it.
    assert page.select('a[href^="source.html#"]') and not page.select(".sb-quote")
    assert not BeautifulSoup((html / "plain.html").read_text(encoding="utf-8"), "html.parser").select(".sb-quiz")
    added = bench_weight.added_assets(html / "quiz.html", html / "plain.html")
    assert "file _static/quiz.css" in set(added)
    assert [name for name in added if re.fullmatch(r"file _static/quiz-[0-9a-f]{16}\.js", name)]


def test_generated_hand_ins_are_valid_and_all_read(tmp_path: Path) -> None:
    from sourcebook.report import write_report
    from sourcebook.results import collect

    size = bench_report.make_submissions(ROOT, tmp_path / "in", 4)
    assert size == sum(p.stat().st_size for p in (tmp_path / "in").iterdir())
    found = collect([tmp_path / "in"])
    assert len(found.submissions) == 4 and not found.skipped
    assert bench_report.load_all(tmp_path / "in") == 4
    assert set(bench_report.report_phases(tmp_path / "in", ROOT)) == {"read and match", "figures", "pages", "free"}
    written = write_report([tmp_path / "in"], tmp_path / "report", book=ROOT)
    assert not written.results.older and not written.results.missing_banks  # every answer matches the banks
    assert all(c.counts for c in written.results.cells)


def test_the_preview_book_has_a_clean_100_question_bank_and_the_edit_shows(tmp_path: Path) -> None:
    folder = bench_preview.preview_book(ROOT, tmp_path / "book")
    bank = load_bank(folder / "hundred.yml")
    assert len({q.id for q in bank.questions}) == bench_preview.QUESTIONS
    assert "{quiz} /hundred.yml" in (folder / "quiz.md").read_text(encoding="utf-8")
    bench_preview.edit(folder / "hundred.yml", 7)
    assert load_bank(folder / "hundred.yml").questions[0].prompt == bench_preview.PROMPT.format(n=7)


@pytest.mark.book
def test_paired_builds_give_each_builds_own_processor_time_and_name_a_failure(tmp_path: Path) -> None:
    books = []
    for name, pages in (("one", 1), ("three", 3)):
        book = tmp_path / name
        book.mkdir()
        (book / "_config.yml").write_text(f"title: {name}\n", encoding="utf-8")
        for n in range(pages):
            (book / f"page{n}.md").write_text(f"# Page {n}\n\nText {n}.\n", encoding="utf-8")
        chapters = "".join(f"  - file: page{n}\n" for n in range(1, pages))
        toc = "format: jb-book\nroot: page0\n" + (f"chapters:\n{chapters}" if chapters else "")
        (book / "_toc.yml").write_text(toc, encoding="utf-8")
        books.append(book)
    one, three = bench_curriculum.paired_clean_builds(*books)
    assert one > 0 and three > 0
    assert (books[0] / "_build" / "html" / "page0.html").is_file()
    assert (books[1] / "_build" / "html" / "page2.html").is_file()
    (books[1] / "_toc.yml").write_text("format: jb-book\nroot: missing\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match=f"building {re.escape(str(books[1]))} failed"):
        bench_curriculum.paired_clean_builds(*books)
