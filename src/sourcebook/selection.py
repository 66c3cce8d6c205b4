"""Which questions a quiz shows, and in what order: decided here, once, for every output.

A quiz is described by a :class:`QuizSpec` (bank, ids, skills, count, shuffle,
seed, name), made by one converter (:func:`QuizSpec.from_options`, whose
per-option functions are also the ``{quiz}`` directive's ``option_spec``).
The site's directive, the worksheet, the notebook export and ``quiz()`` all
start from it.

:func:`select` filters and draws the questions; :func:`arrange` decides their
order and the order of each question's choices or items. A quiz that shuffles
with a seed is mixed here, so the site, the worksheet, the answer key and the
notebook show the same order. A quiz that shuffles without a seed is mixed per
student, in the browser, by the same algorithm (:class:`SeededRandom` and
:func:`mix`, mirrored in ``static/grading.js`` and held to the vectors in
``tests/conformance/order.yml``) seeded with a string the browser keeps.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .model import Question
from .problems import did_you_mean

T = TypeVar("T")


class SelectionError(ValueError):
    """The options ask for something the bank does not have."""


class QuizSpecError(ValueError):
    """A quiz's options are malformed (unknown option, a count that is not a number...)."""


class QuizOptionError(QuizSpecError, TypeError):
    """An option of ``quiz()`` in a notebook is unknown or of the wrong kind (``n=5``, ``count="5"``).

    A TypeError, as Python's own for a wrong keyword, and a QuizSpecError like the directive's; its
    message is one line that says what to write.
    """


# --- a quiz's options ------------------------------------------------------------


def _needs(value: str | None, option: str) -> str:
    if value is None or not value.strip():
        raise ValueError(f"the quiz's :{option}: option needs a value")
    return value.strip()


def ids_option(value: str | None) -> tuple[str, ...]:
    """``:ids:``: question ids, separated by commas or spaces."""
    return tuple(part for part in re.split(r"[,\s]+", _needs(value, "ids")) if part)


def skills_option(value: str | None) -> tuple[str, ...]:
    """``:skills:``: skills, separated by commas (a skill may have spaces)."""
    return tuple(part.strip() for part in _needs(value, "skills").split(",") if part.strip())


def count_option(value: str | None) -> int:
    """``:count:``: how many questions to draw, 1 or more."""
    text = (value or "").strip()
    if not re.fullmatch(r"\d+", text) or int(text) < 1:
        raise ValueError(f"the quiz's count should be a positive whole number, not {value!r}")
    return int(text)


def shuffle_option(value: str | None) -> bool:
    """``:shuffle:``: a flag, with no value."""
    if value is not None and value.strip():
        raise ValueError(f"the quiz's :shuffle: takes no value, not {value!r}")
    return True


def seed_option(value: str | None) -> int | str:
    """``:seed:``: a whole number, or any other text."""
    text = _needs(value, "seed")
    return int(text) if re.fullmatch(r"-?\d+", text) else text


def name_option(value: str | None) -> str:
    """``:name:``: the key of the quiz's saved progress."""
    return _needs(value, "name")


#: The options of a quiz and the one function that reads each; the ``{quiz}``
#: directive's ``option_spec`` is this mapping.
QUIZ_OPTIONS: dict[str, Callable[[str | None], Any]] = {
    "ids": ids_option,
    "skills": skills_option,
    "count": count_option,
    "shuffle": shuffle_option,
    "seed": seed_option,
    "name": name_option,
}


@dataclass(frozen=True)
class QuizSpec:
    """One quiz as a page (or a notebook call) asks for it."""

    bank: str  # the bank as written (a path)
    ids: tuple[str, ...] | None = None
    skills: tuple[str, ...] | None = None
    count: int | None = None
    shuffle: bool = False
    seed: int | str | None = None
    name: str | None = None

    @classmethod
    def from_options(cls, bank: str, options: Mapping[str, str | None]) -> QuizSpec:
        """The spec of a ``{quiz}`` directive, from its options as written (``:count: 3`` gives ``"3"``)."""
        unknown = set(options) - set(QUIZ_OPTIONS)
        if unknown:
            raise QuizSpecError(f"the quiz has unknown options: {', '.join(sorted(unknown))}; "
                                f"it takes {', '.join(QUIZ_OPTIONS)}")
        try:
            return cls.from_converted(bank, {name: QUIZ_OPTIONS[name](value) for name, value in options.items()})
        except ValueError as exc:
            raise QuizSpecError(str(exc)) from None

    @classmethod
    def from_converted(cls, bank: str, options: Mapping[str, Any]) -> QuizSpec:
        """The spec from options already read by :data:`QUIZ_OPTIONS` (as docutils hands them to a directive)."""
        return cls(bank=bank, ids=options.get("ids"), skills=options.get("skills"), count=options.get("count"),
                   shuffle=bool(options.get("shuffle", False)), seed=options.get("seed"), name=options.get("name"))

    def select(self, questions: Sequence[Question], *, default_seed: int | str | None) -> list[Question]:
        """The questions the quiz shows, in the bank's (or the ``ids``') order.

        A draw of ``count`` uses the spec's seed, or ``default_seed`` (the site
        passes the page's name, so that a draw is the same in every build).
        """
        return select(questions, ids=self.ids, skills=self.skills, count=self.count,
                      seed=self.seed if self.seed is not None else default_seed)

    def key(self, docname: str, bank_stem: str, position: int) -> str:
        """The key of the quiz's saved progress: its ``:name:``, or page, bank and position on the page."""
        return self.name or f"{docname}:{bank_stem}:{position}"


