"""The live meeting over a WebSocket: /ws/meetings/<id>/ (protocol: docs/live-protocol.md).

A thin transport over dispatch.dispatch() and dispatch.read(). Group messages carry the
event just committed, already encoded. A connection whose cursor is right behind it
forwards it as it is (the group it came through already limits who may see it); otherwise
it reads what its user may see from its cursor, so a lost, duplicated or out-of-order
message costs a read, never data.

Access: each connection holds its user's MeetingAccess, checked when it connects, at once
whenever the set's people change (sets.signals -> a `meeting.recheck` to the meeting's
group), and at least every ACCESS_RECHECK_SECONDS; nothing is sent and no act is carried
out on an older check. Someone removed from the set is shut out as at the door. A check
reads the database, so connections that joined together spread theirs out.
Answers to a client's requests (results, refusals, errors) go to that socket only.
"""

from __future__ import annotations

import asyncio
import functools
import json
import random
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from channels.consumer import get_handler_name
from channels.db import DatabaseSyncToAsync
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from revans.core.one_at_a_time import dispatch_one_at_a_time
from revans.live import actions
from revans.live.broadcast import (
    events_frame,
    meeting_group,
    personal_group,
    relay,
    session_tag,
)
from revans.live.dispatch import check_access, dispatch, read, recheck_access
from revans.live.keeper import keeper
from revans.live.refusals import MeetingRefused

# Closing with this code before accepting tells an outsider nothing about the meeting.
CLOSE_NOT_AVAILABLE = 4404
MAX_REQUEST_ID = 100
# A safety net: changes to the set's people are pushed at once (see the docstring).
ACCESS_RECHECK_SECONDS = 60.0
RECHECK_GRACE_SECONDS = 10.0
# Events committed by different server processes can reach a connection in either order
# (through Redis). One that arrives ahead of the connection's cursor is held this long for
# the missing ones before they are read from the database: reading at once turned every
# reordering into a read per connection, and a server that fell behind then fell further
# behind (bench/live_meeting.py, PostgreSQL + Redis). More held than this: read at once.
REORDER_GRACE_SECONDS = 0.25
MAX_HELD_EVENTS = 50

# Not thread-sensitive: socket work runs on a pool of threads, each with its own database
# connection, instead of queueing every connection's reads and writes behind one thread.
# dispatch() and read() share no thread-bound state, and writers are serialised by the
# database (row lock on PostgreSQL; on SQLite, core.db.one_writer_at_a_time). The pool is
# the live app's own, sized by settings.REVANS_LIVE_THREADS: on PostgreSQL a thread mostly
# waits for the server, so more of them keep more acts moving.
live_threads = ThreadPoolExecutor(
    max_workers=settings.REVANS_LIVE_THREADS, thread_name_prefix="revans-live"
)


def on_live_thread(fn):
    """`fn` as a coroutine run on live_threads, the thread's database connection closed (or
    given back to the PostgreSQL pool) after each call. channels closes it too, through
    channels.db.close_old_connections, but channels.testing's communicator replaces that
    with a no-op while a test talks to a socket: the live threads then kept their pooled
    connections past the pool's closing, and PostgreSQL refused to drop the test database
    ("3 other sessions"). Django's own function, called here, is not replaced."""

    @functools.wraps(fn)
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        finally:
            close_old_connections()

    return DatabaseSyncToAsync(call, thread_sensitive=False, executor=live_threads)


def join(access, user, key: str) -> bool:
    """Record this socket's connection; False if the meeting refuses it (it has ended)."""
    try:
        actions.do_join(access, user, connection=key)
    except MeetingRefused:
        return False
    return True


dispatch_async = on_live_thread(dispatch)
read_async = on_live_thread(read)
check_access_async = on_live_thread(check_access)
recheck_access_async = on_live_thread(recheck_access)
join_async = on_live_thread(join)
leave_async = on_live_thread(actions.do_leave)
heartbeat_async = on_live_thread(actions.do_heartbeat)
sweep_async = on_live_thread(actions.do_drop_dead_servers)


