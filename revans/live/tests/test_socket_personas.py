"""Every socket message type, for every persona: only people inside the set get a socket at
all. Everyone else is closed with 4404 before the handshake completes, is sent nothing, and
changes nothing, whatever they send."""

import pytest

from revans.live.dispatch import REGISTRY
from revans.live.tests import sockets
from revans.live.tests.sockets import communicator, open_socket, receive, run, session_headers
from revans.live.tests.test_dispatch import OUTSIDERS, SAMPLES, state

fresh_channel_layer = sockets.fresh_channel_layer
live_meeting = sockets.live_meeting


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_can_neither_connect_nor_act(world, live_meeting, persona):
    headers = session_headers(world.persona(persona))
    before = state()

    async def scenario():
        for action in sorted(REGISTRY):
            socket = communicator(live_meeting.pk, headers)
            connected, code = await socket.connect(timeout=sockets.TIMEOUT)
            assert (connected, code) == (False, 4404), action
            await socket.send_json_to(
                {"type": "act", "id": action, "message": {"action": action, **SAMPLES[action]}}
            )
            await socket.send_json_to({"type": "since", "seq": 0})
            assert await socket.receive_nothing(timeout=0.05), action
            await socket.disconnect()

    run(scenario)()
    assert state() == before


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_are_told_nothing_about_a_meeting_that_does_not_exist(world, persona):
    headers = session_headers(world.persona(persona))

    async def scenario():
        for meeting_id in (world.meetings_a[0].pk, 999999):
            socket = communicator(meeting_id, headers)
            assert await socket.connect(timeout=sockets.TIMEOUT) == (False, 4404)

    run(scenario)()


def test_a_page_on_another_site_cannot_open_a_members_socket(world, live_meeting):
    headers = [
        (b"origin", b"http://evil.example") if name == b"origin" else (name, value)
        for name, value in session_headers(world.member)
    ]

    async def scenario():
        socket = communicator(live_meeting.pk, headers)
        connected, _ = await socket.connect(timeout=sockets.TIMEOUT)
        assert not connected

    run(scenario)()


@pytest.mark.parametrize("persona", ["facilitator", "member"])
def test_people_inside_reach_every_message_type(world, live_meeting, persona):
    """Wired: each act gets its own result (done, or refused for a reason of the action's own)."""
    headers = session_headers(world.persona(persona))

    async def scenario():
        socket, _ = await open_socket(live_meeting.pk, headers)
        for action in sorted(REGISTRY):
            message = {"action": action, **SAMPLES[action]}
            await socket.send_json_to({"type": "act", "id": action, "message": message})
            while (answer := await receive(socket))["type"] != "result":
                assert answer["type"] == "events"
            assert answer["id"] == action
            if answer["ok"]:
                assert {"version", "seq"} <= set(answer)
            else:
                assert answer["code"] not in ("not_found", "bad_message"), answer
                assert answer["message"]
        await socket.disconnect()

    run(scenario)()


def test_an_outsider_never_receives_the_sets_events(world, live_meeting):
    """Connected people get events; an outsider's refused socket gets none of them."""
    inside, outside = session_headers(world.member), session_headers(world.other_member)

    async def scenario():
        outsider = communicator(live_meeting.pk, outside)
        assert await outsider.connect(timeout=sockets.TIMEOUT) == (False, 4404)
        member, _ = await open_socket(live_meeting.pk, inside)
        await member.send_json_to(
            {"type": "act", "id": "n", "message": {"action": "private_note", "text": "Mine"}}
        )
        seen = []
        while (answer := await receive(member))["type"] != "result":
            seen.append(answer)
        assert answer["ok"] is True
        assert await outsider.receive_nothing(timeout=0.2)
        await member.disconnect()

    run(scenario)()
