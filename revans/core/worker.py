"""The background worker loop: `revans worker`, or a thread inside `revans serve`."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections

from revans.core import mail

logger = logging.getLogger(__name__)


def run_once() -> int:
    """One pass: due reminders become outbox rows, then due outbox rows are sent.

    Returns how much work was done (0 when idle)."""
    # Imported here: core is below the apps; the worker is where they meet.
    from revans.notifications.render import process_due_notifications

    close_old_connections()
    try:
        return process_due_notifications() + mail.deliver_due_emails()
    finally:
        close_old_connections()


def run_forever(stop: threading.Event, poll_seconds: float = 2.0) -> None:
    logger.info("worker started")
    while not stop.is_set():
        try:
            while run_once():
                pass
        except Exception:  # keep the loop alive; the row stays pending for the next pass
            logger.exception("worker pass failed")
        mail.wait_for_work(poll_seconds)
    logger.info("worker stopped")


def start_in_thread() -> threading.Event:
    stop = threading.Event()
    threading.Thread(target=run_forever, args=(stop,), name="revans-worker", daemon=True).start()
    return stop
