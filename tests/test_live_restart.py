"""Nothing anyone saw acknowledged is lost when the server is killed (SIGKILL) mid-meeting.

The real `revans serve` runs in a subprocess against the test database; members talk to it
with the `websockets` client library, as a browser would (session cookie, Origin header).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path

import pytest
import time_machine
import websockets
from django.conf import settings
from django.db import connections
from django.test import Client

from revans.live import actions
from revans.live.models import LiveConnection, LiveMeeting, LiveServer, MeetingEvent, Presence
from revans.live.summary import attendance_suggestion
from revans.live.tests.helpers import ON_THE_DAY, go_to_round
from revans.testing_server import ServedApp, ServerFailed, database_env, free_port, serve


def start_server(var_dir: Path, port: int | None = None, **extra_env: str) -> ServedApp:
    """`revans serve` on 127.0.0.1 against the test database, answering /healthz."""
    port = port or free_port()
    env = {
        **os.environ,
        **database_env(connections["default"].settings_dict),
        "REVANS_VAR_DIR": str(var_dir),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REVANS_TEST_FAST_HASHER": "1",
        # The test's session cookies must mean the same to the server.
        "SECRET_KEY": settings.SECRET_KEY,
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "revans.settings",
        **extra_env,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log_path = var_dir / f"server-{port}-{time.monotonic_ns()}.log"
    try:
        return serve(env, log_path, port=port, worker=False)
    except ServerFailed as failed:
        pytest.fail(str(failed))


def cookie_for(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def open_meeting_in_round(world, meeting, round_: int):
    """Opened on its day (only opening checks the date), then walked to `round_` with member 2
    holding the issue."""
    with time_machine.travel(meeting.starts_at + ON_THE_DAY, tick=True):
        actions.do_open_meeting(meeting, world.facilitator)
    go_to_round(meeting, world.facilitator, round_, holders=[world.members[1]])


class Member:
    """One socket, remembering the last event number it has seen."""

    def __init__(self, server: ServedApp, meeting_id: int, cookie: str):
        self.url = f"{server.ws}/ws/meetings/{meeting_id}/"
        self.origin = f"http://127.0.0.1:{server.port}"
        self.cookie = cookie
        self.last_seq = 0
        self.socket = None

    async def connect(self) -> dict:
        self.socket = await websockets.connect(
            self.url, origin=self.origin, additional_headers={"Cookie": self.cookie}
        )
        first = json.loads(await self.socket.recv())
        assert first["type"] == "snapshot"
        self.last_seq = first["snapshot"]["last_seq"]
        return first["snapshot"]

    async def next(self, timeout: float = 10) -> dict:
        message = json.loads(await asyncio.wait_for(self.socket.recv(), timeout))
        if message["type"] == "events":
            self.last_seq = max(self.last_seq, message["last_seq"])
        return message

    async def act(self, request_id: str, message: dict) -> dict:
        await self.socket.send(json.dumps({"type": "act", "id": request_id, "message": message}))
        while True:
            answer = await self.next()
            if answer["type"] == "result" and answer["id"] == request_id:
                return answer

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()


def test_acknowledged_questions_survive_a_sigkill(world, transactional_db, tmp_path):
    meeting = world.meetings_a[0]
    open_meeting_in_round(world, meeting, 5)
    askers = [world.members[0], world.members[2], world.members[3]]
    cookies = [cookie_for(user) for user in askers]
    before = LiveMeeting.objects.get(meeting=meeting)
    server = start_server(tmp_path)
    acked: dict[str, int] = {}

    async def ask_until_killed(member: Member, n: int) -> None:
        count = 0
        try:
            while True:
                text = f"Question {n}.{count}?"
                answer = await member.act(f"{n}.{count}", {"action": "post_question", "text": text})
                assert answer["ok"] is True, answer
                acked[text] = answer["seq"]
                count += 1
        except websockets.ConnectionClosed:
            return

    async def first_half() -> list[Member]:
        members = [Member(server, meeting.pk, cookie) for cookie in cookies]
        for member in members:
            await member.connect()
        asking = [asyncio.create_task(ask_until_killed(m, n)) for n, m in enumerate(members)]
        while len(acked) < 30:
            await asyncio.sleep(0.01)
        server.kill()  # mid-flight: each member may have a question on its way
        await asyncio.wait_for(asyncio.gather(*asking), 15)
        return members

    members = asyncio.run(first_half())
    assert len(acked) >= 30
    server = start_server(tmp_path)

    async def second_half() -> list[dict]:
        caught = []
        for member in members:
            last_seen = member.last_seq
            member.url = f"{server.ws}/ws/meetings/{meeting.pk}/"
            member.origin = f"http://127.0.0.1:{server.port}"
            snapshot = await member.connect()
            await member.socket.send(json.dumps({"type": "since", "seq": last_seen}))
            while (answer := await member.next())["type"] != "events" or (
                answer["events"] and answer["events"][0]["seq"] != last_seen + 1
            ):
                pass
            texts = {c["text"] for c in snapshot["contributions"]}
            assert set(acked) <= texts, set(acked) - texts
            caught.append({"snapshot": snapshot, "since": answer, "from": last_seen})
        after = await members[0].act("after", {"action": "post_question", "text": "Still here?"})
        caught.append(after)
        for member in members:
            await member.close()
        return caught

    try:
        *caught, after = asyncio.run(second_half())
    finally:
        server.stop()

    live = LiveMeeting.objects.get(meeting=meeting)
    # The stage is where it was; only events were added.
    assert (live.status, live.stage_position, live.version) == (
        before.status,
        before.stage_position,
        before.version,
    )
    for seen in caught:
        assert seen["snapshot"]["stage"] == caught[0]["snapshot"]["stage"]
        seqs = [e["seq"] for e in seen["since"]["events"]]
        assert seqs == sorted(set(seqs)) and all(s > seen["from"] for s in seqs)
    # One numbering, without holes or repeats, carried on after the restart.
    numbers = list(
        MeetingEvent.objects.filter(live_meeting=live).order_by("seq").values_list("seq", flat=True)
    )
    assert numbers == list(range(1, live.last_seq + 1))
    assert max(acked.values()) < after["seq"] <= live.last_seq
    # After the last question only the members' departures were recorded, as they closed.
    later = MeetingEvent.objects.filter(live_meeting=live, seq__gt=after["seq"])
    assert set(later.values_list("type", flat=True)) <= {"presence"}
    assert len(set(acked.values())) == len(acked)


def test_presence_after_a_sigkill_is_what_is_really_open(world, transactional_db, tmp_path):
    """A member with two tabs stays here when one closes. The server is then killed, so none
    of its sockets says it closed; on restart it drops the dead process's connections, and only
    those opened again count."""
    meeting = world.meetings_a[0]
    open_meeting_in_round(world, meeting, 5)
    live = LiveMeeting.objects.get(meeting=meeting)
    two_tabs, reconnects = world.members[0], world.members[2]

    def here() -> dict[int, bool]:
        return dict(Presence.objects.filter(live_meeting=live).values_list("user_id", "connected"))

    cookies = {user.pk: cookie_for(user) for user in (two_tabs, reconnects)}
    server = start_server(tmp_path)

    async def before_the_crash() -> None:
        laptop = Member(server, meeting.pk, cookies[two_tabs.pk])
        phone = Member(server, meeting.pk, cookies[two_tabs.pk])
        other = Member(server, meeting.pk, cookies[reconnects.pk])
        for member in (laptop, phone, other):
            await member.connect()
        await wait_for(lambda: LiveConnection.objects.filter(live_meeting=live).count() == 3)
        await laptop.close()
        await wait_for(lambda: LiveConnection.objects.filter(live_meeting=live).count() == 2)
        assert await in_thread(here) == {two_tabs.pk: True, reconnects.pk: True}
        server.kill()

    try:
        asyncio.run(before_the_crash())
    finally:
        server.stop()  # killed already, unless the test failed before
    # Nobody's socket said goodbye: the database still has them here, held by a dead process.
    assert here() == {two_tabs.pk: True, reconnects.pk: True}
    dead = LiveServer.objects.get()

    server = start_server(tmp_path)
    try:
        # Swept as the new process started, before it answered /healthz.
        assert not LiveServer.objects.filter(pk=dead.pk).exists()
        assert here() == {two_tabs.pk: False, reconnects.pk: False}

        async def after_the_restart() -> list[dict]:
            back = Member(server, meeting.pk, cookies[reconnects.pk])
            snapshot = await back.connect()
            await wait_for(lambda: here()[reconnects.pk])
            await back.close()
            await wait_for(lambda: not LiveConnection.objects.exists())
            return snapshot["presence"]

        # What the member who came back saw: the two-tab member away, as they are.
        presence = asyncio.run(after_the_restart())
        assert {p["user"]["id"]: p["connected"] for p in presence}[two_tabs.pk] is False
        assert here() == {two_tabs.pk: False, reconnects.pk: False}
    finally:
        server.stop()
    # Both came: the attendance suggestion is everyone who joined.
    assert set(attendance_suggestion(live)) == {two_tabs.pk, reconnects.pk}


async def in_thread(fn):
    """Run database code from async code: in a thread, whose connection is closed after."""

    def call():
        try:
            return fn()
        finally:
            connections.close_all()

    return await asyncio.to_thread(call)


async def wait_for(condition, timeout: float = 10) -> None:
    """Poll the database until `condition()` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await in_thread(condition):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the server did not record it in time")
