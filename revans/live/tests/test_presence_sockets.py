"""Presence through the real socket: a member's two tabs, one closes, the other keeps them here;
a tab that is refused or shut out leaves nothing behind."""

import asyncio

from revans.live import consumers
from revans.live.models import LiveConnection, Presence
from revans.live.tests import sockets
from revans.live.tests.sockets import db, events_until, open_socket, quiet, run, session_headers

fresh_channel_layer = sockets.fresh_channel_layer
live_meeting = sockets.live_meeting


async def connections_of(user, count: int) -> None:
    """A socket records its connection just after sending the snapshot; a second tab's
    joining announces nothing, so wait for the row."""
    for _ in range(100):
        if await db(LiveConnection.objects.filter(user=user).count)() == count:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"{user} never had {count} connections")


def test_two_tabs_one_closes_the_member_stays_here(world, live_meeting):
    member, watcher = session_headers(world.member), session_headers(world.members[2])

    def here():
        return Presence.objects.get(user=world.member).connected

    async def scenario():
        others, _ = await open_socket(live_meeting.pk, watcher)
        await events_until(others, lambda e: e["type"] == "presence")
        laptop, _ = await open_socket(live_meeting.pk, member)
        joined = await events_until(others, lambda e: e["type"] == "presence")
        assert joined[-1]["payload"]["user"]["id"] == world.member.pk
        phone, snapshot = await open_socket(live_meeting.pk, member)
        mine = {p["user"]["id"]: p["connected"] for p in snapshot["presence"]}
        assert mine[world.member.pk] is True
        await connections_of(world.member, 2)

        await laptop.disconnect()
        assert await db(here)() is True
        assert await quiet(others)  # nothing to tell: they are still here
        assert await db(LiveConnection.objects.filter(user=world.member).count)() == 1

        await phone.disconnect()
        assert await db(here)() is False
        gone = await events_until(others, lambda e: e["type"] == "presence")
        assert gone[-1]["payload"] == {**gone[-1]["payload"], "connected": False}
        assert gone[-1]["payload"]["user"]["id"] == world.member.pk
        await others.disconnect()
        assert await db(LiveConnection.objects.count)() == 0

    run(scenario)()


def test_a_socket_closed_while_it_connects_leaves_no_connection(world, live_meeting, monkeypatch):
    """The client closed just after the server recorded its connection: the server's next
    send raises (uvicorn: ClientDisconnected) and channels never calls disconnect()."""

    async def client_gone(self, seq, always_answer=False):
        raise ConnectionResetError("the client closed")

    monkeypatch.setattr(consumers.MeetingConsumer, "catch_up", client_gone)
    headers = session_headers(world.member)

    async def scenario():
        socket = sockets.communicator(live_meeting.pk, headers)
        try:
            await socket.connect(timeout=sockets.TIMEOUT)
            await socket.receive_json_from(timeout=sockets.TIMEOUT)  # the snapshot
            await socket.wait(timeout=sockets.TIMEOUT)
        except ConnectionResetError:
            pass
        assert await db(LiveConnection.objects.count)() == 0
        assert await db(lambda: Presence.objects.get(user=world.member).connected)() is False

    run(scenario)()
