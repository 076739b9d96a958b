import pytest

from revans.live import actions, broadcast
from revans.live.dispatch import check_access, dispatch
from revans.live.tests.helpers import ON_THE_DAY, go_to_round


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


@pytest.fixture
def questioning(world, opened):
    """The meeting in round 5 with members[0] holding the issue; ask(text) is members[1]
    posting a question through their socket's dispatch, on the access it holds."""
    go_to_round(opened, world.facilitator, 5, holders=[world.members[0]])
    asker = world.members[1]
    access = check_access(asker, opened.pk)

    def ask(text: str) -> dict:
        return dispatch(asker, opened.pk, {"action": "post_question", "text": text}, access)

    return ask
