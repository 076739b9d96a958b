"""With PostgreSQL and Redis, two server processes serve one meeting together."""

from __future__ import annotations

import asyncio

import pytest

from revans.live.models import LiveMeeting
from tests.test_live_restart import Member, cookie_for, open_meeting_in_round, start_server

pytestmark = pytest.mark.services


@pytest.fixture
def two_servers(transactional_db, tmp_path):
    servers = [start_server(tmp_path / "one"), start_server(tmp_path / "two")]
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture(autouse=True)
def _var_dirs(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()


def test_members_on_different_processes_see_each_others_questions(world, two_servers):
    meeting = world.meetings_a[0]
    open_meeting_in_round(world, meeting, 5)
    one, two = two_servers
    asker = Member(one, meeting.pk, cookie_for(world.members[0]))
    listener = Member(two, meeting.pk, cookie_for(world.members[2]))

    async def scenario():
        await asker.connect()
        await listener.connect()
        answer = await asker.act("q", {"action": "post_question", "text": "Who else knows?"})
        assert answer["ok"] is True
        while True:
            message = await listener.next()
            texts = [e["payload"].get("text") for e in message.get("events", [])]
            if "Who else knows?" in texts:
                break
        assert listener.last_seq >= answer["seq"]
        await asker.close()
        await listener.close()

    asyncio.run(scenario())


def test_two_facilitator_tabs_on_two_processes_move_the_meeting_once(world, two_servers):
    meeting = world.meetings_a[0]
    open_meeting_in_round(world, meeting, 2)
    expected = LiveMeeting.objects.get(meeting=meeting).version
    cookie = cookie_for(world.facilitator)
    tabs = [Member(server, meeting.pk, cookie) for server in two_servers]
    press = {"action": "advance", "expected_version": expected, "confirm": True}

    async def scenario():
        for tab in tabs:
            await tab.connect()
        results = await asyncio.gather(*(tab.act(f"next{n}", press) for n, tab in enumerate(tabs)))
        for tab in tabs:
            await tab.close()
        return results

    results = asyncio.run(scenario())
    assert sorted(r["ok"] for r in results) == [False, True], results
    assert [r["code"] for r in results if not r["ok"]] == ["stale"]
    assert LiveMeeting.objects.get(meeting=meeting).version == expected + 1
