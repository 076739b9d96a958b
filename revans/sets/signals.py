"""What the sets app tells other apps, so they need not poll for it."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

# Who is inside a set may have changed (a member removed, the facilitator replaced). Sent
# after the change commits, with `set_id`; e.g. the live app re-checks who may stay in the
# set's open meetings at once instead of at its next periodic check.
set_people_changed = Signal()


def announce_people_changed(set_id: int) -> None:
    transaction.on_commit(lambda: set_people_changed.send(sender=None, set_id=set_id))
