"""Members answer "attending" or "sending apologies", with or without JavaScript."""

from django.urls import reverse
from django.utils import timezone

from revans.meetings.models import Meeting, Rsvp
from revans.meetings.tests.helpers import messages_of, start_meeting_now


def rsvp_url(meeting):
    return reverse("meetings:rsvp", args=[meeting.pk])


def test_without_javascript_the_reply_is_saved_and_the_member_returns(client, world):
    meeting = world.meetings_a[0]
    client.force_login(world.member)
    response = client.post(
        rsvp_url(meeting),
        {"response": "apologies", "note": "Away at a conference", "next": "/"},
    )
    assert response.status_code == 302 and response.url == "/"
    rsvp = Rsvp.objects.get(meeting=meeting, user=world.member)
    assert (rsvp.response, rsvp.note) == ("apologies", "Away at a conference")
    response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert "Thank you: your apologies are sent to the facilitator." in messages_of(response)
    assert "You sent your apologies." in response.content.decode()


def test_next_may_not_leave_the_site(client, world):
    meeting = world.meetings_a[0]
    client.force_login(world.member)
    response = client.post(
        rsvp_url(meeting), {"response": "attending", "next": "https://evil.example/"}
    )
    assert response.url == reverse("meetings:detail", args=[meeting.pk])


def test_with_htmx_the_card_is_swapped_and_the_change_announced(client, world):
    meeting = world.meetings_a[0]
    client.force_login(world.member)
    response = client.post(
        rsvp_url(meeting), {"response": "attending", "note": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<section class="card rsvp-card" id="rsvp-card-{meeting.pk}"')
    assert "You are attending." in body
    # The live region on the page keeps its place; only its text changes (out of band).
    assert f'<div id="rsvp-status-{meeting.pk}" hx-swap-oob="innerHTML">' in body
    assert "Thank you: you are down as attending." in body
    assert "<html" not in body
    assert Rsvp.objects.get(meeting=meeting, user=world.member).response == "attending"


def test_the_page_has_a_status_region_for_htmx_to_fill(client, world):
    meeting = world.meetings_a[0]
    client.force_login(world.member)
    body = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f'id="rsvp-status-{meeting.pk}" class="rsvp-status" role="status"' in body
    assert f'hx-post="{rsvp_url(meeting)}"' in body and f'action="{rsvp_url(meeting)}"' in body


def test_a_note_over_the_limit_is_explained_and_kept(client, world):
    meeting = world.meetings_a[0]
    long_note = "I am sorry " + "x" * 495
    client.force_login(world.member)
    response = client.post(rsvp_url(meeting), {"response": "apologies", "note": long_note})
    assert response.status_code == 200
    form = response.context["rsvp_form"]
    assert form.errors["note"] == ["Ensure this value has at most 500 characters (it has 506)."]
    body = response.content.decode()
    assert long_note in body
    assert f'id="id_rsvp{meeting.pk}_note_error"' in body
    assert not Rsvp.objects.exists()


def test_with_htmx_an_error_is_shown_in_the_card(client, world):
    meeting = world.meetings_a[0]
    client.force_login(world.member)
    response = client.post(rsvp_url(meeting), {"note": "Maybe"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose attending or sending apologies." in body
    assert "Maybe" in body
    assert "Your reply is not saved yet" in body
    assert not Rsvp.objects.exists()


def test_a_past_meeting_refuses_replies_with_a_message(client, world):
    meeting = start_meeting_now(world.meetings_a[0], minutes_ago=10)
    client.force_login(world.member)
    response = client.post(rsvp_url(meeting), {"response": "attending"})
    assert response.status_code == 200
    assert "This meeting has already started, so replies are closed." in response.content.decode()
    assert not Rsvp.objects.exists()


def test_a_cancelled_meeting_refuses_replies_with_a_message(client, world):
    meeting = world.meetings_a[0]
    Meeting.objects.filter(pk=meeting.pk).update(status="cancelled", cancelled_at=timezone.now())
    client.force_login(world.member)
    response = client.post(rsvp_url(meeting), {"response": "attending"}, HTTP_HX_REQUEST="true")
    assert "This meeting is cancelled: there is nothing to reply to." in response.content.decode()
    assert not Rsvp.objects.exists()


def test_a_former_member_gets_404(client, world):
    from revans.sets.models import SetMembership

    SetMembership.objects.filter(user=world.member).update(left_at=timezone.now())
    client.force_login(world.member)
    assert client.post(rsvp_url(world.meetings_a[0]), {"response": "attending"}).status_code == 404


def test_rsvp_queries_stay_constant(client, world, django_assert_num_queries):
    from revans.meetings.tests.helpers import grow_set
    from revans.testing import count_queries

    meeting = world.meetings_a[0]
    client.force_login(world.member)
    data = {"response": "attending"}
    client.post(rsvp_url(meeting), data)  # the first reply inserts; the ones measured update
    small, _ = count_queries(client, "post", rsvp_url(meeting), data)
    grow_set(world.set_a, 12)
    large, _ = count_queries(client, "post", rsvp_url(meeting), data)
    assert small == large
    with django_assert_num_queries(12):
        client.post(rsvp_url(meeting), data)
