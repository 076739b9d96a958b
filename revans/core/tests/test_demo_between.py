"""The demo shows the work between meetings: calls in each state, and journal entries."""

from revans.calls.models import CallNote, MomentumCall
from revans.core.demo import HEADS_OF_SERVICE, load_demo
from revans.journal.models import JournalEntry


def test_the_demo_has_calls_and_journal_entries(db):
    assert load_demo()
    statuses = set(MomentumCall.objects.values_list("status", flat=True))
    assert {"offered", "planned", "held"} <= statuses
    assert CallNote.objects.filter(visibility="member").exists()
    assert CallNote.objects.filter(visibility="facilitator").exists()
    jo = HEADS_OF_SERVICE[0][0]
    entries = JournalEntry.objects.filter(author__email=jo)
    assert entries.filter(visibility="set").count() == 1
    assert entries.filter(visibility="author").count() == 2
