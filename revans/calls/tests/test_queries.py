"""The query functions other apps use (calendar feed, reminders), and page query budgets."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.calls import actions
from revans.calls.queries import calls_for_user, calls_needing_reminder
from revans.calls.reminders import calendar_entries, call_for_reminder
from revans.calls.tests.conftest import held_meeting
from revans.calls.tests.helpers import future, held_call_with_notes, offer, planned_call
from revans.sets.models import LearningSet, SetMembership
from revans.testing import add_members, count_queries, make_meetings, make_set, make_user


def test_calls_for_user_are_the_planned_calls_of_both_people(between):
    planned = planned_call(between)
    offer(between, between.members[1])
    held_call_with_notes(between, between.members[2])
    assert list(calls_for_user(between.member)) == [planned]
    assert list(calls_for_user(between.facilitator)) == [planned]
    assert list(calls_for_user(between.members[1])) == []
    for outsider in (between.admin, between.sponsor, between.other_member, between.stranger):
        assert list(calls_for_user(outsider)) == []
    row = calls_for_user(between.member).get()
    assert row.starts_at == planned.starts_at and row.ends_at == planned.ends_at
    assert row.learning_set.time_zone == "Europe/London"


def test_a_member_who_left_has_no_calls_in_their_feed(between):
    planned_call(between)
    SetMembership.objects.filter(user=between.member).update(left_at=timezone.now())
    assert list(calls_for_user(between.member)) == []
    assert calls_for_user(between.facilitator).count() == 1


def test_calls_needing_reminder_are_planned_and_soon(between):
    soon = planned_call(between)
    later = actions.do_record_call(
        between.set_a,
        actor=between.facilitator,
        membership=SetMembership.objects.get(user=between.members[1]),
        starts_at=future(6),
        duration_minutes=30,
    )
    offer(between, between.members[2])
    now = soon.starts_at - dt.timedelta(hours=20)
    assert list(calls_needing_reminder(now)) == [soon]
    assert list(calls_needing_reminder(now, dt.timedelta(days=7))) == [soon, later]
    assert list(calls_needing_reminder(soon.starts_at)) == []


def test_a_call_whose_set_has_no_facilitator_is_neither_in_the_feed_nor_reminded(between):
    # The actions never leave a set with a planned call without a facilitator; were the data
    # to say otherwise, the feed skips the call as its reminder does, rather than failing.
    call = planned_call(between)
    LearningSet.objects.filter(pk=between.set_a.pk).update(facilitator=None)
    assert list(calls_for_user(between.member)) == [call]
    assert calendar_entries(between.member) == []
    assert call_for_reminder(f"momentum_call:{call.pk}") is None


def _grow_calls(world, count: int) -> None:
    """`count` more members in set A, each with a call (offered, planned or held) and notes."""
    existing = SetMembership.objects.filter(learning_set=world.set_a).count()
    LearningSet.objects.filter(pk=world.set_a.pk).update(max_members=100)
    for i in range(existing, existing + count):
        user = make_user(f"grown{i}@client.example", f"Grown Member {i}")
        add_members(world.set_a, [user])
        if i % 3 == 0:
            offer(world, user)
        elif i % 3 == 1:
            planned_call(world, user)
        else:
            held_call_with_notes(world, user)


def _grow_sets(world, count: int) -> None:
    existing = LearningSet.objects.filter(facilitator=world.facilitator).count()
    for i in range(existing, existing + count):
        learning_set = make_set(world.org, world.facilitator, f"Grown Set {i}")
        people = [make_user(f"gs{i}-{j}@grown.example", f"Grown {i}-{j}") for j in range(3)]
        add_members(learning_set, people + [world.member])
        make_meetings(learning_set, 2)
        held_meeting(learning_set)


@pytest.mark.parametrize(
    "persona, name, expected",
    [
        # Session, user, the set with roles; the set between meetings (set, its two meetings,
        # calls, members); the history.
        ("facilitator", "set_calls", 8),
        # ... plus the member; the gap (4).
        ("facilitator", "arrange", 8),
    ],
)
def test_set_pages_queries_stay_constant(
    client, between, django_assert_num_queries, persona, name, expected
):
    client.force_login(getattr(between, persona))
    membership = SetMembership.objects.get(user=between.members[1])
    args = [between.set_a.pk] + ([membership.pk] if name == "arrange" else [])
    url = reverse(f"calls:{name}", args=args)
    _grow_calls(between, 3)
    small, _ = count_queries(client, "get", url)
    _grow_calls(between, 12)
    large, response = count_queries(client, "get", url)
    assert response.status_code == 200
    assert small == large
    with django_assert_num_queries(expected):
        client.get(url)


@pytest.mark.parametrize("persona, expected", [("facilitator", 5), ("member", 5)])
def test_call_page_queries_stay_constant(
    client, between, django_assert_num_queries, persona, expected
):
    # Session, user, the call with roles, the notes, the slots (offered) or the note form.
    call = offer(between)
    client.force_login(getattr(between, persona))
    url = reverse("calls:detail", args=[call.pk])
    small, _ = count_queries(client, "get", url)
    for i in range(10):
        actions.do_add_note(call, actor=between.facilitator, text=f"note {i}", shared=i % 2 == 0)
    large, response = count_queries(client, "get", url)
    assert response.status_code == 200
    assert small == large
    with django_assert_num_queries(expected):
        client.get(url)


@pytest.mark.parametrize("persona", ["facilitator", "member"])
def test_home_calls_stay_constant(client, between, persona):
    client.force_login(getattr(between, persona))
    _grow_sets(between, 1)
    held_call_with_notes(between)
    small, _ = count_queries(client, "get", reverse("home:home"))
    _grow_sets(between, 4)
    _grow_calls(between, 6)
    large, _ = count_queries(client, "get", reverse("home:home"))
    assert small == large
