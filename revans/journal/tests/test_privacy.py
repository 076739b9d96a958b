"""A journal entry is its author's alone: everyone else gets a 404 on every URL of it, and its
words appear on none of their pages (nor in any email), until the author shares it."""

import pytest
from django.urls import reverse

from revans.core.models import OutboundEmail
from revans.journal.models import JournalEntry
from revans.testing import PERSONAS, assert_refused, sign_in_as

SECRET = "I think my director is quietly sabotaging the merger"
TITLE = "After the March meeting"
OTHERS = sorted(set(PERSONAS) - {"member"})


@pytest.fixture
def entry(world):
    return JournalEntry.objects.create(
        author=world.member,
        title=TITLE,
        what_happened=SECRET,
        what_i_will_try="Ask for the board minutes",
        learning_set=world.set_a,
        meeting=world.meetings_a[0],
    )


def entry_urls(entry) -> list[str]:
    return [
        reverse(f"journal:{name}", args=[entry.pk])
        for name in ("edit", "delete", "share", "unshare")
    ]


def pages_of(world) -> list[str]:
    """Every page someone with a role in set A might open."""
    return [
        reverse("home:home"),
        reverse("journal:list"),
        reverse("journal:new"),
        reverse("journal:set_shared", args=[world.set_a.pk]),
        reverse("sets:detail", args=[world.set_a.pk]),
        reverse("sets:members", args=[world.set_a.pk]),
        reverse("meetings:detail", args=[world.meetings_a[0].pk]),
        reverse("calls:set_calls", args=[world.set_a.pk]),
    ]


@pytest.mark.parametrize("persona", OTHERS)
def test_nobody_but_the_author_reaches_an_entry(client, world, entry, persona):
    sign_in_as(client, world, persona)
    for url in entry_urls(entry):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code == 405:
                continue
            assert_refused(response, world, persona, also_hidden=(SECRET, TITLE))
    entry.refresh_from_db()
    assert not entry.is_shared
    assert JournalEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("persona", OTHERS)
def test_the_entry_appears_on_none_of_their_pages(client, world, entry, persona):
    sign_in_as(client, world, persona)
    for url in pages_of(world):
        body = client.get(url).content.decode()
        assert SECRET not in body, f"{persona} read the entry on {url}"
        assert TITLE not in body


def test_not_even_another_member_or_a_superuser(client, world, entry):
    world.stranger.is_superuser = True
    world.stranger.is_staff = True
    world.stranger.save()
    for user in (world.members[1], world.stranger):
        client.force_login(user)
        for url in entry_urls(entry):
            assert client.get(url).status_code in {404, 405}
            assert client.post(url).status_code == 404
        for url in pages_of(world):
            assert SECRET not in client.get(url).content.decode()


def test_the_author_reads_and_changes_it(client, world, entry):
    client.force_login(world.member)
    assert SECRET in client.get(reverse("journal:list")).content.decode()
    for url in entry_urls(entry)[:3]:
        assert client.get(url).status_code == 200


def test_shared_it_reaches_the_set_and_only_the_set(client, world, entry):
    client.force_login(world.member)
    client.post(reverse("journal:share", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.is_shared
    shared_page = reverse("journal:set_shared", args=[world.set_a.pk])
    for user in (world.facilitator, world.members[1], world.member):
        client.force_login(user)
        assert SECRET in client.get(shared_page).content.decode()
    for persona in ("admin", "sponsor", "other_member", "other_admin", "stranger"):
        sign_in_as(client, world, persona)
        assert_refused(client.get(shared_page), world, persona, also_hidden=(SECRET,))
        for url in pages_of(world):
            assert SECRET not in client.get(url).content.decode()
    # Still the author's to change: the facilitator cannot edit or unshare it.
    client.force_login(world.facilitator)
    for url in entry_urls(entry):
        assert client.post(url).status_code == 404
    # Taken back, it is private again.
    client.force_login(world.member)
    client.post(reverse("journal:unshare", args=[entry.pk]))
    client.force_login(world.facilitator)
    assert SECRET not in client.get(shared_page).content.decode()


def test_sharing_sends_no_email(client, world, entry):
    client.force_login(world.member)
    client.post(reverse("journal:share", args=[entry.pk]))
    assert not OutboundEmail.objects.filter(body_text__contains=SECRET).exists()
    assert not OutboundEmail.objects.exclude(to_email=world.member.email).exists()


def test_an_entry_of_someone_who_left_leaves_the_set_page(client, world, entry):
    from django.utils import timezone

    from revans.sets.models import SetMembership

    client.force_login(world.member)
    client.post(reverse("journal:share", args=[entry.pk]))
    SetMembership.objects.filter(user=world.member).update(left_at=timezone.now())
    client.force_login(world.facilitator)
    page = client.get(reverse("journal:set_shared", args=[world.set_a.pk])).content.decode()
    assert SECRET not in page
