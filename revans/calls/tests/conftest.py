import datetime as dt

import pytest
from django.utils import timezone

from revans.meetings.models import Meeting


def held_meeting(learning_set, days_ago: int = 18) -> Meeting:
    """A meeting of the set that took place `days_ago` days ago (6 pm)."""
    start = (timezone.now() - dt.timedelta(days=days_ago)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    return Meeting.objects.create(
        learning_set=learning_set,
        starts_at=start,
        duration_minutes=learning_set.duration_minutes,
        format=learning_set.default_format,
    )


@pytest.fixture
def between(world):
    """Set A between meetings: one held 18 days ago, the next in 10 days (world.meetings_a)."""
    world.held_a = held_meeting(world.set_a)
    world.held_b = held_meeting(world.set_b)
    return world
