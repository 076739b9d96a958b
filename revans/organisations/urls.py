from django.urls import path

from revans.organisations import views, views_sponsors

app_name = "organisations"
urlpatterns = [
    # Before <slug>: "start" is also reserved as a slug (see actions.RESERVED_SLUGS).
    path("start/", views.start, name="start"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/people/", views.people, name="people"),
    path("<slug:slug>/people/<int:membership_id>/roles/", views.person_roles, name="person_roles"),
    path(
        "<slug:slug>/people/<int:membership_id>/remove/",
        views.person_remove,
        name="person_remove",
    ),
    path("<slug:slug>/sponsors/", views_sponsors.sponsors, name="sponsors"),
    path(
        "<slug:slug>/sponsors/<int:sponsor_id>/",
        views_sponsors.sponsor_detail,
        name="sponsor_detail",
    ),
    path(
        "<slug:slug>/sponsors/<int:sponsor_id>/contacts/",
        views_sponsors.contact_add,
        name="contact_add",
    ),
    path(
        "<slug:slug>/sponsors/<int:sponsor_id>/contacts/<int:contact_id>/remove/",
        views_sponsors.contact_remove,
        name="contact_remove",
    ),
]
