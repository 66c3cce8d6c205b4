"""Choosing which questions of a bank a quiz shows, and in what order.

Shared by the notebook quiz (``quiz(path, ids=..., skills=..., count=...,
shuffle=..., seed=...)``) and the site directive (same options), so both
select alike. With the same seed the same questions come out in the same order.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

from .model import Question
from .problems import did_you_mean


class SelectionError(ValueError):
    """The options ask for something the bank does not have."""


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
    """The questions to show: filtered by ids and skills, a random draw of ``count``, shuffled.

    Filters keep the bank's order; ``count`` draws at random (reproducibly with
    ``seed``) and ``shuffle`` mixes the order. Unknown ids or skills raise
    :class:`SelectionError` rather than giving a silently empty quiz.
    """
    chosen = list(questions)
    if ids is not None:
        wanted = list(ids)
        known = {q.id for q in questions}
        for i in wanted:
            if i not in known:
                raise SelectionError(f"no question with id `{i}`;{did_you_mean(i, known)}")
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
    rng = random.Random(seed)
    if count is not None:
        if count < 1:
            raise SelectionError("count must be 1 or more")
        if count < len(chosen):
            picked = set(rng.sample(range(len(chosen)), count))
            chosen = [q for n, q in enumerate(chosen) if n in picked]
    if shuffle:
        rng.shuffle(chosen)
    if not chosen:
        raise SelectionError("the options leave no question to show")
    return chosen


def display_order(question: Question, size: int, *, shuffle: bool, rng: random.Random) -> list[int]:
    """Indices 0..size-1 in the order to show a question's choices or items.

    Ordering questions are always mixed (their bank order is the answer);
    other questions only when the quiz shuffles and the question allows it.
    """
    from .model import Ordering

    order = list(range(size))
    if isinstance(question, Ordering):
        while size > 1 and order == list(range(size)):
            rng.shuffle(order)
    elif shuffle and question.shuffle:
        rng.shuffle(order)
    return order
