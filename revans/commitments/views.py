"""Pages for commitments: a member's own, one commitment's history, and the set's board."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revans.commitments import actions, queries
from revans.commitments.access import access_board_for_user, access_commitment_for_user
from revans.commitments.forms import CommitmentForm, update_form_for
from revans.commitments.models import Commitment
from revans.commitments.rules import CommitmentRefused, local_today
from revans.core.forms import is_htmx, refusal_to_form


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _with_forms(commitments) -> None:
    for commitment in commitments:
        commitment.update_form = update_form_for(commitment)


@login_required
def mine(request):
    """The member's commitments in all their sets; adding one (POST)."""
    groups = queries.my_commitments(request.user)
    open_sets = [g.learning_set for g in groups if not g.learning_set.is_archived]
    form = CommitmentForm(request.POST or None, sets=open_sets)
    if request.method == "POST" and form.is_valid():
        chosen = next(s for s in open_sets if s.pk == form.cleaned_data["learning_set"])
        try:
            made = actions.do_add_commitment(
                chosen,
                owner=request.user,
                what=form.cleaned_data["what"],
                due_on=form.cleaned_data["due_on"],
                who_could_help=form.cleaned_data["who_could_help"],
            )
        except CommitmentRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(
                request,
                _("Commitment added, due by %(date)s.")
                % {"date": date_format(made.due_on, "j F Y")},
            )
            return redirect("commitments:mine")
    for group in groups:
        if not group.learning_set.is_archived:  # kept as they were: nothing to update
            _with_forms(group.commitments)
    return render(
        request,
        "commitments/mine.html",
        {
            "groups": groups,
            "form": form,
            "can_add": bool(open_sets),
            "here": reverse("commitments:mine"),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def detail(request, commitment_id: int):
    access = access_commitment_for_user(request.user, commitment_id)
    commitment = access.commitment
    history = queries.history_of(commitment)
    commitment.is_overdue = commitment.is_open and commitment.due_on < local_today(
        commitment.learning_set
    )
    can_change = access.can_change and not commitment.learning_set.is_archived
    if can_change:
        commitment.update_form = update_form_for(commitment)
    return render(
        request,
        "commitments/detail.html",
        {
            "can_change": can_change,
            "commitment": commitment,
            "history": history,
            "learning_set": commitment.learning_set,
            "here": reverse("commitments:detail", args=[commitment.pk]),
        },
    )


@login_required
def edit(request, commitment_id: int):
    access = access_commitment_for_user(request.user, commitment_id, change=True)
    commitment = access.commitment
    initial = {
        "what": commitment.what,
        "due_on": commitment.due_on,
        "who_could_help": commitment.who_could_help,
    }
    form = CommitmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = actions.do_edit_commitment(
                commitment, actor=request.user, **form.cleaned_data
            )
        except CommitmentRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            if changed:
                messages.success(request, _("Your commitment is saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("commitments:detail", commitment_id=commitment.pk)
    return render(
        request,
        "commitments/edit.html",
        {"commitment": commitment, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def update(request, commitment_id: int):
    """A new status and/or a progress note, from the home page, "my commitments" or the
    commitment's page. With htmx the card is swapped in place; without, back to `next`."""
    access = access_commitment_for_user(request.user, commitment_id, change=True)
    commitment = access.commitment
    form = update_form_for(commitment, data=request.POST)
    saved = False
    if form.is_valid():
        try:
            actions.do_update_commitment(
                commitment,
                actor=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except CommitmentRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            saved = True
    if saved:
        status = _("Saved: %(status)s.") % {"status": commitment.get_status_display()}
    else:
        status = _("Not saved yet: see the message in the form.")
    back = _safe_next(request, reverse("commitments:detail", args=[commitment.pk]))
    if is_htmx(request):
        commitment.is_overdue = commitment.is_open and commitment.due_on < local_today(
            commitment.learning_set, timezone.now()
        )
        commitment.update_form = update_form_for(commitment) if saved else form
        return render(
            request,
            "commitments/update_swap.html",
            {
                "c": commitment,
                "next": back,
                "status_text": status,
                "saved": saved,
                # Presentation only: the home page names each commitment's set.
                "show_set": request.POST.get("show_set") == "1",
            },
        )
    if saved:
        messages.success(request, status)
        return redirect(back)
    commitment.update_form = form
    commitment.is_overdue = commitment.is_open and commitment.due_on < local_today(
        commitment.learning_set
    )
    return render(
        request,
        "commitments/update_failed.html",
        {"c": commitment, "next": back},
        status=400,
    )


@login_required
def board(request, set_id: int):
    role = access_board_for_user(request.user, set_id)
    learning_set = role.learning_set
    return render(
        request,
        "commitments/board.html",
        {
            "role": role,
            "learning_set": learning_set,
            "groups": queries.board(learning_set),
            "tab": "commitments",
            "heading": _("Commitments"),
            "open_statuses": [Commitment.Status.OPEN, Commitment.Status.IN_PROGRESS],
        },
    )
