import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from revans.accounts.models import hash_token
from revans.sets.models import Invitation, LearningSet
from revans.sets.tests.helpers import assert_refused, grow_set, sign_in_as
from revans.testing import PERSONAS, count_queries, make_meetings

MANAGERS = {"facilitator", "admin"}


def invite_url(world):
    return reverse("sets:invite", args=[world.set_a.pk])


def invite(client, world, emails, employer="", capture=None):
    return client.post(invite_url(world), {"emails": emails, "employer": employer})


def token_from(message) -> str:
    link = next(line for line in message.body.splitlines() if "/sets/invitations/" in line)
    return link.rstrip("/").rsplit("/", 1)[-1]


@pytest.mark.parametrize("persona", PERSONAS)
def test_invite_page_is_for_the_facilitator_and_admins(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.get(invite_url(world))
    if persona in MANAGERS:
        assert response.status_code == 200
        assert "4 places left" in response.content.decode()
    else:
        assert_refused(response, world, persona)


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - MANAGERS))
def test_others_cannot_invite(client, world, persona):
    sign_in_as(client, world, persona)
    response = invite(client, world, "friend@example.org")
    assert_refused(response, world, persona)
    assert not Invitation.objects.exists()


def test_invitations_are_stored_and_emailed_with_only_what_the_invitee_needs(
    client, world, django_capture_on_commit_callbacks
):
    first = world.meetings_a[0]
    client.force_login(world.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(
            client, world, "Ann@Example.org, bob@example.org\ncat@example.org", "Castlebridge"
        )
    assert response.status_code == 302
    assert response.url == reverse("sets:members", args=[world.set_a.pk])
    invitations = Invitation.objects.filter(learning_set=world.set_a).order_by("email")
    assert [i.email for i in invitations] == [
        "ann@example.org",
        "bob@example.org",
        "cat@example.org",
    ]
    for invitation in invitations:
        assert invitation.employer == "Castlebridge"
        assert invitation.invited_by == world.facilitator
        assert invitation.is_pending
        days = (invitation.expires_at - invitation.created_at).days
        assert days == 14
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ann@example.org",
        "bob@example.org",
        "cat@example.org",
    ]
    message = next(m for m in mail.outbox if m.to == ["ann@example.org"])
    assert message.subject == "Invitation to join Heads of Service"
    assert "Heads of Service" in message.body
    assert "Fran Facilitator" in message.body
    local = timezone.localtime(first.starts_at)
    assert f"{local:%d}".lstrip("0") + local.strftime(" %B %Y") in message.body
    # The link leads to this invitation; only its hash is stored.
    assert Invitation.objects.get(token_hash=hash_token(token_from(message))).email == (
        "ann@example.org"
    )
    # Nothing written inside the set, nor other members' names, travels in the email.
    assert "Statements only" not in message.body
    assert "What is said in the set" not in message.body
    for member in world.members:
        assert member.full_name not in message.body
    page = client.get(response.url).content.decode()
    assert (
        "Invitations sent to 3 people: ann@example.org, bob@example.org, cat@example.org." in page
    )


def test_invalid_addresses_are_listed_and_nothing_is_sent(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.facilitator)
    text = "good@example.org\nbob@\nnot an address, x@y"
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, world, text, "Kept employer")
    assert response.status_code == 200
    errors = response.context["form"].errors["emails"]
    assert "'bob@' is not a valid email address." in errors
    assert "'not' is not a valid email address." in errors
    assert "'x@y' is not a valid email address." in errors
    assert "'good@example.org' is not a valid email address." not in errors
    body = response.content.decode()
    assert 'id="id_emails_error"' in body
    assert "good@example.org\nbob@" in body  # the text as typed
    assert 'value="Kept employer"' in body
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_empty_list_is_refused(client, world):
    client.force_login(world.facilitator)
    response = invite(client, world, " ,\n ")
    assert response.context["form"].errors["emails"] == ["Enter at least one email address."]


def test_reinviting_resends_with_a_new_link_and_no_duplicate(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, world, "ann@example.org")
    invitation = Invitation.objects.get(email="ann@example.org")
    old_hash, old_sent = invitation.token_hash, invitation.last_sent_at
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, world, "ANN@example.org, new@example.org")
    assert Invitation.objects.filter(email="ann@example.org").count() == 1
    invitation.refresh_from_db()
    assert invitation.token_hash != old_hash
    assert invitation.last_sent_at > old_sent
    assert len(mail.outbox) == 3
    page = client.get(response.url).content.decode()
    assert "sent again (with a new link) to: ann@example.org" in page
    # The old link no longer works; the new one does.
    assert token_from(mail.outbox[0]) != token_from(mail.outbox[1])
    old = client.get(reverse("sets:invitation", args=[token_from(mail.outbox[0])]))
    assert old.status_code == 404


def test_current_members_are_reported_and_skipped(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, world, f"{world.member.email.upper()}\nnew@example.org", "")
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert not Invitation.objects.filter(email=world.member.email).exists()
    page = client.get(response.url).content.decode()
    assert f"Already members, so not invited: {world.member.email}." in page


