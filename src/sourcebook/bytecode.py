"""Pure-Python wheels with their modules compiled, for the Python that runs this module.

The in-browser kernel (Pyodide) imports IPython, jedi, ipywidgets, this package
and theirs from pure-Python wheels that hold source only, so it compiles every
module it imports, each time it starts, in WebAssembly: a large share of the
time the kernel takes to get ready. :func:`compile_wheel` adds the compiled
modules (``__pycache__/*.pyc``) to a wheel, as pip does when it installs one.

Bytecode is only good for the exact Python version that wrote it, so
:mod:`sourcebook.lite` runs this module inside Pyodide itself (under Node.js)
when it builds the site. The bytecode is checked against its source (hash-based
``.pyc``, PEP 552): it stays right whatever the files' dates, and a changed
source is compiled again. Standard library only.
"""

from __future__ import annotations

import base64
import compileall
import hashlib
import io
import os
import py_compile
import tempfile
import warnings
import zipfile
from pathlib import Path


def compile_wheel(data: bytes) -> bytes:
    """``data`` (a wheel) with each of its modules' bytecode added, and its RECORD listing them.

    A module this Python cannot compile (written for another version) keeps its
    source alone. The same input gives the same bytes.
    """
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with zipfile.ZipFile(io.BytesIO(data)) as wheel:
            record = next((n for n in wheel.namelist() if n.endswith(".dist-info/RECORD")), None)
            if record is None:
                raise ValueError("not a wheel: it has no .dist-info/RECORD")
            wheel.extractall(root)
        with warnings.catch_warnings():
            # A library's own code may warn as it compiles (invalid escapes in its tests...).
            warnings.simplefilter("ignore")
            # Paths in the bytecode relative to the wheel (Python puts the real one as it imports), so
            # the same wheel gives the same bytes.
            compileall.compile_dir(root, quiet=2, workers=1, ddir="",
                                   invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
        files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        entries = [(name, (root / name).read_bytes()) for name in files if name != record]
    return wheel_bytes(entries, record)


def record_of(entries: list[tuple[str, bytes]], record: str) -> bytes:
    """The RECORD file (named ``record``) of a wheel of the files ``entries``: each one's name, digest and size."""
    lines = []
    for name, content in entries:
        digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()
        lines.append(f"{name},sha256={digest},{len(content)}")
    lines.append(f"{record},,")
    return ("\n".join(lines) + "\n").encode()


def wheel_bytes(entries: list[tuple[str, bytes]], record: str) -> bytes:
    """A wheel of the files ``entries`` (name, content), with its RECORD (named ``record``) listing them.

    Dated 1980 and with the same permissions throughout, so that the same files give the same bytes.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, content in [*entries, (record, record_of(entries, record))]:
            item = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            item.external_attr = 0o644 << 16
            item.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(item, content)
    return buffer.getvalue()


def compile_wheels(source: str, target: str, names: list[str]) -> None:
    """Write each wheel ``names`` of folder ``source`` into folder ``target``, compiled."""
    os.makedirs(target, exist_ok=True)
    for name in names:
        data = Path(source, name).read_bytes()
        Path(target, name).write_bytes(compile_wheel(data))
