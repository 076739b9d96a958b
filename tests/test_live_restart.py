"""Nothing anyone saw acknowledged is lost when the server is killed (SIGKILL) mid-meeting.

The real `revans serve` runs in a subprocess against the test database; members talk to it
with the `websockets` client library, as a browser would (session cookie, Origin header).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
import websockets
from django.conf import settings
from django.db import connections
from django.test import Client

from revans.live import actions
from revans.live.models import LiveMeeting, MeetingEvent
from revans.live.tests.helpers import ON_THE_DAY, go_to_round
from tests.browser.conftest import ROOT, _database_env, free_port


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(var_dir: Path, port: int | None = None, **extra_env: str) -> Server:
    """`revans serve` on 127.0.0.1 against the test database, answering /healthz."""
    port = port or free_port()
    env = {
        **os.environ,
        **_database_env(connections["default"].settings_dict),
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
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "revans.cli", "serve", "--port", str(port), "--no-worker"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(port, process, log_path)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`revans serve` exited:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    pytest.fail(f"`revans serve` did not answer:\n{log_path.read_text()}")


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

    def __init__(self, server: Server, meeting_id: int, cookie: str):
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
