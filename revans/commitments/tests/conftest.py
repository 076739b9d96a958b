from revans.live.tests.conftest import announced, meeting, on_the_day, opened  # noqa: F401
