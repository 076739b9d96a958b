"""Who may open the live pages: the set (members and the facilitator) only."""

import pytest
from django.urls import reverse

from revans.live import actions
from revans.live.tests.helpers import go_to_round, live_of, version
from revans.testing import PERSONAS, assert_refused, sign_in_as

PAGES = ["live:room", "live:projector", "live:summary"]
ALLOWED = {"facilitator", "member"}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", PAGES)
def test_only_the_set_opens_the_live_pages(client, world, name, persona):
    meeting = world.meetings_a[0]
    sign_in_as(client, world, persona)

    response = client.get(reverse(name, args=[meeting.pk]))

    if persona in ALLOWED:
        assert response.status_code == 200
        assert world.set_a.name in response.content.decode()
    else:
        assert_refused(response, world, persona)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_set_sees_an_ended_meetings_summary(client, world, opened, persona):
    facilitator = world.facilitator
    go_to_round(opened, facilitator, 5, holders=[world.member])
    actions.do_post_question(opened, world.members[1], text="What would success look like?")
    actions.do_end_meeting(opened, facilitator, expected_version=version(opened))
    sign_in_as(client, world, persona)

    response = client.get(reverse("live:summary", args=[opened.pk]))

    if persona in ALLOWED:
        assert response.status_code == 200
        assert "What would success look like?" in response.content.decode()
    else:
        assert_refused(response, world, persona, also_hidden=("What would success look like?",))


@pytest.mark.parametrize("persona", ["other_member", "sponsor", "admin", "stranger"])
def test_outsiders_cannot_open_the_room_by_posting(client, world, meeting, on_the_day, persona):
    sign_in_as(client, world, persona)

    response = client.post(reverse("live:room", args=[meeting.pk]))

    assert response.status_code == 404
    assert not hasattr(meeting, "live") or live_of(meeting) is None


def test_a_member_cannot_open_the_room(client, world, meeting, on_the_day):
    client.force_login(world.member)

    response = client.post(reverse("live:room", args=[meeting.pk]), follow=True)

    assert "Only the facilitator can open the meeting." in response.content.decode()
    from revans.live.models import LiveMeeting

    assert not LiveMeeting.objects.filter(meeting=meeting).exists()
