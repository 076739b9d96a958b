"""Every change to sets, their members, invitations and agreement happens in this package.

Each action locks the set row first, so two people changing the same set (inviting the
last places, removing and re-adding a member) are served one after the other. Anything
refused raises SetActionRefused with a message to show.

The modules: settings (create, update, status), invitations (invite, resend, withdraw,
accept), members (remove, facilitator hand-over, agreement). Everything is re-exported
here, so callers write `from revans.sets.actions import do_create_set`.
"""

from revans.sets.actions.invitations import (
    InviteResult,
    do_accept_invitation,
    do_accept_invitation_with_new_account,
    do_invite_members,
    do_resend_invitation,
    do_withdraw_invitation,
    find_invitation,
    invitation_problem,
)
from revans.sets.actions.members import (
    do_accept_agreement,
    do_move_facilitator,
    do_remove_member,
)
from revans.sets.actions.settings import (
    AGREEMENT_FIELDS,
    CALL_FIELDS,
    EDITABLE_FIELDS,
    STATUS_TRANSITIONS,
    do_change_status,
    do_create_set,
    do_update_set,
)
from revans.sets.rules import SetActionRefused

__all__ = [
    "AGREEMENT_FIELDS",
    "CALL_FIELDS",
    "EDITABLE_FIELDS",
    "STATUS_TRANSITIONS",
    "InviteResult",
    "SetActionRefused",
    "do_accept_agreement",
    "do_accept_invitation",
    "do_accept_invitation_with_new_account",
    "do_change_status",
    "do_create_set",
    "do_invite_members",
    "do_move_facilitator",
    "do_remove_member",
    "do_resend_invitation",
    "do_update_set",
    "do_withdraw_invitation",
    "find_invitation",
    "invitation_problem",
]
