import datetime as dt

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from revans.accounts.actions import do_get_or_create_user
from revans.accounts.models import User, new_token
from revans.sets.models import Invitation, LearningSet, SetMembership
from revans.sets.tests.helpers import grow_set, sign_in_as
from revans.testing import PASSWORD, PERSONAS, count_queries, make_user

NEW_PASSWORD = "a long and unusual passphrase 42"


def invitation_for(world, email, learning_set=None, **fields) -> tuple[Invitation, str]:
    token, token_hash = new_token()
    fields.setdefault("expires_at", timezone.now() + dt.timedelta(days=14))
    invitation = Invitation.objects.create(
        learning_set=learning_set or world.set_a,
        email=email,
        token_hash=token_hash,
        invited_by=world.facilitator,
        **fields,
    )
    return invitation, token


def landing(token) -> str:
    return reverse("sets:invitation", args=[token])


def set_up_data(name="Nell Newcomer", password=NEW_PASSWORD, again=None):
    return {"full_name": name, "password1": password, "password2": again or password}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_invited_address_can_use_the_invitation(client, world, persona):
    invitation, token = invitation_for(world, "nell@example.org")
    sign_in_as(client, world, persona)
    response = client.get(landing(token))
    assert response.status_code == 200
    body = response.content.decode()
    for member in world.members:
        assert member.full_name not in body
    if persona == "anonymous":
        assert 'name="full_name"' in body
    else:
        assert "the invitation was sent to nell@example.org" in body
        assert reverse("accounts:sign_out") in body
        before = SetMembership.objects.count()
        response = client.post(landing(token))
        assert response.status_code == 200
        assert SetMembership.objects.count() == before
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_a_new_person_sets_up_an_account_and_lands_on_the_set(client, world):
    invitation, token = invitation_for(world, "nell@example.org", employer="Harbour Housing")
    page = client.get(landing(token)).content.decode()
    assert "Join Heads of Service" in page
    assert "Fran Facilitator" in page
    response = client.post(landing(token), set_up_data(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("sets:detail", args=[world.set_a.pk])
    user = User.objects.get(email="nell@example.org")
    assert user.full_name == "Nell Newcomer"
    assert user.check_password(NEW_PASSWORD)
    assert int(client.session[SESSION_KEY]) == user.pk
    membership = SetMembership.objects.get(learning_set=world.set_a, user=user)
    assert membership.employer == "Harbour Housing"
    assert not membership.has_accepted()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    body = response.content.decode()
    assert "Welcome to Heads of Service" in body
    assert "Please read and accept the set's agreement" in body


@pytest.mark.parametrize(
    "data,field,message",
    [
        (set_up_data(again="something else entirely"), "password2", "The two passwords differ."),
        (set_up_data(password="password"), "password1", "This password is too common."),
        (set_up_data(password="nell@example.org1"), "password1", "too similar"),
        (set_up_data(name=""), "full_name", "This field is required."),
        (set_up_data(name="n" * 121), "full_name", "at most 120 characters"),
    ],
)
def test_bad_set_up_input_keeps_the_name(client, world, data, field, message):
    _, token = invitation_for(world, "nell@example.org")
    response = client.post(landing(token), data)
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body
    if data["full_name"]:
        assert f'value="{data["full_name"]}"' in body
    assert 'name="password1"' in body and NEW_PASSWORD not in body
    assert not User.objects.filter(email="nell@example.org").exists()
    assert SESSION_KEY not in client.session


def test_an_account_without_a_password_is_set_up_on_the_way_in(client, world):
    user, _ = do_get_or_create_user("nell@example.org", "Nell From Before")
    _, token = invitation_for(world, "nell@example.org")
    page = client.get(landing(token))
    assert page.context["form"]["full_name"].value() == "Nell From Before"
    client.post(landing(token), set_up_data(name="Nell Newcomer"))
    user.refresh_from_db()
    assert user.has_usable_password() and user.full_name == "Nell Newcomer"
    assert SetMembership.objects.filter(learning_set=world.set_a, user=user).exists()
    assert User.objects.filter(email="nell@example.org").count() == 1


def test_an_existing_account_signs_in_to_accept(client, world):
    person = make_user("nell@example.org", "Nell Existing")
    _, token = invitation_for(world, "nell@example.org")
    response = client.get(landing(token))
    body = response.content.decode()
    assert 'name="password1"' not in body
    sign_in = reverse("accounts:sign_in") + "?next=" + landing(token).replace("/", "%2F")
    assert sign_in in body
    # Nobody can set the password of an account that has one through an invitation link.
    response = client.post(landing(token), set_up_data(name="Intruder"))
    person.refresh_from_db()
    assert person.check_password(PASSWORD) and person.full_name == "Nell Existing"
    assert not SetMembership.objects.filter(user=person).exists()
    assert SESSION_KEY not in client.session


def test_an_existing_account_can_ask_for_a_sign_in_link(client, world):
    try:
        request_url = reverse("accounts:sign_in_link_request")
    except NoReverseMatch:
        pytest.skip("accounts:sign_in_link_request is not built yet (accounts helper)")
    make_user("nell@example.org", "Nell Existing")
    _, token = invitation_for(world, "nell@example.org")
    body = client.get(landing(token)).content.decode()
    assert f"{request_url}?email=nell%40example.org&amp;next=" in body


def test_signed_in_as_the_invitee_joins_once_even_when_clicking_twice(client, world):
    person = make_user("nell@example.org", "Nell Existing")
    _, token = invitation_for(world, "Nell@Example.org".lower())
    client.force_login(person)
    assert "Join Heads of Service" in client.get(landing(token)).content.decode()
    first = client.post(landing(token))
    second = client.post(landing(token))
    detail = reverse("sets:detail", args=[world.set_a.pk])
    assert first.url == detail and second.url == detail
    assert SetMembership.objects.filter(learning_set=world.set_a, user=person).count() == 1
    # Following the link later also leads to the set.
    assert client.get(landing(token)).url == detail


def test_signed_in_as_someone_else_explains_and_offers_to_sign_out(client, world):
    make_user("nell@example.org", "Nell")
    _, token = invitation_for(world, "nell@example.org")
    client.force_login(world.stranger)
    body = client.get(landing(token)).content.decode()
    assert "You are signed in as stan@nowhere.example" in body
    assert f'name="next" value="{landing(token)}"' in body
    client.post(landing(token))
    assert not SetMembership.objects.filter(learning_set=world.set_a, user=world.stranger).exists()


def test_an_expired_invitation_says_to_ask_for_a_new_one(client, world):
    _, token = invitation_for(
        world, "nell@example.org", expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    response = client.get(landing(token))
    assert (
        "This invitation has expired: ask your facilitator to resend it."
        in response.content.decode()
    )
    response = client.post(landing(token), set_up_data())
    assert not User.objects.filter(email="nell@example.org").exists()


def test_a_withdrawn_invitation_no_longer_works(client, world):
    _, token = invitation_for(world, "nell@example.org", revoked_at=timezone.now())
    response = client.get(landing(token))
    assert "This invitation has been withdrawn." in response.content.decode()
    assert 'name="full_name"' not in response.content.decode()
    client.post(landing(token), set_up_data())
    assert not User.objects.filter(email="nell@example.org").exists()


def test_an_unknown_link_says_so(client, world):
    response = client.get(landing("not-a-real-token"))
    assert response.status_code == 404
    assert "This invitation link is not valid." in response.content.decode()


def test_a_used_invitation_cannot_be_used_by_someone_else(client, world):
    person = make_user("nell@example.org", "Nell")
    invitation, token = invitation_for(world, "nell@example.org")
    client.force_login(person)
    client.post(landing(token))
    client.force_login(world.stranger)
    assert "already been used" in client.get(landing(token)).content.decode()


def test_a_removed_member_can_rejoin_with_a_new_membership(
    client, world, django_capture_on_commit_callbacks
):
    old = SetMembership.objects.get(learning_set=world.set_a, user=world.member)
    client.force_login(world.facilitator)
    client.post(reverse("sets:remove_member", args=[world.set_a.pk, old.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sets:invite", args=[world.set_a.pk]), {"emails": world.member.email})
    [message] = mail.outbox
    token = message.body.split("/sets/invitations/")[1].split("/")[0]
    client.force_login(world.member)
    response = client.post(landing(token))
    assert response.url == reverse("sets:detail", args=[world.set_a.pk])
    rows = SetMembership.objects.filter(learning_set=world.set_a, user=world.member).order_by("id")
    assert len(rows) == 2
    assert rows[0].left_at is not None and rows[1].left_at is None
    # The new membership has to accept the agreement again.
    assert not rows[1].has_accepted()


def test_joining_a_full_set_is_refused(client, world):
    LearningSet.objects.filter(pk=world.set_a.pk).update(max_members=5)
    first = make_user("first@example.org", "First")
    second = make_user("second@example.org", "Second")
    _, token1 = invitation_for(world, "first@example.org")
    _, token2 = invitation_for(world, "second@example.org")
    client.force_login(first)
    client.post(landing(token1))
    client.force_login(second)
    response = client.post(landing(token2))
    assert "This set is full." in response.content.decode()
    assert not SetMembership.objects.filter(user=second).exists()


def test_the_whole_invitation_round_trip(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("sets:invite", args=[world.set_a.pk]),
            {"emails": "nell@example.org", "employer": "Harbour"},
        )
    [message] = mail.outbox
    link = next(line for line in message.body.splitlines() if "/sets/invitations/" in line)
    client.logout()
    path = link.replace("http://testserver", "")
    response = client.post(path, set_up_data(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("sets:detail", args=[world.set_a.pk])
    client.post(reverse("sets:agreement", args=[world.set_a.pk]), {"version": "1"})
    membership = SetMembership.objects.get(user__email="nell@example.org")
    assert membership.has_accepted() and membership.employer == "Harbour"


def test_landing_queries_stay_constant(client, world, django_assert_num_queries):
    _, token = invitation_for(world, "nell@example.org")
    small, _ = count_queries(client, "get", landing(token))
    grow_set(world.set_a, 12)
    large, _ = count_queries(client, "get", landing(token))
    assert small == large
    with django_assert_num_queries(2):
        client.get(landing(token))
