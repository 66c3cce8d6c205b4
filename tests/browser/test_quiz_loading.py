"""Quizzes while their page is still loading, in Chromium.

quiz.js loads without waiting for the page and sets each question up as soon
as the parser has delivered it; the quiz-level parts (reset, score, saving)
follow once the page is whole. Here a server sends the quiz page in two parts
and holds the second back: the questions that have arrived answer, a question
that has only partly arrived stays hidden (never seen before its choices are
mixed and its progress restored), and what was answered meanwhile is saved
once the rest arrives. Without the quiz's script every question still shows.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]

PAGE = "types.html"
KEY = "sourcebook:v1:types:every-type:1"


class HeldPage:
    """The site on 127.0.0.1, with :data:`PAGE` sent up to ``split`` bytes at first and the rest on :meth:`release`."""

    def __init__(self, site: Path):
        html = (site / PAGE).read_bytes()
        starts = [i for i in range(len(html)) if html.startswith(b"<fieldset", i)]
        # The first two questions whole, the third cut in its middle.
        self.split = starts[2] + (starts[3] - starts[2]) // 2
        self.html = html
        self.released = threading.Event()
        self.sent_first = threading.Event()
        held = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.split("?")[0] != f"/{PAGE}":
                    super().do_GET()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(held.html[:held.split])
                self.wfile.flush()
                held.sent_first.set()
                held.released.wait(60)
                # If the test is over and its browser gone, there is nothing to tell.
                with contextlib.suppress(ConnectionError):
                    self.wfile.write(held.html[held.split:])

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/{PAGE}"

    def release(self) -> None:
        self.released.set()

    def hold(self) -> None:
        """Holds the rest of the page back again, on the next visit."""
        self.released.clear()


@pytest.fixture
def held(site: Path) -> Iterator[HeldPage]:
    page = HeldPage(site)
    yield page
    page.release()
    page.server.shutdown()


def visibility(locator: Any) -> str:
    value: str = locator.evaluate("e => getComputedStyle(e).visibility")
    return value


def choice_order(page: Any) -> list[str]:
    order: list[str] = page.locator('fieldset[data-id="addressee"] .sb-choice').evaluate_all(
        "els => els.map(e => e.dataset.index)")
    return order


def test_questions_answer_while_the_page_loads_and_are_saved_once_it_is_whole(page: Any, held: HeldPage) -> None:
    page.goto(held.url, wait_until="commit")
    first = page.locator('fieldset[data-id="addressee"]')
    check = first.get_by_role("button", name="Check")
    expect(check).to_be_visible(timeout=15_000)
    assert page.evaluate("document.readyState") == "loading"
    assert page.evaluate("document.documentElement.classList.contains('sb-loading')")
    # The two questions that arrived whole are set up and shown; the one cut in the middle is hidden.
    fieldsets = page.locator(".sb-q")
    assert fieldsets.count() == 3
    assert [visibility(fieldsets.nth(i)) for i in range(3)] == ["visible", "visible", "hidden"]
    assert fieldsets.nth(1).get_by_role("button", name="Check").count() == 1
    assert fieldsets.nth(2).locator(".sb-actions").count() == 0
    # Quiz-level parts wait for the whole quiz.
    assert page.get_by_role("button", name="Start again").count() == 0
    seen = choice_order(page)

    first.get_by_label("The Central Committee and Chairman Mao").check()
    check.click()
    expect(first.locator(".sb-result")).to_have_text("Right.")
    assert page.evaluate(f"localStorage.getItem({KEY!r})") is None

    held.release()
    page.wait_for_load_state("load")
    assert not page.evaluate("document.documentElement.classList.contains('sb-loading')")
    every = page.locator(".sb-quiz .sb-q")
    assert every.count() > 3
    assert all(visibility(every.nth(i)) == "visible" for i in range(every.count()))
    assert every.locator(".sb-actions").count() == every.count()
    expect(page.get_by_role("button", name="Start again")).to_be_visible()
    # What was answered before the page was whole is saved, scored and said.
    saved = page.evaluate(f"JSON.parse(localStorage.getItem({KEY!r}))")
    assert saved["answers"]["addressee"]["attempts"] == 1
    assert saved["answers"]["addressee"]["points"] == 1
    expect(page.locator(".sb-summary .sb-score")).to_contain_text("1")
    expect(page.locator(".sb-live")).to_have_text("Question 1: Right.")

    # The page as it loads at once shows the same order and the saved answer.
    page.reload()
    assert choice_order(page) == seen
    expect(first.locator(".sb-result")).to_have_text("Right.")

    # Held back again: the saved answer is restored in the first question before the page is whole.
    held.hold()
    page.reload(wait_until="commit")
    expect(first.locator(".sb-result")).to_have_text("Right.", timeout=15_000)
    assert page.evaluate("document.readyState") == "loading"
    assert first.get_by_label("The Central Committee and Chairman Mao").is_checked()
    assert choice_order(page) == seen
    assert visibility(page.locator(".sb-q").nth(2)) == "hidden"
    held.release()
    page.wait_for_load_state("load")
    assert page.evaluate(f"JSON.parse(localStorage.getItem({KEY!r}))")["answers"]["addressee"]["attempts"] == 1


def test_without_the_quiz_script_every_question_shows(chromium: Any, site: Path, served: Any) -> None:
    base = served(site)
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.route("**/_static/quiz-*.js*", lambda route: route.abort())
        page.goto(f"{base}/{PAGE}")
        page.wait_for_load_state("load")
        every = page.locator(".sb-quiz .sb-q")
        assert every.count() > 3
        assert not page.evaluate("document.documentElement.classList.contains('sb-loading')")
        assert all(visibility(every.nth(i)) == "visible" for i in range(every.count()))
        assert page.locator(".sb-quiz .sb-actions").count() == 0
    finally:
        context.close()
