"""Corrections to Sphinx and to two extensions that Jupyter Book loads, each needed by a course of
many pages.

- **Parallel reading.** ``sphinx_multitoc_numbering`` and ``sphinx_jupyterbook_latex``
  return no metadata from ``setup``, so Sphinx assumes they are unsafe for
  parallel reading, warns ("doing serial read") and reads every page in one
  process: ``sphinx-build -j 2`` then parallelises only the writing
  (executablebooks/sphinx-multitoc-numbering#27). Both are safe to read in
  parallel, and their declaration is filled in, only while they have none:
  ``sphinx_multitoc_numbering`` only replaces ``TocTreeCollector.assign_section_numbers``,
  which Sphinx calls in the main process after every page is read;
  ``sphinx_jupyterbook_latex``, outside LaTeX builds, only marks nodes of the
  root document while it is read (the settings it keeps in the environment are
  made for LaTeX builders, whose builds keep their serial read).
- **Numbered figures.** ``sphinx_jupyterbook_latex`` sets ``numfig`` to true
  for every build, whatever the book's configuration says. With numbering on,
  every build, even one with nothing changed, reads every page's stored
  document again to count figures. A book that sets ``numfig: false`` gets it.
- **Parallel writing.** ``sphinx-build -j N`` reads with N processes but writes
  with N - 1, leaving one to the main process, which resolves each page's
  document before a writing process takes it. On two cores ``-j 2`` therefore
  wrote every page in one process, one after the other: on a course of 100
  modules the main process resolved for 3.5 s of the 30 s the pages took to
  write, and the clean build took 41.5 s against 44.3 s with one job. The
  pages are written with N processes instead (28.5 s), the main process
  resolving the next pages while they write. Sphinx also cuts the pages into
  chunks of its own size, one writing process per chunk, N at a time: 114
  pages made five chunks of 23, and the fifth was written alone while the
  other process had nothing to do. The chunks, for reading and for
  writing, are made no larger than Sphinx's, but as many as fill every
  round of N (six of 19): 25.0 s.
- **Jobs.** Jupyter Book's ``build`` command has no ``-j`` and builds with one
  job. ``sourcebook_jobs`` gives a build that was given no ``-j`` (or ``-j 1``,
  which Sphinx cannot tell apart) that many processes, or one per core the
  build may use with ``"auto"``; the default is one. The environment variable
  ``SOURCEBOOK_JOBS``, when set, wins over the configuration, so that one
  build can be run with one job. The course sets ``auto``: on two cores,
  ``make book`` of 100 modules took 35 and 37 s instead of 46 and 51 s.
- **Compiled templates.** Sphinx compiles the theme's Jinja templates in every
  build (and in every process that writes pages) before the first page is
  written: 0.18 to 0.27 s of a rebuild of 100 modules after one bank was
  edited. Jinja now keeps them compiled in the folder of the saved
  documents, in ``sourcebook-templates`` (its ``FileSystemBytecodeCache``,
  which compiles a template again when its source changed or another Python
  reads it): 0.02 s.
- **Files outside the table of contents.** With ``only_build_toc_files``,
  ``sphinx_external_toc`` leaves out of the build every source file that the
  table of contents does not name. To find them it globs the whole project
  once per source suffix, the build's output included (``_build`` lies in
  the project, as ``make book`` builds it): on a course of 100 modules, about
  3,000 files walked four times in every build. The extension makes the same list in one
  walk that does not enter a folder the configuration excludes (``_build``
  among them), or a hidden one, which the glob skips too; the toc extension
  then has nothing left to do. A build of that course with nothing changed
  took 0.92 s of processor time instead of 0.95 s, a rebuild after one bank
  was edited 1.27 s instead of 1.30 s.
- **Exit.** When a build's process ends, Python's shutdown runs the cycle
  collector over every object still alive, several times, to find the few
  that are garbage: after a build of 100 modules that is the whole
  environment Sphinx loaded, and it took 0.7 to 1.0 s, a quarter of a build
  with nothing to do (3.5 to 3.7 s). The extension collects once when the process
  exits (so every cycle that is garbage by then is freed, and its
  finalisers run), then freezes what is left, which the shutdown's
  collections skip; its memory goes back with the process (2.6 to 3.1 s).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import jinja2
import sphinx.builders
from sphinx.application import Sphinx
from sphinx.builders.latex import LaTeXBuilder
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util import logging
from sphinx.util.matching import Matcher, patmatch
from sphinx.util.parallel import make_chunks, parallel_available

logger = logging.getLogger(__name__)


def undeclared_but_safe(app: Sphinx) -> tuple[str, ...]:
    """The extensions without a parallel-reading declaration that are safe for this build's builder."""
    if isinstance(app.builder, LaTeXBuilder):
        return ("sphinx_multitoc_numbering",)
    return ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex")


