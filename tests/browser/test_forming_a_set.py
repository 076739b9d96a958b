"""A facilitator forms a set from nothing, as people would, in real Chromium.

Sign in by an emailed link (caught by a real SMTP server), create a set with its contract,
invite four members, one member accepts the invitation and the agreement, the schedule
appears, the facilitator moves a meeting, and the member sends apologies. Every page on the
way passes an accessibility check; the key pages also fit a 360 px phone.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from revans.organisations.models import Organisation, OrganisationMembership
from revans.testing import make_user
from tests.browser.helpers import assert_fits_phone, check_accessibility

pytestmark = pytest.mark.browser

MEMBERS = [
    "ines.ferreira@client.example",
    "jamal.brooks@client.example",
    "kate.lindqvist@client.example",
    "liam.osei@client.example",
]


def sign_in_by_link(page: Page, base: str, smtp_server, email: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_role("link", name="Email me a sign-in link").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your email")
    link = smtp_server.wait_for(email).first_link()
    page.goto(link)
    check_accessibility(page)
    page.get_by_role("button", name="Continue to Revans").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_facilitator_forms_a_set_and_a_member_joins(live_server_url, smtp_server, new_page):
    org = Organisation.objects.create(name="Harbour Learning", slug="harbour", kind="provider")
    fran = make_user("fran.facilitator@harbour.example", "Fran Hale")
    OrganisationMembership.objects.create(organisation=org, user=fran, is_facilitator=True)
    base = live_server_url

    facilitator = new_page()
    sign_in_by_link(facilitator, base, smtp_server, fran.email)

    # Create the set with its contract; the schedule is generated from the first date.
    facilitator.goto(f"{base}/sets/new/")
    check_accessibility(facilitator)
    facilitator.get_by_label("Name of the set").fill("Heads of Housing")
    facilitator.get_by_label("Cohort").fill("Spring 2027")
    facilitator.get_by_label("Time zone").select_option("Europe/London")
    facilitator.get_by_label("Place").fill("Harbour House, Room 2")
    first = dt.date.today() + dt.timedelta(days=21)
    facilitator.get_by_label("Date of the first meeting").fill(first.isoformat())
    facilitator.get_by_label("Start time").fill("18:00")
    facilitator.get_by_role("button", name="Create the set").click()
    expect(facilitator.get_by_role("heading", level=1)).to_have_text("Heads of Housing")
    set_url = facilitator.url
    check_accessibility(facilitator)

    # Invite four members; one bad address first: refused, the text kept, nothing sent.
    facilitator.get_by_role("link", name="Invite members").first.click()
    box = facilitator.get_by_label("Email addresses")
    box.fill("\n".join([*MEMBERS, "not-an-address@"]))
    facilitator.get_by_role("button", name="Send the invitations").click()
    expect(facilitator.locator(".field .error")).to_contain_text("not-an-address@")
    expect(box).to_have_value("\n".join([*MEMBERS, "not-an-address@"]))
    box.fill("\n".join(MEMBERS))
    facilitator.get_by_role("button", name="Send the invitations").click()
    expect(facilitator.get_by_role("status")).to_contain_text("Invitations sent to 4 people")
    check_accessibility(facilitator)

    # Every invitee gets an email; the first sets up an account from it and joins.
    links = {email: smtp_server.wait_for(email).first_link() for email in MEMBERS}
    member = new_page()
    member.goto(links[MEMBERS[0]])
    expect(member.get_by_role("heading", level=1)).to_contain_text("Heads of Housing")
    check_accessibility(member)
    member.get_by_label("Your full name").fill("Inês Ferreira")
    member.get_by_label("Choose a password").fill("a long and private passphrase")
    member.get_by_label("Repeat the password").fill("a long and private passphrase")
    member.get_by_role("button", name="Set up my account and join").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Heads of Housing")
    # Joining brings the set's meetings to the member's calendar: a file for each.
    welcome = smtp_server.wait_for(MEMBERS[0])
    assert welcome.subject == "Your meetings: Heads of Housing"
    assert len(list(welcome.message.iter_attachments())) == 6

    # The set asks for the agreement before anything else; the member accepts it.
    member.get_by_role("link", name="agreement").first.click()
    check_accessibility(member)
    member.get_by_role(
        "button", name="I accept the ground rules and the confidentiality agreement"
    ).click()
    expect(member.locator("main")).to_contain_text("You accepted")

    # The facilitator sees who has accepted and who has not.
    facilitator.goto(set_url)
    members_table = facilitator.locator("main")
    expect(members_table).to_contain_text("Inês Ferreira")
    facilitator.get_by_role("link", name="Agreement", exact=True).click()
    expect(facilitator.locator("main")).to_contain_text("Accepted on")
    assert_fits_phone(facilitator)

    # The schedule appears on the set page: six meetings, the first on the chosen date.
    facilitator.set_viewport_size({"width": 1280, "height": 800})
    facilitator.goto(set_url)
    schedule = facilitator.locator("section.schedule tbody tr")
    expect(schedule).to_have_count(6)
    expect(schedule.first).to_contain_text(f"{first.day} {first:%B %Y}")
    expect(schedule.first).to_contain_text("18:00")

    # Move the second meeting: into the past is refused (input kept), then a real move.
    schedule.nth(1).get_by_role("link").first.click()
    facilitator.get_by_role("link", name="Move or change details").click()
    check_accessibility(facilitator)
    date_box = facilitator.get_by_label("Date", exact=True)
    date_box.fill((dt.date.today() - dt.timedelta(days=2)).isoformat())
    facilitator.get_by_role("button", name="Save").click()
    expect(facilitator.locator(".field .error").first).to_contain_text("That time has passed")
    expect(date_box).to_have_value((dt.date.today() - dt.timedelta(days=2)).isoformat())
    moved = first + dt.timedelta(days=35)
    date_box.fill(moved.isoformat())
    facilitator.get_by_label("Start time").fill("17:30")
    facilitator.get_by_role("button", name="Save").click()
    expect(facilitator.locator("main")).to_contain_text(f"{moved.day} {moved:%B %Y}")
    expect(facilitator.locator("main")).to_contain_text("17:30")
    # Every member hears of the move (links and dates only).
    moved_email = smtp_server.wait_for(MEMBERS[0])
    assert "17:30" in moved_email.text
    [calendar_file] = moved_email.message.iter_attachments()
    assert calendar_file.get_content_type() == "text/calendar"
    assert "METHOD:REQUEST" in calendar_file.get_content()

    # The member sends apologies for the first meeting, with a note for the facilitator.
    member.goto(set_url)
    member.locator("section.schedule tbody tr").first.get_by_role("link").first.click()
    member.get_by_label("Sending apologies").check()
    member.get_by_label("Note to the facilitator").fill("School governors meet that evening.")
    member.get_by_role("button", name="Send my reply").click()
    expect(member.get_by_role("status")).to_contain_text("apologies")
    check_accessibility(member)
    assert_fits_phone(member)

    # The facilitator sees the apologies and the note on their home page.
    facilitator.goto(f"{base}/")
    expect(facilitator.locator("main")).to_contain_text("Inês Ferreira")
    expect(facilitator.locator("main")).to_contain_text("School governors meet that evening.")
    check_accessibility(facilitator)
    assert_fits_phone(facilitator)
