"""Every change to momentum calls happens here.

Arranging a call locks the set's row first (the order every set and meeting action uses), so
two tabs cannot arrange two calls for the same member and gap; changing a call locks the
call. Refusals are CallActionRefused, with the form field the message belongs next to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from revans.calls import emails
from revans.calls.models import CallNote, CallSlot, MomentumCall
from revans.calls.queries import set_calls
from revans.calls.rules import (
    MAX_CALL_MINUTES,
    MAX_SLOTS,
    MIN_CALL_MINUTES,
    MIN_SLOTS,
    NOTE_MAX_LENGTH,
    CallActionRefused,
)
from revans.notifications import scheduling
from revans.sets.models import LearningSet, SetMembership


def _locked_set(learning_set: LearningSet) -> LearningSet:
    # of=self: PostgreSQL cannot lock the nullable side of the outer joins.
    return (
        LearningSet.objects.select_for_update(of=("self",))
        .select_related("organisation", "facilitator")
        .get(pk=learning_set.pk)
    )


def _check_can_arrange(learning_set: LearningSet, actor, membership: SetMembership) -> None:
    if learning_set.is_archived:
        raise CallActionRefused(_("This set is archived, so no calls can be arranged."))
    if learning_set.facilitator_id != actor.pk:
        raise CallActionRefused(_("Only the set's facilitator arranges momentum calls."))
    if not learning_set.momentum_calls:
        raise CallActionRefused(_("This set has switched momentum calls off."))
    current = SetMembership.objects.filter(
        pk=membership.pk, learning_set=learning_set, left_at__isnull=True
    ).exists()
    if not current or membership.user_id == actor.pk:
        raise CallActionRefused(_("This person is not a member of the set any more."))


def _check_minutes(minutes: int) -> None:
    if not MIN_CALL_MINUTES <= minutes <= MAX_CALL_MINUTES:
        raise CallActionRefused(
            _("A call lasts from %(low)s to %(high)s minutes.")
            % {"low": MIN_CALL_MINUTES, "high": MAX_CALL_MINUTES},
            "duration_minutes",
        )


def _new_call(learning_set, actor, membership, now, **fields) -> MomentumCall:
    gap = set_calls(learning_set, now)
    if gap is None:
        raise CallActionRefused(
            _("The set is not between two meetings now: a call follows a held meeting.")
        )
    taken = MomentumCall.objects.filter(
        member_id=membership.user_id, after_meeting=gap.after
    ).exclude(status=MomentumCall.Status.CANCELLED)
    if taken.exists():
        raise CallActionRefused(
            _("A call with %(name)s is already arranged for this time between meetings.")
            % {"name": membership.user.display_name}
        )
    return MomentumCall.objects.create(
        learning_set=learning_set,
        member_id=membership.user_id,
        arranged_by=actor,
        after_meeting=gap.after,
        before_meeting=gap.before,
        status_changed_at=now,
        created_at=now,
        **fields,
    )


@transaction.atomic
def do_offer_times(
    learning_set: LearningSet,
    *,
    actor,
    membership: SetMembership,
    times: Sequence[dt.datetime],
    duration_minutes: int,
) -> MomentumCall:
    """Offer the member 2 to 4 times (UTC) to pick from; they are told by email."""
    learning_set = _locked_set(learning_set)
    _check_can_arrange(learning_set, actor, membership)
    _check_minutes(duration_minutes)
    now = timezone.now()
    times = sorted(set(times))
    if not MIN_SLOTS <= len(times) <= MAX_SLOTS:
        raise CallActionRefused(
            _("Offer from %(low)s to %(high)s different times.")
            % {"low": MIN_SLOTS, "high": MAX_SLOTS},
            "slot_1",
        )
    if any(moment <= now for moment in times):
        raise CallActionRefused(_("Every time offered must be in the future."), "slot_1")
    call = _new_call(
        learning_set,
        actor,
        membership,
        now,
        status=MomentumCall.Status.OFFERED,
        arranged=MomentumCall.Arranged.OFFER,
        duration_minutes=duration_minutes,
    )
    CallSlot.objects.bulk_create([CallSlot(call=call, starts_at=moment) for moment in times])
    emails.send_times_offered(call, facilitator=actor, times=times)
    return call


@transaction.atomic
def do_record_call(
    learning_set: LearningSet,
    *,
    actor,
    membership: SetMembership,
    starts_at: dt.datetime,
    duration_minutes: int,
) -> MomentumCall:
    """Record a call arranged elsewhere (by phone, in passing); the member is told when."""
    learning_set = _locked_set(learning_set)
    _check_can_arrange(learning_set, actor, membership)
    _check_minutes(duration_minutes)
    now = timezone.now()
    call = _new_call(
        learning_set,
        actor,
        membership,
        now,
        status=MomentumCall.Status.PLANNED,
        arranged=MomentumCall.Arranged.ELSEWHERE,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
    )
    if starts_at > now:
        emails.send_call_planned(call, to=call.member, other=actor)
        _schedule_reminder(call)
    return call


def _schedule_reminder(call: MomentumCall) -> None:
    # Called right after planning the call, which gives it its time.
    assert call.starts_at is not None, "only a planned call has a reminder"
    scheduling.schedule_momentum_call_reminder(
        call_id=call.pk,
        learning_set=call.learning_set,
        member=call.member,
        starts_at=call.starts_at,
    )


def _locked_call(call: MomentumCall) -> MomentumCall:
    return (
        MomentumCall.objects.select_for_update(of=("self",))
        .select_related("learning_set", "learning_set__organisation", "learning_set__facilitator")
        .select_related("member")
        .get(pk=call.pk)
    )


def _refuse_if_archived(call: MomentumCall) -> None:
    if call.learning_set.is_archived:
        raise CallActionRefused(_("This set is archived, so its calls cannot be changed."))


def _check_facilitator(call: MomentumCall, actor) -> None:
    if call.learning_set.facilitator_id != actor.pk:
        raise CallActionRefused(_("Only the set's facilitator changes momentum calls."))


@transaction.atomic
def do_pick_time(call: MomentumCall, *, actor, slot_id: int) -> MomentumCall:
    """The member picks one of the times offered: the call is planned for both of them."""
    call = _locked_call(call)
    _refuse_if_archived(call)
    if call.member_id != actor.pk:
        raise CallActionRefused(_("Only the member the call is with picks its time."))
    if call.status != MomentumCall.Status.OFFERED:
        raise CallActionRefused(_("A time is already settled for this call."))
    slot = CallSlot.objects.filter(call=call, pk=slot_id).first()
    if slot is None:
        raise CallActionRefused(_("Choose one of the times offered."), "slot")
    now = timezone.now()
    if slot.starts_at <= now:
        raise CallActionRefused(
            _("That time has passed: choose a later one, or ask for new times."), "slot"
        )
    slot.chosen = True
    slot.save(update_fields=["chosen"])
    call.starts_at = slot.starts_at
    call.status = MomentumCall.Status.PLANNED
    call.status_changed_at = now
    call.save(update_fields=["starts_at", "status", "status_changed_at"])
    facilitator = call.learning_set.facilitator
    emails.send_call_planned(call, to=facilitator, other=call.member)
    emails.send_call_planned(call, to=call.member, other=facilitator)
    _schedule_reminder(call)
    return call


# What the facilitator may mark, from which statuses (keyed by str: the form's value).
STATUS_CHANGES: dict[str, tuple[str, ...]] = {
    MomentumCall.Status.HELD: (MomentumCall.Status.PLANNED, MomentumCall.Status.MISSED),
    MomentumCall.Status.MISSED: (MomentumCall.Status.PLANNED, MomentumCall.Status.HELD),
    MomentumCall.Status.CANCELLED: (MomentumCall.Status.OFFERED, MomentumCall.Status.PLANNED),
}


@transaction.atomic
def do_set_call_status(call: MomentumCall, *, actor, status: str) -> MomentumCall:
    """Held or missed (correctable either way), or cancelled while still ahead."""
    call = _locked_call(call)
    _refuse_if_archived(call)
    _check_facilitator(call, actor)
    allowed_from = STATUS_CHANGES.get(status)
    if allowed_from is None:
        raise CallActionRefused(_("Unknown status for a call."))
    if call.status not in allowed_from:
        raise CallActionRefused(
            _("A call that is %(status)s cannot become %(new)s.")
            % {
                "status": call.get_status_display().lower(),
                "new": MomentumCall.Status(status).label.lower(),
            }
        )
    call.status = status
    call.status_changed_at = timezone.now()
    call.save(update_fields=["status", "status_changed_at"])
    # Held, missed or cancelled: there is nothing left to remind anyone of.
    scheduling.cancel_momentum_call_reminder(call.pk)
    return call


@transaction.atomic
def do_add_note(call: MomentumCall, *, actor, text: str, shared: bool) -> CallNote:
    """A note from the call: private to the facilitator unless explicitly shared."""
    call = _locked_call(call)
    _refuse_if_archived(call)
    _check_facilitator(call, actor)
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise CallActionRefused(_("Write the note first."), "text")
    if len(text) > NOTE_MAX_LENGTH:
        raise CallActionRefused(
            ngettext(
                "A note has at most %(n)s character.",
                "A note has at most %(n)s characters.",
                NOTE_MAX_LENGTH,
            )
            % {"n": NOTE_MAX_LENGTH},
            "text",
        )
    note = CallNote.objects.create(
        call=call,
        author=actor,
        text=text,
        visibility=CallNote.Visibility.MEMBER if shared else CallNote.Visibility.FACILITATOR,
    )
    if shared:
        emails.send_note_shared(call, facilitator=actor)
    return note


@transaction.atomic
def do_set_note_sharing(note: CallNote, *, actor, shared: bool) -> CallNote:
    call = _locked_call(note.call)
    _refuse_if_archived(call)
    _check_facilitator(call, actor)
    note = CallNote.objects.select_for_update().get(pk=note.pk, call=call)
    visibility = CallNote.Visibility.MEMBER if shared else CallNote.Visibility.FACILITATOR
    if note.visibility == visibility:
        return note
    note.visibility = visibility
    note.save(update_fields=["visibility"])
    if shared:
        emails.send_note_shared(call, facilitator=actor)
    return note
