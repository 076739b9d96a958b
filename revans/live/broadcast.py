"""Telling connected clients that something happened: after commit, a hint only.

The message carries just the event number; each client then reads the events it may see
through dispatch.read(), so nothing confidential ever travels through the channel layer.
Events meant for one person go to that person's group only. Replace `send` (e.g. in tests or
a later transport) by assigning another function to `revans.live.broadcast.send`.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

log = logging.getLogger(__name__)


def meeting_group(meeting_id: int) -> str:
    return f"meeting-{meeting_id}"


def personal_group(meeting_id: int, user_id: int) -> str:
    return f"meeting-{meeting_id}-user-{user_id}"


def channel_layer_send(
    meeting_id: int, seq: int, audience_user_id: int | None, event: dict | None = None
) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    group = (
        meeting_group(meeting_id)
        if audience_user_id is None
        else personal_group(meeting_id, audience_user_id)
    )
    # The event rides along so a connection that is up to date forwards it without a
    # database read; any connection that is behind ignores it and reads from its cursor.
    async_to_sync(layer.group_send)(group, {"type": "meeting.event", "seq": seq, "event": event})


send = channel_layer_send


def announce(
    meeting_id: int, seq: int, audience_user_id: int | None, event: dict | None = None
) -> None:
    """Called on commit. A lost hint costs a client one catch-up read, never data, so a
    failing channel layer must not turn a committed change into an error."""
    try:
        send(meeting_id, seq, audience_user_id, event)
    except Exception:
        log.exception("live: broadcast of event %s for meeting %s failed", seq, meeting_id)
