"""Forms for signing in and looking after one's own account."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from revans.accounts import actions
from revans.accounts.models import User, normalise_email
from revans.core.mail import absolute_url

PASSWORD_HELP = _(
    "At least 8 characters, not only numbers, and not a common password. A few unrelated "
    "words make a good one."
)


EMAIL_LABEL = _("Email address")


def email_field(label=EMAIL_LABEL, autocomplete: str = "email", **attrs) -> forms.Field:
    return forms.EmailField(
        label=label,
        max_length=254,
        widget=forms.EmailInput(
            attrs={
                "autocomplete": autocomplete,
                "autocapitalize": "none",
                "spellcheck": "false",
                **attrs,
            }
        ),
    )


def new_password_fields() -> tuple[forms.Field, forms.Field]:
    first = forms.CharField(
        label=_("New password"),
        strip=False,
        help_text=PASSWORD_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    again = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    return first, again


class SignInForm(auth_forms.AuthenticationForm):
    # The sign-in identifier: password managers look for autocomplete="username" here.
    username = email_field(autocomplete="username", autofocus=True)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "That email address and password do not match. Check them and try again, or "
            "email yourself a sign-in link."
        ),
        "inactive": _("This account is closed."),
    }

    def clean_username(self) -> str:
        return normalise_email(self.cleaned_data["username"])

    @sensitive_variables()
    def clean(self):
        email = self.cleaned_data.get("username")
        if email:
            refusal = actions.too_many_failed_sign_ins(email)
            if refusal:
                raise ValidationError(refusal, code="too_many")
        return super().clean()


class SignInLinkRequestForm(forms.Form):
    email = email_field()

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])


class NameForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=120,
        help_text=_("How the people in your sets and organisations see you."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class ChangeEmailForm(forms.Form):
    new_email = email_field(label=_("New email address"))
    password = forms.CharField(
        label=_("Current password"),
        strip=False,
        help_text=_("To check that it is really you."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: User, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if not user.has_usable_password():
            # Accounts that sign in only by emailed links have no password to ask for.
            del self.fields["password"]

    def clean_new_email(self) -> str:
        email = normalise_email(self.cleaned_data["new_email"])
        if email == normalise_email(self.user.email):
            raise ValidationError(_("That is already your email address."), code="same")
        if actions.email_is_taken(email, by_someone_other_than=self.user):
            raise ValidationError(_("Another account already uses this address."), code="taken")
        return email

    @sensitive_variables("password")
    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(
                _("That is not your current password."), code="password_incorrect"
            )
        return password


class SetNewPasswordForm(auth_forms.SetPasswordForm):
    """A password without the old one: after a reset link, or for an account that has none."""

    new_password1, new_password2 = new_password_fields()
    error_messages = {"password_mismatch": _("The two passwords are not the same.")}

    def save(self, commit: bool = True) -> User:
        return actions.do_set_password(self.user, self.cleaned_data["new_password1"])


class ChangePasswordForm(SetNewPasswordForm):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    @sensitive_variables("old_password")
    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        if not self.user.check_password(old_password):
            raise ValidationError(
                _("That is not your current password."), code="password_incorrect"
            )
        return old_password


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    email = email_field()

    def get_users(self, email):
        # Accounts made by invitation may have no password yet: a reset link lets them choose
        # one, which proves the same thing as a sign-in link (they read that mailbox).
        return User.objects.filter(email__iexact=normalise_email(email), is_active=True)

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        url = absolute_url(
            reverse("accounts:password_reset_confirm", args=[context["uid"], context["token"]])
        )
        actions.do_send_password_reset_email(context["user"], url)