# --- which questions -------------------------------------------------------------


def _skill_key(skill: str) -> str:
    return " ".join(skill.replace("-", " ").replace("_", " ").lower().split())


def select(
    questions: Sequence[Question],
    *,
    ids: Iterable[str] | None = None,
    skills: Iterable[str] | None = None,
    count: int | None = None,
    shuffle: bool = False,
    seed: int | str | None = None,
) -> list[Question]:
    """The questions to show: filtered by ids and skills, a random draw of ``count``.

    Filters keep the bank's order; ``count`` draws at random (reproducibly with
    ``seed``). ``shuffle`` mixes the result as :func:`arrange` mixes questions
    (at random without a seed). Unknown ids or skills raise :class:`SelectionError` rather than
    giving a silently empty quiz.
    """
    chosen = list(questions)
    if ids is not None:
        wanted = list(ids)
        known = {q.id for q in questions}
        for i in wanted:
            if i not in known:
                raise SelectionError(f"no question with id `{i}`;{did_you_mean(i, known)} ids in the bank: "
                                     f"{_listed(q.id for q in questions)}")
        twice = next((i for n, i in enumerate(wanted) if i in wanted[:n]), None)
        if twice is not None:
            raise SelectionError(f"the id `{twice}` is listed twice; a quiz shows each question once")
        order = {i: n for n, i in enumerate(wanted)}
        chosen = sorted((q for q in chosen if q.id in order), key=lambda q: order[q.id])
    if skills is not None:
        keys = {_skill_key(s) for s in skills}
        present = {_skill_key(q.skill) for q in questions}
        for key in keys:
            if key not in present:
                raise SelectionError(f"no question has the skill `{key}`; skills in the bank: "
                                     f"{', '.join(sorted(present)) or 'none'}")
        chosen = [q for q in chosen if _skill_key(q.skill) in keys]
    if count is not None:
        if count < 1:
            raise SelectionError("count must be 1 or more")
        if count > len(chosen):
            # A draw of more than there is would quietly be a quiz of everything: not what was asked.
            asked = " and ".join(name for name, value in (("ids", ids), ("skills", skills)) if value is not None)
            which = f"the {asked} asked for leave" if asked else "the bank has"
            raise SelectionError(f"`count` is {count}, but {which} only {len(chosen)} question"
                                 f"{'s' if len(chosen) != 1 else ''}: ask for {len(chosen)} or fewer, or leave "
                                 "`count` out to show them all")
        if count < len(chosen):
            picked = set(random.Random(seed).sample(range(len(chosen)), count))
            chosen = [q for n, q in enumerate(chosen) if n in picked]
    if not chosen:
        raise SelectionError("the options leave no question to show")
    if shuffle:
        if seed is None:
            random.shuffle(chosen)
        else:
            chosen = mix(chosen, SeededRandom(str(seed)))
    return chosen


#: How many ids or skills a message lists before it says how many more there are.
LISTED = 20


def _listed(names: Iterable[str]) -> str:
    shown = list(names)
    more = f" and {len(shown) - LISTED} more" if len(shown) > LISTED else ""
    return ", ".join(f"`{name}`" for name in shown[:LISTED]) + more


# --- in what order ---------------------------------------------------------------

_MASK = 0xFFFFFFFF


