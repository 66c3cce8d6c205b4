"""Quizzes in Jupyter notebooks, built from standard ipywidgets.

``from sourcebook import quiz; q = quiz("questions/bank.yml")`` shows a live
quiz in JupyterLab, Notebook, VS Code and Voilà; ``q.score``, ``q.results`` and
``q.on_check(callback)`` give its results to Python. Grading is
:mod:`sourcebook.grading`, the same rules as the course site. Nothing here
imports Sphinx.
"""

from __future__ import annotations

from .quiz import CheckCallback, QuestionRecord, QuestionView, Quiz, quiz

__all__ = ["CheckCallback", "QuestionRecord", "QuestionView", "Quiz", "quiz"]
