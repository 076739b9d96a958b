"""The grown-up set-up really is in use under `make test-services`: PostgreSQL and Redis."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels_redis.pubsub import RedisPubSubChannelLayer
from django.db import connection

pytestmark = pytest.mark.services


@pytest.mark.django_db
def test_the_database_is_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


def test_a_message_round_trips_through_the_redis_channel_layer():
    layer = get_channel_layer()
    assert isinstance(layer, RedisPubSubChannelLayer)

    async def round_trip():
        try:
            direct = await layer.new_channel()
            await layer.send(direct, {"type": "meeting.hint", "seq": 1})
            received_direct = await asyncio.wait_for(layer.receive(direct), 5)

            # Live meetings fan out through groups: a member of the group hears it.
            listener = await layer.new_channel()
            await layer.group_add("revans-services-test", listener)
            await layer.group_send("revans-services-test", {"type": "meeting.hint", "seq": 2})
            received_group = await asyncio.wait_for(layer.receive(listener), 5)
            await layer.group_discard("revans-services-test", listener)
            return received_direct, received_group
        finally:
            # Unsubscribes and closes the layer's connections for this loop.
            await layer.flush()

    received_direct, received_group = async_to_sync(round_trip)()
    assert received_direct == {"type": "meeting.hint", "seq": 1}
    assert received_group == {"type": "meeting.hint", "seq": 2}


def test_a_database_thread_publishes_to_a_group_without_the_event_loop():
    """broadcast.group_send from a thread (a live act after its commit) reaches the group's
    members in every process through Redis, as the layer's own group_send does."""
    from revans.live import broadcast

    layer = get_channel_layer()

    async def not_this_way(group, message):
        raise AssertionError("sent through the event loop")

    async def hear_it():
        try:
            listener = await layer.new_channel()
            await layer.group_add("revans-services-thread", listener)
            message = {"type": "meeting.event", "seq": 7, "event": {"seq": 7}, "frame": "{}"}
            # Not through the layer's own (asynchronous) group_send: that needs a loop.
            layer.group_send = not_this_way
            try:
                await asyncio.to_thread(broadcast.group_send, "revans-services-thread", message)
            finally:
                del layer.group_send
            heard = await asyncio.wait_for(layer.receive(listener), 5)
            await layer.group_discard("revans-services-thread", listener)
            return heard
        finally:
            await layer.flush()

    assert async_to_sync(hear_it)() == {
        "type": "meeting.event",
        "seq": 7,
        "event": {"seq": 7},
        "frame": "{}",
    }
