"""The JSON Schema of the bank format, generated from the model's dataclasses.

Editors such as VS Code (with the YAML extension) use it to complete keys and
flag mistakes as the teacher types; ``tests/test_cli.py`` keeps the copy
in ``schema/question-bank.schema.json`` (and the source schema) equal to what this module
generates, and ``sourcebook schema`` prints it.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import types
import typing
from typing import Any, Union

from . import model
from .types import registry


def _definition_name(cls: type) -> str:
    return cls.__name__


def _type_schema(kind: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(kind)
    if kind is str:
        # The loader reads any scalar as text where text is expected (`text: 1957`,
        # `feedback: no`), so the schema must not flag those either.
        return {"type": ["string", "number", "boolean"]}
    if kind is bool:
        return {"type": "boolean"}
    if kind is int:
        return {"type": "integer"}
    if kind is float:
        return {"type": "number"}
    if kind is datetime.date:
        return {"type": "string", "format": "date"}
    if origin in (Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        inner = _type_schema(options[0], defs)
        return {"oneOf": [inner, {"type": "null"}]}
    if origin is tuple:
        item = typing.get_args(kind)[0]
        array = {"type": "array", "items": _type_schema(item, defs)}
        return {"anyOf": [array, _type_schema(str, defs)]} if item is str else array
    if origin is dict:
        return {"type": "object", "additionalProperties": _type_schema(typing.get_args(kind)[1], defs)}
    if kind is model.Question:
        return _question_schema([t.model for t in registry().values()], defs)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _ref(kind, defs)
    raise TypeError(f"no schema for {kind!r}")


def _question_schema(classes: list[type[model.Question]], defs: dict[str, Any]) -> dict[str, Any]:
    """A question: its `type` picks the one schema it is checked against.

    With a bare ``oneOf``, a question with one misspelt key fails every branch and
    an editor lists a problem for each type ("'answer' is a required property"...);
    with ``if``/``then`` on `type`, only the schema of the question's own type
    applies, so the editor names the real problem (the misspelt key), or the type
    itself when it is unknown.
    """
    return {
        "type": "object",
        "properties": {"type": {"enum": [cls.TYPE for cls in classes],
                                "description": "Question type: " + ", ".join(
                                    f"{cls.TYPE} ({cls.LABEL})" for cls in classes) + "."}},
        "required": ["type"],
        "allOf": [{"if": {"properties": {"type": {"const": cls.TYPE}}, "required": ["type"]},
                   "then": _ref(cls, defs)} for cls in classes],
    }


def _ref(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    name = _definition_name(cls)
    if name not in defs:
        defs[name] = {}  # reserve, for recursive references
        defs[name] = _object_schema(cls, defs)
    return {"$ref": f"#/$defs/{name}"}


def _object_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    if isinstance(cls, type) and issubclass(cls, model.Question):
        properties["type"] = {"const": cls.TYPE, "description": f"Question type: {cls.LABEL}."}
        required.append("type")
    for f in model.yaml_fields(cls):
        prop = _type_schema(hints[f.name], defs)
        prop["description"] = f.metadata.get("doc", "")
        if f.default is not dataclasses.MISSING and f.default not in ((), None, ""):
            prop["default"] = f.default
        if "example" in f.metadata:
            prop["examples"] = [f.metadata["example"]]
        properties[f.name] = prop
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            required.append(f.name)
    schema: dict[str, Any] = {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    return schema


def bank_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a question bank."""
    defs: dict[str, Any] = {}
    root = _object_schema(model.Bank, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "sourcebook question bank",
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def source_schema() -> dict[str, Any]:
    """The JSON Schema of a primary source file (sources/*.yml)."""
    defs: dict[str, Any] = {}
    root = _object_schema(model.Source, defs)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "sourcebook primary source",
            **root, "$defs": dict(sorted(defs.items()))}


def dumps(schema: dict[str, Any]) -> str:
    """The schema as the committed file holds it."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
