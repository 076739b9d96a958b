"""A worker killed (SIGKILL) mid-batch and restarted: nothing lost, nothing sent twice.

The real `revans worker` runs in a subprocess against the test database and a real SMTP
server (aiosmtpd) in this process. The server holds its answer to the third message until
the worker has been killed, so the kill lands in the one window that cannot be decided: the
server has the message, the worker never heard so. As documented in revans.core.mail, that
row becomes "interrupted" (at most once) and is not sent again by itself; every other row,
including the ones the dead worker had claimed but not started, is sent exactly once.

It lives among the app's tests, not in tests/, on purpose: the browser tests' served app runs
a worker of its own against the same database from its first use to the end of the session,
and would take these rows; tests under revans/ run before the browser tests.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connections

from revans.core.models import OutboundEmail
from revans.notifications.tests.helpers import due_rows, outbox_ids_received
from tests.browser.conftest import ROOT, MailSink, _database_env, free_port

Status = OutboundEmail.Status
LEASE_SECONDS = 2
HELD = 3  # the server holds its answer to this message (1-based)


class HoldingSink(MailSink):
    """Keeps every message; does not answer the HELD-th until released."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        answer = await super().handle_DATA(server, session, envelope)
        if len(self.messages) == HELD and not self.release.is_set():
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return answer


def start_worker(tmp_path: Path, sink: MailSink) -> tuple[subprocess.Popen, Path]:
    env = {
        **os.environ,
        **_database_env(connections["default"].settings_dict),
        "REVANS_VAR_DIR": str(tmp_path),
        "EMAIL_HOST": sink.host,
        "EMAIL_PORT": str(sink.port),
        "EMAIL_USE_TLS": "",
        "EMAIL_USE_SSL": "",
        "REVANS_DELIVER_ON_COMMIT": "",
        "REVANS_EMAIL_LEASE_SECONDS": str(LEASE_SECONDS),
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "revans.settings",
    }
    log_path = tmp_path / f"worker-{time.monotonic_ns()}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "revans.cli", "worker"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return process, log_path


def wait_until(condition, timeout: float, what: str, log_path: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    log = log_path.read_text() if log_path and log_path.exists() else ""
    pytest.fail(f"timed out waiting for {what}\n{log}")


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(tmp_path):
    from aiosmtpd.controller import Controller

    sink = HoldingSink(port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    ids = due_rows(8)
    first, first_log = start_worker(tmp_path, sink)
    try:
        # Generous: a loaded machine can take long to start Python and Django.
        if not sink.holding.wait(120):
            pytest.fail(f"the worker sent nothing\n{first_log.read_text()}")
        held_id = ids[HELD - 1]
        # The worker is inside the SMTP conversation of the third row, batch claimed.
        assert OutboundEmail.objects.get(pk=held_id).status == Status.SENDING
        assert OutboundEmail.objects.filter(pk__in=ids[: HELD - 1], status=Status.SENT).count() == 2
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
        sink.release.set()

    second, second_log = start_worker(tmp_path, sink)
    try:
        settled = {Status.SENT, Status.INTERRUPTED}
        wait_until(
            lambda: (
                set(OutboundEmail.objects.filter(pk__in=ids).values_list("status", flat=True))
                <= settled
            ),
            timeout=60,
            what="every row to be sent or interrupted",
            log_path=second_log,
        )
    finally:
        second.terminate()
        second.wait(timeout=10)
        controller.stop()

    rows = {row.pk: row for row in OutboundEmail.objects.filter(pk__in=ids)}
    assert rows[held_id].status == Status.INTERRUPTED
    assert all(rows[i].status == Status.SENT for i in ids if i != held_id)
    # Every message reached the server exactly once: the held one from the dead worker
    # (not repeated), the rest from either worker.
    assert Counter(outbox_ids_received(sink)) == Counter(ids)
