"""Signing in with a single-use link sent by email."""

import datetime as dt
from urllib.parse import quote

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from revans.accounts.actions import do_send_sign_in_link, make_sign_in_url
from revans.accounts.models import EmailLink
from revans.accounts.tests.helpers import (
    SIGN_IN_LINK,
    error_next_to,
    path_in_email,
    value_of,
    waiting_links,
)
from revans.core.models import OutboundEmail
from revans.testing import PERSONAS, count_queries, make_user

REQUEST_URL = reverse("accounts:sign_in_link_request")
SENT_URL = reverse("accounts:sign_in_link_sent")


def without(page: str, email: str) -> str:
    return page.replace(email, "ADDRESS").replace(quote(email), "ADDRESS")


def ask_for_link(client, capture, email, next_path=""):
    data = {"email": email, "next": next_path} if next_path else {"email": email}
    with capture(execute=True):
        return client.post(REQUEST_URL, data)


def emailed_link(client, capture, user, next_path="") -> str:
    ask_for_link(client, capture, user.email, next_path)
    return path_in_email(SIGN_IN_LINK, user.email)


@pytest.mark.parametrize("persona", PERSONAS)
def test_request_page_for_each_persona(client, world, persona):
    user = world.persona(persona)
    if user is None:
        response = client.get(REQUEST_URL, {"email": "fran@northgate.example", "next": "/sets/"})
        assert response.status_code == 200
        assert value_of(response, "id_email") == "fran@northgate.example"
        assert 'name="next" value="/sets/"' in response.content.decode()
        return
    client.force_login(user)
    response = client.get(REQUEST_URL)
    assert response.status_code == 302 and response.url == reverse("home:home")


def test_the_link_is_emailed_through_the_outbox(client, world, django_capture_on_commit_callbacks):
    response = ask_for_link(client, django_capture_on_commit_callbacks, "Member1@Client.example")
    assert response.status_code == 302 and response.url == SENT_URL
    assert OutboundEmail.objects.filter(to_email=world.member.email, kind="sign_in_link").exists()
    path_in_email(SIGN_IN_LINK, world.member.email)
    assert "15 minutes" in mail.outbox[0].body
    page = client.get(SENT_URL).content.decode()
    assert "Check your email" in page and "member1@client.example" in page


def test_the_check_your_email_page_is_the_same_for_known_and_unknown_addresses(
    client, world, django_capture_on_commit_callbacks
):
    known = ask_for_link(client, django_capture_on_commit_callbacks, world.member.email)
    known_page = client.get(SENT_URL).content.decode()
    client.cookies.clear()
    unknown = ask_for_link(client, django_capture_on_commit_callbacks, "nobody@client.example")
    unknown_page = client.get(SENT_URL).content.decode()
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert without(known_page, world.member.email) == without(unknown_page, "nobody@client.example")
    assert [m.to for m in mail.outbox] == [[world.member.email]]


def test_the_sent_page_without_a_request_leads_to_the_form(client, db):
    assert client.get(SENT_URL).url == REQUEST_URL


def test_a_malformed_address_is_explained_and_kept(
    client, world, django_capture_on_commit_callbacks
):
    response = ask_for_link(client, django_capture_on_commit_callbacks, "member1 at client")
    assert response.status_code == 200
    assert "valid email address" in error_next_to(response, "id_email")
    assert value_of(response, "id_email") == "member1 at client"
    assert not mail.outbox


