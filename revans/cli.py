"""The `revans` command: serve, worker, demo, and every Django management command.

revans serve [--host H] [--port P] [--workers N] [--no-worker]
revans worker
revans demo            load the demo organisation (once) and print sign-in links
revans <command> ...   any Django management command (migrate, createsuperuser, ...)
"""

from __future__ import annotations

import argparse
import os
import sys


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "revans.settings")
    import django

    django.setup()


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="revans serve")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "1")))
    parser.add_argument(
        "--no-worker", action="store_true", help="do not run the background worker in this process"
    )
    args = parser.parse_args(argv)
    _setup_django()
    import uvicorn

    from revans.core.wal_checkpoints import start_for_serving
    from revans.live.keeper import sweep_at_start_up

    sweep_at_start_up()
    start_for_serving()
    if args.workers == 1 and not args.no_worker:
        from revans.core.worker import start_in_thread

        start_in_thread()
    elif args.workers > 1 and not args.no_worker:
        print("Several web workers: run `revans worker` as its own process for emails.")
    uvicorn.run(
        "revans.asgi:application",
        host=args.host,
        port=args.port,
        workers=args.workers,
        lifespan="off",
        log_level=os.environ.get("UVICORN_LOG_LEVEL", "warning"),
        ws="websockets-sansio",
        # Live-meeting messages are small; compressing each push cost more CPU than the
        # bytes it saved (bench/live_meeting.py).
        ws_per_message_deflate=False,
    )
    return 0


def worker(argv: list[str]) -> int:
    _setup_django()
    import signal
    import threading

    from revans.core.worker import run_forever

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    run_forever(stop)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else "help"
    if command == "serve":
        return serve(argv[1:])
    if command == "worker":
        return worker(argv[1:])
    if command in {"help", "-h", "--help"}:
        print(__doc__)
        return 0
    # demo and everything else are Django management commands.
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["revans", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
