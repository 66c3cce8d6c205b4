"""The few changes the build makes to other projects' wheels so that the in-browser kernel starts sooner.

Before it runs a cell, the Pyodide kernel unpacks every wheel it loads into
its in-memory file system and imports piplite and IPython, in WebAssembly.
Some of that work serves nothing a student can do in the course's notebooks.
:data:`CHANGES` lists each change in one place, with its reason and its
measured gain (processor time of the kernel's start in Node.js, the same V8
as Chromium, the wheels as they come and as changed run in turn: README's
benchmarks of the in-browser notebooks). All four changes: the kernel ready after
11.5 s of processor time, now 9.6 s.

Each change is written for one version of its wheel. A wheel of another
version, or one without the expected shape (a folder named here missing, a
text to replace not found exactly once), is kept as it is and the build says
so: the kernel then starts a little later, and never breaks. The same wheel
gives the same bytes. Standard library only.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from .bytecode import wheel_bytes


@dataclass(frozen=True)
class Edit:
    """In ``file``, the text ``old`` (found exactly once) becomes ``new``."""

    file: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    """What the build changes in one package's wheel (named as in the lock file), and why."""

    package: str
    version: str
    why: str
    #: Folders left out of the wheel (each must be there).
    drop: tuple[str, ...] = ()
    #: Folders of type stubs, one per top-level module (``name.pyi`` or ``name/``): the stubs of
    #: modules the kernel cannot import are left out (each folder must be there).
    stubs: tuple[str, ...] = ()
    edits: tuple[Edit, ...] = ()


TYPESHED = "jedi/third_party/typeshed/"

#: IPython's ``embed``, imported when it is called rather than with IPython.
LAZY_EMBED = '''\
def embed(*args, **kwargs):
    # Made lazy in the in-browser kernel's copy: importing the terminal with IPython (prompt_toolkit,
    # 165 modules) slowed the kernel's start, and a kernel has no terminal to embed.
    from .terminal.embed import embed as terminal_embed

    return terminal_embed(*args, **kwargs)
'''

#: Every change the build makes to another project's wheel.
CHANGES: tuple[Change, ...] = (
    Change(
        "jedi", "0.19.2",
        why="the kernel unpacks every file of its wheels as it starts; jedi's wheel holds 1,880 files, "
            "and 1,263 of them are type stubs jedi never reads in this kernel: those for Python 2, "
            "Django's, and typeshed's stubs of third-party packages the kernel cannot load (its "
            "PyPI fallback is off). The stubs of the standard library, which completion reads, and "
            "those of the packages the kernel has (six, yaml, decorator) stay. Unpacking the wheel: "
            "0.76 to 1.04 s, now 0.26 to 0.37 s.",
        drop=(f"{TYPESHED}stdlib/2/", f"{TYPESHED}third_party/2/", "jedi/third_party/django-stubs/"),
        stubs=(f"{TYPESHED}third_party/2and3/", f"{TYPESHED}third_party/3/"),
    ),
    Change(
        "ipython", "9.12.0",
        why="`import IPython` imports IPython.terminal.embed for the name `embed`, and with it "
            "prompt_toolkit and the terminal's debugger: 165 modules no kernel uses. `embed` is "
            "imported when it is called instead. Likewise IPython's code magics import "
            "urllib.request (and http.client) for %pastebin alone, which sends code to dpaste.com: "
            "imported when %pastebin runs. `import pyodide_kernel`: 3.1 s, 2.8 s with the first, "
            "2.0 s with both (medians of 4).",
        edits=(Edit("IPython/__init__.py", "from .terminal.embed import embed\n", LAZY_EMBED),
               Edit("IPython/core/magics/code.py", "from urllib.request import Request, urlopen\n", ""),
               Edit("IPython/core/magics/code.py", "        request = Request(\n",
                    "        from urllib.request import Request, urlopen\n\n        request = Request(\n")),
    ),
    Change(
        "piplite", "0.8.6",
        why="`import piplite` imports unittest.mock (and with it unittest) for the one `patch` its "
            "install function uses: it is imported in that function instead, so only %pip pays for it. "
            "`import piplite.piplite`: 0.92 to 1.35 s, now 0.44 to 0.59 s.",
        edits=(Edit("piplite/piplite.py", "from unittest.mock import patch\n", ""),
               Edit("piplite/piplite.py",
                    '    """Invoke micropip.install with a patch to get data from local indexes"""\n',
                    '    """Invoke micropip.install with a patch to get data from local indexes"""\n'
                    "    from unittest.mock import patch\n\n")),
    ),
)


def top_module(path: str) -> str:
    """The module a stub file or folder stands for: ``yaml/__init__.pyi`` and ``six.pyi`` -> yaml, six."""
    first = path.split("/", 1)[0]
    return first.removesuffix(".pyi")


def apply(change: Change, file_name: str, data: bytes, modules: Iterable[str]) -> tuple[bytes, str | None]:
    """The wheel ``data`` (named ``file_name``) with ``change`` made; ``modules``: what the kernel can import.

    Returns the new bytes and None, or ``data`` itself and why it was kept as it is.
    """
    version = file_name.split("-")[1] if file_name.count("-") >= 2 else ""
    if version != change.version:
        return data, f"{file_name}: written for {change.package} {change.version}, kept as it is"
    importable = set(modules)
    with zipfile.ZipFile(io.BytesIO(data)) as wheel:
        names = wheel.namelist()
        record = next((n for n in names if n.endswith(".dist-info/RECORD")), None)
        if record is None:
            return data, f"{file_name}: no RECORD, kept as it is"
        contents = {name: wheel.read(name) for name in names if name != record}
    for folder in (*change.drop, *change.stubs):
        if not any(name.startswith(folder) for name in contents):
            return data, f"{file_name}: no folder {folder}, kept as it is"

    def kept(name: str) -> bool:
        if any(name.startswith(folder) for folder in change.drop):
            return False
        for folder in change.stubs:
            if name.startswith(folder):
                return top_module(name[len(folder):]) in importable
        return True

    entries = {name: content for name, content in contents.items() if kept(name)}
    for folder in change.stubs:
        # jedi lists the stubs' folders as it starts: one emptied would be missing, and fail.
        if not any(name.startswith(folder) for name in entries):
            return data, f"{file_name}: no stub left in {folder}, kept as it is"
    for edit in change.edits:
        if edit.file not in entries:
            return data, f"{file_name}: no {edit.file}, kept as it is"
        text = entries[edit.file].decode("utf-8")
        if text.count(edit.old) != 1:
            return data, f"{file_name}: {edit.file} does not have {edit.old.strip()!r} once, kept as it is"
        entries[edit.file] = text.replace(edit.old, edit.new).encode("utf-8")
    return wheel_bytes(list(entries.items()), record), None


def lean_wheels(wheels: dict[str, tuple[str, bytes]], modules: Iterable[str], changes: Iterable[Change] = CHANGES,
                ) -> tuple[dict[str, tuple[str, bytes]], list[str]]:
    """``wheels`` (lock name -> (file name, bytes)) with ``changes`` made; and what was kept as it is, and why."""
    modules = sorted(set(modules))
    out = dict(wheels)
    notes: list[str] = []
    for change in changes:
        if change.package not in out:
            continue
        file_name, data = out[change.package]
        changed, note = apply(change, file_name, data, modules)
        out[change.package] = (file_name, changed)
        if note:
            notes.append(note)
    return out, notes
