"""The package's scripts as terser minified them (``sourcebook/minified``, :mod:`sourcebook.minify`).

A minified file must be made from its script as it is now (else ``make assets``
makes it again), and must be what the pinned terser makes of it: the second
check runs terser (from npm, installed once into pytest's cache); without npm it
skips on a workstation and fails in CI.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import rjsmin

from cachelock import kept_folder, locked
from sourcebook import minify
from sourcebook.quiz_assets import static_file
from sourcebook.sphinx.assets import minified

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def test_every_script_of_the_package_has_a_minified_file_made_from_it() -> None:
    scripts = minify.package_scripts()
    assert {"quiz.js", "grading.js", "handin.js", "types/single.js"} <= set(scripts)
    stale = [name for name, data in scripts.items() if minify.manifest().get(name) != minify.digest(data)]
    assert not stale, f"minified files made from older sources, run `make assets`: {stale}"
    assert set(minify.manifest()) == set(scripts), "minified files of scripts that are gone: run `make assets`"
    for name in scripts:
        assert (minify.package_folder() / name).is_file(), name


def test_the_site_serves_the_kept_file_only_for_the_source_it_was_made_from() -> None:
    source = static_file("quiz.js")
    kept = (minify.package_folder() / "quiz.js").read_bytes()
    assert minified("quiz.js", source) == kept
    # Shorter than what rjsmin makes (terser shortens local names too).
    assert len(kept) < 0.9 * len(rjsmin.jsmin(source.decode("utf-8")).encode("utf-8"))
    # An edited script (not yet minified again) is served as rjsmin makes it: never the stale file.
    edited = source + b"\nvoid 0;\n"
    assert minified("quiz.js", edited) == rjsmin.jsmin(edited.decode("utf-8")).encode("utf-8")
    # A script of another package (a question type) likewise.
    assert minified("types/year.js", b"var  a = 1 ;\n") == b"var a=1;"


def test_the_kept_files_are_what_the_pinned_terser_makes(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    if shutil.which("npm") is None or shutil.which("node") is None:
        message = "npm not found: it installs terser"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    with locked(kept_folder(request, "terser")) as cache:
        minify.installed_terser(cache)
    target = tmp_path / "minified"
    shutil.copytree(minify.package_folder(), target)
    assert minify.write(target, cache) == []
    # The same sources give the same bytes: a changed script is written anew, its manifest line too.
    (target / "quiz.js").write_bytes(b"stale")
    assert minify.write(target, cache) == ["quiz.js"]
    assert (target / "quiz.js").read_bytes() == (minify.package_folder() / "quiz.js").read_bytes()


def test_a_new_minified_file_rewrites_the_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``make assets`` may change a minified file alone (a new terser): the pages, which name their joined
    script by its content, must then be written again (the extension's ``sourcebook_assets`` changes)."""
    import sourcebook.sphinx

    before = sourcebook.sphinx.assets_digest()
    copy = tmp_path / "minified"
    shutil.copytree(minify.package_folder(), copy)
    monkeypatch.setattr(minify, "package_folder", lambda: copy)
    assert sourcebook.sphinx.assets_digest() == before
    (copy / "quiz.js").write_bytes((copy / "quiz.js").read_bytes() + b"void 0;\n")
    assert sourcebook.sphinx.assets_digest() != before
