"""Who may see a journal entry: its author, and nobody else, unless it is shared.

A private entry is fetched only with `author=user` in the same query, so for anyone else it
does not exist (404): the facilitator, other members, the sponsor, organisation admins,
superusers and strangers alike. A shared entry is read only through the set's shared page.
"""

from __future__ import annotations

from django.http import Http404

from revans.journal.models import JournalEntry
from revans.sets.access import Need, SetRole, access_set_for_user


def access_entry_for_user(user, entry_id: int) -> JournalEntry:
    """The author's own entry; 404 for everyone else, whatever their role or flags."""
    if not user.is_authenticated:
        raise Http404
    entry = (
        JournalEntry.objects.select_related("learning_set", "meeting")
        .filter(pk=entry_id, author=user)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def access_shared_entries_for_user(user, set_id: int) -> SetRole:
    """The set's shared reflections are for people inside the set: its members and its
    facilitator (not organisation admins, not the sponsor)."""
    return access_set_for_user(user, set_id, Need.INSIDE)
