"""Views: parse input, call access_* and actions, render. No business rules here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revans.core.forms import refusal_to_form
from revans.journal import actions, queries
from revans.journal.access import access_entry_for_user, access_shared_entries_for_user
from revans.journal.actions import JournalActionRefused
from revans.journal.forms import EntryForm
from revans.journal.models import KOLB_FIELDS


def _form_args(user) -> dict:
    sets = list(queries.sets_for_journal(user))
    return {"sets": sets, "meetings": queries.meetings_for_journal(sets)}


@login_required
def entry_list(request):
    return render(request, "journal/list.html", {"entries": queries.own_entries(request.user)})


@login_required
def new(request):
    args = _form_args(request.user)
    if request.method == "POST":
        form = EntryForm(request.POST, **args)
        if form.is_valid():
            try:
                actions.do_create_entry(author=request.user, values=form.entry_values())
            except JournalActionRefused as refusal:
                refusal_to_form(form, refusal)
            else:
                messages.success(request, _("Saved in your journal. Only you can read it."))
                return redirect("journal:list")
    else:
        initial = {}
        if request.GET.get("set") in {str(s.pk) for s in args["sets"]}:
            initial["learning_set"] = request.GET["set"]
        # From a meeting's summary: the entry is about that meeting (if it is one of theirs).
        about = next((m for m in args["meetings"] if str(m.pk) == request.GET.get("meeting")), None)
        if about is not None:
            initial["learning_set"] = str(about.learning_set_id)
            initial["meeting"] = str(about.pk)
        form = EntryForm(initial=initial, **args)
    return render(request, "journal/edit.html", {"form": form, "entry": None})


@login_required
def edit(request, entry_id: int):
    entry = access_entry_for_user(request.user, entry_id)
    args = _form_args(request.user)
    if request.method == "POST":
        form = EntryForm(request.POST, **args)
        if form.is_valid():
            try:
                entry, unshared = actions.do_update_entry(
                    entry, actor=request.user, values=form.entry_values()
                )
            except JournalActionRefused as refusal:
                refusal_to_form(form, refusal)
            else:
                messages.success(request, _("Entry saved."))
                if unshared:
                    messages.warning(
                        request,
                        _("It is linked to another set now, so it is private again."),
                    )
                return redirect("journal:list")
    else:
        initial = {name: getattr(entry, name) for name in ("title", *KOLB_FIELDS, "free_text")}
        initial["learning_set"] = str(entry.learning_set_id or "")
        initial["meeting"] = str(entry.meeting_id or "")
        form = EntryForm(initial=initial, **args)
    return render(request, "journal/edit.html", {"form": form, "entry": entry})


@login_required
def delete(request, entry_id: int):
    entry = access_entry_for_user(request.user, entry_id)
    if request.method == "POST":
        actions.do_delete_entry(entry, actor=request.user)
        messages.success(request, _("The entry is deleted."))
        return redirect("journal:list")
    return render(request, "journal/delete.html", {"entry": entry})


@login_required
def share(request, entry_id: int):
    entry = access_entry_for_user(request.user, entry_id)
    if request.method == "POST":
        try:
            entry = actions.do_share_entry(entry, actor=request.user)
        except JournalActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            set_name = entry.learning_set.name if entry.learning_set else ""
            messages.success(
                request,
                _("Shared with %(set)s. You can take it back at any time.") % {"set": set_name},
            )
        return redirect("journal:list")
    readers = queries.who_would_see(entry.learning_set, request.user) if entry.learning_set else []
    return render(request, "journal/share.html", {"entry": entry, "readers": readers})


@login_required
@require_POST
def unshare(request, entry_id: int):
    entry = access_entry_for_user(request.user, entry_id)
    actions.do_unshare_entry(entry, actor=request.user)
    messages.success(request, _("The entry is private again: only you can read it."))
    return redirect("journal:list")


@login_required
def set_shared(request, set_id: int):
    role = access_shared_entries_for_user(request.user, set_id)
    learning_set = role.learning_set
    return render(
        request,
        "journal/set_shared.html",
        {
            "role": role,
            "learning_set": learning_set,
            "entries": queries.shared_entries(learning_set),
            "tab": "journal",
        },
    )
