"""Writing, editing, deleting and sharing journal entries, and what each page costs."""

import pytest
from django.urls import reverse

from revans.journal.models import JournalEntry
from revans.sets.models import LearningSet
from revans.testing import add_members, count_queries, make_meetings, make_set, make_user

KOLB = {
    "what_happened": "I let the restructure meeting run over",
    "what_i_noticed": "Nobody challenged the timeline",
    "what_i_conclude": "Silence is not agreement",
    "what_i_will_try": "Ask each head of team directly",
}


def test_a_kolb_entry_linked_to_a_meeting(client, world):
    client.force_login(world.member)
    page = client.get(reverse("journal:new")).content.decode()
    for label in ("What happened", "What I noticed", "What I conclude", "What I will try"):
        assert label in page
    meeting = world.meetings_a[0]
    response = client.post(
        reverse("journal:new"),
        {**KOLB, "title": "Restructure", "learning_set": world.set_a.pk, "meeting": meeting.pk},
    )
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    assert entry.author == world.member and entry.meeting == meeting
    assert entry.learning_set == world.set_a and not entry.is_shared
    listing = client.get(reverse("journal:list")).content.decode()
    for text in KOLB.values():
        assert text in listing


def test_a_meeting_alone_links_its_set(client, world):
    client.force_login(world.member)
    client.post(
        reverse("journal:new"), {"free_text": "Just thoughts", "meeting": world.meetings_a[1].pk}
    )
    assert JournalEntry.objects.get().learning_set == world.set_a


def test_from_a_meetings_summary_the_entry_starts_about_that_meeting(client, world):
    client.force_login(world.member)
    meeting = world.meetings_a[1]
    page = client.get(
        reverse("journal:new"), {"set": world.set_a.pk, "meeting": meeting.pk}
    ).content.decode()
    assert f'<option value="{meeting.pk}" selected>' in page
    assert f'<option value="{world.set_a.pk}" selected>' in page
    # Another set's meeting is not theirs to write about: nothing is chosen for them.
    page = client.get(reverse("journal:new"), {"meeting": world.meetings_b[0].pk}).content.decode()
    assert '<option value="" selected>No meeting</option>' in page
    assert f'<option value="{world.meetings_b[0].pk}"' not in page


def test_an_empty_entry_is_refused_and_kept(client, world):
    client.force_login(world.member)
    response = client.post(reverse("journal:new"), {"title": "Nothing yet"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Write something" in body
    assert 'value="Nothing yet"' in body
    assert not JournalEntry.objects.exists()


def test_only_own_sets_and_their_meetings(client, world):
    client.force_login(world.member)
    response = client.post(
        reverse("journal:new"), {"free_text": "x", "learning_set": world.set_b.pk}
    )
    assert "Select a valid choice" in response.content.decode()
    response = client.post(
        reverse("journal:new"),
        {"free_text": "x", "learning_set": world.set_a.pk, "meeting": world.meetings_b[0].pk},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_edit_and_delete_with_confirmation(client, world):
    entry = JournalEntry.objects.create(author=world.member, free_text="First draft")
    client.force_login(world.member)
    page = client.get(reverse("journal:edit", args=[entry.pk])).content.decode()
    assert "First draft" in page
    client.post(reverse("journal:edit", args=[entry.pk]), {"free_text": "Second draft"})
    entry.refresh_from_db()
    assert entry.free_text == "Second draft"
    confirm = client.get(reverse("journal:delete", args=[entry.pk])).content.decode()
    assert "Delete this journal entry?" in confirm
    assert JournalEntry.objects.exists()
    client.post(reverse("journal:delete", args=[entry.pk]))
    assert not JournalEntry.objects.exists()


def test_the_share_confirmation_says_who_will_read_it(client, world):
    entry = JournalEntry.objects.create(
        author=world.member, free_text="Shareable", learning_set=world.set_a
    )
    client.force_login(world.member)
    page = client.get(reverse("journal:share", args=[entry.pk])).content.decode()
    assert f"Share this entry with {world.set_a.name}?" in page
    for other in world.members[1:]:
        assert other.full_name in page
    assert world.facilitator.full_name in page
    assert "not the sponsor" in page
    entry.refresh_from_db()
    assert not entry.is_shared
    client.post(reverse("journal:share", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.is_shared and entry.shared_at is not None


def test_an_entry_without_a_set_cannot_be_shared(client, world):
    entry = JournalEntry.objects.create(author=world.member, free_text="Loose")
    client.force_login(world.member)
    assert (
        "Link the entry to a set first"
        in client.get(reverse("journal:share", args=[entry.pk])).content.decode()
    )
    client.post(reverse("journal:share", args=[entry.pk]))
    entry.refresh_from_db()
    assert not entry.is_shared


def test_moving_a_shared_entry_to_no_set_unshares_it(client, world):
    entry = JournalEntry.objects.create(
        author=world.member,
        free_text="Shared",
        learning_set=world.set_a,
        visibility="set",
    )
    client.force_login(world.member)
    client.post(
        reverse("journal:edit", args=[entry.pk]), {"free_text": "Shared", "learning_set": ""}
    )
    entry.refresh_from_db()
    assert not entry.is_shared and entry.learning_set is None


def test_the_member_home_links_the_journal(client, world):
    client.force_login(world.member)
    assert reverse("journal:list") in client.get(reverse("home:home")).content.decode()


# Query budgets: the same for a few entries and many.


def _grow(world, count: int) -> None:
    existing = JournalEntry.objects.filter(author=world.member).count()
    for i in range(existing, existing + count):
        learning_set = make_set(world.org, world.facilitator, f"Journal Set {i}")
        add_members(learning_set, [world.member, make_user(f"j{i}@grown.example", f"J {i}")])
        meetings = make_meetings(learning_set, 2)
        JournalEntry.objects.create(
            author=world.member,
            free_text=f"entry {i}",
            learning_set=world.set_a,
            meeting=world.meetings_a[0],
            visibility="set",
        )
        JournalEntry.objects.create(
            author=world.member,
            what_happened=f"kolb {i}",
            learning_set=learning_set,
            meeting=meetings[0],
        )


@pytest.mark.parametrize(
    "name, expected",
    [
        ("list", 3),  # session, user, entries
        ("new", 4),  # session, user, sets, meetings
        ("edit", 5),  # ... and the entry
        ("share", 5),  # session, user, entry, the set's members, its facilitator
        ("delete", 3),
        ("set_shared", 4),  # session, user, the set with roles, shared entries
    ],
)
def test_journal_pages_queries_stay_constant(
    client, world, django_assert_num_queries, name, expected
):
    client.force_login(world.member)
    entry = JournalEntry.objects.create(
        author=world.member, free_text="mine", learning_set=world.set_a
    )
    args = {"set_shared": [world.set_a.pk], "list": [], "new": []}.get(name, [entry.pk])
    url = reverse(f"journal:{name}", args=args)
    _grow(world, 2)
    small, _ = count_queries(client, "get", url)
    LearningSet.objects.filter(pk=world.set_a.pk).update(max_members=40)
    add_members(world.set_a, [make_user(f"more{i}@grown.example") for i in range(10)])
    _grow(world, 10)
    large, response = count_queries(client, "get", url)
    assert response.status_code == 200
    assert small == large
    with django_assert_num_queries(expected):
        client.get(url)
