"""The preview's web server: one page on 127.0.0.1 that follows the files it shows.

Standard library only (:mod:`http.server`). The page loads the site's quiz
scripts and stylesheet (:mod:`sourcebook.quiz_assets`) from this server and
nothing from anywhere else. Its own small script asks ``/_preview/version``
for a version newer than the one it shows, and reloads the page when it gets
one. The server holds that question open until there is one (or for
:data:`HOLD` seconds, after which the page asks again), and while it holds it
looks at the files every :data:`LOOK_EVERY` seconds: it compares their
modification times and sizes with the last rendering's and renders again when
one changed. So there is no watcher thread, and a save shows within a few
hundredths of a second, while nothing is asked or sent while nothing changes.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qs, urlsplit

from ..minify import digest
from ..quiz_assets import on_demand_scripts, quiz_scripts, quiz_stylesheets, static_file
from .render import Rendered, problems_html

#: Where the page finds its scripts, stylesheets and the version number.
PREFIX = "/_preview/"
#: The preview's own files, beside this module; the site's come from ``sourcebook/static``.
OWN_FILES = ("preview.js", "preview.css")
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".svg": "image/svg+xml", ".json": "application/json; charset=utf-8"}
FAVICON = "favicon.svg"
#: How long the server holds a page's question for a newer version while nothing changes, in seconds.
HOLD = 20.0
#: How often it looks at the files meanwhile, in seconds.
LOOK_EVERY = 0.02

#: Each file's modification time, size and inode; None for a file missing now.
Signature = dict[Path, tuple[int, int, int] | None]


def signature(files: set[Path]) -> Signature:
    """What tells a saved file from the one rendered: each file's modification time, size and inode
    (a missing file that appears later is a change too)."""
    found: Signature = {}
    for path in files:
        try:
            st = path.stat()
        except OSError:
            found[path] = None
        else:
            found[path] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return found


class Preview:
    """What the server shows: the latest rendering of the target and its version number.

    ``render`` makes a fresh :class:`Rendered` from the files; :meth:`refresh`
    calls it again when a file it read has changed since, and counts a new version.
    """

    def __init__(self, render: Callable[[], Rendered], label: str, log: TextIO | None = None):
        self.render = render
        self.label = label
        self.log = log
        self.version = 0
        self.lock = threading.Lock()
        self.rendered = self._render()
        self.seen = signature(self.rendered.files)
        self.updated = time.strftime("%H:%M:%S")

    def _render(self) -> Rendered:
        try:
            rendered = self.render()
        except Exception as exc:  # the preview stays up; the page says what went wrong
            note = f"{self.label}: the preview failed: {type(exc).__name__}: {exc}"
            rendered = Rendered(self.label, problems_html([], [note]), notes=[note])
        if self.log is not None:
            for p in rendered.problems:
                print(p, file=self.log)
            for note in rendered.notes:
                print(note, file=self.log)
            print(f"{self.label}: {rendered.errors} error{'s' * (rendered.errors != 1)}, {rendered.warnings} "
                  f"warning{'s' * (rendered.warnings != 1)} ({time.strftime('%H:%M:%S')})", file=self.log)
            self.log.flush()
        return rendered

    def refresh(self) -> int:
        """Renders again if a file the last rendering read has changed; returns the version."""
        with self.lock:
            before = signature(set(self.seen))
            if before != self.seen:
                self.rendered = self._render()
                # Files read before as they were before rendering: a save while it ran shows next time.
                self.seen = {**signature(self.rendered.files), **{
                    path: before[path] for path in self.rendered.files if path in before}}
                self.version += 1
                self.updated = time.strftime("%H:%M:%S")
            return self.version

    def newer_than(self, shown: int, hold: float) -> int:
        """The version, once it is not ``shown`` (looking at the files every :data:`LOOK_EVERY` s), or after ``hold``
        seconds with nothing changed."""
        end = time.monotonic() + hold
        while (version := self.refresh()) == shown and time.monotonic() < end:
            time.sleep(LOOK_EVERY)
        return version

    def page(self) -> str:
        """The whole HTML page of the current version."""
        with self.lock:
            r, version, updated = self.rendered, self.version, self.updated
        links = "".join(f'<link rel="stylesheet" href="{escape(_address(name))}">'
                        for name in (*quiz_stylesheets(), "preview.css"))
        scripts = "".join(f'<script defer src="{escape(_address(name))}"></script>'
                          for name in (*quiz_scripts(r.body), "preview.js"))
        state = "sb-preview-errors" if r.errors else "sb-preview-ok"
        status = (f"{r.errors} error{'s' * (r.errors != 1)}, {r.warnings} warning{'s' * (r.warnings != 1)}"
                  if r.errors or r.warnings else "no problems")
        return ("<!DOCTYPE html>\n"
                f'<html lang="{escape(page_language(r.language))}"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>Preview: {escape(r.title)}</title>"
                f'<link rel="icon" href="{escape(_address(FAVICON))}" type="image/svg+xml">{links}{scripts}</head>'
                f'<body data-preview-version="{version}">'
                f'<header class="sb-preview-bar {state}" lang="en"><p>Preview of <code>{escape(self.label)}</code>: '
                f'<span class="sb-preview-status">{status}</span> (updated {updated}). It follows your saves; '
                "students see the page below. "
                f'<span class="sb-preview-stopped" role="alert" hidden>The preview has stopped: '
                "run <code>sourcebook preview</code> again.</span></p></header>"
                f'<main class="sb-preview-main">{r.body}</main></body></html>\n')


def page_language(language: str | None) -> str:
    """An HTML ``lang`` for a Sphinx ``language`` (``zh_CN`` gives ``zh-CN``)."""
    return (language or "en").replace("_", "-")


def _asset(name: str) -> bytes | None:
    """A file the page may load: the site's quiz scripts (those quiz.js loads on demand too) and styles, its
    favicon, the preview's own."""
    if name in OWN_FILES:
        return resources.files("sourcebook.preview").joinpath(name).read_bytes()
    if name in (*quiz_scripts(), *on_demand_scripts(), *quiz_stylesheets(), FAVICON):
        return static_file(name)
    return None


