"""The rules a set's settings follow, shared by forms (to explain) and actions (to enforce)."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from revans.sets import defaults
from revans.sets.models import Invitation, LearningSet, SetMembership

FALLBACK_TIME_ZONE = "Europe/London"
# Aliases and system entries that only confuse a list people pick from.
_HIDDEN_ZONE_PREFIXES = ("Etc/", "SystemV/", "posix/", "right/")


class SetActionRefused(Exception):
    """An action that cannot be done, with a message for the person (and the form field)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@cache
def time_zone_names() -> tuple[str, ...]:
    names = [
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(_HIDDEN_ZONE_PREFIXES)
    ]
    return tuple(sorted([*names, "UTC"]))


def is_valid_time_zone(name: str) -> bool:
    if not name or name in {"localtime", "Factory"}:
        return False
    return name in zoneinfo.available_timezones()


def most_used_time_zone(organisation) -> str:
    row = (
        LearningSet.objects.filter(organisation=organisation)
        .values("time_zone")
        .annotate(n=Count("id"))
        .order_by("-n", "time_zone")
        .first()
    )
    if row and is_valid_time_zone(row["time_zone"]):
        return row["time_zone"]
    return FALLBACK_TIME_ZONE


def member_limit_errors(min_members: int, max_members: int) -> dict[str, str]:
    """Hard limits: a field name -> message for every limit broken."""
    errors = {}
    low, high = defaults.ALLOWED_MIN_MEMBERS, defaults.ALLOWED_MAX_MEMBERS
    for field, value in (("min_members", min_members), ("max_members", max_members)):
        if value < low:
            errors[field] = _("A set needs at least %(n)s members.") % {"n": low}
        elif value > high:
            errors[field] = _("A set can have at most %(n)s members.") % {"n": high}
    if not errors and min_members > max_members:
        errors["max_members"] = _(
            "The maximum (%(max)s) cannot be smaller than the minimum (%(min)s)."
        ) % {"max": max_members, "min": min_members}
    return errors


def limits_outside_recommended(min_members: int, max_members: int) -> bool:
    low, high = defaults.RECOMMENDED_MIN_MEMBERS, defaults.RECOMMENDED_MAX_MEMBERS
    return not (low <= min_members <= high and low <= max_members <= high)


def recommended_range_warning(min_members: int, max_members: int) -> str | None:
    if not limits_outside_recommended(min_members, max_members):
        return None
    return _(
        "Limits of %(min)s to %(max)s members are outside the recommended %(low)s to %(high)s: "
        "smaller sets lack variety of views, larger ones leave too little airtime for each member."
    ) % {
        "min": min_members,
        "max": max_members,
        "low": defaults.RECOMMENDED_MIN_MEMBERS,
        "high": defaults.RECOMMENDED_MAX_MEMBERS,
    }


def current_member_count(learning_set: LearningSet) -> int:
    return SetMembership.objects.filter(learning_set=learning_set, left_at__isnull=True).count()


def pending_invitation_count(learning_set: LearningSet) -> int:
    # Expired invitations still hold their place until withdrawn: they can be resent.
    return Invitation.objects.filter(
        learning_set=learning_set, accepted_at__isnull=True, revoked_at__isnull=True
    ).count()


def places_left(learning_set: LearningSet) -> int:
    taken = current_member_count(learning_set) + pending_invitation_count(learning_set)
    return max(0, learning_set.max_members - taken)


def membership_warnings(learning_set: LearningSet, member_count: int | None = None) -> list[str]:
    """Warnings about the set's size shown on its pages (advice: nothing is refused here)."""
    warnings = []
    range_warning = recommended_range_warning(learning_set.min_members, learning_set.max_members)
    if range_warning:
        warnings.append(range_warning)
    if learning_set.is_archived or learning_set.status == LearningSet.Status.COMPLETED:
        return warnings
    if member_count is None:
        member_count = current_member_count(learning_set)
    if member_count < learning_set.min_members:
        warnings.append(
            ngettext(
                "The set has %(count)s member; it needs at least %(min)s.",
                "The set has %(count)s members; it needs at least %(min)s.",
                member_count,
            )
            % {"count": member_count, "min": learning_set.min_members}
        )
    return warnings
