"""Every kind of email Revans sends, and which of them a person may turn off.

The kind is stored on each outbox row (OutboundEmail.kind) and on each opt-out; an
unsubscribe link names one kind. Emails about a person's own account (sign-in links,
password resets, email-change confirmations and notices) and the notices that give someone
access (an invitation to a set, being added to an organisation or as a sponsor contact) are
not optional: without them nobody could sign in or join.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Optional kinds (a person chooses).
MEETING_UPDATE = "meeting_update"  # new meetings (invitations), moves and cancellations
MEETING_REMINDER = "meeting_reminder"
AGREEMENT_REMINDER = "agreement_reminder"
COMMITMENTS_DUE = "commitments_due"
MOMENTUM_CALL = "momentum_call"
MEETING_SUMMARY = "meeting_summary"

# Always sent.
REQUIRED = frozenset(
    {
        "sign_in_link",
        "password_reset",
        "change_email_confirm",
        "change_email_notice",
        "invitation",
        "staff_added",
        "sponsor_contact_added",
    }
)


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    help: Promise


OPTIONAL: tuple[Kind, ...] = (
    Kind(
        MEETING_UPDATE,
        _("Meeting invitations and changes"),
        _("New meetings, moved and cancelled ones, with a calendar file."),
    ),
    Kind(
        MEETING_REMINDER,
        _("Reminders before a meeting"),
        _("A few days before each meeting of your sets."),
    ),
    Kind(
        AGREEMENT_REMINDER,
        _("Agreement reminders"),
        _("When you have not yet accepted a set's agreement before its next meeting."),
    ),
    Kind(
        COMMITMENTS_DUE,
        _("Commitments due"),
        _("Before a meeting, when you have commitments due by then."),
    ),
    Kind(
        MOMENTUM_CALL,
        _("Momentum call reminders"),
        _("The day before a call with your facilitator between meetings."),
    ),
    Kind(
        MEETING_SUMMARY,
        _("Meeting summaries"),
        _("When the summary of a meeting you were part of is ready."),
    ),
)
OPTIONAL_KEYS = frozenset(kind.key for kind in OPTIONAL)
BY_KEY = {kind.key: kind for kind in OPTIONAL}


def is_optional(kind: str) -> bool:
    return kind in OPTIONAL_KEYS


LABELS = {
    **{kind.key: kind.label for kind in OPTIONAL},
    "sign_in_link": _("Sign-in link"),
    "password_reset": _("Password reset"),
    "change_email_confirm": _("Email change confirmation"),
    "change_email_notice": _("Email change notice"),
    "invitation": _("Invitation to a set"),
    "staff_added": _("Added to the organisation"),
    "sponsor_contact_added": _("Added as a sponsor contact"),
}


def label(kind: str) -> str:
    return str(LABELS.get(kind, kind))
