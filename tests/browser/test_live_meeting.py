"""A whole live meeting in real browsers: a facilitator and four members, check-in to summary.

Each person has their own Chromium context (own session); everything they see comes through the
served app's WebSocket. The meeting is created at the real current time: the served subprocess
cannot be time-travelled.
"""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import Page, expect

from revans.live import actions
from revans.live.models import Contribution, LiveConnection, TurnOrder
from revans.live.tests.helpers import go_to_round
from revans.meetings.models import Meeting, Rsvp
from revans.sets.models import SetMembership
from revans.testing import PASSWORD, build_world
from tests.browser.helpers import assert_fits_phone, check_accessibility, sign_in_with_password

pytestmark = pytest.mark.browser

TIMER = re.compile(r"^(\d+):(\d\d)$")


def _meeting_today(world) -> Meeting:
    return Meeting.objects.create(
        learning_set=world.set_a,
        starts_at=timezone.now(),
        duration_minutes=90,
        format="open",
    )


# What each page's sockets sent, by page: a member's client must not ask the server to catch
# up (`since`) when it has missed nothing, e.g. after someone else's private note.
SENT: dict[int, list[str]] = {}


def _record_frames(page: Page) -> None:
    sent = SENT.setdefault(id(page), [])
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))


def _enter(new_page, base: str, user, meeting: Meeting) -> Page:
    page = new_page()
    _record_frames(page)
    sign_in_with_password(page, base, user.email, PASSWORD)
    page.goto(f"{base}/meetings/{meeting.pk}/live/")
    expect(page.locator("#live-connection")).to_have_text("Connected")
    return page


def _wait_for_connections(user, count: int, timeout: float = 10) -> None:
    """The server records a tab's connection just after the room shows "Connected"."""
    deadline = time.monotonic() + timeout
    while LiveConnection.objects.filter(user=user).count() != count:
        assert time.monotonic() < deadline, f"{user} never had {count} connections"
        time.sleep(0.05)


def _round(page: Page):
    return page.locator("#live-round-heading")


def _timer_seconds(page: Page) -> int:
    text = page.locator("[data-role=timer]").inner_text().strip()
    found = TIMER.match(text)
    assert found, f"the timer shows {text!r}"
    return int(found.group(1)) * 60 + int(found.group(2))


def _next(fac: Page, confirm: bool = False) -> None:
    fac.get_by_role("button", name="Next round").click()
    if confirm:
        fac.get_by_role("button", name="Move on anyway").click()


def _open_room(new_page, base, world, meeting) -> Page:
    fac = new_page()
    sign_in_with_password(fac, base, world.facilitator.email, PASSWORD)
    fac.goto(f"{base}/meetings/{meeting.pk}/")
    fac.get_by_role("link", name="Open the live meeting").click()
    fac.get_by_role("button", name="Open the meeting room").click()
    expect(fac.locator("#live-connection")).to_have_text("Connected")
    return fac


