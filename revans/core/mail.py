"""Queueing and delivering emails through the outbox (see models.OutboundEmail).

Delivery is at most once. A worker claims due rows with a lease (SELECT ... FOR UPDATE SKIP
LOCKED on PostgreSQL; SQLite's IMMEDIATE transactions serialise the claim), then, for each
row, moves it from pending to "sending" with a compare-and-set on its own claim *before*
talking to the SMTP server, and to "sent" right after the server accepts it. So:

- two workers never send the same row: only the one whose compare-and-set succeeds sends,
  and a row in "sending" is never claimed again;
- a worker killed before a row reached "sending" loses nothing: its lease runs out and
  another worker (or itself, restarted) sends the row;
- a worker killed between the SMTP server's acceptance and recording "sent" leaves the row
  in "sending". Nobody can tell whether it arrived, so when the lease runs out the row
  becomes "interrupted" and is not sent again by itself: a reminder twice is worse than a
  visible gap, and the organisation admin sees the row and can send it again. The window is
  one SMTP conversation; every attempt carries the same Message-ID, so a receiving server
  can also drop a copy sent on purpose.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.utils import timezone

from revans.core.models import OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
_wake = threading.Event()
Status = OutboundEmail.Status


def lease_seconds() -> int:
    # Longer than one SMTP conversation (EMAIL_TIMEOUT) so a slow send is never taken for a
    # dead worker; tests shorten it to restart quickly.
    return int(getattr(settings, "REVANS_EMAIL_LEASE_SECONDS", 120))


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def queue_email(
    *,
    to: str,
    subject: str,
    body: str,
    kind: str,
    organisation=None,
    user=None,
    headers: dict | None = None,
    attachments: list[dict] | None = None,
    send_after=None,
) -> OutboundEmail:
    """Store an email to be sent after the current transaction commits.

    Call only from actions (emails that a person may turn off go through
    revans.notifications.outgoing.notify, which checks their choice first). The body must
    carry no set content written by anyone but the recipient: links, dates and names only.
    attachments: [{"filename", "content" (text), "mimetype"}].
    """
    email = OutboundEmail.objects.create(
        to_email=to,
        subject=subject,
        body_text=body,
        kind=kind,
        organisation=organisation,
        user=user,
        headers=headers or {},
        attachments=attachments or [],
        send_after=send_after or timezone.now(),
    )
    transaction.on_commit(_after_commit)
    return email


def _after_commit() -> None:
    if settings.REVANS_DELIVER_ON_COMMIT:
        deliver_due_emails()
    else:
        _wake.set()


def deliver_soon() -> None:
    """After the current transaction commits, send what is due (rows changed by hand)."""
    transaction.on_commit(_after_commit)


def wait_for_work(seconds: float) -> None:
    _wake.wait(seconds)
    _wake.clear()


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def mark_interrupted(now=None) -> int:
    """Rows left in "sending" past their lease: their worker died mid-send (see above)."""
    now = now or timezone.now()
    return OutboundEmail.objects.filter(status=Status.SENDING, claimed_until__lt=now).update(
        status=Status.INTERRUPTED,
        last_error="The worker stopped while sending: it may or may not have arrived.",
        claimed_by="",
        claimed_until=None,
    )


def claim_due_emails(worker: str, limit: int = 20) -> list[int]:
    """Take a lease on up to `limit` due rows so no other worker sends them meanwhile."""
    now = timezone.now()
    with transaction.atomic():
        due = OutboundEmail.objects.filter(status=Status.PENDING, send_after__lte=now).exclude(
            claimed_until__gt=now
        )
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True)
        # On SQLite the IMMEDIATE transaction already serialises writers.
        ids = list(due.order_by("send_after", "id").values_list("id", flat=True)[:limit])
        OutboundEmail.objects.filter(id__in=ids).update(
            claimed_by=worker, claimed_until=now + timedelta(seconds=lease_seconds())
        )
    return ids


def _start_sending(email_id: int, worker: str) -> bool:
    """The compare-and-set that makes this worker the only one to send the row."""
    return bool(
        OutboundEmail.objects.filter(id=email_id, status=Status.PENDING, claimed_by=worker).update(
            status=Status.SENDING,
            claimed_until=timezone.now() + timedelta(seconds=lease_seconds()),
        )
    )


def build_message(email: OutboundEmail, smtp=None) -> EmailMessage:
    headers = {"Message-ID": email.message_id}
    headers.update(email.headers or {})
    message = EmailMessage(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_email],
        headers=headers,
        connection=smtp,
    )
    for attachment in email.attachments or []:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


def _record_failure(email: OutboundEmail, worker: str, exc: Exception) -> None:
    attempts = email.attempts + 1
    delay = timedelta(seconds=min(3600, 30 * 2**attempts))
    failed = attempts >= MAX_ATTEMPTS
    OutboundEmail.objects.filter(id=email.id, claimed_by=worker).update(
        attempts=attempts,
        last_error=str(exc)[:500],
        send_after=timezone.now() + delay,
        status=Status.FAILED if failed else Status.PENDING,
        claimed_by="",
        claimed_until=None,
    )
    logger.warning("email %s (%s) failed: %s", email.id, email.kind, exc)


def deliver_due_emails(limit: int = 20) -> int:
    """Send what is due; returns how many were sent."""
    worker = _worker_id()
    mark_interrupted()
    ids = claim_due_emails(worker, limit)
    if not ids:
        return 0
    sent = 0
    # One SMTP connection for the batch; a send that fails closes it, the next reopens it.
    smtp = get_connection(fail_silently=False)
    try:
        for email_id in ids:
            if not _start_sending(email_id, worker):
                continue  # the lease ran out and another worker took the row
            email = OutboundEmail.objects.get(id=email_id)
            try:
                smtp.open()  # no-op when already open; keeps it open across the batch
                build_message(email, smtp).send()
            except Exception as exc:  # any transport failure: retry later with backoff
                _record_failure(email, worker, exc)
                smtp.close()
                continue
            OutboundEmail.objects.filter(
                id=email.id, claimed_by=worker, status=Status.SENDING
            ).update(
                status=Status.SENT,
                sent_at=timezone.now(),
                attempts=email.attempts + 1,
                claimed_by="",
                claimed_until=None,
            )
            sent += 1
    finally:
        smtp.close()
    return sent
