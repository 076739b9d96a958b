"""Every commitments page costs the same number of queries however many commitments, notes
and members there are."""

import pytest
from django.urls import reverse

from revans.commitments import actions
from revans.commitments.models import Commitment, ProgressNote
from revans.testing import add_members, count_queries, make_set, make_user

# Session and user, memberships, commitments with their notes (2), meeting numbers.
MINE_QUERIES = 6
# Session and user, the set with roles, members' commitments with notes (2), meeting numbers.
BOARD_QUERIES = 6
# Session and user, the commitment with roles, its notes, meeting numbers.
DETAIL_QUERIES = 5
# Session and user, the commitment with roles.
EDIT_QUERIES = 3


def grow(world, n: int) -> Commitment:
    """n more commitments (each with notes) for the member, in set A and in n new sets; and
    n more members of set A with theirs."""
    last = None
    for i in range(n):
        learning_set = make_set(world.org, world.facilitator, f"Grown set {i}")
        add_members(learning_set, [world.member])
        for target in (world.set_a, learning_set):
            last = actions.do_add_commitment(target, owner=world.member, what=f"Grown {i}")
            actions.do_update_commitment(last, actor=world.member, note=f"Note {i}")
            actions.do_update_commitment(last, actor=world.member, status="in_progress")
        other = make_user(f"grown{i}-{Commitment.objects.count()}@client.example")
        add_members(world.set_a, [other])
        theirs = actions.do_add_commitment(world.set_a, owner=other, what=f"Theirs {i}")
        actions.do_update_commitment(theirs, actor=other, note="On it")
        Commitment.objects.create(
            learning_set=world.set_a,
            owner=other,
            meeting=world.meetings_a[i % 3],
            what="From a meeting",
            due_on=theirs.due_on,
        )
    return last


@pytest.mark.parametrize(
    "name, persona, expected",
    [
        ("mine", "member", MINE_QUERIES),
        ("board", "facilitator", BOARD_QUERIES),
        ("board", "member", BOARD_QUERIES),
        ("detail", "member", DETAIL_QUERIES),
        ("detail", "facilitator", DETAIL_QUERIES),
        ("edit", "member", EDIT_QUERIES),
    ],
)
def test_pages_stay_constant(client, world, django_assert_num_queries, name, persona, expected):
    client.force_login(world.persona(persona))
    commitment = grow(world, 2)
    args = {
        "mine": [],
        "board": [world.set_a.pk],
        "detail": [commitment.pk],
        "edit": [commitment.pk],
    }[name]
    url = reverse(f"commitments:{name}", args=args)
    small, _ = count_queries(client, "get", url)
    for _ in range(5):
        actions.do_update_commitment(commitment, actor=world.member, note="Another note")
    grow(world, 6)
    large, response = count_queries(client, "get", url)
    assert response.status_code == 200
    assert small == large
    assert ProgressNote.objects.count() > 30
    with django_assert_num_queries(expected):
        client.get(url)


def test_an_update_costs_the_same_however_long_the_history(client, world):
    commitment = grow(world, 1)
    client.force_login(world.member)
    url = reverse("commitments:update", args=[commitment.pk])
    data = {f"c{commitment.pk}-status": "in_progress", f"c{commitment.pk}-note": "More"}
    small, _ = count_queries(client, "post", url, data)
    for _ in range(10):
        actions.do_update_commitment(commitment, actor=world.member, note="Another note")
    large, response = count_queries(client, "post", url, data)
    assert response.status_code == 302
    assert small == large
