"""Building programmes for the tests: sets of a sponsor with members, held meetings and
released reports."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from revans.meetings.models import Attendance
from revans.reports.models import ReleasedVersion, SetReport
from revans.testing import add_members, make_meetings, make_set, make_user


def grow_programme(world, total_sets: int, members_per_set: int = 6) -> list:
    """Give the world's sponsor `total_sets` sets (set A included), each with members and two
    held meetings with attendance."""
    sets = [world.set_a]
    existing = world.sponsor_body.sets.count()
    for i in range(existing, total_sets):
        learning_set = make_set(
            world.org, world.facilitator, f"Programme set {i}", sponsor=world.sponsor_body
        )
        members = [
            make_user(f"p{i}-{j}@client.example", f"P{i} Member{j}") for j in range(members_per_set)
        ]
        add_members(learning_set, members)
        first = timezone.now() - dt.timedelta(days=60)
        for meeting in make_meetings(learning_set, 2, first=first):
            Attendance.objects.bulk_create(
                Attendance(meeting=meeting, user=u, attended=k % 3 != 0)
                for k, u in enumerate(members)
            )
        sets.append(learning_set)
    return sets


def release(learning_set, themes: list[tuple[str, int]], min_support: int = 2, number=None):
    """A released report of the set showing `themes` ((label, support) pairs)."""
    report, _ = SetReport.objects.get_or_create(
        learning_set=learning_set, defaults={"min_support": min_support}
    )
    number = number or report.versions.count() + 1
    return ReleasedVersion.objects.create(
        report=report,
        learning_set=learning_set,
        number=number,
        report_revision=1,
        snapshot={
            "min_support": min_support,
            "themes": [{"label": label, "narrative": "", "support": n} for label, n in themes],
        },
    )
