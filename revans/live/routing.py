"""WebSocket URLs, routed by revans/asgi.py."""

from django.urls import path

from revans.live.consumers import MeetingConsumer

websocket_urlpatterns = [
    path("ws/meetings/<int:meeting_id>/", MeetingConsumer.as_asgi()),
]
