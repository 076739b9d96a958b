"""Shared set-up for the notifications tests."""

from __future__ import annotations

from revans.core.models import OutboundEmail


def due_rows(count: int, *, kind: str = "meeting_reminder", organisation=None) -> list[int]:
    """Outbox rows due now, made directly (no on-commit delivery), in a known order."""
    import datetime as dt

    from django.utils import timezone

    start = timezone.now() - dt.timedelta(minutes=10)
    rows = OutboundEmail.objects.bulk_create(
        [
            OutboundEmail(
                to_email=f"person{i}@client.example",
                subject=f"Message {i}",
                body_text=f"Body {i}\n",
                kind=kind,
                organisation=organisation,
                send_after=start + dt.timedelta(seconds=i),
            )
            for i in range(count)
        ]
    )
    return [row.pk for row in rows]


def message_ids(sink) -> list[str]:
    return [str(caught.message["Message-ID"]) for caught in sink.messages]


def outbox_ids_received(sink) -> list[int]:
    """The outbox row behind each message the server got (from its stable Message-ID)."""
    import re

    return [int(re.search(r"revans-outbox-(\d+)-", mid).group(1)) for mid in message_ids(sink)]
