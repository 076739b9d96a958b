"""Commitments are the set's: every page, for every persona, shows them to the set's members
and facilitator only; nobody else can change them, and no email carries their text."""

import pytest
from django.core import mail
from django.urls import reverse

from revans.commitments import actions
from revans.commitments.models import Commitment, ProgressNote
from revans.live.dispatch import dispatch
from revans.testing import PERSONAS, assert_refused, sign_in_as

from .helpers import SECRET, end, hold_round_seven, made_before, open_on_its_day

INSIDE = {"facilitator", "member"}
OUTSIDE = [p for p in PERSONAS if p not in INSIDE]
HELPER = "Priya in finance"


@pytest.fixture
def commitment(world):
    made = actions.do_add_commitment(
        world.set_a, owner=world.member, what=SECRET, who_could_help=HELPER
    )
    actions.do_update_commitment(made, actor=world.member, note="Booked a slot with her")
    return made


def _pages(world, commitment) -> list[str]:
    return [
        reverse("commitments:board", args=[world.set_a.pk]),
        reverse("commitments:detail", args=[commitment.pk]),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_set_reads_a_commitment(client, world, commitment, persona):
    sign_in_as(client, world, persona)
    for url in _pages(world, commitment):
        response = client.get(url)
        if persona in INSIDE:
            body = response.content.decode()
            assert response.status_code == 200
            assert SECRET in body and HELPER in body
        else:
            assert_refused(response, world, persona, also_hidden=(SECRET, HELPER))


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_other_page_shows_the_text_to_anyone_else(client, world, commitment, persona):
    """The home page, "my commitments" and the set's own page, as each persona sees them."""
    sign_in_as(client, world, persona)
    urls = [reverse("home:home"), reverse("commitments:mine")]
    urls.append(reverse("sets:detail", args=[world.set_a.pk]))
    for url in urls:
        body = client.get(url).content.decode()
        if persona == "member" and url != urls[2]:
            assert SECRET in body
        else:
            assert SECRET not in body and "Booked a slot" not in body, (persona, url)
    board = reverse("commitments:board", args=[world.set_a.pk])
    set_page = client.get(urls[2]).content.decode()
    assert (f'href="{board}"' in set_page) == (persona in INSIDE)


def test_another_sets_commitments_stay_in_that_set(client, world):
    theirs = actions.do_add_commitment(world.set_b, owner=world.other_member, what="Set B's plan")
    client.force_login(world.member)
    assert client.get(reverse("commitments:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("commitments:board", args=[world.set_b.pk])).status_code == 404
    assert "Set B's plan" not in client.get(reverse("commitments:mine")).content.decode()


def test_a_former_member_no_longer_sees_the_set_s_commitments(client, world, commitment):
    world.set_a.memberships.filter(user=world.member).update(left_at=commitment.created_at)
    client.force_login(world.member)
    assert client.get(reverse("commitments:detail", args=[commitment.pk])).status_code == 404
    assert SECRET not in client.get(reverse("commitments:mine")).content.decode()
    assert SECRET not in client.get(reverse("home:home")).content.decode()


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "member"])
def test_nobody_but_the_owner_changes_it(client, world, commitment, persona):
    sign_in_as(client, world, persona)
    prefix = f"c{commitment.pk}"
    update = client.post(
        reverse("commitments:update", args=[commitment.pk]),
        {f"{prefix}-status": "dropped", f"{prefix}-note": "Not mine to drop"},
    )
    edit = client.post(
        reverse("commitments:edit", args=[commitment.pk]),
        {"what": "Changed", "due_on": commitment.due_on.isoformat()},
    )
    for response in (update, edit):
        assert_refused(response, world, persona, also_hidden=(SECRET,))
    commitment.refresh_from_db()
    assert (commitment.status, commitment.what) == ("open", SECRET)
    assert ProgressNote.objects.count() == 1


def test_no_email_carries_a_commitments_text(
    world, time_machine, announced, django_capture_on_commit_callbacks
):
    """A whole cycle: made in round 7, updated, reviewed in round 2, both meetings ended (the
    members are emailed). No email, to anyone, quotes a commitment or its notes."""
    first, second = world.meetings_a[0], world.meetings_a[1]
    holder = world.members[1]
    with django_capture_on_commit_callbacks(execute=True):
        time_machine.move_to(first.starts_at, tick=False)
        hold_round_seven(world, first, holder)
        end(world, first)
        made = Commitment.objects.get()
        actions.do_update_commitment(made, actor=holder, status="in_progress", note="Halfway")
        open_on_its_day(world, second, time_machine)
        answer = dispatch(
            holder,
            second.pk,
            {
                "action": "review_commitments",
                "commitment_id": made.pk,
                "outcome": "partly",
                "learning": "Numbers first next time",
            },
        )
        assert answer["ok"], answer
        end(world, second)
    assert len(mail.outbox) >= 2 * len(world.members)
    for message in mail.outbox:
        text = " ".join(
            [message.subject, message.body]
            + [str(content) for content, _type in getattr(message, "alternatives", [])]
        )
        for secret in (SECRET, "Halfway", "Numbers first next time"):
            assert secret not in text, (message.to, message.subject)


def test_the_room_reviews_through_the_socket_protocol(world, time_machine, announced):
    """review_commitments with a commitment_id, as the room sends it, by its owner only."""
    second = world.meetings_a[1]
    own = made_before(second, world.member)
    open_on_its_day(world, second, time_machine)
    message = {"action": "review_commitments", "commitment_id": own.pk, "outcome": "done"}
    other = dispatch(world.members[1], second.pk, message)
    assert (other["ok"], other["code"]) == (False, "wrong_person")
    assert dispatch(world.other_member, second.pk, message)["code"] == "not_found"
    assert dispatch(world.member, second.pk, message)["ok"] is True
    assert ProgressNote.objects.get(commitment=own).review_outcome == "done"


def test_the_rooms_one_save_reviews_only_the_senders_own_commitments(
    world, time_machine, announced
):
    """save_commitment_reviews, as the room's one Save sends it: another member can neither
    review someone's commitment as their own nor for them; outsiders learn nothing."""
    second = world.meetings_a[1]
    own = made_before(second, world.member)
    open_on_its_day(world, second, time_machine)
    message = {
        "action": "save_commitment_reviews",
        "reviews": [{"commitment_id": own.pk, "outcome": "done", "learning": SECRET}],
    }
    other = world.members[1]
    assert dispatch(other, second.pk, message)["code"] == "bad_commitment"
    assert (
        dispatch(other, second.pk, {**message, "member_id": world.member.pk})["code"]
        == "wrong_person"
    )
    for outsider in (world.other_member, world.sponsor):
        answer = dispatch(outsider, second.pk, message)
        assert answer["code"] == "not_found"
        assert SECRET not in str(answer)
    assert not ProgressNote.objects.filter(commitment=own).exists()
    assert dispatch(world.member, second.pk, message)["ok"] is True
    assert ProgressNote.objects.get(commitment=own).review_outcome == "done"
