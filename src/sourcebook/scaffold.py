"""`sourcebook new module` and `sourcebook new bank`: start a lesson or a bank in one command.

A new module is a folder ``modules/NN-slug/`` with an ``index.md`` that has the
course's module structure (front matter, the headings in order, the source's
card and excerpt, guiding questions with model answers, a quiz, an instructor
note), its bank ``questions/NN-slug.yml``, and an entry in ``_toc.yml`` under
the "Modules" part, in number order. Every text put in the page tells the
teacher what goes there; the page and the bank build and check without an
error as they are, so the site builds the moment the command has run. Each of
these texts left in warns (:mod:`sourcebook.placeholders`), so that
``sourcebook check --strict`` and a ``-W`` build fail until the module is
written: students never read "replace them with your own".

The bank starts with one example question of each common type, each saying
what to replace. An empty bank would be more honest about being empty, but a
quiz needs questions to show, and a worked example of each type teaches the
format faster than any description (the starter questions pass
``sourcebook check`` with no warning but the ones about the examples left).

Nothing is ever overwritten: every check runs before anything is written.
``_toc.yml`` is edited as text at the place ruamel.yaml's round-trip parser
locates, so the teacher's comments, quoting, indentation and blank lines stay
byte for byte as they were; only the new line is added (and the result is
parsed again to make sure it means what it should).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from .loader import read_bank, read_source
from .model import Source
from .pages import PageError, read_page

MODULE_SLUG = re.compile(r"(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)")
BANK_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DEFAULT_TIME = "50 minutes"
#: The part of ``_toc.yml`` that lists the modules, compared without regard to case.
MODULES_CAPTION = "Modules"

_MISSING_PART = f"""\
add a part captioned "{MODULES_CAPTION}" that lists the modules, for example:

parts:
  - caption: {MODULES_CAPTION}
    chapters:
      - file: modules/01-meeting-the-source/index"""


class ScaffoldError(ValueError):
    """The command cannot run as asked; nothing has been written."""


@dataclass(frozen=True)
class Written:
    """What a scaffolding command created or changed, for the message it prints."""

    created: tuple[Path, ...]
    changed: tuple[Path, ...] = ()


# --- names and sources -------------------------------------------------------------


def check_module_slug(slug: str) -> tuple[int, str]:
    """The module's number and words; a clear error for any other shape."""
    match = MODULE_SLUG.fullmatch(slug)
    if not match:
        raise ScaffoldError(f"`{slug}` is not a module name: write NN-lowercase-words, two digits, a hyphen "
                            "and lowercase words joined by hyphens, e.g. 07-the-great-leap-forward")
    return int(match.group(1)), match.group(2)


def check_bank_name(name: str) -> str:
    """The bank's file stem; accepts ``NAME`` or ``questions/NAME.yml``."""
    stem = Path(name).name
    if stem.endswith((".yml", ".yaml")):
        stem = stem.rsplit(".", 1)[0]
    if not BANK_NAME.fullmatch(stem):
        raise ScaffoldError(f"`{name}` is not a bank name: write lowercase words and digits joined by hyphens, "
                            "e.g. 07-the-great-leap-forward or practice-sourcing")
    return stem


def find_source(root: Path, given: str | None) -> Path:
    """The source a new module or bank cites: ``given``, or the course's only source (document cards aside)."""
    if given:
        path = Path(given)
        path = path if path.is_absolute() else root / path
        if not path.is_file():
            raise ScaffoldError(f"the source {given} does not exist (looked for {path})")
        return path.resolve()
    found = sorted(p for p in (root / "sources").glob("*.y*ml") if p.suffix in (".yml", ".yaml")
                   and not _is_card(p))  # document cards are cited beside a source, never as one
    if len(found) == 1:
        return found[0].resolve()
    if not found:
        raise ScaffoldError(f"no source in {root / 'sources'}; add one (sources/NAME.yml) or pass --source PATH")
    names = ", ".join(str(p.relative_to(root)) for p in found)
    raise ScaffoldError(f"the course has several sources ({names}); choose one with --source PATH")


def _is_card(path: Path) -> bool:
    loaded = read_source(path)
    return bool(loaded.ok and loaded.value.card)


def _load_source(path: Path) -> Source:
    loaded = read_source(path)
    if not loaded.ok:
        problems = "\n".join(f"  {p}" for p in loaded.problems if p.severity == "error")
        raise ScaffoldError(f"the source {path} has errors; fix them first (sourcebook check):\n{problems}")
    source: Source = loaded.value
    return source