class MeetingConsumer(AsyncJsonWebsocketConsumer):
    # The last event number this connection has dealt with (sent, or skipped as someone
    # else's), and the last its client was told of: numbers between the two are someone
    # else's, so the next events sent say they follow `told` (their `after`).
    cursor = 0
    told = 0
    joined = False
    # This socket's LiveConnection key (presence: docs/live-protocol.md); never sent out.
    connection_key = ""
    access = None
    recheck_at = 0.0
    rechecker = None
    gap_timer = None

    async def __call__(self, scope, receive, send):
        """However this consumer ends, its connection ends with it. A client that closes
        while the consumer is still connecting makes the next send raise (uvicorn's
        ClientDisconnected, which it then swallows); channels then never calls disconnect(),
        and the member would have stayed "here" until the process died."""
        try:
            await self.serve(scope, receive, send)
        finally:
            if self.joined:
                await self.disconnect(1006)

    async def serve(self, scope, receive, send):
        """channels' AsyncConsumer.__call__, dispatching through dispatch_one_at_a_time
        instead of await_many_dispatch (same order and one-at-a-time handling, fewer turns
        of the event loop for each message)."""
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        sources = [receive]
        if self.channel_layer is not None:
            self.channel_name = await self.channel_layer.new_channel()
            sources.append(functools.partial(self.channel_layer.receive, self.channel_name))
        self.base_send = send
        try:
            await dispatch_one_at_a_time(sources, self.dispatch)
        except StopConsumer:
            pass

    async def connect(self):
        self.user = self.scope.get("user")
        self.meeting_id = self.scope["url_route"]["kwargs"]["meeting_id"]
        # Events that arrived ahead of the cursor, by number (meeting_event).
        self.held: dict[int, dict] = {}
        first = await read_async(self.user, self.meeting_id, {"what": "snapshot"})
        if not first["ok"]:
            await self.close(code=CLOSE_NOT_AVAILABLE)
            return
        self.checked(first["access"])
        session = self.scope.get("session")
        key = session.session_key if session is not None else None
        self.session = session_tag(key) if key else ""
        relay.bind(asyncio.get_running_loop())
        self.groups_joined = [
            meeting_group(self.meeting_id),
            personal_group(self.meeting_id, self.user.pk),
        ]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        self.joined = True
        await self.accept()
        await self.send_snapshot(first["snapshot"])
        key = uuid.uuid4().hex
        if await join_async(self.access, self.user, key):
            self.connection_key = key
            keeper.open.add(self)
        keeper.bind(asyncio.get_running_loop(), heartbeat_async, sweep_async, self.rejoin)
        # Whatever was committed between the snapshot and joining the groups had no hint here.
        await self.catch_up(self.cursor)
        self.rechecker = asyncio.create_task(self.keep_checking())

    async def disconnect(self, code):
        if not self.joined:
            return
        self.joined = False
        if self.rechecker is not None and self.rechecker is not asyncio.current_task():
            self.rechecker.cancel()
        if self.gap_timer is not None:
            self.gap_timer.cancel()
        # Whoever held it (even someone shut out since): the connection ends with the socket.
        keeper.open.discard(self)
        if self.connection_key:
            await leave_async(self.meeting_id, self.user, self.connection_key)
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def dispatch(self, message):
        """As channels' AsyncConsumer.dispatch, without its close_old_connections() before
        every message: that is a hop to the thread-sensitive sync thread for each message,
        and at 100 meetings x 8 it was a third of the event loop's time (bench/live_meeting.py).
        This consumer opens no database connection on that thread: every read and write runs
        on live_threads, which close their own (on_live_thread)."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    # Client -> server ----------------------------------------------------------------------
    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if not self.joined:
            # Refused at the door (or shut out since): a closed socket answers nothing.
            return
        try:
            content = json.loads(text_data) if text_data else None
        except ValueError:
            content = None
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.error(_("Messages must be JSON objects with a type."))
            return
        handler = self.HANDLERS.get(content["type"])
        if handler is None:
            await self.error(_("Unknown message type."))
            return
        await handler(self, content)

    async def on_act(self, content):
        request_id = content.get("id")
        if not isinstance(request_id, str) or not 0 < len(request_id) <= MAX_REQUEST_ID:
            await self.error(_("An act needs an id (a short string)."))
            return
        if not await self.access_is_fresh():
            return
        outcome = await dispatch_async(
            self.user, self.meeting_id, content.get("message"), self.access
        )
        await self.send_json({"type": "result", "id": request_id, **outcome})
        if outcome.get("code") == "not_open":  # it was open when this socket connected
            await self.room_closed()

    async def on_since(self, content):
        seq = content.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool):
            await self.error(_("since needs the last event number (seq) you have."))
            return
        await self.catch_up(seq, always_answer=True)

    async def on_snapshot(self, content):
        if not await self.access_is_fresh():
            return
        answer = await read_async(self.user, self.meeting_id, {"what": "snapshot"}, self.access)
        if await self.refused(answer):
            return
        await self.send_snapshot(answer["snapshot"])

    async def on_ping(self, content):
        await self.send_json({"type": "pong", "server_now": timezone.now().isoformat()})

    HANDLERS = {"act": on_act, "since": on_since, "snapshot": on_snapshot, "ping": on_ping}

    # Server push ---------------------------------------------------------------------------
    async def meeting_event(self, message):
        """A group hint: event `seq` was committed, usually with the event itself. Channels
        handles one message at a time per connection, so the cursor never races with itself.
        A hint that another person's private event took a number lets this connection move
        past it; a hint without the event calls for a read."""
        seq = message.get("seq", 0)
        if not self.joined or seq <= self.cursor:
            return
        if message.get("event") is None:
            audience = message.get("audience")
            if audience is None:
                await self.catch_up(self.cursor)
                return
            if audience == self.user.pk:
                return  # their own event comes through their personal group
        self.held[seq] = message
        await self.forward_held()

    async def forward_held(self) -> None:
        """Send the held events that follow the cursor, in order, as one frame; wait a little
        for a missing one (REORDER_GRACE_SECONDS) before reading it."""
        if self.cursor + 1 not in self.held:
            if len(self.held) > MAX_HELD_EVENTS:
                await self.catch_up(self.cursor)
            elif self.held:
                self.expect_missing()
            return
        if not await self.access_is_fresh():
            return
        ready = []
        while self.cursor + 1 in self.held:
            self.cursor += 1
            message = self.held.pop(self.cursor)
            if message.get("event") is not None:
                ready.append(message)
        if ready:
            after, self.told = self.told, self.cursor
            (first, *more) = ready
            if not more and first["seq"] == after + 1 == self.cursor and first.get("frame"):
                await self.send(text_data=first["frame"])  # as encoded once for everyone
            else:
                events = [m["event"] for m in ready]
                await self.send(text_data=events_frame(events, self.cursor, after=after))
        if self.held:
            self.expect_missing()

    def expect_missing(self) -> None:
        if self.gap_timer is None:
            self.gap_timer = asyncio.get_running_loop().call_later(
                REORDER_GRACE_SECONDS, self.missing_is_due
            )

    def missing_is_due(self) -> None:
        """Through the connection's own channel, so the read is handled in turn with its
        other messages rather than beside them."""
        self.gap_timer = None
        if self.joined and self.held:
            asyncio.ensure_future(
                self.channel_layer.send(self.channel_name, {"type": "meeting.missing"})
            )

    async def meeting_missing(self, message):
        if self.joined and self.held and self.cursor + 1 not in self.held:
            await self.catch_up(self.cursor)

    async def meeting_closed(self, message):
        """The facilitator closed the room before the meeting started (do_close_room)."""
        await self.room_closed()

    async def room_closed(self) -> None:
        """Say so, then shut the socket as at the door; the client stops trying to come back.
        Also when a read finds the room gone before the hint arrives (refused)."""
        if self.joined:
            await self.leave_for_good(
                _(
                    "The facilitator closed the room before the meeting started. Nothing "
                    "was recorded."
                )
            )

    async def meeting_signed_out(self, message):
        """A session of this person ended (broadcast.signed_out, broadcast.password_changed):
        if it is this browser's, this page leaves the meeting, says why and offers to sign in
        again. Their other browsers stay; after a new password, all but the one kept."""
        if not self.joined or not self.session:
            return
        if "session" in message:
            if message["session"] != self.session:
                return
            why = _("You signed out, so this page has left the meeting.")
        else:
            if message.get("kept") == self.session:
                self.session = message.get("renamed") or self.session
                return
            why = _("Your password was changed, so this page has left the meeting.")
        room = reverse("live:room", args=[self.meeting_id])
        await self.leave_for_good(
            why,
            url=f"{reverse('accounts:sign_in')}?{urlencode({'next': room})}",
            link_text=_("Sign in again to rejoin"),
        )

    async def leave_for_good(self, message: str, url: str = "", link_text: str = "") -> None:
        """Tell the client why it must not come back (`closed`, with where to go instead if
        not the meeting's page), then shut the socket as at the door."""
        closed: dict = {"type": "closed", "message": message}
        if url:
            closed["link"] = {"url": url, "text": link_text}
        await self.send_json(closed)
        await self.shut_out()

    async def meeting_recheck(self, message):
        """The set's people changed: check now whether this user may stay."""
        if self.joined:
            await self.recheck()

    async def catch_up(self, seq: int, always_answer: bool = False) -> None:
        """Send what was committed since `seq`, read on the access this connection holds."""
        if not await self.access_is_fresh():
            return
        answer = await read_async(
            self.user, self.meeting_id, {"what": "since", "seq": seq}, self.access
        )
        if await self.refused(answer):
            return
        if answer["snapshot_needed"]:
            await self.on_snapshot({})
            return
        after = min(seq, self.told)
        self.moved_to(max(self.cursor, answer["last_seq"]))
        if answer["events"] or always_answer:
            self.told = max(self.told, answer["last_seq"])
            await self.send_json(
                {
                    "type": "events",
                    "events": answer["events"],
                    "after": after,
                    "last_seq": answer["last_seq"],
                }
            )
        if self.held:
            await self.forward_held()

    # Helpers -------------------------------------------------------------------------------
    @staticmethod
    async def rejoin(consumer: MeetingConsumer) -> None:
        """For the keeper: record this connection again (its process had been swept)."""
        if consumer.joined and consumer.connection_key and consumer.access is not None:
            await join_async(consumer.access, consumer.user, consumer.connection_key)

    def checked(self, access) -> None:
        """Keep a fresh check, and when to make the next: at a random point in the second
        half of the interval, so a room that joined together does not re-check together."""
        self.access = access
        self.recheck_at = time.monotonic() + ACCESS_RECHECK_SECONDS * random.uniform(0.5, 1.0)

    async def keep_checking(self) -> None:
        """Re-check in the background when it is due, so no push waits for a check."""
        while self.joined:
            await asyncio.sleep(max(1.0, self.recheck_at - time.monotonic()))
            if self.joined and time.monotonic() >= self.recheck_at:
                await self.recheck(periodic=True)

    async def access_is_fresh(self) -> bool:
        """True if the last check is recent enough to act or send on. The background check
        keeps it so; should it fall behind (a stalled database), the check is made here."""
        if time.monotonic() < self.recheck_at + RECHECK_GRACE_SECONDS:
            return True
        return await self.recheck()

    async def recheck(self, periodic: bool = False) -> bool:
        """Check the user may still see the meeting; shut them out, as at the door, if not.
        The periodic safety-net check keeps the access held when nothing about the user's
        place in the set changed (dispatch.recheck_access); a pushed one checks in full."""
        if periodic and self.access is not None:
            access = await recheck_access_async(self.user, self.meeting_id, self.access)
        else:
            access = await check_access_async(self.user, self.meeting_id)
        if access is not None:
            self.checked(access)
            return True
        # Taken out of the set (or the meeting out of reach) while here: say so, or the page
        # would try to come back for ever and be refused at the door each time.
        await self.leave_for_good(
            _("You can no longer see this meeting, so this page has left it."),
            url=reverse("home:home"),
            link_text=_("Go to your home page"),
        )
        return False

    async def shut_out(self) -> None:
        await self.disconnect(CLOSE_NOT_AVAILABLE)
        await self.close(code=CLOSE_NOT_AVAILABLE)

    def moved_to(self, cursor: int) -> None:
        """The connection has sent everything up to `cursor`; held events before it are done."""
        self.cursor = cursor
        self.held = {seq: message for seq, message in self.held.items() if seq > cursor}

    async def send_snapshot(self, snapshot: dict) -> None:
        self.moved_to(snapshot["last_seq"])
        self.told = snapshot["last_seq"]
        await self.send_json({"type": "snapshot", "snapshot": snapshot})

    async def refused(self, answer: dict) -> bool:
        """A read refused after connecting: access lost (closed, as at the door) or another
        reason told to this socket only."""
        if answer["ok"]:
            return False
        if answer["code"] == "not_found":
            await self.shut_out()
        elif answer["code"] == "not_open":
            # It was open when this socket connected: the facilitator has closed the room.
            await self.room_closed()
        else:
            await self.error(answer["message"], code=answer["code"])
        return True

    async def error(self, message: str, **extra) -> None:
        await self.send_json({"type": "error", "message": message, **extra})

    @classmethod
    async def encode_json(cls, content):
        return json.dumps(content, cls=DjangoJSONEncoder)
