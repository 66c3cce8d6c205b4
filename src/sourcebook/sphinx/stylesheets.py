"""The theme's stylesheets as the site serves them: without the rules no page can use.

pydata-sphinx-theme's stylesheet is 397 kB, most of it Bootstrap components
and Font Awesome's class list that no page of a course uses; every page waits
for it before it shows anything (a stylesheet in the head blocks rendering),
so on a "Slow 3G" school link the quiz waited eight seconds for it. At the end
of an HTML build every stylesheet of the site that is not sourcebook's own is
rewritten without the rules whose every selector names a class found nowhere
in the site: not in any page's ``class`` attributes and not as a word in any
script of ``_static`` (Bootstrap and the theme add classes such as ``show``
from their scripts, so a class they name is kept). A selector's classes
inside ``:not()``, ``:is()``, ``:where()`` or ``:has()`` are not required, so
the test only ever keeps too much. At-rules other than groups (``@font-face``,
``@keyframes``...) are kept as they are.

CSS is parsed with tinycss2. A result is kept in the build's cache, keyed by
the stylesheet and the set of names, so an incremental build rewrites it only
when either changed, and each file's names are kept there too, so it reads
only the pages it wrote.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tinycss2
from tinycss2.ast import AtRule, Comment, LiteralToken, Node, QualifiedRule

#: Folders of the built site whose scripts and pages are not the course's own
#: pages (the in-browser notebooks' application brings its own styles).
SKIPPED_FOLDERS = ("lite",)
#: At-rules whose content is rules, filtered like the top level.
GROUPING_RULES = ("media", "supports", "container", "layer")
_CLASS_ATTRIBUTE = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_WORD = re.compile(r"[A-Za-z_][\w-]*")


def _selectors(prelude: list[Node]) -> Iterable[list[Node]]:
    """The selectors of a rule's prelude, split at its top-level commas."""
    current: list[Node] = []
    for token in prelude:
        if isinstance(token, LiteralToken) and token.value == ",":
            yield current
            current = []
        else:
            current.append(token)
    yield current


def required_classes(selector: list[Node]) -> set[str]:
    """Classes an element must carry for ``selector`` to match (those outside any function)."""
    classes: set[str] = set()
    for before, token in itertools.pairwise(selector):
        if isinstance(before, LiteralToken) and before.value == "." and token.type == "ident":
            classes.add(str(getattr(token, "value", "")))
    return classes


def may_match(rule: QualifiedRule, names: set[str]) -> bool:
    """Whether some selector of ``rule`` needs only classes in ``names``."""
    return any(required_classes(selector) <= names for selector in _selectors(rule.prelude))


def _filter(rules: list[Node], names: set[str]) -> str:
    out: list[str] = []
    for rule in rules:
        if isinstance(rule, QualifiedRule):
            if may_match(rule, names):
                out.append(rule.serialize())
        elif isinstance(rule, AtRule):
            if rule.content is not None and rule.lower_at_keyword in GROUPING_RULES:
                inner = _filter(tinycss2.parse_rule_list(rule.content, skip_whitespace=True),
                                names)
                if inner:
                    out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}")
            else:
                out.append(rule.serialize())
        elif isinstance(rule, Comment):
            if rule.value.startswith("!"):  # a licence, kept as "/*!" asks
                out.append(rule.serialize())
        elif rule.type != "whitespace":
            out.append(rule.serialize())
    return "".join(out)


def purged(css: str, names: set[str]) -> str:
    """``css`` without the rules no element with classes among ``names`` can match."""
    return _filter(tinycss2.parse_stylesheet(css, skip_whitespace=True), names)


def class_names(html: str) -> set[str]:
    """The classes named in the ``class`` attributes of ``html``."""
    return {name for match in _CLASS_ATTRIBUTE.finditer(html) for name in (match.group(1) or match.group(2)).split()}


def _names_in(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".html":
        return class_names(text)
    return set(_WORD.findall(text))


def site_names(outdir: Path, memo: Path | None = None) -> set[str]:
    """Every class of every page of the built site, and every word of its scripts.

    With ``memo`` (a JSON file), a file unchanged since the last call (same size and
    modification time) is not read again: a rebuild that writes three pages of a
    hundred reads three.
    """
    known: dict[str, list[Any]] = {}
    if memo is not None and memo.is_file():
        known = json.loads(memo.read_text(encoding="utf-8"))
    seen: dict[str, list[Any]] = {}
    for path in outdir.rglob("*"):
        relative = path.relative_to(outdir)
        if (relative.parts and relative.parts[0] in SKIPPED_FOLDERS) or not path.is_file():
            continue
        if not (path.suffix == ".html" or (path.suffix == ".js" and relative.parts[0] == "_static")):
            continue
        stat = path.stat()
        stamp = f"{stat.st_mtime_ns}:{stat.st_size}"
        entry = known.get(relative.as_posix())
        if entry is None or entry[0] != stamp:
            entry = [stamp, sorted(_names_in(path))]
        seen[relative.as_posix()] = entry
    if memo is not None:
        memo.write_text(json.dumps(seen), encoding="utf-8")
    return {name for _, names in seen.values() for name in names}


def purge_site(outdir: Path, own: Iterable[str], cache: Path) -> dict[str, tuple[int, int]]:
    """Rewrite the stylesheets under ``outdir/_static`` (but ``own``, paths under it) without
    rules no page uses; returns each rewritten file's size before and after."""
    cache.mkdir(parents=True, exist_ok=True)
    names = site_names(outdir, cache / "names.json")
    key = hashlib.sha256("\0".join(sorted(names)).encode()).hexdigest()
    sizes: dict[str, tuple[int, int]] = {}
    for path in sorted((outdir / "_static").rglob("*.css")):
        if path.relative_to(outdir / "_static").as_posix() in set(own):
            continue
        relative = path.relative_to(outdir).as_posix()
        # Sphinx copies a theme's files again only when it writes pages: a file that is
        # still our last result is rewritten from the original kept beside it.
        slot = cache / hashlib.sha256(relative.encode()).hexdigest()[:24]
        original_file, result_file = slot.with_suffix(".original.css"), slot.with_suffix(".purged.css")
        data = path.read_bytes()
        if original_file.is_file() and result_file.is_file() and data == result_file.read_bytes():
            original = original_file.read_bytes()
        else:
            original = data
            original_file.write_bytes(original)
        memo = cache / (hashlib.sha256(original + key.encode()).hexdigest()[:32] + ".css")
        if memo.is_file():
            result = memo.read_bytes()
        else:
            result = purged(original.decode("utf-8"), names).encode("utf-8")
            memo.write_bytes(result)
        result_file.write_bytes(result)
        if result != data:
            path.write_bytes(result)
        sizes[relative] = (len(original), len(result))
    return sizes
