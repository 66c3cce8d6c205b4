"""Sphinx and Jupyter Book's extensions, corrected: ``-j 2`` reads and writes with two processes,
to the same pages, and the book's ``numfig`` holds."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import jinja2
import pytest
import sphinx.builders
from sphinx.util.console import strip_colors
from sphinx.util.parallel import ParallelTasks, make_chunks

from sourcebook.sphinx.extension_fixes import even_chunks

ROOTS = Path(__file__).parent / "roots"
#: The extensions Jupyter Book adds that declare nothing about parallel reading.
JUPYTER_BOOK_EXTENSIONS = ["sphinx_multitoc_numbering", "sphinx_jupyterbook_latex"]


def build(make_app: Any, srcdir: Path, jobs: int = 1, **confoverrides: Any) -> tuple[Any, str, str]:
    """Build the small course (copied to ``srcdir`` once) with Jupyter Book's extensions; the app,
    its warnings and its log."""
    if not srcdir.exists():
        shutil.copytree(ROOTS / "mini", srcdir)
    warnings, status = StringIO(), StringIO()
    app = make_app("html", srcdir=srcdir, warning=warnings, status=status, parallel=jobs,
                   confoverrides={"extensions": ["myst_parser", "sourcebook.sphinx", *JUPYTER_BOOK_EXTENSIONS],
                                  **confoverrides})
    try:
        app.build()
    finally:
        app.cleanup()
    return app, strip_colors(warnings.getvalue()), strip_colors(status.getvalue())


def count_tasks(monkeypatch: pytest.MonkeyPatch) -> tuple[list[int], list[list[int]]]:
    """Record, for each set of processes Sphinx starts (reading, then writing), how many it asked for and
    the size of each chunk of pages it handed them."""
    processes: list[int] = []
    chunks: list[list[int]] = []

    class CountedTasks(ParallelTasks):
        def __init__(self, nproc: int) -> None:
            processes.append(nproc)
            chunks.append([])
            super().__init__(nproc)

        def add_task(self, task_func: Any, arg: Any = None, result_func: Any = None) -> None:
            chunks[-1].append(len(arg))
            super().add_task(task_func, arg, result_func)

    monkeypatch.setattr("sphinx.builders.ParallelTasks", CountedTasks)
    return processes, chunks


def nine_page_book(folder: Path) -> Path:
    """The small course copied to ``folder``, with three more pages: nine to read."""
    shutil.copytree(ROOTS / "mini", folder)
    for n in range(3):
        (folder / f"extra{n}.md").write_text(f"---\norphan: true\n---\n\n# Extra {n}\n", encoding="utf-8")
    return folder


def test_two_jobs_read_in_parallel_and_write_the_same_pages(make_app: Any, tmp_path: Path) -> None:
    one, _, _ = build(make_app, tmp_path / "one", 1)
    two, warnings, _ = build(make_app, tmp_path / "two", 2)
    assert "serial read" not in warnings, warnings
    assert warnings == ""
    pages = sorted(p.relative_to(one.outdir) for p in Path(one.outdir).rglob("*.html"))
    assert pages == sorted(p.relative_to(two.outdir) for p in Path(two.outdir).rglob("*.html"))
    quiz_pages = [p for p in pages if 'class="sb-quiz' in (Path(one.outdir) / p).read_text(encoding="utf-8")]
    assert quiz_pages, "the test book shows no quiz"
    # Written by the processes that write the pages, with -j 2: the quizzes, worksheets and notebooks.
    assert any(p.name == "worksheet.html" for p in pages), "the test book has no worksheet"
    for page in pages:
        assert (Path(two.outdir) / page).read_text(encoding="utf-8") == \
            (Path(one.outdir) / page).read_text(encoding="utf-8"), page
    notebooks = sorted(p.relative_to(one.outdir) for p in Path(one.outdir).rglob("*.ipynb"))
    assert notebooks and notebooks == sorted(p.relative_to(two.outdir) for p in Path(two.outdir).rglob("*.ipynb"))
    for notebook in notebooks:
        assert (Path(two.outdir) / notebook).read_bytes() == (Path(one.outdir) / notebook).read_bytes(), notebook


def test_two_jobs_write_with_two_processes(make_app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sphinx writes with one process fewer than the jobs (one with ``-j 2``); the pages are written
    with as many as the jobs, the main process resolving the next pages meanwhile."""
    processes, chunks = count_tasks(monkeypatch)
    # Nine pages to read: Sphinx would read them in chunks of 4, 4 and 1.
    _, warnings, _ = build(make_app, nine_page_book(tmp_path / "two"), 2)
    assert warnings == ""
    assert processes == [2, 2], "reading, then writing"
    # Every round of two processes is full: no chunk of pages is read or written alone.
    for done in chunks:
        assert len(done) % 2 == 0 and max(done) - min(done) <= 1, chunks
    assert vars(sphinx.builders)["make_chunks"] is make_chunks, "Sphinx's own chunks are back after the writing"


