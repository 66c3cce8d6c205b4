"""Read question banks and sources from YAML into the model, keeping line marks.

Reading goes in three steps, each of which reports problems instead of raising:

1. bytes to text: size limit, UTF-8 (a UTF-8 byte-order mark is accepted);
2. text to nodes: PyYAML's safe parser (the C one when present) produces
   events, which :func:`compose` turns into light nodes that remember their
   line and column. Nothing is ever constructed from a tag: unknown tags such
   as ``!!python/object`` are reported, aliases are refused (so alias bombs
   cannot expand), nesting is capped, and a repeated key is an error (PyYAML
   itself would silently keep the last one and lose a teacher's question);
3. nodes to model: the dataclass fields of :mod:`sourcebook.model` say which
   keys exist and what type each value has (read as YAML 1.2 reads them, as
   editors and the JSON Schema do); the checks in :mod:`.checks` then look at
   the bank as a whole.

Every problem is named in one run. A question with errors is still built as
far as it can be (a neutral value stands in for each key that failed) and
checked on everything else; a question of an unknown type is read as the type
it most likely means; a bank with an error of its own still has its questions
checked. None of these ever reaches a quiz: the file has errors.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import difflib
import os
import re
import stat
import types
import typing
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Union

import yaml

from . import model
from .checks import check_bank, check_source
from .problems import BankError, Problem, Severity, did_you_mean, nearby_file
from .types import registry

#: Files larger than this are refused before they are read.
MAX_BYTES = 8 * 1024 * 1024
#: Deeper nesting than this is refused (a bank needs about six levels).
MAX_DEPTH = 40

_Parser: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
#: Characters no text may hold: invisible, and not allowed in the XML of a Moodle or QTI export.
#: YAML refuses them typed in the file, but lets a double-quoted "\a" or "\x07" through.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP, "!"}
#: YAML 1.2's core schema: the only plain scalars that are not text.
_CORE_BOOL = re.compile(r"true|True|TRUE|false|False|FALSE")
_CORE_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_CORE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")
#: What YAML 1.1 read as true or false and YAML 1.2 reads as text.
_OLD_BOOLEANS = {"yes": "true", "on": "true", "y": "true", "no": "false", "off": "false", "n": "false"}
#: A number written with thousands separators (1,390 or 12,000,000), or with a decimal comma (3,5).
_THOUSANDS = re.compile(r"[-+]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"[-+]?[0-9]+,[0-9]+")
#: Opening curly (or full-width) quotes a word processor writes, and the closing quote each expects.
CURLY_QUOTES = {"\u201c": "\u201d", "\u2018": "\u2019", "\u201e": "\u201c", "\uff02": "\uff02"}
FULL_WIDTH_COMMA = "\uff0c"
FULL_WIDTH_COLON = "\uff1a"
#: A key (bank keys are ASCII words) followed by a full-width colon, where a key can stand.
_KEY_WITH_FULL_WIDTH_COLON = re.compile(r"(?:^\s*(?:-\s+)?|[{,]\s*)([A-Za-z_][\w-]*)\s*" + FULL_WIDTH_COLON)
#: A key written with no space after its colon (``prompt:Who?``), which YAML reads as plain text, not a key.
_KEY_WITHOUT_SPACE = re.compile(r"([A-Za-z_][\w-]*):(?=[^\s:])")
#: A word and a text after it with no colon: a key whose colon was left out (``prompt Who wrote it?``).
_KEY_WITHOUT_COLON = re.compile(r"([A-Za-z_][\w-]*)[ \t]+([^:\s][^:]*)$")
#: A key and its colon where a line's text starts.
_KEY_AT_START = re.compile(r"([A-Za-z_][\w-]*):(?=\s|$)")
_VALUE_STARTS_WITH_QUOTE = re.compile("(^|[:\\[{,-])\\s*([" + "".join(CURLY_QUOTES) + "])")


def _unclosed_quote(text: str) -> str | None:
    """The first curly quote opened in ``text`` and not closed after it (a sign that YAML cut the text)."""
    if not any(quote in text for quote in CURLY_QUOTES):
        return None  # most texts: one fast scan per quote instead of a loop over every character
    open_quotes: list[tuple[str, str]] = []  # (opening quote, the closing one it waits for)
    for char in text:
        if any(char == closer for _, closer in open_quotes):
            while open_quotes and open_quotes.pop()[1] != char:
                pass  # a closing quote closes the quotes opened inside it too
        elif char in CURLY_QUOTES:
            open_quotes.append((char, CURLY_QUOTES[char]))
    return open_quotes[0][0] if open_quotes else None


def resolve_core(value: str) -> str:
    """The tag YAML 1.2's core schema gives a plain scalar."""
    if value in _NULL_WORDS:
        return _NULL
    if _CORE_BOOL.fullmatch(value):
        return _BOOL
    if _CORE_INT.fullmatch(value):
        return _INT
    if _CORE_FLOAT.fullmatch(value):
        return _FLOAT
    return _STR
_COLLECTION_TAGS = {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "!"}


# --- nodes --------------------------------------------------------------------


@dataclass(slots=True)
class Node:
    """A YAML node with its 1-based line and column."""

    line: int
    column: int


@dataclass(slots=True)
class Scalar(Node):
    value: str
    plain: bool  # written without quotes, so YAML resolves its type
    tag: str | None  # explicit tag, if any
    #: A comment that follows a plain value on its (last) line: where its `#` is, and its text. YAML ends
    #: the value there, so `Question #1 asks` is read as `Question`.
    comment: tuple[int, int, str] | None = None

    def resolved_tag(self) -> str:
        """The YAML type of the value: str, int, float, bool or null, as YAML 1.2 reads it.

        YAML 1.2 (what editors and the JSON Schema go by) reads `yes`, `no`, `on`,
        `off`, `1_000` and `1:30` as text, where PyYAML's YAML 1.1 would read
        true, false, 1000 and 90: the loader and the schema must agree.
        """
        if self.tag and self.tag != "!":
            return self.tag
        if not self.plain:
            return _STR
        return resolve_core(self.value)


@dataclass(slots=True)
class Sequence(Node):
    items: list[Node]
    flow: bool = False  # written in [brackets]


@dataclass(slots=True)
class Mapping(Node):
    pairs: list[tuple[Scalar, Node]]
    flow: bool = False  # written in {braces}


