"""The summary after the meeting: for the set only, in a constant number of queries."""

from django.urls import reverse

from revans.live import actions
from revans.live.tests.helpers import go_to_round, version
from revans.testing import count_queries, make_user


def _run_meeting(world, meeting, questions: int) -> None:
    facilitator, holder, asker = world.facilitator, world.member, world.members[1]
    go_to_round(meeting, facilitator, 5, holders=[holder])
    for n in range(questions):
        actions.do_post_question(meeting, asker, text=f"What would success look like, {n}?")
    go_to_round(meeting, facilitator, 7)
    actions.do_add_action(meeting, holder, text="Talk to the board on Monday")
    go_to_round(meeting, facilitator, 8)
    actions.do_rate_process(meeting, asker, score=8, went_well="Open questions")
    actions.do_end_meeting(meeting, facilitator, expected_version=version(meeting))


def test_the_summary_shows_attendance_issue_questions_actions_and_review(client, world, opened):
    actions.do_join(opened, world.members[1])
    go_to_round(opened, world.facilitator, 3)
    actions.do_submit_bid(
        opened, world.member, title="Restructuring the team", urgency=4, importance=5,
        minutes_wanted=30,
    )  # fmt: skip
    _run_meeting(world, opened, questions=2)
    client.force_login(world.members[2])

    page = client.get(reverse("live:summary", args=[opened.pk])).content.decode()

    assert "Attendance" in page and world.members[1].display_name in page
    assert "Restructuring the team" in page
    assert "What would success look like, 0?" in page
    assert "Talk to the board on Monday" in page
    assert "Open questions" in page
    # As the room says it: "8", not "8.0".
    assert "1 review, average 8 out of 10." in page


def test_the_summary_says_how_each_members_commitments_went(client, world, opened):
    from revans.live.tests.test_queries import commit_before

    first = commit_before(opened, world.member, "Ask my director what good looks like")
    commit_before(opened, world.member, "Shadow a duty manager")
    go_to_round(opened, world.facilitator, 2)
    actions.do_review_commitments(
        opened, world.member, outcome="done", learning="Asking early helps", commitment_id=first.pk
    )
    # A member with nothing to review says how their actions went, overall.
    actions.do_review_commitments(
        opened, world.members[1], outcome="partly", learning="Found time only once"
    )
    go_to_round(opened, world.facilitator, 8, holders=[world.member])
    actions.do_end_meeting(opened, world.facilitator, expected_version=version(opened))
    client.force_login(world.members[2])

    page = client.get(reverse("live:summary", args=[opened.pk])).content.decode()

    assert "Commitments since the last meeting" in page
    assert "Ask my director what good looks like</span>: Done" in page
    assert "Asking early helps" in page
    assert page.count("Asking early helps") == 1  # not repeated as the overall line
    assert "Shadow a duty manager" not in page  # not reviewed at this meeting
    assert f"<strong>{world.members[1].display_name}</strong>: Partly done" in page
    assert "Found time only once" in page


def test_the_summary_gives_a_half_point_average_as_the_room_does(client, world, opened):
    go_to_round(opened, world.facilitator, 8, holders=[world.member])
    actions.do_rate_process(opened, world.members[1], score=8)
    actions.do_rate_process(opened, world.members[2], score=7)
    actions.do_end_meeting(opened, world.facilitator, expected_version=version(opened))
    client.force_login(world.member)
    page = client.get(reverse("live:summary", args=[opened.pk])).content.decode()
    assert "2 reviews, average 7.5 out of 10." in page


def test_private_notes_never_reach_the_summary_only_their_author_reads_them_beside_it(
    client, world, opened
):
    go_to_round(opened, world.facilitator, 4, holders=[world.member])
    author = world.members[1]
    actions.do_private_note(opened, author, text="My own thought about Alex")
    actions.do_private_note(opened, author, text="Ask about the budget later")
    actions.do_private_note(opened, world.facilitator, text="Coach: watch the airtime")
    actions.do_end_meeting(opened, world.facilitator, expected_version=version(opened))
    url = reverse("live:summary", args=[opened.pk])

    client.force_login(author)
    page = client.get(url).content.decode()
    own = page[page.index('class="card live-own-notes"') :]
    own = own[: own.index("</section>")]
    assert "Your private notes (only you see these)" in own
    assert own.index("My own thought about Alex") < own.index("Ask about the budget later")
    assert page.count("My own thought about Alex") == 1  # in their section, nowhere else
    assert "Coach: watch the airtime" not in page
    journal = f"/journal/new/?set={world.set_a.pk}&amp;meeting={opened.pk}"
    assert f'href="{journal}">Write about this meeting in your learning journal' in own
    # Everyone else inside the set reads the summary without them.
    for reader in (world.member, world.members[2], world.facilitator):
        client.force_login(reader)
        page = client.get(url).content.decode()
        assert "My own thought about Alex" not in page
        assert "Ask about the budget later" not in page
    assert "Coach: watch the airtime" in page  # the facilitator's own
    client.force_login(world.member)
    assert "You kept no private notes in this meeting." in client.get(url).content.decode()


def test_before_the_end_the_summary_says_it_is_not_ready(client, world, opened):
    client.force_login(world.member)

    page = client.get(reverse("live:summary", args=[opened.pk])).content.decode()

    assert "The summary is ready once the meeting has ended." in page


def test_the_summary_costs_the_same_queries_as_questions_and_members_grow(
    client, world, opened, django_assert_num_queries
):
    from revans.testing import add_members

    _run_meeting(world, opened, questions=2)
    client.force_login(world.member)
    url = reverse("live:summary", args=[opened.pk])
    small, response = count_queries(client, "get", url)
    assert response.status_code == 200

    other = world.meetings_a[0]
    assert other.pk == opened.pk
    add_members(world.set_a, [make_user(f"extra{i}@client.example") for i in range(8)])
    from revans.live.models import Contribution, LiveMeeting

    live = LiveMeeting.objects.get(meeting=opened)
    item = Contribution.objects.filter(live_meeting=live, kind="question").first()
    for n in range(30):
        Contribution.objects.create(
            live_meeting=live, agenda_item=item.agenda_item, author=world.members[2],
            kind="question", visibility="set", text=f"What else, {n}?",
            addressed_to=world.member, state="open", created_at=item.created_at,
        )  # fmt: skip
    large, response = count_queries(client, "get", url)
    assert response.status_code == 200
    assert "What else, 29?" in response.content.decode()

    assert small == large
    with django_assert_num_queries(small):
        client.get(url)
    # 12 for the page and its record (2 of them round 2's reviews), 2 x 5 for airtime (this
    # meeting, the programme), 1 for the reader's own private notes.
    assert small == 23


def test_the_room_costs_the_same_queries_whatever_the_size(client, world, opened):
    from revans.testing import add_members

    client.force_login(world.member)
    url = reverse("live:room", args=[opened.pk])
    small, _ = count_queries(client, "get", url)
    add_members(world.set_a, [make_user(f"more{i}@client.example") for i in range(8)])
    large, _ = count_queries(client, "get", url)

    assert small == large
    assert small == 4
    projector_small, _ = count_queries(client, "get", reverse("live:projector", args=[opened.pk]))
    assert projector_small == small
