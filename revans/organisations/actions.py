"""Every change to organisations, their people, sponsors and sponsor contacts happens here."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from revans.accounts.actions import do_get_or_create_user, do_set_up_account
from revans.accounts.models import User
from revans.organisations.mail import queue_sponsor_contact_added_email, queue_staff_added_email
from revans.organisations.models import (
    Organisation,
    OrganisationMembership,
    Sponsor,
    SponsorContact,
)
from revans.sets.models import LearningSet

SLUG_BASE_LENGTH = 50
# Paths under orgs/ that an organisation's slug must never shadow.
RESERVED_SLUGS = frozenset({"start", "new"})


class OrganisationActionRefused(Exception):
    """An action that cannot be done, with a message for the person (and the form field)."""

    def __init__(self, message: str, field: str | None = None, code: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


def account_exists_refusal() -> OrganisationActionRefused:
    return OrganisationActionRefused(
        _("An account with this email exists: sign in first."),
        field="email",
        code="account_exists",
    )


def unique_slug(name: str) -> str:
    """slugify(name), then -2, -3, ... until no organisation uses it."""
    base = slugify(name)[:SLUG_BASE_LENGTH].strip("-") or "organisation"
    taken = (
        set(Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        | RESERVED_SLUGS
    )
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _create_organisation(name: str, kind: str) -> Organisation:
    # Two people starting "Northgate" at the same moment: the loser takes the next suffix.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Organisation.objects.create(name=name, slug=unique_slug(name), kind=kind)
        except IntegrityError:
            continue
    raise RuntimeError("could not find a free slug")


@transaction.atomic
def do_start_organisation(
    *,
    name: str,
    kind: str,
    facilitates: bool,
    creator: User | None = None,
    full_name: str = "",
    email: str = "",
    password: str = "",
) -> tuple[Organisation, User]:
    """Create an organisation with its creator as admin (and facilitator if they facilitate).

    A signed-out visitor (creator None) gets a new account; an address that already has an
    account is refused, since taking it over would need its password.
    """
    if creator is None:
        creator, created = do_get_or_create_user(email, full_name)
        if not created:
            raise account_exists_refusal()
        do_set_up_account(creator, full_name, password)
    if kind == Organisation.Kind.INDEPENDENT:
        # An independent facilitator is an organisation of one who runs their own sets.
        facilitates = True
    organisation = _create_organisation(name.strip(), kind)
    OrganisationMembership.objects.create(
        organisation=organisation, user=creator, is_admin=True, is_facilitator=facilitates
    )
    return organisation, creator


def _lock_organisation(organisation: Organisation) -> None:
    # Serialises role changes, so two admins cannot remove each other at the same moment.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()


def _other_admins_exist(membership: OrganisationMembership) -> bool:
    return (
        OrganisationMembership.objects.filter(
            organisation_id=membership.organisation_id, is_admin=True
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def _sets_facilitated(membership: OrganisationMembership) -> list[str]:
    # In a self-managed set the duty holder is a member, not the organisation's facilitator.
    return list(
        LearningSet.objects.filter(
            organisation_id=membership.organisation_id,
            facilitator_id=membership.user_id,
            archived_at__isnull=True,
            self_managed=False,
        )
        .order_by("name")
        .values_list("name", flat=True)
    )


def _refuse_if_still_facilitating(membership: OrganisationMembership, field: str | None) -> None:
    names = _sets_facilitated(membership)
    if names:
        raise OrganisationActionRefused(
            _(
                "%(name)s still facilitates %(sets)s. Hand these sets to another facilitator "
                "or archive them first."
            )
            % {"name": membership.user.display_name, "sets": ", ".join(names)},
            field=field,
        )


def _refuse_if_last_admin(membership: OrganisationMembership, field: str | None) -> None:
    if membership.is_admin and not _other_admins_exist(membership):
        raise OrganisationActionRefused(
            _(
                "%(name)s is the only admin of this organisation. Make someone else an admin "
                "first: an organisation always needs one."
            )
            % {"name": membership.user.display_name},
            field=field,
        )


def _refuse_without_role(is_admin: bool, is_facilitator: bool) -> None:
    if not (is_admin or is_facilitator):
        raise OrganisationActionRefused(
            _("Choose at least one role. To take someone out of the organisation, remove them."),
            field="roles",
        )


@transaction.atomic
def do_add_person(
    *,
    organisation: Organisation,
    actor: User,
    email: str,
    full_name: str = "",
    is_admin: bool,
    is_facilitator: bool,
) -> tuple[OrganisationMembership, bool]:
    """Add someone as admin and/or facilitator, creating their account if needed.

    Adding someone already in the organisation sets their roles instead (no second row);
    only a newly added person is emailed.
    """
    _refuse_without_role(is_admin, is_facilitator)
    _lock_organisation(organisation)
    user, _created = do_get_or_create_user(email, full_name)
    membership = (
        OrganisationMembership.objects.select_related("user")
        .filter(organisation=organisation, user=user)
        .first()
    )
    if membership is not None:
        _change_roles(membership, is_admin=is_admin, is_facilitator=is_facilitator)
        return membership, False
    membership = OrganisationMembership.objects.create(
        organisation=organisation, user=user, is_admin=is_admin, is_facilitator=is_facilitator
    )
    queue_staff_added_email(membership, actor)
    return membership, True


def _change_roles(
    membership: OrganisationMembership, *, is_admin: bool, is_facilitator: bool
) -> None:
    _refuse_without_role(is_admin, is_facilitator)
    if membership.is_admin and not is_admin:
        _refuse_if_last_admin(membership, "roles")
    if membership.is_facilitator and not is_facilitator:
        _refuse_if_still_facilitating(membership, "roles")
    membership.is_admin = is_admin
    membership.is_facilitator = is_facilitator
    membership.save(update_fields=["is_admin", "is_facilitator"])


@transaction.atomic
def do_change_roles(
    *, membership: OrganisationMembership, actor: User, is_admin: bool, is_facilitator: bool
) -> OrganisationMembership:
    _lock_organisation(membership.organisation)
    membership.refresh_from_db(fields=["is_admin", "is_facilitator"])
    _change_roles(membership, is_admin=is_admin, is_facilitator=is_facilitator)
    return membership


@transaction.atomic
def do_remove_person(*, membership: OrganisationMembership, actor: User) -> None:
    _lock_organisation(membership.organisation)
    membership.refresh_from_db(fields=["is_admin", "is_facilitator"])
    _refuse_if_last_admin(membership, None)
    _refuse_if_still_facilitating(membership, None)
    membership.delete()


def _refuse_duplicate_sponsor(organisation: Organisation, name: str, exclude_id=None) -> None:
    clash = Sponsor.objects.filter(organisation=organisation, name__iexact=name)
    if exclude_id is not None:
        clash = clash.exclude(pk=exclude_id)
    if clash.exists():
        raise OrganisationActionRefused(
            _("This organisation already has a sponsor called %(name)s.") % {"name": name},
            field="name",
        )


def _save_sponsor(sponsor: Sponsor) -> Sponsor:
    try:
        with transaction.atomic():
            sponsor.save()
    except IntegrityError:
        # Someone else took the name between our check and the write.
        _refuse_duplicate_sponsor(sponsor.organisation, sponsor.name, sponsor.pk)
        raise
    return sponsor


@transaction.atomic
def do_create_sponsor(*, organisation: Organisation, actor: User, name: str, kind: str) -> Sponsor:
    name = name.strip()
    _refuse_duplicate_sponsor(organisation, name)
    return _save_sponsor(Sponsor(organisation=organisation, name=name, kind=kind))


@transaction.atomic
def do_update_sponsor(*, sponsor: Sponsor, actor: User, name: str, kind: str) -> Sponsor:
    name = name.strip()
    _refuse_duplicate_sponsor(sponsor.organisation, name, exclude_id=sponsor.pk)
    sponsor.name = name
    sponsor.kind = kind
    return _save_sponsor(sponsor)


@transaction.atomic
def do_add_sponsor_contact(
    *, sponsor: Sponsor, actor: User, email: str, full_name: str = ""
) -> tuple[SponsorContact, bool]:
    """Make someone a contact of the sponsor (creating their account if needed) and tell them.

    Adding an existing contact again changes nothing and sends nothing.
    """
    user, _created = do_get_or_create_user(email, full_name)
    contact, created = SponsorContact.objects.get_or_create(sponsor=sponsor, user=user)
    if created:
        contact.sponsor = sponsor
        queue_sponsor_contact_added_email(contact, actor)
    return contact, created


@transaction.atomic
def do_remove_sponsor_contact(*, contact: SponsorContact, actor: User) -> None:
    contact.delete()


@transaction.atomic
def do_set_programme_terms(
    *, sponsor: Sponsor, actor: User, cost_per_set, currency: str, theme_threshold: int
) -> Sponsor:
    """What the sponsor pays per set, in which currency, and the programme's theme threshold."""
    if theme_threshold < 2:
        # A theme supported by one member identifies that member.
        raise OrganisationActionRefused(
            _("At least 2 members: a theme supported by one member identifies them."),
            field="theme_threshold",
        )
    if cost_per_set is not None and cost_per_set < 0:
        raise OrganisationActionRefused(_("The cost cannot be negative."), field="cost_per_set")
    sponsor.cost_per_set = cost_per_set
    sponsor.currency = currency.upper()
    sponsor.theme_threshold = theme_threshold
    sponsor.save(update_fields=["cost_per_set", "currency", "theme_threshold"])
    return sponsor
