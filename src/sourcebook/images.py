"""Pictures in a bank's text: files of the course, checked, and carried inside the text.

A teacher writes ``![The signature block](../images/signature.png)`` in a
prompt, a hint or feedback, with the path taken from the bank's file. The
checker (:func:`problem`) accepts a picture only if it is a PNG, JPEG, GIF,
WebP or SVG file inside the course's folder, at most 512 kB, with a
description (the alt text a screen reader says). Once a bank is loaded,
:func:`embed` writes each such picture into the text as a ``data:`` address,
so every output shows it with nothing more to copy or fetch: the site (from
a web server or a USB stick), the printed worksheet (one file), the notebook.
A picture from another host is never fetched (see :func:`sourcebook.markdown.is_remote`).
"""

from __future__ import annotations

import base64
import dataclasses
import os
import re
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote

from . import model
from .problems import nearby_file

#: File endings of the pictures a bank may show, with their media types.
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".webp": "image/webp", ".svg": "image/svg+xml"}
#: The largest picture a bank may show: it travels inside every page that shows the question.
MAX_BYTES = 512 * 1024
#: An inline image's opening and its address: ``![description](address`` or ``![description](<address>``.
_INLINE_IMAGE = re.compile(r"(!\[(?:[^\]\\]|\\.)*\]\(\s*)(<[^>\n]*>|[^\s)]+)")

T = TypeVar("T")


def _file(address: str, bank: Path) -> Path:
    return bank.parent / unquote(address.strip("<>").split("#", 1)[0].split("?", 1)[0])


def problem(address: str, description: str, bank: Path) -> tuple[str, str] | None:
    """Why the local picture at ``address`` (as written in the bank at ``bank``) cannot be shown,
    as (code, message), or None when it can."""
    from .pages import course_file_problem, find_book_root

    if not description.strip():
        return "image-description", (f"the image `{address}` has no description: write what it shows between "
                                     "the brackets, ![like this](...), for students who cannot see it")
    path = _file(address, bank)
    media = MEDIA_TYPES.get(path.suffix.lower())
    if media is None:
        return "image-type", (f"the image `{address}` is not a picture file sourcebook shows "
                              f"({', '.join(sorted(MEDIA_TYPES))})")
    place = course_file_problem(bank, path)
    if place == "outside":
        return "image-outside", (f"the image `{address}` is outside the course's folder {find_book_root(bank)}; "
                                 "copy it into the course (an images/ folder, say) and name that copy")
    if place is not None:
        return "image-missing", (f"the image `{address}` does not exist (looked for {path}){nearby_file(path)}"
                                 if place == "missing" else f"the image `{address}` is not a regular file")
    info = os.stat(path)
    if info.st_size > MAX_BYTES:
        return "image-too-large", (f"the image `{address}` is {info.st_size // 1024} kB; at most "
                                   f"{MAX_BYTES // 1024} kB, since it travels inside every page that shows "
                                   "the question: make it smaller")
    return None


def _data_address(address: str, bank: Path) -> str | None:
    path = _file(address, bank)
    media = MEDIA_TYPES.get(path.suffix.lower())
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError:
        return None
    if media is None or len(data) > MAX_BYTES:
        return None
    return f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"


def embed_text(text: str, bank: Path) -> str:
    """``text`` with every picture that :func:`problem` accepts written in as a ``data:`` address."""
    from .markdown import is_remote

    def replace(match: re.Match[str]) -> str:
        address = match.group(2)
        description = match.group(1)[2:].split("]", 1)[0]
        if is_remote(address) or address.startswith("data:") or problem(address, description, bank) is not None:
            return match.group(0)
        data = _data_address(address, bank)
        return match.group(1) + data if data else match.group(0)

    return _INLINE_IMAGE.sub(replace, text) if "![" in text else text


def embed(obj: T, bank: Path) -> T:
    """A copy of a model object (a bank, a question...) with the pictures of every Markdown text embedded."""
    if not (dataclasses.is_dataclass(obj) and not isinstance(obj, type)):
        return obj
    changes: dict[str, Any] = {}
    for f in model.yaml_fields(type(obj)):
        value = getattr(obj, f.name)
        if isinstance(value, str) and f.metadata.get("markdown"):
            new: Any = embed_text(value, bank)
        elif isinstance(value, tuple):
            new = tuple(embed_text(v, bank) if isinstance(v, str) and f.metadata.get("markdown") else embed(v, bank)
                        for v in value)
        elif isinstance(value, dict):
            new = {k: embed(v, bank) for k, v in value.items()}
        else:
            new = embed(value, bank)
        if new != value:
            changes[f.name] = new
    return dataclasses.replace(obj, **changes) if changes else obj  # type: ignore[type-var]