def _relative(path: Path, start: Path) -> str:
    """``path`` relative to the folder ``start``, with ``..`` where needed, in / form."""
    import os

    return Path(os.path.relpath(path, start)).as_posix()


def _quoted(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar, whatever the title holds.
    return json.dumps(text, ensure_ascii=False)


# --- the bank ----------------------------------------------------------------------


def bank_text(title: str, source: Source | None, source_ref: str) -> str:
    """The YAML of a new bank: a title, the source, and an example question of each common type."""
    anchor = next((p.id for p in source.paragraphs if p.number is not None), source.paragraphs[0].id) \
        if source is not None else ""
    evidence = f"\n    evidence: [{anchor}]" if anchor else ""
    source_line = f"source: {source_ref}\n" if source is not None else ""
    return f"""\
# yaml-language-server: $schema=../schema/question-bank.schema.json
# Five example questions, one of each common type, show how each is written.
# Replace them with your own (keep at least one: a quiz needs questions), then
# run `sourcebook check` on this file. The README lists every question type.
title: {_quoted(title)}
description: >-
  One or two sentences for teachers: what these questions ask and which
  paragraphs of the source they rely on.
{source_line}questions:
  - id: example-single
    type: single
    skill: sourcing
    prompt: >-
      Example of a single-choice question: replace this prompt with a question
      that has exactly one right answer among the choices.
    choices:
      - text: The right answer, marked `correct` below
        correct: true
        feedback: Say why this choice is right, pointing to the words of the source.
      - text: A wrong answer that a student could believe
        feedback: Say why it is wrong, and where in the source the student should look.
      - text: Another wrong answer, built on a common misreading
        feedback: Name the misreading and correct it.
    explanation: >-
      Shown after the student answers, right or wrong: the reasoning a
      historian would follow.{evidence}

  - id: example-multiple
    type: multiple
    skill: close reading
    prompt: >-
      Example of a multiple-answer question: tick every statement the source
      supports. Replace the prompt and the statements.
    choices:
      - text: A statement the source supports
        correct: true
        feedback: Quote or point to the words that support it.
      - text: A second statement the source supports
        correct: true
        feedback: Quote or point to the words that support it.
      - text: A statement the source does not support
        feedback: Say what the source says instead.
    explanation: Partial credit is given for each right tick, less each wrong one.{evidence}

  - id: example-true-false
    type: true-false
    skill: contextualization
    prompt: >-
      Example of a true/false question: replace this with a statement about
      the source's time and place that is either true or false.
    answer: false
    feedback_true: Shown to a student who answers True; say what they missed.
    feedback_false: Shown to a student who answers False; confirm and explain.

  - id: example-short
    type: short
    skill: sourcing
    prompt: >-
      Example of a short-answer question: ask for a name, a word or a date
      that the source states. Replace this prompt and the answers below.
    answers: [the expected answer, another accepted spelling of it]
    wrong_answers:
      - text: an answer students often give
        feedback: Say why this answer is wrong and where to look instead.
    explanation: Answers are compared ignoring letter case, extra spaces and end punctuation.{evidence}

  - id: example-open
    type: open
    skill: corroboration
    prompt: >-
      Example of an open question: ask students to write a few sentences, for
      example comparing this source with another. Open answers are not marked.
    model_answer: >-
      A model answer that students see after writing their own: what a
      strong answer says, and which paragraphs it uses.
    rubric:
      - A criterion students tick when their answer meets it
      - Another criterion, such as citing a paragraph of the source
"""


# --- the module page ---------------------------------------------------------------


def module_text(number: int, title: str, themes: list[str], time: str, source: Source,
                source_ref: str, bank_ref: str, known_themes: list[str]) -> str:
    """The MyST Markdown of a new module page, in the course's module structure."""
    numbered = [p.id for p in source.paragraphs if p.number is not None]
    first = numbered[0] if numbered else source.paragraphs[0].id
    anchors = ", ".join(p.id for p in source.paragraphs)
    theme_list = ", ".join(_quoted(t) for t in themes)
    theme_note = f"  # themes of other modules: {', '.join(known_themes)}" if known_themes else ""
    model_answer = """\
   ```{model-answer}
   The answer you would accept, with the paragraphs it rests on. It appears
   only in the teacher edition of the site, never in the students' one.
   ```"""
    return f"""\
---
module: {number}
short_title: {_quoted(title)}
themes: [{theme_list}]{theme_note}
time: {_quoted(time)}
---

# {title}

```{{module-facts}}
```

## Central question

**Write here, in bold, the one question this module answers.** Every task in
this module works towards an answer; the last one asks students to give it.

## Learning objectives

By the end of this module you can:

- write here, for the students, two to four things they will be able to do,
  each starting with a verb you could see them doing: *explain*, *compare*,
  *point to the words that show*;
- keep each objective small enough to check with a quiz question or a guiding
  question below.

## The source

```{{source-card}} {source_ref}
```

Tell students in a sentence or two which part of the source this module reads,
and why. Then set the paragraphs to quote in the `:paragraphs:` option below,
separated by commas, with ranges such as `p3-p4`. The paragraphs of this source
are: {anchors}.

```{{source-excerpt}} {source_ref}
:paragraphs: {first}
```

## Context

Write the context essay here: what a student needs to know to read these
paragraphs well, and no more. Who the people were, what had happened before
the date of the source and what had not happened yet, and the words that need
explaining (link a word to the glossary with the `{{term}}` role). Keep each
claim to what the course's fact sheet supports, and say where historians
disagree.

## Guiding questions

### Sourcing

1. Ask about the author, audience, date or purpose of the source, and how that
   shapes what it says.

{model_answer}

### Contextualization

2. Ask how the events of the time explain what the source says, or what it
   leaves unsaid.

{model_answer}

### Corroboration

3. Ask students to compare the source with another account, a date on the
   timeline, or another paragraph of the same source.

{model_answer}

### Close reading

4. Ask about particular words or sentences of the excerpt: what they mean,
   what they assume, what tone they take.

{model_answer}

## Quiz

The quiz below draws on the bank `{bank_ref.lstrip("/")}`. It starts with one example
question of each common type; replace them with your own and check the bank
with `sourcebook check`.

```{{quiz}} {bank_ref}
```

## Answering the central question

5. **Ask the central question again**, and say what an answer should draw on:
   the paragraphs of the source, the context and the other accounts that the
   guiding questions used.

{model_answer}

## Key points

- Sum up, in three to five short lines, what a student should remember from
  this module.
- Each key point should answer one of the learning objectives above.

## Further investigation

- Suggest a task that takes students beyond this module: another part of the
  source, a page of the site, or a question to research.

## For instructors

```{{instructor-note}}
Write here how long each part of the lesson takes, the misconceptions to
expect and how the quiz questions target them, and anything a colleague
teaching this module for the first time should know. This note appears only
in the teacher edition of the site.
```
"""


def _known_themes(root: Path) -> list[str]:
    """Themes named in the front matter of the course's module pages, in first-seen order."""
    themes: list[str] = []
    for page in sorted((root / "modules").glob("*/index.md")):
        try:
            found = read_page(page, root).metadata.get("themes") or []
        except PageError:
            continue  # a broken page is `sourcebook check`'s and Sphinx's to report, not ours
        for theme in found if isinstance(found, list) else []:
            if isinstance(theme, str) and theme not in themes:
                themes.append(theme)
    return themes


# --- the table of contents ---------------------------------------------------------


def _entry_number(entry: Any) -> int | None:
    """The module number of a chapter entry (``modules/07-x/index`` gives 7), if it has one."""
    if not isinstance(entry, CommentedMap) or not isinstance(entry.get("file"), str):
        return None
    for part in entry["file"].split("/"):
        match = re.match(r"(\d+)-", part)
        if match:
            return int(match.group(1))
    return None


def _dash(lines: list[str], line: int, column: int) -> tuple[int, int]:
    """Where the ``-`` of the sequence item whose content starts at (line, column) is."""
    text = lines[line][:column]
    while True:
        stripped = text.rstrip()
        if stripped.endswith("-"):
            return line, len(stripped) - 1
        if stripped and not stripped.lstrip().startswith("#"):
            raise ScaffoldError("could not find the `-` of a chapter in _toc.yml")
        line -= 1  # the content is on the line after its dash (`-` alone on a line)
        if line < 0:
            raise ScaffoldError("could not find the `-` of a chapter in _toc.yml")
        text = lines[line].split("#", 1)[0] if lines[line].lstrip().startswith("#") else lines[line]


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def toc_with_module(text: str, file: str, number: int) -> str:
    """``_toc.yml``'s text with ``file`` added to the Modules part, in number order; the rest unchanged."""
    yaml = YAML(typ="rt")
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        raise ScaffoldError(f"_toc.yml is not valid YAML; fix it first:\n{exc}") from None
    parts = data.get("parts") if isinstance(data, CommentedMap) else None
    part = next((p for p in parts or [] if isinstance(p, CommentedMap)
                 and str(p.get("caption", "")).strip().casefold() == MODULES_CAPTION.casefold()), None)
    if part is None:
        raise ScaffoldError(f"_toc.yml has no part captioned \"{MODULES_CAPTION}\"; {_MISSING_PART}")
    chapters = part.get("chapters")
    if not isinstance(chapters, CommentedSeq) or not chapters:
        raise ScaffoldError(f"the \"{MODULES_CAPTION}\" part of _toc.yml lists no chapters; give it a "
                            f"`chapters:` list with one `- file: modules/NN-slug/index` line per module")
    if chapters.fa.flow_style():
        raise ScaffoldError(f"the chapters of the \"{MODULES_CAPTION}\" part of _toc.yml are written in "
                            "[brackets]; write one `- file: ...` line per module, then run this again")
    for entry in chapters:
        if isinstance(entry, CommentedMap) and entry.get("file") == file:
            raise ScaffoldError(f"_toc.yml already lists {file}")
        if _entry_number(entry) == number:
            raise ScaffoldError(f"module number {number:02d} is taken: _toc.yml lists {entry['file']}; "
                                "choose another number")

    lines = text.splitlines(keepends=True)
    eol = "\r\n" if "\r\n" in text else "\n"
    numbers = [_entry_number(e) for e in chapters]
    after = next((i for i, n in enumerate(numbers) if n is not None and n > number), None)
    neighbour = after if after is not None else max(
        (i for i, n in enumerate(numbers) if n is not None), default=len(chapters) - 1)
    content_line, content_col = chapters.lc.item(neighbour)
    dash_line, dash_col = _dash(lines, content_line, content_col)
    # The new line copies its neighbour's look: the gap after `-`, and {flow} or block style.
    gap = content_col - dash_col - 1 if content_line == dash_line else 1
    flow = content_line == dash_line and lines[content_line][content_col:].startswith("{")
    value = f"{{file: {file}}}" if flow else f"file: {file}"
    new_line = " " * dash_col + "-" + " " * max(gap, 1) + value + eol

    if after is not None:
        # Before the next module, and before the comment lines right above it, which are about it.
        at = dash_line
        while at > 0 and lines[at - 1].strip().startswith("#"):
            at -= 1
    else:
        # After the last line of the neighbour entry: the last content line before
        # anything indented no deeper than its dash.
        at = dash_line + 1
        last = dash_line
        while at < len(lines):
            if _is_content(lines[at]):
                if _indent(lines[at]) <= dash_col:
                    break
                last = at
            at += 1
        at = last + 1
        if not lines[last].endswith(("\n", "\r")):
            lines[last] += eol
    result = "".join(lines[:at]) + new_line + "".join(lines[at:])
    _check_toc(yaml, result, text, file)
    return result


def _check_toc(yaml: YAML, result: str, original: str, file: str) -> None:
    """Parse the edited table of contents again: it must be the old one plus the new entry."""
    try:
        old, new = (json.loads(json.dumps(yaml.load(t), default=str)) for t in (original, result))
    except YAMLError as exc:  # the insertion keeps YAML valid; this guards it
        raise ScaffoldError(f"adding the module would break _toc.yml ({exc}); add it by hand") from None
    for part in new.get("parts", []):
        if isinstance(part, dict) and str(part.get("caption", "")).strip().casefold() == MODULES_CAPTION.casefold():
            chapters = part.get("chapters", [])
            if {"file": file} in chapters:
                chapters.remove({"file": file})
                break
    else:
        new = None
    if new != old:
        raise ScaffoldError(f"_toc.yml is laid out in a way this command cannot edit safely; add "
                            f"`- file: {file}` under the \"{MODULES_CAPTION}\" part by hand")


# --- the commands ------------------------------------------------------------------


def _refuse_existing(*paths: Path) -> None:
    for path in paths:
        if path.exists():
            raise ScaffoldError(f"{path} already exists; nothing written (choose another name, or remove it "
                                "yourself if you really mean to start again)")


def _verify_bank(path: Path) -> None:
    problems = [p for p in read_bank(path).problems if p.code != "placeholder"]
    if problems:  # the starter bank must check cleanly but for its examples; anything else is a bug here
        listed = "\n".join(f"  {p}" for p in problems)
        raise ScaffoldError(f"the new bank {path} does not check cleanly:\n{listed}")


def new_bank(root: Path, name: str, title: str, *, source: str | None = None) -> Written:
    """Create ``questions/NAME.yml`` with the example questions."""
    stem = check_bank_name(name)
    title = _one_line(title)
    if not title:
        raise ScaffoldError("give the bank a title with --title")
    bank = root / "questions" / f"{stem}.yml"
    _refuse_existing(bank)
    source_path = find_source(root, source) if source or (root / "sources").is_dir() else None
    loaded = _load_source(source_path) if source_path is not None else None
    text = bank_text(title, loaded, _relative(source_path, bank.parent) if source_path else "")
    _write_all_or_nothing([(bank, text)])
    _verify_bank(bank)
    return Written((bank,))


def _one_line(title: str) -> str:
    """A title as one line: a line break or tab typed into it (a pasted title) becomes a space."""
    return " ".join(title.split())


def _write_all_or_nothing(new: Sequence[tuple[Path, str]], changed: tuple[Path, bytes, bytes] | None = None) -> None:
    """Write the ``new`` files (with the folders they need) and then ``changed`` (a file, its new bytes and the
    bytes it had): all or nothing. Should a write fail (a read-only folder, a full disk), what was written is
    taken away again and the changed file put back, so that the same command can be run again once it is fixed.
    A new file is opened with "x": one that appeared meanwhile is never replaced."""
    made: list[Path] = []
    try:
        for path, text in new:
            for part in (*reversed(path.parent.parents), path.parent):
                if not part.exists():
                    part.mkdir()
                    made.append(part)
            with path.open("x", encoding="utf-8") as out:
                made.append(path)
                out.write(text)
        if changed is not None:
            changed[0].write_bytes(changed[1])
    except OSError as exc:
        for path in reversed(made):
            with contextlib.suppress(OSError):
                path.rmdir() if path.is_dir() else path.unlink()
        if changed is not None:
            with contextlib.suppress(OSError):
                if changed[0].read_bytes() != changed[2]:
                    changed[0].write_bytes(changed[2])
        raise ScaffoldError(f"cannot write {exc.filename or new[0][0]}: {exc.strerror or exc}; nothing was "
                            "written") from None


def new_module(root: Path, slug: str, title: str, *, themes: list[str] | None = None,
               time: str = DEFAULT_TIME, source: str | None = None) -> Written:
    """Create ``modules/SLUG/index.md`` and ``questions/SLUG.yml``, and list the module in ``_toc.yml``."""
    number, _ = check_module_slug(slug)
    title = _one_line(title)
    if not title:
        raise ScaffoldError("give the module a title with --title")
    folder = root / "modules" / slug
    page = folder / "index.md"
    bank = root / "questions" / f"{slug}.yml"
    toc = root / "_toc.yml"
    _refuse_existing(folder, bank)
    if not toc.is_file():
        raise ScaffoldError(f"no _toc.yml in {root}; run this in the book's top folder")
    source_path = find_source(root, source)
    loaded = _load_source(source_path)
    # Everything is worked out before the first file is written.
    toc_bytes = toc.read_bytes()
    try:
        toc_text = toc_bytes.decode("utf-8")
    except UnicodeDecodeError:
        raise ScaffoldError("_toc.yml is not UTF-8 text") from None
    new_toc = toc_with_module(toc_text, f"modules/{slug}/index", number)
    source_ref = "/" + _relative(source_path, root.resolve())
    page_text = module_text(number, title, [t.strip() for t in themes or [] if t.strip()], time,
                            loaded, source_ref, f"/questions/{slug}.yml", _known_themes(root))
    bank_yaml = bank_text(title, loaded, _relative(source_path, bank.parent.resolve()))

    _write_all_or_nothing([(bank, bank_yaml), (page, page_text)], (toc, new_toc.encode("utf-8"), toc_bytes))
    _verify_bank(bank)
    return Written((page, bank), (toc,))
