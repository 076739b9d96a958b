"""What the accounts app tells other apps, so they need not poll for it."""

from __future__ import annotations

from django.dispatch import Signal

# A person's password changed (on their account page, or through a reset link): every other
# session of theirs has ended (Django checks a hash of the password on each request). Sent
# with `user`, `kept_session_key`, the session that stays signed in (None after a reset), and
# `renewed_session_key`, the key Django gave that session as it kept it; e.g. the live app
# takes the rooms open in the ended sessions out of their meetings at once.
password_changed = Signal()