def test_a_whole_meeting_with_a_facilitator_and_four_members(live_server_url, new_page):
    base = live_server_url
    world = build_world()
    meeting = _meeting_today(world)
    m1, m2, m3, m4 = world.members
    fac = _open_room(new_page, base, world, meeting)
    pages = [_enter(new_page, base, m, meeting) for m in world.members]
    p1, p2, p3, p4 = pages
    everyone = [fac, *pages]

    # Presence: everyone is listed as here, for everyone.
    for page in everyone:
        for member in world.members:
            expect(
                page.locator(".live-people-list li", has_text=member.display_name)
            ).to_contain_text("here")
        expect(_round(page)).to_have_text(
            "The meeting has not started yet. Start it when the set is ready."
            if page is fac
            else "The meeting has not started yet. The facilitator will start it."
        )
    expect(p1.get_by_role("button", name="Start the meeting")).to_have_count(0)

    # The first member opens the room in a second tab too, then closes it: still here.
    tab = p1.context.new_page()
    tab.goto(f"{base}/meetings/{meeting.pk}/live/")
    expect(tab.locator("#live-connection")).to_have_text("Connected")
    _wait_for_connections(m1, 2)
    tab.close()
    _wait_for_connections(m1, 1)
    for page in (fac, p2):
        expect(page.locator(".live-people-list li", has_text=m1.display_name)).to_contain_text(
            "here"
        )

    # While the set gathers, the shared screen puts the set's ground rules on the wall; in
    # the room anyone can unfold them.
    screen = p4.context.new_page()
    screen.goto(f"{base}/meetings/{meeting.pk}/live/screen/")
    rules = screen.locator(".live-ground-rules")
    expect(rules.get_by_role("heading")).to_have_text("Our ground rules")
    expect(rules).to_contain_text("1. Statements only in response to questions.")
    p3.get_by_text("The set's ground rules").click()
    expect(p3.locator(".live-ground-rules")).to_contain_text(
        "6. Each of us commits to an action before the next meeting and reports back on it."
    )

    # Round 1: check-in, with turns and a timer counting down.
    fac.get_by_role("button", name="Start the meeting").click()
    expect(rules).to_be_hidden()  # the meeting has begun: the wall shows the round
    screen.close()
    for page in everyone:
        expect(_round(page)).to_have_text("Check-in")
    # Moving on sits with the round and its timer, in sight without scrolling; only the
    # facilitator has it.
    stage = fac.locator(".live-stage")
    expect(stage.get_by_role("button", name="Next round")).to_be_in_viewport()
    expect(stage.locator(".live-timer")).to_be_in_viewport()
    expect(p2.get_by_role("button", name="Next round")).to_have_count(0)
    # The first round has no step back, so none is offered (the second round's is below).
    expect(stage.get_by_role("button", name="Back one round")).to_be_hidden()
    for page in everyone:
        expect(page.locator(".live-turn")).to_have_count(4)
    expect(p3.locator("#live-announcer")).to_contain_text("Now: Check-in.")
    # Each member is told where they stand in the order before their turn, the first one
    # included (nobody has started: "not your turn yet" would read as a fault).
    page_of = {m.display_name: page for m, page in zip(world.members, pages, strict=True)}
    order = [name.strip() for name in fac.locator(".live-turn-name").all_text_contents()]
    first_up, second_up, third_up = (page_of[name] for name in order[:3])
    expect(first_up.locator('[data-key="my-place"]')).to_have_text(
        "You are first: your turn starts when the facilitator starts it. "
        "If you would rather not speak in this round, you can pass."
    )
    expect(third_up.locator('[data-key="my-place"]')).to_contain_text("It is not your turn yet.")
    # Each control's button stands clear of the field it acts on.
    minutes = fac.get_by_label("Minutes to add").bounding_box()
    add_time = fac.get_by_role("button", name="Add time").bounding_box()
    assert add_time["y"] >= minutes["y"] + minutes["height"] + 4
    # The round's panel starts with its heading where every other card starts with its own.
    expect(p2.get_by_role("heading", name="Turn order")).to_have_css("margin-top", "0px")
    # The facilitator's airtime balance fits its column: no figure scrolled out of sight.
    expect(fac.locator(".live-airtime-table th")).to_have_count(4)
    assert fac.evaluate(
        "(a => a.scrollWidth <= a.clientWidth)(document.querySelector('.live-airtime'))"
    )
    # ... and each member's row reads on one line, names included.
    row_lines = fac.evaluate(
        """[...document.querySelectorAll('.live-airtime-table tbody td')].map(td => {
            const style = getComputedStyle(td);
            const inner = td.clientHeight - parseFloat(style.paddingTop)
                - parseFloat(style.paddingBottom);
            return inner / parseFloat(style.lineHeight);
        })"""
    )
    assert row_lines and max(row_lines) < 1.5, row_lines
    first = _timer_seconds(p3)
    assert 9 * 60 <= first <= 10 * 60
    time.sleep(2.2)
    assert _timer_seconds(p3) < first
    fac.get_by_role("button", name="Start the next turn").click()
    for page in everyone:
        expect(page.locator(".live-turn.is-speaking")).to_contain_text(m1.display_name)
    expect(second_up.locator('[data-key="my-place"]')).to_contain_text("You are next.")
    expect(p2.locator(".live-turn.is-speaking .live-turn-timer")).to_contain_text(
        "left in this turn"
    )
    # A turn that runs over says so, as the round's timer does (not "-19:58 left").
    TurnOrder.objects.filter(live_meeting__meeting=meeting, user=m1, round=1).update(
        started_at=timezone.now() - dt.timedelta(minutes=20)
    )
    p4.reload()
    expect(p4.locator("#live-connection")).to_have_text("Connected")
    over = p4.locator(".live-turn.is-speaking .live-turn-timer")
    expect(over).to_have_text(re.compile(r"^This turn's time is up \(-1\d:\d\d\)$"))
    expect(over).to_have_attribute("data-state", "up")
    # Only the member speaking can say they have finished; the others may pass before theirs.
    expect(p2.get_by_role("button", name="I have finished my turn")).to_have_count(0)
    expect(p2.get_by_role("button", name="Pass my turn")).to_be_visible()
    p1.get_by_role("button", name="I have finished my turn").click()
    expect(fac.locator(".live-turn", has_text=m1.display_name)).to_contain_text("done")
    # Airtime in words, as the summary says it (not "20:03", read like a time of day).
    spoke = fac.locator(".live-airtime-table tr", has_text=m1.display_name).locator("td")
    expect(spoke.nth(1)).to_have_text(re.compile(r"^1 \(20 min \d\d s\)$"))
    expect(spoke.nth(3)).to_have_text("20 min")
    _next(fac)
    expect(fac.locator(".live-confirm")).to_contain_text("Not everyone has marked their turn")
    expect(p2.locator(".live-confirm")).to_be_hidden()
    fac.get_by_role("button", name="Move on anyway").click()

    # Round 2: reflection, with a member's commitment review seen by the set.
    for page in everyone:
        expect(_round(page)).to_have_text("Reflection: actions and learning since last meeting")
    expect(fac.get_by_role("button", name="Back one round")).to_be_visible()
    expect(p4.locator(".live-reviews")).to_have_text("No one has reviewed their commitments yet.")
    p2.get_by_label("How did they go?").select_option("partly")
    p2.get_by_label("One line of learning").fill("Asking earlier helps")
    p2.get_by_role("button", name="Save").click()
    expect(fac.locator(".live-reviews")).to_contain_text("Asking earlier helps")
    expect(p4.locator(".live-reviews")).to_contain_text("Partly done")
    _next(fac, confirm=True)

    # Round 3: bidding; the facilitator chooses the issue holder.
    for page in everyone:
        expect(_round(page)).to_have_text("Bidding")
    p1.get_by_label("Your issue, in a few words").fill("Restructuring the team")
    p1.get_by_label("A line of detail").fill("<b>Two teams</b> become one by April")
    p1.get_by_role("button", name="Send my bid").click()
    for page in everyone:
        expect(page.locator(".live-bids")).to_contain_text("Restructuring the team")
    # What people type is shown as text, never read as HTML.
    expect(p3.locator(".live-bids")).to_contain_text("<b>Two teams</b> become one by April")
    expect(p3.locator(".live-bids b")).to_have_count(0)
    expect(p3.locator(".live-bids")).to_contain_text(
        "Urgency 3 of 5 · importance 3 of 5 · 20 minutes wanted"
    )
    fac.get_by_label(f"{m1.display_name}: Restructuring the team").check()
    fac.get_by_role("button", name="Choose", exact=True).click()
    for page in everyone:
        expect(page.locator(".live-bid", has_text="Restructuring the team")).to_contain_text(
            "issue holder"
        )
    # The chosen member is told so, and not offered to withdraw what the set chose.
    expect(p1.locator(".live-bid-chosen")).to_contain_text("The set chose your issue")
    expect(p1.get_by_role("button", name="Withdraw my bid")).to_be_hidden()
    expect(p2.locator(".live-bid-chosen")).to_be_hidden()
    _next(fac)

    # Round 4: presenting. Only the issue holder holds the floor.
    for page in [fac, p2, p3, p4]:
        expect(page.locator(".live-banner")).to_have_text(f"{m1.display_name} is presenting")
    expect(p1.locator(".live-banner")).to_contain_text("You are presenting")
    # Everyone keeps the issue in view while it is worked on.
    for page in everyone:
        expect(page.locator(".live-issue")).to_have_text(
            f"{m1.display_name}'s issue: Restructuring the team"
        )
    expect(p4.locator(".live-issue-detail")).to_have_text("<b>Two teams</b> become one by April")
    # The bid was sent: the server has its words, so none are offered back as unsent.
    expect(p1.locator(".live-unsent")).to_have_count(0)
    # No notes yet: no empty list of them either.
    expect(p3.get_by_role("heading", name="Your private notes")).to_be_hidden()
    p2.get_by_label("Your note").fill("Who else is affected?")
    p2.get_by_role("button", name="Share with the set").click()
    expect(p2.locator(".live-error:visible")).to_contain_text("presenting without interruption")
    expect(p2.get_by_label("Your note")).to_have_value("Who else is affected?")
    for page in [fac, p1, p3, p4]:
        expect(page.locator(".live-error:visible")).to_have_count(0)
    before_the_note = len(SENT[id(p3)])
    p2.get_by_role("button", name="Keep as a private note").click()
    expect(p2.locator(".live-notes")).to_contain_text("Who else is affected?")
    expect(p3.locator(".live-notes li")).to_have_count(0)
    _next(fac)

    # Round 5: questioning. A statement is refused to its author only; a question reaches all.
    for page in everyone:
        expect(_round(page)).to_have_text("Questioning")
    # The others moved past the note's number without asking the server for anything.
    assert not [f for f in SENT[id(p3)][before_the_note:] if '"since"' in f]
    # The note taken during the presentation stays in view to ask from, for its author only.
    expect(p2.locator(".live-notes")).to_have_text("Who else is affected?")
    expect(p3.get_by_role("heading", name="Your private notes")).to_be_hidden()
    # Until someone asks, the list says so in a line that is not numbered as a question.
    questions = p2.locator(".live-questions")
    expect(questions).to_have_text("No questions yet.")
    expect(questions).to_have_css("list-style-type", "none")
    statement = "In my last job I just fired him."
    p2.get_by_label("Your question").fill(statement)
    p2.get_by_role("button", name="Ask", exact=True).click()
    expect(p2.locator(".live-error:visible")).to_contain_text("Ground rule 1")
    expect(p2.get_by_label("Your question")).to_have_value(statement)
    for page in [fac, p1, p3, p4]:
        expect(page.locator(".live-error:visible")).to_have_count(0)
    p2.get_by_label("Your question").fill("What would success look like for you?")
    p2.get_by_role("button", name="Ask", exact=True).click()
    expect(p2.get_by_label("Your question")).to_have_value("")
    for page in everyone:
        question = page.locator(".live-question", has_text="What would success look like")
        expect(question).to_contain_text(f"{m2.display_name} asked {m1.display_name}")
    expect(questions).to_have_css("list-style-type", "decimal")
    expect(p3.locator("#live-announcer")).to_contain_text(f"New question from {m2.display_name}")
    # The shared screen in the room shows the issue and the latest questions.
    screen = p4.context.new_page()
    screen.goto(f"{base}/meetings/{meeting.pk}/live/screen/")
    expect(screen.locator(".live-projector-line")).to_contain_text("Restructuring the team")
    expect(screen.locator(".live-panel")).to_contain_text("What would success look like")
    expect(screen.locator(".live-panel").get_by_role("heading", name="Questions")).to_be_visible()
    screen.close()
    # The facilitator's balance of airtime counts it as it happens.
    asked = fac.locator(".live-airtime-table tr", has_text=m2.display_name).locator("td").nth(2)
    expect(asked).to_have_text("1")
    # The issue holder's part is answering: on their page the questions come first.
    # The issue holder asks only whom they choose: sent without choosing, it is refused.
    expect(p1.get_by_label("Ask", exact=True)).to_have_value("")
    p1.get_by_label("Your question").fill("Which of you has merged two teams?")
    p1.get_by_role("button", name="Ask", exact=True).click()
    expect(p1.locator(".live-error:visible")).to_contain_text("Choose someone in the set to ask.")
    expect(p1.get_by_label("Your question")).to_have_value("Which of you has merged two teams?")
    p1.get_by_label("Ask", exact=True).select_option(label=m2.display_name)
    p1.get_by_role("button", name="Ask", exact=True).click()
    expect(p1.get_by_label("Your question")).to_have_value("")
    expect(p1.locator(".live-error:visible")).to_have_count(0)
    expect(p2.locator(".live-question", has_text="Which of you")).to_contain_text(
        f"{m1.display_name} asked {m2.display_name}"
    )
    holder_headings = p1.locator(".live-panel h3").all_inner_texts()
    assert holder_headings.index("Questions") < holder_headings.index("Ask a question")
    asker_headings = p2.locator(".live-panel h3").all_inner_texts()
    assert asker_headings.index("Ask a question") < asker_headings.index("Questions")
    first_question = p1.locator(".live-question", has_text="What would success look like")
    first_question.get_by_text("Write an answer").click()
    answer_box = first_question.get_by_label("Your answer")
    answer_box.click()
    p1.keyboard.type("A team that decides ")
    # Another question arrives while the issue holder is typing: their words and the focus stay.
    p3.get_by_label("Your question").fill("Who would notice the change first?")
    p3.get_by_role("button", name="Ask", exact=True).click()
    expect(p1.locator(".live-question", has_text="Who would notice")).to_be_visible()
    expect(answer_box).to_be_focused()
    p1.keyboard.type("without me.")
    expect(answer_box).to_have_value("A team that decides without me.")
    first_question.get_by_role("button", name="Send the answer").click()
    expect(p4.locator(".live-answers")).to_contain_text("A team that decides without me.")
    expect(p4.locator(".live-question").first).to_contain_text("answered")
    # Marking a question is one press, without opening the answer box; it can be undone.
    second = p1.locator(".live-question", has_text="Who would notice")
    second.get_by_role("button", name=re.compile("^To think about later")).click()
    expect(p4.locator(".live-question", has_text="Who would notice")).to_contain_text(
        "to think about later"
    )
    expect(second.get_by_role("button", name=re.compile("^To think about later"))).to_be_hidden()
    second.get_by_role("button", name=re.compile("^Open again")).click()
    expect(p4.locator(".live-question", has_text="Who would notice")).to_contain_text("open")
    expect(
        p3.locator(".live-question", has_text="Who would notice").get_by_role("button")
    ).to_have_count(0)
    # Kept for later after all: it comes back to the issue holder when they write actions.
    second.get_by_role("button", name=re.compile("^To think about later")).click()
    expect(p4.locator(".live-question", has_text="Who would notice")).to_contain_text(
        "to think about later"
    )

    # Facilitation is handed to a member who is writing a question: their words stay put.
    p2.get_by_label("Your question").fill("What would you try first?")
    fac.get_by_label("Hand over to").select_option(label=m2.display_name)
    fac.get_by_role("button", name="Hand over facilitation").click()
    expect(p2.get_by_role("button", name="Next round")).to_be_visible()
    # Everyone reads who holds the duty now; the facilitator is still the facilitator.
    people = p3.locator(".live-people-list")
    expect(people.locator("li", has_text=m2.display_name)).to_contain_text("(here, facilitating)")
    expect(people.locator("li", has_text=world.facilitator.display_name)).to_contain_text(
        "(here, facilitator)"
    )
    expect(p2.get_by_label("Your question")).to_have_value("What would you try first?")
    expect(p2.locator(".live-unsent")).to_have_count(0)
    p2.get_by_label("Hand over to").select_option(label=world.facilitator.display_name)
    p2.get_by_role("button", name="Hand over facilitation").click()
    expect(fac.get_by_role("button", name="Next round")).to_be_visible()
    p2.get_by_role("button", name="Ask", exact=True).click()
    expect(p4.locator(".live-question", has_text="What would you try first?")).to_be_visible()

    # A pause for learning: everyone sees it; the timer stops; then the set resumes.
    hint = "Write your own, or choose one of the coach's standard questions below."
    expect(fac.get_by_label("Question for the set")).to_have_accessible_description(hint)
    # Without a question there is no pause: the refusal says why beside the box, which is
    # marked and given the cursor; nobody else sees anything.
    fac.get_by_role("button", name="Pause for learning").click()
    pause_group = fac.locator(".live-control-group").filter(
        has=fac.get_by_label("Question for the set")
    )
    expect(pause_group.locator(".live-error")).to_contain_text("asks the set a question")
    expect(fac.get_by_label("Question for the set")).to_have_attribute("aria-invalid", "true")
    expect(fac.get_by_label("Question for the set")).to_be_focused()
    for page in [p1, p2, p3, p4]:
        expect(page.locator(".live-pause")).to_be_hidden()
        expect(page.locator(".live-error:visible")).to_have_count(0)
    fac.get_by_label("Question for the set").fill("What question are you answering?")
    fac.get_by_role("button", name="Pause for learning").click()
    for page in everyone:
        expect(page.locator(".live-pause")).to_be_visible()
        expect(page.locator(".live-pause")).to_contain_text("What question are you answering?")
    expect(p3.locator(".live-timer")).to_have_attribute("data-state", "paused")
    # Someone scrolled down to their text box still has the pause in sight.
    p4.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    expect(p4.locator(".live-pause")).to_be_in_viewport()
    stopped = _timer_seconds(p3)
    time.sleep(2.2)
    assert _timer_seconds(p3) == stopped
    # The facilitator resumes from the banner, wherever they are on the page; only they can.
    expect(p4.locator(".live-pause").get_by_role("button", name="Resume")).to_have_count(0)
    fac.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    resume = fac.locator(".live-pause").get_by_role("button", name="Resume")
    expect(resume).to_be_in_viewport()
    resume.click()
    for page in everyone:
        expect(page.locator(".live-pause")).to_be_hidden()
    expect(fac.get_by_label("Question for the set")).not_to_have_attribute("aria-invalid", "true")
    expect(p3.locator(".live-timer")).not_to_have_attribute("data-state", "paused")
    # A member is still writing a question when the round moves on: the words stay with them.
    unsent = "What did the board say when you raised it?"
    p3.get_by_label("Your question").fill(unsent)
    _next(fac)
    notice = p3.locator(".live-unsent")
    expect(notice).to_contain_text("The meeting moved on before you sent this")
    expect(notice).to_contain_text(unsent)
    expect(p4.locator(".live-unsent")).to_have_count(0)
    notice.get_by_role("button", name="Keep as a private note").click()
    expect(notice).to_have_count(0)
    assert Contribution.objects.filter(
        author=m3, kind=Contribution.Kind.PRIVATE_NOTE, text=unsent
    ).exists()

    # Round 6: feedback and reflection.
    expect(_round(p4)).to_have_text("Feedback and reflection")
    expect(fac.locator(".live-shared")).to_have_text("Nothing recorded yet.")
    p4.get_by_label("Your learning").fill("I jump to advice too fast")
    p4.get_by_role("button", name="Record my learning").click()
    expect(fac.locator(".live-shared")).to_contain_text("I jump to advice too fast")
    p2.get_by_label(f"Feedback to {m1.display_name}").fill("You named the real fear")
    p2.get_by_role("button", name="Give feedback").click()
    expect(p1.locator(".live-shared")).to_contain_text("You named the real fear")
    _next(fac, confirm=True)

    # Round 7: the issue holder's actions appear for everyone.
    for page in everyone:
        expect(_round(page)).to_have_text("Issue holder's actions")
    expect(p2.get_by_label("An action you will take")).to_have_count(0)
    # While writing them, the issue holder has what the set gave them in sight; the others
    # are not shown it again.
    kept = p1.locator(".live-panel").filter(
        has=p1.get_by_role("heading", name="Questions you kept to think about later")
    )
    expect(kept.locator(".live-to-act-on").first).to_have_text(
        f"Who would notice the change first? ({m3.display_name})"
    )
    expect(kept.locator(".live-to-act-on").last).to_have_text(
        f"{m2.display_name}: You named the real fear"
    )
    expect(p2.get_by_role("heading", name="Feedback to you")).to_have_count(0)
    expect(p1.get_by_label("An action you will take")).to_have_accessible_description(
        "Each action becomes one of your commitments, due at the set's next meeting. "
        "You can change it later on your commitments page."
    )
    p1.get_by_label("An action you will take").fill("Talk to the board on Monday")
    p1.get_by_role("button", name="Add the action").click()
    for page in everyone:
        expect(page.locator(".live-actions")).to_contain_text("Talk to the board on Monday")
    _next(fac)

    # Round 8: process review. The shared screen puts the coach's questions on the wall.
    expect(_round(p3)).to_have_text("Process review")
    screen = p4.context.new_page()
    screen.goto(f"{base}/meetings/{meeting.pk}/live/screen/")
    expect(screen.get_by_role("heading", name="The coach's standard questions")).to_be_visible()
    expect(screen.locator(".live-projector-list li")).to_have_count(5)
    expect(screen.locator(".live-projector-list li").first).to_have_text(
        "How are we doing as a group, on a scale of 1 to 10?"
    )
    screen.close()
    expect(p3.locator(".live-panel")).to_contain_text(
        "Are we tapping all the knowledge in the room?"
    )
    expect(
        p3.locator(".live-panel").get_by_role("heading", name="The coach's standard questions")
    ).to_be_visible()
    # The learning cycle is there as a reflection aid, folded away until someone opens it.
    aid = p3.locator(".live-panel details", has_text="A reflection aid: the learning cycle")
    expect(aid.get_by_text("Reflect: what did you notice")).to_be_hidden()
    aid.get_by_text("A reflection aid: the learning cycle").click()
    expect(aid.locator("li")).to_have_count(4)
    expect(aid.locator("li").last).to_have_text("Plan: what will the set try next time?")
    # No score is chosen for anyone; sending without one is refused, to that member only.
    p3.get_by_label("What went well").fill("Open questions")
    p3.get_by_role("button", name="Send my review").click()
    expect(p3.locator(".live-error:visible")).to_contain_text("Please choose a score from 1 to 10.")
    expect(p3.get_by_label("What went well")).to_have_value("Open questions")
    expect(p2.locator(".live-error:visible")).to_have_count(0)
    p3.get_by_label("How did the set work today (1 to 10)?").select_option("8")
    p3.get_by_label("What went well").fill("Open questions")
    p3.get_by_role("button", name="Send my review").click()
    expect(fac.locator(".live-panel")).to_contain_text("Reviews so far: 1, average 8 out of 10.")

    # The end, and the summary for the set.
    # The last round has no next one: ending takes its place in the round's card, once.
    expect(fac.get_by_role("button", name="Next round")).to_be_hidden()
    expect(fac.get_by_role("button", name="End the meeting")).to_have_count(1)
    fac.once("dialog", lambda dialog: dialog.accept())
    fac.locator(".live-stage").get_by_role("button", name="End the meeting").click()
    for page in everyone:
        expect(page.get_by_role("link", name="Read the summary")).to_be_visible()
        # Said once, by the round's card; nothing is left to change.
        expect(_round(page)).to_have_text("The meeting has ended. Thank you.")
        expect(page.locator(".live-panel")).to_be_hidden()
    expect(fac.get_by_text("Change the round times")).to_have_count(0)
    p4.get_by_role("link", name="Read the summary").click()
    expect(p4.get_by_role("heading", level=1)).to_contain_text("Summary")
    for text in [
        "Restructuring the team",
        "What would success look like for you?",
        "Talk to the board on Monday",
        "Open questions",
        m3.display_name,
    ]:
        expect(p4.locator("main")).to_contain_text(text)
    expect(p4.locator("main")).not_to_contain_text("Who else is affected?")
    # Its author still has it, beside the set's summary and for them alone.
    p2.get_by_role("link", name="Read the summary").click()
    expect(p2.locator(".live-own-notes")).to_contain_text("Who else is affected?")
    expect(p2.locator(".live-own-notes").get_by_role("heading")).to_have_text(
        "Your private notes (only you see these)"
    )
    # Round 2's reviews are part of the record.
    expect(p4.locator(".live-summary-reviews")).to_contain_text(
        f"{m2.display_name}: Partly done · Asking earlier helps"
    )
    # The question the issue holder answered says so; one never marked does not say "open".
    answered = p4.locator("li", has_text="What would success look like")
    expect(answered).to_contain_text("answered")
    expect(answered).not_to_contain_text("not marked")
    expect(p4.locator("li", has_text="Who would notice the change first?")).to_contain_text(
        "to think about later"
    )
    expect(p4.locator("li", has_text="What would you try first?")).to_contain_text(
        "not marked answered"
    )
    # Who joined became the attendance record; the set sees how airtime was shared.
    attendance = p4.locator(".live-summary-attendance")
    for member in (m1, m2, m3, m4):
        expect(attendance).to_contain_text(f"{member.display_name}: present")
    expect(p4.get_by_role("heading", name="Airtime")).to_be_visible()
    expect(p4.get_by_role("link", name="Correct the attendance")).to_have_count(0)
    check_accessibility(p4)
    assert_fits_phone(p4)
    # The facilitator corrects it on the meeting's page, where it is already filled in.
    fac.goto(p4.url)
    fac.get_by_role("link", name="Correct the attendance").click()
    expect(fac.get_by_role("heading", name="Change the attendance")).to_be_visible()
    expect(fac.get_by_label(m1.display_name)).to_be_checked()


