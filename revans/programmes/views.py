"""The programme report for a sponsor: parse input, call access and actions, render."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from revans.core.pdf import html_to_pdf
from revans.organisations import actions
from revans.organisations.actions import OrganisationActionRefused
from revans.organisations.currencies import format_money
from revans.organisations.forms import ProgrammeTermsForm
from revans.programmes.access import ProgrammeAccess, access_programme_for_user
from revans.programmes.queries import programme_report

# Beyond this many sets the PDF gives figures by cohort and leaves each set's row to the page
# and the CSV: a table of hundreds of rows is unreadable on paper, and WeasyPrint takes over
# ten seconds to lay out 500 of them (bench/report.py).
PDF_SET_ROWS = 60


def _context(access: ProgrammeAccess) -> dict:
    programme = programme_report(access.sponsor)
    cost = programme.cost
    return {
        "access": access,
        "sponsor": access.sponsor,
        "organisation": access.organisation,
        "programme": programme,
        "cost_per_set": format_money(cost.per_set, cost.currency),
        "cost_total": format_money(cost.total, cost.currency),
        "cost_per_participant": format_money(cost.per_participant, cost.currency),
        "generated_at": timezone.now(),
    }


@login_required
def report(request, slug, sponsor_id):
    access = access_programme_for_user(request.user, slug, sponsor_id)
    return render(request, "programmes/report.html", _context(access))


@login_required
def report_pdf(request, slug, sponsor_id):
    access = access_programme_for_user(request.user, slug, sponsor_id)
    context = {**_context(access), "per_set_limit": PDF_SET_ROWS}
    html = render_to_string("programmes/report_pdf.html", context, request=request)
    response = HttpResponse(html_to_pdf(html, request), content_type="application/pdf")
    name = slugify(access.sponsor.name) or "programme"
    response["Content-Disposition"] = f'attachment; filename="{name}-programme.pdf"'
    return response


@login_required
def report_csv(request, slug, sponsor_id):
    access = access_programme_for_user(request.user, slug, sponsor_id)
    programme = programme_report(access.sponsor)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(access.sponsor.name) or "programme"
    response["Content-Disposition"] = f'attachment; filename="{name}-programme.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Set"),
            _("Meetings planned"),
            _("Meetings held"),
            _("Meetings cancelled"),
            _("Members"),
            _("Attendance rate (%)"),
            _("Commitments made"),
            _("Commitments completed"),
            _("Process review, first"),
            _("Process review, latest"),
            _("Airtime evenness"),
            _("Report released"),
        ]
    )
    for row in programme.rows:
        f = row.figures
        writer.writerow(
            [
                _csv_text(row.learning_set.name),
                f["meetings_planned"],
                f["meetings_held"],
                f["meetings_cancelled"],
                f["members"],
                _blank(f["attendance_rate"]),
                f["commitments_made"],
                f["commitments_completed"],
                _blank(f["review_first"]),
                _blank(f["review_last"]),
                _blank(f["airtime_evenness"]),
                _blank(row.released_number),
            ]
        )
    t = programme.totals
    writer.writerow(
        [
            _("All sets"),
            t.meetings_planned,
            t.meetings_held,
            t.meetings_cancelled,
            t.participants,
            _blank(t.attendance_rate),
            t.commitments_made,
            t.commitments_completed,
            _blank(t.review_first),
            _blank(t.review_last),
            "",
            t.reports_released,
        ]
    )
    return response


def _blank(value) -> str:
    return "" if value is None else str(value)


def _csv_text(text: str) -> str:
    # A leading =, +, - or @ makes a spreadsheet run the cell as a formula.
    return f"'{text}" if text[:1] in "=+-@" else text


@login_required
def terms(request, slug, sponsor_id):
    access = access_programme_for_user(request.user, slug, sponsor_id, admin_only=True)
    sponsor = access.sponsor
    form = ProgrammeTermsForm(
        initial={
            "cost_per_set": sponsor.cost_per_set,
            "currency": sponsor.currency,
            "theme_threshold": sponsor.theme_threshold,
        }
    )
    if request.method == "POST":
        form = ProgrammeTermsForm(request.POST)
        if form.is_valid():
            try:
                actions.do_set_programme_terms(
                    sponsor=sponsor,
                    actor=request.user,
                    cost_per_set=form.cleaned_data["cost_per_set"],
                    currency=form.cleaned_data["currency"],
                    theme_threshold=form.cleaned_data["theme_threshold"],
                )
            except OrganisationActionRefused as refusal:
                form.add_refusal(refusal)
            else:
                messages.success(request, _("The programme's cost and threshold are saved."))
                return redirect("programmes:report", slug, sponsor.pk)
    return render(
        request,
        "programmes/terms.html",
        {"access": access, "sponsor": sponsor, "organisation": access.organisation, "form": form},
    )
