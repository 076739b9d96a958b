"""Resetting a forgotten password by email, through the outbox."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from revans.accounts.models import User
from revans.accounts.signals import password_changed
from revans.accounts.tests.helpers import RESET_LINK, error_next_to, path_in_email, value_of
from revans.core.models import OutboundEmail
from revans.testing import PASSWORD, PERSONAS, count_queries, make_user

URL = reverse("accounts:password_reset")
DONE = reverse("accounts:password_reset_done")
NEW_PASSWORD = "a quiet harbour at dawn"
SIGN_IN = reverse("accounts:sign_in")


def ask_for_reset(client, capture, email):
    with capture(execute=True):
        return client.post(URL, {"email": email})


def choose_password(client, path, first=NEW_PASSWORD, second=NEW_PASSWORD):
    form_url = client.get(path).url  # Django moves the token out of the address first
    form_page = client.get(form_url)
    return form_page, client.post(form_url, {"new_password1": first, "new_password2": second})


@pytest.mark.parametrize("persona", PERSONAS)
def test_reset_pages_are_open_to_everyone(client, world, persona):
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    page = client.get(URL, {"email": "fran@northgate.example"})
    assert page.status_code == 200
    assert value_of(page, "id_email") == "fran@northgate.example"
    assert client.get(DONE).status_code == 200
    assert client.get(reverse("accounts:password_reset_complete")).status_code == 200


def test_the_reset_email_goes_through_the_outbox_and_works(
    client, world, django_capture_on_commit_callbacks
):
    response = ask_for_reset(client, django_capture_on_commit_callbacks, "Member1@Client.example")
    assert response.url == DONE
    queued = OutboundEmail.objects.get()
    assert queued.kind == "password_reset" and queued.to_email == world.member.email
    assert queued.status == OutboundEmail.Status.SENT
    path = path_in_email(RESET_LINK, world.member.email)
    form_page, response = choose_password(client, path)
    assert form_page.status_code == 200
    assert form_page.content.decode().count('autocomplete="new-password"') == 2
    assert response.url == reverse("accounts:password_reset_complete")
    world.member.refresh_from_db()
    assert world.member.check_password(NEW_PASSWORD)
    signed_in = client.post(SIGN_IN, {"username": world.member.email, "password": NEW_PASSWORD})
    assert signed_in.url == reverse("home:home")
    # The link is spent once used.
    client.logout()
    assert "cannot be used" in client.get(path, follow=True).content.decode()


def test_the_page_after_asking_is_the_same_for_unknown_addresses(
    client, world, django_capture_on_commit_callbacks
):
    known = ask_for_reset(client, django_capture_on_commit_callbacks, world.member.email)
    unknown = ask_for_reset(client, django_capture_on_commit_callbacks, "nobody@client.example")
    assert known.url == unknown.url == DONE
    assert [m.to for m in mail.outbox] == [[world.member.email]]


def test_an_account_made_by_invitation_can_choose_its_first_password(
    client, world, django_capture_on_commit_callbacks
):
    invited = User.objects.create_user("nell@example.org", None, full_name="Nell")
    ask_for_reset(client, django_capture_on_commit_callbacks, invited.email)
    path = path_in_email(RESET_LINK, invited.email)
    choose_password(client, path)
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)


def test_bad_input_is_explained_next_to_the_field(
    client, world, django_capture_on_commit_callbacks
):
    response = ask_for_reset(client, django_capture_on_commit_callbacks, "member1 at client")
    assert "valid email address" in error_next_to(response, "id_email")
    assert value_of(response, "id_email") == "member1 at client"
    ask_for_reset(client, django_capture_on_commit_callbacks, world.member.email)
    path = path_in_email(RESET_LINK, world.member.email)
    _, response = choose_password(client, path, NEW_PASSWORD, "something else")
    assert "not the same" in error_next_to(response, "id_new_password2")
    world.member.refresh_from_db()
    assert world.member.check_password(PASSWORD)


def test_at_most_five_reset_emails_in_fifteen_minutes(
    client, world, django_capture_on_commit_callbacks
):
    for _ in range(5):
        assert ask_for_reset(client, django_capture_on_commit_callbacks, "x@nowhere.example").url
    refused = ask_for_reset(client, django_capture_on_commit_callbacks, "x@nowhere.example")
    assert refused.status_code == 429
    assert "already sent several emails" in refused.content.decode()
    assert value_of(refused, "id_email") == "x@nowhere.example"


def test_a_reset_ends_other_sessions(client, world, django_capture_on_commit_callbacks):
    other_browser = client.__class__()
    other_browser.force_login(world.member)
    told = []
    password_changed.connect(lambda **kw: told.append(kw), weak=False, dispatch_uid="t-reset")
    try:
        ask_for_reset(client, django_capture_on_commit_callbacks, world.member.email)
        choose_password(client, path_in_email(RESET_LINK, world.member.email))
    finally:
        password_changed.disconnect(dispatch_uid="t-reset")
    assert other_browser.get(reverse("accounts:account")).status_code == 302
    assert SESSION_KEY not in client.session
    # Other apps are told, e.g. for live rooms open in the ended sessions; no session stays.
    assert [(kw["user"], kw["kept_session_key"], kw["renewed_session_key"]) for kw in told] == [
        (world.member, None, None)
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_reset_link_works_whoever_opens_it(
    client, world, django_capture_on_commit_callbacks, persona
):
    user = world.persona(persona)
    if user is not None:
        # Signing in after asking would (rightly) spend the member's link: it covers last_login.
        client.force_login(user)
    ask_for_reset(client, django_capture_on_commit_callbacks, world.member.email)
    path = path_in_email(RESET_LINK, world.member.email)
    form_page, response = choose_password(client, path)
    assert form_page.status_code == 200
    assert response.url == reverse("accounts:password_reset_complete")
    world.member.refresh_from_db()
    assert world.member.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    "url", [URL, DONE, reverse("accounts:password_reset_complete")], ids=["ask", "sent", "done"]
)
def test_reset_page_queries_do_not_grow(client, db, django_assert_num_queries, url):
    small, _ = count_queries(client, "get", url)
    for i in range(30):
        make_user(f"many{i}@example.org")
    large, _ = count_queries(client, "get", url)
    assert small == large
    with django_assert_num_queries(0):
        client.get(url)


def test_reset_form_queries_do_not_grow(
    client, world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    ask_for_reset(client, django_capture_on_commit_callbacks, world.member.email)
    form_url = client.get(path_in_email(RESET_LINK, world.member.email)).url
    small, _ = count_queries(client, "get", form_url)
    for i in range(30):
        make_user(f"many{i}@example.org")
    large, response = count_queries(client, "get", form_url)
    assert response.status_code == 200
    assert small == large
    with django_assert_num_queries(2):  # session (holding the token), the account
        client.get(form_url)