def test_at_most_five_links_per_address_in_fifteen_minutes(
    client, world, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    for _ in range(5):
        assert ask_for_link(client, capture, world.member.email).status_code == 302
    refused = ask_for_link(client, capture, world.member.email)
    assert refused.status_code == 429
    assert "already sent several emails" in refused.content.decode()
    assert value_of(refused, "id_email") == world.member.email
    assert len(mail.outbox) == 5
    # The limit is the address's, whether or not it has an account: no probing through it.
    for _ in range(5):
        ask_for_link(client, capture, "nobody@client.example")
    assert ask_for_link(client, capture, "nobody@client.example").status_code == 429
    # Other addresses are unaffected; after the window the address may ask again.
    assert ask_for_link(client, capture, world.other_member.email).status_code == 302
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        assert ask_for_link(client, capture, world.member.email).status_code == 302
    assert len(mail.outbox) == 7


@pytest.mark.parametrize("persona", PERSONAS)
def test_link_for_each_persona(client, world, persona):
    """Whoever holds the link may use it (it is the key), and is told whose account it opens."""
    path = make_sign_in_url(world.member, "/sets/").removeprefix("http://testserver")
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    page = client.get(path)
    assert page.status_code == 200
    body = page.content.decode()
    assert f"Continue to Revans as {world.member.email}" in body
    assert ("Continuing signs you out of that account" in body) == (
        persona not in ("member", "anonymous")
    )
    response = client.post(path)
    assert response.status_code == 302 and response.url == "/sets/"
    assert int(client.session[SESSION_KEY]) == world.member.pk


def test_opening_the_link_does_not_use_it(client, world, django_capture_on_commit_callbacks):
    path = emailed_link(client, django_capture_on_commit_callbacks, world.member)
    for _ in range(2):  # a mail scanner, then the person
        response = client.get(path)
        assert response.status_code == 200
        body = response.content.decode()
        assert f"Continue to Revans as {world.member.email}" in body
        assert '<button type="submit">' in body
    assert SESSION_KEY not in client.session
    assert waiting_links(world.member) == 1


def test_the_link_works_once(client, world, django_capture_on_commit_callbacks):
    path = emailed_link(client, django_capture_on_commit_callbacks, world.member, "/sets/")
    response = client.post(path)
    assert response.status_code == 302 and response.url == "/sets/"
    assert int(client.session[SESSION_KEY]) == world.member.pk
    client.logout()
    again = client.post(path)
    assert again.status_code == 200
    body = again.content.decode()
    assert "already been used" in body
    assert SESSION_KEY not in client.session
    # A new link is one click away, for the same address and destination.
    assert value_of(again, "id_email") == world.member.email
    assert 'name="next" value="/sets/"' in body
    assert f'action="{REQUEST_URL}"' in body
    assert "already been used" in client.get(path).content.decode()


def test_the_link_expires_after_fifteen_minutes(client, world, django_capture_on_commit_callbacks):
    start = timezone.now()
    path = emailed_link(client, django_capture_on_commit_callbacks, world.member)
    with time_machine.travel(start + dt.timedelta(minutes=14)):
        assert "Continue to Revans" in client.get(path).content.decode()
    with time_machine.travel(start + dt.timedelta(minutes=15, seconds=1)):
        response = client.post(path)
        body = response.content.decode()
        assert "has expired" in body and "15 minutes" in body
        assert value_of(response, "id_email") == world.member.email
        assert SESSION_KEY not in client.session
        assert "has expired" in client.get(path).content.decode()


def test_an_unknown_link_says_so_and_offers_a_new_one(client, world):
    for method in ("get", "post"):
        response = getattr(client, method)(reverse("accounts:sign_in_link", args=["x" * 43]))
        assert response.status_code == 404
        body = response.content.decode()
        assert "This link is not valid" in body
        assert value_of(response, "id_email") == ""
        assert "Email me a new link" in body
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("next_path", ["https://evil.example/", "//evil.example/", "sets/"])
def test_an_outside_destination_is_dropped(
    client, world, django_capture_on_commit_callbacks, next_path
):
    path = emailed_link(client, django_capture_on_commit_callbacks, world.member, next_path)
    assert client.post(path).url == reverse("home:home")
    # Even a link made by other code with a bad destination stays on the site.
    assert do_send_sign_in_link(world.other_member.email, next_path).next_path == ""


def test_a_link_signs_out_whoever_was_signed_in_before(client, world):
    client.force_login(world.stranger)
    path = make_sign_in_url(world.member).removeprefix("http://testserver")
    client.post(path)
    assert int(client.session[SESSION_KEY]) == world.member.pk


def test_a_closed_account_gets_no_link_and_cannot_use_one(
    client, world, django_capture_on_commit_callbacks
):
    path = make_sign_in_url(world.member).removeprefix("http://testserver")
    world.member.is_active = False
    world.member.save()
    ask_for_link(client, django_capture_on_commit_callbacks, world.member.email)
    assert not mail.outbox
    assert client.post(path).status_code == 404
    assert SESSION_KEY not in client.session


def test_two_requests_for_one_link_sign_in_once(client, world):
    token_url = make_sign_in_url(world.member).removeprefix("http://testserver")
    first = client.post(token_url)
    other = client.__class__()
    second = other.post(token_url)
    assert first.status_code == 302
    assert "already been used" in second.content.decode()
    link = EmailLink.objects.get(user=world.member)
    assert link.used_at is not None


def test_link_page_queries_do_not_grow(client, world, django_assert_num_queries):
    path = make_sign_in_url(world.member).removeprefix("http://testserver")
    small, _ = count_queries(client, "get", path)
    for i in range(30):
        make_sign_in_url(make_user(f"many{i}@example.org"))
        make_sign_in_url(world.member)
    large, response = count_queries(client, "get", path)
    assert response.status_code == 200
    assert small == large
    with django_assert_num_queries(1):  # the link with its account
        client.get(path)


def test_sent_page_queries_do_not_grow(
    client, world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    ask_for_link(client, django_capture_on_commit_callbacks, "nobody@client.example")
    small, _ = count_queries(client, "get", SENT_URL)
    for i in range(30):
        make_user(f"many{i}@example.org")
    large, response = count_queries(client, "get", SENT_URL)
    assert response.status_code == 200
    assert small == large
    with django_assert_num_queries(1):  # the session holding the address
        client.get(SENT_URL)


def test_request_page_queries_do_not_grow(client, world, django_assert_num_queries):
    small, _ = count_queries(client, "get", REQUEST_URL)
    for i in range(30):
        make_user(f"many{i}@example.org")
    large, _ = count_queries(client, "get", REQUEST_URL)
    assert small == large
    with django_assert_num_queries(0):
        client.get(REQUEST_URL)
