"""Each serving process says it is alive, and drops the connections of processes that are not.

Started on the server's event loop by the first live connection (like broadcast.relay), and
by `revans serve` at start-up for one sweep before anyone connects (cli.serve). Every
REVANS_LIVE_HEARTBEAT_SECONDS it beats (actions.do_heartbeat) and sweeps
(actions.do_drop_dead_servers). Should this process have been taken for dead while it stalled
(its row swept), it joins its open connections again, so nobody is left marked away.
"""

from __future__ import annotations

import asyncio
import logging
import weakref

from django.conf import settings

from revans.live import servers

log = logging.getLogger(__name__)


class Keeper:
    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.task: asyncio.Task | None = None
        # The consumers of this process with a recorded connection.
        self.open: weakref.WeakSet = weakref.WeakSet()

    def bind(self, loop: asyncio.AbstractEventLoop, beat, sweep, rejoin) -> None:
        """Called on the loop by each connection; starts once per loop. `beat` and `sweep`
        are the database calls (async), `rejoin(consumer)` joins one connection again."""
        if self.loop is loop:
            return
        self.loop = loop
        if settings.REVANS_LIVE_HEARTBEAT_SECONDS <= 0:
            return
        self.task = loop.create_task(self.run(beat, sweep, rejoin))

    async def run(self, beat, sweep, rejoin) -> None:
        while True:
            try:
                if not await beat():
                    for consumer in list(self.open):
                        await rejoin(consumer)
                await sweep()
            except Exception:
                log.exception("live: heartbeat or sweep failed; trying again")
            await asyncio.sleep(servers.heartbeat_seconds())


keeper = Keeper()


def sweep_at_start_up() -> None:
    """`revans serve` calls this before serving: connections left by a process that crashed
    are dropped now, not when someone next connects. A database not yet migrated is no
    reason to refuse to start."""
    from django.db import DatabaseError, connections

    from revans.live.actions import do_drop_dead_servers

    try:
        dropped = do_drop_dead_servers()
    except DatabaseError as exc:
        log.warning("live: could not sweep dead servers' connections: %s", exc)
        return
    finally:
        connections.close_all()
    if dropped:
        log.warning("live: dropped %s connections of server processes that are gone", dropped)
