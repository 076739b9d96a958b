"""Who may see or change a set's report: the one place these rules live.

- The draft, its evidence and every concern: the set's facilitator (or the member holding the
  facilitator duties in a self-managed set). Not organisation admins, not the sponsor.
- The draft as the sponsor would read it, and their own concerns: the set's current members,
  once the facilitator has shared it.
- Released versions: the sponsor, the organisation's admins, and the set's facilitator and
  members. Everyone else gets a 404 that does not say the set exists.
"""

from __future__ import annotations

from django.http import Http404

from revans.reports.models import ReleasedVersion, ReportConcern, ReportTheme, SetReport
from revans.sets.access import Need, SetRole, access_set_for_user


def access_draft_for_user(user, set_id: int) -> SetRole:
    """The facilitator (edit) or a current member (read, concerns)."""
    return access_set_for_user(user, set_id, Need.INSIDE)


def access_report_to_edit(user, set_id: int) -> SetRole:
    role = access_set_for_user(user, set_id, Need.INSIDE)
    if not role.is_facilitator:
        raise Http404
    return role


def existing_report(role: SetRole) -> SetReport:
    report = SetReport.objects.filter(learning_set=role.learning_set).first()
    if report is None:
        raise Http404
    report.learning_set = role.learning_set
    return report


def access_theme_for_user(user, set_id: int, theme_id: int) -> tuple[SetRole, ReportTheme]:
    role = access_report_to_edit(user, set_id)
    theme = ReportTheme.objects.filter(pk=theme_id, report__learning_set=role.learning_set).first()
    if theme is None:
        raise Http404
    theme.report.learning_set = role.learning_set
    return role, theme


def access_concern_to_resolve(user, set_id: int, concern_id: int):
    role = access_report_to_edit(user, set_id)
    concern = (
        ReportConcern.objects.select_related("report")
        .filter(pk=concern_id, report__learning_set=role.learning_set)
        .first()
    )
    if concern is None:
        raise Http404
    concern.report.learning_set = role.learning_set
    return role, concern


def access_released_for_user(user, set_id: int) -> SetRole:
    """Released versions: the sponsor, organisation admins, and people inside the set."""
    return access_set_for_user(user, set_id, Need.SCHEDULE)


def access_version_for_user(user, set_id: int, number: int) -> tuple[SetRole, ReleasedVersion]:
    role = access_released_for_user(user, set_id)
    version = ReleasedVersion.objects.filter(learning_set=role.learning_set, number=number).first()
    if version is None:
        raise Http404
    return role, version
