"""Browser tests: the real pages, served by Uvicorn, driven by Debian's Chromium.

Fixtures
    ``clock``        the live server's clock: starts at NOW, ``clock.advance(days=...)``
                     moves it (for commitments kept over weeks).
    ``live_server``  Mend on ``database_url`` (both backends) in a background thread on
                     127.0.0.1 and a free port; ``live_server.url("/path")``.
    ``team_server``  the same as a team server, with the account ana@example.org.
    ``browser``      one headless Chromium per session (per xdist worker).
    ``page``         a fresh context per test, 1280x800; JavaScript errors and CSP
                     violations on the page fail the test (``open_tab`` opens more,
                     one per person).
    ``shots``        ``shots(page, "name")`` saves test-artifacts/screenshots/<backend>/name.png.

Helpers: :func:`assert_accessible` runs the vendored axe-core and fails on a serious or
critical violation; :func:`assert_fits` checks a page has no horizontal scroll.

Playwright cannot download its own browser here: the tests launch the Chromium binary
given by ``chromium_path`` (MEND_TEST_CHROMIUM or /usr/bin/chromium) and skip (fail
under CI) without one.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.conftest import NOW, AppFactory, skip_or_fail

#: ``shots(page, name)`` saves a full-page screenshot and returns its path.
Shots = Callable[[Any, str], Path]

HERE = Path(__file__).parent
AXE_SCRIPT = HERE / "vendor" / "axe-4.11.4.min.js"
VIEWPORT = {"width": 1280, "height": 800}
#: axe impacts that fail a page.
BLOCKING_IMPACTS = ("serious", "critical")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


# --- the server ----------------------------------------------------------------------------


class MovableClock:
    """A pinned clock the test can move forward while the server runs."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, **delta: float) -> datetime:
        with self._lock:
            self._now += timedelta(**delta)
            return self._now


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(NOW)


@dataclass
class LiveServer:
    base: str
    backend: str

    def url(self, path: str = "/") -> str:
        return self.base + path


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


@contextmanager
def serving(mend_app: Any, backend: str) -> Iterator[LiveServer]:
    """Serve ``mend_app`` as `mend serve` runs it, on a socket bound here (port known)."""
    import uvicorn

    from mend.web.app import create_app

    sock = _free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(mend_app), log_level="warning", access_log=False, server_header=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="mend-live-server", daemon=True
    )
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while True:
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            pytest.fail(f"the Mend server on {base} did not answer /healthz")
        time.sleep(0.02)
    try:
        yield LiveServer(base=base, backend=backend)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def live_server(app_factory: AppFactory, clock: MovableClock, backend: str) -> Iterator[LiveServer]:
    with serving(app_factory(clock=clock, timezone="UTC"), backend) as server:
        yield server


@pytest.fixture
def team_server(app_factory: AppFactory, clock: MovableClock, backend: str) -> Iterator[LiveServer]:
    """A team server (`mend serve --team`) with one account, ``ana@example.org``."""
    from tests.teamtools import add_account

    mend_app = app_factory(clock=clock, timezone="UTC", team=True)
    add_account(mend_app, "ana@example.org", name="Ana")
    with serving(mend_app, backend) as server:
        yield server


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:  # pragma: no cover - dev dependency
        skip_or_fail("Playwright for Python is not installed (pip install -e '.[dev]')")
    # Two cores shared with a database server: give assertions room beyond the 5 s default.
    expect.set_options(timeout=10_000)
    # A container's small /dev/shm can crash the renderer; root needs --no-sandbox.
    args = ["--disable-dev-shm-usage"]
    if os.geteuid() == 0:
        args.append("--no-sandbox")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=chromium_path, headless=True, args=args
            )
        except Exception as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            skip_or_fail(f"Chromium at {chromium_path} does not start: {first_line}")
        yield chromium
        chromium.close()


@contextmanager
def open_tab(browser: Any, base: str) -> Iterator[Any]:
    """A tab in a browser context of its own (its own cookies: one person) on ``base``;
    JavaScript errors and CSP violations on its pages fail the test."""
    context = browser.new_context(viewport=VIEWPORT, base_url=base)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))

    def on_console(msg: Any) -> None:
        where = msg.location.get("url", "")
        # Chromium asks for /favicon.ico on its own (the pages link no icon), and logs
        # the 409/422 of a form shown again with its errors, as the pages are meant to.
        expected = where.endswith("/favicon.ico") or re.search(r"status of (409|422)\b", msg.text)
        if msg.type == "error" and not expected:
            problems.append(f"console {msg.type} at {where}: {msg.text}")

    tab.on("console", on_console)
    yield tab
    context.close()
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    with open_tab(browser, live_server.base) as tab:
        yield tab


@pytest.fixture
def shots(request: pytest.FixtureRequest, backend: str) -> Shots:
    folder = request.config.rootpath / "test-artifacts" / "screenshots" / backend
    folder.mkdir(parents=True, exist_ok=True)

    def shoot(tab: Any, name: str) -> Path:
        path = folder / f"{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    return shoot


# --- checks --------------------------------------------------------------------------------


def _load_axe(tab: Any) -> None:
    # Evaluated through the DevTools protocol, so the page's CSP (no inline script)
    # stays in force for the page's own code while axe runs.
    if not tab.evaluate("() => typeof window.axe === 'object'"):
        tab.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;undefined")


def axe_violations(tab: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the current page (WCAG 2.x A/AA and best practices)."""
    _load_axe(tab)
    result: dict[str, Any] = tab.evaluate(
        """async () => await window.axe.run(document, {
            resultTypes: ["violations"],
        })"""
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            target = " ".join(str(t) for t in node["target"])
            summary = node.get("failureSummary", "").strip().replace("\n", "\n        ")
            lines.append(f"    at {target}: {summary}")
            lines.append(f"       {node['html'][:160]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def assert_accessible(tab: Any, name: str) -> None:
    """No serious or critical axe-core violation on the page shown in ``tab``."""
    blocking = [v for v in axe_violations(tab) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"accessibility violations on {name} ({tab.url}):\n" + (
        describe_violations(blocking)
    )


def assert_fits(tab: Any, name: str, width: int = 360, *, shots: Shots | None = None) -> None:
    """Loaded at ``width`` pixels (as on a phone), the page scrolls only vertically.

    The page is reloaded at that width, so it must be one reached with GET. With
    ``shots`` the narrow page is saved as ``<name>-<width>.png`` too.
    """
    tab.set_viewport_size({"width": width, "height": 740})
    tab.reload(wait_until="load")
    # Let scripts that draw after load (the trust chart) lay themselves out.
    tab.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    if shots is not None:
        shots(tab, f"{name}-{width}")
    scroll_width = tab.evaluate("() => document.scrollingElement.scrollWidth")
    if scroll_width > width:
        wide = tab.evaluate(
            """(width) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > width + 1)
                .slice(0, 8)
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                     + (e.className && typeof e.className === 'string'
                        ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                     + ' right=' + Math.round(e.getBoundingClientRect().right))""",
            width,
        )
        tab.set_viewport_size(VIEWPORT)
        pytest.fail(
            f"{name} scrolls sideways at {width}px: scrollWidth {scroll_width}; "
            f"elements past the edge: {wide}"
        )
    tab.set_viewport_size(VIEWPORT)
