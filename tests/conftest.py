"""Shared test fixtures: paths, a local web server, and headless Chromium.

Browser tests use Debian's Chromium through Playwright (never a downloaded
browser). Where Chromium is missing they skip, except in CI (CI=true), where
they fail: CI must run them.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("SOURCEBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# The in-browser notebooks (a JupyterLite build of half a minute or more) are off in
# the test books; the real course's tests turn them on (tests/course/conftest.py).
os.environ.setdefault("SOURCEBOOK_LITE", "false")


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository's top folder."""
    return ROOT


def _require_chromium() -> None:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return
    message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if IN_CI:
        pytest.fail(message + "; browser tests must run in CI")
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A Playwright Browser: Debian's headless Chromium with a fresh profile."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        # Playwright gives each context a fresh profile; the folder keeps the one
        # Chromium itself wants out of the home directory.
        os.environ.setdefault("XDG_CONFIG_HOME", str(profile))
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class PageWatch:
    """What a page did that a test must refuse: console errors, page errors, foreign requests."""

    def __init__(self, allowed_hosts: set[str]):
        self.allowed_hosts = allowed_hosts
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.foreign_requests: list[str] = []

    def on_request(self, request: Any) -> None:
        url = urlparse(request.url)
        if url.scheme in ("data", "blob", "about", "file", "chrome-extension", "devtools"):
            return
        if url.hostname not in self.allowed_hosts:
            self.foreign_requests.append(request.url)

    def assert_clean(self) -> None:
        assert not self.foreign_requests, f"requests to other hosts: {self.foreign_requests}"
        assert not self.page_errors, f"page errors: {self.page_errors}"
        assert not self.console_errors, f"console errors: {self.console_errors}"


@pytest.fixture
def local_context(chromium: Any) -> Iterator[Any]:
    """A fresh browser context (own storage) in which any request to another host is stopped."""
    context = chromium.new_context()
    context.route(
        "**/*",
        lambda route: route.abort()
        if urlparse(route.request.url).hostname not in (None, "", "127.0.0.1", "localhost")
        else route.continue_(),
    )
    yield context
    context.close()


@pytest.fixture
def page(local_context: Any) -> Iterator[Any]:
    """A fresh browser page (own context and storage) that fails the test on any
    console error, page error or request to a host other than this machine."""
    page = local_context.new_page()
    watch = PageWatch({"127.0.0.1", "localhost"})
    page.on("request", watch.on_request)
    page.on("console", lambda m: watch.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.page_errors.append(str(e)))
    page.watch = watch
    yield page
    page.close()
    watch.assert_clean()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(directory: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    """Serve a folder on 127.0.0.1 at a free port; returns (base URL, server)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


@pytest.fixture
def served() -> Iterator[Any]:
    """For one test: ``served(folder)`` serves a folder on 127.0.0.1 and returns its base URL."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(directory: Path) -> str:
        base, server = serve(directory)
        servers.append(server)
        return base

    yield start
    for server in servers:
        server.shutdown()
