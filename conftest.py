import pytest

from revans.testing import build_world


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Unit tests deliver queued emails as soon as the transaction commits.
    settings.REVANS_DELIVER_ON_COMMIT = True
    settings.REVANS_OUTBOX_PAGE = False
    settings.SITE_URL = "http://testserver"
    # No heartbeat task in tests: presence tests call the keeper's actions themselves.
    settings.REVANS_LIVE_HEARTBEAT_SECONDS = 0


@pytest.fixture
def world(db):
    return build_world()


# PostgreSQL + Redis: tests marked `services` run only under `make test-services`, which sets
# DATABASE_URL, REDIS_URL and REVANS_REQUIRE_SERVICES=1.
def _services_configured() -> bool:
    import os

    return bool(os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"))


def pytest_collection_modifyitems(config, items):
    if _services_configured():
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL and Redis: run `make test-services`")
    for item in items:
        if "services" in item.keywords:
            item.add_marker(skip)


def pytest_sessionstart(session):
    """With REVANS_REQUIRE_SERVICES=1 an unreachable service fails the run instead of skipping."""
    import os

    if os.environ.get("REVANS_REQUIRE_SERVICES") != "1":
        return
    if not _services_configured():
        pytest.exit("REVANS_REQUIRE_SERVICES=1 needs DATABASE_URL and REDIS_URL", returncode=1)
    problems = []
    try:
        import psycopg

        # The maintenance database: the app's own may not exist yet, the test one never does.
        with psycopg.connect(os.environ["DATABASE_URL"], dbname="postgres", connect_timeout=5):
            pass
    except Exception as exc:
        problems.append(f"PostgreSQL at DATABASE_URL is unreachable: {exc}")
    try:
        import redis

        redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=5).ping()
    except Exception as exc:
        problems.append(f"Redis at REDIS_URL is unreachable: {exc}")
    if problems:
        pytest.exit("; ".join(problems), returncode=1)


@pytest.fixture(scope="session", autouse=True)
def _close_database_pools(django_db_setup, django_db_blocker):
    """On PostgreSQL each process keeps a pool of connections; close it before the test
    database is dropped, which PostgreSQL refuses while sessions are connected. Closing the
    pool closes only the connections given back to it: threads must give theirs back after
    each use (the live threads do, revans.live.consumers.on_live_thread)."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            close_pool = getattr(connection, "close_pool", None)
            if close_pool is not None:
                close_pool()


@pytest.fixture(scope="session", autouse=True)
def _flush_outlasts_a_deadlock():
    """Browser tests serve the app, whose worker keeps writing (reminders, emails) while a
    test's tables are emptied. On PostgreSQL the flush's TRUNCATE can then deadlock with a
    worker transaction, and PostgreSQL may pick the flush as the one to abort; the worker's
    transaction is short, so the flush is simply run again."""
    import time

    from django.core.management.commands import flush

    original = flush.Command.handle

    def handle(self, **options):
        for attempt in range(5):
            try:
                return original(self, **options)
            except Exception as exc:
                if "deadlock detected" not in str(exc.__cause__ or exc) or attempt == 4:
                    raise
                time.sleep(0.2 * (attempt + 1))

    flush.Command.handle = handle
    yield
    flush.Command.handle = original
