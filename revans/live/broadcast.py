"""Telling connected clients that something happened: after commit.

Each committed event is sent to the meeting's group, or to one person's group when it is
meant for that person only (a private note), so the channel layer never carries an event to
a connection that may not see it. A connection that is up to date forwards the event as it
is; one that is behind reads from its cursor through dispatch.read(), so a lost hint costs
a read, never data. Replace `send` (e.g. in tests) by assigning another function to
`revans.live.broadcast.send`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
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
    # It is encoded once here, not once per connection.
    message = {"type": "meeting.event", "seq": seq, "event": event}
    if event is not None:
        message["frame"] = events_frame([event], seq, after=seq - 1)
    group_send(group, message)
    if audience_user_id is not None:
        # Everyone else's connection is told only that this number is someone else's, so it
        # moves past it without a read (the read would skip it too); nothing of the event
        # goes to them, and the hint itself is never sent to a browser.
        group_send(
            meeting_group(meeting_id),
            {"type": "meeting.event", "seq": seq, "event": None, "audience": audience_user_id},
        )


class Relay:
    """Carries group sends from the database threads to the server's event loop in the
    order they were committed, without the writer waiting for the loop: on SQLite it would
    wait holding the write turn, and a busy loop then held up every writer behind it. The
    first connection binds it to the server's loop; elsewhere (a management command, a
    test without a server) sends go straight through the layer."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.queue: asyncio.Queue | None = None
        self.drainer: asyncio.Task | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Called on the loop, by each connection; binds once per loop."""
        if self.loop is loop:
            return
        self.loop, self.queue = loop, asyncio.Queue()
        self.drainer = loop.create_task(self.drain(self.queue))

    def offer(self, group: str, message: dict) -> bool:
        loop, queue = self.loop, self.queue
        if loop is None or queue is None or not loop.is_running():
            return False
        try:
            on_loop = asyncio.get_running_loop() is loop
        except RuntimeError:
            on_loop = False
        try:
            if on_loop:
                queue.put_nowait((group, message))
            else:
                loop.call_soon_threadsafe(queue.put_nowait, (group, message))
        except RuntimeError:  # the loop closed in between
            return False
        return True

    async def drain(self, queue: asyncio.Queue) -> None:
        while True:
            group, message = await queue.get()
            try:
                layer = get_channel_layer()
                if layer is not None:
                    await layer.group_send(group, message)
            except Exception:
                log.exception("live: broadcast to %s failed", group)


relay = Relay()


def recheck_set_meetings(sender=None, *, set_id: int, **kwargs) -> None:
    """Who is inside the set changed: every connection to its open meetings checks its
    user's access now (and anyone no longer inside is shut out)."""
    from revans.live.models import LiveMeeting

    meeting_ids = LiveMeeting.objects.filter(meeting__learning_set_id=set_id).exclude(
        status=LiveMeeting.Status.ENDED
    )
    for meeting_id in meeting_ids.values_list("meeting_id", flat=True):
        _hint(
            meeting_group(meeting_id), {"type": "meeting.recheck"}, "asking it to re-check access"
        )


def session_tag(session_key: str) -> str:
    """Names a browser's session to its sockets without passing the key itself (a secret
    that signs the browser in) through the channel layer."""
    return hashlib.sha256(session_key.encode()).hexdigest()[:32]


def signed_out(sender=None, *, request=None, user=None, **kwargs) -> None:
    """user_logged_out: the live rooms this browser has open leave their meetings now, as a
    signed-out visitor would be refused at the door. The person's other browsers stay."""
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if user is not None and session_key:
        _tell_rooms_of(user, {"type": "meeting.signed_out", "session": session_tag(session_key)})


def password_changed(
    sender=None, *, user=None, kept_session_key=None, renewed_session_key=None, **kwargs
) -> None:
    """accounts.signals.password_changed: the person's other sessions have ended, so the
    rooms open in them leave their meetings now. The one kept signed in stays, and learns its
    renewed name, so signing out there later still reaches it."""
    if user is not None:
        kept = session_tag(kept_session_key) if kept_session_key else ""
        renamed = session_tag(renewed_session_key) if renewed_session_key else ""
        _tell_rooms_of(user, {"type": "meeting.signed_out", "kept": kept, "renamed": renamed})


def _tell_rooms_of(user, message: dict) -> None:
    """To the person's own group in every meeting they have a room open in."""
    from revans.live.models import LiveConnection

    meeting_ids = (
        LiveConnection.objects.filter(user=user)
        .values_list("live_meeting__meeting_id", flat=True)
        .distinct()
    )
    for meeting_id in meeting_ids:
        _hint(personal_group(meeting_id, user.pk), message, "telling it a session ended")


def room_closed(meeting_id: int) -> None:
    """Called on commit: the room closed before the meeting started (actions.do_close_room).
    A lost hint costs nothing here: a connection's next read finds no room and shuts."""
    _hint(meeting_group(meeting_id), {"type": "meeting.closed"}, "telling it the room closed")


def _hint(group: str, message: dict, about: str) -> None:
    """Send a hint that needs no answer. A lost one costs a read, a re-check or a reconnect
    at worst, never data, so a failing channel layer is logged, not raised into the caller
    (often a request or a commit that has already happened)."""
    try:
        group_send(group, message)
    except Exception:
        log.exception("live: %s (%s) failed", about, group)


def group_send(group: str, message: dict) -> None:
    """From synchronous code: through the relay when a server loop runs in this process."""
    if relay.offer(group, message):
        return
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, message)


def events_frame(events: list[dict], last_seq: int, after: int) -> str:
    """The `events` message as sent to clients (docs/live-protocol.md): every event after
    number `after` that the person may see, up to `last_seq`."""
    return json.dumps({"type": "events", "events": events, "after": after, "last_seq": last_seq})


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
