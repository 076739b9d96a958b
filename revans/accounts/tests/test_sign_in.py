"""Signing in with email and password."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from revans.accounts.tests.helpers import error_next_to, value_of
from revans.testing import PASSWORD, PERSONAS, count_queries, make_user

URL = reverse("accounts:sign_in")
WRONG = "not the password"


def test_the_page_has_labelled_fields_and_the_link_alternative(client, db):
    body = client.get(URL).content.decode()
    assert '<label for="id_username">Email address' in body
    assert '<label for="id_password">Password' in body
    assert 'autocomplete="username"' in body and 'type="email"' in body
    assert 'autocomplete="current-password"' in body
    assert "Email me a sign-in link" in body
    assert f'href="{reverse("accounts:sign_in_link_request")}"' in body
    assert reverse("accounts:password_reset") in body


@pytest.mark.parametrize("persona", PERSONAS)
def test_signed_in_visitors_go_home(client, world, persona):
    user = world.persona(persona)
    if user is None:
        assert client.get(URL).status_code == 200
        return
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 302 and response.url == reverse("home:home")
    # Following a link that asked them to sign in takes them where it pointed.
    assert client.get(URL, {"next": "/sets/"}).url == "/sets/"


def test_right_password_signs_in_with_a_new_session_key(client, world):
    session = client.session
    session["before"] = "sign-in"
    session.save()
    key_before = session.session_key
    response = client.post(URL, {"username": world.member.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home:home")
    assert int(client.session[SESSION_KEY]) == world.member.pk
    assert client.session.session_key != key_before


def test_the_address_may_be_typed_in_any_case(client, world):
    client.post(URL, {"username": "  Member1@Client.EXAMPLE ", "password": PASSWORD})
    assert int(client.session[SESSION_KEY]) == world.member.pk


def test_wrong_password_says_so_and_keeps_the_email(client, world):
    response = client.post(
        URL, {"username": "Member1@client.example", "password": WRONG, "next": "/sets/"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "That email address and password do not match" in body
    assert value_of(response, "id_username") == "Member1@client.example"
    assert WRONG not in body
    assert SESSION_KEY not in client.session
    # The way out carries what was typed and where they were going.
    request_url = reverse("accounts:sign_in_link_request")
    assert f'href="{request_url}?email=Member1%40client.example&amp;next=%2Fsets%2F"' in body
    assert 'name="next" value="/sets/"' in body


def test_an_unknown_address_gets_the_same_answer_as_a_wrong_password(client, world):
    known = client.post(URL, {"username": world.member.email, "password": WRONG})
    unknown = client.post(URL, {"username": "nobody@client.example", "password": WRONG})
    assert known.status_code == unknown.status_code == 200
    assert "That email address and password do not match" in unknown.content.decode()


def test_a_malformed_address_is_explained_next_to_the_field(client, db):
    response = client.post(URL, {"username": "fran at northgate", "password": WRONG})
    assert "valid email address" in error_next_to(response, "id_username")
    assert value_of(response, "id_username") == "fran at northgate"


def test_a_missing_password_is_explained_next_to_the_field(client, db):
    response = client.post(URL, {"username": "fran@northgate.example", "password": ""})
    assert "required" in error_next_to(response, "id_password")
    assert value_of(response, "id_username") == "fran@northgate.example"


@pytest.mark.parametrize(
    "next_path, expected",
    [
        ("/sets/12/", "/sets/12/"),
        ("https://evil.example/", "/"),
        ("//evil.example/path", "/"),
        ("http://testserver/sets/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_is_followed_only_to_a_local_path(client, world, next_path, expected):
    response = client.post(
        URL, {"username": world.member.email, "password": PASSWORD, "next": next_path}
    )
    assert response.status_code == 302 and response.url == expected


def test_too_many_wrong_passwords_pause_password_sign_in_for_that_address(client, world):
    for _ in range(10):
        client.post(URL, {"username": world.member.email, "password": WRONG})
    response = client.post(URL, {"username": world.member.email, "password": PASSWORD})
    assert "too many wrong passwords" in response.content.decode()
    assert SESSION_KEY not in client.session
    # Nobody learns whether an address has an account from the pause either.
    for _ in range(10):
        client.post(URL, {"username": "nobody@client.example", "password": WRONG})
    response = client.post(URL, {"username": "nobody@client.example", "password": WRONG})
    assert "too many wrong passwords" in response.content.decode()
    # Other people are not affected, and the pause ends.
    client.post(URL, {"username": world.other_member.email, "password": PASSWORD})
    assert int(client.session[SESSION_KEY]) == world.other_member.pk
    client.logout()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        client.post(URL, {"username": world.member.email, "password": PASSWORD})
        assert int(client.session[SESSION_KEY]) == world.member.pk


def test_prefilled_from_the_query_string(client, db):
    response = client.get(URL, {"email": "fran@northgate.example"})
    assert value_of(response, "id_username") == "fran@northgate.example"


def test_page_queries_do_not_grow_with_the_number_of_accounts(
    client, db, django_assert_num_queries
):
    for i in range(2):
        make_user(f"few{i}@example.org")
    small, _ = count_queries(client, "get", URL)
    for i in range(40):
        make_user(f"many{i}@example.org")
    large, response = count_queries(client, "get", URL)
    assert response.status_code == 200
    assert small == large
    with django_assert_num_queries(0):  # nothing to look up before someone signs in
        client.get(URL)


def test_wrong_password_queries_do_not_grow(client, db, django_assert_num_queries):
    make_user("fran@northgate.example")
    data = {"username": "fran@northgate.example", "password": WRONG}
    small, _ = count_queries(client, "post", URL, data)
    for i in range(40):
        make_user(f"many{i}@example.org")
    large, response = count_queries(client, "post", URL, data)
    assert small == large
    # recent wrong passwords, the account, then in a savepoint: tidy day-old rows, record this one
    with django_assert_num_queries(6):
        client.post(URL, data)


def test_a_newcomer_finds_how_to_start_an_organisation_from_sign_in(client, db):
    page = client.get(reverse("accounts:sign_in")).content.decode()
    assert f'href="{reverse("organisations:start")}"' in page
    assert "join by an invitation" in page
