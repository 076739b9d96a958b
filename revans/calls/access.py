"""Who may see a momentum call: the one place these rules live.

A call is between the member and whoever holds the facilitator role of the set. Nobody else
(other members, sponsors, organisation admins who do not facilitate the set, strangers)
learns that it exists: they get a 404, as for anything of a set they have no role in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from revans.calls.models import MomentumCall
from revans.sets.access import (
    ROLE_FIELDS,
    Need,
    SetRole,
    access_set_for_user,
    annotate_roles,
    role_from_annotations,
)
from revans.sets.models import SetMembership


@dataclass(frozen=True)
class CallAccess:
    call: MomentumCall
    role: SetRole
    user_id: int

    @property
    def is_facilitator(self) -> bool:
        return self.role.is_facilitator

    @property
    def is_member(self) -> bool:
        """The member the call is with (not any member of the set)."""
        return self.role.is_member and self.call.member_id == self.user_id


def access_set_calls_for_user(user, set_id: int) -> SetRole:
    """The set's calls are for whoever holds its facilitator role, and nobody else."""
    role = access_set_for_user(user, set_id, Need.INSIDE)
    if not role.is_facilitator:
        raise Http404
    return role


def access_member_for_calls(user, set_id: int, membership_id: int) -> tuple[SetRole, SetMembership]:
    """The facilitator's view of one current member of the set, to arrange a call with."""
    role = access_set_calls_for_user(user, set_id)
    membership = (
        SetMembership.objects.select_related("user")
        .filter(pk=membership_id, learning_set=role.learning_set, left_at__isnull=True)
        .exclude(user_id=user.pk)
        .first()
    )
    if membership is None:
        raise Http404
    return role, membership


def access_call_for_user(user, call_id: int) -> CallAccess:
    """Fetch the call and the user's roles on its set in one query; the call's member (while
    still in the set) and the set's facilitator pass, everyone else gets a 404."""
    if not user.is_authenticated:
        raise Http404
    call = (
        annotate_roles(MomentumCall.objects.all(), user, prefix="learning_set__")
        .select_related(
            "learning_set",
            "learning_set__organisation",
            "learning_set__facilitator",
            "member",
            "after_meeting",
            "before_meeting",
        )
        .filter(pk=call_id)
        .first()
    )
    if call is None:
        raise Http404
    role = role_from_annotations(
        call.learning_set, {f: getattr(call, f) for f in ROLE_FIELDS}, user
    )
    access = CallAccess(call=call, role=role, user_id=user.pk)
    if not (access.is_facilitator or access.is_member):
        raise Http404
    return access
