"""Test helpers shared by every app: a small world of personas and query-count checks.

The personas are the ones every URL and socket message is tested against:
facilitator (of set A), member (of set A), other_member (of set B, same organisation),
sponsor (contact of set A's sponsor), admin (of set A's organisation),
other_admin (admin of another organisation), stranger (signed in, no role) and anonymous.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from revans.accounts.models import User
from revans.meetings.models import Meeting
from revans.organisations.models import (
    Organisation,
    OrganisationMembership,
    Sponsor,
    SponsorContact,
)
from revans.sets import defaults
from revans.sets.models import LearningSet, SetMembership

PASSWORD = "correct horse battery staple"


def make_user(email: str, name: str = "") -> User:
    return User.objects.create_user(email, PASSWORD, full_name=name or email.split("@")[0].title())


def make_set(
    organisation: Organisation, facilitator: User | None, name: str, **fields
) -> LearningSet:
    fields.setdefault("time_zone", "Europe/London")
    fields.setdefault("ground_rules", str(defaults.DEFAULT_GROUND_RULES))
    fields.setdefault("confidentiality_agreement", str(defaults.DEFAULT_CONFIDENTIALITY))
    return LearningSet.objects.create(
        organisation=organisation, facilitator=facilitator, name=name, **fields
    )


def add_members(learning_set: LearningSet, users: list[User], accepted: bool = True) -> None:
    now = timezone.now()
    for user in users:
        SetMembership.objects.create(
            learning_set=learning_set,
            user=user,
            agreement_accepted_at=now if accepted else None,
            agreement_version_accepted=learning_set.agreement_version if accepted else None,
        )


def make_meetings(
    learning_set: LearningSet, count: int, first: dt.datetime | None = None
) -> list[Meeting]:
    """Monthly meetings at 6 pm in the set's zone, starting at `first` (local) or in 10 days."""
    tz = ZoneInfo(learning_set.time_zone)
    start = first or (timezone.now().astimezone(tz) + dt.timedelta(days=10)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    meetings = []
    for i in range(count):
        local = start + dt.timedelta(days=28 * i)
        meetings.append(
            Meeting.objects.create(
                learning_set=learning_set,
                starts_at=local.replace(tzinfo=tz),
                duration_minutes=learning_set.duration_minutes,
                format=learning_set.default_format,
            )
        )
    return meetings


@dataclass
class World:
    org: Organisation
    other_org: Organisation
    sponsor_body: Sponsor
    set_a: LearningSet
    set_b: LearningSet
    facilitator: User
    member: User
    members: list[User]
    other_member: User
    sponsor: User
    admin: User
    other_admin: User
    stranger: User
    meetings_a: list[Meeting] = field(default_factory=list)
    meetings_b: list[Meeting] = field(default_factory=list)

    def persona(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


PERSONAS = [
    "facilitator",
    "member",
    "other_member",
    "sponsor",
    "admin",
    "other_admin",
    "stranger",
    "anonymous",
]


def build_world() -> World:
    org = Organisation.objects.create(name="Northgate Learning", slug="northgate", kind="provider")
    other_org = Organisation.objects.create(name="Elsewhere Ltd", slug="elsewhere", kind="in_house")
    facilitator = make_user("fran@northgate.example", "Fran Facilitator")
    admin = make_user("ada@northgate.example", "Ada Admin")
    other_admin = make_user("otto@elsewhere.example", "Otto Otheradmin")
    sponsor = make_user("sam@client.example", "Sam Sponsor")
    stranger = make_user("stan@nowhere.example", "Stan Stranger")
    OrganisationMembership.objects.create(organisation=org, user=admin, is_admin=True)
    OrganisationMembership.objects.create(organisation=org, user=facilitator, is_facilitator=True)
    OrganisationMembership.objects.create(organisation=other_org, user=other_admin, is_admin=True)
    sponsor_body = Sponsor.objects.create(organisation=org, name="Client Council")
    SponsorContact.objects.create(sponsor=sponsor_body, user=sponsor)
    set_a = make_set(org, facilitator, "Heads of Service", sponsor=sponsor_body, cohort="2026")
    other_facilitator = make_user("olga@northgate.example", "Olga Facilitator")
    set_b = make_set(org, other_facilitator, "New Women Leaders")
    members = [make_user(f"member{i}@client.example", f"Member {i}") for i in range(1, 5)]
    add_members(set_a, members)
    other_member = make_user("oscar@client.example", "Oscar Othermember")
    add_members(set_b, [other_member])
    return World(
        org=org,
        other_org=other_org,
        sponsor_body=sponsor_body,
        set_a=set_a,
        set_b=set_b,
        facilitator=facilitator,
        member=members[0],
        members=members,
        other_member=other_member,
        sponsor=sponsor,
        admin=admin,
        other_admin=other_admin,
        stranger=stranger,
        meetings_a=make_meetings(set_a, 6),
        meetings_b=make_meetings(set_b, 3),
    )


def count_queries(client, method: str, url: str, data=None) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = (
            getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        )
    return len(ctx.captured_queries), response


def sign_in_as(client, world: World, persona: str) -> User | None:
    """Sign the test client in as a persona (anonymous stays signed out)."""
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    return user


def assert_refused(response, world: World, persona: str, also_hidden: tuple[str, ...] = ()) -> None:
    """Signed-out visitors are sent to sign in; anyone else without the role gets a 404 that
    names nobody in set A (nor any of `also_hidden`)."""
    from django.urls import reverse

    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:sign_in"))
    else:
        assert response.status_code == 404
    body = response.content.decode()
    for member in world.members:
        assert member.full_name not in body
        assert member.email not in body
    for text in (world.set_a.name, *also_hidden):
        assert text not in body


def protocol_messages(act) -> list[tuple[str, str]]:
    """Every protocol message `act` exchanged with the default database's server (PostgreSQL)
    on this thread's connection, from libpq's trace: its direction (F: to the server, B:
    back) and its text, spaces collapsed (a message's text may run over several lines)."""
    import tempfile

    from psycopg import pq

    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    with tempfile.TemporaryFile("w+") as trace:
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)
        try:
            act()
        finally:
            pgconn.untrace()
        trace.seek(0)
        messages: list[tuple[str, str]] = []
        for line in trace:
            direction, _, rest = line.partition("\t")
            if direction in ("F", "B") and rest[:1].isdigit():
                _length, _, text = rest.partition("\t")
                messages.append((direction, text))
            elif messages:
                direction, text = messages[-1]
                messages[-1] = (direction, text + line)
    return [(direction, " ".join(text.split())) for direction, text in messages]


def round_trips(act) -> int:
    """How often `act` sent the default database's server something and then read its
    answers (protocol_messages). A statement's first run on a connection prepares it: one
    more round trip, once."""
    import itertools

    directions = [direction for direction, _text in protocol_messages(act)]
    # A round trip starts wherever a message to the server follows one from it.
    return sum(
        1 for before, now in itertools.pairwise(["B", *directions]) if (before, now) == ("B", "F")
    )
