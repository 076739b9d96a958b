"""The benchmarks in bench/ keep working: each runs with one command and prints its JSON.
Small runs only, and no timing is asserted (the machines are noisy); what a question sends to
the database is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _bench(script: str, *args: str) -> dict:
    """Run one benchmark as its README says (its own settings, not the tests') and read its
    JSON."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_the_live_act_benchmark_prints_what_a_question_costs():
    figures = _bench("live_act.py", "--questions", "30")
    assert figures["questions"] == 30
    assert figures["wall"]["p50_ms"] > 0 and figures["cpu"]["p50_ms"] > 0
    # Lock and read the meeting, its agenda, the person asked; write the question, then the
    # meeting's counters and the event. On PostgreSQL a plain question is one simple query:
    # BEGIN, the lock, one statement for all the rest, COMMIT
    # (revans.live.actions.question_in_one_trip).
    if figures["database"] == "postgresql":
        assert figures["statements_per_question"] == ["BEGIN;"]
        # All of it in one round trip.
        assert figures["round_trips_per_question"] == 1
    else:
        middle = ["SELECT", "SELECT", "SELECT", "INSERT", "UPDATE", "INSERT"]
        assert figures["statements_per_question"] == ["BEGIN", *middle, "COMMIT"]


@pytest.mark.skipif(
    not (os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")),
    reason="the floor is the PostgreSQL + Redis path (make test-services)",
)
def test_the_live_floor_benchmark_delivers_every_question_through_both_processes():
    figures = _bench("live_floor.py", "--meetings", "3", "--seconds", "2")
    for run in ("floor", "baseline_websockets"):
        # Three meetings asking once a second for two seconds, every question to all 7 others.
        assert figures[run]["sent"] == figures[run]["events"] == 6
        assert figures[run]["undelivered"] == 0
    assert set(figures["ratio_floor_to_baseline"]) == {"p50_ms", "p95_ms", "p99_ms"}
