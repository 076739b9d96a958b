"""Input for the organisation pages: parse and explain; the rules are enforced in actions."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from revans.accounts.actions import find_user_by_email
from revans.accounts.models import User, normalise_email
from revans.organisations.actions import account_exists_refusal
from revans.organisations.models import Organisation, Sponsor

ROLE_ADMIN = "admin"
ROLE_FACILITATOR = "facilitator"
ROLE_CHOICES = [
    (ROLE_ADMIN, _("Organisation admin")),
    (ROLE_FACILITATOR, _("Facilitator")),
]
EXPLAINED_ROLE_CHOICES = [
    (ROLE_ADMIN, _("Organisation admin: manages people, sponsors and every set")),
    (ROLE_FACILITATOR, _("Facilitator: runs sets")),
]


class RefusalForm(forms.Form):
    """A form that can show an action's refusal next to the field it is about."""

    def add_refusal(self, refusal) -> None:
        field = refusal.field if refusal.field in self.fields else None
        self.add_error(field, refusal.message)


class StartOrganisationForm(RefusalForm):
    name = forms.CharField(
        label=_("Organisation name"),
        max_length=120,
        help_text=_("As your clients and colleagues know it, e.g. “Riverbank Coaching”."),
    )
    kind = forms.ChoiceField(
        label=_("What kind of organisation is it?"),
        choices=Organisation.Kind.choices,
        widget=forms.RadioSelect,
    )
    facilitates = forms.BooleanField(
        label=_("I facilitate sets myself"),
        required=False,
        help_text=_("Always on for an independent facilitator."),
    )

    def __init__(self, *args, signed_in: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_exists = False
        if not signed_in:
            self.fields["full_name"] = forms.CharField(label=_("Your full name"), max_length=120)
            self.fields["email"] = forms.EmailField(
                label=_("Your email address"),
                max_length=254,
                help_text=_("You sign in with it."),
            )
            self.fields["password"] = forms.CharField(
                label=_("Choose a password"),
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            )
            self.fields["password_confirm"] = forms.CharField(
                label=_("Type the password again"),
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            )
            self.fields["email"].widget.attrs["autocomplete"] = "email"
            self.fields["full_name"].widget.attrs["autocomplete"] = "name"

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        if find_user_by_email(email) is not None:
            self.account_exists = True
            raise ValidationError(account_exists_refusal().message, code="account_exists")
        return email

    def clean(self):
        data = super().clean()
        if data.get("kind") == Organisation.Kind.INDEPENDENT:
            data["facilitates"] = True
        if "password" not in self.fields:
            return data
        password, confirm = data.get("password"), data.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", _("The two passwords do not match."))
        elif password:
            candidate = User(email=data.get("email", ""), full_name=data.get("full_name", ""))
            try:
                validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password", error)
        return data

    def add_refusal(self, refusal) -> None:
        if refusal.code == "account_exists":
            self.account_exists = True
        super().add_refusal(refusal)


class RolesForm(RefusalForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    @classmethod
    def for_membership(cls, membership, data=None) -> RolesForm:
        """The roles form of one person on the people page (prefixed: one per row)."""
        held = [
            name
            for name, has_it in (
                (ROLE_ADMIN, membership.is_admin),
                (ROLE_FACILITATOR, membership.is_facilitator),
            )
            if has_it
        ]
        return cls(data, prefix=f"m{membership.pk}", initial={"roles": held})

    def clean_roles(self):
        roles = self.cleaned_data["roles"]
        if not roles:
            raise ValidationError(
                _("Choose at least one role. To take someone out of the organisation, remove them.")
            )
        return roles

    @property
    def is_admin(self) -> bool:
        return ROLE_ADMIN in self.cleaned_data["roles"]

    @property
    def is_facilitator(self) -> bool:
        return ROLE_FACILITATOR in self.cleaned_data["roles"]


class AddPersonForm(RolesForm):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=120,
        required=False,
        help_text=_("Used only if they do not have an account yet."),
    )
    field_order = ["email", "full_name", "roles"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = EXPLAINED_ROLE_CHOICES


def default_sponsor_kind(organisation: Organisation) -> str:
    # An in-house team's sponsors are its own departments; everyone else's are clients.
    if organisation.kind == Organisation.Kind.IN_HOUSE:
        return Sponsor.Kind.DEPARTMENT
    return Sponsor.Kind.CLIENT


class SponsorForm(RefusalForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Sponsor.Kind.choices,
        initial=Sponsor.Kind.CLIENT,
        help_text=_("A client organisation that commissions sets, or a department of your own."),
    )


class ContactForm(RefusalForm):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=120,
        required=False,
        help_text=_("Used only if they do not have an account yet."),
    )


class MoneyField(forms.DecimalField):
    """A sum of money as people type it: "1,800", "1 800.50" or "1800".

    A text input, not type=number: browsers turn "1,800" in a number input into an empty
    value, which would silently clear the cost."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").replace(" ", "").replace("\u00a0", "")
        return super().to_python(value)


class ProgrammeTermsForm(RefusalForm):
    cost_per_set = MoneyField(
        label=_("Cost per set"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        help_text=_(
            "What the sponsor pays for one set's programme, e.g. 1800. Leave empty if unknown."
        ),
        error_messages={
            "invalid": _("Enter the cost as a number, e.g. 1800 or 1800.50."),
            "min_value": _("The cost cannot be negative."),
            "max_decimal_places": _("Give the cost to at most 2 decimal places, e.g. 1800.50."),
            "max_digits": _("That cost is too large: at most 10 digits before the point."),
            "max_whole_digits": _("That cost is too large: at most 10 digits before the point."),
        },
    )
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        min_length=3,
        help_text=_("A three-letter ISO 4217 code, e.g. GBP, EUR or USD."),
        widget=forms.TextInput(
            attrs={"size": 4, "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Enter a currency code, e.g. GBP."),
            "min_length": _("A currency code has three letters, e.g. GBP."),
            "max_length": _("A currency code has three letters, e.g. GBP."),
        },
    )
    theme_threshold = forms.IntegerField(
        label=_("Members needed to show a theme across sets"),
        min_value=2,
        max_value=50,
        help_text=_(
            "A theme reaches the programme report only if at least this many different "
            "members support it. At least 2; 3 is usual."
        ),
        error_messages={
            "invalid": _("Enter a whole number of members, e.g. 3."),
            "required": _("Enter a whole number of members, e.g. 3."),
            "min_value": _("At least 2 members: a theme supported by one member identifies them."),
            "max_value": _("At most 50 members."),
        },
    )

    def clean_currency(self) -> str:
        from revans.organisations.currencies import is_in_use

        code = self.cleaned_data["currency"].strip().upper()
        if not is_in_use(code):
            raise ValidationError(
                _(
                    "%(code)s is not the code of a currency in use today; try GBP (pounds), "
                    "EUR (euros) or USD (US dollars)."
                ),
                params={"code": code},
                code="unknown_currency",
            )
        return code
