from django.urls import path

from revans.accounts import views, views_account

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/link/", views.sign_in_link_request, name="sign_in_link_request"),
    # Before the token route: "sent" is never a token (tokens are 43 characters).
    path("sign-in/link/sent/", views.sign_in_link_sent, name="sign_in_link_sent"),
    path("sign-in/link/<str:token>/", views.sign_in_link, name="sign_in_link"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("account/", views_account.account, name="account"),
    path("account/email/", views_account.change_email, name="change_email"),
    path("account/email/<str:token>/", views_account.confirm_email, name="confirm_email"),
    path("account/password/", views_account.password_change, name="password_change"),
    path("password/reset/", views_account.password_reset, name="password_reset"),
    path("password/reset/sent/", views_account.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/done/",
        views_account.password_reset_complete,
        name="password_reset_complete",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views_account.password_reset_confirm,
        name="password_reset_confirm",
    ),
]