def _digest(data: bytes) -> str:
    return digest(data)[:16]


def _address(name: str) -> str:
    """Where the page loads one of :func:`_asset`: with the digest of its bytes, so that the browser keeps it
    while it stays the same (a reload after a save fetches only the page) and fetches it again once it changes."""
    data = _asset(name)
    return f"{PREFIX}{name}?v={_digest(data) if data is not None else ''}"


class _Handler(BaseHTTPRequestHandler):
    preview: Preview
    # Every answer says its length, so the page's requests can share a connection.
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows the bank's problems, not every request

    def _send(self, status: HTTPStatus, content_type: str, data: bytes, *, kept: bool = False) -> None:
        """Sends ``data``; the browser may keep it (``kept``) only when its address names its bytes."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=31536000, immutable" if kept else "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_GET(self) -> None:
        # Only addressed as this computer: a web page elsewhere cannot read the preview by renaming its host.
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        if host not in ("127.0.0.1", "localhost"):
            self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", b"not this host\n")
            return
        address = urlsplit(self.path)
        path = address.path
        if path == "/":
            self.preview.refresh()
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", self.preview.page().encode("utf-8"))
        elif path == PREFIX + "version":
            # ?newer-than=N: answered once the version is not N (see HOLD); without it, at once.
            shown = parse_qs(address.query).get("newer-than", [""])[0]
            version = self.preview.newer_than(int(shown), HOLD) if shown.isdigit() else self.preview.refresh()
            data = json.dumps({"version": version}).encode("utf-8")
            self._send(HTTPStatus.OK, _TYPES[".json"], data)
        elif path.startswith(PREFIX) and (asset := _asset(path[len(PREFIX):])) is not None:
            kept = parse_qs(address.query).get("v", [""])[0] == _digest(asset)
            self._send(HTTPStatus.OK, _TYPES.get(Path(path).suffix, "application/octet-stream"), asset, kept=kept)
        else:
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found\n")

    do_HEAD = do_GET


class PreviewServer(ThreadingHTTPServer):
    """The preview's server on 127.0.0.1; ``port`` 0 takes a free one (see :attr:`url`)."""

    daemon_threads = True

    def __init__(self, preview: Preview, port: int = 0):
        handler = type("PreviewHandler", (_Handler,), {"preview": preview})
        super().__init__(("127.0.0.1", port), handler)
        self.preview = preview

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A page closed while it waited for an answer is no error; anything else is one line, not a traceback.
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            return
        print(f"sourcebook preview: a request failed: {type(error).__name__}: {error}",
              file=self.preview.log or sys.stderr)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


def serve(preview: Preview, port: int = 0, *, on_ready: Callable[[str], None] | None = None) -> None:
    """Serves until Ctrl-C, then closes the socket. Raises OSError when the port cannot be had."""
    server = PreviewServer(preview, port)
    try:
        if on_ready is not None:
            on_ready(server.url)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    print("preview stopped", file=preview.log or sys.stderr)
