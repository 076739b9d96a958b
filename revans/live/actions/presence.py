"""Who is in the room: one LiveConnection row per open socket, so someone with two tabs (or
a phone and a laptop) stays present until the last of them closes, and a crashed server's
connections are dropped instead of keeping people "here" for ever (revans.live.servers).

Presence.connected is kept equal to "has a connection", always under the meeting's lock, and
a `presence` event is emitted only when it flips. The Presence row itself stays: everyone who
joined is the attendance record when the meeting ends (stage.do_end_meeting).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from revans.core.db import one_writer_at_a_time
from revans.live import serialize, servers
from revans.live.actions.core import Ctx, live_action, meeting_id_of
from revans.live.models import LiveConnection, LiveMeeting, LiveServer, Presence


def this_server(now) -> LiveServer:
    """This process's row, made on its first connection (or again, if it was swept while
    this process stalled)."""
    server, _created = LiveServer.objects.get_or_create(
        boot_id=servers.boot_id(),
        defaults={
            "host": servers.host(),
            "pid": os.getpid(),
            "started_at": now,
            "heartbeat_at": now,
        },
    )
    return server


def refresh_presence(ctx: Ctx, user_ids: Iterable[int]) -> None:
    """Make Presence.connected say whether each user still has a connection; announce flips."""
    user_ids = set(user_ids)
    if not user_ids:
        return
    still = set(
        LiveConnection.objects.filter(live_meeting=ctx.live, user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )
    rows = Presence.objects.filter(live_meeting=ctx.live, user_id__in=user_ids).select_related(
        "user"
    )
    for row in rows:
        connected = row.user_id in still
        if row.connected == connected:
            continue
        row.connected = connected
        row.last_seen_at = ctx.now
        row.save(update_fields=["connected", "last_seen_at"])
        ctx.emit("presence", serialize.presence(row, row.user))


@live_action
def do_join(ctx: Ctx, connection: str | None = None) -> dict:
    """A socket opened. Returns its key (`connection`), which leaving hands back. A second
    tab only adds a connection: nothing changes for the others, and nothing is announced."""
    ctx.require_not_ended()
    key = connection or uuid.uuid4().hex
    server = this_server(ctx.now)
    LiveConnection.objects.update_or_create(
        key=key,
        defaults={
            "live_meeting": ctx.live,
            "user": ctx.actor,
            "server": server,
            "opened_at": ctx.now,
        },
    )
    row = Presence.objects.filter(live_meeting=ctx.live, user=ctx.actor).first()
    if row is None:
        row = Presence.objects.create(
            live_meeting=ctx.live, user=ctx.actor, joined_at=ctx.now, last_seen_at=ctx.now
        )
        ctx.emit("presence", serialize.presence(row, ctx.actor))
    else:
        refresh_presence(ctx, [ctx.actor.pk])
    return {"connection": key}


def do_leave(meeting, actor, connection: str) -> dict:
    """A socket closed. No access check: whoever held it may have been removed from the set
    meanwhile, and their connection must not outlive the socket either way."""
    with one_writer_at_a_time(), transaction.atomic():
        ctx = _locked(meeting_id_of(meeting), actor)
        if ctx is None:
            return {}
        gone = LiveConnection.objects.filter(live_meeting=ctx.live, user=actor, key=connection)
        if gone.delete()[0]:
            refresh_presence(ctx, [actor.pk])
        ctx.finish()
        return ctx.outcome()


def do_heartbeat() -> bool:
    """This process is alive. False if its row had gone (swept while it stalled): the caller
    then joins its open connections again."""
    now = timezone.now()
    with one_writer_at_a_time(), transaction.atomic():
        beaten = LiveServer.objects.filter(boot_id=servers.boot_id()).update(heartbeat_at=now)
    return bool(beaten)


def do_drop_dead_servers() -> int:
    """Drop every connection held by a dead server process (see revans.live.servers), one
    meeting at a time, and forget the process. Returns how many connections were dropped."""
    now = timezone.now()
    dropped = 0
    for server in LiveServer.objects.exclude(boot_id=servers.boot_id()):
        if not servers.is_dead(server, now):
            continue
        meeting_ids = set(
            LiveConnection.objects.filter(server=server).values_list(
                "live_meeting__meeting_id", flat=True
            )
        )
        for meeting_id in meeting_ids:
            with one_writer_at_a_time(), transaction.atomic():
                ctx = _locked(meeting_id, None)
                if ctx is None:
                    continue
                held = LiveConnection.objects.filter(live_meeting=ctx.live, server=server)
                users = set(held.values_list("user_id", flat=True))
                dropped += held.delete()[0]
                refresh_presence(ctx, users)
                ctx.finish()
        # Connections it might have added since (a stalled process, not a dead one) go with
        # it; its keeper joins them again when it wakes (do_heartbeat).
        LiveServer.objects.filter(pk=server.pk).delete()
    return dropped


def _locked(meeting_id: int, actor) -> Ctx | None:
    live = (
        LiveMeeting.objects.select_for_update(of=("self",))
        .select_related("meeting__learning_set")
        .filter(meeting_id=meeting_id)
        .first()
    )
    if live is None:
        return None
    return Ctx(live=live, meeting=live.meeting, actor=actor, is_member=False)
