"""A released version as CSV (its figures) and as PDF (WeasyPrint, from the page's template).

Both read only the version's snapshot: what the members could read before release, nothing
newer and nothing more.
"""

from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from revans.core.pdf import html_to_pdf
from revans.reports.charts import charts_for


def figures_csv(snapshot: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("section"), _("measure"), _("meeting"), _("date"), _("value")])
    figures, withheld = snapshot["figures"], snapshot["withheld_sections"]

    def row(section, measure, value, meeting="", date=""):
        if section not in withheld and value is not None:
            writer.writerow([section, measure, meeting, date, value])

    row("meetings", "meetings_planned", figures["meetings_planned"])
    row("meetings", "meetings_held", figures["meetings_held"])
    row("meetings", "meetings_cancelled", figures["meetings_cancelled"])
    row("attendance", "attendance_rate_percent", figures["attendance_rate"])
    for m in figures["meetings"]:
        row("attendance", "attendance_rate_percent", m["attendance_rate"], m["number"], m["date"])
        row("attendance", "present", m["present"], m["number"], m["date"])
        row("attendance", "recorded", m["recorded"], m["number"], m["date"])
    for person in figures.get("attendance_per_person") or []:
        row("attendance", f"attended: {person['name']}", person["attended"])
    row("commitments", "commitments_made", figures["commitments_made"])
    row("commitments", "commitments_completed", figures["commitments_completed"])
    row("commitments", "commitments_dropped", figures["commitments_dropped"])
    row("commitments", "commitments_open", figures["commitments_open"])
    for m in figures["meetings"]:
        row("commitments", "made_at_meeting", m["commitments_made"], m["number"], m["date"])
        row("commitments", "completed_of_those", m["commitments_completed"], m["number"], m["date"])
    for m in figures["meetings"]:
        row("process_review", "average_score", m["review_average"], m["number"], m["date"])
    row("airtime", "members", figures["members"])
    row("airtime", "evenness", figures["airtime_evenness"])
    row("airtime", "members_who_presented", figures["members_who_presented"])
    for rank, share in enumerate(figures["airtime_shares"], start=1):
        row("airtime", f"share_percent_rank_{rank}", share)
    return out.getvalue()


def version_context(version) -> dict:
    snapshot = version.snapshot
    return {
        "snapshot": snapshot,
        "version": version,
        "charts": charts_for(snapshot["figures"], snapshot["withheld_sections"]),
    }


def version_pdf(version) -> bytes:
    return html_to_pdf(render_to_string("reports/pdf.html", version_context(version)))
