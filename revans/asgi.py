"""ASGI entry point: HTTP through Django; WebSockets (live meetings) through Channels."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "revans.settings")

from channels.routing import ProtocolTypeRouter  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402

django_application = get_asgi_application()

application = ProtocolTypeRouter({"http": django_application})
