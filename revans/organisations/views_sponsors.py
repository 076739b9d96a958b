"""Views for sponsors and their contacts: parse input, call access_* and actions, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revans.organisations import actions
from revans.organisations.access import (
    OrgNeed,
    SponsorAccess,
    access_organisation_for_user,
    access_sponsor_for_user,
    contact_of_sponsor,
)
from revans.organisations.actions import OrganisationActionRefused
from revans.organisations.forms import ContactForm, SponsorForm, default_sponsor_kind
from revans.organisations.queries import organisation_sponsors, sponsor_contacts, sponsored_sets


@login_required
def sponsors(request, slug):
    need = OrgNeed.ADMIN if request.method == "POST" else OrgNeed.STAFF
    role = access_organisation_for_user(request.user, slug, need)
    organisation = role.organisation
    form = SponsorForm(initial={"kind": default_sponsor_kind(organisation)})
    if request.method == "POST":
        form = SponsorForm(request.POST)
        if form.is_valid():
            try:
                sponsor = actions.do_create_sponsor(
                    organisation=organisation,
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                )
            except OrganisationActionRefused as refusal:
                form.add_refusal(refusal)
            else:
                messages.success(
                    request,
                    _("%(name)s is added. Add the people there who should see the schedule.")
                    % {"name": sponsor.name},
                )
                return redirect("organisations:sponsor_detail", organisation.slug, sponsor.pk)
    return render(
        request,
        "organisations/sponsors.html",
        {
            "organisation": organisation,
            "role": role,
            "tab": "sponsors",
            "sponsors": organisation_sponsors(organisation),
            "form": form,
        },
    )


def _sponsor_page(request, access: SponsorAccess, sponsor_form=None, contact_form=None):
    sponsor = access.sponsor
    return render(
        request,
        "organisations/sponsor_detail.html",
        {
            "organisation": access.role.organisation,
            "role": access.role,
            "tab": "sponsors",
            "sponsor": sponsor,
            "contacts": sponsor_contacts(sponsor),
            "sponsored_sets": sponsored_sets(sponsor, request.user),
            "sponsor_form": sponsor_form
            or SponsorForm(initial={"name": sponsor.name, "kind": sponsor.kind}),
            "contact_form": contact_form or ContactForm(),
        },
    )


@login_required
def sponsor_detail(request, slug, sponsor_id):
    need = OrgNeed.ADMIN if request.method == "POST" else OrgNeed.STAFF
    access = access_sponsor_for_user(request.user, slug, sponsor_id, need)
    if request.method != "POST":
        return _sponsor_page(request, access)
    form = SponsorForm(request.POST)
    if form.is_valid():
        try:
            actions.do_update_sponsor(
                sponsor=access.sponsor,
                actor=request.user,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
            )
        except OrganisationActionRefused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("The sponsor is saved."))
            return redirect("organisations:sponsor_detail", slug, access.sponsor.pk)
        # The refused change must not show as the sponsor's name in the heading.
        access.sponsor.refresh_from_db(fields=["name", "kind"])
    return _sponsor_page(request, access, sponsor_form=form)


@login_required
@require_POST
def contact_add(request, slug, sponsor_id):
    access = access_sponsor_for_user(request.user, slug, sponsor_id, OrgNeed.ADMIN)
    form = ContactForm(request.POST)
    if form.is_valid():
        contact, created = actions.do_add_sponsor_contact(
            sponsor=access.sponsor,
            actor=request.user,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
        )
        name = contact.user.display_name
        if created:
            text = _("%(name)s is now a contact and has been emailed a way to sign in.")
        else:
            text = _("%(name)s was already a contact.")
        messages.success(request, text % {"name": name})
        return redirect("organisations:sponsor_detail", slug, access.sponsor.pk)
    return _sponsor_page(request, access, contact_form=form)


@login_required
@require_POST
def contact_remove(request, slug, sponsor_id, contact_id):
    access = access_sponsor_for_user(request.user, slug, sponsor_id, OrgNeed.ADMIN)
    contact = contact_of_sponsor(access, contact_id)
    actions.do_remove_sponsor_contact(contact=contact, actor=request.user)
    messages.success(
        request,
        _("%(name)s is no longer a contact for %(sponsor)s.")
        % {"name": contact.user.display_name, "sponsor": access.sponsor.name},
    )
    return redirect("organisations:sponsor_detail", slug, access.sponsor.pk)
