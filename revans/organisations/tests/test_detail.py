import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.meetings.models import Meeting
from revans.organisations.tests.helpers import STAFF, assert_refused, grow_sets, sign_in_as
from revans.sets.models import LearningSet
from revans.testing import PERSONAS, count_queries, make_set

URL = reverse("organisations:detail", args=["northgate"])


def _row(body: str, set_name: str) -> str:
    """The table row of one set, so facts are checked against the right set."""
    match = re.search(r"<tr>(?:(?!</tr>).)*?" + re.escape(set_name) + r".*?</tr>", body, re.S)
    assert match, f"{set_name} is not listed"
    return match.group(0)


@pytest.mark.parametrize("persona", PERSONAS)
def test_detail_for_each_persona(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.get(URL)
    if persona not in STAFF:
        assert_refused(response, world, persona)
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert "Northgate Learning" in body
    assert "Provider running sets for clients" in body
    # The organisation's list: facilitators see every set of it, not only their own.
    assert world.set_a.name in body and world.set_b.name in body


def test_another_organisations_sets_never_appear(client, world):
    theirs = make_set(world.other_org, world.other_admin, "Elsewhere Secret Set")
    client.force_login(world.admin)
    assert "Elsewhere Secret Set" not in client.get(URL).content.decode()
    client.force_login(world.other_admin)
    body = client.get(reverse("organisations:detail", args=["elsewhere"])).content.decode()
    assert theirs.name in body
    assert world.set_a.name not in body and world.set_b.name not in body
    assert "Northgate" not in body


def test_each_set_shows_status_facilitator_sponsor_size_and_next_meeting(client, world):
    client.force_login(world.admin)
    body = client.get(URL).content.decode()
    row = _row(body, "Heads of Service")
    assert 'class="badge badge-forming">Forming' in row
    assert "Fran Facilitator" in row
    assert "Client Council" in row
    assert "4 of 8" in row  # current members of the maximum
    assert "0 of 6 meetings held" in row
    first = world.meetings_a[0].local_start()
    assert first.strftime("%-d %b %Y, %H:%M") in row
    row_b = _row(body, "New Women Leaders")
    assert "Olga Facilitator" in row_b and "1 of 8" in row_b and "0 of 3 meetings held" in row_b


def test_progress_counts_held_meetings_and_shows_the_next_one(client, world):
    now = timezone.now()
    Meeting.objects.filter(learning_set=world.set_a).delete()
    times = {
        "held": now - dt.timedelta(days=30),
        "cancelled": now - dt.timedelta(days=10),
        "running": now - dt.timedelta(minutes=30),  # 90 minutes long: not ended yet
        "future": now + dt.timedelta(days=20),
    }
    for name, start in times.items():
        Meeting.objects.create(
            learning_set=world.set_a,
            starts_at=start,
            duration_minutes=90,
            format="open",
            status="cancelled" if name == "cancelled" else "scheduled",
        )
    world.set_a.status = "active"
    world.set_a.save()
    client.force_login(world.admin)
    row = _row(client.get(URL).content.decode(), "Heads of Service")
    assert "1 of 3 meetings held" in row
    running = timezone.localtime(
        times["running"], world.set_a.meetings.first().local_start().tzinfo
    )
    assert running.strftime("%-d %b %Y, %H:%M") in row


def test_sets_are_grouped_and_archived_sets_have_their_own_group(client, world):
    make_set(world.org, world.facilitator, "Running Set", status="active")
    make_set(world.org, world.facilitator, "Finished Set", status="completed")
    make_set(world.org, None, "Old Set", status="completed", archived_at=timezone.now())
    make_set(world.org, world.member, "Peer Set", self_managed=True, status="active")
    client.force_login(world.admin)
    body = client.get(URL).content.decode()
    headings = re.findall(r'<h2 id="group-(\w+)">', body)
    assert headings == ["forming", "active", "completed", "archived"]
    sections = dict(re.findall(r'<h2 id="group-(\w+)">(.*?)</section>', body, re.S))
    assert "Heads of Service" in sections["forming"]
    assert "Running Set" in sections["active"] and "Peer Set" in sections["active"]
    assert "Finished Set" in sections["completed"]
    assert "Old Set" in sections["archived"] and "Old Set" not in sections["completed"]
    peer = _row(body, "Peer Set")
    assert "Self-managed" in peer and "duties held by Member 1" in peer


def test_links_to_sets_and_to_a_new_set(client, world):
    client.force_login(world.facilitator)
    body = client.get(URL).content.decode()
    new_set = f'href="{reverse("sets:create")}?organisation={world.org.pk}"'
    assert new_set in body
    # The set's own page decides who enters: a facilitator opens their own set only.
    assert f'href="{reverse("sets:detail", args=[world.set_a.id])}"' in body
    assert f'href="{reverse("sets:detail", args=[world.set_b.id])}"' not in body
    client.force_login(world.admin)
    body = client.get(URL).content.decode()
    for learning_set in (world.set_a, world.set_b):
        assert f'href="{reverse("sets:detail", args=[learning_set.id])}"' in body


def test_an_organisation_without_sets_says_so(client, world):
    client.force_login(world.other_admin)
    body = client.get(reverse("organisations:detail", args=["elsewhere"])).content.decode()
    assert "No sets yet" in body
    assert "In-house learning and development team" in body


@pytest.mark.parametrize("persona", ["admin", "facilitator"])
def test_detail_query_count_is_constant(client, world, persona, django_assert_num_queries):
    client.force_login(world.persona(persona))
    small, _ = count_queries(client, "get", URL)
    grow_sets(world, 40)
    assert LearningSet.objects.filter(organisation=world.org).count() == 40
    large, response = count_queries(client, "get", URL)
    assert "Grown set 39" in response.content.decode()
    assert small == large
    # session, user, access, the sets with everything on them (+ admins: the sponsors whose
    # programme reports they read)
    with django_assert_num_queries(5 if persona == "admin" else 4):
        client.get(URL)
