"""A module notebook that carries its own files, so it runs wherever it is saved.

A module's notebook reads its question banks and the sources they cite. On the
course site they sit beside it, but a student who downloads the notebook (from
the module page, or from the in-browser notebook with File > Download) gets
the ``.ipynb`` alone. So the notebook carries those files' text: :func:`pack`
(run when the site is built) adds a cell that calls :func:`unpack`, which
writes them beside the notebook when they are missing, and points the quiz
cells at those copies. The first cell says how to install the package.

This module runs in the student's kernel too (in Jupyter and in the browser's
Pyodide), so it needs nothing beyond the standard library.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

#: Marks the cells that :func:`pack` adds, so that packing twice replaces them.
CELL_TAG = "sourcebook-carried"


#: Where the browser's kernel puts the files: its own memory (see :func:`unpack`).
BROWSER_FOLDER = "/home/pyodide/sourcebook"


def unpack(files: Mapping[str, str], folder: str | os.PathLike[str] | None = None) -> list[str]:
    """Write each of ``files`` (relative path -> text) under ``folder`` unless it is there already.

    ``folder`` is by default the notebook's own (the kernel's working folder).
    A file that exists is never overwritten, even when it differs: it may hold a
    teacher's or student's edits. Returns the paths written; prints a line for
    each copy kept that differs from the notebook's.

    In the browser (Pyodide), the kernel reaches the site's files only through
    a service worker that is not always ready (on the first visit, after a hard
    reload, on a site not served over https or from this computer), and a file
    access then waits for ever. So there the files go into the kernel's own
    memory, and the kernel works from that folder: the quizzes never wait on it.
    """
    in_browser = sys.platform == "emscripten"
    base = Path(folder) if folder is not None else Path(BROWSER_FOLDER) if in_browser else Path.cwd()
    written: list[str] = []
    for relative, text in files.items():
        path = base / relative
        if Path(relative).is_absolute() or ".." in Path(relative).parts:
            raise ValueError(f"a carried file must stay beside the notebook, not at {relative!r}")
        if path.exists():
            if path.read_text(encoding="utf-8") != text:
                print(f"{relative} differs from this notebook's copy; kept as it is "
                      f"(delete it and run this cell again to get the notebook's copy).")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(relative)
    if in_browser and folder is None:
        os.chdir(base)
    return written


def install_text(wheel_name: str, wheel_url: str | None) -> str:
    """The first cell: how to run the notebook in the browser and elsewhere, and how to keep one's work.

    ``wheel_url`` is the package's address on the course site when the site's
    address is known (``html_baseurl``); otherwise the student is told where to
    download the wheel from.
    """
    if wheel_url:
        where = f"from the course site's wheel: run `%pip install {wheel_url}` in a cell"
    else:
        where = (f"from the course site's wheel: download `{wheel_name}` (the link on the module page, beside "
                 f"the notebook's) into this notebook's folder and run `%pip install {wheel_name}` in a cell")
    return "\n".join([
        "**How to run this notebook.** Run the cells in order (Shift+Enter, or Run > Run All Cells).",
        "",
        "- *In the browser* (opened from the course site): everything is ready, there is nothing to install. "
        "Python starts in the browser as the notebook opens, which takes a while (half a minute on a slow "
        "computer): a cell run before then shows `[*]` and waits, then runs once Python is ready. "
        "What you write in the notebook is kept in this browser, on this computer; to keep a copy, or to "
        "hand it in, use **File > Download**, which saves the notebook to your computer. A quiz's answers are "
        "not kept: they last until the notebook is reloaded or closed, and the downloaded notebook does not "
        "hold them. To keep your quiz answers and hand them in, answer the quiz on the module's page of the "
        "course site, which keeps them in this browser and has a **Hand in** box.",
        f"- *In your own Jupyter*: install the `sourcebook` package first, {where}. "
        "The next cell writes the question banks and the source that the quizzes read beside the notebook.",
    ])


def pack(notebook: Any, files: Mapping[str, str], renames: Mapping[str, str], *, wheel_name: str,
         wheel_url: str | None = None) -> Any:
    """Make ``notebook`` (an nbformat v4 notebook, changed in place and returned) carry ``files``.

    ``files`` maps each path the quizzes will read (relative to the notebook)
    to its text; ``renames`` maps each bank path the quiz cells call now to its
    path in ``files``. Adds the install note as the first cell and the cell
    that writes the files as the second (its code folded away); cells added by
    an earlier ``pack`` are replaced.
    """
    cells = [cell for cell in notebook["cells"] if CELL_TAG not in cell.get("metadata", {}).get("tags", [])]
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for old, new in renames.items():
            source = source.replace(f"quiz({json.dumps(old)}", f"quiz({json.dumps(new)}")
        cell["source"] = source
    note = {"cell_type": "markdown", "id": "sourcebook-install", "metadata": {"tags": [CELL_TAG]},
            "source": install_text(wheel_name, wheel_url)}
    carried: dict[str, Any] = {
        "cell_type": "code", "id": "sourcebook-files", "execution_count": None, "outputs": [],
        "metadata": {"tags": [CELL_TAG], "jupyter": {"source_hidden": True}},
        "source": files_cell(files),
    }
    notebook["cells"] = [note, carried, *cells]
    return notebook


def files_cell(files: Mapping[str, str]) -> str:
    """The code of the cell that writes the carried files beside the notebook."""
    body = ",\n".join(f"    {json.dumps(path)}: {_literal(text)}" for path, text in sorted(files.items()))
    return ("# The question banks and the source this notebook's quizzes read, written beside it\n"
            "# if they are not there yet (an existing file is kept as it is).\n"
            "from sourcebook.carry import unpack\n\n"
            f"unpack({{\n{body},\n}});")


def _literal(text: str) -> str:
    # A triple-quoted string reads like the file itself; repr() where that cannot hold the text exactly.
    if '"""' not in text and "\\" not in text and not text.endswith('"') and "\r" not in text:
        return '"""' + text + '"""'
    return repr(text)


def carried_paths(banks: Sequence[tuple[Path, Path | None]], book_root: Path) -> dict[Path, str]:
    """Each bank and source file (absolute) -> its path beside the notebook: its path in the book.

    Keeping the book's layout keeps a bank's ``source: ../sources/x.yml`` right.
    Raises ValueError for a file outside the book.
    """
    paths: dict[Path, str] = {}
    root = book_root.resolve()
    for bank, source in banks:
        for path in (bank, source):
            if path is None:
                continue
            try:
                paths[path.resolve()] = path.resolve().relative_to(root).as_posix()
            except ValueError:
                raise ValueError(f"{path} is outside the book at {root}, so the notebook cannot carry it") from None
    return paths
