"""Adding, moving, changing and cancelling meetings through the pages."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from revans.live.models import LiveMeeting
from revans.meetings.models import Meeting
from revans.meetings.tests.helpers import grow_set, local, messages_of
from revans.sets.models import LearningSet
from revans.testing import count_queries, make_meetings


def edit_url(meeting):
    return reverse("meetings:edit", args=[meeting.pk])


def form_data(when: dt.datetime, **overrides):
    data = {
        "date": when.date().isoformat(),
        "start_time": when.strftime("%H:%M"),
        "duration_minutes": "90",
        "format": "open",
        "topic": "",
        "issue_holder": "",
    }
    data.update(overrides)
    return data


def field_errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def test_the_edit_form_shows_the_meeting_in_the_sets_zone(client, world):
    LearningSet.objects.filter(pk=world.set_a.pk).update(time_zone="America/New_York")
    meeting = Meeting.objects.get(pk=world.meetings_a[0].pk)
    client.force_login(world.facilitator)
    body = client.get(edit_url(meeting)).content.decode()
    when = local(meeting)
    assert f'value="{when.date().isoformat()}"' in body
    assert f'value="{when.strftime("%H:%M")}"' in body
    assert "America/New_York" in body


def test_moving_a_meeting_redirects_with_a_confirmation_and_emails_members(
    client, world, django_capture_on_commit_callbacks
):
    meeting = world.meetings_a[0]
    target = local(meeting) + dt.timedelta(days=1, hours=-1)
    client.force_login(world.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(meeting), form_data(target))
    assert response.status_code == 302
    assert response.url == reverse("meetings:detail", args=[meeting.pk])
    meeting.refresh_from_db()
    assert local(meeting) == target
    assert len(mail.outbox) == 4
    response = client.get(response.url)
    assert "The meeting is moved. The set's members are told by email." in messages_of(response)


def test_commitments_due_at_a_moved_meeting_fall_due_on_its_new_day(client, world):
    from revans.commitments.actions import do_add_commitment

    meeting = world.meetings_a[0]
    made = do_add_commitment(world.set_a, owner=world.member, what="Map who decides")
    assert made.due_on == local(meeting).date()
    target = local(meeting) + dt.timedelta(days=7)
    client.force_login(world.facilitator)
    assert client.post(edit_url(meeting), form_data(target)).status_code == 302
    made.refresh_from_db()
    assert made.due_on == target.date()


def test_moving_into_the_past_is_refused_next_to_the_date_with_the_input_kept(client, world):
    meeting = world.meetings_a[0]
    client.force_login(world.facilitator)
    response = client.post(
        edit_url(meeting),
        form_data(dt.datetime(2020, 3, 3, 9, 15), topic="", duration_minutes="75"),
    )
    assert response.status_code == 200
    assert field_errors(response, "date") == [
        "That time has passed: choose a date and time in the future."
    ]
    body = response.content.decode()
    assert 'value="2020-03-03"' in body and 'value="09:15"' in body and 'value="75"' in body
    assert 'id="id_date_error"' in body
    meeting.refresh_from_db()
    assert meeting.revision == 0


def test_an_overlap_is_refused_naming_the_other_meeting_with_the_input_kept(client, world):
    first, second = world.meetings_a[0], world.meetings_a[1]
    clash = local(second) + dt.timedelta(minutes=30)
    client.force_login(world.facilitator)
    response = client.post(
        edit_url(first), form_data(clash, format="planned", topic="Leading change")
    )
    assert response.status_code == 200
    day = local(second).strftime("%A %-d %B %Y")
    assert field_errors(response, "date") == [
        f"This overlaps the set's meeting on {day}, 18:00 (Europe/London): choose another time."
    ]
    body = response.content.decode()
    assert f'value="{clash.date().isoformat()}"' in body
    assert 'value="Leading change"' in body
    assert 'value="planned" required id="id_format_1" checked' in body
    first.refresh_from_db()
    assert (first.starts_at, first.topic) == (world.meetings_a[0].starts_at, "")


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"start_time": "25:99"}, "start_time", "Enter a time written as HH:MM, e.g. 18:00."),
        ({"date": "next tuesday"}, "date", "Enter a date written as YYYY-MM-DD."),
        (
            {"duration_minutes": "10"},
            "duration_minutes",
            "Ensure this value is greater than or equal to 30.",
        ),
        (
            {"topic": "x" * 201},
            "topic",
            "Ensure this value has at most 200 characters (it has 201).",
        ),
        ({"topic": "Budgets"}, "topic", "An open meeting has no agreed topic"),
    ],
)
def test_bad_input_is_explained_next_to_the_field(client, world, overrides, field, message):
    meeting = world.meetings_a[0]
    client.force_login(world.facilitator)
    response = client.post(edit_url(meeting), form_data(local(meeting), **overrides))
    assert response.status_code == 200
    errors = field_errors(response, field)
    assert errors and errors[0].startswith(message)
    for value in overrides.values():
        assert value in response.content.decode()


@pytest.mark.parametrize(
    "how, reason",
    [
        ("held", "This meeting has been held, so its time and details stay as they were."),
        ("started", "This meeting is under way, so its time and details can no longer be changed."),
        (
            "opened live",
            "The facilitator has opened the room for this meeting, so its time and details can "
            "no longer be changed here. To change them, the facilitator can first close the room "
            "from the live meeting: nothing is recorded before the meeting starts.",
        ),
    ],
)
def test_a_meeting_under_way_keeps_its_time_and_details(client, world, how, reason):
    """The live agenda was built from the format, and a held meeting's record stays as held:
    an old link to the edit page explains, and a form posted anyway changes nothing."""
    meeting = world.meetings_a[0]
    if how in ("held", "started"):
        ago = dt.timedelta(days=7 if how == "held" else 0, minutes=10)
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - ago)
    else:
        LiveMeeting.objects.create(meeting=meeting)
    meeting.refresh_from_db()
    before = (meeting.starts_at, meeting.format, meeting.topic, meeting.revision)
    client.force_login(world.facilitator)
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert edit_url(meeting) not in detail  # no edit offered
    cancel_url = reverse("meetings:cancel", args=[meeting.pk])
    assert cancel_url not in detail  # nor cancelling

    response = client.get(edit_url(meeting), follow=True)
    assert response.redirect_chain == [(reverse("meetings:detail", args=[meeting.pk]), 302)]
    assert reason in messages_of(response)

    posted = form_data(local(meeting), format="planned", topic="Something else")
    response = client.post(edit_url(meeting), posted)
    assert response.status_code == 200
    body = response.content.decode()
    assert reason in body.replace("&#x27;", "'")
    assert 'value="Something else"' in body  # what they typed is kept
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.format, meeting.topic, meeting.revision) == before

    response = client.post(cancel_url, follow=True)
    assert any("can no longer be cancelled" in m for m in messages_of(response))
    meeting.refresh_from_db()
    assert not meeting.is_cancelled


def test_planned_details_are_saved_with_an_issue_holder(client, world):
    meeting = world.meetings_a[0]
    client.force_login(world.facilitator)
    response = client.post(
        edit_url(meeting),
        form_data(
            local(meeting),
            format="combined",
            topic="Difficult conversations",
            issue_holder=str(world.members[1].pk),
        ),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.format, meeting.topic, meeting.issue_holder) == (
        "combined",
        "Difficult conversations",
        world.members[1],
    )


def test_only_current_members_are_offered_as_issue_holder(client, world):
    client.force_login(world.facilitator)
    response = client.post(
        edit_url(world.meetings_a[0]),
        form_data(
            local(world.meetings_a[0]), format="planned", issue_holder=str(world.other_member.pk)
        ),
    )
    assert response.status_code == 200
    assert field_errors(response, "issue_holder")[0].startswith("Select a valid choice")
    assert world.other_member.full_name not in response.content.decode()


def test_adding_a_meeting(client, world):
    when = local(world.meetings_a[-1]) + dt.timedelta(days=14)
    client.force_login(world.admin)
    response = client.post(reverse("meetings:add", args=[world.set_a.pk]), form_data(when))
    added = Meeting.objects.filter(learning_set=world.set_a).order_by("-starts_at").first()
    assert response.status_code == 302
    assert response.url == reverse("meetings:detail", args=[added.pk])
    assert local(added) == when


def test_adding_into_an_overlap_keeps_the_input(client, world):
    when = local(world.meetings_a[2]) + dt.timedelta(minutes=45)
    client.force_login(world.facilitator)
    response = client.post(
        reverse("meetings:add", args=[world.set_a.pk]), form_data(when, duration_minutes="120")
    )
    assert response.status_code == 200
    assert field_errors(response, "date")[0].startswith("This overlaps the set's meeting on")
    assert 'value="120"' in response.content.decode()
    assert Meeting.objects.filter(learning_set=world.set_a).count() == 6


def test_an_archived_set_offers_no_changes(client, world):
    LearningSet.objects.filter(pk=world.set_a.pk).update(archived_at=timezone.now())
    client.force_login(world.facilitator)
    body = client.get(reverse("meetings:add", args=[world.set_a.pk])).content.decode()
    assert "This set is archived" in body and 'name="date"' not in body
    meeting = world.meetings_a[0]
    response = client.post(edit_url(meeting), form_data(local(meeting) + dt.timedelta(days=1)))
    assert response.status_code == 200
    assert "archived" in response.content.decode()
    body = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert edit_url(meeting) not in body


def test_cancel_asks_first_then_cancels_and_tells_members(
    client, world, django_capture_on_commit_callbacks
):
    meeting = world.meetings_a[0]
    cancel_url = reverse("meetings:cancel", args=[meeting.pk])
    client.force_login(world.facilitator)
    body = client.get(cancel_url).content.decode()
    assert "Cancel this meeting?" in body
    meeting.refresh_from_db()
    assert not meeting.is_cancelled
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.cancelled_at is not None
    assert len(mail.outbox) == 4
    response = client.get(response.url)
    assert "The meeting is cancelled. The set's members are told by email." in messages_of(response)
    # A second attempt says why nothing happens.
    assert "already cancelled" in client.get(cancel_url).content.decode()
    response = client.post(cancel_url, follow=True)
    assert "This meeting is cancelled, so it cannot be changed." in messages_of(response)


@pytest.mark.parametrize("name", ["meetings:edit", "meetings:cancel"])
def test_meeting_forms_queries_stay_constant(client, world, django_assert_num_queries, name):
    meeting = world.meetings_a[0]
    client.force_login(world.facilitator)
    small, _ = count_queries(client, "get", reverse(name, args=[meeting.pk]))
    grow_set(world.set_a, 12)
    make_meetings(
        world.set_a,
        14,
        first=local(world.meetings_a[-1]).replace(tzinfo=None) + dt.timedelta(days=60),
    )
    large, _ = count_queries(client, "get", reverse(name, args=[meeting.pk]))
    assert small == large
    # The edit page also lists the set's members (for the issue holder agreed in advance);
    # whether the meeting is opened live comes with the meeting itself.
    with django_assert_num_queries(4 if name == "meetings:edit" else 3):
        client.get(reverse(name, args=[meeting.pk]))


def test_add_page_queries_stay_constant(client, world, django_assert_num_queries):
    url = reverse("meetings:add", args=[world.set_a.pk])
    client.force_login(world.facilitator)
    small, _ = count_queries(client, "get", url)
    grow_set(world.set_a, 12)
    large, response = count_queries(client, "get", url)
    assert "Extra Person 11" in response.content.decode()  # offered as issue holder
    assert small == large
    with django_assert_num_queries(4):
        client.get(url)


def test_an_organisation_admin_schedules_without_seeing_what_the_set_agreed(client, world):
    """The topic and issue holder are agreed inside the set: an admin, outside it, may move
    the meeting and change its length and format, but neither sees nor changes them."""
    meeting = world.meetings_a[0]
    topic = "Restructuring the housing team"
    Meeting.objects.filter(pk=meeting.pk).update(
        format="planned", topic=topic, issue_holder=world.members[2]
    )
    client.force_login(world.admin)
    body = client.get(edit_url(meeting)).content.decode()
    assert 'name="topic"' not in body and 'name="issue_holder"' not in body
    assert topic not in body and world.members[2].full_name not in body
    assert "The set's facilitator records any topic" in body
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert topic not in detail and "Agreed topic" not in detail
    # Moving it (even with a topic posted by hand) keeps what the set agreed.
    later = local(meeting) + dt.timedelta(days=1)
    posted = form_data(later, format="combined", topic="Admin's idea")
    assert client.post(edit_url(meeting), posted).status_code == 302
    meeting.refresh_from_db()
    assert local(meeting) == later and meeting.format == "combined"
    assert (meeting.topic, meeting.issue_holder) == (topic, world.members[2])
    # Making it open would drop what the set agreed: that is the facilitator's call.
    response = client.post(edit_url(meeting), form_data(later, format="open"))
    assert response.status_code == 200
    assert field_errors(response, "format")[0].startswith("The set has agreed in advance")
    assert Meeting.objects.get(pk=meeting.pk).format == "combined"
    # Adding one: no topic or issue holder offered.
    body = client.get(reverse("meetings:add", args=[world.set_a.pk])).content.decode()
    assert 'name="topic"' not in body and 'name="issue_holder"' not in body
    # The facilitator sees and changes them as before.
    client.force_login(world.facilitator)
    body = client.get(edit_url(meeting)).content.decode()
    assert 'name="topic"' in body and topic in body


def test_back_from_a_closed_room_the_meeting_page_says_nothing_was_recorded(client, world):
    """The room sends people here with ?room=closed (revans.live, do_close_room); the words
    are shown only while the meeting has no room, and fit who is reading."""
    meeting = world.meetings_a[0]
    url = reverse("meetings:detail", args=[meeting.pk]) + "?room=closed"
    client.force_login(world.facilitator)
    page = client.get(url).content.decode()
    assert "The room is closed and nothing was recorded. You can move or cancel" in page
    client.force_login(world.member)
    page = client.get(url).content.decode()
    assert "The room is closed and nothing was recorded." in page
    assert "You can move or cancel" not in page
    LiveMeeting.objects.create(meeting=meeting)  # opened again since
    assert "The room is closed" not in client.get(url).content.decode()
