"""The meeting page: what each role sees, and what it never sees."""

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.meetings.models import Attendance, Meeting, Rsvp
from revans.meetings.tests.helpers import grow_set, local, sign_in_as, start_meeting_now
from revans.sets.models import LearningSet
from revans.testing import count_queries

NOTE = "Hospital appointment for my daughter"
TOPIC = "Restructuring the housing team"


def url(meeting):
    return reverse("meetings:detail", args=[meeting.pk])


@pytest.fixture
def planned(world):
    """Set A's first meeting, planned, with an issue holder, apologies with a note."""
    LearningSet.objects.filter(pk=world.set_a.pk).update(
        location="Civic Centre, Room 4", online_link="https://meet.example.org/hos"
    )
    meeting = world.meetings_a[0]
    Meeting.objects.filter(pk=meeting.pk).update(
        format="planned", topic=TOPIC, issue_holder=world.members[2]
    )
    Rsvp.objects.create(meeting=meeting, user=world.members[1], response="apologies", note=NOTE)
    Rsvp.objects.create(meeting=meeting, user=world.members[3], response="attending")
    return meeting


def test_members_see_time_in_the_sets_zone_place_format_topic_and_issue_holder(
    client, world, planned
):
    client.force_login(world.member)
    body = client.get(url(planned)).content.decode()
    when = local(planned)
    assert when.strftime("%A %-d %B %Y, %H:%M") in body
    assert "Europe/London" in body
    assert "90 minutes" in body
    assert "Civic Centre, Room 4" in body
    assert "https://meet.example.org/hos" in body
    assert "Planned: topic agreed in advance" in body
    assert TOPIC in body
    assert world.members[2].full_name in body
    # Their own reply form; not the others' replies, and never someone else's note.
    assert 'name="response"' in body
    assert NOTE not in body
    assert "Replies" not in body


def test_a_new_york_set_shows_new_york_time(client, world):
    LearningSet.objects.filter(pk=world.set_a.pk).update(time_zone="America/New_York")
    meeting = Meeting.objects.get(pk=world.meetings_a[0].pk)
    client.force_login(world.member)
    body = client.get(url(meeting)).content.decode()
    assert local(meeting).strftime("%A %-d %B %Y, %H:%M") in body
    assert "America/New_York" in body


def test_the_facilitator_sees_every_reply_and_the_notes(client, world, planned):
    client.force_login(world.facilitator)
    body = client.get(url(planned)).content.decode()
    assert "Attending: 1 · Apologies: 1 · No reply: 2" in body
    for member in world.members:
        assert member.full_name in body
    assert NOTE in body
    # The facilitator is not a member: no reply form of their own.
    assert 'name="response"' not in body


@pytest.mark.parametrize("persona", ["member", "admin", "sponsor"])
def test_apology_notes_are_for_the_facilitator_only(client, world, planned, persona):
    # members[0] is "member": a member other than the one who wrote the note.
    sign_in_as(client, world, persona)
    response = client.get(url(planned))
    assert response.status_code == 200
    assert NOTE not in response.content.decode()


def test_the_author_sees_their_own_note(client, world, planned):
    client.force_login(world.members[1])
    assert NOTE in client.get(url(planned)).content.decode()


def test_organisation_admins_see_replies_without_notes(client, world, planned):
    client.force_login(world.admin)
    body = client.get(url(planned)).content.decode()
    assert "Attending: 1 · Apologies: 1 · No reply: 2" in body
    assert world.members[1].full_name in body
    assert NOTE not in body
    assert "Note to you" not in body


def test_a_facilitator_who_hands_the_duties_to_a_member_in_a_self_managed_set(
    client, world, planned
):
    # The duty holder is both a member and the facilitator: they read the notes.
    LearningSet.objects.filter(pk=world.set_a.pk).update(
        self_managed=True, facilitator=world.members[3]
    )
    client.force_login(world.members[3])
    body = client.get(url(planned)).content.decode()
    assert NOTE in body and 'name="response"' in body


