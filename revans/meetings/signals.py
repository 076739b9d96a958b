"""What other apps may follow in the meetings app, without it knowing them.

`meeting_moved` is sent inside the move's transaction, after the meeting row is saved, with
`meeting` (as it is now) and `previous_start`. A receiver that fails undoes the move.
"""

from __future__ import annotations

from django.dispatch import Signal

meeting_moved = Signal()
