from django.urls import path

from revans.core import views

app_name = "core"
urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("healthz", views.healthz, name="healthz"),
]
