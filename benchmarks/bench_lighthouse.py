"""Lighthouse on the course site: performance, accessibility and best practices
of the home page, module 1 and the progress page, against the anchor page
(module 1 as a stock Jupyter Book with jupyterquiz, see bench_network). Goals:
performance at least 95, accessibility and best practices 100, on every page.

Lighthouse is the npm package (installed with npm on first use into
``benchmarks/.work/lighthouse``), run on Debian's Chromium (``CHROME_PATH``)
with its default mobile preset (a mid-range phone, simulated slow 4G and a
slower processor), against both sites served uncompressed by Python's own
web server. Each row shows the lowest score of the three pages; the note
holds every page's scores and the audits that cost points.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from .bench_edit import build, copy_course
from .bench_interactive import CHROMIUM, served
from .bench_network import MODULE, anchor_book, build_anchor
from .common import Figure

PAGES = {"home": "book/intro.html", "module 1": f"{MODULE}.html", "progress": "book/progress.html"}
CATEGORIES = {"performance": 95.0, "accessibility": 100.0, "best-practices": 100.0}
LIGHTHOUSE_VERSION = "12"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"


def lighthouse(root: Path) -> Path:
    """The ``lighthouse`` command, installed from npm on first use."""
    folder = root / "benchmarks" / ".work" / "lighthouse"
    command = folder / "node_modules" / ".bin" / "lighthouse"
    if not command.exists():
        if shutil.which("npm") is None:
            raise RuntimeError("npm is needed to install Lighthouse")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "package.json").write_text('{"private": true}\n', encoding="utf-8")
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", f"lighthouse@{LIGHTHOUSE_VERSION}"],
                       cwd=folder, check=True, capture_output=True)
    return command


def audit(command: Path, url: str, out: Path) -> dict[str, Any]:
    """Lighthouse's report of ``url`` (mobile preset) as JSON."""
    run = subprocess.run(
        [str(command), url, "--output=json", f"--output-path={out}", "--quiet",
         "--only-categories=" + ",".join(CATEGORIES), f"--chrome-flags={CHROME_FLAGS}"],
        capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=600)
    if run.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse failed on {url}:\n{run.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


def scores(report: dict[str, Any]) -> dict[str, float]:
    return {name: round((report["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}


def failing(report: dict[str, Any], category: str) -> list[str]:
    """The audits of ``category`` that cost points, the costliest first."""
    refs = report["categories"][category]["auditRefs"]
    audits = report["audits"]
    lost = [(ref.get("weight", 0) * (1 - (audits[ref["id"]]["score"] or 0)), ref["id"]) for ref in refs
            if ref.get("weight", 0) and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1]
    out = []
    for _, name in sorted(lost, reverse=True)[:4]:
        shown = audits[name].get("displayValue", "")
        out.append(f"{name}{' ' + shown if shown else ''}")
    return out


def run(root: Path) -> list[Figure]:
    command = lighthouse(root)
    reports: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        course = copy_course(root, Path(tmp) / "course")
        build(course, clean=True)
        anchor = build_anchor(anchor_book(root, Path(tmp) / "anchor"))
        with served(course / "_build" / "html") as ours, served(anchor) as theirs:
            for name, page in PAGES.items():
                reports[name] = audit(command, f"{ours}/{page}", Path(tmp) / f"{name}.json")
            reports["anchor"] = audit(command, f"{theirs}/page.html", Path(tmp) / "anchor.json")
    version = reports["anchor"].get("lighthouseVersion", "?")
    got = {name: scores(report) for name, report in reports.items()}
    figures = []
    for category, limit in CATEGORIES.items():
        worst = min(PAGES, key=lambda name: got[name][category])
        notes = [f"{name} {got[name][category]:g}"
                 + (f" ({'; '.join(failing(reports[name], category))})" if got[name][category] < 100 else "")
                 for name in [*PAGES, "anchor"]]
        figures.append(Figure(
            name=f"Lighthouse {category.replace('-', ' ')}, lowest of home, module 1, progress",
            value=got[worst][category], baseline_name="anchor page", baseline=got["anchor"][category],
            unit="", goal=None, limit=limit, at_least=True,
            note=f"Lighthouse {version}, mobile preset, Chromium {CHROMIUM}; " + ", ".join(notes),
        ))
    return figures
