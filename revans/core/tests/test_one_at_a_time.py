"""A live connection's messages (its socket's and the channel layer's) are handled one at a
time and in the order each source gives them: the cursor a consumer keeps relies on it."""

import asyncio

import pytest

from revans.core.one_at_a_time import dispatch_one_at_a_time


class Stop(Exception):
    pass


def test_messages_from_two_sources_are_handled_one_at_a_time_in_order():
    async def run():
        socket: asyncio.Queue = asyncio.Queue()
        layer: asyncio.Queue = asyncio.Queue()
        handled, running = [], []

        async def handle(message):
            running.append(message)
            assert len(running) == 1, f"{running} handled together"
            await asyncio.sleep(0.001)  # a handler that waits (a database read, say)
            handled.append(message)
            running.remove(message)
            if message == "stop":
                raise Stop

        for n in range(5):
            socket.put_nowait(f"socket {n}")
            layer.put_nowait(f"layer {n}")
        layer.put_nowait("stop")
        with pytest.raises(Stop):
            await dispatch_one_at_a_time([socket.get, layer.get], handle)
        return handled

    handled = asyncio.run(run())
    assert [m for m in handled if m.startswith("socket")] == [f"socket {n}" for n in range(5)]
    assert [m for m in handled if m.startswith("layer")] == [f"layer {n}" for n in range(5)]
    assert handled[-1] == "stop"


def test_when_one_source_ends_the_other_stops_waiting():
    async def run():
        waiting = asyncio.Event()
        cancelled = []

        async def never():
            waiting.set()
            try:
                await asyncio.Future()
            except asyncio.CancelledError:
                cancelled.append(True)
                raise

        async def fails():
            await waiting.wait()
            raise Stop

        async def handle(message):
            pass

        with pytest.raises(Stop):
            await dispatch_one_at_a_time([never, fails], handle)
        return cancelled

    assert asyncio.run(run()) == [True]
