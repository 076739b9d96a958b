import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from revans.programmes.tests.helpers import grow_programme, release
from revans.testing import (
    PERSONAS,
    add_members,
    assert_refused,
    count_queries,
    make_set,
    make_user,
    sign_in_as,
)

READERS = {"sponsor", "admin"}


def _url(world, name="report"):
    return reverse(f"programmes:{name}", args=[world.org.slug, world.sponsor_body.pk])


def _hidden(world):
    return (world.org.name, world.sponsor_body.name, world.facilitator.full_name)


@pytest.mark.parametrize("persona", PERSONAS)
def test_programme_report_for_each_persona(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.get(_url(world))
    if persona not in READERS:
        assert_refused(response, world, persona, also_hidden=_hidden(world))
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert "Programme report: Client Council" in body
    assert world.set_a.name in body
    assert world.set_b.name not in body  # not this sponsor's
    for member in world.members:  # counts only, never names
        assert member.full_name not in body and member.email not in body
    assert ("Set cost and threshold" in body) == (persona == "admin")


@pytest.mark.parametrize("persona", PERSONAS)
def test_csv_for_each_persona(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.get(_url(world, "csv"))
    if persona not in READERS:
        assert_refused(response, world, persona, also_hidden=_hidden(world))
        return
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Set" and rows[1][0] == world.set_a.name and rows[-1][0] == "All sets"
    assert rows[1][4] == "4"  # members


def test_a_sponsor_of_another_organisation_cannot_guess_the_url(client, world):
    from revans.organisations.models import Sponsor, SponsorContact

    other = Sponsor.objects.create(organisation=world.other_org, name="Other client")
    SponsorContact.objects.create(sponsor=other, user=world.sponsor)
    client.force_login(world.sponsor)
    # Their own sponsor under the wrong organisation's slug: 404.
    response = client.get(reverse("programmes:report", args=[world.org.slug, other.pk]))
    assert response.status_code == 404


def test_cost_per_participant(client, world):
    """1,800 per set of 6 members is 300 per participant."""
    sponsor = world.sponsor_body
    add_members(world.set_a, [make_user("m5@client.example"), make_user("m6@client.example")])
    grow_programme(world, 3, members_per_set=6)
    sponsor.cost_per_set = Decimal("1800")
    sponsor.currency = "EUR"
    sponsor.save()
    client.force_login(world.sponsor)
    body = client.get(_url(world)).content.decode()
    # Written as a reader of UK English expects: the currency's symbol before the amount.
    assert "€1,800.00" in body  # per set
    assert "€5,400.00" in body  # three sets
    assert "€300.00" in body  # 5,400 over 18 participants
    assert "18 participants" in body


def test_a_cost_in_pounds_is_written_in_pounds(client, world):
    sponsor = world.sponsor_body
    sponsor.cost_per_set = Decimal("1800")
    sponsor.currency = "GBP"
    sponsor.save()
    client.force_login(world.sponsor)
    body = client.get(_url(world)).content.decode()
    assert "£1,800.00" in body
    assert "GBP" not in body


def test_no_cost_yet_says_so(client, world):
    client.force_login(world.admin)
    assert "No cost per set is recorded" in client.get(_url(world)).content.decode()


def test_theme_of_two_members_is_withheld_at_three_and_shown_at_two(client, world):
    release(world.set_a, [("Leading through restructure", 2)])
    client.force_login(world.sponsor)
    body = client.get(_url(world)).content.decode()
    assert "Leading through restructure" not in body
    assert "1 theme is held back: fewer than 3 members support it." in body
    world.sponsor_body.theme_threshold = 2
    world.sponsor_body.save()
    body = client.get(_url(world)).content.decode()
    assert "Leading through restructure" in body
    assert "at least 2 members" in body


def test_themes_across_sets_add_up_distinct_members(client, world):
    other = make_set(world.org, world.facilitator, "Second set", sponsor=world.sponsor_body)
    add_members(other, [make_user(f"s{i}@client.example") for i in range(4)])
    release(world.set_a, [("Difficult conversations", 2)])
    release(other, [("Difficult conversations", 2)])
    client.force_login(world.sponsor)
    body = client.get(_url(world)).content.decode()
    assert "Difficult conversations" in body
    assert "in 2 sets, at least 4 members" in body


def test_a_person_in_two_sets_is_counted_once(client, world):
    """Support could be the same person in both sets, so 2 + 2 with one shared member is
    counted as 3 (never overstated); at k=4 it is held back."""
    other = make_set(world.org, world.facilitator, "Second set", sponsor=world.sponsor_body)
    add_members(other, [world.member, make_user("s1@client.example")])
    release(world.set_a, [("Difficult conversations", 2)])
    release(other, [("Difficult conversations", 2)])
    world.sponsor_body.theme_threshold = 4
    world.sponsor_body.save()
    client.force_login(world.sponsor)
    body = client.get(_url(world)).content.decode()
    assert "Difficult conversations" not in body
    world.sponsor_body.theme_threshold = 3
    world.sponsor_body.save()
    body = client.get(_url(world)).content.decode()
    assert "in 2 sets, at least 3 members" in body


def test_only_the_latest_released_version_counts(client, world):
    release(world.set_a, [("Old wording of a theme", 4)], number=1)
    release(world.set_a, [("Managing upwards", 4)], number=2)
    client.force_login(world.sponsor)
    body = client.get(_url(world)).content.decode()
    assert "Managing upwards" in body and "Old wording of a theme" not in body
    assert "Version 2" in body


def test_drafts_never_reach_the_programme(client, world):
    from revans.reports.models import ReportTheme, SetReport

    report = SetReport.objects.create(learning_set=world.set_a)
    ReportTheme.objects.create(report=report, label="Draft only theme")
    client.force_login(world.sponsor)
    assert "Draft only theme" not in client.get(_url(world)).content.decode()


@pytest.mark.parametrize("name", ["report", "csv", "pdf"])
def test_queries_do_not_grow_with_the_number_of_sets(client, world, name):
    release(world.set_a, [("Difficult conversations", 3)])
    client.force_login(world.sponsor)
    small, response = count_queries(client, "get", _url(world, name))
    assert response.status_code == 200
    for learning_set in grow_programme(world, 8)[1:]:
        release(learning_set, [("Difficult conversations", 3), ("Managing upwards", 2)])
    large, response = count_queries(client, "get", _url(world, name))
    assert response.status_code == 200
    assert large == small


def pdf_text(content: bytes) -> str:
    """The text of a PDF, as poppler's pdftotext reads it."""
    import shutil
    import subprocess

    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed to read PDFs"
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    # Table cells wrap: compare with whitespace collapsed.
    return " ".join(result.stdout.decode().split())


@pytest.mark.parametrize("persona", PERSONAS)
def test_pdf_for_each_persona(client, world, persona):
    release(world.set_a, [("Difficult conversations", 3)])
    sign_in_as(client, world, persona)
    response = client.get(_url(world, "pdf"))
    if persona not in READERS:
        assert_refused(response, world, persona, also_hidden=_hidden(world))
        return
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Programme report: Client Council" in text
    assert world.set_a.name in text and "Difficult conversations" in text
    for member in world.members:
        assert member.full_name not in text


def test_released_themes_without_counts_take_their_reports_threshold(client, world):
    """The reports app's snapshots carry no support count: a released theme is counted at
    the least support its report allowed (its min_support), never more."""
    from revans.programmes.crossset import released_themes

    snapshot = {"min_support": 3, "themes": [{"label": "Managing upwards", "narrative": ""}]}
    (theme,) = released_themes(world.set_a.pk, snapshot)
    assert theme.support == 3 and theme.supporters is None
    snapshot["min_support"] = 1  # never trusted below 2
    assert released_themes(world.set_a.pk, snapshot)[0].support == 2


def test_a_real_release_reaches_the_programme(client, world):
    from revans.reports import actions
    from revans.reports.models import ReportTheme

    report = actions.do_start_report(world.set_a, actor=world.facilitator)
    ReportTheme.objects.create(report=report, label="Leading through change")
    actions.do_share_draft(report)
    version = actions.do_release(report, actor=world.facilitator)
    client.force_login(world.sponsor)
    body = client.get(_url(world)).content.decode()
    assert "Version 1" in body
    assert reverse("reports:version", args=[world.set_a.pk, version.number]) in body


def test_linked_from_the_sponsors_home_and_the_admins_organisation_page(client, world):
    url = _url(world)
    client.force_login(world.sponsor)
    assert url in client.get(reverse("home:home")).content.decode()
    client.force_login(world.admin)
    assert (
        url in client.get(reverse("organisations:detail", args=[world.org.slug])).content.decode()
    )
    sponsor_page = reverse(
        "organisations:sponsor_detail", args=[world.org.slug, world.sponsor_body.pk]
    )
    assert url in client.get(sponsor_page).content.decode()
    # Facilitators read their own sets' reports, not the sponsor's programme.
    client.force_login(world.facilitator)
    assert (
        url
        not in client.get(reverse("organisations:detail", args=[world.org.slug])).content.decode()
    )
