"""The theme's stylesheets without the rules no page can use (sourcebook.sphinx.stylesheets).

A rule goes only when every one of its selectors needs a class that no page and
no script of the site names; everything else (element and attribute selectors,
classes inside :not(), @font-face, licences) stays. A custom property goes when
nothing uses it: no value of another property in any stylesheet (at any depth
of custom properties), no page and no script. The site-level pass keeps
the package's own files as they are, and an incremental build that does not
copy the theme's file again still starts from the original.
"""

from __future__ import annotations

import os
from pathlib import Path

from sourcebook.sphinx.stylesheets import (
    JOINED_NAME,
    class_names,
    custom_properties,
    joinable,
    joined,
    joined_name,
    note_joined,
    properties_in_use,
    purge_site,
    purged,
    remove_unreferenced,
    site_names,
    site_scan,
    without_unused_properties,
    write_joined,
)

CSS = """@charset "UTF-8";
/*! Library v1 | MIT licence */
/* an ordinary comment */
:root{--x:1}
body{margin:0}
[data-theme=dark] .used{color:white}
.used{color:red}
.unused{color:blue}
.unused,.used>p{color:green}
.used:not(.unused){color:teal}
.used.unused{color:navy}
.show.modal{display:block}
@media (min-width:540px){.unused{width:1px}.used{width:2px}}
@media print{.unused{display:none}}
@font-face{font-family:"Icons";src:url(icons.woff2)}
@keyframes spin{from{transform:rotate(0)}to{transform:rotate(1turn)}}
"""


def test_rules_that_no_page_can_match_go_and_the_rest_stays() -> None:
    out = purged(CSS, {"used", "show", "modal"})
    assert out.startswith('@charset "UTF-8";')
    assert "/*! Library v1 | MIT licence */" in out and "ordinary comment" not in out
    for kept in (":root{--x:1}", "body{margin:0}", "[data-theme=dark] .used{color:white}", ".used{color:red}",
                 ".unused,.used>p{color:green}", ".used:not(.unused){color:teal}", ".show.modal{display:block}",
                 "@media (min-width:540px){.used{width:2px}}", '@font-face{font-family:"Icons";src:url(icons.woff2)}',
                 "@keyframes spin{"):
        assert kept in out, kept
    for gone in (".unused{color:blue}", ".used.unused", ".unused{width:1px}", "@media print"):
        assert gone not in out, gone


PROPERTIES = """:root{--used:1px;--via:var(--used);--chain:var(--via) !important;--unused:2px;--also-unused:var(--used)}
[data-theme=dark]{--unused:3px}
.a{margin:var(--chain);--local-unused:0}
@media (min-width:540px){.b{--only-unused:1}.c{padding:calc(2 * var(--in-media))}}
@keyframes grow{from{width:var(--in-keyframes)}}
@container style(--in-condition: 1){.f{color:red}}
.d{&:hover{--nested:1}color:red}
.e{color:red;;--odd:1;*zoom:1}
"""


def test_custom_properties_nothing_uses_go_with_the_rules_they_leave_empty() -> None:
    declared, used = custom_properties(PROPERTIES)
    assert declared["--chain"] == {"--via"} and declared["--via"] == {"--used"} and declared["--unused"] == set()
    assert {"--chain", "--in-media", "--in-keyframes", "--in-condition"} <= used and "--used" not in used
    in_use = properties_in_use([(declared, used)], {"a", "--from-a-script"})
    assert {"--used", "--via", "--chain", "--from-a-script"} <= in_use
    assert not {"--unused", "--also-unused", "--local-unused", "--only-unused"} & in_use
    out = without_unused_properties(PROPERTIES, in_use)
    assert ":root{--used:1px;--via:var(--used);--chain:var(--via) !important}" in out
    assert "[data-theme=dark]" not in out, "a rule left with nothing goes"
    assert ".a{margin:var(--chain)}" in out
    assert "@media (min-width:540px){.c{padding:calc(2 * var(--in-media))}}" in out
    assert "@keyframes grow{from{width:var(--in-keyframes)}}" in out
    # Nested rules are written as they came (the properties they declare count as declared).
    assert ".d{&:hover{--nested:1}color:red}" in out
    # A rule the parser does not fully understand is written as it came.
    assert ".e{color:red;;--odd:1;*zoom:1}" in out
    assert without_unused_properties(out, in_use) == out


