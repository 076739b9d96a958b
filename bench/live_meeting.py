"""Live-meeting latency: M meetings x 8 clients, questions at a steady rate, Revans vs a bare
`websockets` broadcast server driven by the same client code.

    uv run python bench/live_meeting.py [--meetings 20] [--clients 8] [--seconds 10] [--rate 1]
                                        [--services [--no-flush-wait]] [--dump FILE]

Embedded (default): SQLite + in-memory channel layer, one `revans serve` process. With
--services (or DATABASE_URL and REDIS_URL set): a throwaway PostgreSQL database + Redis, two
`revans serve` processes, clients spread over both. Everything runs on 127.0.0.1 in a
temporary directory. Latency of an event = from the sender's send to its receipt by the last
of the other clients of that meeting. Prints JSON, with how long the disk took to flush a
write (fdatasync) in the temporary directory for a few seconds before the run: every commit
waits for one, so a slow disk sets the slowest updates.

--no-flush-wait is a diagnostic: the throwaway PostgreSQL database commits without waiting for
the disk (synchronous_commit off), to tell the disk's share of the latency from the
software's. Revans itself never runs that way: an acknowledged act must survive a crash.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The project's own package: importable as installed by uv, or from the checkout.
sys.path.insert(0, str(ROOT))
from revans.testing_server import ServerFailed, free_port, serve  # noqa: E402

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/revans"
REDIS_DEFAULT = "redis://127.0.0.1:6379/14"


# --- the bare baseline server --------------------------------------------------------------


async def baseline_server(port: int) -> None:
    """Each act is answered to its sender and broadcast to the rest of its meeting's path."""
    import websockets

    rooms: dict[str, set] = {}

    async def handler(ws):
        room = rooms.setdefault(ws.request.path, set())
        room.add(ws)
        await ws.send(json.dumps({"type": "snapshot", "snapshot": {"last_seq": 0}}))
        seq = 0
        try:
            async for raw in ws:
                message = json.loads(raw)
                seq += 1
                text = message["message"]["text"]
                await ws.send(json.dumps({"type": "result", "id": message["id"], "ok": True}))
                event = json.dumps(
                    {
                        "type": "events",
                        "events": [{"seq": seq, "type": "contribution", "payload": {"text": text}}],
                        "last_seq": seq,
                    }
                )
                websockets.broadcast([peer for peer in room if peer is not ws], event)
        finally:
            room.discard(ws)

    async with websockets.serve(handler, "127.0.0.1", port):
        await asyncio.Future()


# --- servers -------------------------------------------------------------------------------


def start_revans(port: int, env: dict, log) -> subprocess.Popen:
    """Started and awaited as the tests start theirs (revans.testing_server)."""
    try:
        return serve(env, log, port=port, worker=False, timeout=60).process
    except ServerFailed as failed:
        raise SystemExit(str(failed)) from None


def start_baseline(port: int, log) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, __file__, "--baseline-server", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return listening(process, port, "the baseline server")


