"""Which of the package's static files a page with a quiz loads, in the order it loads them.

One list for every page that shows a quiz: the course site (the Sphinx
extension joins a page's scripts into one file, ``sphinx/assets.py``'s
``bundle``, so that a page makes one request for them) and ``sourcebook
preview`` (which serves them one by one, as they are). No Sphinx here, so the
preview runs without it. The static folder the site serves is written by
``sphinx/assets.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from .types import registry
from .types.base import QuestionType

#: A question of a given type in the quiz markup (``sourcebook.html``): ``class="sb-q sb-<type>"``.
_QUESTION_OF_TYPE = re.compile(r'class="sb-q sb-([A-Za-z0-9_-]+)"')
#: The progress page's list (``sphinx/quiz.py``).
_PROGRESS_MARKER = "data-sourcebook-progress"


def quiz_scripts(body: str | None = None) -> tuple[str, ...]:
    """The scripts of a quiz page, as paths under ``sourcebook/static``, in the order they must run.

    grading.js first: each question type's script (``types/<name>.js``) registers with it, and quiz.js
    grades with it. A page loads the scripts of the question types its ``body`` shows (of every type
    when no body is given), after the helpers they use (``rules/``, :attr:`QuestionType.script_helpers`).
    The progress page (``{quiz-progress}``) adds handin.js (the hand-in form and the name fields) and
    progress.js; under a quiz, quiz.js loads handin.js itself when there is something to hand in, so a
    student who only reads and answers never fetches it before that.
    """
    shown = set(_QUESTION_OF_TYPE.findall(body)) if body is not None else set(registry())
    types = [name for name in registry() if name in shown]
    helpers = dict.fromkeys(helper for name in types for helper in registry()[name].script_helpers)
    progress = ("handin.js", "progress.js") if body is not None and _PROGRESS_MARKER in body else ()
    return ("grading.js", *helpers, *(f"types/{name}.js" for name in types), "quiz.js", *progress)


#: The interface texts quiz.js reads from a quiz's data (``S.<key>``), the problems of a response it shows among them
#: (``S[problem]``: grading's "empty" and "not-a-number", saved progress's "notice_changed" and "notice_corrupt").
QUIZ_SCRIPT_STRINGS = ("attempts_left", "by_skill", "check", "empty", "hint", "no_attempts", "not-a-number",
                       "notice_changed", "notice_corrupt", "notice_no_storage", "other", "partly", "question", "reset",
                       "reset_confirm", "reveal", "revealed", "right", "save", "saved", "score", "skill_score",
                       "unchanged", "wrong")
#: The texts handin.js reads from the data of the quiz it shows its form under.
HANDIN_SCRIPT_STRINGS = ("handin_button", "handin_class", "handin_done", "handin_help", "handin_name",
                         "handin_need_name", "handin_nothing", "handin_title")


def script_strings(texts: Mapping[str, str], kinds: Iterable[QuestionType[Any]]) -> dict[str, str]:
    """The ``texts`` a quiz's data carries for the page's scripts: those quiz.js and handin.js read, and those the
    scripts of the question types ``kinds`` read (:attr:`QuestionType.script_strings` and the texts a type adds).
    The rest of the catalogue is written into the markup at build time, or read by other pages' scripts."""
    keys = {*QUIZ_SCRIPT_STRINGS, *HANDIN_SCRIPT_STRINGS}
    for kind in kinds:
        keys.update(kind.script_strings)
        for added in kind.strings.values():
            keys.update(added)
    return {key: text for key, text in texts.items() if key in keys}


def on_demand_scripts() -> tuple[str, ...]:
    """The scripts quiz.js adds to a quiz page itself when they are needed (served beside it)."""
    return ("handin.js",)


#: An inline script for the head of a course page with a quiz, run before its body is parsed. quiz.js loads without
#: waiting for the page and sets each question up as soon as the parser has delivered it; while the page loads
#: (``sb-loading``), quiz.css hides each question until it is set up (choices mixed, saved progress restored), so
#: that it is never seen in one state and then changed. The page's load event comes after quiz.js has run or
#: failed to load, and ends it either way: no question stays hidden. Without JavaScript nothing is hidden.
LOADING_SCRIPT = ('document.documentElement.classList.add("sb-loading");addEventListener("load",function(){'
                  'document.documentElement.classList.remove("sb-loading")});')


def quiz_stylesheets() -> tuple[str, ...]:
    """The stylesheets of a quiz page, as paths under ``sourcebook/static``."""
    return ("quiz.css",)


def static_files() -> dict[str, Traversable]:
    """Every file the site serves from the package, by its path under the static folder: the files of
    ``sourcebook/static``, the question types' helpers (``rules/``) and, as ``types/<name>.js``, each question
    type's script, wherever its package keeps it."""
    static = resources.files("sourcebook").joinpath("static")
    files: dict[str, Traversable] = {item.name: item for item in static.iterdir() if item.is_file()}
    files.update((f"rules/{item.name}", item) for item in static.joinpath("rules").iterdir() if item.is_file())
    files.update((f"types/{name}.js", kind.script) for name, kind in registry().items())
    return files


def static_file(name: str) -> bytes:
    """The bytes of one of :func:`static_files` as the package ships it (not minified)."""
    return static_files()[name].read_bytes()
