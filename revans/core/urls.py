from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from revans.core import views

app_name = "core"
urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", RedirectView.as_view(url=static("revans/favicon.svg")), name="favicon"),
]
