"""Signing out: POST only, so no link or prefetch can sign anyone out."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from revans.accounts.tests.helpers import messages_of
from revans.testing import PERSONAS

URL = reverse("accounts:sign_out")


def test_signing_out_needs_a_post(client, world):
    client.force_login(world.member)
    response = client.get(URL)
    assert response.status_code == 405
    assert int(client.session[SESSION_KEY]) == world.member.pk


def test_signing_out_leads_to_sign_in_with_a_message(client, world):
    client.force_login(world.member)
    response = client.post(URL, follow=True)
    assert response.redirect_chain == [(reverse("accounts:sign_in"), 302)]
    assert messages_of(response) == ["You have signed out."]
    assert SESSION_KEY not in client.session
    assert client.get(reverse("accounts:account")).status_code == 302


def test_signing_out_may_return_to_a_local_page_only(client, world):
    client.force_login(world.member)
    assert client.post(URL, {"next": "/invite/abc/"}).url == "/invite/abc/"
    client.force_login(world.member)
    assert client.post(URL, {"next": "https://evil.example/"}).url == reverse("accounts:sign_in")


def test_signing_out_when_already_signed_out_is_harmless(client, db):
    assert client.post(URL).url == reverse("accounts:sign_in")


@pytest.mark.parametrize("persona", PERSONAS)
def test_sign_out_for_each_persona(client, world, persona):
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    assert client.get(URL).status_code == 405
    response = client.post(URL)
    assert response.status_code == 302 and response.url == reverse("accounts:sign_in")
    assert SESSION_KEY not in client.session


def test_sign_out_queries(client, world, django_assert_num_queries):
    client.force_login(world.member)
    # session, user (for the signal), the live rooms this browser may have open (to close
    # them: revans.live.broadcast.signed_out), then Django fetches the session row and
    # deletes it
    with django_assert_num_queries(5):
        client.post(URL)
