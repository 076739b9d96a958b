"""Arranging calls in tests through the real actions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from revans.calls import actions
from revans.calls.models import MomentumCall
from revans.sets.models import SetMembership

PRIVATE_NOTE = "Worried the restructure will cost her the deputy post"
SHARED_NOTE = "Agreed: book the meeting with the finance director this week"


def membership_of(world, user) -> SetMembership:
    return SetMembership.objects.get(learning_set=world.set_a, user=user, left_at__isnull=True)


def future(days: int, hour: int = 10) -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def offer(world, user=None, days=(3, 4)) -> MomentumCall:
    return actions.do_offer_times(
        world.set_a,
        actor=world.facilitator,
        membership=membership_of(world, user or world.member),
        times=[future(d) for d in days],
        duration_minutes=30,
    )


def planned_call(world, user=None) -> MomentumCall:
    return actions.do_record_call(
        world.set_a,
        actor=world.facilitator,
        membership=membership_of(world, user or world.member),
        starts_at=future(3),
        duration_minutes=30,
    )


def held_call_with_notes(world, user=None) -> MomentumCall:
    call = planned_call(world, user)
    actions.do_set_call_status(call, actor=world.facilitator, status="held")
    actions.do_add_note(call, actor=world.facilitator, text=PRIVATE_NOTE, shared=False)
    actions.do_add_note(call, actor=world.facilitator, text=SHARED_NOTE, shared=True)
    return call
