"""Who reaches a set's calls and a call: the facilitator, and the member the call is with.

Everyone else (other members of the set, members of other sets, the sponsor, organisation
admins, strangers) gets a 404 that names nobody, and never the notes.
"""

import pytest
from django.urls import reverse

from revans.calls.models import CallNote, MomentumCall
from revans.calls.tests.helpers import (
    PRIVATE_NOTE,
    SHARED_NOTE,
    held_call_with_notes,
    membership_of,
    offer,
)
from revans.testing import PERSONAS, assert_refused, sign_in_as

NOT_FACILITATOR = sorted(set(PERSONAS) - {"facilitator"})
NOT_IN_CALL = sorted(set(PERSONAS) - {"facilitator", "member"})


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_set_calls_page_is_the_facilitators(client, between, persona):
    sign_in_as(client, between, persona)
    response = client.get(reverse("calls:set_calls", args=[between.set_a.pk]))
    if persona == "facilitator":
        assert response.status_code == 200
        assert between.member.full_name in response.content.decode()
    else:
        assert_refused(response, between, persona)


@pytest.mark.parametrize("persona", NOT_FACILITATOR)
def test_only_the_facilitator_arranges(client, between, persona):
    sign_in_as(client, between, persona)
    url = reverse(
        "calls:arrange", args=[between.set_a.pk, membership_of(between, between.members[1]).pk]
    )
    assert_refused(client.get(url), between, persona)
    response = client.post(url, {"how": "record", "record-when": "2030-01-01T10:00"})
    assert_refused(response, between, persona)
    assert not MomentumCall.objects.exists()


def test_a_member_of_another_set_is_not_arranged_from_this_one(client, between):
    client.force_login(between.facilitator)
    other = between.set_b.memberships.get()
    url = reverse("calls:arrange", args=[between.set_a.pk, other.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_call_is_for_the_facilitator_and_its_member(client, between, persona):
    call = held_call_with_notes(between)
    sign_in_as(client, between, persona)
    response = client.get(reverse("calls:detail", args=[call.pk]))
    if persona == "facilitator":
        body = response.content.decode()
        assert PRIVATE_NOTE in body and SHARED_NOTE in body
    elif persona == "member":
        body = response.content.decode()
        assert SHARED_NOTE in body
        assert PRIVATE_NOTE not in body
    else:
        assert_refused(response, between, persona, also_hidden=(PRIVATE_NOTE, SHARED_NOTE))


def test_another_member_of_the_set_gets_nothing(client, between):
    call = held_call_with_notes(between)
    client.force_login(between.members[1])
    for name in ("detail", "pick", "status", "add_note"):
        response = client.post(reverse(f"calls:{name}", args=[call.pk]), {"status": "held"})
        assert response.status_code == 404
    response = client.get(reverse("calls:detail", args=[call.pk]))
    assert response.status_code == 404
    body = response.content.decode()
    assert PRIVATE_NOTE not in body and SHARED_NOTE not in body


def test_a_member_who_left_the_set_loses_the_call(client, between):
    from django.utils import timezone

    call = held_call_with_notes(between)
    membership_of(between, between.member).__class__.objects.filter(
        user=between.member, learning_set=between.set_a
    ).update(left_at=timezone.now())
    client.force_login(between.member)
    assert client.get(reverse("calls:detail", args=[call.pk])).status_code == 404


def test_a_superuser_is_no_one_special(client, between):
    call = held_call_with_notes(between)
    between.stranger.is_superuser = True
    between.stranger.is_staff = True
    between.stranger.save()
    client.force_login(between.stranger)
    response = client.get(reverse("calls:detail", args=[call.pk]))
    assert response.status_code == 404
    assert PRIVATE_NOTE not in response.content.decode()


@pytest.mark.parametrize("persona", NOT_IN_CALL)
def test_nobody_else_changes_a_call(client, between, persona):
    call = offer(between)
    slot = call.slots.first()
    sign_in_as(client, between, persona)
    posts = [
        ("calls:pick", [call.pk], {"slot": slot.pk}),
        ("calls:status", [call.pk], {"status": "cancelled"}),
        ("calls:add_note", [call.pk], {"text": "sneaky", "shared": "on"}),
    ]
    for name, args, data in posts:
        assert_refused(client.post(reverse(name, args=args), data), between, persona)
    call.refresh_from_db()
    assert call.status == MomentumCall.Status.OFFERED
    assert not CallNote.objects.exists()


def test_the_member_cannot_act_as_the_facilitator(client, between):
    call = held_call_with_notes(between)
    note = call.notes.get(visibility="facilitator")
    client.force_login(between.member)
    assert (
        client.post(reverse("calls:status", args=[call.pk]), {"status": "missed"}).status_code
        == 404
    )
    assert client.post(reverse("calls:add_note", args=[call.pk]), {"text": "x"}).status_code == 404
    url = reverse("calls:note_sharing", args=[call.pk, note.pk])
    assert client.post(url, {"shared": "1"}).status_code == 404
    note.refresh_from_db()
    assert not note.is_shared


def test_the_facilitator_cannot_pick_for_the_member(client, between):
    call = offer(between)
    client.force_login(between.facilitator)
    response = client.post(reverse("calls:pick", args=[call.pk]), {"slot": call.slots.first().pk})
    assert response.status_code == 404


def test_an_org_admin_who_is_not_the_facilitator_sees_nothing(client, between):
    call = held_call_with_notes(between)
    client.force_login(between.admin)
    for url in (
        reverse("calls:detail", args=[call.pk]),
        reverse("calls:set_calls", args=[between.set_a.pk]),
        reverse("home:home"),
        reverse("sets:detail", args=[between.set_a.pk]),
    ):
        body = client.get(url).content.decode()
        assert PRIVATE_NOTE not in body and SHARED_NOTE not in body
