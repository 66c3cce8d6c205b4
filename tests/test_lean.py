"""The changes the build makes to other projects' wheels for the in-browser kernel (sourcebook.lean).

Their effect on the real kernel (completion, tracebacks, %pip, the quiz) is tested on the
built course in tests/course/test_course_lite.py.
"""

from __future__ import annotations

import io
import zipfile

from sourcebook import lean
from sourcebook.lean import Change, Edit


def wheel(files: dict[str, str], name: str = "pkg-1.0") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
        archive.writestr(f"{name}.dist-info/RECORD", "")
    return buffer.getvalue()


def files(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n).decode() for n in archive.namelist() if not n.endswith("RECORD")}


CHANGE = Change("pkg", "1.0", why="test", drop=("pkg/py2/",), stubs=("pkg/stubs/",),
                edits=(Edit("pkg/__init__.py", "import heavy\n", "def heavy():\n    import heavy\n"),))
SHAPE = {"pkg/__init__.py": "import heavy\nVALUE = 1\n", "pkg/py2/old.pyi": "x", "pkg/stubs/yaml/__init__.pyi": "y",
         "pkg/stubs/six.pyi": "s", "pkg/stubs/django/db.pyi": "d", "pkg/stubs/requests.pyi": "r", "pkg/core.py": ""}


def test_a_wheel_of_the_expected_shape_is_changed_the_same_way_every_time() -> None:
    data = wheel(SHAPE)
    changed, note = lean.apply(CHANGE, "pkg-1.0-py3-none-any.whl", data, ["yaml", "six", "pkg"])
    assert note is None
    assert files(changed) == {"pkg/__init__.py": "def heavy():\n    import heavy\nVALUE = 1\n",
                              "pkg/stubs/yaml/__init__.pyi": "y", "pkg/stubs/six.pyi": "s", "pkg/core.py": ""}
    assert lean.apply(CHANGE, "pkg-1.0-py3-none-any.whl", data, ["six", "pkg", "yaml"])[0] == changed
    with zipfile.ZipFile(io.BytesIO(changed)) as archive:
        record = archive.read("pkg-1.0.dist-info/RECORD").decode()
    assert sorted(line.split(",")[0] for line in record.splitlines()) == sorted([*files(changed),
                                                                                "pkg-1.0.dist-info/RECORD"])


def test_a_wheel_of_another_shape_is_kept_as_it_is_and_the_build_says_why() -> None:
    name = "pkg-1.0-py3-none-any.whl"
    data = wheel(SHAPE)
    other = "pkg-1.1-py3-none-any.whl"
    assert lean.apply(CHANGE, other, data, ["yaml"]) == (data, f"{other}: written for pkg 1.0, kept as it is")
    data = wheel({**SHAPE, "pkg/__init__.py": "VALUE = 1\n"})
    assert lean.apply(CHANGE, name, data, ["yaml"]) == (
        data, f"{name}: pkg/__init__.py does not have 'import heavy' once, kept as it is")
    for missing, why in (("pkg/py2/old.pyi", "no folder pkg/py2/"), ("pkg/__init__.py", "no pkg/__init__.py")):
        data = wheel({k: v for k, v in SHAPE.items() if k != missing})
        assert lean.apply(CHANGE, name, data, ["yaml"]) == (data, f"{name}: {why}, kept as it is")
    # A text found twice is not replaced either.
    data = wheel({**SHAPE, "pkg/__init__.py": "import heavy\nimport heavy\n"})
    assert lean.apply(CHANGE, name, data, ["yaml"])[0] == data
    # jedi lists its stubs' folders: one that would be left empty keeps the wheel as it is.
    data = wheel(SHAPE)
    assert lean.apply(CHANGE, name, data, []) == (data, f"{name}: no stub left in pkg/stubs/, kept as it is")


def test_lean_wheels_changes_only_the_packages_named_and_collects_the_notes() -> None:
    wheels = {"pkg": ("pkg-1.1-py3-none-any.whl", wheel(SHAPE)), "other": ("other-1.0-py3-none-any.whl", b"x")}
    out, notes = lean.lean_wheels(wheels, ["yaml"], [CHANGE])
    assert out == wheels and notes == ["pkg-1.1-py3-none-any.whl: written for pkg 1.0, kept as it is"]


def test_every_change_names_a_package_version_and_its_reason() -> None:
    for change in lean.CHANGES:
        assert change.package and change.version.count(".") >= 1 and len(change.why) > 40
        assert change.drop or change.stubs or change.edits
