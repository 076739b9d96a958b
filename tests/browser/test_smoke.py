"""The served app works in a real browser: sign-in page, password sign-in, emails over SMTP."""

import pytest
from playwright.sync_api import expect

from revans.testing import PASSWORD, make_user
from tests.browser.helpers import (
    assert_fits_phone,
    assert_keyboard_reachable,
    check_accessibility,
    sign_in_with_password,
)

pytestmark = pytest.mark.browser


def test_sign_in_page_is_accessible_usable_by_keyboard_and_fits_a_phone(live_server_url, page):
    page.goto(f"{live_server_url}/sign-in/")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")
    check_accessibility(page)
    assert_keyboard_reachable(page, "Password")
    assert_fits_phone(page)


def test_signing_in_with_a_password_lands_on_the_home_page(live_server_url, page):
    user = make_user("pat.example@client.example", "Pat Example")

    sign_in_with_password(page, live_server_url, user.email, PASSWORD)

    assert page.url == f"{live_server_url}/"
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_signed_out_visitor_is_sent_to_sign_in(live_server_url, page):
    page.goto(f"{live_server_url}/")

    assert "/sign-in/" in page.url


def test_the_served_worker_delivers_queued_email_over_smtp(live_server_url, smtp_server, settings):
    from django.db import transaction

    from revans.core.mail import queue_email

    # Leave delivery to the served app's worker, as in production.
    settings.REVANS_DELIVER_ON_COMMIT = False
    with transaction.atomic():
        queue_email(
            to="Robin@Client.example",
            subject="Your next meeting",
            body=f"See the schedule: {live_server_url}/sets/",
            kind="test",
        )

    caught = smtp_server.wait_for("robin@client.example", timeout=20)
    assert caught.subject == "Your next meeting"
    assert caught.first_link() == f"{live_server_url}/sets/"
