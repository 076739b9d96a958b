"""Presence becomes the attendance record when the meeting ends; the facilitator corrects it."""

import datetime as dt

import pytest
from django.urls import reverse

from revans.live import actions
from revans.live.summary import summary_for
from revans.live.templatetags.live_tags import minutes_seconds
from revans.live.tests.helpers import live_of, start, version
from revans.meetings.actions import MeetingActionRefused, do_record_attendance
from revans.meetings.models import Attendance, Meeting


def attended(meeting) -> dict[int, bool]:
    return dict(Attendance.objects.filter(meeting=meeting).values_list("user_id", "attended"))


def end(meeting, facilitator):
    actions.do_end_meeting(meeting, facilitator, expected_version=version(meeting))


def test_ending_the_meeting_records_who_joined_as_attendance(world, opened, on_the_day):
    on_the_day.move_to(opened.starts_at + dt.timedelta(minutes=5), tick=False)
    keys = [actions.do_join(opened, member)["connection"] for member in world.members[:3]]
    # Came, then lost the connection: still came.
    actions.do_leave(opened, world.members[2], keys[2])
    actions.do_join(opened, world.facilitator)
    start(opened, world.facilitator)
    end(opened, world.facilitator)

    record = attended(opened)
    assert {m.pk for m in world.members[:3]} == {k for k, v in record.items() if v}
    assert {m.pk for m in world.members[3:]} == {k for k, v in record.items() if not v}
    assert world.facilitator.pk not in record  # the facilitator is not a member
    assert Meeting.objects.get(pk=opened.pk).attendance_recorded_at is not None
    summary = summary_for(live_of(opened))
    assert summary["attendance_recorded"] is True


def test_a_correction_by_the_facilitator_is_what_the_summary_shows(
    client, world, opened, on_the_day
):
    on_the_day.move_to(opened.starts_at + dt.timedelta(minutes=5), tick=False)
    actions.do_join(opened, world.members[0])
    start(opened, world.facilitator)
    end(opened, world.facilitator)
    # In the room without a device: the facilitator adds them afterwards.
    do_record_attendance(
        opened,
        actor=world.facilitator,
        attended_user_ids=[world.members[0].pk, world.members[1].pk],
    )
    present = {p["id"] for p in summary_for(live_of(opened))["attendance"] if p["present"]}
    assert present == {world.members[0].pk, world.members[1].pk}

    client.force_login(world.facilitator)
    page = client.get(reverse("live:summary", args=[opened.pk])).content.decode()
    assert "Correct the attendance" in page
    client.force_login(world.members[0])
    page = client.get(reverse("live:summary", args=[opened.pk])).content.decode()
    assert "Correct the attendance" not in page


def test_attendance_recorded_by_hand_is_not_overwritten(world, opened, on_the_day):
    on_the_day.move_to(opened.starts_at + dt.timedelta(minutes=5), tick=False)
    do_record_attendance(opened, actor=world.facilitator, attended_user_ids=[world.member.pk])
    actions.do_join(opened, world.members[2])
    start(opened, world.facilitator)
    end(opened, world.facilitator)
    assert attended(opened)[world.member.pk] is True
    assert attended(opened)[world.members[2].pk] is False


def test_a_meeting_run_before_its_start_time_records_attendance_too(world, opened):
    # `opened` is on the day but before the start: the set began early and finished early.
    actions.do_join(opened, world.member)
    start(opened, world.facilitator)
    end(opened, world.facilitator)
    assert attended(opened)[world.member.pk] is True
    assert attended(opened)[world.members[2].pk] is False
    assert summary_for(live_of(opened))["attendance_recorded"] is True


def test_attendance_cannot_be_recorded_before_a_meeting_starts(world, meeting, on_the_day):
    with pytest.raises(MeetingActionRefused, match="once the meeting has started"):
        do_record_attendance(meeting, actor=world.facilitator, attended_user_ids=[])
    actions.do_open_meeting(meeting, world.facilitator)  # the room open: still not started
    with pytest.raises(MeetingActionRefused, match="once the meeting has started"):
        do_record_attendance(meeting, actor=world.facilitator, attended_user_ids=[])
    assert attended(meeting) == {}


def test_the_summary_shows_the_balance_of_airtime(client, world, opened, on_the_day):
    from revans.live.tests.helpers import go_to_round

    on_the_day.move_to(opened.starts_at + dt.timedelta(minutes=5), tick=False)
    holder, asker = world.members[1], world.members[2]
    go_to_round(opened, world.facilitator, 5, holders=[holder])
    actions.do_post_question(opened, asker, text="What have you tried so far?")
    actions.do_post_question(opened, asker, text="Who else is affected?")
    actions.do_post_question(opened, world.members[3], text="What matters most to you?")
    on_the_day.move_to(opened.starts_at + dt.timedelta(minutes=15), tick=False)
    end(opened, world.facilitator)
    rows = {row["name"]: row for row in summary_for(live_of(opened))["airtime"]}
    assert rows[asker.display_name]["meeting"]["questions"] == 2
    assert rows[holder.display_name]["programme"]["times_issue_holder"] == 1
    client.force_login(world.member)
    page = client.get(reverse("live:summary", args=[opened.pk])).content.decode()
    assert "Airtime" in page
    assert "not yet issue holder" in page
    assert "issue holder once" in page
    # Each count reads as a person would write it.
    assert "0 s of airtime: 0 s spoken, 2 questions, not yet issue holder" in page
    assert "0 s of airtime: 0 s spoken, 1 question, not yet issue holder" in page
    # The issue holder's airtime is the time the set spent on their issue, as the
    # facilitator's balance in the room counts it.
    seconds = rows[holder.display_name]["programme"]["airtime_seconds"]
    assert seconds == 10 * 60
    assert (
        f"{minutes_seconds(seconds)} of airtime: 0 s spoken, 0 questions, issue holder once" in page
    )
    assert "1 questions" not in page
