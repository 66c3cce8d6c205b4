"""The {quiz} and {quiz-progress} directives, built with sphinx.testing (warnings are errors).

Snapshots (pytest-regressions) hold the rendered HTML of every question type
and every directive option; the other tests check bank problems, selection
errors, dependencies, assets, evidence links, translations and injection.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

from sourcebook.quiz_assets import quiz_scripts, static_file, static_files
from sourcebook.sphinx.assets import BUNDLE_NAME, bundle, minified, served_version
from sourcebook.types import registry

pytestmark = pytest.mark.book

TYPES = ["addressee", "soviet-tactics", "isolation", "forty-years", "author", "chronology", "roles", "dates",
         "was-he-right", "not-isolation"]


def soup(app: Any, page: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / page).read_text(encoding="utf-8"), "html.parser")


def quizzes(app: Any, page: str) -> list[Tag]:
    return soup(app, page).select("div.sb-quiz")


def quiz_data(quiz: Tag) -> dict[str, Any]:
    script = quiz.select_one("script.sb-data")
    assert script is not None
    data: dict[str, Any] = json.loads(script.string or "")
    return data


def normalised(tag: Tag) -> str:
    """Markup as snapshotted: pretty-printed, with the JSON data reformatted for reading."""
    copy = BeautifulSoup(str(tag), "html.parser")
    for script in copy.select("script.sb-data"):
        script.string = json.dumps(json.loads(script.string or ""), indent=1, ensure_ascii=False)
    return copy.prettify()


@pytest.fixture(scope="module")
def basic(make_app_module: Any) -> Any:
    return make_app_module("basic")


@pytest.fixture(scope="module")
def make_app_module(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Any]:
    """One build of a test book per module, for the tests that only read its output."""
    import shutil
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    def make(name: str, **confoverrides: Any) -> Any:
        srcdir = tmp_path_factory.mktemp(name) / name
        shutil.copytree(Path(__file__).parent / "roots" / name, srcdir)
        warnings = StringIO()
        app = SphinxTestApp("html", srcdir=srcdir, warning=warnings, confoverrides=confoverrides,
                            warningiserror=True)
        try:
            app.build()
        finally:
            app.cleanup()
        return app

    return make


@pytest.mark.parametrize("question_id", TYPES)
def test_each_question_type_renders_as_snapshotted(basic: Any, question_id: str, file_regression: Any) -> None:
    (quiz,) = quizzes(basic, "types.html")
    fieldset = quiz.select_one(f'fieldset[data-id="{question_id}"]')
    assert fieldset is not None
    file_regression.check(normalised(fieldset), extension=".html", basename=f"type-{question_id}")


def test_every_question_type_is_covered(basic: Any) -> None:
    from sourcebook.types import registry

    (quiz,) = quizzes(basic, "types.html")
    assert {q["type"] for q in quiz_data(quiz)["questions"]} == set(registry())
    assert [q["id"] for q in quiz_data(quiz)["questions"]] == TYPES


def test_quiz_container_and_data_as_snapshotted(basic: Any, file_regression: Any) -> None:
    (quiz,) = quizzes(basic, "types.html")
    for fieldset in quiz.select("fieldset.sb-q"):
        fieldset.decompose()  # each has its own snapshot above
    file_regression.check(normalised(quiz), extension=".html", basename="quiz-container")


def test_directive_options_as_snapshotted(basic: Any, file_regression: Any) -> None:
    by_ids, by_skills, seeded = quizzes(basic, "options.html")
    assert [q["id"] for q in quiz_data(by_ids)["questions"]] == ["author", "addressee"]
    assert {q["skill"] for q in quiz_data(by_skills)["questions"]} == {"contextualization"}
    assert len(quiz_data(seeded)["questions"]) == 3
    # A seeded order is decided at build time and written into the page: the browser mixes nothing.
    assert seeded["data-shuffle"] == "false" and not seeded.has_attr("data-seed")
    assert seeded["data-key"] == "three-seeded"
    assert by_ids["data-shuffle"] == "false" and not by_ids.has_attr("data-seed")
    assert by_ids["data-key"] == "options:every-type:1" and by_skills["data-key"] == "options:every-type:2"
    ids = [e["id"] for e in soup(basic, "options.html").select("[id]")]
    assert len(ids) == len(set(ids)), "element ids must be unique on the page"
    for name, quiz in (("ids", by_ids), ("skills", by_skills), ("count-seed-shuffle-name", seeded)):
        file_regression.check(normalised(quiz), extension=".html", basename=f"option-{name}")


def test_bank_path_from_root_and_fallback_to_root(basic: Any) -> None:
    from_root, fallback = quizzes(basic, "chapter/nested.html")
    assert [q["id"] for q in quiz_data(from_root)["questions"]] == ["isolation"]
    assert [q["id"] for q in quiz_data(fallback)["questions"]] == ["forty-years"]


def test_a_count_without_seed_draws_the_same_in_every_build(make_app_module: Any) -> None:
    first = quiz_data(quizzes(make_app_module("basic"), "chapter/nested.html")[1])
    second = quiz_data(quizzes(make_app_module("basic"), "chapter/nested.html")[1])
    assert first == second


def page_bundle(app: Any, page: str) -> tuple[Tag, bytes]:
    """The one quiz script a page loads (``_static/quiz-<digest>.js``) and its bytes as served."""
    (script,) = [t for t in soup(app, page).select("script[src]")
                 if BUNDLE_NAME.fullmatch(Path(str(t["src"]).split("?")[0]).name)]
    path = (Path(app.outdir) / page).parent / str(script["src"]).split("?")[0]
    assert path.resolve().parent == (Path(app.outdir) / "_static").resolve()
    return script, path.read_bytes()


def test_assets_only_on_pages_with_a_quiz(basic: Any) -> None:
    def assets(page: str) -> set[str]:
        s = soup(basic, page)
        found = {Path(t["src"].split("?")[0]).name for t in s.select("script[src]")}
        found |= {Path(t["href"].split("?")[0]).name for t in s.select("link[rel=stylesheet]")}
        return {"quiz-*.js" if BUNDLE_NAME.fullmatch(name) else name for name in found} & {
            "quiz-*.js", "quiz.js", "grading.js", "quiz.css", "handin.js", "progress.js"}

    # One script per page: what it needs joined in one file. The hand-in form's script is loaded by quiz.js on
    # demand under a quiz; the progress page's one script holds it.
    assert assets("types.html") == {"quiz-*.js", "quiz.css"}
    assert assets("progress.html") == {"quiz-*.js", "quiz.css"}
    assert assets("index.html") == set()
    served = {name: minified(name, static_file(name)) for name in static_files() if name.endswith(".js")}
    every_type = {*(f"types/{t}.js" for t in registry()), "rules/normalise.js", "rules/picks.js"}
    assert every_type >= {h for kind in registry().values() for h in kind.script_helpers}
    # The helpers some types use (rules/) only with those types: not on a page of true/false and numeric questions.
    for page, held in (("types.html", {"grading.js", "quiz.js", *every_type}),
                       ("chapter/nested.html", {"grading.js", "quiz.js", "types/true-false.js",
                                                "types/numeric.js"}),
                       ("progress.html", {"grading.js", "quiz.js", "handin.js", "progress.js"})):
        loader, bundled = page_bundle(basic, page)
        # It holds exactly the scripts the page needs, each as the site serves it on its own, in the order
        # they must run (grading.js first, the types in the registry's order, quiz.js, then the progress page's).
        assert {name for name, code in served.items() if code.rstrip(b";") in bundled} == held, page
        order = [bundled.index(served[name].rstrip(b";")) for name in quiz_scripts(str(soup(basic, page)))]
        assert order == sorted(order) and len(order) == len(held), page
        assert Path(str(loader["src"]).split("?")[0]).name == f"quiz-{hashlib.sha256(bundled).hexdigest()[:16]}.js"
        # Async: it sets each question up as the parser delivers it, waiting for no other script.
        assert loader.has_attr("async") and not loader.has_attr("defer")
        # quiz.js is told the versioned address of a script it loads on demand (a changed file is fetched anew),
        # relative to the bundle's; a page whose script already holds it is told nothing.
        if "handin.js" in held:
            assert not loader.has_attr("data-on-demand")
        else:
            (later,) = str(loader["data-on-demand"]).split()
            assert re.fullmatch(r"handin\.js\?v=[0-9a-f]{8}", later)
            assert later.split("=")[1] == served_version("handin.js")
            assert (Path(basic.outdir) / "_static" / later.split("?")[0]).read_bytes() == served["handin.js"]
    # Pages showing the same types share one file; pages showing others do not.
    names: dict[frozenset[str], set[str]] = {}
    for path in Path(basic.outdir).rglob("*.html"):
        page = path.relative_to(basic.outdir).as_posix()
        if quizzes(basic, page):
            shown = frozenset(q["type"] for quiz in quizzes(basic, page) for q in quiz_data(quiz)["questions"])
            names.setdefault(shown, set()).add(Path(str(page_bundle(basic, page)[0]["src"]).split("?")[0]).name)
    assert len(names) >= 3 and all(len(found) == 1 for found in names.values()), names
    assert len(set().union(*names.values())) == len(names)
    static = resources.files("sourcebook").joinpath("static")
    for name in ("quiz.js", "grading.js", "quiz.css", "handin.js", "progress.js"):
        # Served minified: the same code without comments and spare whitespace.
        source = static.joinpath(name).read_bytes()
        served_file = (Path(basic.outdir) / "_static" / name).read_bytes()
        assert served_file == minified(name, source) and len(served_file) < 0.9 * len(source)


def test_a_changed_type_script_gives_its_pages_a_new_script(build: Any, monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path: Path) -> None:
    """A browser keeps a page's script as long as its name: a changed part must change the name."""
    import sourcebook.quiz_assets
    import sourcebook.sphinx.assets

    app = build("basic")
    before = {page: page_bundle(app, page)[0]["src"] for page in ("types.html", "chapter/nested.html",
                                                                  "progress.html")}
    changed = tmp_path / "numeric.js"
    changed.write_bytes(static_file("types/numeric.js") + b'\n/* a fix */ void "a fix";\n')
    files = {**sourcebook.quiz_assets.static_files(), "types/numeric.js": changed}
    monkeypatch.setattr(sourcebook.quiz_assets, "static_files", lambda: files)
    monkeypatch.setattr(sourcebook.sphinx.assets, "static_files", lambda: files)
    app = build("basic")
    after = {page: page_bundle(app, page) for page in before}
    # The pages showing numeric questions get a new name; the progress page shows none and keeps its own.
    assert after["types.html"][0]["src"] != before["types.html"]
    assert after["chapter/nested.html"][0]["src"] != before["chapter/nested.html"]
    assert after["progress.html"][0]["src"] == before["progress.html"]
    assert b'"a fix"' in after["types.html"][1] and b'"a fix"' not in after["progress.html"][1]


