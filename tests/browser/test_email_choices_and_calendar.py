"""Email choices, the unsubscribe link and the private calendar address, in real Chromium.

The facilitator moves a meeting; the member gets the email (real SMTP) with a calendar file
and an unsubscribe link, opens the link signed out on a phone, confirms, and finds the choice
on their account page; there they get a calendar address their calendar app can read, then
stop it. The organisation admin sends a failed email again from the organisation's page.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from revans.core.models import OutboundEmail
from revans.notifications.models import EmailOptOut
from revans.organisations.models import Organisation, OrganisationMembership
from revans.testing import PASSWORD, add_members, make_meetings, make_set, make_user
from tests.browser.helpers import (
    PHONE,
    assert_fits_phone,
    check_accessibility,
    sign_in_with_password,
)

pytestmark = pytest.mark.browser


def test_unsubscribing_choosing_emails_and_subscribing_a_calendar(
    live_server_url, smtp_server, new_page
):
    base = live_server_url
    org = Organisation.objects.create(name="Harbour Learning", slug="harbour", kind="provider")
    fran = make_user("fran.hale@harbour.example", "Fran Hale")
    OrganisationMembership.objects.create(organisation=org, user=fran, is_facilitator=True)
    learning_set = make_set(org, fran, "Heads of Housing")
    ines = make_user("ines.ferreira@client.example", "Inês Ferreira")
    add_members(learning_set, [ines])
    [meeting] = make_meetings(learning_set, 1)

    # The facilitator moves the meeting by an hour.
    facilitator = new_page()
    sign_in_with_password(facilitator, base, fran.email, PASSWORD)
    facilitator.goto(f"{base}/meetings/{meeting.pk}/edit/")
    facilitator.get_by_label("Start time").fill("19:00")
    facilitator.get_by_role("button", name="Save").click()
    expect(facilitator.locator("main")).to_contain_text("19:00")

    moved = smtp_server.wait_for(ines.email)
    assert moved.subject == "Meeting moved: Heads of Housing"
    [calendar_file] = moved.message.iter_attachments()
    event = next(iter(Calendar.from_ical(calendar_file.get_content()).walk("VEVENT")))
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").hour == 19
    link = re.search(rf"{re.escape(base)}/email/unsubscribe/\S+/", moved.text).group(0)
    assert moved.message["List-Unsubscribe"].strip() == f"<{link}>"

    # Signed out, on a phone: the link asks first, and only the button unsubscribes.
    member = new_page(viewport=PHONE)
    member.goto(link)
    expect(member.get_by_role("heading", level=1)).to_have_text("Stop these emails?")
    assert not EmailOptOut.objects.exists()
    check_accessibility(member)
    assert_fits_phone(member)
    member.get_by_role("button", name="Stop these emails").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Emails stopped")
    assert EmailOptOut.objects.filter(user=ines, kind="meeting_update").exists()

    # The account page shows the choice; the member turns summaries off too.
    sign_in_with_password(member, base, ines.email, PASSWORD)
    member.goto(f"{base}/account/")
    expect(member.get_by_label("Meeting invitations and changes")).not_to_be_checked()
    expect(member.get_by_label("Reminders before a meeting")).to_be_checked()
    member.get_by_label("Meeting summaries").uncheck()
    member.get_by_role("button", name="Save email choices").click()
    expect(member.get_by_role("status")).to_contain_text("Your email choices are saved")
    expect(member.get_by_label("Meeting summaries")).not_to_be_checked()
    check_accessibility(member)
    assert_fits_phone(member)

    # A private calendar address: readable without a session, until stopped.
    member.get_by_role("button", name="Get a calendar address").click()
    address = member.get_by_label("Your calendar address").input_value()
    assert address.startswith(f"{base}/calendar/") and address.endswith(".ics")
    check_accessibility(member)
    assert_fits_phone(member)
    anonymous = new_page()
    feed = anonymous.request.get(address)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    uids = [str(e["UID"]) for e in Calendar.from_ical(feed.body()).walk("VEVENT")]
    assert uids == [str(event["UID"])]
    member.get_by_role("button", name="Stop this address").click()
    expect(member.get_by_role("button", name="Get a calendar address")).to_be_visible()
    assert anonymous.request.get(address).status == 404


def test_an_admin_sends_a_failed_email_again(live_server_url, smtp_server, new_page):
    org = Organisation.objects.create(name="Harbour Learning", slug="harbour", kind="provider")
    ada = make_user("ada.admin@harbour.example", "Ada Admin")
    OrganisationMembership.objects.create(organisation=org, user=ada, is_admin=True)
    OutboundEmail.objects.create(
        to_email="bounced@client.example",
        subject="Reminder: Heads of Housing meets on Monday",
        body_text="Hello,\n",
        kind="meeting_reminder",
        organisation=org,
        status=OutboundEmail.Status.FAILED,
        attempts=8,
        last_error="550 mailbox unavailable",
        created_at=dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC),
    )
    page = new_page(viewport=PHONE)
    sign_in_with_password(page, live_server_url, ada.email, PASSWORD)
    page.goto(f"{live_server_url}/orgs/harbour/")
    page.get_by_role("link", name="Emails").click()
    expect(page.locator("main")).to_contain_text("550 mailbox unavailable")
    check_accessibility(page)
    assert_fits_phone(page)
    page.get_by_role("button", name="Send the email to bounced@client.example again now").click()
    expect(page.get_by_role("status")).to_contain_text("will be sent again")
    caught = smtp_server.wait_for("bounced@client.example", timeout=20)
    assert caught.subject == "Reminder: Heads of Housing meets on Monday"
