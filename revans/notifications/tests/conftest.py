"""A real SMTP server (aiosmtpd) for the delivery tests, and the app sending to it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import MailSink, free_port


@pytest.fixture
def smtp_sink():
    from aiosmtpd.controller import Controller

    sink = MailSink(port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    yield sink
    controller.stop()


@pytest.fixture
def real_smtp(settings, smtp_sink):
    """Emails go over SMTP to smtp_sink; delivery by the worker, not on commit."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_sink.host
    settings.EMAIL_PORT = smtp_sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.REVANS_DELIVER_ON_COMMIT = False
    return smtp_sink
