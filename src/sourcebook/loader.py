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
   keys exist and what type each value has; the checks in :mod:`.checks`
   then look at the bank as a whole.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
import stat
import types
import typing
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Union

import yaml

from . import model
from .checks import check_bank, check_source
from .problems import BankError, Problem, Severity, did_you_mean

#: Files larger than this are refused before they are read.
MAX_BYTES = 8 * 1024 * 1024
#: Deeper nesting than this is refused (a bank needs about six levels).
MAX_DEPTH = 40

_Parser: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()

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

    def resolved_tag(self) -> str:
        """The YAML type of the value: str, int, float, bool, null or timestamp."""
        if self.tag and self.tag != "!":
            return self.tag
        if not self.plain:
            return _STR
        return str(_resolver.resolve(yaml.ScalarNode, self.value, (True, False)))  # type: ignore[no-untyped-call]


@dataclass(slots=True)
class Sequence(Node):
    items: list[Node]


@dataclass(slots=True)
class Mapping(Node):
    pairs: list[tuple[Scalar, Node]]


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
            elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                if event.tag is not None and event.tag not in _COLLECTION_TAGS:
                    reader.error(where, "tag", f"the tag {event.tag.replace('tag:yaml.org,2002:', '!!')} is not "
                                 "allowed in a bank; remove it")
                if len(stack) >= MAX_DEPTH:
                    reader.error(where, "too-deep", f"nesting deeper than {MAX_DEPTH} levels; a bank needs far "
                                 "fewer: check the indentation and brackets here")
                    return None
                collection: Node = (
                    Sequence(where[0], where[1], []) if isinstance(event, yaml.SequenceStartEvent)
                    else Mapping(where[0], where[1], [])
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
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    if "nesting depth" in problem:  # libyaml's own limit, met before ours on one long line
        return (line, column), "too-deep", f"nesting deeper than {MAX_DEPTH} levels; a bank needs far fewer: " \
            "check the brackets here"
    message = problem if not context else f"{problem} ({context})"
    return (line, column), "yaml-syntax", f"YAML syntax: {message}{_syntax_hint(problem, lines, line)}"


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
        reader.error((1, 1), "not-found", f"cannot read the file: {exc.strerror}")
        return None
    if len(data) > MAX_BYTES:
        reader.error((1, 1), "too-large", f"the file is larger than {MAX_BYTES // 1048576} MiB, the most a bank "
                     "may be: split it into several banks")
        return None
    text = read_text(data, reader)
    if text is None:
        return None
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
    hints = typing.get_type_hints(cls, vars(model))
    out = {}
    for f in model.yaml_fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        out[f.name] = _Field(f.name, hints[f.name], required)
    return out


_QUESTION_KEYS = frozenset(k for cls in model.QUESTION_TYPES.values() for k in _plan(cls)) | {"type"}  # type: ignore[arg-type]
_ANY_KEYS = _QUESTION_KEYS | frozenset(_plan(model.Choice))


class _Builder:
    """Builds model objects from nodes, reporting every problem it meets."""

    def __init__(self, reader: _Reader):
        self.reader = reader
        self.marks: dict[int, Node] = {}  # id(model object) -> its node, for later checks
        self.field_marks: dict[tuple[int, str], Node] = {}  # (id(object), key) -> the key's value node
        self.defaults = model.Defaults()

    def mark(self, obj: object) -> Node | None:
        return self.marks.get(id(obj))

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
            if all(isinstance(a, type) and issubclass(a, model.Question) for a in options):
                return self.question(node)
            return self.value(node, options[0], what)
        if origin is tuple:
            return self.sequence(node, typing.get_args(kind)[0], what)
        if origin is dict:
            return self.mapping_of(node, typing.get_args(kind)[1], what)
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
            return node.value
        hint = ""
        if isinstance(node, Sequence | Mapping):
            hint = ("; if the text starts with [ or {, or contains ': ' or ' #', put it in quotes "
                    "or write it as a block after `|`")
        self.reader.error(node, "wrong-type", f"{what} should be text, not {_describe(node)}{hint}")
        return _BAD

    def boolean(self, node: Node, what: str) -> Any:
        if isinstance(node, Scalar) and node.resolved_tag() == _BOOL:
            return _constructor.construct_yaml_bool(yaml.ScalarNode(_BOOL, node.value))
        self.reader.error(node, "wrong-type", f"{what} should be true or false, not {_describe(node)}")
        return _BAD

    def number(self, node: Node, what: str, *, integer: bool) -> Any:
        if isinstance(node, Scalar):
            tag = node.resolved_tag()
            if tag == _INT:
                return int(_constructor.construct_yaml_int(yaml.ScalarNode(_INT, node.value)))
            if tag == _FLOAT and not integer:
                value = float(_constructor.construct_yaml_float(yaml.ScalarNode(_FLOAT, node.value)))
                if value == value and abs(value) != float("inf"):
                    return value
        kind = "a whole number" if integer else "a number"
        self.reader.error(node, "wrong-type", f"{what} should be {kind}, not {_describe(node)}")
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
                              f"not {_describe(node)}")
            return _BAD
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
            self.reader.error(node, "wrong-type", f"{what} should be a mapping of keys, not {_describe(node)}")
            return _BAD
        plan = _plan(cls)
        values: dict[str, Any] = dict(extra or {})
        ok = True
        found = self.keys(node, what)
        for name, (key, value) in found.items():
            if name in skip:
                continue
            spec = plan.get(name)
            if spec is None:
                valid = ", ".join(plan)
                hint = did_you_mean(name, plan)
                if not hint and issubclass(cls, model.Question):
                    elsewhere = did_you_mean(name, _ANY_KEYS).strip()
                    if name in _ANY_KEYS:
                        hint = f" `{name}` is not a key of `{cls.TYPE}` questions;"
                    elif elsewhere:
                        hint = f" {elsewhere[:-1]} (not a key of `{cls.TYPE}` questions either)?"
                self.reader.error(key, "unknown-key", f"unknown key `{name}` in {what};{hint} valid keys: {valid}")
                ok = False
                continue
            if cls is model.Bank and name == "questions":
                obj = self.sequence(value, typing.get_args(spec.kind)[0], "`questions`", keep_good=True)
            else:
                obj = self.value(value, spec.kind, f"`{name}` of {what}")
            if obj is _BAD:
                ok = False
            else:
                values[name] = obj
        for name, spec in plan.items():
            if spec.required and name not in values and name not in found:
                self.reader.error(node, "missing-key", f"{what} needs the key `{name}`: {_field_doc(cls, name)}")
                ok = False
        if not ok:
            return _BAD
        obj = cls(**values)
        self.marks[id(obj)] = node
        for name, (_key, value) in found.items():
            self.field_marks[id(obj), name] = value
        return obj

    def question(self, node: Node) -> Any:
        what = "the question"
        if isinstance(node, Mapping):
            found = {k.value: (k, v) for k, v in node.pairs}
            ident = found.get("id")
            if ident and isinstance(ident[1], Scalar):
                what = f"question `{ident[1].value}`"
            type_entry = found.get("type")
            if type_entry is None:
                self.reader.error(node, "missing-key", f"{what} needs the key `type`: one of "
                                  f"{', '.join(model.QUESTION_TYPES)}")
                return _BAD
            type_node = type_entry[1]
            name = type_node.value if isinstance(type_node, Scalar) else ""
            cls = model.QUESTION_TYPES.get(name)
            if cls is None:
                hint = did_you_mean(name, model.QUESTION_TYPES) if name else ""
                self.reader.error(type_node, "unknown-type", f"unknown question type `{name}`;{hint} valid types: "
                                  f"{', '.join(model.QUESTION_TYPES)}")
                return _BAD
            defaults = self.defaults
            extra = {
                "points": defaults.points,
                "attempts": defaults.attempts,
                "skill": defaults.skill,
                "shuffle": defaults.shuffle,
            }
            return self.dataclass(node, cls, what, skip=frozenset({"type"}), extra=extra)
        self.reader.error(node, "wrong-type", f"a question should be a mapping of keys (id:, type:, prompt: ...), "
                          f"not {_describe(node)}")
        return _BAD

    def field_node(self, obj: object, name: str) -> Node | None:
        """The value node of one key of a built object (for pointing at it in checks)."""
        return self.field_marks.get((id(obj), name))


