"""ASGI entry point: HTTP through Django; WebSockets (live meetings) through Channels."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "revans.settings")

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402

# Django must be set up (get_asgi_application does it) before the consumers import models.
django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from revans.live.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        # The session cookie says who is connecting; the Origin check stops other sites'
        # pages from opening a socket with a visitor's cookie.
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

# Last, so everything loaded at start-up is frozen out of collection (see the modules).
from revans.core import gc_tuning, thread_switching  # noqa: E402

gc_tuning.tune_for_serving()
thread_switching.tune_for_serving()
