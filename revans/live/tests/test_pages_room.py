"""The room and the projector: shells that room.js fills from the socket."""

import re

from django.core import mail
from django.templatetags.static import static
from django.urls import reverse

from revans.live import actions
from revans.live.models import LiveMeeting
from revans.live.tests.helpers import go_to_round, version
from revans.meetings.rules import describe_day


def test_the_facilitator_opens_the_room_on_the_day(client, world, meeting, on_the_day, announced):
    client.force_login(world.facilitator)
    url = reverse("live:room", args=[meeting.pk])

    page = client.get(url).content.decode()
    assert "Open the meeting room" in page

    response = client.post(url)

    assert response.status_code == 302 and response.url == url
    assert LiveMeeting.objects.filter(meeting=meeting).exists()
    page = client.get(url).content.decode()
    assert "Open the meeting room" not in page
    assert f'data-socket="/ws/meetings/{meeting.pk}/"' in page
    assert 'data-open="true"' in page


def test_opening_on_another_day_explains_when(client, world, meeting):
    client.force_login(world.facilitator)

    response = client.post(reverse("live:room", args=[meeting.pk]), follow=True)

    assert "You can open this meeting on its day" in response.content.decode()
    assert not LiveMeeting.objects.filter(meeting=meeting).exists()


def test_a_member_waiting_is_told_the_room_is_not_open(client, world, meeting):
    client.force_login(world.member)

    page = client.get(reverse("live:room", args=[meeting.pk])).content.decode()

    assert "The facilitator has not opened this meeting yet." in page
    assert "Open the meeting room" not in page
    assert 'data-open="false"' in page


def test_the_room_loads_its_script_and_translated_words_without_inline_code(client, world, opened):
    client.force_login(world.member)

    page = client.get(reverse("live:room", args=[opened.pk])).content.decode()

    assert re.search(r'<script type="module" src="[^"]*live/room\.js"', page)
    assert 'id="live-strings" type="application/json"' in page
    assert 'aria-live="polite"' in page
    assert "<noscript>" in page
    assert " style=" not in page
    # The only other scripts are external files or JSON data (the CSP forbids inline code).
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag


def test_an_ended_meetings_room_leads_to_the_summary(client, world, opened):
    go_to_round(opened, world.facilitator, 1)
    actions.do_end_meeting(opened, world.facilitator, expected_version=version(opened))
    client.force_login(world.member)

    response = client.get(reverse("live:room", args=[opened.pk]))

    assert response.status_code == 302
    assert response.url == reverse("live:summary", args=[opened.pk])


def test_the_projector_is_read_only_and_uses_the_same_socket(client, world, opened):
    client.force_login(world.member)

    page = client.get(reverse("live:projector", args=[opened.pk])).content.decode()

    assert 'data-mode="projector"' in page
    assert f'data-socket="/ws/meetings/{opened.pk}/"' in page
    assert "<form" not in page.split('id="live-room"')[1].split("</main>")[0]


def test_ending_the_meeting_emails_members_a_link_and_no_content(
    world, opened, django_capture_on_commit_callbacks
):
    go_to_round(opened, world.facilitator, 5, holders=[world.member])
    secret = "What is really stopping you from telling Alex?"
    actions.do_post_question(opened, world.members[1], text=secret)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        actions.do_end_meeting(opened, world.facilitator, expected_version=version(opened))

    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in world.members)
    link = reverse("live:summary", args=[opened.pk])
    for message in mail.outbox:
        assert link in message.body
        assert world.set_a.name in message.subject
        assert describe_day(opened.starts_at, world.set_a.time_zone) in message.body
        assert "today" not in message.body
        assert secret not in message.body and "Alex" not in message.body