def test_a_combined_meeting_bids_for_the_open_slot_and_names_both_issue_holders(
    live_server_url, new_page
):
    base = live_server_url
    world = build_world()
    agreed, bidder, other = world.members[:3]
    meeting = Meeting.objects.create(
        learning_set=world.set_a,
        starts_at=timezone.now(),
        duration_minutes=90,
        format="combined",
        topic="Getting the new rota accepted",
        issue_holder=agreed,
    )
    actions.do_open_meeting(meeting, world.facilitator)
    go_to_round(meeting, world.facilitator, 3)
    fac = _enter(new_page, base, world.facilitator, meeting)
    a, b, c = (_enter(new_page, base, m, meeting) for m in (agreed, bidder, other))

    # Everyone knows whose slot was agreed and what the bids are for; that person has no bid.
    expect(a.locator(".live-agreed")).to_have_text(
        "Your issue was agreed before the meeting, so the first slot is yours. "
        "The others bid for the open slot."
    )
    expect(a.get_by_role("button", name="Send my bid")).to_have_count(0)
    for page in (fac, b, c):
        expect(page.locator(".live-agreed")).to_have_text(
            f"{agreed.display_name}'s issue was agreed before the meeting: "
            "Getting the new rota accepted. Bids are for the open slot."
        )
    # Nothing to withdraw and nothing to order until someone bids.
    expect(b.get_by_role("button", name="Withdraw my bid")).to_be_hidden()
    suggests = "Revans suggests this order (least airtime first)"
    expect(fac.get_by_role("heading", name=suggests)).to_be_hidden()
    b.get_by_label("Your issue, in a few words").fill("A hard conversation with my director")
    b.get_by_role("button", name="Send my bid").click()
    expect(b.get_by_role("button", name="Change my bid")).to_be_visible()
    expect(b.get_by_role("button", name="Withdraw my bid")).to_be_visible()
    expect(fac.get_by_role("heading", name=suggests)).to_be_visible()
    # After a reload their bid is still in the form, ready to change.
    b.reload()
    expect(b.get_by_label("Your issue, in a few words")).to_have_value(
        "A hard conversation with my director"
    )
    expect(b.get_by_role("button", name="Change my bid")).to_be_visible()

    fac.get_by_role("group", name="Choose who takes the open slot").get_by_label(
        f"{bidder.display_name}: A hard conversation with my director"
    ).check()
    fac.get_by_role("button", name="Choose", exact=True).click()
    # With two issue holders, the agenda says whose rounds are whose.
    for page in (fac, a, b, c):
        for holder in (agreed, bidder):
            expect(
                page.locator(".live-step", has_text=f"Presenting: {holder.display_name}")
            ).to_have_count(1)
    # The shared screen in the room shows the bids and which was chosen.
    screen = c.context.new_page()
    screen.goto(f"{base}/meetings/{meeting.pk}/live/screen/")
    expect(screen.get_by_role("heading", name="Bids")).to_be_visible()
    expect(screen.locator(".live-projector-list li")).to_have_text(
        [f"A hard conversation with my director · {bidder.display_name} issue holder"]
    )
    screen.close()
    # The notice, the bids and the choice fit a phone.
    assert_fits_phone(fac)
    expect(fac.locator("#live-connection")).to_have_text("Connected")
    _next(fac)
    expect(c.locator(".live-issue")).to_have_text(
        f"{agreed.display_name}'s issue: Getting the new rota accepted"
    )


