"""People who use only a keyboard can do what the foundation offers them."""

import pytest
from playwright.sync_api import expect

from revans.meetings.models import Rsvp
from revans.testing import PASSWORD, build_world
from tests.browser.helpers import assert_keyboard_reachable, sign_in_with_password

pytestmark = pytest.mark.browser


def test_a_member_sends_apologies_with_the_keyboard_only(live_server_url, page):
    world = build_world()
    meeting = world.meetings_a[0]
    sign_in_with_password(page, live_server_url, world.member.email, PASSWORD)
    page.goto(f"{live_server_url}/meetings/{meeting.pk}/")

    assert_keyboard_reachable(page, "Attending")
    page.keyboard.press("ArrowDown")  # radios move with the arrow keys
    expect(page.get_by_label("Sending apologies")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Note to the facilitator")).to_be_focused()
    page.keyboard.type("Away at a conference that week.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Send my reply")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("apologies")
    rsvp = Rsvp.objects.get(meeting=meeting, user=world.member)
    assert rsvp.response == "apologies"
    assert rsvp.note == "Away at a conference that week."


def test_the_skip_link_takes_keyboard_users_to_the_content(live_server_url, page):
    world = build_world()
    sign_in_with_password(page, live_server_url, world.facilitator.email, PASSWORD)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