def listening(process: subprocess.Popen, port: int, what: str) -> subprocess.Popen:
    """`process` once it accepts connections on `port`."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} stopped as it started")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{what} did not start")


def run_baseline(rooms, seconds: float, rate: float, log) -> dict:
    """The same clients and questions through the bare broadcast server."""
    port = free_port()
    process = start_baseline(port, log)
    try:

        def baseline_url(meeting_id: int, i: int):
            return f"ws://127.0.0.1:{port}/m/{meeting_id}", f"http://127.0.0.1:{port}"

        return asyncio.run(drive(baseline_url, rooms, seconds, rate, servers=[process.pid]))
    finally:
        process.terminate()
        process.wait(timeout=10)


def ratios(figures: dict, baseline: dict) -> dict:
    return {
        key: round(figures[key] / baseline[key], 2) if baseline.get(key) else None
        for key in ("p50_ms", "p95_ms", "p99_ms")
    }


# --- the data ------------------------------------------------------------------------------


def prepare(meetings: int, clients: int) -> list[tuple[int, list[str]]]:
    """M sets with `clients` members each, one meeting each, opened and in the questioning
    round; returns (meeting id, session cookies)."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from revans.live import actions
    from revans.live.tests.helpers import go_to_round
    from revans.organisations.models import Organisation
    from revans.testing import add_members, make_meetings, make_set, make_user

    call_command("migrate", verbosity=0, interactive=False)
    org = Organisation.objects.create(name="Bench", slug="bench", kind="provider")
    result = []
    for m in range(meetings):
        facilitator = make_user(f"fac{m}@bench.example")
        learning_set = make_set(org, facilitator, f"Set {m}", time_zone="UTC")
        members = [make_user(f"m{m}-{i}@bench.example") for i in range(clients)]
        add_members(learning_set, members)
        now = timezone.now().astimezone(ZoneInfo("UTC"))
        (meeting,) = make_meetings(learning_set, 1, first=now + dt.timedelta(seconds=1))
        actions.do_open_meeting(meeting, facilitator)
        go_to_round(meeting, facilitator, 5, holders=[members[0]])
        cookies = []
        for member in members:
            client = Client()
            client.force_login(member)
            cookies.append(f"sessionid={client.cookies['sessionid'].value}")
        result.append((meeting.pk, cookies))
    return result


# --- the clients ---------------------------------------------------------------------------


async def drive(
    urls_for, rooms, seconds: float, rate: float, present=None, dump=None, servers=()
) -> dict:
    """Connect every client, let members 1.. post questions in turn at `rate` per meeting per
    second, and time each question until every other client of its meeting has it. With
    `servers` (process ids), also the CPU time they spent per question while questions ran:
    steadier from run to run than the latencies, so a change's cost shows in fewer runs."""
    import websockets

    sent: dict[str, float] = {}
    waiting: dict[str, set[int]] = {}
    done: dict[str, float] = {}
    sockets = []
    gate = asyncio.Semaphore(50)

    def seen(text: str, who: int) -> None:
        if text in waiting:
            waiting[text].discard(who)
            if not waiting[text]:
                done[text] = time.perf_counter() - sent[text]
                del waiting[text]

    async def listen(ws, who: int):
        try:
            async for raw in ws:
                message = json.loads(raw)
                if message["type"] == "events":
                    for event in message["events"]:
                        if event["type"] == "contribution":
                            seen(event["payload"]["text"], who)
                elif message["type"] == "snapshot":
                    for c in message["snapshot"].get("contributions", []):
                        seen(c["text"], who)
        except websockets.ConnectionClosed:
            return

    async def connect(url, cookie, origin):
        async with gate:
            ws = await websockets.connect(
                url, origin=origin, additional_headers={"Cookie": cookie}, max_size=None
            )
            await ws.recv()  # the snapshot
            return ws

    room_sockets = []
    for meeting_id, cookies in rooms:
        urls = [urls_for(meeting_id, i) for i in range(len(cookies))]
        room_sockets.append(
            await asyncio.gather(
                *(
                    connect(url, cookie, origin)
                    for (url, origin), cookie in zip(urls, cookies, strict=True)
                )
            )
        )
    ids = iter(range(10**9))
    listeners = []
    for m, room in enumerate(room_sockets):
        for i, ws in enumerate(room):
            who = m * 1000 + i
            sockets.append(ws)
            listeners.append(asyncio.create_task(listen(ws, who)))
    # Measure a meeting in progress, not the rush of everyone joining at once: wait until the
    # server has recorded every client as present (`present` counts them), then a second more.
    settle_started = time.perf_counter()
    joins_settled = None
    if present is not None:
        expected = sum(len(room) for room in room_sockets)
        while time.perf_counter() - settle_started < 180:
            if await asyncio.to_thread(present) >= expected:
                joins_settled = round(time.perf_counter() - settle_started, 2)
                break
            await asyncio.sleep(0.25)
    await asyncio.sleep(1)

    async def meeting_script(m: int, room):
        speaker = 0
        interval = 1 / rate
        start = time.perf_counter()
        k = 0
        while time.perf_counter() - start < seconds:
            speaker = speaker % (len(room) - 1) + 1
            text = f"Q{m}.{next(ids)} what next?"
            waiting[text] = {m * 1000 + i for i in range(len(room)) if i != speaker}
            sent[text] = time.perf_counter()
            message = {"action": "post_question", "text": text}
            await room[speaker].send(json.dumps({"type": "act", "id": text, "message": message}))
            k += 1
            await asyncio.sleep(max(0, start + k * interval - time.perf_counter()))

    # Meetings start spread over one interval, as real ones would not all tick together.
    async def staggered(m, room):
        await asyncio.sleep((m / len(room_sockets)) / rate)
        await meeting_script(m, room)

    cpu_before = cpu_seconds(servers)
    await asyncio.gather(*(staggered(m, room) for m, room in enumerate(room_sockets)))
    deadline = time.perf_counter() + 10
    while waiting and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    cpu_spent = cpu_seconds(servers) - cpu_before
    for ws in sockets:
        await ws.close()
    for task in listeners:
        task.cancel()
    summary = summarise(list(done.values()), lost=len(waiting), sent=len(sent))
    if dump is not None:
        # When each question was sent (wall clock, to line up with server logs) and how long
        # it took to reach everyone: where in the run the slow ones fall.
        offset = time.time() - time.perf_counter()
        with open(dump, "w") as out:
            for text, took in sorted(done.items(), key=lambda kv: sent[kv[0]]):
                out.write(f"{sent[text] + offset:.4f}\t{took * 1000:.2f}\t{text}\n")
    if present is not None:
        summary["joins_settled_s"] = joins_settled
    if servers and sent:
        summary["server_cpu_ms_per_question"] = round(cpu_spent * 1000 / len(sent), 3)
    return summary