def test_the_room_is_accessible_fits_a_phone_and_the_facilitator_drives_by_keyboard(
    live_server_url, new_page
):
    base = live_server_url
    world = build_world()
    meeting = _meeting_today(world)
    # One of those who will not come sent apologies: the facilitator's room says so.
    apologised = world.members[-1]
    assert apologised != world.member
    Rsvp.objects.create(meeting=meeting, user=apologised, response=Rsvp.Response.APOLOGIES)
    # A member who arrives before the room is open is let in by itself once it opens.
    member = new_page()
    sign_in_with_password(member, base, world.member.email, PASSWORD)
    member.goto(f"{base}/meetings/{meeting.pk}/live/")
    expect(member.locator("#live-not-open")).to_contain_text("has not opened this meeting yet")
    fac = _open_room(new_page, base, world, meeting)
    expect(member.locator("#live-connection")).to_have_text("Connected", timeout=20_000)
    expect(member.locator("#live-not-open")).to_have_count(0)

    fac.get_by_role("button", name="Start the meeting").focus()
    fac.keyboard.press("Enter")
    expect(_round(member)).to_have_text("Check-in")
    # Only one member came: the others' turns say so, in sight of the order.
    absent = next(m for m in world.members if m not in (world.member, apologised))
    expect(fac.locator(".live-turn", has_text=absent.display_name)).to_contain_text("(not here)")
    expect(fac.locator(".live-turn", has_text=world.member.display_name)).not_to_contain_text(
        "not here"
    )
    expect(fac.locator(".live-turn", has_text=apologised.display_name)).to_contain_text(
        "(sent apologies)"
    )
    expect(fac.locator(".live-people-list li", has_text=apologised.display_name)).to_contain_text(
        "(sent apologies)"
    )
    # Replies are the facilitator's to read: a member sees only that they are not here.
    expect(member.locator(".live-turn", has_text=apologised.display_name)).to_contain_text(
        "(not here)"
    )
    expect(member.locator(".live-people-list")).not_to_contain_text("apologies")
    check_accessibility(fac)
    check_accessibility(member)

    # Round times from the keyboard: what the facilitator types survives the redraws that
    # other people's acts cause, and Enter saves it.
    fac.get_by_text("Change the round times").focus()
    fac.keyboard.press("Enter")
    # These are this meeting's times; the set's own are a link away, for the facilitator only.
    set_times = "The times every meeting of this set starts with"
    expect(fac.get_by_role("link", name=set_times)).to_have_attribute(
        "href", f"/sets/{world.set_a.pk}/rounds/"
    )
    expect(member.get_by_role("link", name=set_times)).to_have_count(0)
    keep = "Start the set's next meetings with this meeting's times"
    expect(fac.get_by_role("link", name=keep)).to_have_attribute(
        "href", f"/sets/{world.set_a.pk}/rounds/?from={meeting.pk}"
    )
    expect(member.get_by_role("link", name=keep)).to_have_count(0)
    bidding = fac.get_by_label("Minutes for Bidding")
    bidding.focus()
    fac.keyboard.press("Control+A")
    fac.keyboard.type("7")
    # Before their turn a member may pass, once they have confirmed it.
    member.once("dialog", lambda dialog: dialog.accept())
    member.get_by_role("button", name="Pass my turn").click()
    expect(fac.locator(".live-turn", has_text=world.member.display_name)).to_contain_text("passed")
    expect(bidding).to_have_value("7")
    expect(bidding).to_be_focused()
    fac.keyboard.press("Enter")
    expect(member.locator(".live-step", has_text="Bidding")).to_contain_text("7 min")
    expect(fac.locator(".live-over")).to_contain_text("runs over by 2 minutes")

    next_button = fac.get_by_role("button", name="Next round")
    next_button.focus()
    fac.keyboard.press("Enter")
    move_on = fac.get_by_role("button", name="Move on anyway")
    expect(move_on).to_be_focused()
    fac.keyboard.press("Enter")
    expect(_round(member)).to_have_text("Reflection: actions and learning since last meeting")

    # Reordering turns is keyboard-operable too: "move down" keeps focus on the moved member.
    down = fac.get_by_role("button", name=f"Move {world.members[0].display_name} down")
    down.focus()
    fac.keyboard.press("Enter")
    expect(member.locator(".live-turn").nth(1)).to_contain_text(world.members[0].display_name)
    expect(fac.locator(".live-turn").nth(1)).to_contain_text(world.members[0].display_name)
    # ... and so is dragging, with a mouse: the last turn is dragged to the top.
    last = world.members[-1].display_name
    handle = fac.locator(".live-turn", has_text=last).locator(".live-drag")
    handle.hover()  # scrolls the handle into view: measure the top after it
    top = fac.locator(".live-turn").first.bounding_box()
    fac.mouse.down()
    fac.mouse.move(top["x"] + 20, top["y"] + 2, steps=12)
    fac.mouse.up()
    expect(member.locator(".live-turn").first).to_contain_text(last)
    expect(fac.locator(".live-turn").first).to_contain_text(last)

    # The shared screen follows the same meeting, read-only, big enough for a room.
    member.goto(f"{base}/meetings/{meeting.pk}/live/screen/")
    expect(_round(member)).to_have_text("Reflection: actions and learning since last meeting")
    expect(member.locator("[data-role=timer]")).to_have_text(TIMER)
    expect(member.locator("#live-room button")).to_have_count(0)
    check_accessibility(member)
    # The room sees the turn order; whose turn it is stands out once it starts.
    turns = member.locator(".live-projector-turn")
    expect(turns).to_have_count(len(world.members))
    expect(turns.first).to_contain_text(last)
    expect(turns.first).to_contain_text("waiting")
    fac.get_by_role("button", name="Start the next turn").click()
    expect(turns.first).to_have_class(re.compile("is-speaking"))
    expect(turns.first).to_contain_text("speaking now")
    expect(turns.first).to_have_attribute("aria-current", "true")
    expect(member.locator(".live-projector-line")).to_have_text(f"Whose turn: {last}")
    # A projector is wide: the meeting takes the width, and the timer grows with it.
    timer_size = "parseFloat(getComputedStyle(document.querySelector('.live-timer')).fontSize)"
    laptop_timer = member.evaluate(timer_size)
    member.set_viewport_size({"width": 1920, "height": 1080})
    assert member.evaluate("document.querySelector('.live-layout').offsetWidth") > 1700
    assert member.evaluate(timer_size) > laptop_timer
    # The screen is filled, and left again, from a button of its own (Esc leaves it too).
    member.get_by_role("button", name="Fill the screen").click()
    expect(member.get_by_role("button", name="Leave full screen")).to_be_visible()
    assert member.evaluate("document.fullscreenElement === document.documentElement")
    expect(member.locator(".site-header")).to_be_hidden()
    expect(member.locator(".live-projector-turn").first).to_be_visible()
    member.get_by_role("button", name="Leave full screen").click()
    expect(member.get_by_role("button", name="Fill the screen")).to_be_visible()
    assert member.evaluate("document.fullscreenElement") is None
    expect(member.locator(".site-header")).to_be_visible()
    # On a small phone nothing scrolls sideways (assert_fits_phone reloads, and a reload
    # would find no room).
    member.set_viewport_size({"width": 360, "height": 740})
    assert member.evaluate("document.documentElement.scrollWidth") <= 360

    member.goto(f"{base}/meetings/{meeting.pk}/live/")
    assert_fits_phone(member)
    expect(member.locator("#live-connection")).to_have_text("Connected")
    assert_fits_phone(fac)
    expect(fac.locator("#live-connection")).to_have_text("Connected")
    check_accessibility(fac)


