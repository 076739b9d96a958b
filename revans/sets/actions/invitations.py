"""Inviting people to a set and their joining it through the invitation link."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from revans.accounts.actions import do_get_or_create_user, do_set_up_account, find_user_by_email
from revans.accounts.models import User, hash_token, new_token, normalise_email
from revans.meetings.emails import send_schedule_to_new_member
from revans.sets.actions.common import (
    locked_set,
    refuse_if_archived,
)
from revans.sets.invitation_mail import first_meeting_start, queue_invitation_email
from revans.sets.models import Invitation, LearningSet, SetMembership
from revans.sets.rules import (
    SetActionRefused,
    current_member_count,
    pending_invitation_count,
)


@dataclass
class InviteResult:
    invited: list[str] = field(default_factory=list)
    resent: list[str] = field(default_factory=list)
    already_members: list[str] = field(default_factory=list)


def _refuse_if_closed(learning_set: LearningSet) -> None:
    refuse_if_archived(learning_set)
    if learning_set.status == LearningSet.Status.COMPLETED:
        raise SetActionRefused(_("This set has completed its programme: it takes no new members."))


def _issue_link(invitation: Invitation, now) -> str:
    """A fresh link (the old one stops working) valid for INVITATION_DAYS from now."""
    token, token_hash = new_token()
    invitation.token_hash = token_hash
    invitation.last_sent_at = now
    invitation.expires_at = now + timedelta(days=settings.INVITATION_DAYS)
    return token


@transaction.atomic
def do_invite_members(
    learning_set: LearningSet, *, actor, emails: list[str], employer: str = ""
) -> InviteResult:
    """Invite addresses to the set. Current members are skipped; pending invitations are
    sent again with a new link (one row per address); new ones must fit in the places left."""
    learning_set = locked_set(learning_set)
    _refuse_if_closed(learning_set)
    emails = list(dict.fromkeys(normalise_email(e) for e in emails if e.strip()))
    if not emails:
        raise SetActionRefused(_("Enter at least one email address."), "emails")
    members = set(
        SetMembership.objects.filter(learning_set=learning_set, left_at__isnull=True)
        .annotate(address=Lower("user__email"))
        .filter(address__in=emails)
        .values_list("address", flat=True)
    )
    pending = {
        invitation.email: invitation
        for invitation in Invitation.objects.filter(
            learning_set=learning_set,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            email__in=emails,
        )
    }
    result = InviteResult()
    new = []
    for email in emails:
        if email in members:
            result.already_members.append(email)
        elif email in pending:
            result.resent.append(email)
        else:
            new.append(email)
    left = learning_set.max_members - (
        current_member_count(learning_set) + pending_invitation_count(learning_set)
    )
    if len(new) > left:
        raise SetActionRefused(
            ngettext(
                "Too many people: the set has a maximum of %(max)s members and only %(left)s "
                "place is left (counting current members and pending invitations), but you "
                "entered %(new)s new address.",
                "Too many people: the set has a maximum of %(max)s members and only %(left)s "
                "places are left (counting current members and pending invitations), but you "
                "entered %(new)s new addresses.",
                len(new),
            )
            % {"max": learning_set.max_members, "left": max(0, left), "new": len(new)},
            "emails",
        )
    now = timezone.now()
    first_meeting = first_meeting_start(learning_set)
    for email in result.resent:
        invitation = pending[email]
        invitation.learning_set = learning_set
        invitation.employer = employer or invitation.employer
        token = _issue_link(invitation, now)
        invitation.save(update_fields=["employer", "token_hash", "last_sent_at", "expires_at"])
        queue_invitation_email(invitation, token, first_meeting)
    for email in new:
        invitation = Invitation(
            learning_set=learning_set,
            email=email,
            employer=employer,
            invited_by=actor,
            created_at=now,
        )
        token = _issue_link(invitation, now)
        invitation.save()
        queue_invitation_email(invitation, token, first_meeting)
        result.invited.append(email)
    return result


def _locked_pending_invitation(invitation: Invitation) -> tuple[LearningSet, Invitation]:
    learning_set = locked_set(invitation.learning_set)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation.learning_set = learning_set
    if not invitation.is_pending:
        raise SetActionRefused(_("This invitation is no longer pending."))
    return learning_set, invitation


@transaction.atomic
def do_resend_invitation(invitation: Invitation, *, actor) -> Invitation:
    learning_set, invitation = _locked_pending_invitation(invitation)
    _refuse_if_closed(learning_set)
    token = _issue_link(invitation, timezone.now())
    invitation.save(update_fields=["token_hash", "last_sent_at", "expires_at"])
    queue_invitation_email(invitation, token, first_meeting_start(learning_set))
    return invitation


@transaction.atomic
def do_withdraw_invitation(invitation: Invitation, *, actor) -> Invitation:
    learning_set, invitation = _locked_pending_invitation(invitation)
    refuse_if_archived(learning_set)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


def find_invitation(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("learning_set", "learning_set__facilitator")
        .filter(token_hash=hash_token(token))
        .first()
    )


def invitation_problem(invitation: Invitation | None, user=None) -> str | None:
    """Why an invitation cannot be accepted (by `user`, if given), or None if it can."""
    if invitation is None:
        return _("This invitation link is not valid. It may have been copied incompletely.")
    if invitation.revoked_at is not None:
        return _("This invitation has been withdrawn.")
    if invitation.accepted_at is not None:
        return _("This invitation has already been used.")
    if invitation.is_expired:
        return _("This invitation has expired: ask your facilitator to resend it.")
    if invitation.learning_set.is_archived:
        return _("This set is archived and takes no new members.")
    if user is not None and normalise_email(user.email) != invitation.email:
        return _("This invitation was sent to a different email address.")
    return None


@transaction.atomic
def do_accept_invitation(invitation: Invitation, user) -> SetMembership:
    """Join the set. Safe to repeat: a second click finds the membership it made."""
    learning_set = locked_set(invitation.learning_set)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation.learning_set = learning_set
    current = SetMembership.objects.filter(
        learning_set=learning_set, user=user, left_at__isnull=True
    ).first()
    if invitation.accepted_by_id == user.pk and current is not None:
        return current
    problem = invitation_problem(invitation, user)
    if problem:
        raise SetActionRefused(problem)
    if current is None:
        if current_member_count(learning_set) >= learning_set.max_members:
            raise SetActionRefused(
                _("This set is full. Ask your facilitator about a place in another set.")
            )
        current = SetMembership.objects.create(
            learning_set=learning_set, user=user, employer=invitation.employer
        )
        # Their calendar gets the set's meetings (the other members had them already).
        send_schedule_to_new_member(current)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return current


@transaction.atomic
def do_accept_invitation_with_new_account(
    invitation: Invitation, *, full_name: str, password: str
) -> tuple[User, SetMembership]:
    """Set up the invitee's account (new, or one that has no password yet) and join.

    The invitation link reached this address, so it proves the person reads its email,
    which is what a password-reset link proves too; an account that already has a
    password must sign in instead.
    """
    problem = invitation_problem(invitation)
    if problem:
        raise SetActionRefused(problem)
    existing = find_user_by_email(invitation.email)
    if existing is not None and existing.has_usable_password():
        raise SetActionRefused(_("An account with this address exists: please sign in."))
    user, _created = do_get_or_create_user(invitation.email, full_name)
    do_set_up_account(user, full_name, password)
    return user, do_accept_invitation(invitation, user)
