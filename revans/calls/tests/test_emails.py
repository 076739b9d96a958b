"""Emails about calls carry names, dates and links: never a note's text, to anyone."""

from django.urls import reverse

from revans.calls import actions
from revans.calls.tests.helpers import (
    PRIVATE_NOTE,
    SHARED_NOTE,
    held_call_with_notes,
    offer,
)
from revans.core.models import OutboundEmail
from revans.journal.models import JournalEntry

JOURNAL_TEXT = "I am thinking of leaving the service altogether"


def test_no_note_or_journal_text_reaches_any_email(client, between):
    # Every flow that sends an email: offer, pick (both told), record, share a note, and
    # a note shared after the fact; plus a journal entry shared with the set.
    call = offer(between)
    actions.do_pick_time(call, actor=between.member, slot_id=call.slots.first().pk)
    actions.do_set_call_status(call, actor=between.facilitator, status="held")
    note = actions.do_add_note(call, actor=between.facilitator, text=PRIVATE_NOTE, shared=False)
    actions.do_add_note(call, actor=between.facilitator, text=SHARED_NOTE, shared=True)
    actions.do_set_note_sharing(note, actor=between.facilitator, shared=True)
    held_call_with_notes(between, between.members[1])
    entry = JournalEntry.objects.create(
        author=between.member, what_happened=JOURNAL_TEXT, learning_set=between.set_a
    )
    client.force_login(between.member)
    client.post(reverse("journal:share", args=[entry.pk]))

    emails = list(OutboundEmail.objects.all())
    kinds = {e.kind for e in emails}
    assert {"momentum_call_offer", "momentum_call_planned", "momentum_call_note_shared"} <= kinds
    for email in emails:
        for text in (PRIVATE_NOTE, SHARED_NOTE, JOURNAL_TEXT):
            assert text not in email.body_text and text not in email.subject
    # Only the two people on each call hear about it.
    people = {between.member.email, between.members[1].email, between.facilitator.email}
    assert {e.to_email for e in emails} <= people
    # A shared note's email says a note is there, and links to the call's page.
    shared = OutboundEmail.objects.filter(kind="momentum_call_note_shared").first()
    assert reverse("calls:detail", args=[call.pk]) in shared.body_text
