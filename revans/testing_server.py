"""`revans serve` in a subprocess, for the tests that need a real server and for the benchmark.

Used by tests/browser/conftest.py, tests/test_live_restart.py and bench/live_meeting.py, so
a server is started, awaited (`/healthz`) and stopped the same way everywhere. Nothing here
imports Django: the benchmark uses it before it sets Django up.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]


class ServerFailed(RuntimeError):
    """The server exited or did not answer in time; the message carries its log."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_env(settings_dict) -> dict[str, str]:
    """Environment that points a served app at the database described by `settings_dict`
    (e.g. the one pytest-django created for this session)."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return {"REVANS_SQLITE_PATH": str(settings_dict["NAME"]), "DATABASE_URL": ""}
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return {"DATABASE_URL": f"postgresql://{credentials}{host}:{port}/{settings_dict['NAME']}"}


@dataclass
class ServedApp:
    port: int
    process: subprocess.Popen
    # None when the log went to a file the caller holds open (the benchmark's shared log).
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def log_since(self, offset: int) -> str:
        if self.log_path is None:
            return ""
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path is not None else 0

    def kill(self) -> None:
        """As a crash would: no chance to close anything."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout: float = 10) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wait_until_healthy(app: ServedApp, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.process.poll() is not None:
            raise ServerFailed(
                f"`revans serve` exited with {app.process.returncode}:\n{app.log_since(0)}"
            )
        try:
            with urllib.request.urlopen(f"{app.url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    app.stop()
    raise ServerFailed(
        f"`revans serve` did not answer /healthz within {timeout:.0f}s:\n{app.log_since(0)}"
    )


def serve(
    env: dict[str, str],
    log: Path | BinaryIO,
    *,
    port: int | None = None,
    worker: bool = True,
    timeout: float = 30.0,
) -> ServedApp:
    """Start `revans serve` on 127.0.0.1 with `env` (complete: it replaces the environment),
    its output going to `log` (a path, or a file the caller keeps open), and return it once
    it answers /healthz. Raises ServerFailed, with the log, if it does not."""
    port = port or free_port()
    command = [sys.executable, "-m", "revans.cli", "serve", "--port", str(port)]
    if not worker:
        command.append("--no-worker")
    if isinstance(log, Path):
        with log.open("wb") as out:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        app = ServedApp(port, process, log)
    else:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        app = ServedApp(port, process)
    wait_until_healthy(app, timeout)
    return app