def test_a_build_given_no_jobs_takes_sourcebook_jobs(make_app: Any, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Jupyter Book's command gives Sphinx no ``-j``: ``sourcebook_jobs`` reads and writes with that many
    processes; ``SOURCEBOOK_JOBS`` wins over it, and one job is the default."""
    processes, _ = count_tasks(monkeypatch)
    monkeypatch.delenv("SOURCEBOOK_JOBS", raising=False)
    book = nine_page_book(tmp_path / "book")  # more than the five pages Sphinx reads in one process
    app, warnings, _ = build(make_app, book, 1, sourcebook_jobs=2)
    assert warnings == "" and app.parallel == 2
    assert processes == [2, 2], "reading, then writing"
    processes.clear()
    monkeypatch.setenv("SOURCEBOOK_JOBS", "1")
    shutil.rmtree(app.outdir)
    app, _, _ = build(make_app, book, 1, sourcebook_jobs="auto")
    assert app.parallel == 1 and processes == []
    monkeypatch.delenv("SOURCEBOOK_JOBS")
    shutil.rmtree(app.outdir)
    app, _, _ = build(make_app, book, 1)
    assert app.parallel == 1 and processes == [], "one job unless asked"


def test_sourcebook_jobs_is_a_number_or_auto() -> None:
    from sphinx.errors import ConfigError

    from sourcebook.sphinx.extension_fixes import jobs_wanted

    assert jobs_wanted(3) == 3 and jobs_wanted(" 2 ") == 2 and jobs_wanted("1") == 1
    assert jobs_wanted("auto") == jobs_wanted("AUTO") == len(os.sched_getaffinity(0))
    for wrong in ("two", "0", -1, "", "2.5"):
        with pytest.raises(ConfigError, match=r"sourcebook_jobs is .*: give a whole number .* or \"auto\""):
            jobs_wanted(wrong)


def test_even_chunks_are_no_larger_than_sphinxs_and_fill_every_round() -> None:
    pages = [f"page{n}" for n in range(114)]
    assert [len(chunk) for chunk in make_chunks(pages, 2)] == [23, 23, 23, 23, 22]
    assert [len(chunk) for chunk in even_chunks(pages, 2)] == [19] * 6
    for count in (1, 2, 7, 44, 115, 1000):
        for nproc in (2, 3):
            pages = [f"page{n}" for n in range(count)]
            chunks = even_chunks(pages, nproc)
            assert [page for chunk in chunks for page in chunk] == pages
            assert max(map(len, chunks)) <= max(map(len, make_chunks(pages, nproc)))
            assert max(map(len, chunks)) - min(map(len, chunks)) <= 1
            if count >= nproc:
                assert len(chunks) % nproc == 0, (count, nproc)
    assert even_chunks([], 2) == []


#: Builds the small course in a process of its own and says, in order, when the garbage it leaves
#: is finalised and whether, at the end of the exit, the build's objects were frozen.
EXIT_PROBE = """
import atexit, gc, sys
from sphinx.application import Sphinx
atexit.register(lambda: print("frozen at the end:", gc.get_freeze_count() > 0, flush=True))  # runs last
app = Sphinx(sys.argv[1], sys.argv[1], sys.argv[2], sys.argv[3], "html", status=None,
             confoverrides={"extensions": ["myst_parser", "sourcebook.sphinx"]})
app.build()
class Garbage:
    def __del__(self):
        print("garbage finalised", flush=True)
garbage = Garbage()
garbage.cycle = garbage
del garbage
"""


def test_the_process_collects_once_at_exit_and_skips_the_shutdowns_collections(tmp_path: Path) -> None:
    """After a build, Python's shutdown would run the cycle collector over the whole environment several
    times: the process collects once when it exits (a cycle left as garbage is finalised), then freezes
    what is left."""
    book = tmp_path / "book"
    shutil.copytree(ROOTS / "mini", book)
    run = subprocess.run([sys.executable, "-c", EXIT_PROBE, str(book), str(tmp_path / "html"),
                          str(tmp_path / "doctrees")], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["garbage finalised", "frozen at the end: True"], run.stdout + run.stderr


def test_templates_compiled_once_are_loaded_from_the_build_folder_and_write_the_same_pages(
        make_app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    compile_template = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: str, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        if name is not None:  # a template file (a string given to from_string has no name)
            compiled.append(name)
        return compile_template(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    first, warnings, _ = build(make_app, tmp_path / "book")
    assert warnings == "" and "page.html" in compiled
    kept = Path(first.doctreedir) / "sourcebook-templates"
    assert len(list(kept.iterdir())) >= len(set(compiled))
    pages = {p: p.read_bytes() for p in Path(first.outdir).rglob("*.html")}
    compiled.clear()
    shutil.rmtree(first.outdir)
    again, _, _ = build(make_app, tmp_path / "book", freshenv=True)
    assert compiled == [], "every template file was loaded as compiled in the first build"
    assert {p: p.read_bytes() for p in Path(again.outdir).rglob("*.html")} == pages


@pytest.mark.parametrize("numfig", [False, True])
def test_the_books_numfig_holds_and_a_second_build_reads_nothing(make_app: Any, tmp_path: Path,
                                                                  numfig: bool) -> None:
    app, warnings, _ = build(make_app, tmp_path / "book", numfig=numfig)
    assert app.config.numfig is numfig and warnings == ""
    again, _, log = build(make_app, tmp_path / "book", numfig=numfig)
    assert again.config.numfig is numfig
    assert "0 added, 0 changed, 0 removed" in log, log


def test_the_search_index_stems_with_the_compiled_stemmer_to_the_same_stems() -> None:
    """Sphinx stems every word of every page for its search index, in the main process even under
    ``-j``: the compiled stemmer (PyStemmer) makes that a fraction of a second, with the same stems."""
    from snowballstemmer.porter_stemmer import PorterStemmer
    from sphinx.search.en import SearchEnglish

    english = SearchEnglish({})
    assert type(english.stemmer).__module__ == "Stemmer"
    words = ["reliance", "relying", "scientists", "technologies", "withdrawal", "experts", "independently",
             "generalization", "Mao", "Zedong", "forty", "caught", "hopping", "conditional", "sensational"]
    pure = PorterStemmer()
    assert [english.stem(word) for word in words] == [pure.stemWord(word.lower()) for word in words]


def test_a_build_saved_with_another_shape_of_the_extensions_data_is_read_afresh(
        make_app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build saved by an older sourcebook (another ``ENV_VERSION``) is not handed to the new code: every
    page is read again, with no error."""
    import sourcebook.sphinx

    build(make_app, tmp_path / "book")
    monkeypatch.setattr(sourcebook.sphinx, "ENV_VERSION", sourcebook.sphinx.ENV_VERSION + 1)
    _, warnings, log = build(make_app, tmp_path / "book")
    assert warnings == ""
    added = re.search(r"(\d+) added, 0 changed, 0 removed", log)
    assert added and int(added[1]) > 1, log


#: What sourcebook keeps in Sphinx's saved build of the small course, by ``ENV_VERSION``: its nodes'
#: attributes, and its data in the environment. Never edit a shape recorded here: when what the extension
#: saves changes, raise ``ENV_VERSION`` (sourcebook/sphinx/__init__.py) and record the new shape under it.
SAVED_SHAPES = {
    1: ({"excerpt_link": ["anchor", "source"], "model_answer_node": ["summary"], "module_facts_node": [],
         "quiz_node": ["bank", "key", "searched", "seed", "shuffle"], "quiz_progress_node": [],
         "theme_index_node": []},
        ["sourcebook_progress_pages", "sourcebook_quizzes", "sourcebook_source_pages", "sourcebook_theme_pages"]),
}


#: A page with the course's other directives, whose nodes the small course does not show.
SHAPES_PAGE = """---
orphan: true
---

# Every node

```{quiz-progress}
```

```{model-answer} What Nie asked for
The answer.
```

```{instructor-note}
A note.
```
"""


def test_what_the_extension_saves_has_the_shape_recorded_for_its_env_version(make_app: Any, tmp_path: Path) -> None:
    """The student edition and the teacher edition (which keeps the model answers) of the small course, with a
    page of the directives it lacks."""
    import pickle

    from docutils import nodes

    import sourcebook.sphinx

    common = set(nodes.Element().attributes)
    attributes: dict[str, set[str]] = {}
    saved_data: set[str] = set()
    for edition in ("student", "teacher"):
        book = tmp_path / edition
        shutil.copytree(ROOTS / "mini", book)
        (book / "shapes.md").write_text(SHAPES_PAGE, encoding="utf-8")
        app, warnings, _ = build(make_app, book, sourcebook_edition=edition)
        assert warnings == ""
        for saved in Path(app.doctreedir).rglob("*.doctree"):
            for node in pickle.loads(saved.read_bytes()).findall(nodes.Element):
                if type(node).__module__.startswith("sourcebook."):
                    attributes.setdefault(type(node).__name__, set()).update(set(node.attributes) - common)
        environment = pickle.loads((Path(app.doctreedir) / "environment.pickle").read_bytes())
        saved_data.update(name for name in vars(environment) if name.startswith("sourcebook"))
    shape = ({name: sorted(keys) for name, keys in sorted(attributes.items())}, sorted(saved_data))
    recorded = SAVED_SHAPES.get(sourcebook.sphinx.ENV_VERSION)
    assert recorded is not None and shape == (dict(sorted(recorded[0].items())), recorded[1]), (
        "what the extension saves in a build changed: raise ENV_VERSION in sourcebook/sphinx/__init__.py "
        f"and record this shape under it in SAVED_SHAPES: {shape}")


#: The small course's table of contents, for sphinx_external_toc (as Jupyter Book has it), with a glob.
TOC = """\
format: jb-book
root: index
chapters:
  - file: book/source
  - file: book/themes
  - file: book/glossary
  - glob: modules/*/index
  - glob: extras/*
"""


def test_files_outside_the_toc_are_left_out_as_the_toc_extension_leaves_them_out(
        make_app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same pages left out, the same built, as by sphinx_external_toc's own glob; without walking the
    build's output or an excluded folder."""
    from sourcebook.sphinx import extension_fixes

    walked: list[str] = []
    walk = os.walk

    def recorded_walk(top: Any, *args: Any, **kwargs: Any) -> Any:
        # Sphinx walks the book too (to find its pages): only the extension's walk is recorded.
        ours = sys._getframe(1).f_code is extension_fixes.exclude_files_outside_the_toc.__code__
        for folder, folders, files in walk(top, *args, **kwargs):
            if ours:
                walked.append(Path(folder).relative_to(top).as_posix())
            yield folder, folders, files

    monkeypatch.setattr(os, "walk", recorded_walk)
    results = {}
    for way in ("sourcebook", "toc extension"):
        book = tmp_path / way.replace(" ", "-")
        shutil.copytree(ROOTS / "mini", book)
        stray = {"_toc.yml": TOC, "index.md": "# A small course\n", "drafts/notes.md": "# Notes\n",
                 "extra.md": "# Extra\n", "extras/one.md": "# One\n", "modules/03-draft/notes.md": "# Draft\n",
                 "excluded/kept-out.md": "# Out\n", "_build/html/stray.md": "# Stray\n",
                 # Hidden: left to Sphinx, as by the toc extension's glob (so orphans, to build without warnings).
                 ".hidden/secret.md": "---\norphan: true\n---\n# Secret\n",
                 "modules/.draft.md": "---\norphan: true\n---\n# Hidden\n"}
        for name, text in stray.items():
            (book / name).parent.mkdir(parents=True, exist_ok=True)
            (book / name).write_text(text, encoding="utf-8")
        if way == "toc extension":
            monkeypatch.setattr(extension_fixes, "take_over_the_toc_exclusion", lambda app, config: None)
        app, warnings, log = build(make_app, book, extensions=[
            "myst_parser", "sphinx_external_toc", "sourcebook.sphinx", *JUPYTER_BOOK_EXTENSIONS],
            external_toc_exclude_missing=True, exclude_patterns=["_build", "excluded"])
        assert warnings == "", warnings
        built = sorted(p.relative_to(app.outdir).as_posix() for p in Path(app.outdir).rglob("*.html"))
        results[way] = (sorted(app.config.exclude_patterns), built, re.findall(r"\[etoc\] Excluded.*", log))
    assert results["sourcebook"] == results["toc extension"]
    excluded, built, logged = results["sourcebook"]
    assert {"drafts/notes.md", "extra.md", "modules/03-draft/notes.md"} <= set(excluded)
    assert "extras/one.html" in built and "drafts/notes.html" not in built and logged
    # One walk, which entered neither the build's output, an excluded folder nor a hidden one.
    assert walked.count(".") == 1
    assert not [f for f in walked if f.split("/")[0] in ("_build", "excluded", ".hidden")]
