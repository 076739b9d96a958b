from django.urls import path

from revans.journal import views

app_name = "journal"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("new/", views.new, name="new"),
    path("<int:entry_id>/edit/", views.edit, name="edit"),
    path("<int:entry_id>/delete/", views.delete, name="delete"),
    path("<int:entry_id>/share/", views.share, name="share"),
    path("<int:entry_id>/unshare/", views.unshare, name="unshare"),
    path("sets/<int:set_id>/", views.set_shared, name="set_shared"),
]
