"""Queueing and delivering emails through the outbox (see models.OutboundEmail)."""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.utils import timezone

from revans.core.models import OutboundEmail

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 120
MAX_ATTEMPTS = 8
_wake = threading.Event()


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def queue_email(*, to: str, subject: str, body: str, kind: str, organisation=None) -> OutboundEmail:
    """Store an email to be sent after the current transaction commits.

    Call only from actions. The body must carry no set content written by anyone but the
    recipient: links, dates and names only.
    """
    email = OutboundEmail.objects.create(
        to_email=to, subject=subject, body_text=body, kind=kind, organisation=organisation
    )
    transaction.on_commit(_after_commit)
    return email


def _after_commit() -> None:
    if settings.REVANS_DELIVER_ON_COMMIT:
        deliver_due_emails()
    else:
        _wake.set()


def wait_for_work(seconds: float) -> None:
    _wake.wait(seconds)
    _wake.clear()


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def claim_due_emails(worker: str, limit: int = 20) -> list[int]:
    """Take a lease on up to `limit` due rows so no other worker sends them meanwhile."""
    now = timezone.now()
    with transaction.atomic():
        due = OutboundEmail.objects.filter(
            status=OutboundEmail.Status.PENDING, send_after__lte=now
        ).exclude(claimed_until__gt=now)
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True)
        # On SQLite the IMMEDIATE transaction already serialises writers.
        ids = list(due.order_by("send_after", "id").values_list("id", flat=True)[:limit])
        OutboundEmail.objects.filter(id__in=ids).update(
            claimed_by=worker, claimed_until=now + timedelta(seconds=CLAIM_SECONDS)
        )
    return ids


def deliver_due_emails(limit: int = 20) -> int:
    """Send what is due; returns how many were sent."""
    worker = _worker_id()
    sent = 0
    for email_id in claim_due_emails(worker, limit):
        email = OutboundEmail.objects.get(id=email_id)
        if email.claimed_by != worker:
            continue
        try:
            EmailMessage(
                subject=email.subject,
                body=email.body_text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[email.to_email],
            ).send()
        except Exception as exc:  # any transport failure: retry later with backoff
            attempts = email.attempts + 1
            delay = timedelta(seconds=min(3600, 30 * 2**attempts))
            failed = attempts >= MAX_ATTEMPTS
            OutboundEmail.objects.filter(id=email.id, claimed_by=worker).update(
                attempts=attempts,
                last_error=str(exc)[:500],
                send_after=timezone.now() + delay,
                status=OutboundEmail.Status.FAILED if failed else OutboundEmail.Status.PENDING,
                claimed_by="",
                claimed_until=None,
            )
            logger.warning("email %s (%s) failed: %s", email.id, email.kind, exc)
            continue
        OutboundEmail.objects.filter(id=email.id, claimed_by=worker).update(
            status=OutboundEmail.Status.SENT,
            sent_at=timezone.now(),
            attempts=email.attempts + 1,
            claimed_by="",
            claimed_until=None,
        )
        sent += 1
    return sent
