"""``sourcebook preview``: the server on a free port, a copy of a course bank edited,
broken and fixed while it runs, a module page's quizzes, and the command's errors."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from html import escape
from pathlib import Path

import pytest
import yaml

from sourcebook import html as quiz_html_module
from sourcebook.cli import check_paths
from sourcebook.i18n import strings_for
from sourcebook.loader import load_bank
from sourcebook.pages import read_page
from sourcebook.preview import Preview, PreviewServer, renderer
from sourcebook.preview import server as server_module
from sourcebook.quiz_assets import quiz_scripts, quiz_stylesheets, static_file
from sourcebook.results import question_fingerprint

ROOT = Path(__file__).resolve().parent.parent
BANK = "01-meeting-the-source.yml"
MODULE = "01-meeting-the-source"


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the course's first module, its bank and sources; the working folder, as for a teacher."""
    for name in ("questions", "sources"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "modules" / MODULE, tmp_path / "modules" / MODULE)
    shutil.copy2(ROOT / "_config.yml", tmp_path / "_config.yml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def start(target: str) -> tuple[str, PreviewServer]:
    server = PreviewServer(Preview(renderer(target), target), 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server.url, server


@pytest.fixture
def preview() -> Iterator[object]:
    servers: list[PreviewServer] = []

    def open_(target: str) -> str:
        url, server = start(target)
        servers.append(server)
        return url

    yield open_
    for server in servers:
        server.shutdown()
        server.server_close()


def get(url: str, host: str | None = None) -> str:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(response.read().decode("utf-8"))


def version(url: str) -> int:
    return int(re.search(r"\d+", get(url + "_preview/version")).group())  # type: ignore[union-attr]


def save(path: Path, text: str) -> None:
    """Writes ``text`` as an editor saves, with a modification time surely later than the last."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def test_the_page_is_the_sites_quiz_with_the_sites_scripts(course: Path, preview: object) -> None:
    url = preview(f"questions/{BANK}")  # type: ignore[operator]
    page = get(url)
    bank = load_bank(course / "questions" / BANK)
    # The site's renderer wrote it: every question of the bank, in the quiz markup quiz.js reads.
    assert 'data-sourcebook-quiz=""' in page
    assert [m for m in re.findall(r'data-id="([^"]+)"', page)] == [q.id for q in bank.questions]
    assert f'data-fingerprint="{quiz_html_module.fingerprint(bank.questions)}"' in page
    # The scripts and stylesheets of the site's quiz pages, in their order, served as the package has them.
    scripts = re.findall(r'<script defer src="/_preview/([^"?]+)\?v=([0-9a-f]{16})"', page)
    assert [name for name, _ in scripts[:-1]] == list(quiz_scripts(page)) and scripts[-1][0] == "preview.js"
    assert "types/single.js" in dict(scripts)
    styles = re.findall(r'<link rel="stylesheet" href="/_preview/([^"?]+)\?v=([0-9a-f]{16})"', page)
    assert [name for name, _ in styles] == [*quiz_stylesheets(), "preview.css"]
    for name, digest in [*scripts, *styles]:
        # Each file's address names its bytes: the browser keeps it, and a reload after a save fetches only the page.
        with urllib.request.urlopen(f"{url}_preview/{name}?v={digest}") as response:
            assert response.headers["Cache-Control"] == "max-age=31536000, immutable"
            assert hashlib.sha256(body := response.read()).hexdigest()[:16] == digest
            assert name not in (*quiz_scripts(page), *quiz_stylesheets()) or body == static_file(name)
        # Asked for by another address (not this version's, or none), it is sent but not kept.
        for asked in (f"{url}_preview/{name}", f"{url}_preview/{name}?v={'0' * 16}"):
            with urllib.request.urlopen(asked) as response:
                assert response.headers["Cache-Control"] == "no-store" and response.read() == body
    # What the site writes after a quiz for its Hand in form: the bank from the book's top, the course's title.
    meta = re.search(r'</div><script type="application/json" class="sb-handin-meta">(.*?)</script>', page)
    assert meta is not None
    data = json.loads(meta.group(1))
    assert data["bank"] == f"questions/{BANK}"
    assert data["course"] == yaml.safe_load((course / "_config.yml").read_text(encoding="utf-8"))["title"]
    assert data["fingerprints"] == {q.id: question_fingerprint(q) for q in bank.questions}
    # Nothing from another host; nothing else served.
    assert not re.search(r'(src|href)="(https?:)?//', page)
    with pytest.raises(urllib.error.HTTPError) as missing:
        get(url + "_preview/../../pyproject.toml")
    assert missing.value.code == 404


def test_a_save_gives_a_new_version_with_the_new_content(course: Path, preview: object) -> None:
    url = preview(f"questions/{BANK}")  # type: ignore[operator]
    bank = course / "questions" / BANK
    assert version(url) == 0
    assert version(url) == 0  # asking again, with nothing saved, changes nothing
    text = bank.read_text(encoding="utf-8")
    old = "Who wrote the report, and what was his position when he wrote it?"
    save(bank, text.replace(old, "Who signed this report?", 1))
    assert version(url) == 1
    page = get(url)
    assert "Who signed this report?" in page and old not in page
    assert 'data-preview-version="1"' in page
    # The source the bank cites is watched too.
    source = course / "sources" / "nie-rongzhen-1960.yml"
    save(source, source.read_text(encoding="utf-8"))
    assert version(url) == 2


def test_a_source_missing_then_written_shows_the_quiz(course: Path, preview: object) -> None:
    """A bank may be written before its source, or its source deleted and written again (a checkout): the missing
    file is watched too, and the quiz shows as soon as it is there."""
    source = course / "sources" / "nie-rongzhen-1960.yml"
    text = source.read_text(encoding="utf-8")
    source.unlink()
    url = preview(f"questions/{BANK}")  # type: ignore[operator]
    assert "error[source-missing]" in get(url) and "data-sourcebook-quiz" not in get(url)
    source.write_text(text, encoding="utf-8")
    assert version(url) == 1
    assert "data-sourcebook-quiz" in get(url) and "source-missing" not in get(url)
    source.unlink()
    assert version(url) == 2 and "error[source-missing]" in get(url)
    source.write_text(text, encoding="utf-8")
    assert version(url) == 3 and "data-sourcebook-quiz" in get(url)


def test_a_page_asking_for_a_newer_version_is_answered_at_the_save(course: Path, preview: object,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    url = preview(f"questions/{BANK}")  # type: ignore[operator]
    bank = course / "questions" / BANK

    def newer_than(shown: str) -> int:
        return int(json.loads(get(url + "_preview/version?newer-than=" + shown))["version"])

    # Nothing saved: the question is held, then answered with the version the page shows (it asks again).
    monkeypatch.setattr(server_module, "HOLD", 0.3)
    assert newer_than("0") == 0
    # A number the server never gave, or none: answered at once.
    assert newer_than("7") == 0 and newer_than("x") == 0
    # Held for a minute, the question is answered by the save, not by the end of the wait.
    monkeypatch.setattr(server_module, "HOLD", 60.0)
    answers: list[int] = []
    asking = threading.Thread(target=lambda: answers.append(newer_than("0")), daemon=True)
    asking.start()
    asking.join(timeout=0.5)
    assert asking.is_alive() and answers == []
    save(bank, bank.read_text(encoding="utf-8").replace("what was his position", "what was his post", 1))
    asking.join(timeout=30)
    assert answers == [1]
    assert "what was his post" in get(url)


def test_a_broken_bank_shows_its_problems_at_their_lines_then_the_quiz_again(course: Path, preview: object) -> None:
    url = preview(f"questions/{BANK}")  # type: ignore[operator]
    bank = course / "questions" / BANK
    good = bank.read_text(encoding="utf-8")
    save(bank, good.replace("feedback:", "feedbak:", 1))
    assert version(url) == 1
    page = get(url)
    problems = [str(p) for p in check_paths([f"questions/{BANK}"])]
    assert problems and problems[0].startswith(f"questions/{BANK}:") and "error[unknown-key]" in problems[0]
    # Each as `sourcebook check` prints it, with the line it is about; no quiz.
    shown = [escape(p) for p in problems]
    for line in shown:
        assert f"<code>{line}</code>" in page
    number = int(problems[0].split(":")[1])
    assert f"{number} |         feedbak:" in page
    assert "data-sourcebook-quiz" not in page
    assert "1 error, 0 warnings" in page
    save(bank, good)
    assert version(url) == 2
    page = get(url)
    assert "data-sourcebook-quiz" in page and "feedbak" not in page


def test_a_module_page_shows_its_quizzes_as_the_site_chooses_them(course: Path, preview: object) -> None:
    url = preview(f"modules/{MODULE}")  # type: ignore[operator]
    page = get(url)
    # The key the site gives the page's first quiz, and its questions.
    key = f"modules/{MODULE}/index:{Path(BANK).stem}:1"
    assert f'data-key="{key}"' in page
    assert f'id="{quiz_html_module.quiz_anchor(key)}"' in page
    assert "<h2>Central question</h2>" in page
    # The student edition: no instructor notes or model answers.
    assert "instructor-note" not in page and "model-answer" not in page
    # Editing the page's quiz (a draw of 3) shows the same draw as the site's.
    index = course / "modules" / MODULE / "index.md"
    save(index, index.read_text(encoding="utf-8").replace(f"```{{quiz}} /questions/{BANK}\n",
                                                          f"```{{quiz}} /questions/{BANK}\n:count: 3\n", 1))
    assert version(url) == 1
    page = get(url)
    call = read_page(index).quizzes[0]
    drawn = call.spec.select(load_bank(call.bank).questions, default_seed=f"modules/{MODULE}/index")
    assert re.findall(r'data-id="([^"]+)"', page) == [q.id for q in drawn] and len(drawn) == 3
    # The module's bank, broken: its problems stand where the quiz was.
    bank = course / "questions" / BANK
    save(bank, bank.read_text(encoding="utf-8").replace("type: single", "type: singel", 1))
    assert version(url) == 2
    page = get(url)
    assert "data-sourcebook-quiz" not in page and "error[unknown-type]" in page and "<h2>Central question</h2>" in page
    # A misspelt bank or source is named with the file beside it.
    text = index.read_text(encoding="utf-8")
    save(index, text.replace(f"/questions/{BANK}", "/questions/01-meeting-the-sourse.yml")
         .replace("{source-excerpt} /sources/nie-rongzhen-1960.yml", "{source-excerpt} /sources/nie-rongzhen-1690.yml"))
    assert version(url) == 3
    page = get(url)
    assert "did you mean `01-meeting-the-source.yml`?" in page
    assert "did you mean `nie-rongzhen-1960.yml`?" in page
    # Each of the page's problems is one line as `sourcebook check` prints it: place, code, message.
    save(index, text.replace(f"```{{quiz}} /questions/{BANK}\n", f"```{{quiz}} /questions/{BANK}\n:cuont: 3\n", 1)
         .replace(":paragraphs: ", ":paragraphs: p99, ", 1))
    assert version(url) == 4
    page = get(url)
    checked = [escape(str(p)) for p in check_paths([str(index.relative_to(course))])]
    assert len(checked) == 2 and any("error[quiz-option]" in c for c in checked) \
        and any("error[source-option]" in c for c in checked), checked
    for line in checked:
        assert f"<code>{line}</code>" in page, line


def test_only_this_computer_may_ask(course: Path, preview: object) -> None:
    url = preview(f"questions/{BANK}")  # type: ignore[operator]
    with pytest.raises(urllib.error.HTTPError) as refused:
        get(url, host="preview.example.com")
    assert refused.value.code == 403


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "sourcebook.cli", "preview", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("target", "message"), [
    ("questions/nothing.yml", "no file or folder at questions/nothing.yml"),
    ("modules", "modules has no index.md"),
    ("sources/nie-rongzhen-1960.yml", "is a source file; preview a bank that cites it"),
    ("_config.yml/x", "no file or folder"),
    # A misspelt bank or module is named with the nearest name beside it.
    ("questions/01-meting-the-source.yml", "; did you mean `01-meeting-the-source.yml`?; give a bank"),
    ("modules/01-meting-the-source", "; did you mean `01-meeting-the-source`?; give a bank"),
])
def test_bad_targets_get_a_message_not_a_traceback(course: Path, target: str, message: str) -> None:
    run = run_cli(target, cwd=course)
    assert run.returncode == 1
    assert message in run.stderr and "Traceback" not in run.stderr


def test_a_port_taken_or_impossible_is_named(course: Path, preview: object) -> None:
    url = preview(f"questions/{BANK}")  # type: ignore[operator]
    port = url.rsplit(":", 1)[1].strip("/")
    run = run_cli(f"questions/{BANK}", "--port", port, cwd=course)
    assert run.returncode == 1 and f"cannot listen on 127.0.0.1:{port}" in run.stderr
    assert "Traceback" not in run.stderr
    run = run_cli(f"questions/{BANK}", "--port", "70000", cwd=course)
    assert run.returncode == 2 and "a port is a whole number from 0 to 65535" in run.stderr


def test_ctrl_c_stops_cleanly(course: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen([sys.executable, "-m", "sourcebook.cli", "preview", f"questions/{BANK}"],
                               cwd=course, env=env, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        lines.append(process.stderr.readline())
        if match := re.search(r"at (http://127\.0\.0\.1:\d+/)", lines[-1]):
            break
    assert match, lines
    assert "data-sourcebook-quiz" in get(match.group(1))
    process.send_signal(signal.SIGINT)
    rest = process.stderr.read()
    assert process.wait(timeout=30) == 0
    assert "preview stopped" in rest and "Traceback" not in rest


def test_a_page_closed_while_waiting_is_no_error(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server = PreviewServer(Preview(renderer(f"questions/{BANK}"), BANK, log=sys.stderr), 0)
    try:
        for error in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset"), ValueError("odd")):
            try:
                raise error
            except Exception:
                server.handle_error(None, ("127.0.0.1", 1))
    finally:
        server.server_close()
    err = capsys.readouterr().err
    assert "Broken pipe" not in err and "reset" not in err and "Traceback" not in err
    assert "sourcebook preview: a request failed: ValueError: odd" in err


def test_warnings_stand_above_the_quiz(course: Path, preview: object) -> None:
    bank = course / "questions" / BANK
    text = bank.read_text(encoding="utf-8")
    # A question with neither feedback nor an explanation: a warning, not an error.
    save(bank, text + "  - id: bare\n    type: true-false\n    skill: sourcing\n"
                      "    prompt: Nie wrote to Mao.\n    answer: true\n")
    url = preview(f"questions/{BANK}")  # type: ignore[operator]
    problems = [str(p) for p in check_paths([f"questions/{BANK}"])]
    page = get(url)
    if any(" error[" in p for p in problems):
        pytest.fail(f"the edit made an error, not a warning: {problems}")
    assert any("warning[no-feedback]" in p for p in problems)
    assert all(f"<code>{escape(p)}</code>" in page for p in problems)
    assert "data-sourcebook-quiz" in page
    assert page.index("sb-preview-problems") < page.index("data-sourcebook-quiz")


def test_the_books_language_is_the_pages_and_follows_its_config(course: Path, preview: object) -> None:
    url = preview(f"questions/{BANK}")  # type: ignore[operator]
    assert '<html lang="en">' in get(url)
    save(course / "_config.yml", "title: A course\nlanguage: zh_CN\n")
    assert version(url) == 1
    page = get(url)
    assert '<html lang="zh-CN">' in page
    assert escape(strings_for("zh_CN")["noscript"]) in page and strings_for("zh_CN")["noscript"] != \
        strings_for("en")["noscript"]