def declare_parallel_read_safe(app: Sphinx) -> None:
    for name in undeclared_but_safe(app):
        extension = app.extensions.get(name)
        if extension is not None and extension.parallel_read_safe is None:
            extension.parallel_read_safe = True


def jobs_wanted(value: object) -> int:
    """The processes ``sourcebook_jobs`` asks for: a whole number, or ``"auto"`` for one per core this
    process may use."""
    if isinstance(value, str) and value.strip().lower() == "auto":
        cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
        return max(1, len(cores))
    try:
        jobs = int(str(value).strip())
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise ConfigError(f"sourcebook_jobs is {value!r}: give a whole number of processes (1 or more) or "
                          f"\"auto\" (one per core), in _config.yml under sphinx: config:, or in SOURCEBOOK_JOBS")
    return jobs


def use_configured_jobs(app: Sphinx, config: Config) -> None:
    """A build given no ``-j`` (Jupyter Book's command gives none) runs with ``SOURCEBOOK_JOBS`` or
    ``sourcebook_jobs`` processes."""
    jobs = jobs_wanted(os.environ.get("SOURCEBOOK_JOBS") or config.sourcebook_jobs)
    if app.parallel <= 1 and jobs > 1 and parallel_available:
        app.parallel = jobs


def use_every_job(app: Sphinx) -> None:
    """Write the pages with as many processes as the build has jobs (Sphinx gives them one fewer), and
    read and write them in even chunks."""
    if app.parallel < 2:
        return
    builder = app.builder
    read_parallel, write_parallel = builder._read_parallel, builder._write_parallel

    def read_in_even_chunks(docnames: list[str], nproc: int) -> None:
        with _even_chunks():
            read_parallel(docnames, nproc)

    def write_with_jobs(docnames: Sequence[str], nproc: int) -> None:
        with _even_chunks():
            write_parallel(docnames, nproc=app.parallel)

    builder._read_parallel = read_in_even_chunks  # type: ignore[method-assign]
    builder._write_parallel = write_with_jobs  # type: ignore[method-assign]


@contextlib.contextmanager
def _even_chunks() -> Iterator[None]:
    """Sphinx's builder takes ``make_chunks`` from its module as it reads or writes: the even chunks are put
    there for that call only, so nothing else Sphinx does, or another build, sees them."""
    builders: Any = sphinx.builders
    sphinx_chunks = builders.make_chunks
    builders.make_chunks = even_chunks
    try:
        yield
    finally:
        builders.make_chunks = sphinx_chunks


