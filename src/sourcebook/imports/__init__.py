"""Import question banks from a learning management system's files.

Each format module (:mod:`.moodle`, :mod:`.gift`) reads a file into model
questions plus notes on what it could not bring over; :func:`write_bank` then
writes them as a bank YAML file that ``sourcebook check`` accepts. Bad input
(not the format, hostile XML, too large, wrong encoding) raises
:class:`ImportFailed` with a message for the teacher, never a traceback.
"""

from __future__ import annotations

import html
import os
import re
import stat
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from .. import model, types
from ..export import Note
from ..export.moodle import EVIDENCE_TAG

#: Files larger than this are refused (a Moodle export with embedded images can be big).
MAX_BYTES = 32 * 1024 * 1024


class ImportFailed(Exception):
    """The file cannot be imported; the message says why (with a line when known)."""


class NestedTooDeep(ImportFailed):
    """A text's HTML is nested deeper than it can be converted (the importer adds which question)."""


@dataclass
class Imported:
    """What an import gave: the bank's title, its questions, and notes on what changed."""

    title: str
    questions: list[model.Question] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    description: str = ""  # Markdown: what the bank is for (Moodle keeps it as its category's info)

    def note(self, question: str, message: str, *, skipped: bool = False) -> None:
        self.notes.append(Note(question, message, skipped))


def typed_answer(text: str, qid: str, result: Imported) -> str:
    """A typed answer as Moodle keeps it (``*`` a wildcard, ``\\*`` a star) as sourcebook keeps it: the star
    without its backslash; a wildcard, which sourcebook does not have, kept as written with a note."""
    if "*" in text.replace("\\*", ""):
        result.note(qid, f"the answer {text!r} uses Moodle's wildcard *, which sourcebook does not have: "
                    "it is kept as written")
    return text.replace("\\*", "*")


def tagged(tags: list[str], qid: str, result: Imported) -> dict[str, object]:
    """A question's skill and evidence anchors from its Moodle tags (as the exports write them: the skill, then
    ``evidence:<anchor>`` per anchor); tags beyond the first skill are noted as not kept. Moodle writes a tag as it
    shows it, HTML-escaped (``cause &amp; effect``): it is read as the text it is."""
    tags = [html.unescape(tag) for tag in tags]
    evidence = tuple(t[len(EVIDENCE_TAG):] for t in tags if t.startswith(EVIDENCE_TAG))
    skills = [t for t in tags if t and not t.startswith(EVIDENCE_TAG)]
    if len(skills) > 1:
        result.note(qid, f"tags {', '.join(skills[1:])} not kept (a question has one skill: {skills[0]})")
    return {"evidence": evidence, "skill": skills[0] if skills else ""}


def category_name(path: str) -> str:
    """The name of the last category of a Moodle category path, as Moodle splits one: at each ``/`` that is
    not part of ``//`` (a ``/`` in a name is written doubled); '' for none or the course's top."""
    names = [name.replace("//", "/").strip() for name in re.split(r"(?<!/)/(?!/)", path)]
    last = next((name for name in reversed(names) if name), "")
    return "" if last in ("$course$", "$system$", "$module$", "$coursecategory$") else last


def read_limited(path: str | os.PathLike[str]) -> bytes:
    """A file's bytes, refusing a missing or too large file, or what is not a file, with a clear message."""
    too_large = f"at most {MAX_BYTES // 1048576} MiB can be imported"
    try:
        info = os.stat(path)
        # Refused before it is opened: opening a pipe waits for a writer, and a device such as /dev/zero never ends.
        if not stat.S_ISREG(info.st_mode):
            raise ImportFailed(f"{path}: not a file (a folder, a device or a pipe)")
        if info.st_size > MAX_BYTES:
            raise ImportFailed(f"{path}: the file is {info.st_size / 1048576:.1f} MiB; {too_large}")
        with open(path, "rb") as file:
            data = file.read(MAX_BYTES + 1)  # (the size the file system reports is not trusted)
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot read the file: {exc.strerror}") from None
    if len(data) > MAX_BYTES:
        raise ImportFailed(f"{path}: the file is larger than {MAX_BYTES // 1048576} MiB; {too_large}")
    return data


