"""Which server process this is, and whether another one is still alive.

Presence must survive a crash: a process killed with SIGKILL never says its sockets closed,
so each live connection is recorded with the process that holds it (LiveServer), and a
process that is gone has its connections dropped (revans.live.actions.presence). A process
is known to be gone when

- it has not beaten for `stale_after()` seconds (any host: works for several processes or
  hosts sharing PostgreSQL and Redis), or
- it ran on this host and its pid no longer runs, or now belongs to this process under a
  new boot id (found at once: a restarted server clears its predecessor as it starts).

Hosts are told apart by their hostname, so hosts sharing a database need distinct ones (as
containers and machines normally have). The keeper (revans.live.keeper) beats and sweeps in
each serving process.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid

from django.conf import settings

_identity: tuple[int, str] | None = None


def boot_id() -> str:
    """New for each process (a forked worker gets its own, as its pid differs)."""
    global _identity
    pid = os.getpid()
    if _identity is None or _identity[0] != pid:
        _identity = (pid, uuid.uuid4().hex)
    return _identity[1]


def host() -> str:
    return socket.gethostname()[:255]


def heartbeat_seconds() -> float:
    return float(settings.REVANS_LIVE_HEARTBEAT_SECONDS)


def stale_after() -> dt.timedelta:
    """Long enough that a busy process is not taken for dead between two beats."""
    beat = heartbeat_seconds() or 15.0
    return dt.timedelta(seconds=max(4 * beat, 30.0))


def pid_runs(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it runs
        return True
    except OSError:
        return False
    return True


def is_dead(server, now: dt.datetime) -> bool:
    """`server` is a LiveServer row."""
    if server.boot_id == boot_id():
        return False
    if server.heartbeat_at < now - stale_after():
        return True
    if server.host == host():
        return server.pid == os.getpid() or not pid_runs(server.pid)
    return False
