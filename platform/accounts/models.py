"""Accounts, roles and what each role may see."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commons.regions.models import Department, Region


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    INTERMEDIARY = "intermediary", _("Intermediary")
    STAFF = "staff", _("Department staff")
    SUPERVISOR = "supervisor", _("Supervisor")
    ANALYST = "analyst", _("Analyst")
    ADMIN = "admin", _("Administrator")


DEPARTMENT_ROLES = {Role.STAFF, Role.SUPERVISOR}


class User(AbstractUser):
    """A person who signs in.

    Residents sign in with their phone number and a one-time code and have
    no usable password; everyone else signs in with a password.
    """

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    phone = models.CharField(
        _("phone number"), max_length=20, unique=True, null=True, blank=True
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For analysts and intermediaries: the area they work in."),
    )
    failed_sign_ins = models.PositiveSmallIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=["staff", "supervisor"])
                | models.Q(department__isnull=False),
                name="department_role_has_department",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_resident(self) -> bool:
        return self.role == Role.RESIDENT

    @property
    def works_for_department(self) -> bool:
        return self.role in DEPARTMENT_ROLES

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()

    def jurisdiction(self) -> Region | None:
        """The region whose records and appeals this account may see."""
        if self.works_for_department and self.department_id:
            return self.department.jurisdiction
        return self.region


class OneTimeCode(models.Model):
    """A sign-in code sent to a resident's phone; only its hash is kept."""

    phone = models.CharField(max_length=20, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self) -> str:
        return f"code {self.pk}"


class SmsMessage(models.Model):
    """Every text message the platform sends, as an outbox and a record."""

    phone = models.CharField(_("phone number"), max_length=20)
    body = models.TextField(_("text"))
    backend = models.CharField(max_length=100)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"message {self.pk}"