def html_to_markdown(html: str) -> str:
    """HTML from an LMS as bank Markdown (Markdown special characters escaped)."""
    from markdownify import markdownify

    if "<" not in html and "&" not in html:
        return html.strip()
    try:
        return str(markdownify(html, heading_style="ATX", bullets="-", strip=["script", "style"])).strip()
    except RecursionError:
        # The converter walks the element tree recursively; no real question's
        # text is nested hundreds of elements deep.
        raise NestedTooDeep("its HTML is nested too deeply (hundreds of elements inside one another) "
                            "to be converted; simplify the text in the LMS and export it again") from None


def _cleaned_id(wanted: str) -> str:
    """``wanted`` made of the characters an id may have ("" when none is left)."""
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in wanted.strip())
    return "-".join(part for part in cleaned.split("-") if part).lstrip("._-")[:60]


def id_change(wanted: str, qid: str) -> str:
    """Why an imported question's id is ``qid``, not the name it had, ``wanted``."""
    cleaned = _cleaned_id(wanted)
    if not cleaned:
        return "the question has no name an id can be made of"
    reasons = []
    if cleaned != wanted.strip():
        reasons.append("ids use letters, digits, '-', '_', '.'")
    if qid != cleaned:
        reasons.append(f"an earlier question has the id `{cleaned}`")
    return "; ".join(reasons)


def unique_id(wanted: str, taken: set[str], fallback: str) -> str:
    """A question id made of allowed characters, unique among ``taken``, which it joins."""
    cleaned = _cleaned_id(wanted) or fallback
    candidate, n = cleaned, 2
    while candidate in taken:
        candidate, n = f"{cleaned}-{n}", n + 1
    taken.add(candidate)
    return candidate


# --- writing a bank -----------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Safe YAML with multi-line text as readable `|` blocks."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value and not any(c in value for c in "\r\t") and value == value.strip(" "):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def _plain(obj: Any) -> Any:
    """Model objects as YAML data, leaving out every field that has its default value."""
    if isinstance(obj, model.Question):
        out: dict[str, Any] = {"id": obj.id, "type": obj.TYPE}
        for f in model.yaml_fields(type(obj)):
            value = getattr(obj, f.name)
            if f.name != "id" and not _is_default(f, value):
                out[f.name] = _plain(value)
        return out
    if isinstance(obj, model.Choice | types.Pair | types.WrongAnswer | types.Blank):
        return {f.name: _plain(getattr(obj, f.name)) for f in fields(obj)
                if not _is_default(f, getattr(obj, f.name))}
    if isinstance(obj, tuple | list):
        return [_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, float) and obj == int(obj):
        return int(obj)
    return obj


def _is_default(f: Any, value: Any) -> bool:
    from dataclasses import MISSING

    if f.default is not MISSING:
        return bool(value == f.default)
    if f.default_factory is not MISSING:
        return bool(value == f.default_factory())
    return False


def schema_reference(output: Path) -> str:
    """Path from the bank's folder to the bank JSON Schema of the course it is written into."""
    folder = output.resolve().parent
    for parent in (folder, *folder.parents):
        candidate = parent / "schema" / "question-bank.schema.json"
        if candidate.is_file():
            return Path(os.path.relpath(candidate, folder)).as_posix()
    return "../schema/question-bank.schema.json"


def bank_yaml(imported: Imported, *, schema: str, origin: str) -> str:
    """The bank file's text: schema line, a comment on its origin, title and questions."""
    data: dict[str, object] = {"title": imported.title}
    if imported.description:
        data["description"] = imported.description
    data["questions"] = [_plain(q) for q in imported.questions]
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
    return f"# yaml-language-server: $schema={schema}\n# Imported from {_one_line(origin)}.\n{body}"


def _one_line(text: str) -> str:
    """``text`` safe for a YAML comment: a line break (or any character that is not printable)
    in a file's name would end the comment and start YAML of the name's choosing."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def write_bank(imported: Imported, output: str | os.PathLike[str], *, origin: str, force: bool = False) -> None:
    """Write the imported questions as a bank; refuses to overwrite unless ``force``."""
    path = Path(output)
    if path.is_dir():
        raise ImportFailed(f"{path} is a folder: give the bank's file name with -o, such as {path / 'imported.yml'}")
    if path.exists() and not force:
        raise ImportFailed(f"{path} already exists; choose another name or pass --force to overwrite it")
    text = bank_yaml(imported, schema=schema_reference(path), origin=origin)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ImportFailed(f"cannot write {path}: {exc.strerror or exc}; choose another place with -o") from None
