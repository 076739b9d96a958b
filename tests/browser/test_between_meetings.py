"""Between meetings, in real Chromium: a momentum call and a learning journal entry.

The facilitator offers times for a momentum call; the member picks one on a phone; the
facilitator marks the call held and writes a private note and a shared one; the member sees
only the shared one. Then the member writes a journal entry along Kolb's cycle and shares it
with the set, after a confirmation that names who will read it. No email carries a note.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from revans.calls.tests.conftest import held_meeting
from revans.organisations.models import Organisation, OrganisationMembership
from revans.testing import PASSWORD, add_members, make_meetings, make_set, make_user
from tests.browser.helpers import (
    PHONE,
    assert_fits_phone,
    check_accessibility,
    sign_in_with_password,
)

pytestmark = pytest.mark.browser

PRIVATE = "She is close to burning out; raise workload gently"
SHARED = "You will draft the proposal for the east team by Friday"
KOLB = {
    "What happened": "I chaired the depot meeting without taking sides",
    "What I noticed": "People argued less when I asked rather than told",
    "What I conclude": "Asking opens more than telling",
    "What I will try": "Open every team meeting with a question",
}


def test_a_momentum_call_and_a_shared_journal_entry(live_server_url, smtp_server, new_page):
    org = Organisation.objects.create(name="Harbour Learning", slug="harbour", kind="provider")
    fran = make_user("fran.between@harbour.example", "Fran Hale")
    OrganisationMembership.objects.create(organisation=org, user=fran, is_facilitator=True)
    learning_set = make_set(org, fran, "Heads of Housing")
    ines = make_user("ines.between@client.example", "Inês Ferreira")
    jamal = make_user("jamal.between@client.example", "Jamal Brooks")
    add_members(learning_set, [ines, jamal])
    held_meeting(learning_set, days_ago=14)
    make_meetings(learning_set, 2)
    base = live_server_url

    # The facilitator sees the calls due on their home page and offers Inês two times.
    facilitator = new_page()
    sign_in_with_password(facilitator, base, fran.email, PASSWORD)
    expect(facilitator.locator("main")).to_contain_text("Momentum calls")
    facilitator.get_by_role("link", name="Arrange a call with Inês Ferreira").click()
    check_accessibility(facilitator)
    today = timezone.localdate()
    first = dt.datetime.combine(today + dt.timedelta(days=3), dt.time(10, 0))
    second = dt.datetime.combine(today + dt.timedelta(days=4), dt.time(14, 30))
    facilitator.get_by_label("First time").fill(first.strftime("%Y-%m-%dT%H:%M"))
    facilitator.get_by_label("Second time").fill(second.strftime("%Y-%m-%dT%H:%M"))
    facilitator.get_by_role("button", name="Offer these times").click()
    expect(facilitator.get_by_role("status")).to_contain_text("Times offered")
    call_url = facilitator.url
    offer_email = smtp_server.wait_for(ines.email)
    assert "Fran Hale offered times" in offer_email.text

    # The member, on a phone, picks the second time from their home page.
    member = new_page(viewport=PHONE)
    sign_in_with_password(member, base, ines.email, PASSWORD)
    expect(member.locator("main")).to_contain_text("offered times for a momentum call")
    member.get_by_role("link", name="Pick a time").click()
    check_accessibility(member)
    assert_fits_phone(member)
    member.get_by_label(f"{second.day} {second:%B %Y}, 14:30", exact=False).check()
    member.get_by_role("button", name="Pick this time").click()
    expect(member.get_by_role("status")).to_contain_text("planned")
    expect(member.locator("main")).to_contain_text("14:30")
    # Picking confirms for both.
    assert "14:30" in smtp_server.wait_for(fran.email).text

    # The facilitator marks it held and writes a private note and a shared one.
    facilitator.goto(call_url)
    expect(facilitator.locator("main")).to_contain_text("Planned")
    facilitator.get_by_role("button", name="Mark as held").click()
    expect(facilitator.get_by_role("status")).to_contain_text("held")
    facilitator.get_by_label("Note from the call").fill(PRIVATE)
    facilitator.get_by_role("button", name="Save the note").click()
    expect(facilitator.get_by_role("status")).to_contain_text("only you can read it")
    facilitator.get_by_label("Note from the call").fill(SHARED)
    facilitator.get_by_label("Share this note with the member").check()
    facilitator.get_by_role("button", name="Save the note").click()
    expect(facilitator.get_by_role("status")).to_contain_text("shared with the member")
    expect(facilitator.locator("main")).to_contain_text(PRIVATE)
    check_accessibility(facilitator)

    # The member sees the shared note, never the private one.
    member.goto(call_url)
    expect(member.locator("main")).to_contain_text(SHARED)
    expect(member.locator("main")).not_to_contain_text(PRIVATE)
    check_accessibility(member)
    assert_fits_phone(member)

    # The member writes a journal entry along Kolb's cycle, linked to the set...
    member.goto(f"{base}/")
    member.get_by_role("link", name="Open your journal").click()
    member.get_by_role("link", name="New entry").click()
    check_accessibility(member)
    member.get_by_label("Title").fill("The depot meeting")
    for label, text in KOLB.items():
        member.get_by_label(label).fill(text)
    member.get_by_label("About the set").select_option(label="Heads of Housing")
    member.get_by_role("button", name="Save the entry").click()
    expect(member.get_by_role("status")).to_contain_text("Only you can read it")
    for text in KOLB.values():
        expect(member.locator("main")).to_contain_text(text)
    assert_fits_phone(member)

    # ...and, after a confirmation naming who will read it, shares it with the set.
    member.get_by_role("link", name="Share with Heads of Housing").click()
    expect(member.locator("main")).to_contain_text("Jamal Brooks")
    expect(member.locator("main")).to_contain_text("Fran Hale")
    check_accessibility(member)
    member.get_by_role("button", name="Share with Heads of Housing").click()
    expect(member.get_by_role("status")).to_contain_text("Shared with Heads of Housing")

    # The facilitator reads it on the set's page of shared reflections.
    facilitator.goto(f"{base}/sets/{learning_set.pk}/")
    facilitator.get_by_role("link", name="Shared reflections").click()
    expect(facilitator.locator("main")).to_contain_text(KOLB["What I conclude"])
    expect(facilitator.locator("main")).to_contain_text("Inês Ferreira")
    check_accessibility(facilitator)

    # No email, to anyone, carried a note or the journal's words.
    for caught in smtp_server.messages:
        for text in (PRIVATE, SHARED, *KOLB.values()):
            assert text not in caught.text