def test_each_set_of_scripts_is_joined_once_per_build(build: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages showing the same question types share their script: it is joined and written at the first of them,
    not again for each page (a curriculum's hundred pages share a few)."""
    import sourcebook.sphinx.quiz
    from sourcebook.sphinx import assets

    joined: list[tuple[str, ...]] = []

    def counted(folder: Path, names: tuple[str, ...]) -> str:
        joined.append(tuple(names))
        return assets.write_bundle(folder, names)

    monkeypatch.setattr(sourcebook.sphinx.quiz, "write_bundle", counted)
    # A second page showing the same question types as chapter/nested.
    root = Path(__file__).parent / "roots" / "basic"
    files = {"chapter/again.md": (root / "chapter" / "nested.md").read_text(encoding="utf-8"),
             "index.md": (root / "index.md").read_text(encoding="utf-8").replace("chapter/nested\n",
                                                                                 "chapter/nested\nchapter/again\n")}
    app = build("basic", files=files)
    pages = [path.relative_to(app.outdir).as_posix() for path in Path(app.outdir).rglob("*.html")]
    with_quiz = [page for page in pages if quizzes(app, page) or "data-sourcebook-progress" in str(soup(app, page))]
    sets = {quiz_scripts(str(soup(app, page))) for page in with_quiz}
    assert len(joined) == len(set(joined)) == len(sets) >= 3
    assert quiz_scripts(str(soup(app, "chapter/again.html"))) == quiz_scripts(str(soup(app, "chapter/nested.html")))
    # Each page still names its own set's script, with the attributes the first page of the set got.
    for page in with_quiz:
        script, data = page_bundle(app, page)
        assert script.has_attr("async")
        assert (Path(str(script["src"]).split("?")[0]).name, data) == bundle(quiz_scripts(str(soup(app, page))))
    # A second build is a build of its own: with its site cleaned, it writes every script again.
    shutil.rmtree(app.outdir)
    joined.clear()
    app = build("basic", files=files)
    assert len(joined) == len(set(joined)) == len(sets)
    assert all(page_bundle(app, page) for page in with_quiz)


def test_progress_page_lists_every_quiz_in_book_order(basic: Any) -> None:
    page = soup(basic, "progress.html")
    progress = page.select_one("div.sb-progress")
    assert progress is not None
    rows = progress.select("tbody tr")
    keys = [r["data-key"] for r in rows]
    assert keys == ["types:every-type:1", "options:every-type:1", "options:every-type:2", "three-seeded",
                    "chapter/nested:every-type:1", "chapter/nested:every-type:2", "injection:injection:1"]
    data = json.loads(progress.select_one("script.sb-data").string or "")
    assert [q["key"] for q in data["quizzes"]] == keys
    # Each link leads to the quiz's element on its page.
    for row in rows:
        href = row.select_one("a")["href"]
        target, anchor = href.split("#")
        assert soup(basic, target).find(id=anchor) is not None, href


def test_evidence_quotes_the_paragraph_when_no_page_shows_the_source(basic: Any) -> None:
    (quiz,) = quizzes(basic, "types.html")
    quote = quiz.select_one('fieldset[data-id="addressee"] .sb-explanation blockquote.sb-quote')
    assert quote is not None and quote["data-anchor"] == "salutation"
    assert "Central Committee and Chairman [Mao Zedong]:" in quote.get_text()


def test_evidence_links_to_the_paragraph_on_the_source_page(build: Any) -> None:
    app = build("basic", test_source_page="source")
    links = [a["href"] for a in quizzes(app, "types.html")[0].select(".sb-evidence a")]
    assert "source.html#salutation" in links and "source.html#p1" in links
    assert not quizzes(app, "types.html")[0].select("blockquote.sb-quote")
    nested = [a["href"] for a in quizzes(app, "chapter/nested.html")[0].select(".sb-evidence a")]
    assert nested == ["../source.html#p7"]
    assert soup(app, "source.html").find(id="p1") is not None


def test_interface_text_follows_the_book_language(build: Any) -> None:
    app = build("basic", language="zh_CN")
    (quiz,) = quizzes(app, "types.html")
    assert quiz.select_one(".sb-num").get_text() == "第 1 题"
    assert quiz_data(quiz)["strings"]["check"] == "检查"


def test_a_language_without_texts_of_its_own_is_said_once(build: Any) -> None:
    """A book in Traditional Chinese gets the Simplified Chinese texts, with a warning that says so."""
    app = build("basic", language="zh_TW", strict=False)
    (quiz,) = quizzes(app, "types.html")
    assert quiz_data(quiz)["strings"]["check"] == "检查"
    said = [line for line in app.warnings.splitlines() if "interface texts" in line]
    assert said == ["WARNING: language: there are no interface texts in 'zh_TW': the quizzes show those of 'zh_CN' "
                    "(languages with texts: en, zh_CN)"]


def test_editing_a_bank_rebuilds_the_pages_that_use_it(build: Any) -> None:
    app = build("basic")
    srcdir, outdir = Path(app.srcdir), Path(app.outdir)
    assert str(srcdir / "questions" / "every-type.yml") in {str(p) for p in app.env.dependencies["types"]}
    bank = srcdir / "questions" / "every-type.yml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("To whom is the report addressed?",
                                                             "Who is the report for?"), encoding="utf-8")
    app = build("basic")
    assert "Who is the report for?" in (outdir / "types.html").read_text(encoding="utf-8")
    assert "Who is the report for?" in (outdir / "options.html").read_text(encoding="utf-8")
    # Read again: the pages with a quiz from that bank, and the progress page.
    assert set(re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", app.log)) == {
        "types", "options", "chapter/nested", "progress"}


