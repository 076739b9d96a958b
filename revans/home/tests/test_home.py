"""The home page: a section for each role the person holds, and nothing they may not see."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.commitments.actions import do_add_commitment
from revans.live import actions as live_actions
from revans.live.tests.helpers import start
from revans.meetings.models import Attendance, Meeting, Rsvp
from revans.organisations.models import Organisation, OrganisationMembership, SponsorContact
from revans.sets.models import LearningSet, SetMembership
from revans.testing import (
    PERSONAS,
    add_members,
    count_queries,
    make_meetings,
    make_set,
    make_user,
    sign_in_as,
)

HOME = reverse("home:home")
NOTE = "Chemotherapy that week, please keep this between us"
TOPIC = "Closing the Eastfield depot"


@pytest.fixture
def busy(world):
    """Set A with a planned next meeting, apologies with a note, a member who has not
    accepted the agreement, a place, an online link, and one held meeting."""
    LearningSet.objects.filter(pk=world.set_a.pk).update(
        location="Civic Centre, Room 4", online_link="https://meet.example.org/hos"
    )
    world.set_a.refresh_from_db()
    Meeting.objects.filter(pk=world.meetings_a[0].pk).update(
        format="planned", topic=TOPIC, issue_holder=world.members[2]
    )
    Rsvp.objects.create(
        meeting=world.meetings_a[0], user=world.members[1], response="apologies", note=NOTE
    )
    Rsvp.objects.create(meeting=world.meetings_a[0], user=world.members[2], response="attending")
    SetMembership.objects.filter(user=world.members[3]).update(agreement_accepted_at=None)
    held = Meeting.objects.create(
        learning_set=world.set_a,
        starts_at=timezone.now() - dt.timedelta(days=20),
        duration_minutes=90,
        format="open",
        attendance_recorded_at=timezone.now() - dt.timedelta(days=19),
    )
    for i, member in enumerate(world.members):
        Attendance.objects.create(meeting=held, user=member, attended=i != 0)
    return world


@pytest.mark.parametrize("persona", PERSONAS)
def test_home_is_for_everyone_signed_in(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.get(HOME)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:sign_in"))
    else:
        assert response.status_code == 200


@pytest.mark.parametrize(
    "persona, sections",
    [
        ("facilitator", {"Sets you facilitate"}),
        ("member", {"Your set"}),
        ("other_member", {"Your set"}),
        ("sponsor", {"Sets you sponsor"}),
        ("admin", {"Organisations you run"}),
        ("other_admin", {"Organisations you run"}),
        ("stranger", {"Welcome to Revans"}),
    ],
)
def test_each_persona_gets_the_sections_of_their_roles(client, world, persona, sections):
    sign_in_as(client, world, persona)
    body = client.get(HOME).content.decode()
    every = {
        "Sets you facilitate",
        "Your set",
        "Sets you sponsor",
        "Organisations you run",
        "Welcome to Revans",
    }
    for heading in every:
        assert (f">{heading}</h2>" in body) == (heading in sections), heading


def test_someone_with_several_roles_gets_several_sections(client, world):
    add_members(world.set_b, [world.facilitator])
    SponsorContact.objects.create(sponsor=world.sponsor_body, user=world.facilitator)
    client.force_login(world.facilitator)
    body = client.get(HOME).content.decode()
    for heading in ("Sets you facilitate", "Your set", "Sets you sponsor"):
        assert f">{heading}</h2>" in body


def test_facilitator_sees_sets_next_meeting_agreement_and_apologies_with_notes(client, busy):
    world = busy
    client.force_login(world.facilitator)
    body = client.get(HOME).content.decode()
    assert reverse("sets:detail", args=[world.set_a.pk]) in body
    assert "badge-forming" in body
    first = world.meetings_a[0].local_start()
    assert first.strftime("%A %-d %B %Y, %H:%M") in body
    assert reverse("meetings:detail", args=[world.meetings_a[0].pk]) in body
    assert "Not yet accepted:</strong> Member 4" in body
    assert "Attending: 1 · Apologies: 1 · No reply: 2" in body
    assert "<strong>Member 2</strong>" in body
    assert NOTE in body
    # Set B is someone else's.
    assert world.set_b.name not in body


def test_an_organisation_facilitator_without_sets_is_invited_to_create_one(client, world):
    newcomer = make_user("nina@northgate.example", "Nina Newfacilitator")
    OrganisationMembership.objects.create(
        organisation=world.org, user=newcomer, is_facilitator=True
    )
    client.force_login(newcomer)
    body = client.get(HOME).content.decode()
    assert "You do not facilitate a set yet." in body
    assert reverse("sets:create") in body
    assert "Welcome to Revans" not in body


def test_member_sees_next_meeting_place_format_agreement_and_rsvp(client, busy):
    world = busy
    client.force_login(world.member)
    body = client.get(HOME).content.decode()
    assert world.meetings_a[0].local_start().strftime("%A %-d %B %Y, %H:%M") in body
    assert "Civic Centre, Room 4" in body
    assert "https://meet.example.org/hos" in body
    assert "Planned: topic agreed in advance" in body
    assert "You accepted it." in body
    assert reverse("sets:agreement", args=[world.set_a.pk]) in body
    assert f'hx-post="{reverse("meetings:rsvp", args=[world.meetings_a[0].pk])}"' in body
    assert NOTE not in body
    assert "Not yet accepted" not in body


def test_a_member_who_has_not_accepted_is_asked_to(client, busy):
    client.force_login(busy.members[3])
    body = client.get(HOME).content.decode()
    assert "Not accepted yet." in body
    assert "Read and accept the agreement" in body


def test_a_member_answers_from_home_and_comes_back_home(client, world):
    meeting = world.meetings_a[0]
    client.force_login(world.member)
    response = client.post(
        reverse("meetings:rsvp", args=[meeting.pk]),
        {"response": "apologies", "note": "", "next": HOME},
    )
    assert response.status_code == 302 and response.url == HOME
    body = client.get(HOME).content.decode()
    assert "Thank you: your apologies are sent to the facilitator." in body
    assert "You sent your apologies." in body


def test_the_home_rsvp_card_swaps_with_htmx_keeping_its_heading_level(client, world):
    meeting = world.meetings_a[0]
    client.force_login(world.member)
    response = client.post(
        reverse("meetings:rsvp", args=[meeting.pk]),
        {"response": "attending", "next": HOME, "heading_level": "4"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert '<h4 class="card-title"' in body
    assert 'name="next" value="/"' in body


def test_admin_sees_every_set_with_status_facilitator_size_and_progress(client, busy):
    world = busy
    client.force_login(world.admin)
    body = client.get(HOME).content.decode()
    assert reverse("organisations:detail", args=[world.org.slug]) in body
    assert world.set_a.name in body and world.set_b.name in body
    assert "Fran Facilitator" in body and "Olga Facilitator" in body
    assert "4 of 8" in body and "1 of 8" in body
    assert "1 of 7 meetings held" in body  # the held one, of six upcoming plus it
    assert "0 of 3 meetings held" in body
    assert NOTE not in body and TOPIC not in body


def test_other_organisations_sets_never_appear(client, world):
    make_set(world.other_org, world.other_admin, "Elsewhere Private Set")
    client.force_login(world.other_admin)
    body = client.get(HOME).content.decode()
    assert "Elsewhere Private Set" in body
    assert world.set_a.name not in body and world.set_b.name not in body
    client.force_login(world.admin)
    assert "Elsewhere Private Set" not in client.get(HOME).content.decode()


def test_sponsor_sees_schedule_and_counts_but_no_names_topics_notes_or_links(client, busy):
    world = busy
    client.force_login(world.sponsor)
    body = client.get(HOME).content.decode()
    assert world.set_a.name in body
    assert "Fran Facilitator" in body
    assert "1 of 7 meetings held" in body
    assert world.meetings_a[3].local_start().strftime("%A %-d %B %Y, %H:%M") in body
    assert '<td data-label="Attended">3</td>' in body
    for member in world.members:
        assert member.full_name not in body and member.email not in body
    for secret in (NOTE, TOPIC, "Civic Centre", "https://meet.example.org/hos", "Planned"):
        assert secret not in body
    # No link to the set's own page (sponsors cannot open it); the released reports are theirs.
    assert f'href="{reverse("sets:detail", args=[world.set_a.pk])}"' not in body
    assert f'href="{reverse("reports:versions", args=[world.set_a.pk])}"' in body
    # Set B has another sponsor (none).
    assert world.set_b.name not in body


def test_sponsor_does_not_learn_who_holds_the_duties_of_a_self_managed_set(client, world):
    LearningSet.objects.filter(pk=world.set_a.pk).update(
        self_managed=True, facilitator=world.members[0]
    )
    client.force_login(world.sponsor)
    body = client.get(HOME).content.decode()
    assert "Self-managed" in body
    assert world.members[0].full_name not in body


def test_other_members_never_see_set_a(client, busy):
    client.force_login(busy.other_member)
    body = client.get(HOME).content.decode()
    assert busy.set_b.name in body
    assert busy.set_a.name not in body
    for member in busy.members:
        assert member.full_name not in body
    assert NOTE not in body


def test_archived_sets_leave_the_facilitator_and_member_sections(client, world):
    LearningSet.objects.filter(pk=world.set_a.pk).update(archived_at=timezone.now())
    for user in (world.facilitator, world.member):
        client.force_login(user)
        assert world.set_a.name not in client.get(HOME).content.decode()


def test_sets_whose_programme_is_over_come_after_the_running_ones(client, world):
    done = make_set(world.org, world.facilitator, "Aardvarks (2025)", status="completed")
    add_members(done, [world.member])
    for user in (world.facilitator, world.member):
        client.force_login(user)
        body = client.get(HOME).content.decode()
        assert done.name in body
        assert body.index(world.set_a.name) < body.index(done.name)


def test_no_role_explains_and_offers_to_start_an_organisation(client, world):
    client.force_login(world.stranger)
    body = client.get(HOME).content.decode()
    assert "You are not part of a set yet." in body
    assert reverse("organisations:start") in body
    assert "wait for the invitation" in body


# Query counts: the same for 2 and 40 sets, and an exact number.


def _grow(world, persona: str, total: int) -> None:
    """Give the persona `total` sets in their role, each with members, meetings and replies."""
    user = getattr(world, persona)
    existing = {
        "facilitator": LearningSet.objects.filter(facilitator=user).count(),
        "member": SetMembership.objects.filter(user=user).count(),
        "admin": LearningSet.objects.filter(organisation=world.org).count(),
        "sponsor": LearningSet.objects.filter(sponsor=world.sponsor_body).count(),
    }[persona]
    for i in range(existing, total):
        learning_set = make_set(
            world.org,
            user if persona == "facilitator" else world.facilitator,
            f"Grown Set {i}",
            sponsor=world.sponsor_body if persona == "sponsor" else None,
        )
        people = [make_user(f"p{i}-{j}@grown.example", f"Grown Person {i}-{j}") for j in range(3)]
        add_members(learning_set, people + ([user] if persona == "member" else []))
        meetings = make_meetings(learning_set, 3)
        Rsvp.objects.create(meeting=meetings[0], user=people[0], response="apologies", note="n")
        Attendance.objects.create(meeting=meetings[0], user=people[1], attended=True)
        if persona == "member":
            do_add_commitment(learning_set, owner=user, what=f"Commitment {i}")


@pytest.mark.parametrize(
    "persona, expected",
    # Session and user, the staff roles, then each section: facilitator (sets, members,
    # next meetings, replies), member (memberships, next meetings, own replies, open
    # commitments), admin (sets with progress) and sponsor (sets, their meetings); empty
    # sections cost one query.
    # Momentum calls: the facilitator's sets between meetings (none here: one query; four
    # when some are, see revans/calls), the member's own calls (one).
    [("facilitator", 10), ("member", 10), ("admin", 7), ("sponsor", 7)],
)
def test_home_queries_stay_constant(client, world, django_assert_num_queries, persona, expected):
    sign_in_as(client, world, persona)
    _grow(world, persona, 2)
    small, _ = count_queries(client, "get", HOME)
    _grow(world, persona, 40)
    large, response = count_queries(client, "get", HOME)
    assert "Grown Set 39" in response.content.decode()
    if persona == "member":
        assert "Commitment 39" in response.content.decode()
    assert small == large
    with django_assert_num_queries(expected):
        client.get(HOME)


def test_home_for_no_role_queries(client, world, django_assert_num_queries):
    client.force_login(world.stranger)
    with django_assert_num_queries(6):
        client.get(HOME)


def test_an_admin_of_many_organisations_stays_constant(client, world, django_assert_num_queries):
    client.force_login(world.other_admin)
    small, _ = count_queries(client, "get", HOME)
    for i in range(5):
        org = Organisation.objects.create(name=f"Org {i}", slug=f"org-{i}", kind="in_house")
        OrganisationMembership.objects.create(
            organisation=org, user=world.other_admin, is_admin=True
        )
        make_set(org, None, f"Org {i} Set")
    large, _ = count_queries(client, "get", HOME)
    assert small == large


def test_a_facilitator_reaches_their_organisation_from_home(client, world):
    client.force_login(world.facilitator)
    page = client.get("/").content.decode()
    assert f'href="/orgs/{world.org.slug}/"' in page
    # A member has no organisation page to go to.
    client.force_login(world.member)
    assert f'href="/orgs/{world.org.slug}/"' not in client.get("/").content.decode()


def test_on_the_meetings_day_the_way_into_the_room_is_on_the_home_page(client, world, time_machine):
    """Members join from their home page; the facilitator opens the room from theirs."""
    meeting = world.meetings_a[0]
    room = reverse("live:room", args=[meeting.pk])
    time_machine.move_to(meeting.starts_at - dt.timedelta(days=1), tick=False)
    for user in (world.member, world.facilitator):
        client.force_login(user)
        assert room not in client.get(HOME).content.decode()
    # The day itself, before the start and during the meeting (it is still the next one).
    for moment in (
        meeting.starts_at - dt.timedelta(hours=1),
        meeting.starts_at + dt.timedelta(minutes=30),
    ):
        time_machine.move_to(moment, tick=False)
        client.force_login(world.member)
        page = client.get(HOME).content.decode()
        assert f'href="{room}">Join the meeting' in page
        # Before the start the member may still reply; once it has started, the way in
        # stands alone.
        assert ("Your reply" in page) is (moment < meeting.starts_at)
        client.force_login(world.facilitator)
        assert f'href="{room}">Open the live meeting' in client.get(HOME).content.decode()
    client.force_login(world.sponsor)
    assert room not in client.get(HOME).content.decode()


def test_a_member_reads_on_their_home_page_whether_the_meeting_is_under_way(
    client, world, time_machine
):
    meeting = world.meetings_a[0]
    time_machine.move_to(meeting.starts_at - dt.timedelta(minutes=5), tick=False)
    client.force_login(world.member)
    page = client.get(HOME).content.decode()
    assert "under way" not in page and "gathering" not in page
    live_actions.do_open_meeting(meeting, world.facilitator)
    assert "The room is open: the set is gathering." in client.get(HOME).content.decode()
    start(meeting, world.facilitator)
    page = client.get(HOME).content.decode()
    assert "The meeting is under way." in page and "gathering" not in page
    # The facilitator reads the same, and goes back into a room they already opened.
    client.force_login(world.facilitator)
    page = client.get(HOME).content.decode()
    assert "The meeting is under way." in page
    room = reverse("live:room", args=[meeting.pk])
    assert f'href="{room}">Go to the meeting room' in page
    assert "Open the live meeting" not in page
