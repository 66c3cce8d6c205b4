"""Which of the package's static files a page with a quiz loads, in the order it loads them.

One list for every page that shows a quiz: the course site (the Sphinx
extension adds these to each page with a quiz) and ``sourcebook preview``
(which serves them as they are). No Sphinx here, so the preview runs without it.
The static folder the site serves is written by ``sphinx/assets.py``.
"""

from __future__ import annotations

import re
from importlib import resources

from .types import registry

#: A question of a given type in the quiz markup (``sourcebook.html``): ``class="sb-q sb-<type>"``.
_QUESTION_OF_TYPE = re.compile(r'class="sb-q sb-([A-Za-z0-9_-]+)"')


def quiz_scripts(body: str | None = None) -> tuple[str, ...]:
    """The scripts of a quiz page, as paths under ``sourcebook/static``, in the order they must run.

    grading.js first: each question type's script (``types/<name>.js``) registers with it, and quiz.js
    grades with it; handin.js adds the hand-in form under quizzes. A page loads the scripts of the
    question types its ``body`` shows (of every type when no body is given).
    """
    shown = set(_QUESTION_OF_TYPE.findall(body)) if body is not None else set(registry())
    return ("grading.js", *(f"types/{name}.js" for name in registry() if name in shown), "quiz.js", "handin.js")


def quiz_stylesheets() -> tuple[str, ...]:
    """The stylesheets of a quiz page, as paths under ``sourcebook/static``."""
    return ("quiz.css",)


def static_file(name: str) -> bytes:
    """The bytes of ``sourcebook/static/<name>`` as the package ships it (not minified); ``types/<name>.js`` is
    the script of a question type, wherever its package keeps it."""
    folder, _, file = name.rpartition("/")
    if folder == "types" and file.endswith(".js") and file[:-3] in registry():
        return registry()[file[:-3]].script.read_bytes()
    return resources.files("sourcebook").joinpath("static").joinpath(name).read_bytes()