BROKEN_BANK = """\
title: Broken
questions:
  - id: one
    type: single
    prompt: Which?
    choices:
      - {text: A, correct: true, feedback: yes}
      - {text: B, correct: true, feedback: no}
      - {text: C, feedback: no}
"""


def test_a_broken_bank_fails_with_its_location_and_the_page(build: Any) -> None:
    page = "# Broken\n\nText.\n\n```{quiz} questions/broken.yml\n```\n"
    with pytest.raises(Exception, match=r"broken\.yml:\d+:\d+"):
        build("basic", files={"questions/broken.yml": BROKEN_BANK, "broken.md": page, "index.md": "# x\n\n"
                              "```{toctree}\nbroken\n```\n"})
    app = build("basic", strict=False, files={})
    assert re.search(r"questions/broken\.yml:8:\d+: ERROR: .*\[[\w-]+\] \(in the quiz at .*broken\.md:5\)",
                     app.warnings), app.warnings
    assert not quizzes(app, "broken.html")


def test_unknown_ids_and_skills_fail_naming_the_page(build: Any) -> None:
    page = ("# Bad options\n\n```{quiz} questions/every-type.yml\n:ids: adressee\n```\n\n"
            "```{quiz} questions/every-type.yml\n:skills: geography\n```\n\n```{quiz} questions/nowhere.yml\n```\n\n"
            "```{quiz} questions/every-type.yml\n:count: 50\n```\n\n```{quiz} questions/every-tipe.yml\n```\n")
    app = build("basic", strict=False, files={"bad.md": page})
    assert re.search(r"bad\.md:3: ERROR: .*no question with id `adressee`; did you mean `addressee`\? ids in the "
                     r"bank: `addressee`, ", app.warnings)
    assert re.search(r"bad\.md:14: ERROR: .*`count` is 50, but the bank has only \d+ questions: ask for \d+ or fewer, "
                     r"or leave `count` out", app.warnings), app.warnings
    assert re.search(r"bad\.md:7: ERROR: .*no question has the skill `geography`", app.warnings)
    assert re.search(r"bad\.md:11: ERROR: .*no question bank at .*nowhere\.yml\n", app.warnings)
    # A misspelt bank's name is named with the bank beside it.
    assert re.search(r"bad\.md:18: ERROR: .*no question bank at .*every-tipe\.yml; did you mean `every-type\.yml`\?",
                     app.warnings), app.warnings


