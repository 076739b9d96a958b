"""Creating a set, changing its settings and contract, and moving it through its stages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from revans.meetings import actions as meeting_actions
from revans.organisations.models import OrganisationMembership
from revans.sets.actions.common import (
    is_org_facilitator,
    locked_set,
    normalise_text,
    refuse_if_archived,
)
from revans.sets.models import LearningSet
from revans.sets.rules import (
    SetActionRefused,
    current_member_count,
    is_valid_time_zone,
    member_limit_errors,
)

# What the create and edit forms may change on a set.
EDITABLE_FIELDS = (
    "name",
    "cohort",
    "sponsor",
    "min_members",
    "max_members",
    "default_format",
    "time_zone",
    "location",
    "online_link",
    "meeting_count",
    "cadence",
    "cadence_weeks",
    "duration_minutes",
    "ground_rules",
    "confidentiality_agreement",
)
AGREEMENT_FIELDS = ("ground_rules", "confidentiality_agreement")
# Momentum calls between meetings: changed only when the values carry them (a form that
# predates them, or a script, leaves them as they are).
CALL_FIELDS = (
    "momentum_calls",
    "momentum_call_percent",
    # The sponsor's report: attendance per person only where the set agreed to it.
    "report_attendance_per_person",
)


def _check_values(learning_set: LearningSet, values: Mapping) -> None:
    limit_errors = member_limit_errors(values["min_members"], values["max_members"])
    if limit_errors:
        field_name, message = next(iter(limit_errors.items()))
        raise SetActionRefused(message, field_name)
    if not is_valid_time_zone(values["time_zone"]):
        raise SetActionRefused(_("Choose a time zone from the list."), "time_zone")
    sponsor = values.get("sponsor")
    if sponsor is not None and sponsor.organisation_id != learning_set.organisation_id:
        raise SetActionRefused(_("Choose one of the organisation's sponsors."), "sponsor")


def _apply_values(learning_set: LearningSet, values: Mapping) -> None:
    for name in EDITABLE_FIELDS:
        value = values[name]
        if name in AGREEMENT_FIELDS:
            value = normalise_text(value)
        setattr(learning_set, name, value)
    for name in CALL_FIELDS:
        if values.get(name) is not None:
            setattr(learning_set, name, values[name])
    try:
        learning_set.full_clean(exclude=["organisation", "facilitator"])
    except ValidationError as error:
        field_name, messages = next(iter(error.message_dict.items()))
        raise SetActionRefused(messages[0], field_name) from error


@transaction.atomic
def do_create_set(
    *,
    actor,
    organisation,
    values: Mapping,
    facilitator=None,
    self_managed: bool = False,
    first_start_local: dt.datetime | None = None,
    custom_dates: list[dt.date] | None = None,
) -> LearningSet:
    """Create a set in `organisation`; with a first start, its schedule is generated at once.

    A self-managed set has no external facilitator. A member takes on the duties later;
    until then they stay with the creator, unless the creator is an organisation admin
    (admins manage every set of the organisation anyway).
    """
    staff = OrganisationMembership.objects.filter(organisation=organisation, user=actor).first()
    if staff is None or not (staff.is_admin or staff.is_facilitator):
        raise SetActionRefused(_("Only the organisation's admins and facilitators create sets."))
    learning_set = LearningSet(organisation=organisation, self_managed=self_managed)
    if self_managed:
        learning_set.facilitator = None if staff.is_admin else actor
    else:
        if facilitator is None or not is_org_facilitator(organisation, facilitator):
            raise SetActionRefused(
                _("Choose one of the organisation's facilitators."), "facilitator"
            )
        learning_set.facilitator = facilitator
    values = dict(values)
    if custom_dates:
        if first_start_local is None:
            raise SetActionRefused(_("Enter the time the meetings start."), "start_time")
        values["cadence"] = LearningSet.Cadence.CUSTOM
        values["meeting_count"] = len(custom_dates)
    _check_values(learning_set, values)
    _apply_values(learning_set, values)
    learning_set.save()
    if first_start_local is not None:
        try:
            meeting_actions.do_generate_schedule(
                learning_set,
                first_start_local=first_start_local,
                custom_dates=custom_dates,
                actor=actor,
            )
        except ValueError as error:
            # Raising here undoes the whole creation: no set without the schedule asked for.
            raise SetActionRefused(str(error), "first_date") from error
    return learning_set


@transaction.atomic
def do_update_set(learning_set: LearningSet, *, actor, values: Mapping) -> bool:
    """Change the set's settings and contract. Returns True if the agreement text changed,
    in which case its version goes up and every member must accept it again."""
    learning_set = locked_set(learning_set)
    refuse_if_archived(learning_set)
    _check_values(learning_set, values)
    members = current_member_count(learning_set)
    if values["max_members"] < members:
        raise SetActionRefused(
            ngettext(
                "The set has %(count)s member now, so the maximum cannot be lower than that.",
                "The set has %(count)s members now, so the maximum cannot be lower than that.",
                members,
            )
            % {"count": members},
            "max_members",
        )
    before = {name: normalise_text(getattr(learning_set, name)) for name in AGREEMENT_FIELDS}
    zone_before = learning_set.time_zone
    _apply_values(learning_set, values)
    agreement_changed = any(
        getattr(learning_set, name) != before[name] for name in AGREEMENT_FIELDS
    )
    if agreement_changed:
        learning_set.agreement_version += 1
    learning_set.save()
    if learning_set.time_zone != zone_before:
        # Reminders go at the meeting's time of day on the set's clock: a new clock, new times.
        from revans.notifications.scheduling import schedule_set

        schedule_set(learning_set)
    return agreement_changed


# transition -> (statuses it may start from, new status)
STATUS_TRANSITIONS = {
    "activate": ((LearningSet.Status.FORMING,), LearningSet.Status.ACTIVE),
    "complete": ((LearningSet.Status.ACTIVE,), LearningSet.Status.COMPLETED),
}


@transaction.atomic
def do_change_status(learning_set: LearningSet, *, actor, transition: str) -> LearningSet:
    """forming -> active -> completed; archive and unarchive at any stage."""
    learning_set = locked_set(learning_set)
    if transition == "unarchive":
        if not learning_set.is_archived:
            raise SetActionRefused(_("This set is not archived."))
        learning_set.archived_at = None
    elif transition == "archive":
        refuse_if_archived(learning_set)
        learning_set.archived_at = timezone.now()
    elif transition in STATUS_TRANSITIONS:
        refuse_if_archived(learning_set)
        allowed_from, new_status = STATUS_TRANSITIONS[transition]
        if learning_set.status not in allowed_from:
            raise SetActionRefused(
                _("A set that is %(status)s cannot become %(new)s.")
                % {
                    "status": learning_set.get_status_display().lower(),
                    "new": new_status.label.lower(),
                }
            )
        learning_set.status = new_status
    else:
        raise SetActionRefused(_("Unknown change of status."))
    learning_set.save(update_fields=["status", "archived_at"])
    return learning_set
