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
from revans.commitments.queries import history_of
from revans.live.models import CommitmentReview
from revans.meetings.models import Meeting
from revans.testing import PASSWORD, build_world
from tests.browser.helpers import assert_fits_phone, check_accessibility, sign_in_with_password

pytestmark = pytest.mark.browser

WHAT = "Speak to the finance director about the merger budget"
SECOND = "Shadow a duty manager for a morning"


def _made_at_the_last_meeting(world, owner, **extra) -> tuple[Commitment, Meeting]:
    """A commitment made at the last meeting, a few weeks ago, and the next meeting, about to
    start (so its round 2 reviews the commitment)."""
    made = do_add_commitment(
        world.set_a,
        owner=owner,
        what=WHAT,
        due_on=timezone.localdate() + dt.timedelta(days=1),
        **extra,
    )
    Commitment.objects.filter(pk=made.pk).update(created_at=timezone.now() - dt.timedelta(days=20))
    meeting = Meeting.objects.create(
        learning_set=world.set_a,
        starts_at=timezone.now() + dt.timedelta(minutes=1),
        duration_minutes=90,
        format="open",
    )
    return made, meeting


def test_a_member_updates_a_commitment_at_home_and_the_next_meeting_reviews_it(
    live_server_url, new_page
):
    base = live_server_url
    world = build_world()
    made, meeting = _made_at_the_last_meeting(
        world, world.member, who_could_help="Priya in finance"
    )
    second = do_add_commitment(
        world.set_a, owner=world.member, what=SECOND, due_on=timezone.localdate()
    )
    Commitment.objects.filter(pk=second.pk).update(
        created_at=timezone.now() - dt.timedelta(days=20)
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

    # The member reviews both with one Save; the set sees the reviews, stored on each.
    mine = member.locator(".live-own-reviews")
    expect(mine.locator("legend").first).to_have_text("Your commitments since the last meeting")
    expect(mine.get_by_role("button")).to_have_count(1)
    first = mine.locator(".live-commitment-form", has_text=WHAT)
    first.get_by_label("How did it go?").select_option("partly")
    first.get_by_label("One line of learning").fill("Finance wants numbers before ideas")
    # A line of learning for the second, but not yet how it went: refused, nothing saved,
    # every word kept, and the choice it needs is focused.
    other = mine.locator(".live-commitment-form", has_text=SECOND)
    other.get_by_label("One line of learning").fill("Mornings are the quiet time")
    mine.get_by_role("button", name="Save my review").click()
    expect(mine.get_by_role("alert")).to_have_text(
        f"Choose how “{SECOND}” went: done, partly done or not done."
    )
    expect(other.get_by_label("How did it go?")).to_be_focused()
    expect(other.get_by_label("How did it go?")).to_have_attribute("aria-invalid", "true")
    expect(first.get_by_label("One line of learning")).to_have_value(
        "Finance wants numbers before ideas"
    )
    expect(fac.locator(".live-error:visible")).to_have_count(0)
    assert not ProgressNote.objects.filter(meeting=meeting).exists()
    member.keyboard.press("ArrowDown")  # the focused choice, from the keyboard: "Done"
    mine.get_by_role("button", name="Save my review").click()
    expect(mine.get_by_role("status")).to_have_text("Saved.")
    expect(mine.get_by_role("alert")).to_be_hidden()
    expect(fac.locator(".live-commitments", has_text=WHAT)).to_contain_text(
        "Reviewed: Partly done · Finance wants numbers before ideas"
    )
    expect(fac.locator(".live-commitments", has_text=SECOND)).to_contain_text(
        "Reviewed: Done · Mornings are the quiet time"
    )
    expect(fac.locator(".live-reviews")).to_contain_text("Partly done")
    check_accessibility(member)
    review = ProgressNote.objects.get(commitment=made, meeting=meeting)
    assert (review.review_outcome, review.text) == ("partly", "Finance wants numbers before ideas")
    assert ProgressNote.objects.get(commitment=second, meeting=meeting).review_outcome == "done"
    # Typing again takes "Saved." away until the next Save. (On a phone, well down the page.)
    member.set_viewport_size({"width": 390, "height": 700})
    first.get_by_label("One line of learning").fill("Finance wants numbers first")
    expect(mine.get_by_role("status")).to_have_text("")
    # The round moves on before that Save: the words stay with the member, and only those
    # (what the server has is not offered back).
    fac.get_by_role("button", name="Next round").click()
    fac.get_by_role("button", name="Move on anyway").click()
    notice = member.locator(".live-unsent")
    expect(notice).to_contain_text("The meeting moved on before you sent this")
    expect(notice.locator(".live-unsent-text")).to_have_text("Finance wants numbers first")
    expect(notice).to_be_in_viewport()
    expect(fac.locator(".live-unsent")).to_have_count(0)

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


def test_the_facilitator_records_reviews_members_say_aloud_and_every_page_shows_them(
    live_server_url, new_page
):
    """One shared screen in the room: the members say how it went and the facilitator records
    it, for a commitment or (a member with none) overall, without losing what they type when
    the room moves on around them."""
    base = live_server_url
    world = build_world()
    one, two, three = world.members[0], world.members[1], world.members[2]
    made, meeting = _made_at_the_last_meeting(world, one)
    fac = new_page()
    sign_in_with_password(fac, base, world.facilitator.email, PASSWORD)
    fac.goto(f"{base}/meetings/{meeting.pk}/live/")
    fac.get_by_role("button", name="Open the meeting room").click()
    expect(fac.locator("#live-connection")).to_have_text("Connected")
    members = {}
    for person in (one, two):
        page = new_page()
        sign_in_with_password(page, base, person.email, PASSWORD)
        page.goto(f"{base}/meetings/{meeting.pk}/live/")
        expect(page.locator("#live-connection")).to_have_text("Connected")
        members[person] = page
    fac.get_by_role("button", name="Start the meeting").click()
    fac.get_by_role("button", name="Next round").click()
    fac.get_by_role("button", name="Move on anyway").click()
    expect(fac.locator("#live-round-heading")).to_have_text(
        "Reflection: actions and learning since last meeting"
    )
    # Only whoever facilitates is offered to record for others.
    expect(members[two].locator(".live-fac-review")).to_have_count(0)

    # By keyboard: open Member 1's review, choose how it went, start a line of learning.
    row = fac.locator(".live-turn", has_text=one.display_name)
    row.get_by_text(f"Record how it went for {one.display_name}").focus()
    fac.keyboard.press("Enter")
    form = row.locator(".live-fac-review-form", has_text=WHAT)
    expect(form.locator("legend")).to_have_text(f"{one.display_name}'s commitment: {WHAT}")
    form.get_by_label(f"How did {one.display_name}'s commitment go?").select_option("partly")
    learning = form.get_by_label(f"{one.display_name}'s one line of learning")
    learning.focus()
    fac.keyboard.type("Finance wants numbers")
    # Meanwhile Member 2 reviews their own; the facilitator's list is redrawn, their words kept.
    mine = members[two].locator(".live-form", has_text="Your actions since the last meeting")
    # They have none in Revans, so the form says what it asks of them instead.
    expect(mine).to_contain_text("You have no actions recorded in Revans to review.")
    mine.get_by_label("How did they go?").select_option("not_done")
    mine.get_by_role("button", name="Save").click()
    expect(fac.locator(".live-reviews")).to_contain_text(f"{two.display_name}: Not done")
    expect(learning).to_be_focused()
    fac.keyboard.type(" before ideas")
    fac.keyboard.press("Tab")
    save_one = row.get_by_role("button", name=f"Save {one.display_name}'s review")
    expect(save_one).to_be_focused()
    fac.keyboard.press("Enter")
    expect(row.locator(".live-fac-review").get_by_role("status")).to_have_text("Saved.")
    for page in (fac, *members.values()):
        expect(page.locator(".live-commitments", has_text=WHAT)).to_contain_text(
            "Reviewed: Partly done · Finance wants numbers before ideas"
        )
        expect(page.locator(".live-reviews")).to_contain_text(
            f"{one.display_name}: Partly done · Finance wants numbers before ideas"
        )
    # The facilitator's form for Member 2 shows what Member 2 said on their own phone.
    other = fac.locator(".live-turn", has_text=two.display_name).locator(".live-fac-review")
    other.locator("summary").click()
    expect(other.get_by_label(f"How did {two.display_name}'s actions go?")).to_have_value(
        "not_done"
    )
    check_accessibility(fac)

    # Member 3 has nothing to review and no device: the facilitator records how it went overall.
    # A refusal shows in that form, to the facilitator only.
    third = fac.locator(".live-turn", has_text=three.display_name).locator(".live-fac-review")
    third.locator("summary").click()
    # Nothing is recorded for them until how it went is chosen.
    expect(third.get_by_label(f"How did {three.display_name}'s actions go?")).to_have_value("")
    save_three = third.get_by_role("button", name=f"Save {three.display_name}'s review")
    save_three.click()
    expect(third.get_by_role("alert")).to_have_text("Choose done, partly done or not done.")
    third.get_by_label(f"How did {three.display_name}'s actions go?").select_option("done")
    line = third.get_by_label(f"{three.display_name}'s one line of learning")
    line.evaluate("(el) => el.removeAttribute('maxlength')")
    line.fill("x" * 501)
    save_three.click()
    expect(third.get_by_role("alert")).to_contain_text("Please keep this to 500 characters")
    for page in members.values():
        expect(page.locator(".live-error:visible")).to_have_count(0)
    line.fill("Started the pilot")
    save_three.click()
    expect(third.get_by_role("status")).to_have_text("Saved.")
    expect(third.get_by_role("alert")).to_be_hidden()
    for page in (fac, *members.values()):
        expect(page.locator(".live-reviews")).to_contain_text(
            f"{three.display_name}: Done · Started the pilot"
        )

    # Stored on the commitment's history, as recorded by the facilitator; and overall for each.
    review = ProgressNote.objects.get(commitment=made, meeting=meeting)
    assert (review.review_outcome, review.text, review.author_id) == (
        "partly",
        "Finance wants numbers before ideas",
        world.facilitator.pk,
    )
    assert [(n.meeting_number, n.review_outcome) for n in history_of(made)] == [(1, "partly")]
    overall = dict(CommitmentReview.objects.values_list("member_id", "outcome"))
    assert overall == {one.pk: "partly", two.pk: "not_done", three.pk: "done"}
    assert_fits_phone(fac)
