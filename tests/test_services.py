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
