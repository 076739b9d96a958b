"""The channel layer with REDIS_URL: channels-redis' pub/sub layer, plus a group send that a
database thread can make itself, at once, after its commit.

Through the layer's own group_send a thread's send has to reach the server's event loop
first (broadcast.Relay), then wait its turn there behind whatever the loop is doing: sending
other meetings' updates, reading sockets. On the path of a live question (its commit, Redis,
every other member's screen) that wait was the one hop the thread could skip: with the
loop busy it was the slowest part of the commit-to-publish step (bench/live_meeting.py).
publish_group_now() publishes the same bytes to the same Redis channel as group_send, from
the calling thread, over a connection of its own; the layer's subscribers in every process
receive it exactly as they receive any group message.
"""

from __future__ import annotations

import redis
from channels_redis.pubsub import RedisPubSubChannelLayer
from channels_redis.utils import _consistent_hash, decode_hosts

# A thread must never hang on an unreachable Redis: the commit has happened, and a lost
# hint costs each connection a read (broadcast.announce logs the failure).
SOCKET_TIMEOUT_SECONDS = 5.0


def _sync_client(host: dict) -> redis.Redis:
    """A thread-safe client (a pool of connections) for one of the layer's hosts, given as
    channels-redis takes them: {"address": "redis://..."} or Redis' own keyword arguments."""
    options = {"socket_timeout": SOCKET_TIMEOUT_SECONDS, **host}
    address = options.pop("address", None)
    if address is not None:
        return redis.Redis(connection_pool=redis.ConnectionPool.from_url(address, **options))
    return redis.Redis(**options)


class RedisPubSubLayer(RedisPubSubChannelLayer):
    def __init__(self, *args, hosts=None, prefix: str = "asgi", **kwargs) -> None:
        super().__init__(*args, hosts=hosts, prefix=prefix, **kwargs)
        self._group_prefix = f"{prefix}__group__"
        # Clients connect when first used, in whichever process and thread that is.
        self._clients = [_sync_client(host) for host in decode_hosts(hosts)]

    def publish_group_now(self, group: str, message: dict) -> None:
        """group_send, synchronously, from any thread (not the event loop's: it waits for
        Redis' answer). The channel name and shard are the pub/sub layer's own
        (RedisPubSubLoopLayer._get_group_channel_name and _get_shard)."""
        channel = self._group_prefix + group
        client = self._clients[_consistent_hash(channel, len(self._clients))]
        client.publish(channel, self.serialize(message))
