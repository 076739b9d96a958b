"""Organisations run sets; sponsors commission them.

An independent facilitator is an organisation of one (admin and facilitator); a provider
runs sets for several client organisations (each a Sponsor); an in-house learning and
development team sponsors its own sets through departments (also Sponsors).
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        INDEPENDENT = "independent", _("Independent facilitator")
        PROVIDER = "provider", _("Provider running sets for clients")
        IN_HOUSE = "in_house", _("In-house learning and development team")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class OrganisationMembership(models.Model):
    """Someone who works for the organisation: its admins and its facilitators."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_roles"
    )
    is_admin = models.BooleanField(_("organisation admin"), default=False)
    is_facilitator = models.BooleanField(_("facilitator"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_role_row_per_org")
        ]


class Sponsor(models.Model):
    """The client organisation or department that commissioned one or more sets."""

    class Kind(models.TextChoices):
        CLIENT = "client", _("Client organisation")
        DEPARTMENT = "department", _("Department")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sponsors"
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CLIENT)
    created_at = models.DateTimeField(default=timezone.now)
    # The programme's terms live on the sponsor because they are what this client (or
    # department) is charged for each set it commissions: one price and one currency per
    # relationship, so a programme's cost never adds amounts in two currencies.
    cost_per_set = models.DecimalField(
        _("cost per set"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, default="GBP")
    # The programme report's anonymity threshold: a theme across sets is shown only if at
    # least this many distinct members support it. Never below 2 (see MIN_THEME_THRESHOLD).
    theme_threshold = models.PositiveSmallIntegerField(
        _("members needed to show a theme"), default=3, validators=[MinValueValidator(2)]
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(theme_threshold__gte=2), name="sponsor_theme_threshold_min_2"
            ),
            models.CheckConstraint(
                condition=models.Q(cost_per_set__isnull=True) | models.Q(cost_per_set__gte=0),
                name="sponsor_cost_not_negative",
            ),
            # "Client Council" and "client council" are the same sponsor to the people choosing.
            models.UniqueConstraint("organisation", Lower("name"), name="sponsor_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class SponsorContact(models.Model):
    sponsor = models.ForeignKey(Sponsor, on_delete=models.CASCADE, related_name="contacts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sponsor_contacts"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sponsor", "user"], name="one_contact_row_per_sponsor")
        ]
