"""The rules every change to a meeting follows, checked on the actions themselves."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from revans.live.models import LiveMeeting
from revans.meetings import actions
from revans.meetings.models import Attendance, Meeting, Rsvp
from revans.meetings.rules import MeetingActionRefused
from revans.meetings.tests.helpers import local, start_meeting_now
from revans.sets.models import LearningSet, SetMembership


def _later(meeting, days=0, hours=0):
    return local(meeting).replace(tzinfo=None) + dt.timedelta(days=days, hours=hours)


def test_moving_keeps_wall_clock_time_in_the_sets_zone_and_bumps_the_revision(world):
    meeting = world.meetings_a[0]
    target = _later(meeting, days=2)
    assert actions.do_move_meeting(
        meeting, actor=world.facilitator, start_local=target, duration_minutes=120
    )
    meeting.refresh_from_db()
    assert local(meeting).replace(tzinfo=None) == target
    assert meeting.duration_minutes == 120
    assert meeting.revision == 1


def test_moving_to_the_same_time_changes_nothing(world):
    meeting = world.meetings_a[0]
    moved = actions.do_move_meeting(
        meeting,
        actor=world.facilitator,
        start_local=_later(meeting),
        duration_minutes=meeting.duration_minutes,
    )
    assert moved is False
    meeting.refresh_from_db()
    assert meeting.revision == 0


def test_a_meeting_moved_into_the_past_is_refused(world):
    meeting = world.meetings_a[0]
    yesterday = timezone.now() - dt.timedelta(days=1)
    with pytest.raises(MeetingActionRefused) as refused:
        actions.do_move_meeting(
            meeting,
            actor=world.facilitator,
            start_local=yesterday.astimezone(local(meeting).tzinfo).replace(tzinfo=None),
            duration_minutes=90,
        )
    assert refused.value.field == "date"
    assert "passed" in refused.value.message


def test_a_meeting_overlapping_another_of_the_set_is_refused_naming_its_date(world):
    first, second = world.meetings_a[0], world.meetings_a[1]
    with pytest.raises(MeetingActionRefused) as refused:
        actions.do_move_meeting(
            first,
            actor=world.facilitator,
            start_local=_later(second, hours=1),  # starts inside the second meeting
            duration_minutes=90,
        )
    assert refused.value.field == "date"
    day = local(second).strftime("%A %-d %B %Y")
    assert f"overlaps the set's meeting on {day}, 18:00 (Europe/London)" in refused.value.message


def test_a_cancelled_meeting_does_not_block_its_slot(world):
    first, second = world.meetings_a[0], world.meetings_a[1]
    actions.do_cancel_meeting(second, actor=world.facilitator)
    assert actions.do_move_meeting(
        first, actor=world.facilitator, start_local=_later(second), duration_minutes=90
    )


def test_a_meeting_ended_early_frees_the_rest_of_its_slot_and_one_running_does_not(world):
    first, second = world.meetings_a[0], world.meetings_a[1]
    # The second meeting began half an hour ago and was planned for 90 minutes.
    Meeting.objects.filter(pk=second.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=30))
    second.refresh_from_db()
    live = LiveMeeting.objects.create(meeting=second, status=LiveMeeting.Status.RUNNING)
    in_its_slot = _later(second, hours=1)  # still inside its planned 90 minutes
    with pytest.raises(MeetingActionRefused, match="overlaps"):
        actions.do_move_meeting(
            first, actor=world.facilitator, start_local=in_its_slot, duration_minutes=60
        )
    live.status = LiveMeeting.Status.ENDED
    live.save()
    assert actions.do_move_meeting(
        first, actor=world.facilitator, start_local=in_its_slot, duration_minutes=60
    )


def test_another_sets_meeting_at_the_same_time_is_no_overlap(world):
    other = world.meetings_a[4]  # set B has no meeting then
    meeting = actions.do_add_meeting(
        world.set_b,
        actor=world.set_b.facilitator,
        start_local=_later(other),
        duration_minutes=90,
    )
    assert meeting.starts_at == other.starts_at


def test_adding_a_meeting_uses_the_sets_defaults_and_checks_past_and_overlap(world):
    meeting = world.meetings_a[-1]
    added = actions.do_add_meeting(
        world.set_a, actor=world.facilitator, start_local=_later(meeting, days=7)
    )
    assert (added.duration_minutes, added.format) == (90, "open")
    with pytest.raises(MeetingActionRefused, match="overlaps"):
        actions.do_add_meeting(
            world.set_a, actor=world.facilitator, start_local=_later(meeting, hours=-1)
        )
    with pytest.raises(MeetingActionRefused, match="passed"):
        actions.do_add_meeting(
            world.set_a, actor=world.facilitator, start_local=dt.datetime(2020, 1, 1, 18, 0)
        )


def test_archived_sets_refuse_every_change(world):
    LearningSet.objects.filter(pk=world.set_a.pk).update(archived_at=timezone.now())
    meeting = world.meetings_a[0]
    attempts = [
        lambda: actions.do_move_meeting(
            meeting,
            actor=world.facilitator,
            start_local=_later(meeting, days=1),
            duration_minutes=90,
        ),
        lambda: actions.do_cancel_meeting(meeting, actor=world.facilitator),
        lambda: actions.do_update_meeting_details(
            meeting, actor=world.facilitator, format="planned"
        ),
        lambda: actions.do_add_meeting(
            world.set_a, actor=world.facilitator, start_local=_later(meeting, days=1)
        ),
        lambda: actions.do_rsvp(meeting, user=world.member, response="attending"),
    ]
    for attempt in attempts:
        with pytest.raises(MeetingActionRefused, match="archived"):
            attempt()


def test_planned_meetings_take_a_topic_and_an_issue_holder_who_is_a_member(world):
    meeting = world.meetings_a[0]
    assert actions.do_update_meeting_details(
        meeting,
        actor=world.facilitator,
        format="planned",
        topic="  Leading   through restructuring ",
        issue_holder=world.members[1],
    )
    meeting.refresh_from_db()
    assert (meeting.format, meeting.topic, meeting.issue_holder) == (
        "planned",
        "Leading through restructuring",
        world.members[1],
    )
    assert meeting.revision == 1
    with pytest.raises(MeetingActionRefused) as refused:
        actions.do_update_meeting_details(
            meeting, actor=world.facilitator, format="combined", issue_holder=world.other_member
        )
    assert refused.value.field == "issue_holder"


def test_a_former_member_cannot_be_the_issue_holder(world):
    SetMembership.objects.filter(user=world.members[2]).update(left_at=timezone.now())
    with pytest.raises(MeetingActionRefused, match="current member"):
        actions.do_update_meeting_details(
            world.meetings_a[0],
            actor=world.facilitator,
            format="planned",
            issue_holder=world.members[2],
        )


def test_an_open_meeting_has_no_agreed_topic(world):
    with pytest.raises(MeetingActionRefused) as refused:
        actions.do_update_meeting_details(
            world.meetings_a[0], actor=world.facilitator, format="open", topic="Budgets"
        )
    assert refused.value.field == "topic"


def test_cancelling_marks_the_meeting_and_refuses_twice(world):
    meeting = actions.do_cancel_meeting(world.meetings_a[0], actor=world.facilitator)
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.cancelled_at is not None
    assert meeting.revision == 1
    with pytest.raises(MeetingActionRefused, match="cancelled"):
        actions.do_cancel_meeting(meeting, actor=world.facilitator)
    with pytest.raises(MeetingActionRefused, match="cancelled"):
        actions.do_move_meeting(
            meeting,
            actor=world.facilitator,
            start_local=_later(meeting, days=1),
            duration_minutes=90,
        )


def test_a_meeting_that_has_started_cannot_be_cancelled_or_moved(world):
    meeting = start_meeting_now(world.meetings_a[0], minutes_ago=10)
    with pytest.raises(MeetingActionRefused, match="already started"):
        actions.do_cancel_meeting(meeting, actor=world.facilitator)
    with pytest.raises(MeetingActionRefused, match="already started"):
        actions.do_move_meeting(
            meeting,
            actor=world.facilitator,
            start_local=_later(world.meetings_a[1], days=3),
            duration_minutes=90,
        )


def test_edit_changes_details_and_time_together_or_not_at_all(world):
    meeting, second = world.meetings_a[0], world.meetings_a[1]
    with pytest.raises(MeetingActionRefused, match="overlaps"):
        actions.do_edit_meeting(
            meeting,
            actor=world.facilitator,
            start_local=_later(second),
            duration_minutes=90,
            format="planned",
            topic="Budgets",
        )
    meeting.refresh_from_db()
    assert (meeting.format, meeting.topic) == ("open", "")
    moved, changed = actions.do_edit_meeting(
        meeting,
        actor=world.facilitator,
        start_local=_later(meeting, days=1),
        duration_minutes=90,
        format="planned",
        topic="Budgets",
    )
    assert (moved, changed) == (True, True)
    meeting.refresh_from_db()
    assert meeting.revision == 1


# Emails


def _emails_after(django_capture_on_commit_callbacks, action):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        action()
    return list(mail.outbox)


def test_moving_emails_every_member_the_new_time_and_a_link_but_no_topic_or_notes(
    world, django_capture_on_commit_callbacks
):
    meeting = world.meetings_a[0]
    Meeting.objects.filter(pk=meeting.pk).update(format="planned", topic="Secret restructuring")
    Rsvp.objects.create(
        meeting=meeting, user=world.members[1], response="apologies", note="Private reason"
    )
    target = _later(meeting, days=1)
    sent = _emails_after(
        django_capture_on_commit_callbacks,
        lambda: actions.do_move_meeting(
            meeting, actor=world.facilitator, start_local=target, duration_minutes=90
        ),
    )
    assert sorted(m.to[0] for m in sent) == sorted(u.email for u in world.members)
    message = sent[0]
    assert message.subject == "Meeting moved: Heads of Service"
    assert target.strftime("%A %-d %B %Y, 18:00 (Europe/London)") in message.body
    assert f"http://testserver/meetings/{meeting.pk}/" in message.body
    for email in sent:
        assert "Secret restructuring" not in email.body + email.subject
        assert "Private reason" not in email.body + email.subject


def test_the_facilitator_hears_when_an_admin_moves_a_meeting(
    world, django_capture_on_commit_callbacks
):
    meeting = world.meetings_a[0]
    sent = _emails_after(
        django_capture_on_commit_callbacks,
        lambda: actions.do_move_meeting(
            meeting, actor=world.admin, start_local=_later(meeting, days=1), duration_minutes=90
        ),
    )
    recipients = {m.to[0] for m in sent}
    assert world.facilitator.email in recipients
    assert world.admin.email not in recipients


def test_former_members_and_other_sets_are_not_emailed(world, django_capture_on_commit_callbacks):
    SetMembership.objects.filter(user=world.members[3]).update(left_at=timezone.now())
    sent = _emails_after(
        django_capture_on_commit_callbacks,
        lambda: actions.do_cancel_meeting(world.meetings_a[0], actor=world.facilitator),
    )
    recipients = {m.to[0] for m in sent}
    assert recipients == {u.email for u in world.members[:3]}


def test_cancelling_emails_the_date_and_no_topic_or_notes(
    world, django_capture_on_commit_callbacks
):
    meeting = world.meetings_a[0]
    Meeting.objects.filter(pk=meeting.pk).update(format="planned", topic="Secret restructuring")
    Rsvp.objects.create(
        meeting=meeting, user=world.member, response="apologies", note="Private reason"
    )
    sent = _emails_after(
        django_capture_on_commit_callbacks,
        lambda: actions.do_cancel_meeting(meeting, actor=world.facilitator),
    )
    assert len(sent) == 4
    assert sent[0].subject == "Meeting cancelled: Heads of Service"
    assert local(meeting).strftime("%A %-d %B %Y, 18:00 (Europe/London)") in sent[0].body
    assert "is cancelled" in sent[0].body
    for email in sent:
        assert "Secret restructuring" not in email.body and "Private reason" not in email.body


def test_changing_details_sends_no_email(world, django_capture_on_commit_callbacks):
    sent = _emails_after(
        django_capture_on_commit_callbacks,
        lambda: actions.do_update_meeting_details(
            world.meetings_a[0], actor=world.facilitator, format="planned", topic="Budgets"
        ),
    )
    assert sent == []


# RSVP


def test_a_member_replies_and_can_change_their_reply(world):
    meeting = world.meetings_a[0]
    actions.do_rsvp(meeting, user=world.member, response="attending")
    rsvp = actions.do_rsvp(meeting, user=world.member, response="apologies", note=" Away \r\n ")
    assert (rsvp.response, rsvp.note) == ("apologies", "Away")
    assert Rsvp.objects.filter(meeting=meeting, user=world.member).count() == 1


@pytest.mark.parametrize("who", ["facilitator", "other_member", "sponsor", "admin", "stranger"])
def test_only_current_members_reply(world, who):
    with pytest.raises(MeetingActionRefused, match="members"):
        actions.do_rsvp(world.meetings_a[0], user=getattr(world, who), response="attending")


def test_replies_close_when_the_meeting_starts_or_is_cancelled(world):
    started = start_meeting_now(world.meetings_a[0], minutes_ago=5)
    with pytest.raises(MeetingActionRefused, match="already started"):
        actions.do_rsvp(started, user=world.member, response="attending")
    cancelled = actions.do_cancel_meeting(world.meetings_a[1], actor=world.facilitator)
    with pytest.raises(MeetingActionRefused, match="cancelled"):
        actions.do_rsvp(cancelled, user=world.member, response="attending")


def test_a_note_over_500_characters_is_refused(world):
    with pytest.raises(MeetingActionRefused) as refused:
        actions.do_rsvp(
            world.meetings_a[0], user=world.member, response="apologies", note="x" * 501
        )
    assert refused.value.field == "note"
    assert "500" in refused.value.message


# Attendance


def test_attendance_cannot_be_recorded_before_the_meeting_starts(world):
    with pytest.raises(MeetingActionRefused, match="once the meeting has started"):
        actions.do_record_attendance(
            world.meetings_a[0], actor=world.facilitator, attended_user_ids=[world.member.pk]
        )
    assert not Attendance.objects.exists()


def test_attendance_is_recorded_for_every_current_member_and_re_recording_updates(world):
    meeting = start_meeting_now(world.meetings_a[0])
    came = [world.members[0].pk, world.members[1].pk]
    assert (
        actions.do_record_attendance(meeting, actor=world.facilitator, attended_user_ids=came) == 2
    )
    rows = {a.user_id: a.attended for a in Attendance.objects.filter(meeting=meeting)}
    assert rows == {u.pk: u.pk in came for u in world.members}
    meeting.refresh_from_db()
    first_recorded = meeting.attendance_recorded_at
    assert first_recorded is not None
    actions.do_record_attendance(
        meeting, actor=world.admin, attended_user_ids=[world.members[3].pk]
    )
    rows = {a.user_id: a.attended for a in Attendance.objects.filter(meeting=meeting)}
    assert rows == {u.pk: u == world.members[3] for u in world.members}
    assert Attendance.objects.filter(meeting=meeting).count() == 4
    assert set(Attendance.objects.values_list("recorded_by", flat=True)) == {world.admin.pk}


def test_attendance_lists_only_current_members(world):
    meeting = start_meeting_now(world.meetings_a[0])
    with pytest.raises(MeetingActionRefused, match="current members"):
        actions.do_record_attendance(
            meeting, actor=world.facilitator, attended_user_ids=[world.other_member.pk]
        )
