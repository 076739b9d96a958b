"""Driving the live-meeting socket in tests: the real ASGI app (Origin check, session cookie,
routing) through channels' WebsocketCommunicator.

Tests are sync and run one async scenario each with `run(scenario)`, so every communicator lives
in one event loop; ORM work inside a scenario goes through `db(fn)(...)`.
"""

from __future__ import annotations

import importlib.util
import sys
from types import SimpleNamespace

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from django.test import Client

from revans.asgi import application
from revans.live import actions
from revans.live.tests.helpers import ON_THE_DAY

# channels.testing's __init__ imports daphne (a server we do not use) for its live-server test
# case only; standing in for that one module lets the communicator import.
if importlib.util.find_spec("daphne") is None:
    sys.modules.setdefault(
        "channels.testing.live", SimpleNamespace(ChannelsLiveServerTestCase=None)
    )
from channels.testing import WebsocketCommunicator  # noqa: E402

ORIGIN = b"http://127.0.0.1"
TIMEOUT = 5

db = database_sync_to_async
run = async_to_sync


def session_headers(user) -> list[tuple[bytes, bytes]]:
    headers = [(b"origin", ORIGIN)]
    if user is not None:
        client = Client()
        client.force_login(user)
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return headers


def communicator(meeting_id: int, headers) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, f"/ws/meetings/{meeting_id}/", headers=headers)


async def open_socket(meeting_id: int, headers) -> tuple[WebsocketCommunicator, dict]:
    """Connect as a member and return the socket with its first message (the snapshot)."""
    socket = communicator(meeting_id, headers)
    connected, code = await socket.connect(timeout=TIMEOUT)
    assert connected, f"refused with {code}"
    first = await socket.receive_json_from(timeout=TIMEOUT)
    assert first["type"] == "snapshot"
    return socket, first["snapshot"]


async def assert_shut_for_good(socket: WebsocketCommunicator, meeting_id: int, headers) -> None:
    """The socket is closed as at the door, and coming back with the same headers is
    refused there too."""
    from revans.live.consumers import CLOSE_NOT_AVAILABLE

    output = await socket.receive_output(timeout=TIMEOUT)
    assert output == {"type": "websocket.close", "code": CLOSE_NOT_AVAILABLE}
    again = communicator(meeting_id, headers)
    assert await again.connect(timeout=TIMEOUT) == (False, CLOSE_NOT_AVAILABLE)


async def receive(socket: WebsocketCommunicator) -> dict:
    return await socket.receive_json_from(timeout=TIMEOUT)


async def events_until(socket: WebsocketCommunicator, predicate) -> list[dict]:
    """Every event pushed until one matches `predicate` (which must come)."""
    seen = []
    while True:
        message = await receive(socket)
        assert message["type"] == "events", message
        seen.extend(message["events"])
        if any(predicate(e) for e in message["events"]):
            return seen


async def quiet(socket: WebsocketCommunicator) -> bool:
    return await socket.receive_nothing(timeout=0.3)


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    # The in-memory layer's queues belong to the event loop of the test that made them.
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture
def live_meeting(world, transactional_db, time_machine):
    """Set A's first meeting, opened on its day by the facilitator; time goes on from there."""
    meeting = world.meetings_a[0]
    time_machine.move_to(meeting.starts_at + ON_THE_DAY, tick=True)
    actions.do_open_meeting(meeting, world.facilitator)
    return meeting
