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


@pytest.fixture
def world(db):
    return build_world()
