import csv
import io
import shutil
import subprocess

import pytest
from django.urls import reverse

from revans.organisations.models import Organisation, Sponsor, SponsorContact
from revans.reports import actions
from revans.reports.models import ReportConcern, ReportTheme, ThemeItem
from revans.reports.tests.conftest import ISSUES, LEARNING, PRIVATE_CANARY, held_set
from revans.testing import make_set, make_user


def _ready(w, k=2):
    """A shared draft with one named theme supported by three members, released once."""
    report = actions.do_start_report(w.set_a, actor=w.facilitator)
    report.themes.all().delete()
    theme = ReportTheme.objects.create(
        report=report, label="Leading through restructure", narrative="Facilitator's words."
    )
    for i, member in enumerate(w.members[:3]):
        ThemeItem.objects.create(
            theme=theme,
            source="issue",
            source_model="t",
            source_id=i,
            member=member,
            text=ISSUES[i],
        )
    actions.do_update_report(report, min_support=k, introduction="", withheld_sections=[])
    actions.do_share_draft(report)
    return report, theme


@pytest.mark.django_db
def test_pdf_is_a_real_pdf_with_set_and_theme_and_no_member(client, report_world):
    w = report_world
    report, _theme = _ready(w)
    version = actions.do_release(report, actor=w.facilitator)
    client.force_login(w.sponsor)
    response = client.get(reverse("reports:version_pdf", args=[w.set_a.id, version.number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert shutil.which("pdftotext"), "poppler-utils is missing: run scripts/ensure-pdf --tests"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert w.set_a.name in text
    assert "Leading through restructure" in text
    for member in w.members:
        assert member.full_name not in text
    for line in ISSUES + LEARNING + [PRIVATE_CANARY]:
        assert line not in text


@pytest.mark.django_db
def test_csv_has_the_figures_and_nothing_withheld(client, report_world):
    w = report_world
    report, _theme = _ready(w)
    actions.do_update_report(report, min_support=2, introduction="", withheld_sections=["airtime"])
    version = actions.do_release(report, actor=w.facilitator)
    client.force_login(w.admin)
    response = client.get(reverse("reports:version_csv", args=[w.set_a.id, version.number]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "measure", "meeting", "date", "value"]
    values = {(r[0], r[1], r[2]): r[4] for r in rows[1:]}
    assert values[("meetings", "meetings_held", "")] == "3"
    assert values[("meetings", "meetings_planned", "")] == "6"
    assert values[("commitments", "commitments_made", "")] == "3"
    assert values[("commitments", "commitments_completed", "")] == "2"
    assert values[("attendance", "attendance_rate_percent", "1")] == "75"
    assert ("process_review", "average_score", "1") in values
    assert not any(r[0] == "airtime" for r in rows[1:])
    body = response.content.decode()
    for member in w.members:
        assert member.full_name not in body


@pytest.mark.django_db
def test_sponsor_sees_released_only_never_draft_concerns_or_evidence(client, report_world):
    w = report_world
    report, theme = _ready(w)
    actions.do_raise_concern(
        report, member=w.member, item=f"theme:{theme.pk}", text="Please soften this"
    )
    client.force_login(w.sponsor)
    assert client.get(reverse("reports:draft", args=[w.set_a.id])).status_code == 404
    page = client.get(reverse("reports:versions", args=[w.set_a.id])).content.decode()
    assert "No report has been released yet" in page
    ReportConcern.objects.update(
        resolution="answered", answer="Kept", resolved_at="2026-01-01T00:00Z"
    )
    actions.do_release(report, actor=w.facilitator)
    page = client.get(reverse("reports:version", args=[w.set_a.id, 1])).content.decode()
    assert "Leading through restructure" in page and "Facilitator&#x27;s words." in page
    for secret in [
        "Please soften this",
        ISSUES[0],
        PRIVATE_CANARY,
        *[m.full_name for m in w.members],
    ]:
        assert secret not in page


@pytest.mark.django_db
def test_member_reads_preview_and_own_concerns_only(client, report_world):
    w = report_world
    report, theme = _ready(w)
    actions.do_raise_concern(report, member=w.members[1], item="section:airtime", text="Theirs")
    client.force_login(w.member)
    url = reverse("reports:draft", args=[w.set_a.id])
    response = client.post(
        reverse("reports:concern_raise", args=[w.set_a.id]),
        {"item": f"theme:{theme.pk}", "text": "Mine, about the theme"},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Mine, about the theme" in page and "Theirs" not in page
    assert "Leading through restructure" in page
    assert ISSUES[0] not in page  # evidence is the facilitator's
    # An empty concern re-renders with a precise error and keeps the choice.
    response = client.post(
        reverse("reports:concern_raise", args=[w.set_a.id]), {"item": "section:attendance"}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert 'value="section:attendance" selected' in response.content.decode()


@pytest.mark.django_db
def test_facilitator_edits_and_refusals_are_explained(client, report_world):
    w = report_world
    report, theme = _ready(w, k=3)
    client.force_login(w.facilitator)
    draft = reverse("reports:draft", args=[w.set_a.id])
    page = client.get(draft).content.decode()
    assert ISSUES[0] in page  # evidence, for the facilitator
    response = client.post(
        reverse("reports:settings", args=[w.set_a.id]), {"min_support": "1", "introduction": "Hi"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "At least 2 members must support a theme" in body and "Hi</textarea>" in body
    response = client.post(
        reverse("reports:theme_edit", args=[w.set_a.id, theme.pk]),
        {f"t{theme.pk}-label": "Change at work", f"t{theme.pk}-narrative": "Members found..."},
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.label, theme.narrative) == ("Change at work", "Members found...")
    response = client.post(
        reverse("reports:theme_edit", args=[w.set_a.id, theme.pk]),
        {f"t{theme.pk}-label": "", f"t{theme.pk}-narrative": "Kept text"},
    )
    assert response.status_code == 400 and "Kept text" in response.content.decode()
    actions.do_raise_concern(report, member=w.member, item="section:airtime", text="Hmm")
    response = client.post(reverse("reports:release", args=[w.set_a.id]), follow=True)
    assert "1 concern from a member is still open" in response.content.decode()


@pytest.mark.django_db
def test_sponsor_of_another_organisation_gets_404(client, report_world):
    w = report_world
    report, _theme = _ready(w)
    actions.do_release(report, actor=w.facilitator)
    other = Organisation.objects.create(name="Other", slug="other", kind="provider")
    body = Sponsor.objects.create(organisation=other, name="Their client")
    outsider = make_user("outsider@their.example", "Outside Sponsor")
    SponsorContact.objects.create(sponsor=body, user=outsider)
    make_set(other, None, "Their set", sponsor=body)
    client.force_login(outsider)
    for name, args in [
        ("reports:versions", [w.set_a.id]),
        ("reports:version", [w.set_a.id, 1]),
        ("reports:version_pdf", [w.set_a.id, 1]),
        ("reports:version_csv", [w.set_a.id, 1]),
        ("reports:draft", [w.set_a.id]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona,name,expected",
    [
        ("facilitator", "reports:draft", 17),
        ("member", "reports:draft", 15),
        ("sponsor", "reports:versions", 4),
        ("sponsor", "reports:version", 4),
        ("admin", "reports:version_csv", 4),
        ("sponsor", "reports:version_pdf", 4),
    ],
)
def test_pages_stay_constant(client, world, django_assert_num_queries, persona, name, expected):
    held_set(world)
    report, theme = _ready(world)
    actions.do_raise_concern(report, member=world.member, item="section:airtime", text="x")
    ReportConcern.objects.update(
        resolution="answered", answer="ok", resolved_at="2026-01-01T00:00Z"
    )
    actions.do_release(report, actor=world.facilitator)
    actions.do_raise_concern(report, member=world.member, item=f"theme:{theme.pk}", text="y")
    client.force_login(world.persona(persona))
    args = (
        [world.set_a.id] if name in ("reports:draft", "reports:versions") else [world.set_a.id, 1]
    )
    url = reverse(name, args=args)
    client.get(url)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    # Twice the themes, items, concerns and meetings: the same number of queries.
    for i in range(3):
        extra = ReportTheme.objects.create(report=report, label=f"Extra {i}")
        for j, member in enumerate(world.members):
            ThemeItem.objects.create(
                theme=extra,
                source="learning",
                source_model="t",
                source_id=100 + j,
                member=member,
                text=f"more {i} {j}",
            )
        actions.do_raise_concern(
            report, member=world.members[1], item=f"theme:{extra.pk}", text="z"
        )
    for meeting in world.meetings_a[3:]:
        meeting.starts_at = world.meetings_a[2].starts_at
        meeting.save()
    actions.do_raise_concern(report, member=world.member, item="section:attendance", text="w")
    ReportConcern.objects.update(
        resolution="answered", answer="ok", resolved_at="2026-01-01T00:00Z"
    )
    if name != "reports:draft":
        actions.do_release(report, actor=world.facilitator)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
