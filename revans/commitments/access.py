"""Who may see or change a commitment: the one place these rules live.

A commitment is the set's: its current members and its facilitator read it; nobody else
(not the sponsor, not an organisation admin who is not the facilitator, not other sets)
learns that it exists (404). Only its owner, while a member of the set, changes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from revans.commitments.models import Commitment
from revans.sets.access import (
    ROLE_FIELDS,
    Need,
    SetRole,
    access_set_for_user,
    annotate_roles,
    role_from_annotations,
)


@dataclass(frozen=True)
class CommitmentAccess:
    commitment: Commitment
    role: SetRole
    user_id: int

    @property
    def can_change(self) -> bool:
        """The owner, while a current member of the set."""
        return self.role.is_member and self.commitment.owner_id == self.user_id


def access_commitment_for_user(
    user, commitment_id: int, *, change: bool = False
) -> CommitmentAccess:
    """Fetch the commitment and the user's roles on its set in one query."""
    if not user.is_authenticated:
        raise Http404
    commitment = (
        annotate_roles(Commitment.objects.all(), user, prefix="learning_set__")
        .select_related("learning_set", "learning_set__organisation", "owner", "meeting")
        .filter(pk=commitment_id)
        .first()
    )
    if commitment is None:
        raise Http404
    roles = {name: getattr(commitment, name) for name in ROLE_FIELDS}
    role = role_from_annotations(commitment.learning_set, roles, user)
    if not role.allows(Need.INSIDE):
        raise Http404
    access = CommitmentAccess(commitment=commitment, role=role, user_id=user.pk)
    if change and not access.can_change:
        raise Http404
    return access


def access_board_for_user(user, set_id: int) -> SetRole:
    """The set's board of commitments: inside the set only."""
    return access_set_for_user(user, set_id, Need.INSIDE)
