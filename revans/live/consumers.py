"""The live meeting over a WebSocket: /ws/meetings/<id>/ (protocol: notes/LIVE_PROTOCOL.md).

A thin transport over dispatch.dispatch() and dispatch.read(), which check access on every call.
Group messages are hints carrying the event just committed. A connection whose cursor is right
behind it forwards it as it is (the group it came through already limits who may see it);
otherwise it reads what its user may see from its cursor, so a lost, duplicated or out-of-order
hint costs a read, never data. Access is checked again by reading at least every
ACCESS_RECHECK_SECONDS, so someone removed from the set stops receiving within that time.
Answers to a client's requests (results, refusals, errors) go to that socket only.
"""

from __future__ import annotations

import json
import time

from channels.db import DatabaseSyncToAsync
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from revans.live.broadcast import meeting_group, personal_group
from revans.live.dispatch import dispatch, read

# Closing with this code before accepting tells an outsider nothing about the meeting.
CLOSE_NOT_AVAILABLE = 4404
MAX_REQUEST_ID = 100
ACCESS_RECHECK_SECONDS = 15.0

# Not thread-sensitive: socket work runs on a pool of threads, each with its own database
# connection, instead of queueing every connection's reads and writes behind one thread.
# dispatch() and read() share no thread-bound state, and writers are serialised by the
# database itself (row lock on PostgreSQL, IMMEDIATE transactions on SQLite).
dispatch_async = DatabaseSyncToAsync(dispatch, thread_sensitive=False)
read_async = DatabaseSyncToAsync(read, thread_sensitive=False)


class MeetingConsumer(AsyncJsonWebsocketConsumer):
    cursor = 0
    joined = False
    checked_at = 0.0

    async def connect(self):
        self.user = self.scope.get("user")
        self.meeting_id = self.scope["url_route"]["kwargs"]["meeting_id"]
        first = await read_async(self.user, self.meeting_id, {"what": "snapshot"})
        if not first["ok"]:
            await self.close(code=CLOSE_NOT_AVAILABLE)
            return
        self.groups_joined = [
            meeting_group(self.meeting_id),
            personal_group(self.meeting_id, self.user.pk),
        ]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        self.joined = True
        await self.accept()
        await self.send_snapshot(first["snapshot"])
        await dispatch_async(self.user, self.meeting_id, {"action": "join"})
        # Whatever was committed between the snapshot and joining the groups had no hint here.
        await self.catch_up(self.cursor)

    async def disconnect(self, code):
        if not self.joined:
            return
        self.joined = False
        await dispatch_async(self.user, self.meeting_id, {"action": "leave"})
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)

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
        outcome = await dispatch_async(self.user, self.meeting_id, content.get("message"))
        await self.send_json({"type": "result", "id": request_id, **outcome})

    async def on_since(self, content):
        seq = content.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool):
            await self.error(_("since needs the last event number (seq) you have."))
            return
        await self.catch_up(seq, always_answer=True)

    async def on_snapshot(self, content):
        answer = await read_async(self.user, self.meeting_id, {"what": "snapshot"})
        if await self.refused(answer):
            return
        await self.send_snapshot(answer["snapshot"])

    async def on_ping(self, content):
        await self.send_json({"type": "pong", "server_now": timezone.now().isoformat()})

    HANDLERS = {"act": on_act, "since": on_since, "snapshot": on_snapshot, "ping": on_ping}

    # Server push ---------------------------------------------------------------------------
    async def meeting_event(self, message):
        """A group hint: event `seq` was committed. Channels handles one message at a time per
        connection, so the cursor never races with itself."""
        if not self.joined or message.get("seq", 0) <= self.cursor:
            return
        event = message.get("event")
        fresh = time.monotonic() - self.checked_at < ACCESS_RECHECK_SECONDS
        if event is not None and event["seq"] == self.cursor + 1 and fresh:
            self.cursor = event["seq"]
            await self.send_json({"type": "events", "events": [event], "last_seq": self.cursor})
            return
        await self.catch_up(self.cursor)

    async def catch_up(self, seq: int, always_answer: bool = False) -> None:
        answer = await read_async(self.user, self.meeting_id, {"what": "since", "seq": seq})
        if await self.refused(answer):
            return
        self.checked_at = time.monotonic()
        if answer["snapshot_needed"]:
            await self.on_snapshot({})
            return
        self.cursor = max(self.cursor, answer["last_seq"])
        if answer["events"] or always_answer:
            await self.send_json(
                {"type": "events", "events": answer["events"], "last_seq": answer["last_seq"]}
            )

    # Helpers -------------------------------------------------------------------------------
    async def send_snapshot(self, snapshot: dict) -> None:
        self.cursor = snapshot["last_seq"]
        self.checked_at = time.monotonic()
        await self.send_json({"type": "snapshot", "snapshot": snapshot})

    async def refused(self, answer: dict) -> bool:
        """A read refused after connecting: access lost (closed, as at the door) or another
        reason told to this socket only."""
        if answer["ok"]:
            return False
        if answer["code"] == "not_found":
            await self.disconnect(CLOSE_NOT_AVAILABLE)
            await self.close(code=CLOSE_NOT_AVAILABLE)
        else:
            await self.error(answer["message"], code=answer["code"])
        return True

    async def error(self, message: str, **extra) -> None:
        await self.send_json({"type": "error", "message": message, **extra})

    @classmethod
    async def encode_json(cls, content):
        return json.dumps(content, cls=DjangoJSONEncoder)
