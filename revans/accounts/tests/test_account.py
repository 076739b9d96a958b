"""The account page: name, and the ways to change email and password."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from revans.accounts.actions import make_sign_in_url
from revans.accounts.models import User
from revans.accounts.tests.helpers import error_next_to, messages_of, value_of
from revans.testing import PASSWORD, PERSONAS, count_queries

URL = reverse("accounts:account")
PASSWORD_URL = reverse("accounts:password_change")
NEW_PASSWORD = "a quiet harbour at dawn"
ACCOUNT_PAGES = [URL, reverse("accounts:change_email"), PASSWORD_URL]


@pytest.mark.parametrize("page", ACCOUNT_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_account_pages_show_only_your_own_account(client, world, persona, page):
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    response = client.get(page)
    if user is None:
        assert response.status_code == 302
        assert response.url == f"{reverse('accounts:sign_in')}?next={page}"
        return
    assert response.status_code == 200
    body = response.content.decode()
    if page != PASSWORD_URL:
        assert user.email in body
    others = {world.persona(p).email for p in PERSONAS if p not in ("anonymous", persona)}
    assert not [email for email in others if email in body]


def test_the_account_page_links_to_email_and_password(client, world):
    client.force_login(world.member)
    body = client.get(URL).content.decode()
    assert value_of(client.get(URL), "id_full_name") == "Member 1"
    assert "Change email" in body and reverse("accounts:change_email") in body
    assert "Change password" in body and "Set a password" not in body
    assert 'autocomplete="name"' in body


def test_changing_the_name(client, world):
    client.force_login(world.member)
    response = client.post(URL, {"full_name": "  Mina Member  "}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert messages_of(response) == ["Your name is saved."]
    world.member.refresh_from_db()
    assert world.member.full_name == "Mina Member"


def test_a_bad_name_is_explained_next_to_the_field(client, world):
    client.force_login(world.member)
    response = client.post(URL, {"full_name": ""})
    assert "required" in error_next_to(response, "id_full_name")
    too_long = "M" * 121
    response = client.post(URL, {"full_name": too_long})
    assert "at most 120 characters" in error_next_to(response, "id_full_name")
    assert value_of(response, "id_full_name") == too_long
    world.member.refresh_from_db()
    assert world.member.full_name == "Member 1"


def test_changing_the_password(client, world):
    client.force_login(world.member)
    page = client.get(PASSWORD_URL).content.decode()
    assert 'autocomplete="current-password"' in page and 'autocomplete="new-password"' in page
    response = client.post(
        PASSWORD_URL,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain == [(URL, 302)]
    assert messages_of(response) == ["Your password is changed."]
    # Still signed in here, and the new password is the one that works.
    assert int(client.session[SESSION_KEY]) == world.member.pk
    world.member.refresh_from_db()
    assert world.member.check_password(NEW_PASSWORD)


def test_a_wrong_current_password_or_a_mismatch_is_explained(client, world):
    client.force_login(world.member)
    response = client.post(
        PASSWORD_URL,
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": "other words"},
    )
    assert "not your current password" in error_next_to(response, "id_old_password")
    assert "not the same" in error_next_to(response, "id_new_password2")
    response = client.post(
        PASSWORD_URL,
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert "too common" in error_next_to(response, "id_new_password2")
    world.member.refresh_from_db()
    assert world.member.check_password(PASSWORD)


def test_an_account_without_a_password_can_set_one(client, world):
    invited = User.objects.create_user("nell@example.org", None, full_name="Nell Newcomer")
    client.force_login(invited)
    assert "Set a password" in client.get(URL).content.decode()
    page = client.get(PASSWORD_URL)
    assert 'name="old_password"' not in page.content.decode()
    response = client.post(
        PASSWORD_URL, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert messages_of(response) == ["Your password is set."]
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)
    assert "Change password" in response.content.decode()


def test_a_new_password_stops_links_waiting_in_the_mailbox(client, world):
    path = make_sign_in_url(world.member).removeprefix("http://testserver")
    client.force_login(world.member)
    client.post(
        PASSWORD_URL,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    client.logout()
    assert "has expired" in client.get(path).content.decode()


def test_account_page_queries_do_not_grow(client, world, django_assert_num_queries):
    client.force_login(world.member)
    for _ in range(2):
        make_sign_in_url(world.member)
    small, _ = count_queries(client, "get", URL)
    for _ in range(40):
        make_sign_in_url(world.member)
    large, response = count_queries(client, "get", URL)
    assert response.status_code == 200
    assert small == large
    # session, user, a change of email waiting, email choices, calendar address
    with django_assert_num_queries(5):
        client.get(URL)


def test_password_page_queries(client, world, django_assert_num_queries):
    client.force_login(world.member)
    with django_assert_num_queries(2):  # session, user
        client.get(PASSWORD_URL)
