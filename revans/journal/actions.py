"""Every change to journal entries happens here; only the author changes their entries.

Sharing is deliberate: one entry, with the one set it is linked to, after a confirmation
that names who will read it. Nothing here sends an email: a reflection never leaves the
app, and nobody is notified of what it says.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from revans.journal.models import KOLB_FIELDS, TEXT_MAX_LENGTH, JournalEntry
from revans.meetings.models import Meeting
from revans.sets.models import LearningSet, SetMembership

TEXT_FIELDS = ("title", *KOLB_FIELDS, "free_text")


class JournalActionRefused(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _is_current_member(learning_set: LearningSet, user) -> bool:
    return SetMembership.objects.filter(
        learning_set=learning_set, user=user, left_at__isnull=True
    ).exists()


def _clean_values(author, values: Mapping) -> dict:
    cleaned = {name: (values.get(name) or "").replace("\r\n", "\n").strip() for name in TEXT_FIELDS}
    cleaned["title"] = " ".join(cleaned["title"].split())
    if not any(cleaned[name] for name in (*KOLB_FIELDS, "free_text")):
        raise JournalActionRefused(
            _("Write something: answer one of the prompts, or write freely."), "free_text"
        )
    for name in (*KOLB_FIELDS, "free_text"):
        if len(cleaned[name]) > TEXT_MAX_LENGTH:
            raise JournalActionRefused(
                _("At most %(n)s characters here.") % {"n": TEXT_MAX_LENGTH}, name
            )
    learning_set: LearningSet | None = values.get("learning_set")
    meeting: Meeting | None = values.get("meeting")
    if meeting is not None:
        if learning_set is None:
            learning_set = meeting.learning_set
        elif meeting.learning_set_id != learning_set.pk:
            raise JournalActionRefused(
                _("That meeting is not one of %(set)s's.") % {"set": learning_set.name}, "meeting"
            )
    if learning_set is not None and not _is_current_member(learning_set, author):
        raise JournalActionRefused(_("Choose one of the sets you are a member of."), "learning_set")
    cleaned["learning_set"] = learning_set
    cleaned["meeting"] = meeting
    return cleaned


@transaction.atomic
def do_create_entry(*, author, values: Mapping) -> JournalEntry:
    cleaned = _clean_values(author, values)
    now = timezone.now()
    return JournalEntry.objects.create(author=author, created_at=now, updated_at=now, **cleaned)


def _locked_own(entry: JournalEntry, actor) -> JournalEntry:
    locked = (
        JournalEntry.objects.select_for_update(of=("self",))
        .select_related("learning_set")
        .filter(pk=entry.pk, author=actor)
        .first()
    )
    if locked is None:
        raise JournalActionRefused(_("Only the author changes a journal entry."))
    return locked


@transaction.atomic
def do_update_entry(entry: JournalEntry, *, actor, values: Mapping) -> tuple[JournalEntry, bool]:
    """Save the new text. Returns (entry, unshared): moving a shared entry to another set
    (or to none) takes it back from the set it was shared with."""
    entry = _locked_own(entry, actor)
    cleaned = _clean_values(actor, values)
    unshared = entry.is_shared and cleaned["learning_set"] != entry.learning_set
    for name, value in cleaned.items():
        setattr(entry, name, value)
    if unshared:
        entry.visibility = JournalEntry.Visibility.AUTHOR
        entry.shared_at = None
    entry.updated_at = timezone.now()
    entry.save()
    return entry, unshared


@transaction.atomic
def do_delete_entry(entry: JournalEntry, *, actor) -> None:
    _locked_own(entry, actor).delete()


@transaction.atomic
def do_share_entry(entry: JournalEntry, *, actor) -> JournalEntry:
    entry = _locked_own(entry, actor)
    learning_set = entry.learning_set
    if learning_set is None:
        raise JournalActionRefused(_("Link the entry to a set first: it is shared with one set."))
    if learning_set.is_archived:
        raise JournalActionRefused(_("This set is archived: nothing new can be shared with it."))
    if not _is_current_member(learning_set, actor):
        raise JournalActionRefused(_("You are not a member of this set any more."))
    if not entry.is_shared:
        entry.visibility = JournalEntry.Visibility.SET
        entry.shared_at = timezone.now()
        entry.save(update_fields=["visibility", "shared_at"])
    return entry


@transaction.atomic
def do_unshare_entry(entry: JournalEntry, *, actor) -> JournalEntry:
    entry = _locked_own(entry, actor)
    if entry.is_shared:
        entry.visibility = JournalEntry.Visibility.AUTHOR
        entry.shared_at = None
        entry.save(update_fields=["visibility", "shared_at"])
    return entry
