"""Which of the package's static files a page with a quiz loads, in the order it loads them.

One list for every page that shows a quiz: the course site (the Sphinx
extension adds these to each page with a quiz) and ``sourcebook preview``
(which serves them as they are). No Sphinx here, so the preview runs without it.
"""

from __future__ import annotations

from importlib import resources


def quiz_scripts() -> tuple[str, ...]:
    """The scripts of a quiz page, as paths under ``sourcebook/static``, in the order they must run.

    grading.js first: quiz.js grades with it; handin.js adds the hand-in form under quizzes.
    """
    return ("grading.js", "quiz.js", "handin.js")


def quiz_stylesheets() -> tuple[str, ...]:
    """The stylesheets of a quiz page, as paths under ``sourcebook/static``."""
    return ("quiz.css",)


def static_file(name: str) -> bytes:
    """The bytes of ``sourcebook/static/<name>`` as the package ships it (not minified)."""
    return resources.files("sourcebook").joinpath("static").joinpath(name).read_bytes()
