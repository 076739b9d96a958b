"""The least the PostgreSQL + Redis path can cost: the live-meeting benchmark's questions
through two bare servers that do only what that path must, beside the bare broadcast baseline.

    uv run python bench/live_floor.py [--meetings 100] [--clients 8] [--seconds 30] [--async]

What `bench/live_meeting.py --services` measures Revans doing, without Django, Channels or
uvicorn: two `websockets` servers, clients alternating between them; each question is one
durable transaction in one round trip (a psycopg pipeline: BEGIN, the meeting row locked, the
event written with the next number, COMMIT), answered to its sender after the commit and then
sent through Redis with channels-redis' pub/sub layer (as Revans' settings use it) to every
connection of the meeting, in either process. Acts run on a pool of threads with synchronous
psycopg, as Revans' do; `--async` runs them on the event loop with async psycopg instead.

It prints JSON like live_meeting.py's: the floor's p50/p95/p99, the bare broadcast server's
(live_meeting.baseline_server, same client code) and their ratio. Read Revans' figures against
both: the gap to the floor is what Revans' own layers cost; the floor's gap to the baseline is
the price of the path itself (a commit waited for, a hop through Redis, two processes) on this
machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import live_meeting  # noqa: E402  (the same clients, baseline and figures)

PG_DEFAULT = live_meeting.PG_DEFAULT
REDIS_DEFAULT = live_meeting.REDIS_DEFAULT
# Sized as Revans sizes its live threads on PostgreSQL (settings.REVANS_LIVE_THREADS).
THREADS = 16
POOL = 8
# As revans.core.thread_switching sets it for a serving process.
SWITCH_INTERVAL = 0.0005

SCHEMA = """
CREATE TABLE floor_meeting (id int PRIMARY KEY, last_seq int NOT NULL DEFAULT 0);
CREATE TABLE floor_event (id bigserial PRIMARY KEY, meeting_id int NOT NULL
    REFERENCES floor_meeting, seq int NOT NULL, payload jsonb NOT NULL, UNIQUE (meeting_id, seq));