def test_the_meeting_page_offers_the_way_in_on_the_day_and_the_summary_after(
    client, world, meeting, on_the_day, announced
):
    detail = reverse("meetings:detail", args=[meeting.pk])
    client.force_login(world.facilitator)
    assert "Open the live meeting" in client.get(detail).content.decode()
    client.force_login(world.member)
    assert "Join the meeting" in client.get(detail).content.decode()
    client.force_login(world.sponsor)
    page = client.get(detail).content.decode()
    assert "Join the meeting" not in page and "Open the live meeting" not in page
    client.force_login(world.admin)
    page = client.get(detail).content.decode()
    assert "Join the meeting" not in page and "Open the live meeting" not in page

    assert "under way" not in page and "gathering" not in page
    actions.do_open_meeting(meeting, world.facilitator)
    for user in (world.member, world.facilitator):
        client.force_login(user)
        assert "The room is open: the set is gathering." in client.get(detail).content.decode()
    go_to_round(meeting, world.facilitator, 1)
    for user in (world.member, world.facilitator):
        client.force_login(user)
        page = client.get(detail).content.decode()
        assert "The meeting is under way." in page and "gathering" not in page
    client.force_login(world.sponsor)
    assert "under way" not in client.get(detail).content.decode()
    actions.do_end_meeting(meeting, world.facilitator, expected_version=version(meeting))

    client.force_login(world.member)
    page = client.get(detail).content.decode()
    assert "under way" not in page
    assert "Read the summary" in page
    assert reverse("live:summary", args=[meeting.pk]) in page


def test_a_meeting_run_early_shows_as_under_way_and_then_as_held(
    client, world, meeting, on_the_day, announced
):
    """The set started five minutes before the time on the schedule, and finished before it:
    the badges follow the live meeting, not the clock, and replies close once it starts."""
    detail = reverse("meetings:detail", args=[meeting.pk])
    set_page = reverse("sets:detail", args=[world.set_a.pk])

    def badge(user, url) -> str:
        client.force_login(user)
        page = client.get(url).content.decode()
        return re.findall(r'<span class="badge[^"]*">([^<]+)</span>', page)

    actions.do_open_meeting(meeting, world.facilitator)
    assert "Upcoming" in badge(world.member, detail)
    client.force_login(world.member)
    assert "Send my reply" in client.get(detail).content.decode()

    go_to_round(meeting, world.facilitator, 1)
    assert "In progress" in badge(world.member, detail)
    assert "Upcoming" not in badge(world.member, detail)
    assert badge(world.member, set_page).count("In progress") == 1
    assert "In progress" in badge(world.sponsor, reverse("home:home"))
    client.force_login(world.member)
    page = client.get(detail).content.decode()
    assert "Send my reply" not in page and "replies are now closed" in page
    refused = client.post(
        reverse("meetings:rsvp", args=[meeting.pk]), {"response": "apologies"}, follow=True
    )
    assert "This meeting has already started, so replies are closed." in refused.content.decode()
    client.force_login(world.facilitator)
    assert "Save the attendance" in client.get(detail).content.decode()
    saved = client.post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {"attended": [str(world.member.pk)]},
        follow=True,
    )
    assert "Attendance can be recorded once" not in saved.content.decode()
    assert meeting.attendance.filter(user=world.member, attended=True).exists()

    actions.do_end_meeting(meeting, world.facilitator, expected_version=version(meeting))
    assert "Held" in badge(world.member, detail)
    assert "In progress" not in badge(world.facilitator, set_page)
    assert "In progress" not in badge(world.sponsor, reverse("home:home"))