class _Line:
    """Every live socket of a page goes through here (Playwright's route). cut() drops the
    open ones and refuses new ones at once, as a dropped network or a shut door would (the
    route would keep the page's side open when the server itself refuses a handshake);
    mend() lets them through again."""

    def __init__(self, page: Page) -> None:
        self.sockets: list = []
        self.cut_off = False
        page.route_web_socket(re.compile(r".*/ws/meetings/.*"), self._through)

    def _through(self, ws) -> None:
        if self.cut_off:
            ws.close()
            return
        ws.connect_to_server()
        self.sockets.append(ws)

    def cut(self) -> None:
        self.cut_off = True
        for ws in self.sockets:
            ws.close()

    def mend(self) -> None:
        self.cut_off = False


def test_an_act_tried_while_the_connection_is_down_says_so_and_the_word_goes_when_it_is_back(
    live_server_url, new_page
):
    base = live_server_url
    world = build_world()
    meeting = _meeting_today(world)
    fac = new_page()
    line = _Line(fac)
    sign_in_with_password(fac, base, world.facilitator.email, PASSWORD)
    fac.goto(f"{base}/meetings/{meeting.pk}/live/")
    fac.get_by_role("button", name="Open the meeting room").click()
    expect(fac.locator("#live-connection")).to_have_text("Connected")
    fac.get_by_role("button", name="Start the meeting").click()
    expect(_round(fac)).to_have_text("Check-in")

    line.cut()
    expect(fac.locator("#live-connection")).to_contain_text("Reconnecting")
    next_turn = fac.get_by_role("button", name="Start the next turn")
    next_turn.click()
    error = fac.locator(".live-panel .live-error")
    expect(error).to_have_text(
        "Not sent: the connection dropped. Try again when the page says it is connected."
    )
    expect(next_turn).to_be_enabled()

    line.mend()
    expect(fac.locator("#live-connection")).to_have_text("Connected", timeout=20_000)
    expect(error).to_be_hidden()
    next_turn.click()
    expect(fac.locator(".live-turn.is-speaking")).to_contain_text(world.members[0].display_name)