def cpu_seconds(pids) -> float:
    """User and system CPU time of these processes (Linux /proc), 0 where unreadable."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def disk_flush(directory: Path, seconds: float = 5.0) -> dict:
    """How long an 8 KB write and its fdatasync take here, every 2 ms for `seconds`."""
    path = directory / "flush-probe"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    took, block, end, i = [], b"x" * 8192, time.perf_counter() + seconds, 0
    try:
        while time.perf_counter() < end:
            os.pwrite(fd, block, (i % 128) * 8192)
            i += 1
            start = time.perf_counter()
            os.fdatasync(fd)
            took.append((time.perf_counter() - start) * 1000)
            time.sleep(0.002)
    finally:
        os.close(fd)
        path.unlink()
    q = statistics.quantiles(took, n=100, method="inclusive")
    return {
        "flushes": len(took),
        "p50_ms": round(q[49], 2),
        "p99_ms": round(q[98], 2),
        "max_ms": round(max(took), 1),
        "over_20_ms": sum(1 for t in took if t > 20),
    }


def summarise(latencies: list[float], lost: int, sent: int) -> dict:
    if not latencies:
        return {"events": 0, "undelivered": lost, "sent": sent}
    ms = sorted(x * 1000 for x in latencies)
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return {
        "events": len(ms),
        "sent": sent,
        "undelivered": lost,
        "p50_ms": round(q[49], 2),
        "p95_ms": round(q[94], 2),
        "p99_ms": round(q[98], 2),
        "max_ms": round(ms[-1], 2),
    }


# --- the run -------------------------------------------------------------------------------


def setup_environment(args, workdir: Path) -> tuple[dict, str | None]:
    """Environment for this process and the servers; the throwaway PostgreSQL database name."""
    env = {
        **os.environ,
        "REVANS_VAR_DIR": str(workdir),
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REVANS_TEST_FAST_HASHER": "1",
        "DJANGO_SETTINGS_MODULE": "revans.settings",
        "UVICORN_LOG_LEVEL": "warning",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    pg_name = None
    if args.services:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict

        base = os.environ.get("DATABASE_URL") or PG_DEFAULT
        pg_name = f"revans_bench_{os.getpid()}"
        with psycopg.connect(base, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{pg_name}"')
            if args.no_flush_wait:
                conn.execute(f'ALTER DATABASE "{pg_name}" SET synchronous_commit = off')
        parts = conninfo_to_dict(base)
        parts["dbname"] = pg_name
        user = parts.get("user", "postgres")
        host, port = parts.get("host", "127.0.0.1"), parts.get("port", "5432")
        password = f":{parts['password']}" if parts.get("password") else ""
        env["DATABASE_URL"] = f"postgresql://{user}{password}@{host}:{port}/{pg_name}"
        env["REDIS_URL"] = os.environ.get("REDIS_URL") or REDIS_DEFAULT
    else:
        env["DATABASE_URL"] = ""
        env["REDIS_URL"] = ""
        env["REVANS_SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    os.environ.update(env)
    return env, pg_name


def drop_database(name: str, base: str | None = None) -> None:
    import psycopg

    base = base or os.environ.get("BENCH_BASE_DATABASE_URL") or PG_DEFAULT
    with psycopg.connect(base, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rate", type=float, default=1.0, help="questions/s in each meeting")
    parser.add_argument("--services", action="store_true")
    parser.add_argument(
        "--no-flush-wait",
        action="store_true",
        help="diagnostic: PostgreSQL commits without waiting for the disk (never in Revans)",
    )
    parser.add_argument(
        "--dump", metavar="FILE", help="write each question's send time and latency (TSV)"
    )
    parser.add_argument("--baseline-server", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_server:
        asyncio.run(baseline_server(args.baseline_server))
        return 0
    args.services = args.services or bool(
        os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")
    )
    if args.no_flush_wait and not args.services:
        parser.error("--no-flush-wait is for PostgreSQL (--services)")
    os.environ["BENCH_BASE_DATABASE_URL"] = os.environ.get("DATABASE_URL") or PG_DEFAULT
    processes = []
    with tempfile.TemporaryDirectory(prefix="revans-bench-") as tmp:
        workdir = Path(tmp)
        env, pg_name = setup_environment(args, workdir)
        flush = disk_flush(workdir)
        log = (workdir / "servers.log").open("wb")
        try:
            import django

            django.setup()
            rooms = prepare(args.meetings, args.clients)
            from django.db import connections

            connections.close_all()
            ports = [free_port() for _ in range(2 if args.services else 1)]
            processes += [start_revans(p, env, log) for p in ports]

            def revans_url(meeting_id: int, i: int):
                port = ports[i % len(ports)]
                return (
                    f"ws://127.0.0.1:{port}/ws/meetings/{meeting_id}/",
                    f"http://127.0.0.1:{port}",
                )

            def present() -> int:
                from revans.live.models import Presence

                try:
                    return Presence.objects.filter(connected=True).count()
                finally:
                    connections.close_all()

            revans = asyncio.run(
                drive(
                    revans_url,
                    rooms,
                    args.seconds,
                    args.rate,
                    present,
                    args.dump,
                    servers=[p.pid for p in processes],
                )
            )
            baseline = run_baseline(rooms, args.seconds, args.rate, log)
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=10)
            log.close()
            if pg_name:
                from django.db import connections

                connections.close_all()
                drop_database(pg_name)
    ratio = ratios(revans, baseline)
    print(
        json.dumps(
            {
                "mode": "postgresql+redis, 2 processes"
                + (", commits not waiting for the disk" if args.no_flush_wait else "")
                if args.services
                else "sqlite+in-memory, 1 process",
                "meetings": args.meetings,
                "clients_per_meeting": args.clients,
                "seconds": args.seconds,
                "questions_per_second_per_meeting": args.rate,
                "revans": revans,
                "baseline_websockets": baseline,
                "ratio_revans_to_baseline": ratio,
                "disk_flush_before_the_run": flush,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
