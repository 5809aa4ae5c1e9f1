"""Volunteers, the communities they serve, and the residents' consent."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appeals.models import Appeal
from commons.regions.models import Department, Level, Region
from commons.registry.models import Resident


class VolunteerStatus(models.TextChoices):
    PENDING = "pending", _("Registered, not yet active")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")


class Intermediary(models.Model):
    """A community volunteer, working only in the communities assigned here."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="volunteer_profile",
        limit_choices_to={"role": "intermediary"},
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("managed by"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Its staff assign the communities and may suspend the volunteer."),
    )
    communities = models.ManyToManyField(
        Region,
        verbose_name=_("communities served"),
        related_name="+",
        blank=True,
        limit_choices_to={"level": Level.VILLAGE},
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=VolunteerStatus.choices,
        default=VolunteerStatus.PENDING,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    status_note = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("community volunteer")
        verbose_name_plural = _("community volunteers")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_active(self) -> bool:
        return self.status == VolunteerStatus.ACTIVE

    def serves(self, region: Region) -> bool:
        """True when one of the assigned communities contains ``region``."""
        prefixes = [
            region.tree_code[:size] for size in range(1, len(region.tree_code) + 1)
        ]
        return self.communities.filter(tree_code__in=prefixes).exists()


class ConsentMethod(models.TextChoices):
    SIGNED = "signed", _("Signed on the screen")
    SPOKEN = "spoken", _("Spoken, and attested by the volunteer")


class Consent(models.Model):
    """What a resident allowed a volunteer to do for one filing, and how.

    A consent is recorded before the filing it covers, in the same
    transaction, and is never deleted: a withdrawal is a date.
    """

    key = models.CharField(max_length=64, unique=True, editable=False)
    resident = models.ForeignKey(
        Resident,
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="volunteer_consents",
    )
    intermediary = models.ForeignKey(
        Intermediary,
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="consents",
    )
    files_on_behalf = models.BooleanField(_("may file on the resident's behalf"))
    shares_record = models.BooleanField(
        _("may share the record with the department that answers")
    )
    method = models.CharField(_("how"), max_length=10, choices=ConsentMethod.choices)
    signature_png = models.BinaryField(_("signature (PNG)"), blank=True, default=b"")
    attestation = models.TextField(_("volunteer's attestation"), blank=True)
    consented_at = models.DateTimeField(_("consented"))
    recorded_at = models.DateTimeField(_("received by the platform"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-consented_at"]
        indexes = [
            models.Index(fields=["intermediary", "resident"], name="consent_pair"),
            models.Index(fields=["resident", "-consented_at"], name="consent_resident"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(method="signed") | ~models.Q(signature_png=b""),
                name="signed_consent_has_signature",
            ),
            models.CheckConstraint(
                condition=~models.Q(method="spoken") | ~models.Q(attestation=""),
                name="spoken_consent_is_attested",
            ),
        ]

    def __str__(self) -> str:
        return f"consent {self.pk}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class AssistedAppeal(models.Model):
    """Links an appeal filed by a volunteer to the consent that allowed it."""

    appeal = models.OneToOneField(
        Appeal,
        verbose_name=_("appeal"),
        on_delete=models.PROTECT,
        related_name="assisted",
    )
    intermediary = models.ForeignKey(
        Intermediary,
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    consent = models.ForeignKey(
        Consent,
        verbose_name=_("consent"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("appeal filed by a volunteer")
        verbose_name_plural = _("appeals filed by volunteers")
        indexes = [
            models.Index(
                fields=["intermediary", "-created_at"], name="assisted_volunteer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} by {self.intermediary_id}"