def test_a_room_closed_before_the_start_records_nothing_and_frees_the_meeting(
    live_server_url, new_page
):
    """The set is not meeting after all: the facilitator closes the room instead of ending a
    meeting that never took place, and can then move it."""
    base = live_server_url
    world = build_world()
    meeting = Meeting.objects.create(
        learning_set=world.set_a,
        starts_at=timezone.now() + dt.timedelta(minutes=30),
        duration_minutes=90,
        format="open",
    )
    if timezone.localtime(meeting.starts_at).date() != timezone.localdate():
        pytest.skip("the meeting would fall on another day than today")
    fac = _open_room(new_page, base, world, meeting)
    member = _enter(new_page, base, world.members[0], meeting)
    # Before the start there is nothing to end; the room can be closed.
    expect(fac.get_by_role("button", name="End the meeting")).to_be_hidden()
    close = fac.get_by_role("button", name="Close the room")
    expect(close).to_be_visible()
    expect(member.get_by_role("button", name="Close the room")).to_have_count(0)
    fac.once("dialog", lambda dialog: dialog.accept())
    close.click()
    # The facilitator is back on the meeting's page, which can be changed again.
    expect(fac).to_have_url(re.compile(rf"/meetings/{meeting.pk}/\?room=closed$"))
    expect(fac.locator(".messages")).to_have_text(
        "The room is closed and nothing was recorded. You can move or cancel the meeting, or "
        "open the room again."
    )
    expect(fac.get_by_role("link", name="Move or change details")).to_be_visible()
    expect(fac.get_by_role("link", name="Open the live meeting")).to_be_visible()
    # The member is told, in words, where the meeting's page is.
    notice = member.locator("#live-closed")
    expect(notice).to_contain_text("The facilitator closed the room before the meeting started.")
    check_accessibility(member)
    # On a small phone nothing scrolls sideways (assert_fits_phone reloads, and a reload
    # would find no room).
    member.set_viewport_size({"width": 360, "height": 740})
    assert member.evaluate("document.documentElement.scrollWidth") <= 360
    notice.get_by_role("link", name="Back to the meeting's page").click()
    expect(member.locator(".messages")).to_have_text("The room is closed and nothing was recorded.")
    meeting.refresh_from_db()
    assert meeting.live_status is None and not meeting.is_held
    assert not meeting.attendance.exists()