def test_a_quiz_whose_closing_fence_is_missing_fails_saying_so(build: Any) -> None:
    """A {quiz} takes no text: text in it is the page's, swallowed up to the next fence (its own was left out)."""
    page = ("# Lost\n\n```{quiz} questions/every-type.yml\n:count: 2\n\n## After the quiz\n\nText.\n\n"
            "```{note}\nx\n```\n")
    app = build("basic", strict=False, files={"lost.md": page})
    assert re.search(r"lost\.md:3: ERROR: the quiz at .*lost\.md:3: the \{quiz\} directive takes no text, but 4 lines "
                     r"of text, from `## After the quiz` on, are inside it and would not show: is its closing ``` "
                     r"missing\?", app.warnings), app.warnings
    assert quizzes(app, "lost.html")  # the quiz itself is still built


ORPHAN = "---\norphan: true\n---\n"
POOR_BANK = """\
title: Poor
questions:
  - id: few
    type: single
    prompt: Who?
    explanation: Because.
    choices:
      - {text: Nie, correct: true, feedback: yes}
      - {text: Mao, feedback: no}
"""


def test_bank_warnings_fail_a_strict_build_and_can_be_suppressed(build: Any) -> None:
    files = {"questions/poor.yml": POOR_BANK, "poor.md": ORPHAN + "# Poor\n\n```{quiz} questions/poor.yml\n```\n"}
    app = build("basic", strict=False, files=files)
    assert re.search(r"poor\.yml:8:7: WARNING: .*\[few-choices\] \(in the quiz at .*poor\.md:6\)",
                     app.warnings), app.warnings
    app = build("basic", strict=True, suppress_warnings=["sourcebook.few-choices", "sourcebook.no-skill"])
    assert quizzes(app, "poor.html")


