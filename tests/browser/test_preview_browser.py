"""``sourcebook preview`` in Chromium: the quiz answers a click, and a save shows in the open
page without a reload by hand: an edit, a mistake listed at its line, the fix."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sourcebook.preview import Preview, PreviewServer, renderer

pytestmark = [pytest.mark.browser]

ROOT = Path(__file__).resolve().parent.parent.parent
BANK = "questions/01-meeting-the-source.yml"
AXE = Path(str(__import__("axe_playwright_python").__file__)).parent / "axe.min.js"


@pytest.fixture
def preview_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in ("questions", "sources"):
        shutil.copytree(ROOT / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    server = PreviewServer(Preview(renderer(BANK), BANK), 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield server.url
    server.shutdown()
    server.server_close()


def save(path: Path, text: str) -> None:
    # As an editor's atomic save: the file changes once, with a later time even where the file system's
    # clock is coarse (writing in place, then setting the time, was two changes the server could see apart).
    before = path.stat().st_mtime_ns
    written = path.with_name(path.name + ".saving")
    written.write_text(text, encoding="utf-8")
    os.utime(written, ns=(before + 1_000_000_000, before + 1_000_000_000))
    os.replace(written, path)


def test_the_open_page_follows_saves_and_its_quiz_answers(page: Any, preview_url: str) -> None:
    bank = Path(BANK)
    good = bank.read_text(encoding="utf-8")
    page.goto(preview_url)
    question = page.locator("fieldset.sb-q").first
    question.locator(".sb-choice input").first.check()
    question.get_by_role("button", name="Check", exact=True).click()
    assert question.locator(".sb-result").text_content().strip()

    # The Hand in form under the quiz, as on the site (its script loads at the first save).
    page.locator(".sb-handin").get_by_role("button").first.wait_for()

    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ["violations"]});
        return r.violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "));
    }""")
    assert found == []

    # An edit: the open page shows it by itself.
    save(bank, good.replace("what was his position when he wrote it?", "what was his post in July 1960?", 1))
    page.wait_for_function("() => document.body.textContent.includes('what was his post in July 1960?')",
                           timeout=15_000)
    assert page.locator("body").get_attribute("data-preview-version") == "1"

    # A mistake: its problem at its line instead of the quiz.
    save(bank, good.replace("feedback:", "feedbak:", 1))
    page.locator(".sb-preview-problems").wait_for(timeout=15_000)
    problem = page.locator(".sb-preview-problems li").first.text_content()
    assert problem.startswith(f"{BANK}:") and "error[unknown-key]" in problem and "feedbak" in problem
    assert page.locator(".sb-quiz").count() == 0

    # Fixed: the quiz is back, with the answer given before (the same questions: saved progress
    # applies), and answers another.
    save(bank, good)
    page.locator(".sb-quiz").wait_for(timeout=15_000)
    page.locator(".sb-quiz > .sb-actions").wait_for(timeout=15_000)  # quiz.js has set it up (deferred script)
    assert page.locator(".sb-preview-problems").count() == 0
    question = page.locator("fieldset.sb-q").first
    assert question.locator(".sb-choice input").first.is_checked()
    # Another question (the first may be finished: its first choice, mixed per student, may have been right).
    other = page.locator("fieldset.sb-true-false").first
    other.locator(".sb-choice input").first.check()
    other.get_by_role("button", name="Check", exact=True).click()
    assert other.locator(".sb-result").text_content().strip()