def _sign_in_again_into_the_room(page: Page, base: str, user, meeting: Meeting) -> None:
    """On the sign-in page the room sent them to: signing in lands back in the room."""
    form = page.locator("form").filter(has=page.locator('input[name="password"]'))
    form.locator('input[name="username"]').fill(user.email)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator('[type="submit"]').first.click()
    expect(page).to_have_url(f"{base}/meetings/{meeting.pk}/live/")
    expect(page.locator("#live-connection")).to_have_text("Connected")


def test_signing_out_in_another_tab_takes_this_browser_out_of_the_meeting(
    live_server_url, new_page
):
    """A room left open on a shared computer must not go on showing the meeting once its
    person has signed out; the facilitator's room, in another browser, goes on."""
    base = live_server_url
    world = build_world()
    meeting = _meeting_today(world)
    fac = _open_room(new_page, base, world, meeting)
    member = _enter(new_page, base, world.member, meeting)
    other_tab = member.context.new_page()
    other_tab.goto(f"{base}/")
    other_tab.get_by_role("button", name="Sign out").click()
    expect(other_tab.get_by_text("You have signed out.")).to_be_visible()

    closed = member.locator("#live-closed")
    expect(closed).to_contain_text("You signed out, so this page has left the meeting.")
    expect(member.locator("#live-round-heading")).to_be_hidden()
    expect(fac.locator(".live-people-list li", has_text=world.member.display_name)).to_contain_text(
        "not here"
    )
    expect(fac.locator("#live-connection")).to_have_text("Connected")
    # The way back: sign in again, and land in the room.
    closed.get_by_role("link", name="Sign in again to rejoin").click()
    _sign_in_again_into_the_room(member, base, world.member, meeting)
    expect(fac.locator(".live-people-list li", has_text=world.member.display_name)).to_contain_text(
        "(here)"
    )
    check_accessibility(member)