def test_sponsors_see_only_date_time_status_and_counts(client, world, planned):
    meeting = start_meeting_now(planned, minutes_ago=200)
    for i, member in enumerate(world.members):
        Attendance.objects.create(meeting=meeting, user=member, attended=i != 1)
    Meeting.objects.filter(pk=meeting.pk).update(attendance_recorded_at=timezone.now())
    client.force_login(world.sponsor)
    body = client.get(url(meeting)).content.decode()
    assert local(meeting).strftime("%A %-d %B %Y, %H:%M") in body
    assert "Held" in body
    assert "3 members" in body
    for secret in [TOPIC, NOTE, "Civic Centre", "https://meet.example.org/hos", "Planned"]:
        assert secret not in body
    for member in world.members:
        assert member.full_name not in body and member.email not in body
    assert reverse("sets:detail", args=[world.set_a.pk]) not in body


def test_the_facilitator_records_attendance_after_the_meeting(client, world, planned):
    meeting = start_meeting_now(planned, minutes_ago=100)
    client.force_login(world.facilitator)
    body = client.get(url(meeting)).content.decode()
    assert "Record attendance" in body
    assert "Attendance to record" in body
    response = client.post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {"attended": [world.members[0].pk, world.members[2].pk]},
        follow=True,
    )
    body = response.content.decode()
    assert "Attendance recorded: 2 of 4 members attended." in body
    assert "Change the attendance" in body
    rows = dict(Attendance.objects.filter(meeting=meeting).values_list("user_id", "attended"))
    assert rows == {m.pk: m in (world.members[0], world.members[2]) for m in world.members}


def test_the_attendance_form_starts_from_the_replies(client, world, planned):
    meeting = start_meeting_now(planned)
    client.force_login(world.facilitator)
    form = client.get(url(meeting)).context["attendance_form"]
    # Everyone but the member who sent apologies is ticked to begin with.
    assert set(form.initial["attended"]) == {
        str(m.pk) for m in world.members if m != world.members[1]
    }


def test_attendance_before_the_meeting_starts_is_refused_with_a_message(client, world):
    meeting = world.meetings_a[0]
    client.force_login(world.facilitator)
    body = client.get(url(meeting)).content.decode()
    assert "once the meeting has started" in body
    assert "Record attendance" not in body
    response = client.post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {"attended": [world.member.pk]},
        follow=True,
    )
    body = response.content.decode()
    assert "Attendance can be recorded once the meeting has started" in body
    assert local(meeting).strftime("%A %-d %B %Y, 18:00 (Europe/London)") in body
    assert not Attendance.objects.exists()


def test_a_cancelled_meeting_says_so_and_offers_no_changes(client, world):
    meeting = world.meetings_a[0]
    Meeting.objects.filter(pk=meeting.pk).update(status="cancelled", cancelled_at=timezone.now())
    client.force_login(world.facilitator)
    body = client.get(url(meeting)).content.decode()
    assert "badge-cancelled" in body
    assert reverse("meetings:edit", args=[meeting.pk]) not in body
    client.force_login(world.member)
    body = client.get(url(meeting)).content.decode()
    assert "You did not reply, and replies are now closed for this meeting." in body
    assert "not replied yet" not in body


@pytest.mark.parametrize(
    "persona, expected",
    # Those who may change the meeting: one more, whether it has been opened live yet.
    [("facilitator", 4), ("member", 4), ("admin", 4), ("sponsor", 3)],
)
def test_meeting_page_queries_stay_constant(
    client, world, django_assert_num_queries, persona, expected
):
    meeting = world.meetings_a[0]
    sign_in_as(client, world, persona)
    small, _ = count_queries(client, "get", url(meeting))
    extra = grow_set(world.set_a, 12)
    for user in extra:
        Rsvp.objects.create(meeting=meeting, user=user, response="apologies", note="n")
    large, response = count_queries(client, "get", url(meeting))
    if persona in ("facilitator", "admin"):
        assert "Extra Person 11" in response.content.decode()
    assert small == large
    with django_assert_num_queries(expected):
        client.get(url(meeting))


def test_meeting_page_after_attendance_queries_stay_constant(
    client, world, django_assert_num_queries
):
    meeting = start_meeting_now(world.meetings_a[0])
    Meeting.objects.filter(pk=meeting.pk).update(attendance_recorded_at=timezone.now())
    client.force_login(world.sponsor)
    small, _ = count_queries(client, "get", url(meeting))
    for user in grow_set(world.set_a, 12):
        Attendance.objects.create(meeting=meeting, user=user, attended=True)
    large, response = count_queries(client, "get", url(meeting))
    assert "8 members" in response.content.decode()
    assert small == large
    with django_assert_num_queries(4):
        client.get(url(meeting))
