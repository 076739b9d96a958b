"""Shared checks for the organisations tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from revans.meetings.models import Meeting
from revans.organisations.models import OrganisationMembership, Sponsor, SponsorContact
from revans.sets.models import LearningSet
from revans.testing import add_members, make_meetings, make_set, make_user, sign_in_as  # noqa: F401
from revans.testing import assert_refused as shared_assert_refused

STAFF = {"facilitator", "admin"}
ADMINS = {"admin"}


def assert_refused(response, world, persona: str) -> None:
    """The shared refusal check, also hiding the organisation, its sets and its people."""
    shared_assert_refused(
        response,
        world,
        persona,
        also_hidden=(
            world.org.name,
            world.set_b.name,
            world.sponsor_body.name,
            world.facilitator.full_name,
            world.admin.email,
        ),
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def grow_sets(world, total: int) -> None:
    """Bring the organisation to `total` sets of every kind: statuses, archived, self-managed,
    with sponsors, members and meetings (past, cancelled and future)."""
    org = world.org
    existing = LearningSet.objects.filter(organisation=org).count()
    now = timezone.now()
    for i in range(existing, total):
        sponsor = Sponsor.objects.create(organisation=org, name=f"Sponsor {i}")
        facilitator = make_user(f"fac{i}@northgate.example", f"Facilitator {i}")
        OrganisationMembership.objects.create(
            organisation=org, user=facilitator, is_facilitator=True
        )
        learning_set = make_set(
            org,
            facilitator,
            f"Grown set {i:02d}",
            sponsor=sponsor,
            status=("forming", "active", "completed")[i % 3],
            self_managed=i % 5 == 0,
            archived_at=now if i % 7 == 0 else None,
        )
        add_members(learning_set, [make_user(f"m{i}-{j}@client.example") for j in range(3)])
        meetings = make_meetings(learning_set, 4, first=(now - dt.timedelta(days=40)))
        Meeting.objects.filter(pk=meetings[-1].pk).update(status=Meeting.Status.CANCELLED)


def grow_people(world, total: int) -> None:
    existing = OrganisationMembership.objects.filter(organisation=world.org).count()
    for i in range(existing, total):
        user = make_user(f"person{i}@northgate.example", f"Person {i:02d}")
        OrganisationMembership.objects.create(
            organisation=world.org, user=user, is_admin=i % 2 == 0, is_facilitator=True
        )


def grow_sponsors(world, total: int, contacts_each: int = 2) -> None:
    existing = Sponsor.objects.filter(organisation=world.org).count()
    for i in range(existing, total):
        sponsor = Sponsor.objects.create(organisation=world.org, name=f"Client {i:02d}")
        for j in range(contacts_each):
            user = make_user(f"contact{i}-{j}@client{i}.example", f"Contact {i}-{j}")
            SponsorContact.objects.create(sponsor=sponsor, user=user)
        make_set(world.org, world.facilitator, f"Sponsored set {i:02d}", sponsor=sponsor)


def grow_contacts(sponsor, total: int) -> None:
    existing = SponsorContact.objects.filter(sponsor=sponsor).count()
    for i in range(existing, total):
        user = make_user(f"c{sponsor.pk}-{i}@client.example", f"Contact {i:02d}")
        SponsorContact.objects.create(sponsor=sponsor, user=user)
