"""Browser tests: the real app served in a subprocess, a real SMTP server, Debian's Chromium.

Fixtures:
- `smtp_server`: an aiosmtpd server catching every email the served app sends.
- `live_server_url`: the app served by `revans serve` against the test database. Using it makes a
  test transactional (`transactional_db`): what the test writes is committed, so the server sees it,
  and every table is emptied after the test.
- `browser`: one headless Chromium per test module; `new_page(viewport=...)` opens a page in a fresh
  context (its own cookies: one per person), `page` is one such page at 1280x800.
On failure: screenshots of every open page go to test-artifacts/, and the server's log and the
pages' console errors are added to the report.
"""

from __future__ import annotations

import email
import os
import re
import threading
import time
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage

import pytest

from revans.testing_server import ROOT, ServerFailed, database_env, free_port, serve

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps dialling out of a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_VIEWPORT = {"width": 1280, "height": 800}
ARTIFACTS = ROOT / "test-artifacts"
LINK = re.compile(r"https?://[^\s<>\"')\]]+")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
    if report.when == "call" and report.failed:
        for title, text in getattr(item, "_revans_failure_sections", lambda: [])():
            report.sections.append((title, text))


@pytest.fixture(autouse=True)
def _orm_beside_playwright(monkeypatch):
    # Playwright's sync API keeps an event loop on the main thread, which Django's async-safety
    # check mistakes for async code; tests here call the ORM between page actions, never inside one.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# --- email ---------------------------------------------------------------------------------


@dataclass
class CaughtEmail:
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        body = self.message.get_body(preferencelist=("plain", "html"))
        return body.get_content() if body is not None else ""

    def first_link(self) -> str:
        found = LINK.search(self.text)
        assert found, f"no link in the email {self.subject!r}:\n{self.text}"
        return found.group(0)


@dataclass
class MailSink:
    """Collects every message; `wait_for(to)` hands each message out once, oldest first."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[CaughtEmail] = field(default_factory=list)
    _taken: set[int] = field(default_factory=set)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=policy.default)
        with self._changed:
            self.messages.append(
                CaughtEmail([r.lower() for r in envelope.rcpt_tos], message)  # type: ignore[arg-type]
            )
            self._changed.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, to: str, timeout: float = 15.0) -> CaughtEmail:
        to = to.lower()
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for index, caught in enumerate(self.messages):
                    if index not in self._taken and to in caught.recipients:
                        self._taken.add(index)
                        return caught
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(m.recipients, m.subject) for m in self.messages]
                    raise AssertionError(
                        f"no email to {to} within {timeout:.0f}s; emails caught: {seen}"
                    )
                self._changed.wait(remaining)

    def first_link_to(self, to: str, timeout: float = 15.0) -> str:
        return self.wait_for(to, timeout).first_link()


@pytest.fixture(scope="session")
def smtp_server():
    from aiosmtpd.controller import Controller

    sink = MailSink(port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    yield sink
    controller.stop()


# --- the served app ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _served_app(django_db_setup, smtp_server, tmp_path_factory):
    # Session scope: one server start for all browser tests; transactional_db empties the tables
    # between tests. Started, awaited and stopped as the other served tests and the benchmark
    # do (revans.testing_server). Depending on django_db_setup makes the server stop before the test
    # database is dropped.
    from django.db import connections

    port = free_port()
    var_dir = tmp_path_factory.mktemp("revans-served")
    env = {
        **os.environ,
        **database_env(connections["default"].settings_dict),
        "REVANS_VAR_DIR": str(var_dir),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_HOST": smtp_server.host,
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_USE_TLS": "",
        "EMAIL_USE_SSL": "",
        "REVANS_OUTBOX_PAGE": "",
        "REVANS_DELIVER_ON_COMMIT": "",
        "REVANS_TEST_FAST_HASHER": "1",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "revans.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    try:
        app = serve(env, var_dir / "server.log", port=port)
    except ServerFailed as failed:
        pytest.fail(str(failed))
    try:
        yield app
    finally:
        app.stop()


@pytest.fixture
def live_server_url(_served_app, transactional_db, request) -> str:
    offset = _served_app.log_size()
    previous = getattr(request.node, "_revans_failure_sections", lambda: [])

    def sections():
        log = _served_app.log_since(offset).strip()
        return [*previous(), ("revans server log", log or "(empty)")]

    request.node._revans_failure_sections = sections
    if _served_app.process.poll() is not None:
        pytest.fail(f"`revans serve` has exited:\n{_served_app.log_since(0)}")
    return _served_app.url


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    # Module scope, not session: Playwright's sync API holds an event loop on the main thread
    # while it runs, which would break Django's and asgiref's sync code in the tests after it.
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, request):
    """`new_page(viewport=None, **context_options)`: a page in its own context (own cookies)."""
    pages = []
    console_errors: list[str] = []

    def record_console(message) -> None:
        if message.type in {"error", "warning"}:
            console_errors.append(f"{message.type}: {message.text}")

    def open_page(viewport: dict | None = None, **context_options):
        context = browser.new_context(viewport=viewport or DEFAULT_VIEWPORT, **context_options)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.on("console", record_console)
        page.on("pageerror", lambda exc: console_errors.append(f"page error: {exc}"))
        pages.append(page)
        return page

    previous = getattr(request.node, "_revans_failure_sections", lambda: [])
    request.node._revans_failure_sections = lambda: [
        *previous(),
        ("browser console", "\n".join(console_errors) or "(nothing)"),
    ]
    yield open_page

    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        for index, page in enumerate(pages):
            try:
                page.screenshot(path=str(ARTIFACTS / f"{stem}-{index}.png"), full_page=True)
            except Exception as exc:  # a closed page must not hide the real failure
                print(f"screenshot {index} failed: {exc}")
    for page in pages:
        page.context.close()


@pytest.fixture
def page(new_page):
    return new_page()