def even_chunks(arguments: Sequence[str], nproc: int, maxbatch: int = 10) -> list[Any]:
    """Sphinx's chunks (:func:`sphinx.util.parallel.make_chunks`) made even: no larger than Sphinx's, as
    many as fill every round of ``nproc`` processes (when there are pages enough), their sizes one apart."""
    if not arguments:
        return []
    total = len(arguments)
    count = min(total, -(-len(make_chunks(arguments, nproc, maxbatch)) // nproc) * nproc)
    return [list(arguments[n * total // count:(n + 1) * total // count]) for n in range(count)]


def take_over_the_toc_exclusion(app: Sphinx, config: Config) -> None:
    """Before ``sphinx_external_toc`` reads the table of contents: leave out the files it does not name here
    (:func:`exclude_files_outside_the_toc`), not by the toc extension's glob."""
    if "external_toc_exclude_missing" in config and config.external_toc_exclude_missing:
        config.external_toc_exclude_missing = False
        app.sourcebook_toc_files_only = True  # type: ignore[attr-defined]


def exclude_files_outside_the_toc(app: Sphinx, config: Config) -> None:
    """Add to ``exclude_patterns`` every source file the table of contents does not name, as
    ``sphinx_external_toc`` does (not named with or without its suffix, nor by a glob of the table, nor
    excluded already), walking only the folders a source may be in."""
    if not getattr(app, "sourcebook_toc_files_only", False):
        return
    site_map = config.external_site_map
    excluded = Matcher(config["exclude_patterns"])
    suffixes = tuple(config["source_suffix"])
    globs = list(site_map.globs())
    found: list[str] = []
    source = Path(app.srcdir)
    for folder, folders, files in os.walk(source, followlinks=True):
        here = Path(folder).relative_to(source).as_posix()
        prefix = "" if here == "." else here + "/"
        # As the glob: no hidden folder or file; and nothing under a folder that is excluded already.
        folders[:] = sorted(name for name in folders if not name.startswith(".") and not excluded(prefix + name))
        for name in sorted(files):
            suffix = next((s for s in suffixes if name.endswith(s)), None)
            if name.startswith(".") or suffix is None or not os.path.isfile(os.path.join(folder, name)):
                continue
            path = prefix + name
            docname = path[: -len(suffix)]
            if path in site_map or docname in site_map or excluded(path) or \
                    any(patmatch(docname, pattern) for pattern in globs):
                continue
            found.append(path)
    if found:
        logger.info("[etoc] Excluded %s extra file(s) not in toc", len(found))
        # A new list: the configuration's default must not change.
        config["exclude_patterns"] = config["exclude_patterns"] + found


def collect_once_at_exit() -> None:
    """Free what is garbage now, and leave the rest to reference counting: the collections of Python's
    shutdown then skip the build's objects (``gc.freeze``)."""
    gc.collect()
    gc.freeze()


def keep_compiled_templates(app: Sphinx) -> None:
    """Have Jinja keep the templates it compiles in the folder of the saved documents, and load them from there."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if isinstance(environment, jinja2.Environment) and environment.bytecode_cache is None:
        folder = Path(app.doctreedir) / "sourcebook-templates"
        folder.mkdir(parents=True, exist_ok=True)
        environment.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))


def setup_extension_fixes(app: Sphinx) -> None:
    """Keep the configuration's ``numfig`` and take ``sourcebook_jobs``; once every extension is loaded
    and the builder is known (before the reading starts), declare the extensions, have ``-j`` use
    every job and keep the compiled templates; at the process's exit, collect once."""
    atexit.unregister(collect_once_at_exit)  # once per process, however many builds it runs
    atexit.register(collect_once_at_exit)
    # Not part of the build's configuration as Sphinx compares it: more jobs read no page again.
    app.add_config_value("sourcebook_jobs", "1", "", [str, int])
    configured: dict[str, Any] = {}

    def remember_numfig(app: Sphinx, config: Config) -> None:
        configured["numfig"] = config.numfig

    def restore_numfig(app: Sphinx, config: Config) -> None:
        config.numfig = configured["numfig"]

    # Before and after every other extension's handler (the default priority is 500), so that the
    # value is the configuration's when Sphinx compares it with the last build's.
    app.connect("config-inited", remember_numfig, priority=1)
    app.connect("config-inited", restore_numfig, priority=999)
    app.connect("config-inited", use_configured_jobs)
    # Around sphinx_external_toc's reading of the table of contents (priority 900).
    app.connect("config-inited", take_over_the_toc_exclusion, priority=899)
    app.connect("config-inited", exclude_files_outside_the_toc, priority=901)
    app.connect("builder-inited", declare_parallel_read_safe)
    app.connect("builder-inited", use_every_job)
    app.connect("builder-inited", keep_compiled_templates)