def _sign_out_behind_its_back(page: Page, world) -> None:
    cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    assert Session.objects.filter(session_key=cookie["value"]).delete()[0] == 1


def _take_out_of_the_set(page: Page, world) -> None:
    SetMembership.objects.filter(user=world.member, learning_set=world.set_a).update(
        left_at=timezone.now()
    )


@pytest.mark.parametrize(
    "ended, says, link",
    [
        (
            _sign_out_behind_its_back,
            "You are signed out, so this page has left the meeting.",
            "Sign in again to rejoin",
        ),
        (
            _take_out_of_the_set,
            "You can no longer see this meeting, so this page has left it.",
            "Go to your home page",
        ),
    ],
)
def test_a_page_refused_on_its_way_back_says_why_instead_of_reconnecting_for_ever(
    live_server_url, new_page, ended, says, link
):
    base = live_server_url
    world = build_world()
    meeting = _meeting_today(world)
    _open_room(new_page, base, world, meeting)
    member = new_page()
    line = _Line(member)
    sign_in_with_password(member, base, world.member.email, PASSWORD)
    member.goto(f"{base}/meetings/{meeting.pk}/live/")
    expect(member.locator("#live-connection")).to_have_text("Connected")
    # The door shuts while the connection is down (a session that expired or was signed out
    # elsewhere; a member taken out of the set), so coming back is refused.
    ended(member, world)
    line.cut()
    closed = member.locator("#live-closed")
    expect(closed).to_contain_text(says, timeout=20_000)
    expect(member.locator("#live-connection")).to_have_text(says)
    expect(member.locator("#live-round-heading")).to_be_hidden()
    check_accessibility(member)
    line.mend()
    closed.get_by_role("link", name=link).click()
    if ended is _take_out_of_the_set:
        expect(member).to_have_url(f"{base}/")
        return
    _sign_in_again_into_the_room(member, base, world.member, meeting)
