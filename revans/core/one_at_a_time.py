"""Messages from several sources handled one at a time, as channels' await_many_dispatch
handles them, at less cost per message.

await_many_dispatch waits on a new task per source for every message, through asyncio.wait:
each message costs a task made, a wait set up and torn down, and three turns of the event
loop before its handler runs. A live meeting's update reaches every connection of the
meeting in each process, one after another, so the last connection's screen waited for all
of that before it (bench/live_meeting.py). Here each source has one task for good, which
takes its next message and runs the handler once no other handler is running.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def dispatch_one_at_a_time(
    sources: list[Callable[[], Awaitable[dict]]], dispatch: Callable[[dict], Awaitable[None]]
) -> None:
    """Until a handler (or a source) raises: that exception is raised here, as
    await_many_dispatch raises it (StopConsumer ends a consumer). A source's messages are
    handled in the order it gives them; while one is handled, the others wait their turn
    (asyncio.Lock is first come, first served)."""
    turn = asyncio.Lock()

    async def pump(source) -> None:
        while True:
            message = await source()
            async with turn:
                await dispatch(message)

    tasks = [asyncio.ensure_future(pump(source)) for source in sources]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            task.result()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