def test_a_custom_property_another_stylesheet_or_a_page_uses_is_kept(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", "used")
    (site / "_static" / "styles" / "theme.css").write_text(
        ":root{--for-quiz:red;--for-page:blue;--for-script:green;--for-nothing:black}.used{color:red}")
    (site / "_static" / "quiz.css").write_text(".sb-quiz{color:var(--for-quiz)}")
    (site / "index.html").write_text('<div class="used" style="border-color:var(--for-page)"></div>')
    (site / "_static" / "theme.js").write_text('el.style.getPropertyValue("--for-script")')
    purge_site(site, {"quiz.css"}, tmp_path / "cache")
    theme = (site / "_static" / "styles" / "theme.css").read_text()
    assert theme == ":root{--for-quiz:red;--for-page:blue;--for-script:green}.used{color:red}"
    # The page no longer uses its property: gone in the next pass, from the kept original.
    (site / "index.html").write_text('<div class="used"></div>')
    purge_site(site, {"quiz.css"}, tmp_path / "cache")
    theme = (site / "_static" / "styles" / "theme.css").read_text()
    assert theme == ":root{--for-quiz:red;--for-script:green}.used{color:red}"


def test_class_names_come_from_every_class_attribute_however_it_is_written() -> None:
    html = """<div class="a  b"><p class = 'c'>x</p><span CLASS="d" class=""></span>
    <i data-class="e">class names in text: f</i><b class=\n"g"></b></div>"""
    # An empty attribute is no name (it failed with an AttributeError); a name taken too many ("e") only
    # keeps a rule.
    assert {"a", "b", "c", "d", "e", "g"} <= class_names(html)
    assert "f" not in class_names(html) and "x" not in class_names(html)


def _site(folder: Path, page_classes: str) -> Path:
    (folder / "_static" / "styles").mkdir(parents=True)
    (folder / "lite").mkdir()
    (folder / "index.html").write_text(f'<div class="{page_classes}"><p class=\'single\'>x</p></div>')
    (folder / "_static" / "theme.js").write_text('el.classList.add("show"); const modal = "modal";')
    (folder / "lite" / "app.js").write_text('"unused"')  # another application's words do not count
    (folder / "_static" / "styles" / "theme.css").write_text(CSS)
    (folder / "_static" / "quiz.css").write_text(".sb-only-added-by-script{color:red}")
    return folder


def test_the_site_keeps_its_own_files_and_names_come_from_pages_and_scripts(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", "used other")
    names = site_names(site)
    assert {"used", "other", "single", "show", "modal", "classList"} <= names and "unused" not in names
    sizes = purge_site(site, {"quiz.css"}, tmp_path / "cache")
    assert set(sizes) == {"_static/styles/theme.css"}
    theme = (site / "_static" / "styles" / "theme.css").read_text()
    assert ".used{color:red}" in theme and ".unused{color:blue}" not in theme
    assert sizes["_static/styles/theme.css"] == (len(CSS.encode()), len(theme.encode()))
    assert (site / "_static" / "quiz.css").read_text() == ".sb-only-added-by-script{color:red}"


def test_an_incremental_build_starts_again_from_the_original(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", "used")
    cache = tmp_path / "cache"
    purge_site(site, set(), cache)
    # A page now uses a class the first pass removed, and Sphinx did not copy the
    # theme's file again: the rule comes back from the kept original.
    (site / "index.html").write_text('<div class="used unused"></div>')
    purge_site(site, set(), cache)
    theme = (site / "_static" / "styles" / "theme.css").read_text()
    assert ".unused{color:blue}" in theme and ".used.unused{color:navy}" in theme
    # A new version of the file (a theme upgrade) replaces the kept original.
    (site / "_static" / "styles" / "theme.css").write_text(".used{color:purple}.gone{color:red}")
    purge_site(site, set(), cache)
    assert (site / "_static" / "styles" / "theme.css").read_text() == ".used{color:purple}"


def test_names_of_unchanged_files_are_not_read_again(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", "used")
    memo = tmp_path / "names.json"
    assert "used" in site_names(site, memo)
    page = site / "index.html"
    stamp = page.stat()
    # The same size and time: taken from the memo, not read (the new class is not seen).
    page.write_text('<div class="uses"><p class="single">x</p></div>')
    os.utime(page, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert "used" in site_names(site, memo) and "uses" not in site_names(site, memo)
    # Written again (another time): read again.
    os.utime(page, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1_000_000))
    names = site_names(site, memo)
    assert "uses" in names and "used" not in names


def test_joined_stylesheets_keep_their_order_and_their_addresses(tmp_path: Path) -> None:
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True)
    (static / "basic.css").write_text('.a{background:url(file.png)}', encoding="utf-8")
    (static / "styles" / "theme.css").write_text(
        '@font-face{src:url(../vendor/font.woff2)}.b{background:url("data:image/svg+xml,<svg/>")}'
        ".c{background:url('#mark')}.d{background:url(https://example.org/x.png)}", encoding="utf-8")
    members = ["basic.css", "styles/theme.css"]
    name = joined_name(static, members)
    assert JOINED_NAME.fullmatch(name)
    # A member's addresses are made relative to _static, where the joined file is; others are left alone.
    assert joined(static, members).decode() == (
        '.a{background:url(file.png)}\n@font-face{src:url("vendor/font.woff2")}'
        '.b{background:url("data:image/svg+xml,<svg/>")}'
        ".c{background:url('#mark')}.d{background:url(https://example.org/x.png)}")
    manifests = tmp_path / "joined"
    note_joined(manifests, name, members)
    assert write_joined(static, manifests) == []
    assert (static / name).read_bytes() == joined(static, members)
    # Written again from the members as they are at the end of the build (purged).
    (static / "basic.css").write_text(".a{color:red}", encoding="utf-8")
    assert write_joined(static, manifests) == []
    assert (static / name).read_text(encoding="utf-8").startswith(".a{color:red}\n")
    # A new member's content gives a new name; a member whose name holds its digest counts by its name, there
    # or not yet (an extension that writes its file at the end of the build).
    assert joined_name(static, members) != name
    versioned = [*members, "extension.0123456789abcdef0123.css"]
    before_written = joined_name(static, versioned)
    (static / "extension.0123456789abcdef0123.css").write_text(".e{color:red}", encoding="utf-8")
    assert joined_name(static, versioned) == before_written
    # A member that went missing or imports another is reported, and the joined file left as it was.
    (static / "styles" / "theme.css").write_text('@import "other.css";', encoding="utf-8")
    before = (static / name).read_bytes()
    assert write_joined(static, manifests) == [f"{name}: styles/theme.css is missing or has an @import"]
    assert (static / name).read_bytes() == before


def test_a_rewritten_stylesheet_gets_a_new_joined_name_however_soon_it_changes(tmp_path: Path) -> None:
    static = tmp_path / "_static"
    static.mkdir()
    (static / "a.css").write_text(".a{color:red}", encoding="utf-8")
    (static / "b.css").write_text(".b{color:red}", encoding="utf-8")
    first = joined_name(static, ["a.css", "b.css"])
    # The same size, within the same tick of the file system's clock.
    (static / "a.css").write_text(".a{color:tan}", encoding="utf-8")
    second = joined_name(static, ["a.css", "b.css"])
    assert second != first and joinable(static / "a.css")
    # A file read long after it was written is read once; a later change still shows.
    os.utime(static / "a.css", (1_000_000_000, 1_000_000_000))
    assert joined_name(static, ["a.css", "b.css"]) == second == joined_name(static, ["a.css", "b.css"])
    (static / "a.css").write_text('@import "x.css";', encoding="utf-8")
    assert joined_name(static, ["a.css", "b.css"]) != second and not joinable(static / "a.css")


def test_digest_named_files_no_page_refers_to_are_removed_and_nothing_else(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", "used")
    kept = ["quiz-0123456789abcdef.js", "site-0123456789abcdef.css"]
    gone = ["quiz-fedcba9876543210.js", "site-fedcba9876543210.css"]
    others = ["quiz.js", "quiz-0123.js", "site-notadigest0000.css"]
    for name in kept + gone + others:
        (site / "_static" / name).write_text("x")
    (site / "page.html").write_text(f'<link href="_static/{kept[1]}?v=1"><script src="_static/{kept[0]}?v=2">')
    # The in-browser notebooks' application is another site: what its files name does not count.
    (site / "lite" / "index.html").write_text(f'<script src="../_static/{gone[0]}">')
    names, referenced = site_scan(site, tmp_path / "memo.json")
    assert referenced == set(kept) and "used" in names
    assert remove_unreferenced(site, referenced) == sorted(gone)
    assert sorted(p.name for p in (site / "_static").iterdir() if p.is_file()) == sorted(
        kept + others + ["quiz.css", "theme.js"])
    assert remove_unreferenced(site, site_scan(site, tmp_path / "memo.json")[1]) == []
