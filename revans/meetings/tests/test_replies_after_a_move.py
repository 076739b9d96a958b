"""A reply is given for a time: when the meeting moves, members are asked again, and what
they said before stays readable (to them, and their note to the facilitator)."""

import datetime as dt

from django.core import mail
from django.urls import reverse

from revans.meetings import actions
from revans.meetings.models import Rsvp
from revans.meetings.tests.helpers import local

NOTE = "Budget scrutiny committee that evening"


def _replied(world):
    meeting = world.meetings_a[0]
    actions.do_rsvp(meeting, user=world.members[1], response="apologies", note=NOTE)
    actions.do_rsvp(meeting, user=world.members[2], response="attending")
    return meeting


def _move(meeting, actor, *, days=0, minutes=None) -> None:
    start = local(meeting).replace(tzinfo=None) + dt.timedelta(days=days)
    actions.do_move_meeting(
        meeting,
        actor=actor,
        start_local=start,
        duration_minutes=minutes or meeting.duration_minutes,
    )
    meeting.refresh_from_db()


def test_replies_stand_until_the_meeting_moves_to_another_time(world):
    meeting = _replied(world)
    _move(meeting, world.facilitator, minutes=120)  # a new length only: replies stand
    assert all(r.stands for r in Rsvp.objects.filter(meeting=meeting).select_related("meeting"))

    _move(meeting, world.facilitator, days=2)
    replies = Rsvp.objects.filter(meeting=meeting).select_related("meeting")
    assert [r.stands for r in replies] == [False, False]
    # Nothing is lost: the earlier reply and its note are kept until the member replies again.
    assert Rsvp.objects.get(user=world.members[1]).note == NOTE
    again = actions.do_rsvp(meeting, user=world.members[1], response="attending")
    assert again.stands and again.given_for == meeting.starts_at


def test_the_move_email_asks_for_replies_again_only_when_the_time_changes(
    world, django_capture_on_commit_callbacks
):
    meeting = _replied(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _move(meeting, world.facilitator, minutes=120)
    assert mail.outbox and "reply again" not in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _move(meeting, world.facilitator, days=1)
    assert "If you had replied, please reply again for the new time" in mail.outbox[0].body


def test_pages_count_only_replies_for_the_new_time_and_ask_the_member_again(client, world):
    meeting = _replied(world)
    _move(meeting, world.facilitator, days=3)
    detail = reverse("meetings:detail", args=[meeting.pk])

    client.force_login(world.facilitator)
    body = client.get(detail).content.decode()
    assert "Attending: 0 · Apologies: 0 · No reply: 4" in " ".join(body.split())
    assert "No reply since the move (before: apologies)" in body
    assert "No reply since the move (before: attending)" in body
    assert NOTE in body  # the facilitator still reads why they could not come before
    home = client.get(reverse("home:home")).content.decode()
    assert NOTE not in home  # not listed among the apologies for the new time

    client.force_login(world.members[1])
    body = client.get(detail).content.decode()
    assert "The meeting has moved since you replied." in body
    assert "You had sent your apologies." in body
    assert "Please reply again for the new time." in body
    assert "Send my reply" in body and "Change my reply" not in body
    home = client.get(reverse("home:home")).content.decode()
    assert "The meeting has moved since you replied." in home

    response = client.post(
        reverse("meetings:rsvp", args=[meeting.pk]), {"response": "attending", "note": ""}
    )
    assert response.status_code == 302
    body = client.get(detail).content.decode()
    assert "You are attending." in body
    assert "The meeting has moved since you replied." not in body
