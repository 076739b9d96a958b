"""Members leaving, the facilitator role changing hands, and the agreement being accepted."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from revans.sets.actions.common import (
    is_org_facilitator,
    locked_set,
    refuse_if_archived,
)
from revans.sets.models import FacilitatorChange, LearningSet, SetMembership
from revans.sets.rules import (
    SetActionRefused,
)
from revans.sets.signals import announce_people_changed


@transaction.atomic
def do_remove_member(learning_set: LearningSet, membership: SetMembership, *, actor):
    """End a membership; the row stays as history (and a removed member may join again)."""
    learning_set = locked_set(learning_set)
    refuse_if_archived(learning_set)
    membership = SetMembership.objects.select_for_update().get(
        pk=membership.pk, learning_set=learning_set
    )
    if not membership.is_current:
        raise SetActionRefused(_("This person is no longer a member."))
    if learning_set.self_managed and learning_set.facilitator_id == membership.user_id:
        raise SetActionRefused(
            _(
                "This member holds the facilitator duties. Hand the duties to another member "
                "before removing them."
            )
        )
    membership.left_at = timezone.now()
    membership.removed_by = actor
    membership.save(update_fields=["left_at", "removed_by"])
    announce_people_changed(learning_set.pk)
    return membership


@transaction.atomic
def do_move_facilitator(
    learning_set: LearningSet, *, actor, self_managed: bool, new_holder
) -> LearningSet:
    """Give the facilitator role to a facilitator of the organisation or, in a self-managed
    set, the facilitator duties to a current member. The previous holder's right to manage
    the set goes with it (organisation admins keep theirs)."""
    learning_set = locked_set(learning_set)
    refuse_if_archived(learning_set)
    if new_holder is None:
        raise SetActionRefused(_("Choose who takes over."), "holder")
    if self_managed:
        is_member = SetMembership.objects.filter(
            learning_set=learning_set, user=new_holder, left_at__isnull=True
        ).exists()
        if not is_member:
            raise SetActionRefused(
                _("The facilitator duties go to a current member of the set."), "holder"
            )
    elif not is_org_facilitator(learning_set.organisation, new_holder):
        raise SetActionRefused(_("Choose one of the organisation's facilitators."), "holder")
    if learning_set.self_managed == self_managed and learning_set.facilitator_id == new_holder.pk:
        raise SetActionRefused(
            _("%(name)s already holds this role.") % {"name": new_holder.display_name}, "holder"
        )
    FacilitatorChange.objects.create(
        learning_set=learning_set,
        previous=learning_set.facilitator,
        new=new_holder,
        changed_by=actor,
    )
    learning_set.facilitator = new_holder
    learning_set.self_managed = self_managed
    learning_set.save(update_fields=["facilitator", "self_managed"])
    announce_people_changed(learning_set.pk)
    return learning_set


@transaction.atomic
def do_accept_agreement(membership: SetMembership, *, version: int) -> SetMembership:
    """Record that the member accepts the agreement as it reads now (`version` is the one
    they were shown: if it changed meanwhile they must read the new text first)."""
    learning_set = locked_set(membership.learning_set)
    refuse_if_archived(learning_set)
    membership = SetMembership.objects.select_for_update().get(
        pk=membership.pk, learning_set=learning_set
    )
    if not membership.is_current:
        raise SetActionRefused(_("You are no longer a member of this set."))
    if version != learning_set.agreement_version:
        raise SetActionRefused(
            _("The agreement changed while you were reading it. Please read it again.")
        )
    if membership.has_accepted(learning_set):
        return membership
    membership.agreement_accepted_at = timezone.now()
    membership.agreement_version_accepted = learning_set.agreement_version
    membership.save(update_fields=["agreement_accepted_at", "agreement_version_accepted"])
    return membership
