"""The facilitator's report, in real browsers: the facilitator edits the draft Revans made, a
member raises a concern, the facilitator resolves it and releases, and the sponsor reads the
report and downloads the PDF, which is rendered to PNG for a person to look at."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from revans.reports.models import ReleasedVersion, ReportConcern
from revans.reports.tests.conftest import ISSUES, LEARNING, PRIVATE_CANARY, held_set
from revans.testing import PASSWORD, build_world
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_fits_phone, check_accessibility, sign_in_with_password

pytestmark = pytest.mark.browser

LABEL = "Leading through change"
NARRATIVE = "Several members worked on keeping teams steady through structural change."


def test_draft_concern_release_and_the_sponsors_pdf(live_server_url, new_page):
    base = live_server_url
    world = build_world()
    held_set(world)
    draft_url = f"{base}/sets/{world.set_a.pk}/report/draft/"

    # The facilitator has Revans draft the report, then renames a theme and writes its story.
    fac = new_page()
    sign_in_with_password(fac, base, world.facilitator.email, PASSWORD)
    fac.goto(f"{base}/sets/{world.set_a.pk}/")
    fac.get_by_role("link", name="Report").click()
    fac.get_by_role("button", name="Draft the report").click()
    expect(fac.locator(".messages")).to_contain_text("Revans drafted the report")
    first = fac.locator(".theme-editor").filter(has_text="Reaches the sponsor").first
    first.get_by_label("Theme", exact=True).fill(LABEL)
    first.get_by_label("Narrative for the sponsor (in your words)").fill(NARRATIVE)
    first.get_by_role("button", name="Save theme").click()
    expect(fac.locator(".messages")).to_contain_text(f"Theme saved: {LABEL}.")
    check_accessibility(fac)
    fac.get_by_role("button", name="Share the draft with the members").click()
    expect(fac.locator(".messages")).to_contain_text("The members can now read the draft")

    # A member reads the draft as the sponsor would and raises a concern about the theme.
    member = new_page()
    sign_in_with_password(member, base, world.member.email, PASSWORD)
    member.goto(draft_url)
    preview = member.locator(".report-preview")
    expect(preview).to_contain_text(LABEL)
    expect(preview).to_contain_text(NARRATIVE)
    for line in ISSUES[:3] + LEARNING:
        expect(member.locator("main")).not_to_contain_text(line)
    member.get_by_label("What is your concern about?").select_option(label=f"Theme: {LABEL}")
    member.get_by_role("textbox", name="Your concern").fill(
        "Please make sure my service cannot be recognised."
    )
    member.get_by_role("button", name="Send to the facilitator").click()
    expect(member.locator(".messages")).to_contain_text("Your concern is with the facilitator.")
    expect(member.locator(".concern")).to_contain_text("Open")
    check_accessibility(member)
    assert_fits_phone(member)

    # Release is refused while the concern is open; the facilitator answers it and releases.
    fac.goto(draft_url)
    fac.get_by_role("button", name="Release to the sponsor").click()
    expect(fac.locator(".messages")).to_contain_text("1 concern from a member is still open")
    concern = fac.locator(".concern-open")
    expect(concern).to_contain_text("Please make sure my service cannot be recognised.")
    concern.get_by_label("Answered").check()
    concern.get_by_label("Answer to the member").fill("No service is named; only the theme.")
    concern.get_by_role("button", name="Resolve").click()
    expect(fac.locator(".messages")).to_contain_text("Concern resolved.")
    assert ReportConcern.objects.get().resolution == "answered"
    fac.get_by_role("button", name="Release to the sponsor").click()
    expect(fac.locator(".messages")).to_contain_text("Version 1 is released")
    assert ReleasedVersion.objects.count() == 1

    # The member sees the answer to their concern.
    member.set_viewport_size({"width": 1280, "height": 900})
    member.goto(draft_url)
    expect(member.locator(".concern")).to_contain_text("No service is named; only the theme.")

    # The sponsor opens the report, reads the theme and downloads the PDF.
    sponsor = new_page()
    sign_in_with_password(sponsor, base, world.sponsor.email, PASSWORD)
    sponsor.goto(f"{base}/")
    sponsor.get_by_role("link", name="Facilitator’s reports").click()
    sponsor.get_by_role("link", name="Version 1").click()
    main = sponsor.locator("main")
    expect(main).to_contain_text(LABEL)
    expect(main).to_contain_text(NARRATIVE)
    expect(sponsor.get_by_role("img", name="Attendance per meeting, in per cent")).to_be_visible()
    for secret in [*ISSUES, *LEARNING, PRIVATE_CANARY, "cannot be recognised"]:
        expect(main).not_to_contain_text(secret)
    for person in world.members:
        expect(main).not_to_contain_text(person.full_name)
    check_accessibility(sponsor)
    # The first PDF of a process loads Pango and the fonts: seconds on a busy machine.
    with sponsor.expect_download(timeout=60_000) as download_info:
        sponsor.get_by_role("link", name="Download the PDF").click(timeout=60_000)
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "report-v1.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert shutil.which("pdftoppm"), "poppler-utils is missing: run scripts/ensure-pdf --tests"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / "report-v1")], check=True
    )
    pages = sorted(ARTIFACTS.glob("report-v1-*.png"))
    assert pages, "the PDF rendered to no page"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert world.set_a.name in text and LABEL in text
    assert all(person.full_name not in text for person in world.members)
    assert_fits_phone(sponsor)
