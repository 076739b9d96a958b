from django.urls import path

from revans.commitments import views

app_name = "commitments"

urlpatterns = [
    path("commitments/", views.mine, name="mine"),
    path("commitments/<int:commitment_id>/", views.detail, name="detail"),
    path("commitments/<int:commitment_id>/edit/", views.edit, name="edit"),
    path("commitments/<int:commitment_id>/update/", views.update, name="update"),
    path("sets/<int:set_id>/commitments/", views.board, name="board"),
]
