import pytest

from revans.meetings import actions as meeting_actions


@pytest.fixture
def schedule_calls(monkeypatch):
    """Stand in for the meetings helper's do_generate_schedule and record how it was called."""
    calls = []

    def fake_generate(learning_set, *, first_start_local, custom_dates=None, actor=None):
        calls.append(
            {
                "set": learning_set,
                "first_start_local": first_start_local,
                "custom_dates": custom_dates,
                "actor": actor,
            }
        )
        return []

    monkeypatch.setattr(meeting_actions, "do_generate_schedule", fake_generate)
    return calls
