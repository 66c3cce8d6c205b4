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

Then the custom properties nothing uses go: Bootstrap and the theme declare
about 500 (``--bs-blue``...), and after the first pass only about 190 are still
read. A custom property is kept when a value of another property in any
stylesheet of the site reads it (``var(--name)``, the package's own
stylesheets included), when a property kept reads it (at any depth), or when
a page or a script names it (a ``style`` attribute, ``setProperty``); a rule
left with nothing in it goes. Module 1's stylesheet went from 124 kB to
100 kB, which every page waits for before it shows anything.

Then the stylesheets every page links are joined into one file
(``site-<digest>.css``, in the pages' order, so the cascade is the same):
a browser fetches six files at a time from a host, and ten stylesheets in
the head came in two waves of round trips before the first paint. The pages
name the joined file as they are written; it is written at the end of the
build, from its members as purged (``theme.py``'s ``stylesheets_in_one``).

The same reading of the pages finds the files of ``_static`` named by their
content's digest (joined stylesheets, a page's quiz scripts) that no page
loads any more, left by earlier builds; they are removed
(:func:`remove_unreferenced`).

CSS is parsed with tinycss2. A result is kept in the build's cache, keyed by
the stylesheet and the set of names, so an incremental build rewrites it only
when either changed, and each file's names are kept there too, so it reads
only the pages it wrote.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import posixpath
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import tinycss2
from tinycss2.ast import AtRule, Comment, Declaration, LiteralToken, Node, ParseError, QualifiedRule

#: Folders of the built site whose scripts and pages are not the course's own
#: pages (the in-browser notebooks' application brings its own styles).
SKIPPED_FOLDERS = ("lite",)
#: At-rules whose content is rules, filtered like the top level.
GROUPING_RULES = ("media", "supports", "container", "layer")
#: A ``class`` attribute's value, in any case. Any attribute whose name ends in "class" (``data-class``)
#: counts too: its words only keep more rules. A pattern starting with ``\b`` was three times slower (0.4 s
#: for 100 modules).
_CLASS_ATTRIBUTE = re.compile(r"""class\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z_][\w-]*")
#: A custom property's name, and a reference to one in a value.
_CUSTOM_PROPERTY = re.compile(r"--[A-Za-z_][\w-]*")
_VAR = re.compile(r"var\(\s*(--[A-Za-z_][\w-]*)", re.IGNORECASE)


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


def _rewritten(rules: Iterable[Node], rewrite: Callable[[QualifiedRule], str | None]) -> str:
    """``rules`` written again, each style rule as ``rewrite`` gives it (None: left out), inside groups
    (``@media``...) too, a group left empty left out; ordinary comments go, licences (``/*!``) and other
    at-rules stay as they are."""
    out: list[str] = []
    for rule in rules:
        if isinstance(rule, QualifiedRule):
            kept = rewrite(rule)
            if kept:
                out.append(kept)
        elif isinstance(rule, AtRule):
            if rule.content is not None and rule.lower_at_keyword in GROUPING_RULES:
                inner = _rewritten(tinycss2.parse_rule_list(rule.content, skip_whitespace=True), rewrite)
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
    return _rewritten(tinycss2.parse_stylesheet(css, skip_whitespace=True),
                      lambda rule: rule.serialize() if may_match(rule, names) else None)


def _block(rule: QualifiedRule) -> list[Node]:
    """A rule's declarations and the rules nested in it."""
    block: list[Node] = tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True, skip_comments=True)
    return block


def custom_properties(css: str) -> tuple[dict[str, set[str]], set[str]]:
    """The custom properties ``css`` declares, each with those its values refer to (``var(--name)``); and those
    the rest of it refers to: the values of other properties, the conditions of ``@container`` and other groups,
    and at-rules such as ``@keyframes`` whole."""
    declared: dict[str, set[str]] = {}
    used: set[str] = set()

    def walk(nodes: Iterable[Node]) -> None:
        for node in nodes:
            if isinstance(node, QualifiedRule):
                walk(_block(node))
            elif isinstance(node, Declaration):
                refers = set(_VAR.findall(tinycss2.serialize(node.value)))
                if node.name.startswith("--"):
                    declared.setdefault(node.name, set()).update(refers)
                else:
                    used.update(refers)
            elif isinstance(node, AtRule):
                if node.content is not None and node.lower_at_keyword in GROUPING_RULES:
                    # A condition may name one too: @container style(--compact: 1).
                    used.update(_CUSTOM_PROPERTY.findall(tinycss2.serialize(node.prelude)))
                    walk(tinycss2.parse_rule_list(node.content, skip_whitespace=True, skip_comments=True))
                else:
                    used.update(_VAR.findall(node.serialize()))

    walk(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True))
    return declared, used


def properties_in_use(sheets: Iterable[tuple[dict[str, set[str]], set[str]]], names: set[str]) -> set[str]:
    """The custom properties in use on a site: those its pages and scripts name (among ``names``, see
    :func:`site_scan`) or its stylesheets' other values refer to (``sheets``, :func:`custom_properties` of
    each), and those the values of these refer to, at any depth."""
    declared: dict[str, set[str]] = {}
    wanted = {name for name in names if name.startswith("--")}
    for sheet_declared, sheet_used in sheets:
        for name, refers in sheet_declared.items():
            declared.setdefault(name, set()).update(refers)
        wanted |= sheet_used
    in_use: set[str] = set()
    while wanted:
        name = wanted.pop()
        if name not in in_use:
            in_use.add(name)
            wanted |= declared.get(name, set()) - in_use
    return in_use


def without_unused_properties(css: str, in_use: set[str]) -> str:
    """``css`` without its declarations of custom properties not ``in_use``, and without the rules that are
    left empty (``css`` as :func:`purged` writes it: comments other than licences already gone)."""

    def without_unused(rule: QualifiedRule) -> str | None:
        block = _block(rule)
        if any(isinstance(part, ParseError) for part in block):
            return str(rule.serialize())  # written as it came: only what is understood is rewritten
        parts = [part.serialize() + (";" if isinstance(part, Declaration) else "") for part in block
                 if not (isinstance(part, Declaration) and part.name.startswith("--") and part.name not in in_use)]
        return f"{tinycss2.serialize(rule.prelude)}{{{''.join(parts).removesuffix(';')}}}" if parts else None

    return _rewritten(tinycss2.parse_stylesheet(css, skip_whitespace=True), without_unused)


def class_names(html: str) -> set[str]:
    """The classes named in the ``class`` attributes of ``html``."""
    return {name for match in _CLASS_ATTRIBUTE.finditer(html)
            for name in (match.group(1) or match.group(2) or "").split()}


#: The files of ``_static`` that sourcebook names by a digest of their content: a page's quiz scripts joined
#: (``quiz-<digest>.js``, :mod:`.assets`) and stylesheets joined (``site-<digest>.css``, below).
DIGEST_NAMED = re.compile(r"quiz-[0-9a-f]{16}\.js|site-[0-9a-f]{16}\.css")


def _scanned(path: Path) -> tuple[set[str], set[str]]:
    """The names ``path`` may give an element a class by or may read or set a custom property by (``--name``,
    in a ``style`` attribute or a script), and the digest-named files it refers to."""
    text = path.read_text(encoding="utf-8", errors="replace")
    properties = set(_CUSTOM_PROPERTY.findall(text))
    if path.suffix == ".html":
        return class_names(text) | properties, set(DIGEST_NAMED.findall(text))
    return set(_WORD.findall(text)) | properties, set()


def site_scan(outdir: Path, memo: Path | None = None) -> tuple[set[str], set[str]]:
    """Every class of every page of the built site and every word of its scripts; and every digest-named
    file of ``_static`` a page refers to.

    With ``memo`` (a JSON file), a file unchanged since the last call (same size and
    modification time) is not read again: a rebuild that writes three pages of a
    hundred reads three.
    """
    known: dict[str, list[Any]] = {}
    if memo is not None and memo.is_file():
        known = json.loads(memo.read_text(encoding="utf-8"))
    seen: dict[str, list[Any]] = {}
    # os.walk, not Path.rglob: a site holds many more files than pages and scripts (a course of 100
    # modules, 1,766 for 283), and the in-browser notebooks' folder is not entered at all.
    for folder, subfolders, files in os.walk(outdir):
        relative_folder = Path(folder).relative_to(outdir).as_posix()
        if relative_folder == ".":
            subfolders[:] = [name for name in subfolders if name not in SKIPPED_FOLDERS]
            relative_folder = ""
        in_static = relative_folder == "_static" or relative_folder.startswith("_static/")
        for name in files:
            if not (name.endswith(".html") or (in_static and name.endswith(".js"))):
                continue
            relative = f"{relative_folder}/{name}" if relative_folder else name
            path = Path(folder, name)
            stat = path.stat()
            # The first number is the scan's version: an entry an older scan kept (which did not note custom
            # properties) does not match, and the file is read again.
            stamp = f"2:{stat.st_mtime_ns}:{stat.st_size}"
            entry = known.get(relative)
            if entry is None or entry[0] != stamp or len(entry) != 3:
                names, references = _scanned(path)
                entry = [stamp, sorted(names), sorted(references)]
            seen[relative] = entry
    if memo is not None:
        memo.parent.mkdir(parents=True, exist_ok=True)
        memo.write_text(json.dumps(seen), encoding="utf-8")
    return ({name for _, names, _ in seen.values() for name in names},
            {name for _, _, references in seen.values() for name in references})


def site_names(outdir: Path, memo: Path | None = None) -> set[str]:
    """Every class of every page of the built site, and every word of its scripts (:func:`site_scan`)."""
    return site_scan(outdir, memo)[0]


def remove_unreferenced(outdir: Path, referenced: set[str]) -> list[str]:
    """Delete the digest-named files of ``outdir/_static`` not among ``referenced`` (the pages' references,
    :func:`site_scan`): left by earlier builds (a page whose quiz gained a question type, stylesheets that
    changed); their names, sorted.

    A site copied onto a USB stick or a school's server then carries only what its pages load.
    """
    removed = sorted(path.name for path in (outdir / "_static").glob("*")
                     if DIGEST_NAMED.fullmatch(path.name) and path.name not in referenced and path.is_file())
    for name in removed:
        (outdir / "_static" / name).unlink()
    return removed


def purge_site(outdir: Path, own: Iterable[str], cache: Path,
               names: set[str] | None = None) -> dict[str, tuple[int, int]]:
    """Rewrite the stylesheets under ``outdir/_static`` (but ``own``, paths under it) without rules no page
    uses (no class among ``names``, by default the site's, :func:`site_names`), then without the custom
    properties no page, script or stylesheet of the site uses (:func:`properties_in_use`); returns each
    rewritten file's size before and after."""
    cache.mkdir(parents=True, exist_ok=True)
    if names is None:
        names = site_names(outdir, cache / "names.json")
    own = set(own)
    key = hashlib.sha256("\0".join(sorted(names)).encode()).hexdigest()
    # Each file: as it is, its original's size, the original without unused rules, where the result is kept.
    rewritten: dict[Path, tuple[bytes, int, bytes, Path]] = {}
    sheets: list[tuple[dict[str, set[str]], set[str]]] = []
    for path in sorted((outdir / "_static").rglob("*.css")):
        if JOINED_NAME.fullmatch(path.name):
            continue
        data = path.read_bytes()
        if path.relative_to(outdir / "_static").as_posix() in own:
            sheets.append(_custom_properties_kept(cache, data))
            continue
        relative = path.relative_to(outdir).as_posix()
        # Sphinx copies a theme's files again only when it writes pages: a file that is
        # still our last result is rewritten from the original kept beside it.
        slot = cache / hashlib.sha256(relative.encode()).hexdigest()[:24]
        original_file, result_file = slot.with_suffix(".original.css"), slot.with_suffix(".purged.css")
        if original_file.is_file() and result_file.is_file() and data == result_file.read_bytes():
            original = original_file.read_bytes()
        else:
            original = data
            original_file.write_bytes(original)
        result = _kept(cache, original + key.encode(), purged, original.decode("utf-8"), names)
        rewritten[path] = (data, len(original), result, result_file)
        sheets.append(_custom_properties_kept(cache, result))
    in_use = properties_in_use(sheets, names)
    in_use_key = hashlib.sha256("\0".join(sorted(in_use)).encode()).hexdigest().encode()
    sizes: dict[str, tuple[int, int]] = {}
    for path, (data, size, result, result_file) in rewritten.items():
        final = _kept(cache, b"without unused custom properties\0" + result + in_use_key, without_unused_properties,
                      result.decode("utf-8"), in_use)
        result_file.write_bytes(final)
        if final != data:
            path.write_bytes(final)
        sizes[path.relative_to(outdir).as_posix()] = (size, len(final))
    return sizes


def _kept(cache: Path, key: bytes, make: Callable[..., str], *arguments: Any) -> bytes:
    """The text ``make(*arguments)`` gives, kept in ``cache`` under a digest of ``key`` (what it depends on)."""
    memo = cache / (hashlib.sha256(key).hexdigest()[:32] + ".css")
    if memo.is_file():
        return memo.read_bytes()
    result = make(*arguments).encode("utf-8")
    memo.write_bytes(result)
    return result


def _custom_properties_kept(cache: Path, css: bytes) -> tuple[dict[str, set[str]], set[str]]:
    """:func:`custom_properties` of ``css``, kept in ``cache`` by a digest of it."""
    memo = cache / (hashlib.sha256(b"custom properties\0" + css).hexdigest()[:32] + ".json")
    if memo.is_file():
        declared, used = json.loads(memo.read_text(encoding="utf-8"))
        return {name: set(refers) for name, refers in declared.items()}, set(used)
    declared, used = custom_properties(css.decode("utf-8"))
    memo.write_text(json.dumps([{name: sorted(refers) for name, refers in declared.items()}, sorted(used)]),
                    encoding="utf-8")
    return declared, used


# --- one stylesheet instead of ten ---------------------------------------------------------------------------

#: The name of stylesheets joined into one (:func:`joined_name`), in the site's static folder.
JOINED_NAME = re.compile(r"site-[0-9a-f]{16}\.css")
_DIGEST_IN_NAME = re.compile(r"[0-9a-f]{16,}")
_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""")


#: Stylesheets of the static folder as last read, by path, with the size and time they had: every page asks
#: for each of them twice (:func:`joinable`, :func:`joined_name`), and they change only when Sphinx copies them.
_READ: dict[str, tuple[tuple[int, int], bytes]] = {}
_READ_KEPT = 64
#: A file modified less than this many seconds before it was read is read again every time: the file system's
#: clock is coarse, so a second change within the same tick (a test rewriting a file) could keep its time.
_SETTLED = 2.0


def _static_bytes(path: Path) -> bytes:
    """The bytes of ``path``, read again only when its size or modification time changed."""
    status = path.stat()
    stamp = (status.st_mtime_ns, status.st_size)
    known = _READ.get(str(path))
    if known is not None and known[0] == stamp:
        return known[1]
    data = path.read_bytes()
    if time.time() - status.st_mtime > _SETTLED:
        if len(_READ) >= _READ_KEPT:  # the oldest go: a process that builds many books (tests) keeps few
            del _READ[next(iter(_READ))]
        _READ[str(path)] = (stamp, data)
    return data


def joined_name(static: Path, members: Iterable[str]) -> str:
    """The name of ``members`` (paths under ``static``) joined: a digest of their paths and of their content as
    the build copied them (before :func:`purge_site`), so that a theme's new stylesheet gets a new name. A
    member whose name holds a digest of its own (myst-nb's, written only at the end of the build) counts by
    its name, so that the name is the same whether or not an earlier build left the file there."""
    digest = hashlib.sha256()
    for member in members:
        path = static / member
        versioned = _DIGEST_IN_NAME.search(posixpath.basename(member)) or not path.is_file()
        digest.update(member.encode() + b"\0" + (b"" if versioned else _static_bytes(path)) + b"\0")
    return f"site-{digest.hexdigest()[:16]}.css"


def joinable(path: Path) -> bool:
    """Whether a stylesheet can be joined to others: it imports none (an ``@import`` must come first in a
    file; one that is not there yet is checked when it is joined)."""
    return not path.is_file() or b"@import" not in _static_bytes(path)


def _moved_urls(css: str, member: str) -> str:
    """``css`` of ``member`` (a path under the static folder) with its relative ``url()``s made relative to
    the static folder itself, where the joined file is."""
    folder = posixpath.dirname(member)
    if not folder:
        return css

    def moved(match: re.Match[str]) -> str:
        url = next(group for group in match.groups() if group is not None)
        if not url or re.match(r"^(?:[a-zA-Z][\w+.-]*:|/|#)", url):
            return match.group(0)
        return f'url("{posixpath.normpath(posixpath.join(folder, url))}")'

    return _URL.sub(moved, css)


def joined(static: Path, members: Iterable[str], read: Any = None) -> bytes:
    """The stylesheets ``members`` (paths under ``static``) as one, in their order (so the cascade is the
    same); ``read(member) -> bytes`` gives a member's content (by default the file under ``static``)."""
    parts = []
    for member in members:
        data: bytes = read(member) if read is not None else (static / member).read_bytes()
        parts.append(_moved_urls(data.decode("utf-8"), member))
    return "\n".join(parts).encode("utf-8")


def note_joined(manifests: Path, name: str, members: list[str]) -> None:
    """Records which stylesheets ``name`` joins, for :func:`write_joined` at the end of the build (pages
    may be written in other processes). A file appears whole."""
    target = manifests / f"{name}.json"
    if target.is_file():
        return
    manifests.mkdir(parents=True, exist_ok=True)
    partial = manifests / f".{name}.{os.getpid()}"
    partial.write_text(json.dumps(members), encoding="utf-8")
    os.replace(partial, target)


def write_joined(static: Path, manifests: Path) -> list[str]:
    """Writes every joined stylesheet pages name (recorded by :func:`note_joined`, in this build or an earlier
    one) from its members as the site now serves them (after :func:`purge_site`); returns the problems: a
    member missing or importing another (then the joined file is not written)."""
    problems: list[str] = []
    for manifest in sorted(manifests.glob("*.json")):
        members = json.loads(manifest.read_text(encoding="utf-8"))
        wrong = [member for member in members if not (static / member).is_file() or not joinable(static / member)]
        if wrong:
            problems.extend(f"{manifest.stem}: {member} is missing or has an @import" for member in wrong)
            continue
        data = joined(static, members)
        target = static / manifest.stem
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
    return problems
