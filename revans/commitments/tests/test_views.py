import datetime as dt

from django.urls import reverse

from revans.commitments import actions
from revans.commitments.models import Commitment, ProgressNote

MINE = reverse("commitments:mine")


def _update_url(commitment) -> str:
    return reverse("commitments:update", args=[commitment.pk])


def _fields(commitment, **values) -> dict:
    return {f"c{commitment.pk}-{name}": value for name, value in values.items()}


def test_a_member_adds_one_from_my_commitments(client, world):
    client.force_login(world.member)
    page = client.get(MINE).content.decode()
    assert "Add a commitment" in page
    response = client.post(
        MINE, {"learning_set": world.set_a.pk, "what": "Map who decides", "due_on": ""}
    )
    assert response.status_code == 302
    made = Commitment.objects.get()
    assert (made.owner, made.due_on) == (world.member, world.meetings_a[0].local_start().date())
    page = client.get(MINE).content.decode()
    assert "Map who decides" in page and "Commitment added, due by" in page


def test_bad_input_re_renders_with_the_text_and_a_precise_error(client, world):
    client.force_login(world.member)
    response = client.post(
        MINE,
        {
            "learning_set": world.set_a.pk,
            "what": "Talk to my manager",
            "due_on": "2020-01-01",
            "who_could_help": "Jo",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose a date from today on." in page
    assert "Talk to my manager" in page and 'value="Jo"' in page
    response = client.post(MINE, {"learning_set": world.set_a.pk, "what": "", "due_on": "soon"})
    page = response.content.decode()
    assert "Please write what you will do." in page
    assert "Enter a date written as YYYY-MM-DD." in page
    # A set the person is not a member of is not a choice.
    response = client.post(MINE, {"learning_set": world.set_b.pk, "what": "Sneak in"})
    assert response.status_code == 400
    assert not Commitment.objects.exists()


def test_someone_in_no_set_is_told_so(client, world):
    client.force_login(world.sponsor)
    page = client.get(MINE).content.decode()
    assert "You are not a member of a set" in page and "Add a commitment" not in page


def test_updating_without_javascript_returns_to_the_page_it_came_from(client, world):
    made = actions.do_add_commitment(world.set_a, owner=world.member, what="Map who decides")
    client.force_login(world.member)
    home = reverse("home:home")
    response = client.post(
        _update_url(made),
        {"next": home, **_fields(made, status="in_progress", note="Started")},
    )
    assert response.status_code == 302 and response.url == home
    made.refresh_from_db()
    assert made.status == "in_progress"
    assert "Saved: In progress." in client.get(home).content.decode()
    # Another site is never where it goes back to.
    response = client.post(
        _update_url(made),
        {"next": "https://evil.example/", **_fields(made, status="in_progress", note="More")},
    )
    assert response.url == reverse("commitments:detail", args=[made.pk])


def test_updating_with_htmx_swaps_the_card_and_announces_it(client, world):
    made = actions.do_add_commitment(world.set_a, owner=world.member, what="Map who decides")
    client.force_login(world.member)
    response = client.post(
        _update_url(made), _fields(made, status="done", note="All done"), HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="commitment-{made.pk}"' in page and "Saved: Done." in page
    assert 'hx-swap-oob="innerHTML"' in page and "<html" not in page
    assert world.set_a.name not in page
    response = client.post(
        _update_url(made),
        {"show_set": "1", **_fields(made, status="open")},
        HTTP_HX_REQUEST="true",
    )
    assert world.set_a.name in response.content.decode()


def test_a_refused_update_keeps_the_note_and_says_why(client, world):
    made = actions.do_add_commitment(world.set_a, owner=world.member, what="Map who decides")
    client.force_login(world.member)
    response = client.post(_update_url(made), _fields(made, status="open", note=""))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Change the status or write a progress note (or both)." in page
    too_long = "x" * 501
    response = client.post(
        _update_url(made), _fields(made, status="open", note=too_long), HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert too_long in page and "Not saved yet" in page
    assert not ProgressNote.objects.exists()


def test_the_owner_edits_and_sees_the_history(client, world):
    made = actions.do_add_commitment(world.set_a, owner=world.member, what="Map who decides")
    actions.do_update_commitment(made, actor=world.member, status="in_progress", note="Started")
    client.force_login(world.member)
    edit = reverse("commitments:edit", args=[made.pk])
    later = made.due_on + dt.timedelta(days=3)
    response = client.post(
        edit,
        {"what": "Map who decides, with Jo", "due_on": later.isoformat(), "who_could_help": ""},
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Map who decides, with Jo" in page
    assert "Open → In progress" in page and "Started" in page
    response = client.post(edit, {"what": "", "due_on": ""})
    page = response.content.decode()
    assert "Please write what you will do." in page
    assert "Choose the date you will have done it by." in page


def test_the_board_groups_by_meeting_and_marks_overdue_ones_in_words(client, world, time_machine):
    first = world.meetings_a[0]
    made_at = Commitment.objects.create(
        learning_set=world.set_a,
        owner=world.members[1],
        meeting=first,
        what="From the first meeting",
        due_on=first.local_start().date(),
    )
    actions.do_add_commitment(
        world.set_a,
        owner=world.member,
        what="Between meetings",
        due_on=first.local_start().date() + dt.timedelta(days=30),
    )
    time_machine.move_to(first.starts_at + dt.timedelta(days=3), tick=False)
    client.force_login(world.facilitator)
    page = client.get(reverse("commitments:board", args=[world.set_a.pk])).content.decode()
    between = page.index("Added between meetings")
    from_first = page.index("From meeting 1 (")
    assert between < page.index("Between meetings", between + 1) < from_first
    assert page.index("From the first meeting") > from_first
    assert "1 overdue" in page and "Overdue" in page and "is-overdue" in page
    made_at.status = "done"
    made_at.save()
    assert (
        "Overdue"
        not in client.get(reverse("commitments:board", args=[world.set_a.pk])).content.decode()
    )


def test_an_archived_sets_commitments_are_shown_as_they_were(client, world):
    made = actions.do_add_commitment(world.set_a, owner=world.member, what="Map who decides")
    world.set_a.archived_at = made.created_at
    world.set_a.save()
    client.force_login(world.member)
    home = client.get(reverse("home:home")).content.decode()
    assert "Map who decides" not in home
    for url in (MINE, reverse("commitments:detail", args=[made.pk])):
        page = client.get(url).content.decode()
        assert "Map who decides" in page
        assert _update_url(made) not in page
        assert reverse("commitments:edit", args=[made.pk]) not in page
