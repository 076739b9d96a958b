"""Programme report at scale: a sponsor's programme of 500 sets and 3,000 meetings, then the
time to render its programme report page, its PDF, and one set report's PDF.

    uv run python bench/report.py [--sets 500] [--meetings 6] [--members 6] [--runs 7]
                                  [--pdf-runs 3] [--services]

Everything runs in this process through Django's test Client, on a throwaway database: a
temporary SQLite file by default, or with --services (or DATABASE_URL set) a throwaway
PostgreSQL database, dropped afterwards (as bench/live_meeting.py does). The data is
bulk-created with realistic volumes: every member of every meeting has an attendance row, a
process review rating, a commitment and timed turns; every set has a released report.
Prints JSON; targets: page under 2 s, PDF under 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

PAGE_TARGET_S = 2.0
PDF_TARGET_S = 5.0

THEME_LABELS = [
    "Leading through restructure",
    "Difficult conversations",
    "Managing upwards",
    "Workload and prioritisation",
    "Building trust in a new team",
    "Delegation",
    "Handling conflict between colleagues",
    "Influencing without authority",
    "Managing performance",
    "Wellbeing and resilience",
    "Working across departments",
    "Leading change",
    "Budget pressures",
    "Stakeholder engagement",
    "Recruitment and retention",
    "Developing my team",
    "Time for strategic thinking",
    "Difficult conversation with a manager",
    "Restructuring the service",
    "Imposter syndrome",
]


def build(n_sets: int, per_set: int, n_members: int, seed: int = 5) -> dict:
    """Create the programme; returns ids and counts."""
    from django.core.management import call_command
    from django.utils import timezone

    from revans.accounts.models import User
    from revans.commitments.models import Commitment
    from revans.live.models import AgendaItem, LiveMeeting, ProcessRating, TurnOrder
    from revans.meetings.models import Attendance, Meeting
    from revans.organisations.models import (
        Organisation,
        OrganisationMembership,
        Sponsor,
        SponsorContact,
    )
    from revans.reports.figures import figures_for_sets
    from revans.reports.models import ReleasedVersion, SetReport
    from revans.sets import defaults
    from revans.sets.models import LearningSet, SetMembership

    rng = random.Random(seed)
    call_command("migrate", verbosity=0, interactive=False)
    now = timezone.now()
    org = Organisation.objects.create(name="County Council L&D", slug="county", kind="in_house")
    sponsor = Sponsor.objects.create(
        organisation=org, name="Adult Social Care", cost_per_set=1800, currency="GBP"
    )
    contact = User.objects.create_user("sponsor@bench.example", None, full_name="Sam Sponsor")
    admin = User.objects.create_user("admin@bench.example", None, full_name="Ada Admin")
    SponsorContact.objects.create(sponsor=sponsor, user=contact)
    OrganisationMembership.objects.create(organisation=org, user=admin, is_admin=True)

    n_facilitators = max(1, n_sets // 10)
    facilitators = User.objects.bulk_create(
        User(email=f"fac{i}@bench.example", full_name=f"Facilitator {i}", password="!")
        for i in range(n_facilitators)
    )
    OrganisationMembership.objects.bulk_create(
        OrganisationMembership(organisation=org, user=f, is_facilitator=True) for f in facilitators
    )
    sets = LearningSet.objects.bulk_create(
        LearningSet(
            organisation=org,
            sponsor=sponsor,
            facilitator=facilitators[i % n_facilitators],
            name=f"Set {i:03d}",
            cohort=f"Cohort {i // 50 + 1}",
            time_zone="Europe/London",
            ground_rules=str(defaults.DEFAULT_GROUND_RULES),
            confidentiality_agreement=str(defaults.DEFAULT_CONFIDENTIALITY),
            meeting_count=per_set,
            status=LearningSet.Status.ACTIVE,
        )
        for i in range(n_sets)
    )
    members = User.objects.bulk_create(
        User(email=f"m{s}-{j}@bench.example", full_name=f"Member {s}-{j}", password="!")
        for s in range(n_sets)
        for j in range(n_members)
    )
    by_set = {s.pk: members[i * n_members : (i + 1) * n_members] for i, s in enumerate(sets)}
    SetMembership.objects.bulk_create(
        SetMembership(
            learning_set=s,
            user=u,
            agreement_accepted_at=now,
            agreement_version_accepted=s.agreement_version,
        )
        for s in sets
        for u in by_set[s.pk]
    )
    first = now - dt.timedelta(days=28 * per_set + 7)
    meetings = Meeting.objects.bulk_create(
        Meeting(
            learning_set=s,
            starts_at=first + dt.timedelta(days=28 * k, minutes=rng.randrange(0, 600)),
            duration_minutes=180,
            format="open",
            attendance_recorded_at=first + dt.timedelta(days=28 * k, hours=4),
        )
        for s in sets
        for k in range(per_set)
    )
    set_of = {m.pk: m.learning_set_id for m in meetings}
    present = {(m.pk, u.pk): rng.random() < 0.85 for m in meetings for u in by_set[set_of[m.pk]]}
    Attendance.objects.bulk_create(
        (
            Attendance(meeting_id=m, user_id=u, attended=attended, recorded_at=now)
            for (m, u), attended in present.items()
        ),
        batch_size=5000,
    )
    lives = LiveMeeting.objects.bulk_create(
        LiveMeeting(
            meeting=m,
            status=LiveMeeting.Status.ENDED,
            issue_holder_1=rng.choice(by_set[set_of[m.pk]]),
            opened_at=m.starts_at,
            started_at=m.starts_at,
            ended_at=m.starts_at + dt.timedelta(hours=3),
        )
        for m in meetings
    )
    # The eight rounds with one issue holder: (round, issue slot, minutes).
    rounds = [(1, 0, 10), (2, 0, 10), (3, 0, 5), (4, 1, 10), (5, 1, 35), (6, 1, 10)]
    rounds += [(7, 1, 5), (8, 0, 10)]
    items = AgendaItem.objects.bulk_create(
        (
            AgendaItem(live_meeting=live, position=p, round=r, issue_slot=slot, minutes=minutes)
            for live in lives
            for p, (r, slot, minutes) in enumerate(rounds)
        ),
        batch_size=5000,
    )
    TurnOrder.objects.bulk_create(
        (
            TurnOrder(
                live_meeting_id=item.live_meeting_id,
                agenda_item=item,
                round=item.round,
                user=u,
                order=k,
                spoken_seconds=rng.randrange(30, 180),
            )
            for item in items
            if item.round in (1, 2, 6)
            for k, u in enumerate(by_set[set_of[item.live_meeting.meeting_id]])
        ),
        batch_size=5000,
    )
    ProcessRating.objects.bulk_create(
        (
            ProcessRating(
                live_meeting=live,
                user=u,
                score=min(10, max(1, round(rng.gauss(6 + k / 2, 1.2)))),
                went_well="",
            )
            for k_live, live in enumerate(lives)
            for k in [k_live % per_set]
            for u in by_set[set_of[live.meeting_id]]
            if present[(live.meeting_id, u.pk)]
        ),
        batch_size=5000,
    )
    statuses = ["done"] * 12 + ["in_progress"] * 4 + ["open"] * 3 + ["dropped"]
    Commitment.objects.bulk_create(
        (
            Commitment(
                learning_set_id=set_of[m.pk],
                owner=u,
                meeting=m,
                what="A commitment",
                due_on=(m.starts_at + dt.timedelta(days=28)).date(),
                status=rng.choice(statuses),
            )
            for m in meetings
            for u in by_set[set_of[m.pk]]
        ),
        batch_size=5000,
    )
    # Every set's report released once, with 3 to 6 themes drawn from a shared pool.
    reports = SetReport.objects.bulk_create(
        SetReport(learning_set=s, shared_at=now)
        if hasattr(SetReport, "shared_at")
        else SetReport(learning_set=s)
        for s in sets
    )
    figures = figures_for_sets(sets)
    names = {s.pk: s.name for s in sets}
    ReleasedVersion.objects.bulk_create(
        ReleasedVersion(
            report=r,
            learning_set_id=r.learning_set_id,
            number=1,
            report_revision=1,
            released_by=facilitators[0],
            # The shape reports.rules.sponsor_snapshot writes.
            snapshot={
                "set": {
                    "name": names[r.learning_set_id],
                    "cohort": "",
                    "organisation": org.name,
                    "sponsor": sponsor.name,
                },
                "min_support": 3,
                "withheld_sections": [],
                "figures": {k: v for k, v in figures[r.learning_set_id].items() if k != "set_id"},
                "introduction": "An introduction from the facilitator.",
                "themes": [
                    {"label": label, "narrative": "A narrative.", "support": rng.randint(3, 5)}
                    for label in rng.sample(THEME_LABELS, rng.randint(3, 6))
                ],
            },
        )
        for r in reports
    )
    return {
        "sponsor": sponsor,
        "contact": contact,
        "set_id": sets[0].pk,
        "counts": {
            "sets": len(sets),
            "meetings": len(meetings),
            "members": len(members),
            "attendance_rows": len(present),
            "commitments": len(meetings) * n_members,
            "released_reports": len(reports),
        },
    }


def timed(client, url: str, runs: int, content_type: str) -> dict:
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        elapsed = time.perf_counter() - start
        cpu.append(time.process_time() - start_cpu)
        assert response.status_code == 200, (url, response.status_code)
        assert response["Content-Type"].startswith(content_type), response["Content-Type"]
        times.append(elapsed)
    return {
        "runs": runs,
        "p50_s": round(statistics.median(times), 3),
        "max_s": round(max(times), 3),
        # This process's CPU time (the database runs in it too with SQLite): less disturbed
        # than wall time when other work shares the machine's cores.
        "cpu_p50_s": round(statistics.median(cpu), 3),
        "bytes": len(response.content),
    }


def profile(client, *urls: str) -> None:
    """Where the time goes (to stderr): the 25 costliest functions of one request each."""
    import cProfile
    import pstats

    for url in urls:
        profiler = cProfile.Profile()
        profiler.runcall(client.get, url)
        print(f"--- {url}", file=sys.stderr)
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(15)


def set_report_pdf_url(set_id: int) -> str | None:
    """The released set report's PDF, if the reports app has one."""
    from django.urls import NoReverseMatch, reverse

    from revans.reports.models import ReleasedVersion

    version = ReleasedVersion.objects.filter(learning_set_id=set_id).first()
    for name, args in (
        ("reports:version_pdf", [set_id, version.number]),
        ("reports:pdf", [set_id, version.number]),
        ("reports:pdf", [set_id]),
    ):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


