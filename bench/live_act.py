"""One live-meeting act, measured in process: N questions in one meeting, one after another.

    uv run python bench/live_act.py [--questions 3000] [--services]

What a question costs the server before anyone hears of it, without sockets, other meetings
or the channel layer (the broadcast after commit is switched off): the wall time of each act
and this process's CPU time for it, and the statements it sends. Embedded (default): a
temporary SQLite file. With --services (or DATABASE_URL set): a throwaway PostgreSQL
database, where the act's statements go in round trips to the server, also counted. Prints
JSON. bench/README.md
has the figures; bench/live_meeting.py measures the whole path under load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import live_meeting  # noqa: E402  (the same set-up: environment, data, throwaway database)


def percentiles(values: list[float]) -> dict:
    q = statistics.quantiles(values, n=100, method="inclusive")
    return {
        "p50_ms": round(q[49], 3),
        "p90_ms": round(q[89], 3),
        "p99_ms": round(q[98], 3),
        "mean_ms": round(statistics.mean(values), 3),
    }


def run(questions: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from revans.live import broadcast
    from revans.live.dispatch import check_access, dispatch
    from revans.meetings.models import Meeting
    from revans.testing import round_trips

    ((meeting_id, _cookies),) = live_meeting.prepare(1, 8)
    meeting = Meeting.objects.select_related("learning_set").get(pk=meeting_id)
    members = [m.user for m in meeting.learning_set.memberships.select_related("user")]
    members.sort(key=lambda user: user.pk)
    # Each connection holds its user's access (revans.live.consumers); so does this loop.
    accesses = [check_access(user, meeting_id) for user in members]
    broadcast.send = lambda *args, **kwargs: None
    walls, cpus = [], []
    for n in range(questions):
        asker = 1 + n % (len(members) - 1)  # members[0] holds the issue
        message = {"action": "post_question", "text": f"What would help with {n}?"}
        wall, cpu = time.perf_counter(), time.process_time()
        outcome = dispatch(members[asker], meeting_id, message, accesses[asker])
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        if not outcome["ok"]:
            raise SystemExit(f"question {n} was refused: {outcome}")
    with CaptureQueriesContext(connection) as captured:
        dispatch(members[1], meeting_id, {"action": "post_question", "text": "And?"}, accesses[1])
    # As Django logs them: a plain question on PostgreSQL is one simple query, BEGIN to
    # COMMIT (revans.live.actions.question_in_one_trip).
    statements = [q["sql"].split()[0] for q in captured.captured_queries]
    figures = {
        "database": connection.vendor,
        "questions": questions,
        "wall": percentiles(walls),
        "cpu": percentiles(cpus),
        "statements_per_question": statements,
    }
    if connection.vendor == "postgresql":
        message = {"action": "post_question", "text": "And then?"}
        figures["round_trips_per_question"] = round_trips(
            lambda: dispatch(members[1], meeting_id, message, accesses[1])
        )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=3000)
    parser.add_argument("--services", action="store_true")
    args = parser.parse_args()
    args.services = args.services or bool(os.environ.get("DATABASE_URL"))
    args.no_flush_wait = False
    os.environ["BENCH_BASE_DATABASE_URL"] = (
        os.environ.get("DATABASE_URL") or live_meeting.PG_DEFAULT
    )
    with tempfile.TemporaryDirectory(prefix="revans-bench-") as tmp:
        _env, pg_name = live_meeting.setup_environment(args, Path(tmp))
        import django

        django.setup()
        try:
            figures = run(args.questions)
        finally:
            if pg_name:
                from django.db import connections

                connections.close_all()
                live_meeting.drop_database(pg_name)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
