from django.urls import path

from revans.sets import views, views_invitation, views_members

app_name = "sets"
urlpatterns = [
    path("new/", views.create, name="create"),
    path("<int:set_id>/", views.detail, name="detail"),
    path("<int:set_id>/edit/", views.edit, name="edit"),
    path("<int:set_id>/status/", views.status, name="status"),
    path("<int:set_id>/agreement/", views.agreement, name="agreement"),
    path("<int:set_id>/invite/", views_members.invite, name="invite"),
    path("<int:set_id>/members/", views_members.members, name="members"),
    path(
        "<int:set_id>/members/<int:membership_id>/remove/",
        views_members.remove_member,
        name="remove_member",
    ),
    path(
        "<int:set_id>/invitations/<int:invitation_id>/resend/",
        views_members.resend_invitation,
        name="resend_invitation",
    ),
    path(
        "<int:set_id>/invitations/<int:invitation_id>/withdraw/",
        views_members.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path("<int:set_id>/facilitator/", views_members.facilitator, name="facilitator"),
    path("invitations/<str:token>/", views_invitation.invitation, name="invitation"),
]
