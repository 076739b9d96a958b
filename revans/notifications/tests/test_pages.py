"""The organisation's undelivered emails, a set's reminders, and the account's own actions,
for every persona; with query counts that stay the same as the data grows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.core.models import OutboundEmail
from revans.notifications.models import CalendarFeed, EmailOptOut, SetReminderSettings
from revans.notifications.tests.helpers import due_rows
from revans.testing import PERSONAS, assert_refused, make_meetings, sign_in_as

Status = OutboundEmail.Status
ORG_ADMIN = {"admin"}
SET_MANAGERS = {"facilitator", "admin"}


def _emails_url(world):
    return reverse("notifications:org_emails", args=[world.org.slug])


def _problem_rows(world, count: int, status=Status.FAILED) -> list[int]:
    ids = due_rows(count, organisation=world.org)
    OutboundEmail.objects.filter(pk__in=ids).update(
        status=status, attempts=3, last_error="550 mailbox unavailable"
    )
    return ids


@pytest.mark.parametrize("persona", PERSONAS)
def test_undelivered_emails_page_for_each_persona(client, world, persona):
    _problem_rows(world, 1)
    elsewhere = due_rows(1, organisation=world.other_org)
    OutboundEmail.objects.filter(pk__in=elsewhere).update(
        status=Status.FAILED, to_email="someone@elsewhere.example"
    )
    sign_in_as(client, world, persona)
    response = client.get(_emails_url(world))
    if persona not in ORG_ADMIN:
        assert_refused(response, world, persona, also_hidden=("person0@client.example",))
        return
    body = response.content.decode()
    assert response.status_code == 200
    assert "person0@client.example" in body and "550 mailbox unavailable" in body
    assert "someone@elsewhere.example" not in body  # another organisation's


def test_the_page_shows_failed_retrying_and_interrupted_but_not_sent_or_waiting(client, world):
    failed = _problem_rows(world, 1)[0]
    interrupted = _problem_rows(world, 1, Status.INTERRUPTED)[0]
    retrying = _problem_rows(world, 1, Status.PENDING)[0]
    fine = due_rows(2, organisation=world.org)
    OutboundEmail.objects.filter(pk=fine[0]).update(status=Status.SENT)
    for pk, name in ((failed, "failed"), (interrupted, "interrupted"), (retrying, "retrying")):
        OutboundEmail.objects.filter(pk=pk).update(to_email=f"{name}@client.example")
    client.force_login(world.admin)
    body = client.get(_emails_url(world)).content.decode()
    for name in ("failed", "interrupted", "retrying"):
        assert f"{name}@client.example" in body
    assert "person0@client.example" not in body and "person1@client.example" not in body
    assert "Retrying" in body and "may not have arrived" in body


@pytest.mark.parametrize("persona", PERSONAS)
def test_sending_a_failed_email_again_for_each_persona(
    client, world, persona, django_capture_on_commit_callbacks
):
    [row_id] = _problem_rows(world, 1)
    sign_in_as(client, world, persona)
    url = reverse("notifications:org_email_retry", args=[world.org.slug, row_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    row = OutboundEmail.objects.get(pk=row_id)
    if persona not in ORG_ADMIN:
        assert_refused(response, world, persona)
        assert row.status == Status.FAILED
        return
    assert response.status_code == 302
    # Unit tests deliver on commit (locmem backend): sent again, attempts counted afresh.
    assert (row.status, row.attempts) == (Status.SENT, 1)


def test_an_admin_cannot_retry_another_organisations_email(client, world):
    elsewhere = due_rows(1, organisation=world.other_org)[0]
    OutboundEmail.objects.filter(pk=elsewhere).update(status=Status.FAILED)
    client.force_login(world.admin)
    url = reverse("notifications:org_email_retry", args=[world.org.slug, elsewhere])
    assert client.post(url).status_code == 404
    assert OutboundEmail.objects.get(pk=elsewhere).status == Status.FAILED


def test_a_sent_email_is_not_sent_again(client, world):
    [row_id] = _problem_rows(world, 1, Status.SENT)
    client.force_login(world.admin)
    url = reverse("notifications:org_email_retry", args=[world.org.slug, row_id])
    response = client.post(url, follow=True)
    assert "not waiting for a retry" in response.content.decode()
    assert OutboundEmail.objects.get(pk=row_id).attempts == 3


@pytest.mark.parametrize("count", [1, 30])
def test_undelivered_emails_page_queries_do_not_grow(
    client, world, count, django_assert_num_queries
):
    _problem_rows(world, count)
    client.force_login(world.admin)
    with django_assert_num_queries(4):  # session, user, access, the emails
        assert client.get(_emails_url(world)).status_code == 200


# --- a set's reminders -----------------------------------------------------------------------


def _reminders_url(world):
    return reverse("notifications:set_reminders", args=[world.set_a.pk])


@pytest.mark.parametrize("persona", PERSONAS)
def test_set_reminders_page_for_each_persona(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.get(_reminders_url(world))
    if persona not in SET_MANAGERS:
        assert_refused(response, world, persona)
        return
    assert response.status_code == 200
    assert "Reminder before each meeting" in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_changing_a_sets_reminders_for_each_persona(client, world, persona):
    sign_in_as(client, world, persona)
    data = {
        "meeting_reminder_days": "4",
        "agreement_reminder_days": "0",
        "commitments_reminder_days": "3",
    }
    response = client.post(_reminders_url(world), data)
    saved = SetReminderSettings.objects.filter(learning_set=world.set_a).first()
    if persona not in SET_MANAGERS:
        assert_refused(response, world, persona)
        assert saved is None
        return
    assert response.status_code == 302
    assert (saved.meeting_reminder_days, saved.agreement_reminder_days) == (4, 0)


def test_bad_days_re_render_with_the_input_and_a_precise_error(client, world):
    client.force_login(world.facilitator)
    response = client.post(
        _reminders_url(world),
        {
            "meeting_reminder_days": "30",
            "agreement_reminder_days": "two",
            "commitments_reminder_days": "3",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="30"' in body and 'value="two"' in body
    assert "Choose a number of days from 0 to 14." in body
    assert "Enter a whole number of days, e.g. 2." in body
    assert not SetReminderSettings.objects.exists()


def test_the_page_lists_the_scheduled_reminders_in_the_sets_zone(client, world):
    from revans.notifications.scheduling import schedule_set

    schedule_set(world.set_a)
    client.force_login(world.facilitator)
    body = client.get(_reminders_url(world)).content.decode()
    first = world.meetings_a[0]
    local = timezone.localtime(first.starts_at - dt.timedelta(days=2), first.local_start().tzinfo)
    assert local.strftime("%a %-d %b %Y, %H:%M") in body
    assert "Reminders before a meeting" in body


@pytest.mark.parametrize("extra", [0, 12])
def test_set_reminders_page_queries_do_not_grow(client, world, extra, django_assert_num_queries):
    from revans.notifications.scheduling import schedule_set

    if extra:
        make_meetings(world.set_a, extra, first=timezone.now() + dt.timedelta(days=400))
    schedule_set(world.set_a)
    client.force_login(world.facilitator)
    # session, user, access, the set's settings, the reminders with their meetings
    with django_assert_num_queries(5):
        assert client.get(_reminders_url(world)).status_code == 200


# --- the person's own choices ----------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_own_calendar_and_email_actions_for_each_persona(client, world, persona):
    user = sign_in_as(client, world, persona)
    create = client.post(reverse("notifications:calendar_create"))
    choices = client.post(reverse("notifications:email_choices"), {"wanted": []})
    if user is None:
        for response in (create, choices):
            assert response.status_code == 302
            assert response.url.startswith(reverse("accounts:sign_in"))
        assert not CalendarFeed.objects.exists() and not EmailOptOut.objects.exists()
        return
    assert CalendarFeed.objects.filter(user=user).count() == 1
    assert set(CalendarFeed.objects.values_list("user_id", flat=True)) == {user.pk}
    assert set(EmailOptOut.objects.values_list("user_id", flat=True)) == {user.pk}
    client.post(reverse("notifications:calendar_revoke"))
    assert not CalendarFeed.objects.exists()
