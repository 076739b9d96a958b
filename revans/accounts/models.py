"""People, identified by email, and the single-use links that sign them in or confirm a new email."""

from __future__ import annotations

import hashlib
import secrets
from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def new_token() -> tuple[str, str]:
    """A random token for a link, and the hash we store (a leaked table signs nobody in)."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        user = self.model(email=normalise_email(email), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=120, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class EmailLink(models.Model):
    """A single-use link sent by email: to sign in, or to confirm a change of address."""

    class Purpose(models.TextChoices):
        SIGN_IN = "sign_in", _("Sign in")
        CHANGE_EMAIL = "change_email", _("Confirm new email")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_links")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    new_email = models.EmailField(max_length=254, blank=True)
    # Where to go after signing in (only ever a local path).
    next_path = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_used(self) -> bool:
        return self.used_at is not None


class ThrottledRequest(models.Model):
    """One request that sends an email or tries a password, counted to limit abuse.

    Keyed by a hash of the scope and address (or user), not the address itself: requests for
    addresses that have no account leave no readable trace of who was asked about.
    """

    class Scope(models.TextChoices):
        SIGN_IN_LINK = "sign_in_link", _("Sign-in link")
        PASSWORD_RESET = "password_reset", _("Password reset")
        CHANGE_EMAIL = "change_email", _("Change of email")
        FAILED_SIGN_IN = "failed_sign_in", _("Wrong password")

    scope = models.CharField(max_length=20, choices=Scope.choices)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["key_hash", "created_at"]),
            models.Index(fields=["created_at"]),
        ]
