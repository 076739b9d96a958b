"""Changing one's email address: confirmed from the new address, the old one told."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from revans.accounts import actions
from revans.accounts.actions import make_sign_in_url
from revans.accounts.models import EmailLink, User
from revans.accounts.tests.helpers import (
    CONFIRM_LINK,
    error_next_to,
    messages_of,
    path_in_email,
    value_of,
)
from revans.core.models import OutboundEmail
from revans.testing import PASSWORD, PERSONAS, count_queries, make_user

URL = reverse("accounts:change_email")
ACCOUNT = reverse("accounts:account")
NEW = "mina@newplace.example"


def ask_to_change(client, capture, new_email=NEW, password=PASSWORD, follow=False):
    data = {"new_email": new_email}
    if password is not None:
        data["password"] = password
    with capture(execute=True):
        return client.post(URL, data, follow=follow)


def confirmation_path(client, capture, user, new_email=NEW) -> str:
    client.force_login(user)
    ask_to_change(client, capture, new_email)
    return path_in_email(CONFIRM_LINK, new_email)


def test_the_whole_change(client, world, django_capture_on_commit_callbacks):
    old = world.member.email
    client.force_login(world.member)
    page = client.get(URL).content.decode()
    assert 'autocomplete="email"' in page and 'autocomplete="current-password"' in page
    response = ask_to_change(client, django_capture_on_commit_callbacks, follow=True)
    assert response.redirect_chain == [(ACCOUNT, 302)]
    assert messages_of(response) == [
        f"We sent a confirmation link to {NEW}. Your email address changes when you follow it."
    ]
    assert f"We sent a confirmation link to {NEW}" in response.content.decode()
    # Nothing changes until the link is followed.
    world.member.refresh_from_db()
    assert world.member.email == old
    path = path_in_email(CONFIRM_LINK, NEW)
    notice = [m for m in mail.outbox if m.to == [old]]
    assert len(notice) == 1
    # The old address is told, without a link and without learning the new address.
    assert "http" not in notice[0].body and NEW not in notice[0].body
    assert "asked to change its email address" in notice[0].body
    assert set(OutboundEmail.objects.values_list("kind", flat=True)) == {
        "change_email_confirm",
        "change_email_notice",
    }
    # Opening the link (or a mail scanner doing so) changes nothing either.
    confirm_page = client.get(path)
    assert f"Use {NEW}" in confirm_page.content.decode()
    world.member.refresh_from_db()
    assert world.member.email == old
    response = client.post(path, follow=True)
    assert response.redirect_chain == [(ACCOUNT, 302)]
    assert messages_of(response) == [f"Your email is now {NEW}."]
    world.member.refresh_from_db()
    assert world.member.email == NEW
    assert "already been used" in client.post(path).content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_confirm_page_for_each_persona(client, world, django_capture_on_commit_callbacks, persona):
    path = confirmation_path(client, django_capture_on_commit_callbacks, world.member)
    client.logout()
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    page = client.get(path)
    response = client.post(path)
    world.member.refresh_from_db()
    if persona in ("member", "anonymous"):
        assert page.status_code == 200 and f"Use {NEW}" in page.content.decode()
        assert response.status_code == 302 and response.url == ACCOUNT
        assert world.member.email == NEW
        assert int(client.session[SESSION_KEY]) == world.member.pk
    else:
        # Someone else's session never changes (or sees more than) the member's account.
        assert page.status_code == response.status_code == 403
        assert "Member 1" not in page.content.decode()
        assert world.member.email == "member1@client.example"
        assert int(client.session[SESSION_KEY]) == user.pk


def test_confirming_from_another_browser_signs_in(
    client, world, django_capture_on_commit_callbacks
):
    path = confirmation_path(client, django_capture_on_commit_callbacks, world.member)
    client.logout()
    response = client.post(path)
    assert response.url == ACCOUNT
    assert int(client.session[SESSION_KEY]) == world.member.pk


def test_signed_in_as_someone_else_changes_nothing(
    client, world, django_capture_on_commit_callbacks
):
    path = confirmation_path(client, django_capture_on_commit_callbacks, world.member)
    client.force_login(world.stranger)
    page = client.get(path)
    assert page.status_code == 403
    assert "this link is for another account" in page.content.decode()
    assert client.post(path).status_code == 403
    world.member.refresh_from_db()
    world.stranger.refresh_from_db()
    assert NEW not in (world.member.email, world.stranger.email)
    assert int(client.session[SESSION_KEY]) == world.stranger.pk


def test_an_address_taken_by_another_account_is_refused_next_to_the_field(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.member)
    taken = "Oscar@Client.example"
    response = ask_to_change(client, django_capture_on_commit_callbacks, taken)
    assert response.status_code == 200
    assert "Another account already uses this address" in error_next_to(response, "id_new_email")
    assert value_of(response, "id_new_email") == taken
    assert not mail.outbox


@pytest.mark.parametrize(
    "new_email, password, field, message",
    [
        ("not an address", PASSWORD, "id_new_email", "valid email address"),
        ("Member1@client.example", PASSWORD, "id_new_email", "already your email address"),
        (NEW, "wrong password", "id_password", "not your current password"),
        (NEW, "", "id_password", "required"),
    ],
)
def test_bad_input_is_explained_and_kept(
    client, world, django_capture_on_commit_callbacks, new_email, password, field, message
):
    client.force_login(world.member)
    response = ask_to_change(client, django_capture_on_commit_callbacks, new_email, password)
    assert message in error_next_to(response, field)
    assert value_of(response, "id_new_email") == new_email
    assert not mail.outbox


def test_an_account_without_a_password_is_not_asked_for_one(
    client, world, django_capture_on_commit_callbacks
):
    invited = User.objects.create_user("nell@example.org", None, full_name="Nell")
    client.force_login(invited)
    assert 'name="password"' not in client.get(URL).content.decode()
    response = ask_to_change(client, django_capture_on_commit_callbacks, password=None)
    assert response.url == ACCOUNT
    path = path_in_email(CONFIRM_LINK, NEW)
    client.post(path)
    invited.refresh_from_db()
    assert invited.email == NEW


def test_an_address_taken_before_confirmation_is_refused(
    client, world, django_capture_on_commit_callbacks
):
    path = confirmation_path(client, django_capture_on_commit_callbacks, world.member)
    make_user("MINA@newplace.example", "Someone Quicker")
    response = client.post(path)
    assert response.status_code == 409
    assert f"Another account already uses {NEW}" in response.content.decode()
    world.member.refresh_from_db()
    assert world.member.email == "member1@client.example"
    assert EmailLink.objects.get(purpose=EmailLink.Purpose.CHANGE_EMAIL).used_at is None


def test_two_accounts_confirming_the_same_address_at_once_leave_one_owner(
    client, world, django_capture_on_commit_callbacks, monkeypatch
):
    path = confirmation_path(client, django_capture_on_commit_callbacks, world.member)
    # The other account takes the address between our check and our write: only the
    # database's unique index can see it.
    make_user(NEW, "Someone Quicker")
    monkeypatch.setattr(actions, "email_is_taken", lambda *args, **kwargs: False)
    response = client.post(path)
    assert response.status_code == 409
    assert f"Another account already uses {NEW}" in response.content.decode()
    world.member.refresh_from_db()
    assert world.member.email == "member1@client.example"
    assert User.objects.filter(email=NEW).count() == 1


def test_the_confirmation_link_expires_after_a_day(
    client, world, django_capture_on_commit_callbacks
):
    start = timezone.now()
    path = confirmation_path(client, django_capture_on_commit_callbacks, world.member)
    with time_machine.travel(start + dt.timedelta(hours=23)):
        assert f"Use {NEW}" in client.get(path).content.decode()
    with time_machine.travel(start + dt.timedelta(hours=24, seconds=1)):
        response = client.post(path)
        assert "has expired" in response.content.decode()
    world.member.refresh_from_db()
    assert world.member.email == "member1@client.example"


def test_an_unknown_confirmation_link_says_so(client, world):
    client.force_login(world.member)
    response = client.get(reverse("accounts:confirm_email", args=["x" * 43]))
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()


def test_only_the_latest_request_can_be_confirmed(
    client, world, django_capture_on_commit_callbacks
):
    first = confirmation_path(
        client, django_capture_on_commit_callbacks, world.member, "typo@x.example"
    )
    ask_to_change(client, django_capture_on_commit_callbacks, NEW)
    assert "has expired" in client.post(first).content.decode()
    world.member.refresh_from_db()
    assert world.member.email == "member1@client.example"


def test_after_the_change_links_sent_to_the_old_address_stop_working(
    client, world, django_capture_on_commit_callbacks
):
    old_link = make_sign_in_url(world.member).removeprefix("http://testserver")
    path = confirmation_path(client, django_capture_on_commit_callbacks, world.member)
    client.post(path)
    client.logout()
    assert "has expired" in client.post(old_link).content.decode()
    assert SESSION_KEY not in client.session


def test_at_most_five_confirmation_emails_in_fifteen_minutes(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.member)
    for i in range(5):
        response = ask_to_change(client, django_capture_on_commit_callbacks, f"new{i}@x.example")
        assert response.url == ACCOUNT
    response = ask_to_change(client, django_capture_on_commit_callbacks, "new5@x.example")
    assert response.status_code == 200
    assert "already sent several emails" in response.content.decode()
    assert value_of(response, "id_new_email") == "new5@x.example"
    assert len(mail.outbox) == 10


def test_change_email_page_queries_do_not_grow(client, world, django_assert_num_queries):
    client.force_login(world.member)
    small, _ = count_queries(client, "get", URL)
    for i in range(30):
        make_user(f"many{i}@example.org")
        make_sign_in_url(world.member)
    large, _ = count_queries(client, "get", URL)
    assert small == large
    with django_assert_num_queries(2):  # session, user
        client.get(URL)


def test_confirm_page_queries_do_not_grow(
    client, world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    path = confirmation_path(client, django_capture_on_commit_callbacks, world.member)
    small, _ = count_queries(client, "get", path)
    for _ in range(30):
        make_sign_in_url(world.member)
    large, _ = count_queries(client, "get", path)
    assert small == large
    with django_assert_num_queries(3):  # the link with its account, session, user
        client.get(path)