"""
LOCK = "SELECT 1 FROM floor_meeting WHERE id = %s FOR UPDATE"
COUNT = "UPDATE floor_meeting SET last_seq = last_seq + 1 WHERE id = %s RETURNING last_seq"
WRITE = (
    "INSERT INTO floor_event (meeting_id, seq, payload)"
    " SELECT id, last_seq, %s FROM floor_meeting WHERE id = %s"
)


def act_on_thread(pool, meeting_id: int, payload: str) -> int:
    with pool.connection() as conn, conn.pipeline() as pipeline:
        conn.execute("BEGIN")
        conn.execute(LOCK, (meeting_id,))
        counted = conn.execute(COUNT, (meeting_id,))
        conn.execute(WRITE, (payload, meeting_id))
        conn.execute("COMMIT")
        pipeline.sync()
        return counted.fetchone()[0]


async def act_on_loop(pool, meeting_id: int, payload: str) -> int:
    async with pool.connection() as conn, conn.pipeline() as pipeline:
        await conn.execute("BEGIN")
        await conn.execute(LOCK, (meeting_id,))
        counted = await conn.execute(COUNT, (meeting_id,))
        await conn.execute(WRITE, (payload, meeting_id))
        await conn.execute("COMMIT")
        await pipeline.sync()
        return (await counted.fetchone())[0]


async def floor_server(port: int, database: str, redis_url: str, on_loop: bool) -> None:
    import websockets
    from channels_redis.pubsub import RedisPubSubChannelLayer
    from psycopg_pool import AsyncConnectionPool, ConnectionPool

    sys.setswitchinterval(SWITCH_INTERVAL)
    layer = RedisPubSubChannelLayer(hosts=[redis_url])
    if on_loop:
        async_pool = AsyncConnectionPool(
            database, min_size=POOL, max_size=POOL, kwargs={"autocommit": True}, open=False
        )
        await async_pool.open()
    else:
        pool = ConnectionPool(database, min_size=POOL, max_size=POOL, kwargs={"autocommit": True})
        threads = ThreadPoolExecutor(THREADS)

    async def forward(ws, channel: str) -> None:
        while True:
            message = await layer.receive(channel)
            await ws.send(message["frame"])

    async def handler(ws) -> None:
        meeting_id = int(ws.request.path.rsplit("/", 1)[1])
        channel = await layer.new_channel()
        await layer.group_add(f"meeting-{meeting_id}", channel)
        forwarder = asyncio.ensure_future(forward(ws, channel))
        await ws.send(json.dumps({"type": "snapshot", "snapshot": {"last_seq": 0}}))
        try:
            async for raw in ws:
                message = json.loads(raw)
                text = message["message"]["text"]
                payload = json.dumps({"text": text})
                if on_loop:
                    seq = await act_on_loop(async_pool, meeting_id, payload)
                else:
                    loop = asyncio.get_running_loop()
                    seq = await loop.run_in_executor(
                        threads, act_on_thread, pool, meeting_id, payload
                    )
                await ws.send(json.dumps({"type": "result", "id": message["id"], "ok": True}))
                event = {"seq": seq, "type": "contribution", "payload": {"text": text}}
                frame = json.dumps({"type": "events", "events": [event], "last_seq": seq})
                # Everyone else, in this process too, gets it through Redis, as in Revans.
                await layer.group_send(
                    f"meeting-{meeting_id}", {"type": "meeting.event", "seq": seq, "frame": frame}
                )
        finally:
            forwarder.cancel()
            await layer.group_discard(f"meeting-{meeting_id}", channel)

    async with websockets.serve(handler, "127.0.0.1", port):
        await asyncio.Future()


def start_floor(port: int, database: str, redis_url: str, on_loop: bool, log) -> subprocess.Popen:
    command = [sys.executable, __file__, "--floor-server", str(port), database, redis_url]
    process = subprocess.Popen(
        command + (["--async"] if on_loop else []), stdout=log, stderr=subprocess.STDOUT
    )
    return live_meeting.listening(process, port, "a floor server")


def stop(processes: list[subprocess.Popen]) -> None:
    """Stop the floor servers, once: whether the run got to the baseline or failed first."""
    while processes:
        process = processes.pop()
        process.terminate()
        process.wait(timeout=10)


def create_database(base: str, meetings: int) -> tuple[str, str]:
    import psycopg

    name = f"revans_floor_{os.getpid()}"
    with psycopg.connect(base, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = psycopg.conninfo.make_conninfo(base, dbname=name)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(SCHEMA)
        conn.execute("INSERT INTO floor_meeting (id) SELECT generate_series(1, %s)", (meetings,))
    return name, url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=100)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--rate", type=float, default=1.0, help="questions/s in each meeting")
    parser.add_argument("--async", dest="on_loop", action="store_true")
    parser.add_argument("--floor-server", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_server:
        import uvloop

        port, database, redis_url = args.floor_server
        uvloop.run(floor_server(int(port), database, redis_url, args.on_loop))
        return 0
    base = os.environ.get("DATABASE_URL") or PG_DEFAULT
    redis_url = os.environ.get("REDIS_URL") or REDIS_DEFAULT
    name, database = create_database(base, args.meetings)
    rooms = [(m + 1, [""] * args.clients) for m in range(args.meetings)]
    processes = []
    log = open(os.devnull, "wb")
    try:
        ports = [live_meeting.free_port() for _ in range(2)]
        processes += [start_floor(p, database, redis_url, args.on_loop, log) for p in ports]

        def floor_url(meeting_id: int, i: int):
            port = ports[i % 2]
            return f"ws://127.0.0.1:{port}/m/{meeting_id}", f"http://127.0.0.1:{port}"

        floor = asyncio.run(
            live_meeting.drive(
                floor_url, rooms, args.seconds, args.rate, servers=[p.pid for p in processes]
            )
        )
        # Stopped before the baseline runs, so the two never share the machine.
        stop(processes)
        baseline = live_meeting.run_baseline(rooms, args.seconds, args.rate, log)
    finally:
        stop(processes)
        log.close()
        live_meeting.drop_database(name, base)
    print(
        json.dumps(
            {
                "mode": "floor: PostgreSQL + Redis, 2 bare processes, acts "
                + ("on the event loop (async psycopg)" if args.on_loop else "on threads"),
                "meetings": args.meetings,
                "clients_per_meeting": args.clients,
                "seconds": args.seconds,
                "questions_per_second_per_meeting": args.rate,
                "floor": floor,
                "baseline_websockets": baseline,
                "ratio_floor_to_baseline": live_meeting.ratios(floor, baseline),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