class _Bad:
    def __repr__(self) -> str:
        return "<bad value>"


_BAD: Any = _Bad()


def _field_doc(cls: type, name: str) -> str:
    for f in dataclasses.fields(cls):
        if f.name == name:
            return str(f.metadata.get("doc", ""))
    return ""


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
    if bank is _BAD:
        reader.problems.sort(key=lambda p: (p.line, p.column))
        return Loaded(None, reader.problems, builder)
    source_node = builder.field_node(bank, "source") or root
    source = _read_named_source(path, bank.source, source_node, reader) if bank.source else None
    documents_node = builder.field_node(bank, "documents") or root
    document_nodes = getattr(documents_node, "items", None) or [documents_node] * len(bank.documents)
    documents = tuple(document for name, node in zip(bank.documents, document_nodes, strict=False)
                      if (document := _read_named_source(path, name, node, reader)) is not None)
    if check:  # the bank as read, whose fields the builder has the marks of
        check_bank(bank, source, builder, reader, documents)
    reader.problems.sort(key=lambda p: (p.path != shown, p.path, p.line, p.column))
    if reader.failed:
        return Loaded(None, reader.problems, builder)
    return Loaded(dataclasses.replace(_with_pictures(bank, Path(path), builder), source_document=source,
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


def _with_pictures(bank: model.Bank, path: Path, builder: _Builder) -> model.Bank:
    """The bank with its pictures written into its text (:mod:`sourcebook.images`); a question
    that changes keeps the line marks of the one it replaces."""
    from .images import embed

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
        return "source-missing", f"the source file {written} does not exist (looked for {source})"
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
