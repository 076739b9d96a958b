"""Released versions: the page, the PDF and the figures as CSV. They read only the stored
snapshot, so a version reads the same for ever."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from revans.reports import exports, queries
from revans.reports.access import access_released_for_user, access_version_for_user


@login_required
def versions(request, set_id: int):
    role = access_released_for_user(request.user, set_id)
    return render(
        request,
        "reports/versions.html",
        {
            "learning_set": role.learning_set,
            "role": role,
            "tab": "report",
            "versions": queries.versions_of(role.learning_set),
        },
    )


@login_required
def version(request, set_id: int, number: int):
    role, released = access_version_for_user(request.user, set_id, number)
    context = exports.version_context(released)
    context.update(learning_set=role.learning_set, role=role, tab="report")
    return render(request, "reports/version.html", context)


def _filename(released, extension: str) -> str:
    name = slugify(released.snapshot["set"]["name"]) or "set"
    return f"report-{name}-v{released.number}.{extension}"


@login_required
def version_pdf(request, set_id: int, number: int):
    _role, released = access_version_for_user(request.user, set_id, number)
    response = HttpResponse(exports.version_pdf(released), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(released, "pdf")}"'
    return response


@login_required
def version_csv(request, set_id: int, number: int):
    _role, released = access_version_for_user(request.user, set_id, number)
    response = HttpResponse(
        exports.figures_csv(released.snapshot), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(released, "csv")}"'
    return response