def test_invitations_beyond_the_maximum_are_refused_saying_how_many_places_are_left(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, world, "one@example.org")
    # 4 members + 1 pending of 8: three places left.
    text = "a@example.org\nb@example.org\nc@example.org\nd@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, world, text)
    assert response.status_code == 200
    [error] = response.context["form"].errors["emails"]
    assert "only 3 places are left" in error
    assert "you entered 4 new addresses" in error
    assert "d@example.org" in response.content.decode()
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1
    # Re-sending to someone already invited takes no new place.
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(
            client, world, "one@example.org\na@example.org\nb@example.org\nc@example.org"
        )
    assert response.status_code == 302
    assert Invitation.objects.count() == 4


def test_a_completed_or_archived_set_takes_no_invitations(client, world):
    LearningSet.objects.filter(pk=world.set_a.pk).update(status="completed")
    client.force_login(world.facilitator)
    response = invite(client, world, "late@example.org")
    assert "takes no new members" in str(response.context["form"].non_field_errors())
    LearningSet.objects.filter(pk=world.set_a.pk).update(
        status="active", archived_at=timezone.now()
    )
    response = invite(client, world, "late@example.org")
    assert "archived" in str(response.context["form"].non_field_errors())
    assert not Invitation.objects.exists()


def test_invite_page_queries_stay_constant(client, world, django_assert_num_queries):
    client.force_login(world.facilitator)
    small, _ = count_queries(client, "get", invite_url(world))
    grow_set(world.set_a, 12)
    LearningSet.objects.filter(pk=world.set_a.pk).update(max_members=12)
    for i in range(30):
        Invitation.objects.create(
            learning_set=world.set_a,
            email=f"p{i}@example.org",
            token_hash=f"h{i}",
            expires_at=timezone.now() + dt.timedelta(days=3),
        )
    large, _ = count_queries(client, "get", invite_url(world))
    assert small == large
    with django_assert_num_queries(5):
        client.get(invite_url(world))


# Resend and withdraw


def make_invitation(world, email="pending@example.org", **fields) -> Invitation:
    fields.setdefault("expires_at", timezone.now() + dt.timedelta(days=3))
    return Invitation.objects.create(
        learning_set=world.set_a,
        email=email,
        token_hash=hash_token(email),
        invited_by=world.facilitator,
        **fields,
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_resending_is_for_the_facilitator_and_admins(
    client, world, persona, django_capture_on_commit_callbacks
):
    invitation = make_invitation(world)
    sign_in_as(client, world, persona)
    url = reverse("sets:resend_invitation", args=[world.set_a.pk, invitation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    invitation.refresh_from_db()
    if persona in MANAGERS:
        assert response.status_code == 302
        assert invitation.token_hash != hash_token("pending@example.org")
        assert [m.to for m in mail.outbox] == [["pending@example.org"]]
    else:
        assert_refused(response, world, persona)
        assert invitation.token_hash == hash_token("pending@example.org")
        assert mail.outbox == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_withdrawing_is_for_the_facilitator_and_admins(client, world, persona):
    invitation = make_invitation(world)
    sign_in_as(client, world, persona)
    response = client.post(
        reverse("sets:withdraw_invitation", args=[world.set_a.pk, invitation.pk])
    )
    invitation.refresh_from_db()
    if persona in MANAGERS:
        assert response.status_code == 302
        assert invitation.revoked_at is not None
    else:
        assert_refused(response, world, persona)
        assert invitation.revoked_at is None


def test_an_invitation_of_another_set_cannot_be_reached_through_this_one(client, world):
    other = Invitation.objects.create(
        learning_set=world.set_b,
        email="b@example.org",
        token_hash="b",
        expires_at=timezone.now() + dt.timedelta(days=3),
    )
    client.force_login(world.facilitator)  # manages set A, not set B
    url = reverse("sets:withdraw_invitation", args=[world.set_a.pk, other.pk])
    assert client.post(url).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_an_expired_invitation_is_resent_with_a_fresh_expiry(
    client, world, django_capture_on_commit_callbacks
):
    invitation = make_invitation(world, expires_at=timezone.now() - dt.timedelta(days=1))
    client.force_login(world.facilitator)
    page = client.get(reverse("sets:members", args=[world.set_a.pk])).content.decode()
    assert "Expired" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sets:resend_invitation", args=[world.set_a.pk, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=13)


def test_a_withdrawn_invitation_cannot_be_resent(client, world):
    invitation = make_invitation(world, revoked_at=timezone.now())
    client.force_login(world.facilitator)
    url = reverse("sets:resend_invitation", args=[world.set_a.pk, invitation.pk])
    response = client.post(url, follow=True)
    assert "no longer pending" in response.content.decode()
    assert mail.outbox == []


def test_resend_and_withdraw_queries_stay_constant(client, world):
    client.force_login(world.facilitator)
    first, second = make_invitation(world, "a@example.org"), make_invitation(world, "b@example.org")

    def resend(invitation):
        url = reverse("sets:resend_invitation", args=[world.set_a.pk, invitation.pk])
        return count_queries(client, "post", url)[0]

    def withdraw(invitation):
        url = reverse("sets:withdraw_invitation", args=[world.set_a.pk, invitation.pk])
        return count_queries(client, "post", url)[0]

    small = (resend(first), withdraw(first))
    grow_set(world.set_a, 12)
    for i in range(30):
        make_invitation(world, f"p{i}@example.org")
    make_meetings(world.set_a, 10)
    assert (resend(second), withdraw(second)) == small