def _describe(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a mapping (keys and values)"
    if isinstance(node, Sequence):
        return "a list"
    assert isinstance(node, Scalar)
    tag = node.resolved_tag()
    return {
        _NULL: "nothing (an empty value)",
        _BOOL: f"true/false ({node.value})",
        _INT: f"a number ({node.value})",
        _FLOAT: f"a decimal number ({node.value})",
    }.get(tag, f"text ({_shorten(node.value)!r})")


def _shorten(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --- reading ------------------------------------------------------------------


class _Reader:
    """Collects problems for one file while it is read."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self.text = ""  # the file's text, once decoded: for pointing inside a value
        self._line_starts: list[int] = []

    def locate(self, node: Node, needle: str) -> Node:
        """Where ``needle`` is first written at or after ``node``'s start (the node itself if nowhere)."""
        if not self._line_starts:
            self._line_starts = [0] + [i + 1 for i, c in enumerate(self.text) if c == "\n"]
        if not 1 <= node.line <= len(self._line_starts):
            return node
        found = self.text.find(needle, self._line_starts[node.line - 1] + node.column - 1)
        if found < 0:
            return node
        line = bisect.bisect_right(self._line_starts, found)
        return Node(line, found - self._line_starts[line - 1] + 1)

    def add(self, node_or_line: Node | tuple[int, int], severity: Severity, code: str, message: str) -> None:
        if isinstance(node_or_line, Node):
            line, column = node_or_line.line, node_or_line.column
        else:
            line, column = node_or_line
        self.problems.append(Problem(self.path, line, column, severity, code, message))

    def error(self, where: Node | tuple[int, int], code: str, message: str) -> None:
        self.add(where, "error", code, message)

    def warning(self, where: Node | tuple[int, int], code: str, message: str) -> None:
        self.add(where, "warning", code, message)

    @property
    def failed(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def read_text(data: bytes, reader: _Reader) -> str | None:
    """Decode a file's bytes as UTF-8, or report where and why it is not."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a UTF-8 byte-order mark, as some Windows editors write
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        reader.error((1, 1), "encoding", "the file is saved as UTF-16; save it as UTF-8 instead")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        reader.error(
            (line, column),
            "encoding",
            f"byte 0x{data[exc.start]:02X} is not UTF-8; save the file as UTF-8 "
            "(in most editors: Save As, then Encoding: UTF-8)",
        )
        return None


def compose(text: str, reader: _Reader) -> Node | None:
    """Turn YAML text into nodes, or report the first syntax problem and return None."""
    loader = _Parser(text)
    stack: list[tuple[Node, Scalar | None]] = []  # open collections, with a pending key
    root: Node | None = None
    documents = 0
    try:
        while True:
            event = loader.get_event()
            mark = event.start_mark
            where = (mark.line + 1, mark.column + 1)
            node: Node | None = None
            if isinstance(event, yaml.ScalarEvent):
                tag = event.tag
                if tag is not None and tag not in _SCALAR_TAGS:
                    reader.error(where, "tag", f"the tag {tag.replace('tag:yaml.org,2002:', '!!')} is not allowed "
                                 "in a bank; remove it (values are plain text, numbers or true/false)")
                node = Scalar(where[0], where[1], event.value, event.implicit[0] and tag is None, tag)
                if not event.style and event.value:  # plain (no style: None, or "" from libyaml)
                    node.comment = _comment_after(text, event.end_mark)
            elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                if event.tag is not None and event.tag not in _COLLECTION_TAGS:
                    reader.error(where, "tag", f"the tag {event.tag.replace('tag:yaml.org,2002:', '!!')} is not "
                                 "allowed in a bank; remove it")
                if len(stack) >= MAX_DEPTH:
                    reader.error(where, "too-deep", f"nesting deeper than {MAX_DEPTH} levels; a bank needs far "
                                 "fewer: check the indentation and brackets here")
                    return None
                collection: Node = (
                    Sequence(where[0], where[1], [], bool(event.flow_style))
                    if isinstance(event, yaml.SequenceStartEvent)
                    else Mapping(where[0], where[1], [], bool(event.flow_style))
                )
                if stack:
                    _attach(stack, collection, reader)
                stack.append((collection, None))
                continue
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                node, _pending = stack.pop()
                if not stack:
                    root = node
                continue
            elif isinstance(event, yaml.AliasEvent):
                # Refused, never expanded: so no alias bomb can grow here. The first
                # one is reported; the rest would only repeat it.
                if not any(p.code == "alias" for p in reader.problems):
                    reader.error(where, "alias", f"the alias *{event.anchor} is not supported in a bank: write "
                                 "the value out in full instead of using &anchors and *aliases")
                node = Scalar(where[0], where[1], "", False, None)
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    reader.error(where, "several-documents", "the file holds more than one YAML document "
                                 "(a line '---' in the middle?); a bank is one document")
                    return None
                continue
            elif isinstance(event, yaml.StreamEndEvent):
                # Tag and alias problems are all reported, but nothing is built from such a file.
                return None if reader.failed else root
            else:
                continue
            if not stack:
                root = node
            else:
                _attach(stack, node, reader)
    except yaml.MarkedYAMLError as exc:
        reader.error(*_syntax_problem(exc, text))
        return None
    except yaml.YAMLError as exc:  # reader errors without a mark
        reader.error((1, 1), "yaml-syntax", str(exc).replace("\n", " "))
        return None
    finally:
        loader.dispose()


_COMMENT_AFTER = re.compile(r"[ \t]+(#.*)")


def _comment_after(text: str, end: Any) -> tuple[int, int, str] | None:
    """The comment that follows a plain value ending at ``end`` on the same line, if any: (line, column of
    its `#`, its text)."""
    start = end.index
    stop = text.find("\n", start)
    found = _COMMENT_AFTER.match(text, start, len(text) if stop < 0 else stop)
    if found is None:
        return None
    return end.line + 1, end.column + 1 + (found.start(1) - start), found.group(1).rstrip("\r")


def _attach(stack: list[tuple[Node, Scalar | None]], node: Node, reader: _Reader) -> None:
    parent, pending = stack[-1]
    if isinstance(parent, Sequence):
        parent.items.append(node)
    elif pending is None:
        if not isinstance(node, Scalar):
            # A collection used as a key is not something a bank ever needs; record
            # it as a key with a marker so the mapping check reports it.
            node = Scalar(node.line, node.column, "\x00complex key", False, None)
        stack[-1] = (parent, node)
    else:
        assert isinstance(parent, Mapping)
        parent.pairs.append((pending, node))
        stack[-1] = (parent, None)


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[tuple[int, int], str, str]:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    for number in (line, line - 1):
        if 1 <= number <= len(lines):
            current = lines[number - 1]
            indent = current[: len(current) - len(current.lstrip(" \t"))]
            if "\t" in indent or (number == line and "\t" in current[column - 1: column]):
                col = (indent.index("\t") + 1) if "\t" in indent else column
                return (number, col), "tab", ("a tab character is used for indentation; YAML needs spaces "
                                               "(set your editor to insert spaces)")
    context_line = exc.context_mark.line + 1 if exc.context_mark else line
    full_width = _full_width_problem(lines, dict.fromkeys((context_line, line, line - 1)))
    if full_width is not None:
        return full_width
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    quoted = _quoted_text_problem(problem, context, exc.context_mark, lines, (line, column))
    if quoted is not None:
        return quoted
    key = _key_problem(problem, context, exc.context_mark, lines, (line, column))
    if key is not None:
        return key
    if "nesting depth" in problem:  # libyaml's own limit, met before ours on one long line
        return (line, column), "too-deep", f"nesting deeper than {MAX_DEPTH} levels; a bank needs far fewer: " \
            "check the brackets here"
    special = _special_start_problem(lines, line)
    if special is not None:
        return special
    message = problem if not context else f"{problem} ({context})"
    return (line, column), "yaml-syntax", f"YAML syntax: {message}{_syntax_hint(problem, lines, line)}"


#: A value (of a key, or an item of a list) that starts with a character YAML reads as syntax, where Markdown
#: or plain text would start with it: `*emphasis*`, `> a quotation`, `` `code` ``, `%`, `@`.
_SPECIAL_START = re.compile(r"^(\s*(?:-\s+)?(?:[\w-]+:\s+)?)([*&!>|`%@])(.*)$")
_SPECIAL_MEANING = {
    "*": "an alias (a reference to an &anchor), not Markdown emphasis",
    "&": "an anchor",
    "!": "a tag",
    ">": "the start of a folded block, whose text goes on the lines below",
    "|": "the start of a literal block, whose text goes on the lines below",
    "`": "a character reserved by YAML, which no plain value may start with",
    "%": "a directive",
    "@": "a character reserved by YAML, which no plain value may start with",
}


def _special_start_problem(lines: list[str], line: int) -> tuple[tuple[int, int], str, str] | None:
    """A value that starts with a character of YAML's syntax (`*Who* wrote...`, `> "Central Committee"...`):
    named at that character, with the value in quotes as the fix."""
    text = lines[line - 1] if 1 <= line <= len(lines) else ""
    found = _SPECIAL_START.match(text)
    if found is None or (found.group(2) in ">|" and not found.group(3).strip(" -+0123456789")):
        return None  # a block's own indicator (`>-`, `|2`) with its text below is no mistake
    value = (found.group(2) + found.group(3)).rstrip()
    quoted = f"'{value}'" if '"' in value and "'" not in value else '"' + value.replace('"', '\\"') + '"'
    before = found.group(1).strip()
    start = "a backquote" if found.group(2) == "`" else f"`{found.group(2)}`"
    return (line, len(found.group(1)) + 1), "yaml-syntax", (
        f"YAML syntax: a value that starts with {start} is read by YAML as "
        f"{_SPECIAL_MEANING[found.group(2)]}: put the whole value in quotes, `{before + ' ' if before else ''}"
        f"{quoted}`")


def _quoted_text_problem(problem: str, context: str, start: yaml.Mark | None, lines: list[str],
                         place: tuple[int, int]) -> tuple[tuple[int, int], str, str] | None:
    """A quoted value that is never closed, named where its quote opens (YAML only notices at the end of
    the file, or of the document); a backslash in double quotes that starts no escape, named with its fix."""
    if not context.endswith("quoted scalar"):
        return None
    if start is not None and ("end of stream" in problem or "document" in problem):
        opened = lines[start.line][start.column:start.column + 1] if start.line < len(lines) else ""
        quote = opened if opened in ("'", '"') else '"'
        inside = '\\"' if quote == '"' else "''"
        return (start.line + 1, start.column + 1), "yaml-syntax", (
            f"YAML syntax: the value that starts here with the quote {quote} never ends: YAML read on, past the "
            f"lines below, looking for the closing {quote}. End the value with {quote} (a {quote} inside it is "
            f"written {inside}), or write it as a block after `|`")
    if "unknown escape" in problem or "hexdecimal" in problem or "hexadecimal" in problem:
        # `\d` is no escape; `\U` and `\x` start one, of hexadecimal digits, that `C:\Users` does not give.
        # libyaml marks the backslash or the first wrong digit, PyYAML's Python scanner the character after
        # the backslash: the escape is the last backslash up to the mark.
        line, column = place
        text = lines[line - 1] if 1 <= line <= len(lines) else ""
        backslash = text.rfind("\\", 0, column)
        if backslash < 0:
            return None
        column = backslash + 1
        escape = text[backslash:backslash + 2]
        return (line, column), "yaml-syntax", (
            f"YAML syntax: inside double quotes a backslash starts an escape such as `\\n` (a new line), and the "
            f"one here, `{escape}`, does not make a whole escape: write each backslash as `\\\\`, or put the value in "
            "single quotes, where a backslash is only a backslash")
    return None


def _key_problem(problem: str, context: str, start: yaml.Mark | None, lines: list[str],
                 place: tuple[int, int]) -> tuple[tuple[int, int], str, str] | None:
    """A key with no space after its colon, named on its own line (YAML notices on the next one); a key
    indented deeper than the one above it (:func:`_deeper_key`); a line of a list's items out of place
    (:func:`_item_problem`)."""
    line, column = place
    written = None
    if context == "while scanning a simple key" and start is not None and 0 <= start.line < len(lines):
        number, written = start.line + 1, _KEY_WITHOUT_SPACE.match(lines[start.line], start.column)
    elif "mapping values are not allowed" in problem and 2 <= line <= len(lines) + 1:
        # `title:Probe` and the next line were read as one text, which the next line's key ends.
        number, before = line - 1, lines[line - 2]
        written = _KEY_WITHOUT_SPACE.match(before, _key_column(before))
    if written:
        key, after = written.group(1), lines[number - 1][written.end():].split(maxsplit=1)[0]
        return (number, written.end()), "yaml-syntax", (
            f"YAML syntax: `{key}:{after}` has no space after the colon, so YAML does not read `{key}` as a "
            f"key: write `{key}: {after}`")
    if context == "while scanning a simple key" and start is not None and 0 <= start.line < len(lines):
        # `prompt Who wrote it?`: a key of a bank, then its value, and no colon (YAML notices a line later).
        bare = _KEY_WITHOUT_COLON.match(lines[start.line], start.column)
        if bare and bare.group(1) in _any_keys() | _plan(model.Bank).keys():
            key, value = bare.group(1), bare.group(2).rstrip()
            return (start.line + 1, bare.end(1) + 1), "yaml-syntax", (
                f"YAML syntax: `{key} {value}` has no colon after `{key}`, so YAML does not read it as a key: "
                f"write `{key}: {value}`")
    if "mapping values are not allowed" in problem and 2 <= line <= len(lines):
        return _deeper_key(lines, line, column)
    if context == "while parsing a block collection" and start is not None and 1 <= line <= len(lines):
        return _item_problem(lines, line, start)
    return None


def _indent(text: str) -> int:
    """The spaces a line starts with."""
    return len(text) - len(text.lstrip(" "))


def _key_column(text: str) -> int:
    """Where a line's key starts: after its indent and any `- `, as YAML counts a mapping's indent."""
    return len(text) - len(text.lstrip(" -"))


def _item_problem(lines: list[str], line: int, start: yaml.Mark) -> tuple[tuple[int, int], str, str] | None:
    """A line among the items of the list that starts at ``start``: in line with their ``- `` but without
    one, or a key indented less than the other keys of its item."""
    text = lines[line - 1]
    indent = _indent(text)
    if indent == start.column and not text.lstrip(" ").startswith("-"):
        return (line, indent + 1), "yaml-syntax", (
            f"YAML syntax: this line is in line with the `- ` of the list that starts at line {start.line + 1}, "
            "but does not start with `- `: write `- ` in front of it to start a new item, or indent it as "
            "far as the lines of the item above")
    key = _KEY_AT_START.match(text, indent)
    if indent > start.column and key is not None:
        # The item above: the last line whose `- ` is in line with the list's.
        for number in range(line - 1, start.line, -1):
            above = lines[number - 1]
            if _indent(above) == start.column and above.lstrip(" ").startswith("- "):
                first = _KEY_AT_START.match(above, _key_column(above))
                if first is None or first.start() == indent:
                    return None
                return (line, indent + 1), "yaml-syntax", (
                    f"YAML syntax: `{key.group(1)}` is indented {indent} spaces, but the keys of the list item "
                    f"that starts at line {number} are indented {first.start()} (`{first.group(1)}`): line "
                    f"`{key.group(1)}` up with `{first.group(1)}`")
    return None


def _deeper_key(lines: list[str], line: int, column: int) -> tuple[tuple[int, int], str, str] | None:
    """A ``key: value`` line indented deeper than the key above it, which YAML reads as more of that key's
    text, and then finds the key's ``: `` in it (at ``column``); or, when the key above is written ``-id:``,
    that dash without its space."""
    text = lines[line - 1]
    indent = _indent(text)
    key = _KEY_AT_START.match(text, indent)
    if key is None or key.end() != column:
        return None
    for number in range(line - 1, 0, -1):
        above = lines[number - 1]
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        above_key = _key_column(above)
        if above_key >= indent:
            continue
        owner = _KEY_AT_START.match(above, above_key)
        dash = above.lstrip(" ")
        if owner is not None and dash[:1] == "-" and dash[1:2] not in (" ", "-"):
            # `-id: q1`: with no space after it, the dash is part of the key's name, not a list item's mark.
            column = len(above) - len(dash) + 1
            return (number, column), "yaml-syntax", (
                f"YAML syntax: `{dash.split()[0]}` has no space after its `-`, so YAML does not read it as a list "
                f"item: write `- {owner.group(0)}`")
        if owner is None or not above[owner.end():].strip() or above[owner.end():].lstrip()[:1] in "|>\"'":
            return None
        return (line, indent + 1), "yaml-syntax", (
            f"YAML syntax: this line is indented deeper than `{owner.group(1)}` at line {number}, so YAML reads "
            f"it as more of `{owner.group(1)}`'s text, where `: ` is not allowed: if `{key.group(1)}` is a key "
            f"of its own, indent it as far as `{owner.group(1)}`; if the line is text, put the whole value in "
            "quotes or write it as a block after `|`")
    return None


def _full_width_problem(lines: list[str], numbers: typing.Iterable[int]) -> tuple[tuple[int, int], str, str] | None:
    """A syntax error caused by punctuation from Chinese or word-processor input, named with its fix.

    Such characters look like YAML's own, but YAML does not read them as syntax:
    ``prompt： Who?`` is no key, ``“a: b”`` is no quoted text.
    """
    numbers = [n for n in numbers if 1 <= n <= len(lines)]
    for number in numbers:
        text = lines[number - 1]
        written = _KEY_WITH_FULL_WIDTH_COLON.search(text)
        if written:
            key, column = written.group(1), written.end() - 1
            return (number, column + 1), "full-width-colon", (
                f"the full-width colon `{FULL_WIDTH_COLON}` (from Chinese input) is not a YAML colon, so "
                f"`{key}{FULL_WIDTH_COLON}` is not read as a key: write `{key}: ` with an ASCII colon and a space")
    for number in numbers:
        text = lines[number - 1]
        # Only a quote where a value starts can have been meant as YAML's own.
        found = [(m.start(2), m.group(2)) for m in _VALUE_STARTS_WITH_QUOTE.finditer(text)]
        if found:
            column, quote = found[0]
            return (number, column + 1), "curly-quotes", (
                f"the curly quote `{quote}` (as a word processor writes it) is not a YAML quote, so the text "
                f"after it is read as YAML: replace `{quote}` and `{CURLY_QUOTES[quote]}` around the value with "
                "straight quotes `\"` (or write the value as a block after `|`)")
    for number in numbers:
        text = lines[number - 1]
        column = text.find(FULL_WIDTH_COMMA)
        if column >= 0:
            return (number, column + 1), "full-width-comma", (
                f"the full-width comma `{FULL_WIDTH_COMMA}` (from Chinese input) does not separate items in "
                "[brackets] or {braces}: write an ASCII comma and a space, `, ` (or put the item in quotes if "
                "the comma belongs to its text)")
    return None


def _syntax_hint(problem: str, lines: list[str], line: int) -> str:
    """A likely fix for a YAML syntax error, read from the line it points at."""
    text = lines[line - 1] if 1 <= line <= len(lines) else ""
    _key, colon, value = text.partition(": ")
    value = value.strip()
    if "mapping values are not allowed" in problem:
        return "; if the text itself contains ': ', put the whole value in quotes"
    if colon and value[:1] in ("'", '"') and value.count(value[0]) > 2:
        return (f"; the value starts with {value[0]}, so YAML ends it at the next {value[0]}: quote the whole "
                f"value with the other kind of quotes, or write it as a block after `|`")
    if colon and value[:1] in ("[", "{"):
        return ("; a value that starts with [ or { is read as a list or mapping: put the whole value in quotes, "
                "or write it as a block after `|`")
    if "expected" in problem:
        return "; check the indentation of this line against the lines above, and any unclosed quote or bracket"
    return ""


def read_nodes(path: str | os.PathLike[str], reader: _Reader) -> Node | None:
    """Read a file into nodes, reporting size, encoding and syntax problems."""
    try:
        # Refuse what is not a regular file before opening it: opening a pipe
        # waits for a writer, and a device such as /dev/zero never ends.
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            reader.error((1, 1), "not-a-file", "this is not a regular file (a folder, a device or a pipe)")
            return None
        if info.st_size > MAX_BYTES:
            reader.error((1, 1), "too-large", f"the file is {info.st_size / 1048576:.1f} MiB; a bank may be at "
                         f"most {MAX_BYTES // 1048576} MiB: split it into several banks")
            return None
        with open(path, "rb") as file:
            # At most one byte past the limit: the size the file system reports
            # is not trusted, the bytes read are.
            data = file.read(MAX_BYTES + 1)
    except OSError as exc:
        hint = nearby_file(path) if isinstance(exc, FileNotFoundError) else ""
        reader.error((1, 1), "not-found", f"cannot read the file: {exc.strerror}{hint}")
        return None
    if len(data) > MAX_BYTES:
        reader.error((1, 1), "too-large", f"the file is larger than {MAX_BYTES // 1048576} MiB, the most a bank "
                     "may be: split it into several banks")
        return None
    text = read_text(data, reader)
    if text is None:
        return None
    reader.text = text
    root = compose(text, reader)
    if root is None and not reader.failed:
        reader.error((1, 1), "empty", "the file is empty; a bank needs at least `title:` and `questions:`")
    return root


# --- nodes to model -----------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    name: str
    kind: Any
    required: bool


@cache
def _plan(cls: Any) -> dict[str, _Field]:
    hints = typing.get_type_hints(cls)
    out = {}
    for f in model.yaml_fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        out[f.name] = _Field(f.name, hints[f.name], required)
    return out


def _any_keys() -> frozenset[str]:
    """Every key of any question type, its choices included: where a misplaced key may belong."""
    classes: list[type] = [t.model for t in registry().values()]
    return frozenset(k for cls in [*classes, model.Choice] for k in _plan(cls)) | {"type"}


_COMMON_KEYS = frozenset(_plan(model.Question))
#: Lists of answers a student's response is matched against, which may be written as one text.
_ANSWER_LISTS = frozenset({"answers", "choices"})


class _Builder:
    """Builds model objects from nodes, reporting every problem it meets."""

    def __init__(self, reader: _Reader):
        self.reader = reader
        self.marks: dict[int, Node] = {}  # id(model object) -> its node, for later checks
        self.field_marks: dict[tuple[int, str], Node] = {}  # (id(object), key) -> the key's value node
        self.defaults = model.Defaults()
        #: What could be built of a mapping with errors: (object, the keys that failed), by id(node).
        self.salvaged: dict[int, tuple[Any, frozenset[str]]] = {}
        #: Questions left out of the bank for their errors, as far as they could be built, with the keys
        #: that failed: the checks still look at the rest, so every problem is named in one run.
        self.unbanked: list[tuple[model.Question, frozenset[str]]] = []

    def mark(self, obj: object) -> Node | None:
        return self.marks.get(id(obj))

    def locate(self, node: Node, text: str) -> Node:
        """Where ``text`` is first written at or after ``node``: a gap in a long text, say."""
        return self.reader.locate(node, text)

    # Each convert method returns the value, or _BAD after reporting a problem.
    def value(self, node: Node, kind: Any, what: str) -> Any:
        origin = typing.get_origin(kind)
        if kind is str:
            return self.text(node, what)
        if kind is bool:
            return self.boolean(node, what)
        if kind is int:
            return self.number(node, what, integer=True)
        if kind is float:
            return self.number(node, what, integer=False)
        if kind is datetime.date:
            return self.date(node, what)
        if origin in (Union, types.UnionType):
            options = [a for a in typing.get_args(kind) if a is not type(None)]
            optional = type(None) in typing.get_args(kind)
            if optional and isinstance(node, Scalar) and node.resolved_tag() == _NULL:
                return None
            return self.value(node, options[0], what)
        if origin is tuple:
            return self.sequence(node, typing.get_args(kind)[0], what)
        if origin is dict:
            return self.mapping_of(node, typing.get_args(kind)[1], what)
        if kind is model.Question:
            return self.question(node)
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            return self.dataclass(node, kind, what)
        raise TypeError(f"no YAML reading for {kind!r}")  # a model programming error

    def text(self, node: Node, what: str) -> Any:
        if isinstance(node, Scalar):
            if node.plain and node.value in _NULL_WORDS:
                self.reader.error(node, "empty-value", f"{what} is empty; write a value or remove the key")
                return _BAD
            control = _CONTROL.search(node.value)
            if control:
                self.reader.error(node, "control-character", f"{what} holds the invisible control character "
                                  f"U+{ord(control.group()):04X}; delete it (an escape such as \\a or \\x07 in "
                                  "double quotes writes one)")
                return _BAD
            unclosed = _unclosed_quote(node.value) if node.plain else None
            if unclosed:
                self.reader.warning(self.reader.locate(node, unclosed), "curly-quotes", f"{what} opens the curly "
                                    f"quote `{unclosed}` but never closes it: YAML does not read curly quotes as "
                                    f"quotes, so the text stopped early (at a ' #' or, in [brackets], a comma) and "
                                    f"is read as {_shorten(node.value)!r}: put the whole value in straight quotes "
                                    f"`\"`, or write it as a block after `|`")
            return node.value
        hint = ""
        if isinstance(node, Sequence | Mapping):
            hint = ("; if the text starts with [ or {, or contains ': ' or ' #', put it in quotes "
                    "or write it as a block after `|`")
        self.reader.error(node, "wrong-type", f"{what} should be text, not {_describe(node)}{hint}")
        return _BAD

    def boolean(self, node: Node, what: str) -> Any:
        if isinstance(node, Scalar) and node.resolved_tag() == _BOOL and _CORE_BOOL.fullmatch(node.value):
            return node.value.lower() == "true"
        hint = ""
        if isinstance(node, Scalar) and node.value.lower() in _OLD_BOOLEANS:
            hint = (f": write `{_OLD_BOOLEANS[node.value.lower()]}` (editors, the JSON Schema and YAML 1.2 read "
                    f"`{node.value}` as text)")
        elif isinstance(node, Scalar) and node.value.strip().lower() in ("true", "false"):
            hint = f": write `{node.value.strip().lower()}` without quotes (in quotes it is text)"
        self.reader.error(node, "wrong-type", f"{what} should be true or false, not {_describe(node)}{hint}")
        return _BAD

    def number(self, node: Node, what: str, *, integer: bool) -> Any:
        hint = ""
        if isinstance(node, Scalar):
            tag = node.resolved_tag()
            written = node.value.strip()
            if tag == _INT and _CORE_INT.fullmatch(written):
                return int(written, 0) if written[:2] in ("0o", "0x") else int(written)
            if tag in (_INT, _FLOAT) and not integer and _CORE_FLOAT.fullmatch(written):
                value = float(written)
                if value == value and abs(value) != float("inf"):
                    return value
            ascii_digits = unicodedata.normalize("NFKC", written)
            fits = _CORE_INT if integer else _CORE_FLOAT
            if not node.plain and tag == _STR and fits.fullmatch(written):
                hint = f": write `{written}` without quotes (in quotes it is text)"
            elif ascii_digits != written and fits.fullmatch(ascii_digits):
                hint = (f": write `{ascii_digits}` in ASCII digits (full-width digits, as Chinese input types them, "
                        "are text)")
            elif _THOUSANDS.fullmatch(written):
                hint = f": drop the comma, `{written.replace(',', '')}` (a number has no thousands separator)"
            elif _DECIMAL_COMMA.fullmatch(written):
                hint = f": write a decimal point, `{written.replace(',', '.')}`"
            elif "_" in written and _CORE_FLOAT.fullmatch(written.replace("_", "")):
                hint = f": drop the underscores, `{written.replace('_', '')}`"
            elif written.endswith("%") and _CORE_FLOAT.fullmatch(written[:-1].strip()):
                if what.startswith("`tolerance`"):
                    # `tolerance: 5%`: a tolerance is an amount in the answer's own units.
                    hint = f": write the amount itself, in the answer's units ({written} of the answer, worked out)"
                else:
                    hint = f": write `{written[:-1].strip()}`, and `unit: \"%\"` to show the sign after the box"
        kind = "a whole number" if integer else "a number"
        self.reader.error(node, "wrong-type", f"{what} should be {kind}, not {_describe(node)}{hint}")
        return _BAD

    def date(self, node: Node, what: str) -> Any:
        if isinstance(node, Scalar):
            try:
                return datetime.date.fromisoformat(node.value.strip())
            except ValueError:
                pass
        self.reader.error(node, "wrong-type", f"{what} should be a date written YYYY-MM-DD, not {_describe(node)}")
        return _BAD

    def sequence(self, node: Node, item_kind: Any, what: str, *, keep_good: bool = False) -> Any:
        if item_kind is str and isinstance(node, Scalar) and node.resolved_tag() != _NULL:
            return (node.value,)  # one hint or answer written without a list
        if not isinstance(node, Sequence):
            self.reader.error(node, "wrong-type", f"{what} should be a list (lines starting with '- '), "
                              f"not {_describe(node)}{_as_list_hint(node, item_kind)}")
            return _BAD
        if node.flow and item_kind is str:
            for i, item in enumerate(node.items):
                if isinstance(item, Scalar) and item.plain and FULL_WIDTH_COMMA in item.value:
                    self.reader.warning(self.reader.locate(item, FULL_WIDTH_COMMA), "full-width-comma",
                                        f"item {i + 1} of {what} holds the full-width comma `{FULL_WIDTH_COMMA}` "
                                        f"(from Chinese input), so {_shorten(item.value)!r} is read as one item: to "
                                        "separate items write an ASCII comma and a space, `, ` (or put the item in "
                                        "quotes if the comma belongs to its text)")
        items = [self.value(item, item_kind, f"item {i + 1} of {what}") for i, item in enumerate(node.items)]
        for item, obj in zip(node.items, items, strict=True):
            if obj is not _BAD and not isinstance(obj, str | int | float | bool):
                self.marks[id(obj)] = item
        good = tuple(x for x in items if x is not _BAD)
        # Bad items are already reported. A bank keeps its good questions so that the
        # checks still look at them; anywhere else a list with a bad item is bad, so
        # that no check runs on a list with a piece missing.
        return good if keep_good or len(good) == len(items) else _BAD

    def keys(self, node: Mapping, what: str) -> dict[str, tuple[Scalar, Node]]:
        seen: dict[str, tuple[Scalar, Node]] = {}
        for key, value in node.pairs:
            if key.value == "\x00complex key":
                self.reader.error(key, "wrong-type", f"a key in {what} is a list or mapping; keys are plain words")
                continue
            if key.value in seen:
                first = seen[key.value][0]
                self.reader.error(key, "duplicate-key", f"the key `{key.value}` appears twice in {what} "
                                  f"(first at line {first.line}); YAML would silently keep only the last one: "
                                  "merge or rename them")
                continue
            seen[key.value] = (key, value)
        return seen

    def mapping_of(self, node: Node, item_kind: Any, what: str) -> Any:
        if not isinstance(node, Mapping):
            self.reader.error(node, "wrong-type", f"{what} should be a mapping (name: value), not {_describe(node)}")
            return _BAD
        out = {}
        ok = True
        for name, (key, value) in self.keys(node, what).items():
            obj = self.value(value, item_kind, f"`{name}` in {what}")
            if obj is _BAD:
                ok = False
            else:
                out[name] = obj
                self.marks[id(obj)] = key
        return out if ok else _BAD

    def dataclass(self, node: Node, cls: type, what: str, skip: frozenset[str] = frozenset(),
                  extra: dict[str, Any] | None = None) -> Any:
        if not isinstance(node, Mapping):
            hint = ""
            if isinstance(node, Scalar) and "text" in _plan(cls):
                # `- Nie Rongzhen` for `- text: Nie Rongzhen`, as in other quiz formats' lists of choices.
                hint = f": write `- text: {_shorten(node.value)}`" + (
                    ", with `correct: true` under the right one" if "correct" in _plan(cls) else "")
            elif isinstance(node, Sequence) and "answers" in _plan(cls):
                # `who: [Mao, Mao Zedong]` for a gap's `who: {answers: [Mao, Mao Zedong]}`.
                listed = ", ".join(item.value for item in node.items if isinstance(item, Scalar))
                hint = f": put the list under `answers`, `{{answers: [{_shorten(listed)}]}}`"
            elif isinstance(node, Scalar) and "answers" in _plan(cls):
                # `year: 1960` for a gap's `year: {answers: [1960]}`.
                hint = f": put it under `answers`, `{{answers: [{_shorten(node.value)}]}}`"
            self.reader.error(node, "wrong-type", f"{what} should be a mapping of keys, not {_describe(node)}{hint}")
            return _BAD
        plan = _plan(cls)
        values: dict[str, Any] = dict(extra or {})
        failed: set[str] = set()
        meant: set[str] = set()  # keys suggested for misspelt ones: not reported missing as well
        found = self.keys(node, what)
        for name, (key, value) in found.items():
            if name in skip:
                continue
            spec = plan.get(name)
            if spec is None:
                valid = ", ".join(plan)
                hint = _key_hint(name, cls)
                self.reader.error(key, "unknown-key", f"unknown key `{name}` in {what};{hint} valid keys: {valid}")
                failed.add(name)
                meant.update(k for k in plan if hint.startswith(f" did you mean `{k}`?"))
                continue
            if cls is model.Bank and name == "questions":
                obj = self.sequence(value, typing.get_args(spec.kind)[0], "`questions`", keep_good=True)
            else:
                obj = self.value(value, spec.kind, f"`{name}` of {what}")
                if name in _ANSWER_LISTS and isinstance(value, Scalar) and value.plain and ", " in value.value \
                        and obj == (value.value,):
                    # `answers: Nie, Nie Rongzhen` is one answer, which a student who types `Nie` never matches.
                    self.reader.warning(value, "text-not-list", (
                        f"`{name}` of {what} is one text, {_shorten(value.value)!r}, not a list, so it is one "
                        f"answer: if these are several, write them in brackets, `[{_shorten(value.value)}]`, or "
                        "each on its own line starting with `- `; if it is one, put it in quotes"))
            if obj is _BAD:
                failed.add(name)
            else:
                values[name] = obj
                self._comments_in_text(value, cls, name, f"`{name}` of {what}")
        for name, spec in plan.items():
            if spec.required and name not in values and name not in found:
                if name not in meant:
                    self.reader.error(node, "missing-key", f"{what} needs the key `{name}`: "
                                      f"{_field_doc(cls, name)}")
                failed.add(name)
        if failed:
            if issubclass(cls, model.Question | model.Bank):
                self._salvage(node, cls, plan, values, frozenset(failed), found)
            return _BAD
        obj = cls(**values)
        self.marks[id(obj)] = node
        for name, (_key, value) in found.items():
            self.field_marks[id(obj), name] = value
        return obj

    def _comments_in_text(self, node: Node, cls: type, name: str, what: str) -> None:
        """A comment after a text (or an item of a list of texts) of ``cls``'s field ``name``: YAML ends the text at
        a space and `#`, so `Question #1 asks who...` is read as `Question`. A `#` followed by a word or a
        number (`#1`) is the text cut short: an error, in any text. A comment in the usual form (`# ...`) after
        Markdown text (a prompt, a choice, feedback) may be meant as a comment or be text cut short: a
        warning."""
        for item in node.items if isinstance(node, Sequence) else [node]:
            if not isinstance(item, Scalar) or item.comment is None or item.resolved_tag() != _STR \
                    or _unclosed_quote(item.value):  # a curly quote left open says so already (see text())
                continue
            markdown = bool(_field_meta(cls, name).get("markdown"))
            line, column, comment = item.comment
            cut = len(comment) > 1 and not comment[1].isspace() and comment[1] != "#"
            if not (cut or markdown):
                continue
            said = (f"{what} is read as {_shorten(item.value)!r}: YAML reads a space then `#` as the start of a "
                    f"comment, so `{_shorten(comment)}` is left out; if it is part of the text, put the whole value "
                    "in quotes (or write it as a block after `>-`)")
            if cut:
                self.reader.error((line, column), "comment-in-text", said)
            else:
                self.reader.warning((line, column), "comment-in-text", said + "; if it is a comment, put it on a "
                                    "line of its own")

    def question(self, node: Node) -> Any:
        what = "the question"
        if not isinstance(node, Mapping):
            written = _KEY_WITH_FULL_WIDTH_COLON.match(node.value) if isinstance(node, Scalar) else None
            if isinstance(node, Scalar) and written:
                key = written.group(1)
                self.reader.error(self.reader.locate(node, FULL_WIDTH_COLON), "full-width-colon",
                                  f"the full-width colon `{FULL_WIDTH_COLON}` (from Chinese input) is not a YAML "
                                  f"colon, so this question is read as the text {_shorten(node.value)!r}: write "
                                  f"`{key}: ` with an ASCII colon and a space")
                return _BAD
            self.reader.error(node, "wrong-type", f"a question should be a mapping of keys (id:, type:, prompt: "
                              f"...), not {_describe(node)}")
            return _BAD
        found = {k.value: (k, v) for k, v in node.pairs}
        ident = found.get("id")
        if ident and isinstance(ident[1], Scalar):
            what = f"question `{ident[1].value}`"
        type_entry = found.get("type")
        type_node = type_entry[1] if type_entry else None
        name = type_node.value.strip() if isinstance(type_node, Scalar) else ""
        kind = registry().get(name)
        cls: type[model.Question] | None = kind.model if kind is not None else None
        if cls is None:
            # Reported, then the question is still read as the type it was most likely meant to
            # be, so that its other problems (a misspelt key, a wrong anchor) come in this run too.
            named = suggest_type(name) if name else None
            fits = _type_fitting(set(found)) if named is None else None
            guess = named or fits
            hint = (f" did you mean `{named}`?{_type_note(name, named)}" if named
                    else f" its keys fit `type: {fits}`;" if fits else "")
            if type_node is None:
                self.reader.error(node, "missing-key", f"{what} needs the key `type`;{hint} valid types: "
                                  f"{', '.join(registry())}")
            else:
                self.reader.error(type_node, "unknown-type", f"unknown question type `{name}`;{hint} valid types: "
                                  f"{', '.join(registry())}")
            cls = registry()[guess].model if guess else model.Question
            if guess:
                what = f"{what} (read as a `{guess}` question)"
        defaults = self.defaults
        extra = {
            "points": defaults.points,
            "attempts": defaults.attempts,
            "skill": defaults.skill,
            "shuffle": defaults.shuffle,
        }
        obj = self.dataclass(node, cls, what, skip=frozenset({"type"}), extra=extra)
        if obj is not _BAD and name not in registry():
            # Checked as the type it fits, but kept out of the bank: its type is reported wrong.
            self.unbanked.append((obj, frozenset() if cls.TYPE else frozenset({"type"})))
            return _BAD
        if obj is _BAD and id(node) in self.salvaged:
            self.unbanked.append(self.salvaged.pop(id(node)))
        return obj

    def _salvage(self, node: Mapping, cls: type, plan: dict[str, _Field], values: dict[str, Any],
                 failed: frozenset[str], found: dict[str, tuple[Scalar, Node]]) -> None:
        """Build what can be built of a question or bank with errors, with a neutral value for each key that
        failed, so the checks can look at the rest; the keys that failed are kept with it (never checked)."""
        filled = {name: _neutral(spec.kind) for name, spec in plan.items() if name not in values and spec.required}
        obj = cls(**values, **filled)
        self.marks[id(obj)] = node
        for name, (_key, value) in found.items():
            self.field_marks[id(obj), name] = value
        self.salvaged[id(node)] = (obj, failed)

    def field_node(self, obj: object, name: str) -> Node | None:
        """The value node of one key of a built object (for pointing at it in checks)."""
        return self.field_marks.get((id(obj), name))


def _neutral(kind: Any) -> Any:
    """A stand-in for a required value that failed: never checked, only there so the object can be built."""
    origin = typing.get_origin(kind)
    if origin is tuple:
        return ()
    if origin is dict:
        return {}
    return {str: "", bool: False, int: 0, float: 0.0}.get(kind)


def type_aliases() -> dict[str, str]:
    """Names teachers know from Moodle, Canvas, Google Forms and other quiz tools (each type's ``aliases``), and
    the type each is here. Written lower case with '-' for spaces and '_'; a trailing '-question' is ignored."""
    return {alias: kind.name for kind in registry().values() for alias in kind.aliases}


def suggest_type(name: str) -> str | None:
    """The question type a teacher most likely meant by ``name``, or None."""
    key = re.sub(r"[\s_]+", "-", _ascii(name).strip().lower()).removesuffix("-question")
    types, aliases = registry(), type_aliases()
    if key in types:
        return key
    if key in aliases:
        return aliases[key]
    close = difflib.get_close_matches(key, list(types) + list(aliases), n=1, cutoff=0.75)
    return (close[0] if close[0] in types else aliases[close[0]]) if close else None


def _type_note(name: str, meant: str) -> str:
    if _ascii(name) != name:
        return _FULL_WIDTH_NOTE
    key = re.sub(r"[\s_]+", "-", name.strip().lower()).removesuffix("-question")
    return f" (what other quiz tools call `{name}`)" if key in type_aliases() else ""


_FULL_WIDTH_NOTE = " (it is typed in full-width characters, as Chinese input writes them: retype it in ASCII)"


def _ascii(text: str) -> str:
    """``text`` with full-width letters, digits and spaces (from Chinese or Japanese input) as ASCII ones."""
    return unicodedata.normalize("NFKC", text)


def _type_fitting(keys: set[str]) -> str | None:
    """The question type whose own keys (not those every question has) the written keys match best, if any."""
    own = keys - _COMMON_KEYS - {"type"}
    scores = {name: len(own & set(_plan(kind.model))) for name, kind in registry().items()}  # type: ignore[arg-type]
    best = max(scores.values(), default=0)
    return next(name for name, score in scores.items() if score == best) if best else None


#: Keys of other quiz formats (Moodle XML, Canvas, GIFT) and words teachers use, with the keys they likely
#: meant, best first: the first that the object has is suggested.
KEY_SYNONYMS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(["options", "option", "alternatives", "answer_options", "responses", "choice"],
                    ("choices", "items")),
    **dict.fromkeys(["question", "questiontext", "question_text", "stem", "body", "statement"], ("prompt",)),
    **dict.fromkeys(["generalfeedback", "general_feedback", "feedback", "solution", "rationale", "explain"],
                    ("explanation",)),
    **dict.fromkeys(["correct_answer", "correctanswer", "right_answer", "key", "answer_key"],
                    ("answer", "answers", "model_answer")),
    **dict.fromkeys(["is_correct", "iscorrect", "right", "true", "fraction"], ("correct",)),
    **dict.fromkeys(["tags", "tag", "skills", "category"], ("skill",)),
    **dict.fromkeys(["marks", "mark", "score", "grade", "defaultgrade", "weight"], ("points",)),
    **dict.fromkeys(["tries", "max_attempts", "allowed_attempts", "attempt"], ("attempts",)),
    **dict.fromkeys(["matches", "subquestions", "match"], ("pairs",)),
    **dict.fromkeys(["gaps", "blank", "gap"], ("blanks",)),
    **dict.fromkeys(["sources", "anchors", "anchor", "citation", "citations", "paragraphs", "references"],
                    ("evidence", "source")),
    **dict.fromkeys(["order", "sequence", "steps", "correct_order"], ("items",)),
    **dict.fromkeys(["rubrics", "criteria", "checklist"], ("rubric",)),
    **dict.fromkeys(["sample_answer", "example_answer", "model", "modelanswer"], ("model_answer",)),
    **dict.fromkeys(["case", "casesensitive", "case_sensitivity", "usecase", "match_case"], ("case_sensitive",)),
    **dict.fromkeys(["random", "randomize", "randomise", "shuffleanswers", "shuffle_answers"], ("shuffle",)),
    **dict.fromkeys(["margin", "error", "precision"], ("tolerance",)),
    **dict.fromkeys(["minimum", "lowest"], ("min",)),
    **dict.fromkeys(["maximum", "highest"], ("max",)),
    **dict.fromkeys(["wrong", "incorrect_answers", "wrong_answer", "incorrect"], ("wrong_answers",)),
    "answers": ("choices", "blanks", "items"),
    "answer": ("answers", "model_answer"),
    "text": ("prompt",),
    "units": ("unit",),
    "name": ("title",),
    **dict.fromkeys(["summary", "intro", "introduction", "instructions"], ("description",)),
    "hint": ("hints",),
}


def _key_hint(name: str, cls: type) -> str:
    """' did you mean `x`?' for an unknown key of ``cls``: a synonym, a close spelling, or a key of another type."""
    plan = _plan(cls)
    key = re.sub(r"[\s-]+", "_", _ascii(name).strip().lower())
    meant = next((k for k in KEY_SYNONYMS.get(key, ()) if k in plan), None)
    if meant is not None:
        # Another tool's word for one of ours (`correct_order` for `items`): what ours holds says how to write it.
        said = re.sub(r"\s*\(Markdown\)", "", _field_doc(cls, meant)).rstrip(".")
        what = f" (`{meant}`: {said[:1].lower()}{said[1:]})" if said else ""
        return f" did you mean `{meant}`?{what}{_FULL_WIDTH_NOTE if _ascii(name) != name else ''}"
    if key != name and key in plan:
        meant = key
    if meant:
        return f" did you mean `{meant}`?{_FULL_WIDTH_NOTE if _ascii(name) != name else ''}"
    hint = did_you_mean(name, plan)
    if hint or not issubclass(cls, model.Question):
        return hint
    kind = f"`{cls.TYPE}` questions" if cls.TYPE else "any question type"
    any_keys = _any_keys()
    if name in any_keys:
        return f" `{name}` is not a key of {kind};"
    elsewhere = did_you_mean(name, any_keys).strip()
    return f" {elsewhere[:-1]} (not a key of {kind} either)?" if elsewhere else ""


class _Bad:
    def __repr__(self) -> str:
        return "<bad value>"


_BAD: Any = _Bad()


def _as_list_hint(node: Node, item_kind: Any) -> str:
    """How a mapping written where a list of items belongs is written as that list: `Nie: Vice Premier` under
    `pairs` is `- left: Nie` with `right: Vice Premier` under it (each item's first two keys)."""
    if not (isinstance(node, Mapping) and node.pairs and isinstance(item_kind, type)
            and dataclasses.is_dataclass(item_kind)):
        return ""
    key, value = node.pairs[0]
    first, second, *_ = [*_plan(item_kind), "", ""]
    if not (first and second and isinstance(value, Scalar)):
        return ""
    return (f": write each as an item: `- {first}: {_shorten(key.value)}`, then `{second}: "
            f"{_shorten(value.value)}` on the next line, lined up with `{first}`")


def _field_meta(cls: type, name: str) -> dict[str, Any]:
    """The metadata of ``cls``'s field ``name`` (:func:`sourcebook.model.doc`: its doc, whether it is Markdown)."""
    return next((dict(f.metadata) for f in dataclasses.fields(cls) if f.name == name), {})


def _field_doc(cls: type, name: str) -> str:
    return str(_field_meta(cls, name).get("doc", ""))


# --- public entry points ------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    """What reading a file gave: the object (None if any error) and every problem."""

    value: Any
    problems: list[Problem]
    builder: _Builder | None = None

    @property
    def ok(self) -> bool:
        return self.value is not None


def read_bank(path: str | os.PathLike[str], *, check: bool = True) -> Loaded:
    """Read a bank, run every check, and return the bank (or None) with all problems."""
    shown = str(path)
    reader = _Reader(shown)
    root = read_nodes(path, reader)
    if root is None:
        return Loaded(None, reader.problems)
    builder = _Builder(reader)
    if not isinstance(root, Mapping):
        hint = (" Did you forget a `title:` and a `questions:` line above the list?"
                if isinstance(root, Sequence) else "")
        reader.error(root, "wrong-type", f"a bank should be a mapping of keys (title:, questions:, ...), "
                     f"not {_describe(root)}.{hint}")
        return Loaded(None, reader.problems)
    # Defaults first, since every question takes its values from them.
    found = {key.value: value for key, value in root.pairs}
    if "defaults" in found:
        defaults = builder.value(found["defaults"], model.Defaults, "`defaults`")
        if defaults is not _BAD:
            builder.defaults = defaults
    bank = builder.dataclass(root, model.Bank, "the bank", skip=frozenset({"defaults"}),
                             extra={"path": shown, "defaults": builder.defaults})
    broken: frozenset[str] = frozenset()
    if bank is _BAD:
        # Checked as far as it could be built, so that every problem is named in one run.
        bank, broken = builder.salvaged.pop(id(root))
    source_node = builder.field_node(bank, "source") or root
    source = _read_named_source(path, bank.source, source_node, reader) if bank.source else None
    documents_node = builder.field_node(bank, "documents") or root
    document_nodes = getattr(documents_node, "items", None) or [documents_node] * len(bank.documents)
    documents = tuple(document for name, node in zip(bank.documents, document_nodes, strict=False)
                      if (document := _read_named_source(path, name, node, reader)) is not None)
    if check:  # the bank as read, whose fields the builder has the marks of
        check_bank(bank, source, builder, reader, documents, unbanked=builder.unbanked, broken=broken)
    reader.problems.sort(key=lambda p: (p.path != shown, p.path, p.line, p.column))
    if reader.failed or broken:
        return Loaded(None, reader.problems, builder)
    return Loaded(dataclasses.replace(_with_pictures(bank, Path(path), builder, reader.text), source_document=source,
                                      document_sources=documents), reader.problems, builder)


def _read_named_source(bank_path: str | os.PathLike[str], name: str, node: Node,
                       reader: _Reader) -> model.Source | None:
    """The source file a bank names (as `source:` or in `documents:`), its problems reported at ``node``."""
    source_path = Path(bank_path).parent / name
    refusal = _source_refusal(Path(bank_path), source_path, name)
    if refusal is not None:
        reader.error(node, *refusal)
        return None
    loaded = read_source(source_path)
    if loaded.ok:
        return typing.cast(model.Source, loaded.value)
    # The source's own problems are reported when it is checked itself (``sourcebook
    # check``, the site's {source-text}); here only their number, so no error of a
    # bank ever quotes another file.
    errors = sum(p.severity == "error" for p in loaded.problems)
    reader.error(node, "source-invalid", f"the source file {name} has {errors} error{'s' * (errors != 1)}; "
                 f"run `sourcebook check {source_path}` to see them")
    return None


def _with_pictures(bank: model.Bank, path: Path, builder: _Builder, text: str) -> model.Bank:
    """The bank with its pictures written into its text (:mod:`sourcebook.images`); a question
    that changes keeps the line marks of the one it replaces."""
    from .images import embed

    # A picture is written "![...](...)": a file with neither that nor an escape that could make one has none,
    # and is not walked through.
    if "![" not in text and "\\" not in text:
        return bank
    embedded = embed(bank, path)
    for old, new in zip(bank.questions, embedded.questions, strict=True):
        if new is not old:
            builder.marks[id(new)] = builder.marks[id(old)]
            for name in (f.name for f in model.yaml_fields(type(old))):
                if (id(old), name) in builder.field_marks:
                    builder.field_marks[id(new), name] = builder.field_marks[id(old), name]
    return embedded


#: File endings a source file may have.
SOURCE_SUFFIXES = (".yml", ".yaml")


def _source_refusal(bank: Path, source: Path, written: str) -> tuple[str, str] | None:
    """Why a bank's ``source:`` (or one of its ``documents:``) may not be read, as (code, message), or None.

    A source is a regular YAML file inside the course (:func:`sourcebook.pages.course_file_problem`):
    a bank from elsewhere must not make the checker read, and quote, a system file, a key in the
    project's environment file, or a device that never ends.
    """
    from .pages import course_file_problem, find_book_root

    if source.suffix.lower() not in SOURCE_SUFFIXES:
        return "source-not-yaml", (f"the source `{written}` is not a .yml file; a source is a sources/*.yml file "
                                   "of the course")
    problem = course_file_problem(bank, source)
    if problem == "outside":
        return "source-outside", (f"the source `{written}` is outside the course's folder {find_book_root(bank)}; "
                                  "copy it into the course's sources/ folder and name that copy")
    if problem == "missing":
        return "source-missing", f"the source file {written} does not exist (looked for {source}){nearby_file(source)}"
    if problem == "not-file":
        return "source-not-file", f"the source `{written}` is not a regular file (a folder, a device or a pipe)"
    return None


@cache
def _read_source_cached(path: str, mtime: float) -> Loaded:
    reader = _Reader(path)
    root = read_nodes(path, reader)
    if root is None:
        return Loaded(None, reader.problems)
    builder = _Builder(reader)
    source = builder.dataclass(root, model.Source, "the source", extra={"path": path})
    if source is _BAD:
        return Loaded(None, reader.problems)
    check_source(source, builder, reader)
    return Loaded(None if reader.failed else source, reader.problems, builder)


def read_source(path: str | os.PathLike[str]) -> Loaded:
    """Read a primary source (a sources/*.yml file) with its paragraphs."""
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        mtime = -1.0
    return _read_source_cached(str(path), mtime)


def load_bank(path: str | os.PathLike[str]) -> model.Bank:
    """The bank at ``path``; raises :class:`BankError` listing every error."""
    loaded = read_bank(path)
    if not loaded.ok:
        raise BankError(loaded.problems)
    return typing.cast(model.Bank, loaded.value)


def load_source(path: str | os.PathLike[str]) -> model.Source:
    """The source at ``path``; raises :class:`BankError` listing every error."""
    loaded = read_source(path)
    if not loaded.ok:
        raise BankError(loaded.problems)
    return typing.cast(model.Source, loaded.value)