def test_two_quizzes_with_one_name_are_reported(build: Any) -> None:
    page = "# Twice\n\n```{quiz} questions/every-type.yml\n:name: three-seeded\n```\n"
    app = build("basic", strict=False, files={"twice.md": page})
    assert "the quiz name 'three-seeded' is used on" in app.warnings


def test_injected_markup_stays_inert_text(basic: Any) -> None:
    page = soup(basic, "injection.html")
    (quiz,) = page.select("div.sb-quiz")
    assert [s.get("type") for s in quiz.select("script")] == ["application/json"]
    for tag in quiz.find_all(True):
        assert tag.name not in ("img", "iframe", "svg", "style", "b"), tag
        for attribute, value in tag.attrs.items():
            assert not attribute.startswith("on"), tag
            assert "javascript:" not in str(value).lower() or attribute == "value", tag
    assert "<script>window.__pwned = 'prompt'</script>" in quiz.get_text()
    # The JSON still reads back to the bank's text, unchanged.
    data = quiz_data(quiz)
    assert data["title"].endswith("</script><script>window.__pwned = 'title'</script>")
    assert data["questions"][1]["answers"] == ["<script>window.__pwned = 'answer'</script>"]
    raw = (Path(basic.outdir) / "injection.html").read_text(encoding="utf-8")
    data_script = raw.split('class="sb-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_script


def test_other_builders_skip_the_quiz_quietly(build: Any) -> None:
    app = build("basic", builder="text")
    assert "Every question type" in (Path(app.outdir) / "types.txt").read_text(encoding="utf-8")


def test_a_notebook_output_with_quiz_html_gets_the_assets(build: Any) -> None:
    import nbformat

    from sourcebook import load_bank
    from sourcebook.html import quiz_html

    bank = load_bank(Path(__file__).parent / "roots" / "basic" / "questions" / "every-type.yml")
    notebook = nbformat.v4.new_notebook(metadata={"language_info": {"name": "python"}}, cells=[
        nbformat.v4.new_markdown_cell("# A notebook with a quiz"),
        nbformat.v4.new_code_cell("quiz('every-type.yml')", outputs=[nbformat.v4.new_output(
            "display_data", data={"text/html": quiz_html(bank, bank.questions[:2], key="cell"),
                                  "text/plain": "<Quiz>"})]),
    ])
    app = build("notebook", files={"cell.ipynb": nbformat.writes(notebook)})
    (quiz,) = quizzes(app, "cell.html")
    assert quiz["data-key"] == "cell"
    _, bundled = page_bundle(app, "cell.html")
    assert minified("quiz.js", static_file("quiz.js")).rstrip(b";") in bundled
    plain = {Path(s["src"].split("?")[0]).name for s in soup(app, "plain.html").select("script[src]")}
    assert not [name for name in plain if BUNDLE_NAME.fullmatch(name) or name in ("quiz.js", "grading.js")]


def test_changed_quiz_assets_rewrite_the_site(build: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sphinx copies static files only when it writes pages: a new quiz.js must count as a change."""
    import sourcebook.sphinx

    app = build("basic")
    assert app.config.sourcebook_assets == sourcebook.sphinx.assets_digest()
    app = build("basic")
    assert "no targets are out of date" in app.log
    monkeypatch.setattr(sourcebook.sphinx, "assets_digest", lambda: "0123456789abcdef")
    app = build("basic")
    assert "no targets are out of date" not in app.log
    assert "writing output... [100%]" in app.log
