"""The channel layer for the embedded, single-process server (no REDIS_URL).

Channels' own InMemoryChannelLayer sweeps every channel and every group membership for expiry
on each send and receive, and deep-copies each message for each recipient. The cost of one
push therefore grows with the number of open connections, and the total with its square: at
100 live meetings x 8 people the server spent its time sweeping and live updates fell tens of
seconds behind (bench/live_meeting.py). This layer keeps the same behaviour and expiry rules
but sweeps at most once a second, and gives each recipient a shallow copy of the message (our
messages are flat dicts of numbers, strings and already-encoded JSON, never mutated in place).
"""

from __future__ import annotations

import asyncio
import time

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer


class LocalChannelLayer(InMemoryChannelLayer):
    sweep_interval = 1.0
    _swept_at = float("-inf")

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._swept_at < self.sweep_interval:
            return
        self._swept_at = now
        super()._clean_expired()

    async def send(self, channel, message):
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        queue = self.channels.setdefault(channel, asyncio.Queue(maxsize=self.get_capacity(channel)))
        try:
            queue.put_nowait((time.time() + self.expiry, dict(message)))
        except asyncio.QueueFull:
            raise ChannelFull(channel) from None

    async def group_send(self, group, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        # Sends never wait (put_nowait), so one after another is enough: no task per member.
        for channel in list(self.groups.get(group, ())):
            try:
                await self.send(channel, message)
            except ChannelFull:
                pass
