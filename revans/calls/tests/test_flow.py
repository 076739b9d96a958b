"""Arranging, picking, marking and writing notes: the pages a facilitator and member use."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.calls.models import CallNote, MomentumCall
from revans.calls.tests.helpers import (
    PRIVATE_NOTE,
    SHARED_NOTE,
    future,
    membership_of,
    offer,
    planned_call,
)
from revans.core.models import OutboundEmail
from revans.sets.models import LearningSet

LONDON = ZoneInfo("Europe/London")


def arrange_url(world, user=None):
    return reverse(
        "calls:arrange", args=[world.set_a.pk, membership_of(world, user or world.member).pk]
    )


def local(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def test_calls_due_are_listed_with_the_suggested_day(client, between):
    client.force_login(between.facilitator)
    body = client.get(reverse("calls:set_calls", args=[between.set_a.pk])).content.decode()
    assert "Suggested day for the calls" in body
    middle = (
        between.held_a.starts_at + (between.meetings_a[0].starts_at - between.held_a.starts_at) / 2
    )
    day = middle.astimezone(LONDON)
    assert f"{day.day} {day:%B %Y}" in body
    for member in between.members:
        assert f"Arrange a call with {member.full_name}" in body


def test_no_calls_are_due_before_the_first_meeting(client, world):
    client.force_login(world.facilitator)
    body = client.get(reverse("calls:set_calls", args=[world.set_a.pk])).content.decode()
    assert "not between two meetings" in body
    assert "Arrange a call" not in body


def test_a_set_can_switch_calls_off(client, between):
    LearningSet.objects.filter(pk=between.set_a.pk).update(momentum_calls=False)
    client.force_login(between.facilitator)
    body = client.get(reverse("calls:set_calls", args=[between.set_a.pk])).content.decode()
    assert "switched off" in body
    assert "Arrange a call" not in body
    assert "Momentum calls" not in client.get(reverse("home:home")).content.decode()
    response = client.post(
        arrange_url(between),
        {"how": "record", "record-when": local(future(3)), "record-duration_minutes": "30"},
    )
    assert "switched momentum calls off" in response.content.decode()
    assert not MomentumCall.objects.exists()


def test_the_set_chooses_how_far_between_meetings(client, between):
    LearningSet.objects.filter(pk=between.set_a.pk).update(momentum_call_percent=25)
    client.force_login(between.facilitator)
    body = client.get(reverse("calls:set_calls", args=[between.set_a.pk])).content.decode()
    quarter = (
        between.held_a.starts_at + (between.meetings_a[0].starts_at - between.held_a.starts_at) / 4
    )
    quarter = quarter.astimezone(LONDON)
    assert f"{quarter.day} {quarter:%B %Y}" in body


def test_the_facilitator_offers_times_and_the_member_picks_one(client, between):
    client.force_login(between.facilitator)
    first, second = future(3), future(4, 14)
    response = client.post(
        arrange_url(between),
        {
            "how": "offer",
            "offer-slot_1": local(first),
            "offer-slot_2": local(second),
            "offer-duration_minutes": "30",
        },
    )
    call = MomentumCall.objects.get()
    assert response.status_code == 302
    assert call.status == "offered" and call.slots.count() == 2
    offered = OutboundEmail.objects.get(to_email=between.member.email)
    assert "Fran Facilitator offered times" in offered.body_text
    assert reverse("calls:detail", args=[call.pk]) in offered.body_text

    # The member sees the offer on their home page, and picks the second time.
    client.force_login(between.member)
    home = client.get(reverse("home:home")).content.decode()
    assert "offered times for a momentum call" in home
    page = client.get(reverse("calls:detail", args=[call.pk])).content.decode()
    assert "Pick this time" in page
    slot = call.slots.order_by("starts_at")[1]
    response = client.post(reverse("calls:pick", args=[call.pk]), {"slot": slot.pk})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == "planned" and call.starts_at == slot.starts_at
    # Confirmed for both: each gets an email with the time, and the facilitator's home shows it.
    assert OutboundEmail.objects.filter(kind="momentum_call_planned").count() == 2
    client.force_login(between.facilitator)
    home = client.get(reverse("home:home")).content.decode()
    assert "Planned" in home


def test_picking_nothing_or_twice_is_refused(client, between):
    call = offer(between)
    client.force_login(between.member)
    response = client.post(reverse("calls:pick", args=[call.pk]), {})
    assert response.status_code == 400
    assert "Choose one of the times." in response.content.decode()
    slots = list(call.slots.all())
    client.post(reverse("calls:pick", args=[call.pk]), {"slot": slots[0].pk})
    response = client.post(reverse("calls:pick", args=[call.pk]), {"slot": slots[1].pk})
    call.refresh_from_db()
    assert call.starts_at == slots[0].starts_at


@pytest.mark.parametrize(
    "data, message",
    [
        ({"offer-slot_1": "{a}"}, "This field is required."),
        ({"offer-slot_1": "{a}", "offer-slot_2": "{a}"}, "This time is offered twice."),
        ({"offer-slot_1": "{past}", "offer-slot_2": "{a}"}, "must be in the future"),
        ({"offer-slot_1": "next tuesday", "offer-slot_2": "{a}"}, "Enter a date and time"),
    ],
)
def test_bad_offers_are_refused_and_kept(client, between, data, message):
    client.force_login(between.facilitator)
    values = {"a": local(future(3)), "past": local(timezone.now() - dt.timedelta(days=1))}
    post = {key: value.format(**values) for key, value in data.items()}
    response = client.post(
        arrange_url(between), {"how": "offer", "offer-duration_minutes": "30", **post}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert post["offer-slot_1"] in body
    assert not MomentumCall.objects.exists()


def test_a_call_arranged_elsewhere_is_recorded(client, between):
    client.force_login(between.facilitator)
    when = future(5, 9)
    response = client.post(
        arrange_url(between),
        {"how": "record", "record-when": local(when), "record-duration_minutes": "20"},
    )
    call = MomentumCall.objects.get()
    assert response.status_code == 302
    assert call.status == "planned" and call.arranged == "elsewhere"
    assert call.duration_minutes == 20
    # Typed as the set's wall clock (London), kept in UTC.
    assert call.starts_at.astimezone(LONDON).hour == 9
    assert OutboundEmail.objects.filter(to_email=between.member.email).exists()


def test_one_call_per_member_between_two_meetings(client, between):
    planned_call(between)
    client.force_login(between.facilitator)
    response = client.post(
        arrange_url(between),
        {"how": "record", "record-when": local(future(6)), "record-duration_minutes": "30"},
    )
    assert "already arranged" in response.content.decode()
    assert MomentumCall.objects.count() == 1


def test_a_cancelled_call_can_be_arranged_again(client, between):
    call = offer(between)
    client.force_login(between.facilitator)
    client.post(reverse("calls:status", args=[call.pk]), {"status": "cancelled"})
    call.refresh_from_db()
    assert call.status == "cancelled"
    planned_call(between)
    assert MomentumCall.objects.exclude(status="cancelled").count() == 1


def test_marking_held_or_missed_and_writing_notes(client, between):
    call = planned_call(between)
    client.force_login(between.facilitator)
    client.post(reverse("calls:status", args=[call.pk]), {"status": "missed"})
    call.refresh_from_db()
    assert call.status == "missed"
    client.post(reverse("calls:status", args=[call.pk]), {"status": "held"})
    call.refresh_from_db()
    assert call.status == "held"
    client.post(reverse("calls:add_note", args=[call.pk]), {"text": PRIVATE_NOTE})
    client.post(reverse("calls:add_note", args=[call.pk]), {"text": SHARED_NOTE, "shared": "on"})
    private = CallNote.objects.get(text=PRIVATE_NOTE)
    shared = CallNote.objects.get(text=SHARED_NOTE)
    assert private.visibility == "facilitator" and shared.visibility == "member"

    client.force_login(between.member)
    body = client.get(reverse("calls:detail", args=[call.pk])).content.decode()
    assert SHARED_NOTE in body and PRIVATE_NOTE not in body
    assert "A note shared with you" in client.get(reverse("home:home")).content.decode()

    # Sharing is per note and can be taken back.
    client.force_login(between.facilitator)
    client.post(reverse("calls:note_sharing", args=[call.pk, shared.pk]), {"shared": "0"})
    client.post(reverse("calls:note_sharing", args=[call.pk, private.pk]), {"shared": "1"})
    client.force_login(between.member)
    body = client.get(reverse("calls:detail", args=[call.pk])).content.decode()
    assert PRIVATE_NOTE in body and SHARED_NOTE not in body


def test_an_empty_note_is_refused(client, between):
    call = planned_call(between)
    client.force_login(between.facilitator)
    response = client.post(reverse("calls:add_note", args=[call.pk]), {"text": "   "})
    assert response.status_code == 400
    assert "Write the note first." in response.content.decode()
    assert not CallNote.objects.exists()


def test_an_offered_call_cannot_be_marked_held(client, between):
    call = offer(between)
    client.force_login(between.facilitator)
    response = client.post(reverse("calls:status", args=[call.pk]), {"status": "held"}, follow=True)
    assert "cannot become held" in response.content.decode()


def test_the_facilitators_home_lists_calls_due(client, between):
    client.force_login(between.facilitator)
    body = client.get(reverse("home:home")).content.decode()
    assert "Momentum calls" in body
    assert f"Arrange a call with {between.member.full_name}" in body


def test_the_home_list_leaves_out_sets_whose_calls_are_all_done(client, between):
    from revans.calls.tests.helpers import held_call_with_notes

    for member in between.members:
        held_call_with_notes(between, member)
    client.force_login(between.facilitator)
    body = client.get(reverse("home:home")).content.decode()
    assert "Arrange a call with" not in body
    assert "calls-due-heading" not in body


def test_a_suggested_day_that_has_passed_says_so_and_times_are_offered_from_tomorrow(
    client, between
):
    """Held 18 days ago, next in 10: the middle was 4 days ago, and calls are still due."""
    client.force_login(between.facilitator)
    passed = "That day has passed; a call before the next meeting still helps."
    for url in (reverse("calls:set_calls", args=[between.set_a.pk]), arrange_url(between)):
        assert passed in client.get(url).content.decode()
    home = client.get(reverse("home:home")).content.decode()
    assert passed in home
    form = client.get(arrange_url(between)).context["offer_form"]
    tomorrow = timezone.now().astimezone(LONDON).date() + dt.timedelta(days=1)
    assert form.initial["slot_1"] == f"{tomorrow:%Y-%m-%d}T10:00"


def test_a_suggested_day_still_ahead_is_offered_as_it_is(between):
    from revans.calls.queries import set_calls

    soon_after = between.held_a.starts_at + dt.timedelta(days=2)
    gap = set_calls(between.set_a, soon_after)
    assert gap.suggested > soon_after.astimezone(LONDON).date()
    assert not gap.suggested_has_passed
    assert gap.first_day_to_offer == gap.suggested