def test_a_meeting_ended_before_its_start_time_counts_as_held_everywhere(
    world, meeting, on_the_day, announced
):
    """The schedule, the organisation's overview, the sponsor's home, the programme report's
    figures and the momentum calls all count a meeting as held as its page does (phase)."""
    from django.utils import timezone

    from revans.calls.queries import _last_held_id, _next_id
    from revans.home.queries import sponsored_sets
    from revans.meetings.models import Meeting
    from revans.meetings.queries import not_ended
    from revans.organisations.queries import annotate_progress
    from revans.reports.figures import figures_for_sets
    from revans.sets.models import LearningSet

    def counts() -> dict:
        now = timezone.now()
        the_set = LearningSet.objects.filter(pk=world.set_a.pk)
        progress = annotate_progress(the_set, now).get()
        calls = the_set.annotate(last=_last_held_id(now), next=_next_id(now)).get()
        figures = figures_for_sets(the_set)[world.set_a.pk]
        (sponsored,) = [s for s in sponsored_sets(world.sponsor) if s.pk == world.set_a.pk]
        return {
            "held": Meeting.objects.get(pk=meeting.pk).is_held,
            "to come": not_ended(now).filter(pk=meeting.pk).exists(),
            "overview held": progress.held_count,
            "overview next": progress.next_meeting_at == meeting.starts_at,
            "sponsor held": sponsored.held_count,
            "report held": figures["meetings_held"],
            "report to come": figures["meetings_to_come"],
            "calls after": calls.last == meeting.pk,
            "calls before": calls.next == meeting.pk,
        }

    actions.do_open_meeting(meeting, world.facilitator)
    go_to_round(meeting, world.facilitator, 1)
    before = counts()
    assert before["to come"] and before["overview next"] and before["calls before"]
    actions.do_end_meeting(meeting, world.facilitator, expected_version=version(meeting))
    after = counts()
    assert after == {
        "held": True,
        "to come": False,
        "overview held": before["overview held"] + 1,
        "overview next": False,
        "sponsor held": before["sponsor held"] + 1,
        "report held": before["report held"] + 1,
        "report to come": before["report to come"] - 1,
        "calls after": True,
        "calls before": False,
    }
    assert timezone.now() < meeting.starts_at  # all of it before the time on the schedule
    # The meetings app names the live status without importing the live app.
    from revans.live.models import LiveMeeting
    from revans.meetings.models import LIVE_ENDED

    assert LiveMeeting.Status.ENDED == LIVE_ENDED


def test_on_the_day_the_way_in_costs_the_meeting_page_no_query(
    client, world, meeting, on_the_day, announced, django_assert_num_queries
):
    """Whether the room is open comes with the meeting (Meeting.live_status): the member's
    page makes the same 4 queries on the day as on any other (test_detail)."""
    actions.do_open_meeting(meeting, world.facilitator)
    client.force_login(world.member)
    with django_assert_num_queries(4):
        page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Join the meeting" in page and "The room is open" in page
    # The facilitator who opened it goes back into it; nothing to open again.
    client.force_login(world.facilitator)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Go to the meeting room" in page and "Open the live meeting" not in page


def test_before_the_day_the_meeting_page_says_when_the_room_opens(client, world):
    detail = reverse("meetings:detail", args=[world.meetings_a[1].pk])
    client.force_login(world.member)
    page = client.get(detail).content.decode()
    assert "Join the meeting" not in page
    assert "The meeting room opens here on the day of the meeting." in page
    client.force_login(world.facilitator)
    page = client.get(detail).content.decode()
    assert "Open the live meeting" not in page
    assert "You can open the meeting room here on the day of the meeting" in page
    client.force_login(world.sponsor)
    assert "meeting room" not in client.get(detail).content.decode()


def test_the_rooms_script_is_small_modules_each_served_where_its_importer_looks(client):
    """room.js imports its parts by relative paths (no build step): every module it reaches
    must be served beside it, as JavaScript, and stay small enough to read."""
    seen, waiting = set(), ["room.js"]
    while waiting:
        name = waiting.pop()
        seen.add(name)
        response = client.get(static(f"live/{name}"))
        assert response.status_code == 200, name
        assert "javascript" in response["Content-Type"], name
        source = b"".join(response.streaming_content).decode()
        assert len(source.splitlines()) < 400, f"{name} has grown past ~400 lines: split it"
        for imported in re.findall(r'^import .* from "\./([\w.]+\.js)";$', source, re.M):
            if imported not in seen:
                waiting.append(imported)
    assert len(seen) > 5
