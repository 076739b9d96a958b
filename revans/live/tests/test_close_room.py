"""The facilitator opened the room but the set is not meeting now: before the meeting starts
the room can be closed, recording nothing, and the meeting can then be moved, cancelled or
opened again. Ending it instead would have recorded a meeting that never took place."""

from __future__ import annotations

import pytest

from revans.core.models import OutboundEmail
from revans.live import actions, consumers
from revans.live.models import LiveMeeting
from revans.live.refusals import MeetingRefused
from revans.live.tests import sockets
from revans.live.tests.helpers import go_to_round, version
from revans.live.tests.sockets import db, open_socket, receive, run, session_headers
from revans.meetings.actions import do_cancel_meeting, why_it_cannot_change
from revans.meetings.models import Attendance, Meeting

fresh_channel_layer = sockets.fresh_channel_layer
live_meeting = sockets.live_meeting


def _fresh(meeting) -> Meeting:
    return Meeting.objects.get(pk=meeting.pk)


def test_closing_the_room_records_nothing_and_frees_the_meeting(world, opened, announced):
    actions.do_join(opened, world.member)
    emails = OutboundEmail.objects.count()
    actions.do_close_room(opened, world.facilitator, expected_version=version(opened))
    meeting = _fresh(opened)
    assert not LiveMeeting.objects.filter(meeting=meeting).exists()
    assert meeting.live_status is None and meeting.phase == "upcoming" and not meeting.is_held
    assert not Attendance.objects.filter(meeting=meeting).exists()
    assert OutboundEmail.objects.count() == emails  # no "summary ready" for a non-meeting
    # Free to move or cancel, and to open again later the same day.
    assert why_it_cannot_change(meeting) is None
    actions.do_open_meeting(meeting, world.facilitator)
    assert _fresh(meeting).live_status == "not_started"
    actions.do_close_room(meeting, world.facilitator, expected_version=version(meeting))
    do_cancel_meeting(_fresh(meeting), actor=world.facilitator)
    assert _fresh(meeting).is_cancelled


def test_the_members_are_told_after_commit(world, opened, django_capture_on_commit_callbacks):
    from revans.live import broadcast

    told: list[int] = []
    original = broadcast.room_closed
    broadcast.room_closed = told.append
    try:
        with django_capture_on_commit_callbacks(execute=True):
            actions.do_close_room(opened, world.facilitator, expected_version=version(opened))
    finally:
        broadcast.room_closed = original
    assert told == [opened.pk]


def test_only_before_the_start_and_only_by_whoever_facilitates(world, opened):
    with pytest.raises(MeetingRefused) as refused:
        actions.do_close_room(opened, world.member, expected_version=version(opened))
    assert refused.value.code == "wrong_person"
    with pytest.raises(MeetingRefused) as refused:
        actions.do_close_room(opened, world.facilitator, expected_version=version(opened) - 1)
    assert refused.value.code == "stale"
    go_to_round(opened, world.facilitator, 1)
    with pytest.raises(MeetingRefused) as refused:
        actions.do_close_room(opened, world.facilitator, expected_version=version(opened))
    assert refused.value.code == "started"
    assert "end it instead" in refused.value.message
    assert LiveMeeting.objects.filter(meeting=opened).exists()


def test_a_meeting_that_never_started_cannot_be_ended(world, opened):
    """Ending it would record the meeting as held, take attendance and email a summary."""
    actions.do_join(opened, world.member)
    emails = OutboundEmail.objects.count()
    with pytest.raises(MeetingRefused) as refused:
        actions.do_end_meeting(opened, world.facilitator, expected_version=version(opened))
    assert refused.value.code == "not_started"
    assert "close the room instead" in refused.value.message
    meeting = _fresh(opened)
    assert meeting.live_status == "not_started" and not meeting.is_held
    assert not Attendance.objects.filter(meeting=meeting).exists()
    assert OutboundEmail.objects.count() == emails


def test_connected_members_are_told_and_their_sockets_close(world, live_meeting):
    headers = session_headers(world.member)

    async def scenario():
        socket, _ = await open_socket(live_meeting.pk, headers)
        await db(actions.do_close_room)(
            live_meeting, world.facilitator, expected_version=await db(version)(live_meeting)
        )
        message = await receive(socket)
        while message["type"] == "events":  # presence, pushed before the room closed
            message = await receive(socket)
        assert message == {
            "type": "closed",
            "message": "The facilitator closed the room before the meeting started. "
            "Nothing was recorded.",
        }
        # Coming back finds no room, as before the facilitator opened it.
        await sockets.assert_shut_for_good(socket, live_meeting.pk, headers)

    run(scenario)()
    assert not LiveMeeting.objects.filter(meeting=live_meeting).exists()


def test_a_socket_that_missed_the_notice_learns_of_it_on_its_next_read(
    world, live_meeting, monkeypatch
):
    """The hint can be lost, or come after a read (two servers, Redis): a read that finds the
    room gone says the same, never "not opened yet"."""
    from revans.live import broadcast

    monkeypatch.setattr(broadcast, "room_closed", lambda meeting_id: None)
    headers = session_headers(world.member)

    async def scenario():
        socket, _ = await open_socket(live_meeting.pk, headers)
        await db(actions.do_close_room)(
            live_meeting, world.facilitator, expected_version=await db(version)(live_meeting)
        )
        await socket.send_json_to({"type": "since", "seq": 0})
        message = await receive(socket)
        while message["type"] == "events":
            message = await receive(socket)
        assert message["type"] == "closed", message
        output = await socket.receive_output(timeout=sockets.TIMEOUT)
        assert output == {"type": "websocket.close", "code": consumers.CLOSE_NOT_AVAILABLE}

    run(scenario)()