class SeededRandom:
    """The quiz's random numbers: the FNV-1a hash of the seed's UTF-16 code units seeds mulberry32.

    The same numbers as ``seededRandom`` in ``static/grading.js`` (JavaScript's
    32-bit integer arithmetic, done here modulo 2**32).
    """

    def __init__(self, seed: str):
        h = 2166136261
        data = seed.encode("utf-16-le", "surrogatepass")
        for i in range(0, len(data), 2):
            h = ((h ^ int.from_bytes(data[i:i + 2], "little")) * 16777619) & _MASK
        self._state = h

    def random(self) -> float:
        """The next number in [0, 1)."""
        self._state = (self._state + 0x6D2B79F5) & _MASK
        h = self._state
        t = ((h ^ (h >> 15)) * (1 | h)) & _MASK
        t = ((t + (((t ^ (t >> 7)) * (61 | t)) & _MASK)) & _MASK) ^ t
        return ((t ^ (t >> 14)) & _MASK) / 4294967296


def mix(items: Sequence[T], rng: SeededRandom) -> list[T]:
    """``items`` in a random order: Fisher–Yates from the last place down, as ``mix`` in ``grading.js``."""
    out = list(items)
    for i in range(len(out) - 1, 0, -1):
        j = int(rng.random() * (i + 1))
        out[i], out[j] = out[j], out[i]
    return out


def part_count(question: Question) -> int:
    """How many choices or items a question shows in an order of its own (0 for other types)."""
    return question.KIND.part_count(question)


def mixes_choices(question: Question) -> bool:
    """Whether this question's choices are mixed (the question or its bank may say ``shuffle: false``)."""
    return question.KIND.mixes_parts(question)


def display_order(question: Question, size: int, *, shuffle: bool, rng: random.Random) -> list[int]:
    """Indices 0..size-1 in the order to show a question's choices or items.

    Ordering questions are always mixed (their bank order is the answer);
    other questions only when the quiz shuffles and the question allows it.
    """
    order = list(range(size))
    if question.KIND.hides_answer_in_order(question):
        while size > 1 and order == list(range(size)):
            rng.shuffle(order)
    elif shuffle and question.shuffle:
        rng.shuffle(order)
    return order


@dataclass(frozen=True)
class Arrangement:
    """The questions of a quiz in the order shown, and the order of each one's choices or items."""

    questions: tuple[Question, ...]
    #: Question id -> bank indices of its choices or items, in the order shown.
    orders: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    #: Shuffled without a seed: each student's browser mixes the questions.
    per_student: bool = False
    #: No seed: each student's browser (or notebook run) mixes the choices of the questions that allow it.
    choices_per_student: bool = False

    def order(self, question: Question) -> list[int]:
        """Bank indices of the question's choices or items in the order shown."""
        return list(self.orders.get(question.id, range(part_count(question))))


def arrange(questions: Sequence[Question], *, shuffle: bool, seed: int | str | None,
            key: str | None) -> Arrangement:
    """The order of a quiz's questions and of their choices and items.

    Choices are mixed by default, so that the right answer does not sit in one
    place: a question (or its bank) with ``shuffle: false`` keeps its order.
    With a ``seed``, the questions (if the quiz shuffles) and then, question by
    question in the order selected, the choices that may be mixed come from
    one :class:`SeededRandom` stream seeded with ``str(seed)``, as the browser
    mixes them. Without a seed, the printed order (the page's markup and the
    worksheet) mixes the choices from ``key`` (the quiz's saved-progress name)
    and each student's browser mixes them again with a seed of its own
    (``choices_per_student``, and ``per_student`` for the questions of a quiz
    that shuffles). The items of an ordering question are always mixed, from
    ``seed`` or else ``key`` and the question id, so that paper never gives
    the answer away; with neither, from fresh randomness.
    """
    shown = list(questions)
    orders: dict[str, tuple[int, ...]] = {}
    if seed is not None:
        rng = SeededRandom(str(seed))
        if shuffle:
            shown = mix(shown, rng)
        for q in questions:
            if mixes_choices(q):
                orders[q.id] = tuple(mix(range(part_count(q)), rng))
    else:
        printed = SeededRandom(key) if key is not None else None
        for q in questions:
            if mixes_choices(q):
                order = mix(range(part_count(q)), printed) if printed else random.sample(range(part_count(q)),
                                                                                           part_count(q))
                orders[q.id] = tuple(order)
    order_seed = str(seed) if seed is not None else key
    for q in questions:
        if q.KIND.hides_answer_in_order(q):
            items = random.Random(f"{order_seed}:{q.id}") if order_seed is not None else random.Random()
            orders[q.id] = tuple(display_order(q, part_count(q), shuffle=False, rng=items))
    return Arrangement(tuple(shown), orders, per_student=shuffle and seed is None,
                       choices_per_student=seed is None)
