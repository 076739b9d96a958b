"""Forms about people in a set: invitations, the facilitator role, joining, the agreement."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from revans.accounts.models import User, normalise_email
from revans.sets.forms import set_choices
from revans.sets.models import SetMembership

# More than a set can hold, so a long paste is told it is too long rather than half-checked.
MAX_ADDRESSES = 50
_SEPARATORS = re.compile(r"[\s,;]+")


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=gettext_lazy("Email addresses"),
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false"}),
        help_text=gettext_lazy("One per line, or separated by commas."),
        max_length=MAX_ADDRESSES * 254,
        error_messages={"required": gettext_lazy("Enter at least one email address.")},
    )
    employer = forms.CharField(
        label=gettext_lazy("Organisation they work for"),
        required=False,
        max_length=SetMembership._meta.get_field("employer").max_length,
        help_text=gettext_lazy("Applies to everyone in this list; sets may mix organisations."),
    )

    def clean_emails(self) -> list[str]:
        words = [w for w in _SEPARATORS.split(self.cleaned_data["emails"]) if w]
        if not words:
            raise ValidationError(_("Enter at least one email address."))
        if len(words) > MAX_ADDRESSES:
            raise ValidationError(
                _("Enter at most %(n)s addresses at a time.") % {"n": MAX_ADDRESSES}
            )
        errors = []
        for word in words:
            try:
                validate_email(word)
            except ValidationError:
                errors.append(
                    ValidationError(
                        _("'%(value)s' is not a valid email address."), params={"value": word}
                    )
                )
        if errors:
            raise ValidationError(errors)
        return list(dict.fromkeys(normalise_email(w) for w in words))


class FacilitatorForm(forms.Form):
    FACILITATED = "facilitated"
    SELF_MANAGED = "self_managed"

    mode = forms.ChoiceField(
        label=gettext_lazy("How the set is facilitated"),
        choices=[
            (FACILITATED, gettext_lazy("By a facilitator of the organisation")),
            (SELF_MANAGED, gettext_lazy("Self-managed: a member holds the facilitator's duties")),
        ],
        widget=forms.RadioSelect,
    )
    facilitator = forms.ChoiceField(
        label=gettext_lazy("Facilitator"),
        required=False,
        help_text=gettext_lazy("For a set run by a facilitator of the organisation."),
    )
    duty_holder = forms.ChoiceField(
        label=gettext_lazy("Member who holds the duties"),
        required=False,
        help_text=gettext_lazy("For a self-managed set: one of its current members."),
    )

    def __init__(self, *args, facilitators, members, **kwargs):
        super().__init__(*args, **kwargs)
        self._facilitators = {str(u.pk): u for u in facilitators}
        self._members = {str(u.pk): u for u in members}
        set_choices(
            self,
            "facilitator",
            [("", _("Choose a facilitator"))]
            + [(k, u.display_name) for k, u in self._facilitators.items()],
        )
        set_choices(
            self,
            "duty_holder",
            [("", _("Choose a member"))] + [(k, u.display_name) for k, u in self._members.items()],
        )

    @property
    def self_managed(self) -> bool:
        return self.cleaned_data.get("mode") == self.SELF_MANAGED

    def holder_field(self) -> str:
        return "duty_holder" if self.self_managed else "facilitator"

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        if mode == self.SELF_MANAGED:
            if not self._members:
                self.add_error(
                    "duty_holder",
                    _("The set has no members yet: invite members before it manages itself."),
                )
            elif not data.get("duty_holder"):
                self.add_error("duty_holder", _("Choose the member who takes on the duties."))
            data["holder"] = self._members.get(data.get("duty_holder") or "")
        elif mode == self.FACILITATED:
            if not data.get("facilitator"):
                self.add_error("facilitator", _("Choose the facilitator who takes over."))
            data["holder"] = self._facilitators.get(data.get("facilitator") or "")
        return data


class JoinWithNewAccountForm(forms.Form):
    full_name = forms.CharField(
        label=gettext_lazy("Your full name"),
        max_length=User._meta.get_field("full_name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=gettext_lazy("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )

    def clean_full_name(self):
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise ValidationError(_("Enter your name as the set will see it."))
        return name

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ. Type the same one twice."))
        elif first:
            # The validators compare the password with the name and address it would guard.
            candidate = User(email=self.email, full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class AcceptAgreementForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StatusForm(forms.Form):
    transition = forms.ChoiceField(
        choices=[(t, t) for t in ("activate", "complete", "archive", "unarchive")]
    )
