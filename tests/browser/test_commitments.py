"""A commitment between meetings and at the next one, in real browsers: the member updates it
from their home page; in round 2 the room shows it beside them, and the review they give is
stored on the commitment, where its history shows it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from revans.commitments.actions import do_add_commitment
from revans.commitments.models import Commitment, ProgressNote
from revans.meetings.models import Meeting
from revans.testing import PASSWORD, build_world
from tests.browser.helpers import assert_fits_phone, check_accessibility, sign_in_with_password

pytestmark = pytest.mark.browser

WHAT = "Speak to the finance director about the merger budget"


def test_a_member_updates_a_commitment_at_home_and_the_next_meeting_reviews_it(
    live_server_url, new_page
):
    base = live_server_url
    world = build_world()
    made = do_add_commitment(
        world.set_a,
        owner=world.member,
        what=WHAT,
        due_on=timezone.localdate() + dt.timedelta(days=1),
        who_could_help="Priya in finance",
    )
    # Made at the last meeting, a few weeks ago.
    Commitment.objects.filter(pk=made.pk).update(created_at=timezone.now() - dt.timedelta(days=20))
    meeting = Meeting.objects.create(
        learning_set=world.set_a,
        starts_at=timezone.now() + dt.timedelta(minutes=1),
        duration_minutes=90,
        format="open",
    )

    # Between meetings: the member updates it from their home page (htmx swaps the card).
    member = new_page()
    sign_in_with_password(member, base, world.member.email, PASSWORD)
    member.goto(f"{base}/")
    card = member.locator(".commitment-card", has_text=WHAT)
    expect(card).to_contain_text("Open")
    check_accessibility(member)
    card.get_by_label("Status").select_option("in_progress")
    card.get_by_label("Progress note").fill("Booked a slot with her for Thursday")
    card.get_by_role("button", name="Update").click()
    expect(member.locator(f"#commitment-status-{made.pk}")).to_have_text("Saved: In progress.")
    expect(member.locator(".commitment-card", has_text=WHAT)).to_contain_text("In progress")
    note = ProgressNote.objects.get(commitment=made)
    assert (note.status_before, note.status_after, note.text) == (
        "open",
        "in_progress",
        "Booked a slot with her for Thursday",
    )
    assert_fits_phone(member)
    member.set_viewport_size({"width": 1280, "height": 900})

    # The next meeting: round 2 shows the commitment beside the member, for everyone.
    fac = new_page()
    sign_in_with_password(fac, base, world.facilitator.email, PASSWORD)
    fac.goto(f"{base}/meetings/{meeting.pk}/")
    fac.get_by_role("link", name="Open the live meeting").click()
    fac.get_by_role("button", name="Open the meeting room").click()
    expect(fac.locator("#live-connection")).to_have_text("Connected")
    member.goto(f"{base}/meetings/{meeting.pk}/live/")
    expect(member.locator("#live-connection")).to_have_text("Connected")
    fac.get_by_role("button", name="Start the meeting").click()
    fac.get_by_role("button", name="Next round").click()
    fac.get_by_role("button", name="Move on anyway").click()
    for page in (fac, member):
        expect(page.locator("#live-round-heading")).to_have_text(
            "Reflection: actions and learning since last meeting"
        )
        beside = page.locator(".live-turn", has_text=world.member.display_name).locator(
            ".live-commitments"
        )
        expect(beside).to_contain_text(WHAT)
        expect(beside).to_contain_text("in progress")
        expect(beside).to_contain_text("not reviewed yet")

    # The member reviews it; the set sees the review, and it is stored on the commitment.
    form = member.locator(".live-commitment-form", has_text=WHAT)
    form.get_by_label("How did it go?").select_option("partly")
    form.get_by_label("One line of learning").fill("Finance wants numbers before ideas")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_role("status")).to_have_text("Saved.")
    expect(fac.locator(".live-commitments", has_text=WHAT)).to_contain_text(
        "Reviewed: Partly done · Finance wants numbers before ideas"
    )
    expect(fac.locator(".live-reviews")).to_contain_text("Partly done")
    check_accessibility(member)
    review = ProgressNote.objects.get(commitment=made, meeting=meeting)
    assert (review.review_outcome, review.text) == ("partly", "Finance wants numbers before ideas")

    # The commitment's history tells the whole story.
    history = new_page()
    sign_in_with_password(history, base, world.member.email, PASSWORD)
    history.goto(f"{base}/commitments/{made.pk}/")
    steps = history.locator(".commitment-history")
    expect(steps).to_contain_text("Open → In progress")
    expect(steps).to_contain_text("Booked a slot with her for Thursday")
    expect(steps).to_contain_text(
        "Reviewed at meeting 1: Partly done. Learning: Finance wants numbers before ideas"
    )
    check_accessibility(history)
