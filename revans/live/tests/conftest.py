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
    """What would have gone to the channel layer: (meeting_id, seq, audience_user_id); the
    events that rode along are kept in `sent.events`."""

    class Sent(list):
        events: list = []

    sent = Sent()
    sent.events = []

    def record(meeting_id, seq, audience_user_id, event=None):
        sent.append((meeting_id, seq, audience_user_id))
        sent.events.append(event)

    monkeypatch.setattr(broadcast, "send", record)
    return sent


@pytest.fixture
def opened(world, meeting, on_the_day, announced):
    actions.do_open_meeting(meeting, world.facilitator)
    return meeting
