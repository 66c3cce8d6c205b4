"""What a question type is: the one class every question type subclasses.

A question type is a plugin, as in Moodle: one module holds its model class
(a :class:`sourcebook.Question` subclass), its checks, its grading and
correct response, and its renderers for the site's HTML, the ipywidgets
control and the worksheet; one script (``static/types/<name>.js``) grades and
operates it in the browser. Every output asks the question's type, through
``question.KIND`` or :func:`sourcebook.types.named`, and never tests for a
type's name itself. The LMS formats (``export/``) keep their per-type code,
as Moodle's format plugins do.

Nothing here imports ipywidgets or Sphinx: a type's control is made only when
a notebook quiz asks for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from ..model import Bank, Question, Source

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from ..checks import At, Report
    from ..grading import Result
    from ..html import SiteWriter
    from ..worksheet import SheetWriter, WorksheetQuiz
    from .controls import Control

Q = TypeVar("Q", bound=Question)


class QuestionType(Generic[Q]):
    """Everything sourcebook knows about one question type. Subclasses set ``model`` and fill the methods.

    ``model.TYPE`` is the name teachers write after ``type:``; ``model.LABEL``
    the name people read. ``script`` is the type's browser script;
    ``strings`` adds interface texts by language (``{"en": {...}}``), which a
    third-party type needs for the worksheet's instruction line
    (``ws_how_<name>``) and any text of its own.
    """

    model: type[Q]
    #: The type's script for the site (``static/types/<name>.js`` for the built-in types).
    script: Traversable
    #: Interface texts the type adds, by language; English is the fallback.
    strings: ClassVar[Mapping[str, Mapping[str, str]]] = {}
    #: Helper scripts the type's script uses (paths under ``sourcebook/static``, such as ``rules/picks.js``): a page
    #: loads them, once, before the scripts of the types it shows.
    script_helpers: ClassVar[tuple[str, ...]] = ()
    #: Keys of the interface texts the type's script reads on the page (``ui.S``), besides the quiz script's own
    #: (``quiz_assets.QUIZ_SCRIPT_STRINGS``) and those of ``strings``: a page carries only the texts its scripts read.
    script_strings: ClassVar[tuple[str, ...]] = ()
    #: Names teachers know the type by in other tools (Moodle's ``essay``...), suggested when they write one;
    #: lower case, with "-" for spaces and "_" (a trailing "-question" is ignored).
    aliases: ClassVar[tuple[str, ...]] = ()
    #: Whether the printed question is answered by ticking boxes (the worksheet then says how to tick).
    ticks_boxes: ClassVar[bool] = False

    @property
    def name(self) -> str:
        """The name after ``type:`` in a bank."""
        return self.model.TYPE

    # --- checks and grading --------------------------------------------------------

    def check(self, question: Q, at: At, reader: Report) -> None:
        """Report what is wrong with a question whose keys and value types are already right."""

    def check_in_bank(self, question: Q, bank: Bank, source: Source | None, at: At,
                      reader: Report) -> None:
        """Report what is wrong with the question in its bank (``source`` is the bank's loaded source, if any)."""

    def has_feedback(self, question: Q) -> bool:
        """Whether the question tells a student more than right or wrong, besides its ``explanation``."""
        return False

    def grade(self, question: Q, response: Any) -> Result:
        """The result of a response (its shape is the type's; see :mod:`sourcebook.grading`)."""
        raise NotImplementedError

    def correct_response(self, question: Q) -> Any:
        """A response that earns full marks (what "reveal the answer" shows); None when there is none."""
        return None

    def problem(self, question: Q, response: Any, result: Result) -> str:
        """Why ``response`` could not be graded, as a key of the interface texts: the grader's ``result.problem``,
        unless the type can say more (the twin of its script's ``problem``)."""
        return result.problem

    # --- order ------------------------------------------------------------------------

    def part_count(self, question: Q) -> int:
        """How many choices or items the question shows in an order of its own (0 when it has none)."""
        return 0

    def mixes_parts(self, question: Q) -> bool:
        """Whether its choices are mixed so that the right one does not always sit in one place."""
        return False

    def answer_places(self, question: Q) -> list[int]:
        """Where the right choices stand in the bank's order, for a type whose choices may be mixed."""
        return []

    def hides_answer_in_order(self, question: Q) -> bool:
        """Whether the bank's order of its items is the answer, so they are always shown mixed (ordering)."""
        return False

    # --- renderers -----------------------------------------------------------------

    def grading_data(self, question: Q, data: dict[str, Any]) -> dict[str, Any]:
        """What the page's script needs to grade (``data`` is the question's plain data, text fields removed).

        Text the markup already shows (choices, feedback) should be left out.
        """
        return data

    def site_html(self, page: SiteWriter, qid: str, question: Q) -> None:
        """Write the answer part of the question's markup (inputs with labels, hidden feedback) with ``page.w``."""
        raise NotImplementedError

    def control(self, question: Q, strings: Mapping[str, str], order: Sequence[int],
                bank: Bank) -> Control:
        """The notebook's ipywidgets control of the question; ``order`` is the display order of its parts."""
        raise NotImplementedError

    def worksheet(self, sheet: SheetWriter, quiz: WorksheetQuiz, question: Q) -> None:
        """Write the printed question's answer space, and its key with ``sheet.key_block``."""
        raise NotImplementedError

    def instruction(self, question: Q, strings: Mapping[str, str]) -> str:
        """The worksheet's line telling how to answer (the text ``ws_how_<name>``, ``-`` written ``_``)."""
        return strings["ws_how_" + self.name.replace("-", "_")]


def static_script(name: str) -> Traversable:
    """The script of a built-in type, ``static/types/<name>.js``."""
    from importlib import resources

    return resources.files("sourcebook").joinpath("static", "types", f"{name}.js")
