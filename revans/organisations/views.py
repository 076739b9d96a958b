"""Views: parse input, call access_* and actions, render. No business rules here.

Starting an organisation, its page of sets and its people. Sponsors are in views_sponsors.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revans.organisations import actions
from revans.organisations.access import (
    OrgNeed,
    OrgRole,
    access_organisation_for_user,
    person_in_organisation,
)
from revans.organisations.actions import OrganisationActionRefused
from revans.organisations.forms import AddPersonForm, RolesForm, StartOrganisationForm
from revans.organisations.queries import (
    organisation_people,
    organisation_sets,
    sponsors_with_sets,
)


def start(request):
    signed_in = request.user.is_authenticated
    data = request.POST if request.method == "POST" else None
    form = StartOrganisationForm(data, signed_in=signed_in)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation, creator = actions.do_start_organisation(
                name=data["name"],
                kind=data["kind"],
                facilitates=data["facilitates"],
                creator=request.user if signed_in else None,
                full_name=data.get("full_name", ""),
                email=data.get("email", ""),
                password=data.get("password", ""),
            )
        except OrganisationActionRefused as refusal:
            form.add_refusal(refusal)
        else:
            if not signed_in:
                login(request, creator, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("%(name)s is ready. Add your sponsors and people, then create a set.")
                % {"name": organisation.name},
            )
            return redirect("organisations:detail", organisation.slug)
    sign_in_url = "{}?{}".format(
        reverse("accounts:sign_in"), urlencode({"next": reverse("organisations:start")})
    )
    return render(
        request,
        "organisations/start.html",
        {"form": form, "sign_in_url": sign_in_url},
    )


@login_required
def detail(request, slug):
    role = access_organisation_for_user(request.user, slug, OrgNeed.STAFF)
    groups = organisation_sets(role, request.user)
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": role.organisation,
            "role": role,
            "tab": "sets",
            "groups": groups,
            "has_sets": any(group.sets for group in groups),
            # Admins read each sponsor's programme report (facilitators read set reports).
            "programmes": sponsors_with_sets(role.organisation) if role.is_admin else [],
        },
    )


def _people_page(request, role: OrgRole, add_form=None, failed_roles=None):
    """The people page; failed_roles is (membership id, bound RolesForm) after bad input."""
    rows = []
    for membership in organisation_people(role.organisation):
        roles_form = None
        if failed_roles and failed_roles[0] == membership.pk:
            roles_form = failed_roles[1]
        elif role.is_admin:
            roles_form = RolesForm.for_membership(membership)
        rows.append((membership, roles_form))
    return render(
        request,
        "organisations/people.html",
        {
            "organisation": role.organisation,
            "role": role,
            "tab": "people",
            "people": rows,
            "add_form": add_form or AddPersonForm(initial={"roles": ["facilitator"]}),
        },
    )


@login_required
def people(request, slug):
    need = OrgNeed.ADMIN if request.method == "POST" else OrgNeed.STAFF
    role = access_organisation_for_user(request.user, slug, need)
    if request.method != "POST":
        return _people_page(request, role)
    form = AddPersonForm(request.POST)
    if form.is_valid():
        try:
            membership, added = actions.do_add_person(
                organisation=role.organisation,
                actor=request.user,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                is_admin=form.is_admin,
                is_facilitator=form.is_facilitator,
            )
        except OrganisationActionRefused as refusal:
            form.add_refusal(refusal)
        else:
            name = membership.user.display_name
            if added:
                text = _("%(name)s is added and has been emailed a way to sign in.")
            else:
                text = _("%(name)s was already in the organisation: their roles are updated.")
            messages.success(request, text % {"name": name})
            return redirect("organisations:people", role.organisation.slug)
    return _people_page(request, role, add_form=form)


@login_required
@require_POST
def person_roles(request, slug, membership_id):
    role = access_organisation_for_user(request.user, slug, OrgNeed.ADMIN)
    membership = person_in_organisation(role, membership_id)
    form = RolesForm.for_membership(membership, data=request.POST)
    if form.is_valid():
        try:
            actions.do_change_roles(
                membership=membership,
                actor=request.user,
                is_admin=form.is_admin,
                is_facilitator=form.is_facilitator,
            )
        except OrganisationActionRefused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(
                request,
                _("The roles of %(name)s are updated.") % {"name": membership.user.display_name},
            )
            return redirect("organisations:people", role.organisation.slug)
    return _people_page(request, role, failed_roles=(membership.pk, form))


@login_required
@require_POST
def person_remove(request, slug, membership_id):
    role = access_organisation_for_user(request.user, slug, OrgNeed.ADMIN)
    membership = person_in_organisation(role, membership_id)
    try:
        actions.do_remove_person(membership=membership, actor=request.user)
    except OrganisationActionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("organisations:people", role.organisation.slug)
    messages.success(
        request,
        _("%(name)s is no longer part of %(organisation)s.")
        % {"name": membership.user.display_name, "organisation": role.organisation.name},
    )
    if membership.user_id == request.user.pk:
        return redirect("home:home")
    return redirect("organisations:people", role.organisation.slug)
