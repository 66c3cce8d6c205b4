"""Quizzes in Jupyter notebooks, built from standard ipywidgets.

``from sourcebook import quiz; q = quiz("questions/bank.yml")`` shows a live
quiz in JupyterLab, Notebook, VS Code and Voilà; ``q.score``, ``q.results`` and
``q.on_check(callback)`` give its results to Python. Grading is
:mod:`sourcebook.grading`, the same rules as the course site. Nothing here
imports Sphinx.

In a class notebook, a teacher can gather every check as it happens::

    from sourcebook import quiz

    q = quiz("questions/01-meeting-the-source.yml", skills=["sourcing"], shuffle=True, seed=1)
    answers = []
    q.on_check(lambda question_id, record: answers.append(record.as_dict()))
    q          # shows the quiz; later: q.score, q.max_score, q.summary_by_skill()
"""

from __future__ import annotations

from .quiz import CheckCallback, QuestionRecord, QuestionView, Quiz, quiz

__all__ = ["CheckCallback", "QuestionRecord", "QuestionView", "Quiz", "quiz"]
