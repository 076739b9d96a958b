"""Delivering the outbox to a real SMTP server: once, with retries, and never twice.

(These run before tests/browser/, whose served app has a worker of its own on the same
database; see test_worker_killed.py.)"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from revans.core import mail
from revans.core.models import OutboundEmail
from revans.notifications.tests.helpers import due_rows, message_ids
from tests.browser.conftest import free_port

Status = OutboundEmail.Status
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_queued_email_arrives_over_smtp_with_its_headers_and_attachment(real_smtp):
    mail.queue_email(
        to="member1@client.example",
        subject="Hello",
        body="Text\n",
        kind="meeting_update",
        headers={"List-Unsubscribe": "<http://testserver/x/>"},
        attachments=[
            {
                "filename": "m.ics",
                "content": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                "mimetype": "text/calendar; method=REQUEST; charset=UTF-8",
            }
        ],
    )
    assert mail.deliver_due_emails() == 1
    caught = real_smtp.wait_for("member1@client.example")
    assert caught.subject == "Hello"
    assert caught.message["List-Unsubscribe"] == "<http://testserver/x/>"
    row = OutboundEmail.objects.get()
    assert caught.message["Message-ID"] == row.message_id
    [part] = [p for p in caught.message.iter_attachments()]
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert (row.status, row.attempts, row.claimed_by) == (Status.SENT, 1, "")


def test_an_email_not_yet_due_waits(real_smtp):
    mail.queue_email(
        to="a@client.example",
        subject="Later",
        body="x",
        kind="meeting_reminder",
        send_after=timezone.now() + dt.timedelta(hours=1),
    )
    assert mail.deliver_due_emails() == 0
    assert real_smtp.messages == []


def test_a_failed_send_is_retried_with_backoff_then_marked_failed(settings, real_smtp):
    settings.EMAIL_PORT = free_port()  # nothing listens there
    [row_id] = due_rows(1)
    delays = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for attempt in range(1, mail.MAX_ATTEMPTS + 1):
            assert mail.deliver_due_emails() == 0
            row = OutboundEmail.objects.get(pk=row_id)
            assert row.attempts == attempt
            assert row.last_error
            if attempt < mail.MAX_ATTEMPTS:
                assert row.status == Status.PENDING and row.is_retrying
                delays.append(row.send_after - timezone.now())
                # Not due again before its backoff.
                assert mail.claim_due_emails("someone") == []
                clock.move_to(row.send_after)
    assert row.status == Status.FAILED
    assert delays == sorted(delays) and delays[0] == dt.timedelta(seconds=60)
    assert max(delays) <= dt.timedelta(hours=1)
    # The server comes back: a failed row stays failed until someone chooses to retry it.
    settings.EMAIL_PORT = real_smtp.port
    assert mail.deliver_due_emails() == 0


def test_only_the_worker_holding_the_claim_sends(real_smtp):
    """A lease that ran out: the row is claimed by B; A's compare-and-set then fails."""
    [row_id] = due_rows(1)
    assert mail.claim_due_emails("worker-a") == [row_id]
    assert mail.claim_due_emails("worker-b") == []  # the lease holds
    OutboundEmail.objects.filter(pk=row_id).update(
        claimed_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert mail.claim_due_emails("worker-b") == [row_id]
    assert mail._start_sending(row_id, "worker-a") is False
    assert mail._start_sending(row_id, "worker-b") is True
    # In "sending", nobody can claim it again, even after the lease.
    OutboundEmail.objects.filter(pk=row_id).update(
        claimed_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert mail.claim_due_emails("worker-c") == []


def test_a_row_left_sending_after_its_lease_is_interrupted_not_sent_again(real_smtp):
    [row_id] = due_rows(1)
    mail.claim_due_emails("dead-worker")
    assert mail._start_sending(row_id, "dead-worker")
    assert mail.deliver_due_emails() == 0  # lease still running: left alone
    assert OutboundEmail.objects.get(pk=row_id).status == Status.SENDING
    later = timezone.now() + dt.timedelta(seconds=mail.lease_seconds() + 1)
    with time_machine.travel(later, tick=False):
        assert mail.deliver_due_emails() == 0
    row = OutboundEmail.objects.get(pk=row_id)
    assert row.status == Status.INTERRUPTED
    assert "may or may not have arrived" in row.last_error
    assert real_smtp.messages == []


def test_two_workers_racing_over_the_same_rows_send_each_exactly_once(real_smtp):
    """Threads with their own database connections (works on SQLite and PostgreSQL)."""
    ids = due_rows(40)
    start = threading.Barrier(2)
    errors = []

    def work():
        try:
            start.wait()
            while mail.deliver_due_emails(limit=3):
                pass
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {Status.SENT}
    counts = Counter(message_ids(real_smtp))
    assert len(counts) == len(ids)
    assert set(counts.values()) == {1}
    workers = {row.claimed_by for row in OutboundEmail.objects.all()}
    assert workers == {""}
