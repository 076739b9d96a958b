import pytest

from revans.live import actions, broadcast
from revans.live.tests.helpers import ON_THE_DAY


@pytest.fixture
def meeting(world):
    return world.meetings_a[0]


@pytest.fixture
def on_the_day(meeting, time_machine):
    time_machine.move_to(meeting.starts_at + ON_THE_DAY, tick=False)
    return time_machine


@pytest.fixture
def announced(monkeypatch):
    """What would have gone to the channel layer: (meeting_id, seq, audience_user_id)."""
    sent = []
    monkeypatch.setattr(broadcast, "send", lambda *args: sent.append(args))
    return sent


@pytest.fixture
def opened(world, meeting, on_the_day, announced):
    actions.do_open_meeting(meeting, world.facilitator)
    return meeting
