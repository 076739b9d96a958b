"""Presence counts connections: two tabs (or a phone and a laptop) keep someone here until the
last one closes, and the connections of a server process that is gone are dropped."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.utils import timezone

from revans.live import actions, servers
from revans.live.models import LiveConnection, LiveServer, MeetingEvent, Presence
from revans.live.refusals import MeetingRefused
from revans.live.tests.helpers import live_of, start, version
from revans.meetings.models import Attendance
from revans.sets.models import SetMembership


def here(meeting, user) -> bool:
    return Presence.objects.get(live_meeting__meeting=meeting, user=user).connected


def presence_events(meeting) -> list[dict]:
    events = MeetingEvent.objects.filter(live_meeting=live_of(meeting), type="presence")
    return [e.payload for e in events.order_by("seq")]


def test_a_member_with_two_tabs_stays_present_until_both_close(world, opened):
    laptop = actions.do_join(opened, world.member)["connection"]
    seq = live_of(opened).last_seq
    phone = actions.do_join(opened, world.member)["connection"]
    assert phone != laptop
    assert live_of(opened).last_seq == seq  # the second tab tells the others nothing

    actions.do_leave(opened, world.member, laptop)
    assert here(opened, world.member) is True
    assert live_of(opened).last_seq == seq

    actions.do_leave(opened, world.member, phone)
    assert here(opened, world.member) is False
    assert [p["connected"] for p in presence_events(opened)] == [True, False]
    assert LiveConnection.objects.count() == 0


def test_leaving_twice_or_with_someone_elses_key_changes_nothing(world, opened):
    mine = actions.do_join(opened, world.member)["connection"]
    actions.do_join(opened, world.members[2])
    seq = live_of(opened).last_seq
    actions.do_leave(opened, world.members[2], mine)  # not theirs to close
    assert here(opened, world.member) is True
    actions.do_leave(opened, world.member, mine)
    actions.do_leave(opened, world.member, mine)
    assert here(opened, world.member) is False
    assert live_of(opened).last_seq == seq + 1


def test_coming_back_after_closing_every_tab_is_announced(world, opened):
    key = actions.do_join(opened, world.member)["connection"]
    actions.do_leave(opened, world.member, key)
    actions.do_join(opened, world.member)
    assert here(opened, world.member) is True
    assert [p["connected"] for p in presence_events(opened)] == [True, False, True]


def test_someone_removed_from_the_set_is_still_marked_as_gone_when_their_socket_closes(
    world, opened
):
    key = actions.do_join(opened, world.members[2])["connection"]
    SetMembership.objects.filter(user=world.members[2]).update(left_at=timezone.now())
    actions.do_leave(opened, world.members[2], key)
    assert here(opened, world.members[2]) is False


def test_two_tabs_one_closed_still_counts_as_attending(world, opened, on_the_day):
    on_the_day.move_to(opened.starts_at + dt.timedelta(minutes=5), tick=False)
    first = actions.do_join(opened, world.member)["connection"]
    actions.do_join(opened, world.member)
    actions.do_leave(opened, world.member, first)
    start(opened, world.facilitator)
    actions.do_end_meeting(opened, world.facilitator, expected_version=version(opened))
    attended = dict(Attendance.objects.filter(meeting=opened).values_list("user_id", "attended"))
    assert attended[world.member.pk] is True
    assert list(attended.values()).count(True) == 1


# A server process that is gone --------------------------------------------------------------


def a_finished_pid() -> int:
    """The pid of a process that has exited (and been reaped): nothing runs under it."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def crashed_server(pid: int | None = None, host: str | None = None, beat_ago=0) -> LiveServer:
    now = timezone.now()
    return LiveServer.objects.create(
        boot_id=os.urandom(16).hex(),
        host=host or servers.host(),
        pid=pid if pid is not None else a_finished_pid(),
        started_at=now - dt.timedelta(hours=1),
        heartbeat_at=now - dt.timedelta(seconds=beat_ago),
    )


def held_by(server: LiveServer, meeting, user) -> None:
    """What a server's join wrote before it was killed."""
    LiveConnection.objects.create(
        live_meeting=live_of(meeting), user=user, server=server, key=os.urandom(16).hex()
    )
    Presence.objects.update_or_create(
        live_meeting=live_of(meeting), user=user, defaults={"connected": True}
    )


def test_a_crashed_process_on_this_host_has_its_connections_dropped_at_once(world, opened):
    gone = crashed_server()
    held_by(gone, opened, world.member)
    held_by(gone, opened, world.members[2])
    # members[2] reconnected to the restarted server in a new tab: they are still here.
    actions.do_join(opened, world.members[2])
    seq = live_of(opened).last_seq

    assert actions.do_drop_dead_servers() == 2

    assert here(opened, world.member) is False
    assert here(opened, world.members[2]) is True
    assert not LiveServer.objects.filter(pk=gone.pk).exists()
    assert list(LiveConnection.objects.values_list("user_id", flat=True)) == [world.members[2].pk]
    assert live_of(opened).last_seq == seq + 1
    assert presence_events(opened)[-1]["user"]["id"] == world.member.pk
    assert actions.do_drop_dead_servers() == 0


def test_a_process_elsewhere_is_dead_only_when_it_stops_beating(world, opened):
    elsewhere = crashed_server(pid=os.getpid(), host="another-host", beat_ago=5)
    held_by(elsewhere, opened, world.member)
    assert actions.do_drop_dead_servers() == 0
    assert here(opened, world.member) is True

    stale = servers.stale_after() + dt.timedelta(seconds=1)
    LiveServer.objects.filter(pk=elsewhere.pk).update(heartbeat_at=timezone.now() - stale)
    assert actions.do_drop_dead_servers() == 1
    assert here(opened, world.member) is False


def test_a_live_process_on_this_host_is_left_alone(world, opened):
    parent = crashed_server(pid=os.getppid())
    held_by(parent, opened, world.member)
    assert actions.do_drop_dead_servers() == 0
    assert here(opened, world.member) is True


def test_a_restart_that_reuses_the_pid_is_not_taken_for_the_old_process(world, opened):
    # In a container the restarted server often gets the same pid as the one killed.
    before = crashed_server(pid=os.getpid())
    held_by(before, opened, world.member)
    key = actions.do_join(opened, world.members[2])["connection"]
    assert actions.do_drop_dead_servers() == 1
    assert here(opened, world.member) is False
    # This process's own connection stays.
    assert LiveConnection.objects.filter(key=key).exists()


def test_heartbeat_keeps_this_process_alive_and_says_when_it_was_swept(world, opened):
    actions.do_join(opened, world.member)
    mine = LiveServer.objects.get(boot_id=servers.boot_id())
    LiveServer.objects.filter(pk=mine.pk).update(heartbeat_at=timezone.now() - dt.timedelta(days=1))
    assert actions.do_heartbeat() is True
    assert LiveServer.objects.get(pk=mine.pk).heartbeat_at > timezone.now() - dt.timedelta(
        minutes=1
    )
    assert actions.do_drop_dead_servers() == 0  # never itself
    LiveServer.objects.filter(pk=mine.pk).delete()
    assert actions.do_heartbeat() is False


def test_joining_an_ended_meeting_records_no_connection(world, opened):
    start(opened, world.facilitator)
    actions.do_end_meeting(opened, world.facilitator, expected_version=version(opened))
    with pytest.raises(MeetingRefused):
        actions.do_join(opened, world.member)
    assert LiveConnection.objects.count() == 0