def run(args) -> dict:
    import logging

    import django

    django.setup()
    # WeasyPrint logs every step at INFO: keep stdout to the JSON.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    started = time.perf_counter()
    data = build(args.sets, args.meetings, args.members)
    build_s = time.perf_counter() - started
    client = Client()
    client.force_login(data["contact"])
    slug, sponsor_id = data["sponsor"].organisation.slug, data["sponsor"].pk
    page = reverse("programmes:report", args=[slug, sponsor_id])
    client.get(page)  # warm: templates compiled, connections open
    # The process's first PDF also loads fonts (fontconfig, Pango): timed apart, once.
    pdf_url = reverse("programmes:pdf", args=[slug, sponsor_id])
    cold = time.perf_counter()
    client.get(pdf_url)
    first_pdf_s = time.perf_counter() - cold
    result = {
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        **data["counts"],
        "build_s": round(build_s, 1),
        "first_pdf_in_process_s": round(first_pdf_s, 3),
        "programme_page": timed(client, page, args.runs, "text/html"),
        "programme_csv": timed(
            client, reverse("programmes:csv", args=[slug, sponsor_id]), args.runs, "text/csv"
        ),
        "programme_pdf": timed(client, pdf_url, args.pdf_runs, "application/pdf"),
    }
    if args.profile:
        profile(client, page, reverse("programmes:pdf", args=[slug, sponsor_id]))
    set_pdf = set_report_pdf_url(data["set_id"])
    if set_pdf is not None:
        result["set_report_pdf"] = timed(client, set_pdf, args.pdf_runs, "application/pdf")
    result["targets"] = {"page_s": PAGE_TARGET_S, "pdf_s": PDF_TARGET_S}
    pdfs = [result["programme_pdf"]] + ([result["set_report_pdf"]] if set_pdf else [])
    result["within_targets"] = result["programme_page"]["max_s"] < PAGE_TARGET_S and all(
        p["max_s"] < PDF_TARGET_S for p in pdfs
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", type=int, default=500)
    parser.add_argument("--meetings", type=int, default=6, help="meetings per set")
    parser.add_argument("--members", type=int, default=6, help="members per set")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pdf-runs", type=int, default=3)
    parser.add_argument("--services", action="store_true")
    parser.add_argument("--profile", action="store_true", help="profile to stderr")
    args = parser.parse_args()
    args.services = args.services or bool(os.environ.get("DATABASE_URL"))
    os.environ["BENCH_BASE_DATABASE_URL"] = os.environ.get("DATABASE_URL") or ""
    from live_meeting import PG_DEFAULT, drop_database, setup_environment

    os.environ["BENCH_BASE_DATABASE_URL"] = os.environ.get("DATABASE_URL") or PG_DEFAULT
    with tempfile.TemporaryDirectory(prefix="revans-bench-report-") as tmp:
        _env, pg_name = setup_environment(args, Path(tmp))
        try:
            result = run(args)
        finally:
            if pg_name:
                from django.db import connections

                connections.close_all()
                drop_database(pg_name)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
