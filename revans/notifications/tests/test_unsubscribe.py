"""Email choices and the signed one-click unsubscribe link (RFC 8058)."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from revans.accounts.emails import queue_sign_in_link
from revans.core import mail
from revans.core.models import OutboundEmail
from revans.notifications import kinds
from revans.notifications.actions import do_set_email_choices
from revans.notifications.models import EmailOptOut
from revans.notifications.outgoing import UNSUBSCRIBE_SALT, notify, unsubscribe_url

LINK = re.compile(r"http://testserver/email/unsubscribe/[^\s]+/")


def _remind(user, kind=kinds.MEETING_REMINDER):
    return notify(user, kind=kind, subject="Reminder", lines=["A date and a link."])


def _path(url: str) -> str:
    return url.removeprefix("http://testserver")


@pytest.mark.django_db(transaction=True)
def test_an_optional_email_arrives_with_its_unsubscribe_link_and_headers(real_smtp):
    from revans.testing import build_world

    world = build_world()
    _remind(world.member)
    mail.deliver_due_emails()
    caught = real_smtp.wait_for(world.member.email)
    link = LINK.search(caught.text).group(0)
    # Long headers are folded onto a second line; unfolded, it is the link.
    assert caught.message["List-Unsubscribe"].strip() == f"<{link}>"
    assert caught.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Reminders before a meeting" in caught.text
    # The mail program's one-click POST: no session, no CSRF token, the RFC 8058 body.
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        _path(link),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert EmailOptOut.objects.filter(user=world.member, kind=kinds.MEETING_REMINDER).exists()


def test_opening_the_link_only_asks(world):
    url = unsubscribe_url(world.member, kinds.MEETING_REMINDER)
    response = Client().get(_path(url))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stop these emails" in page and 'method="post"' in page
    assert world.member.email in page
    assert not EmailOptOut.objects.exists()


def test_confirming_turns_off_that_kind_only(world):
    url = unsubscribe_url(world.member, kinds.MEETING_REMINDER)
    response = Client(enforce_csrf_checks=True).post(_path(url))
    assert response.status_code == 200
    assert "Emails stopped" in response.content.decode()
    assert Client().post(_path(url)).status_code == 200  # twice is fine
    assert _remind(world.member) is None
    assert _remind(world.member, kinds.MEETING_SUMMARY) is not None
    assert _remind(world.members[1]) is not None


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps({"u": 1, "k": "meeting_reminder"}, salt="another salt"),
        # Validly signed, but for an email nobody may turn off.
        signing.dumps({"u": 1, "k": "sign_in_link"}, salt=UNSUBSCRIBE_SALT),
    ],
)
def test_a_forged_or_wrong_link_is_a_404(world, token):
    path = reverse("notifications:unsubscribe", args=[token])
    assert Client().get(path).status_code == 404
    assert Client().post(path).status_code == 404
    assert not EmailOptOut.objects.exists()


def test_a_tampered_link_does_not_unsubscribe_someone_else(world):
    url = unsubscribe_url(world.member, kinds.MEETING_REMINDER)
    token = url.rstrip("/").rsplit("/", 1)[1]
    payload, rest = token.split(":", 1)
    forged = ("." if payload.startswith(".") else "") + payload.lstrip(".")[:-1] + "A:" + rest
    assert Client().post(reverse("notifications:unsubscribe", args=[forged])).status_code == 404


def test_emails_that_cannot_be_turned_off_have_no_unsubscribe(world):
    queue_sign_in_link(world.member, "http://testserver/sign-in/link/x/", 15)
    email = OutboundEmail.objects.get(kind="sign_in_link")
    assert "List-Unsubscribe" not in email.headers
    assert "unsubscribe" not in email.body_text


def test_the_account_page_saves_email_choices(client, world):
    client.force_login(world.member)
    response = client.post(
        reverse("notifications:email_choices"),
        {"wanted": [kinds.MEETING_UPDATE, kinds.MEETING_SUMMARY]},
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:account") + "#emails"
    muted = set(EmailOptOut.objects.filter(user=world.member).values_list("kind", flat=True))
    assert muted == kinds.OPTIONAL_KEYS - {kinds.MEETING_UPDATE, kinds.MEETING_SUMMARY}
    page = client.get(reverse("accounts:account")).content.decode()
    assert re.search(r'value="meeting_update"[^>]*checked', page)
    assert not re.search(r'value="meeting_reminder"[^>]*checked', page)
    # Turning one back on.
    client.post(reverse("notifications:email_choices"), {"wanted": list(kinds.OPTIONAL_KEYS)})
    assert not EmailOptOut.objects.filter(user=world.member).exists()
    # Other people's choices are untouched.
    assert _remind(world.members[1]) is not None


def test_a_choice_that_is_not_offered_is_refused(client, world):
    client.force_login(world.member)
    response = client.post(reverse("notifications:email_choices"), {"wanted": ["sign_in_link"]})
    assert response.status_code == 302
    assert not EmailOptOut.objects.exists()


def test_unsubscribe_page_queries(world, django_assert_num_queries):
    do_set_email_choices(world.member, wanted=[])  # many opt-outs already: still one query
    url = _path(unsubscribe_url(world.member, kinds.MEETING_REMINDER))
    with django_assert_num_queries(1):  # the person
        assert Client().get(url).status_code == 200
