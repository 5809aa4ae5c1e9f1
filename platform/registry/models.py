"""The once-only resident registry: one record per person, read by grant."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commons.regions.models import Department, Region

ELDERLY_AGE = 60  # the age at which Chinese law counts a person as elderly


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Purpose(models.TextChoices):
    SELF = "self", _("The resident viewing or updating their own record")
    REGISTRATION = "registration", _("Registering a resident")
    SERVICE = "service", _("Answering the resident's request")
    ELIGIBILITY = "eligibility", _("Checking eligibility for a benefit")
    CORRECTION = "correction", _("Correcting the record")
    EMERGENCY = "emergency", _("Emergency assistance")


class RecordField(models.TextChoices):
    """The parts of a record a grant can open, as the resident reads them."""

    FULL_NAME = "full_name", _("Name")
    ID_NUMBER = "id_number_last4", _("ID number (last four digits)")
    PHONE = "phone", _("Phone number")
    BIRTH_DATE = "birth_date", _("Date of birth")
    GENDER = "gender", _("Gender")
    ETHNICITY = "ethnicity", _("Ethnicity")
    LANGUAGE = "preferred_language", _("Preferred language")
    COMMUNITY = "home_community", _("Home community")
    HOUSEHOLD = "household", _("Household")
    VULNERABILITY = (
        "vulnerability",
        _("Circumstances (age, living alone, disability, income)"),
    )
    ACCESSIBILITY = "accessibility_needs", _("Accessibility needs")


# Grant field names map to model attributes; "vulnerability" covers four.
VULNERABILITY_FLAGS = [
    "lives_alone",
    "has_disability",
    "low_income",
    "low_digital_literacy",
]


class Household(models.Model):
    code = models.CharField(_("household number"), max_length=30, unique=True)
    address = models.CharField(_("address"), max_length=200)
    community = models.ForeignKey(
        Region, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.code


class Resident(models.Model):
    """One person. The full ID number is never stored, only its keyed hash."""

    full_name = models.CharField(_("name"), max_length=100)
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_number_last4 = models.CharField(_("ID number (last four)"), max_length=4)
    phone = models.CharField(
        _("phone number"), max_length=20, blank=True, db_index=True
    )
    birth_date = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=30, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    home_community = models.ForeignKey(
        Region,
        verbose_name=_("home community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    lives_alone = models.BooleanField(_("lives alone"), default=False)
    has_disability = models.BooleanField(_("has a disability"), default=False)
    low_income = models.BooleanField(_("low income"), default=False)
    low_digital_literacy = models.BooleanField(
        _("needs help with digital services"), default=False
    )
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident_record",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("resident record")
        verbose_name_plural = _("resident records")
        indexes = [models.Index(fields=["home_community"], name="resident_community")]

    def __str__(self) -> str:
        return f"#{self.pk} (…{self.id_number_last4})"

    def age_on(self, day: date) -> int:
        before_birthday = (day.month, day.day) < (
            self.birth_date.month,
            self.birth_date.day,
        )
        return day.year - self.birth_date.year - before_birthday

    @property
    def is_elderly(self) -> bool:
        return self.age_on(timezone.localdate()) >= ELDERLY_AGE


class ResidentRevision(models.Model):
    """What one change altered: each field's value before and after."""

    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="revisions"
    )
    version = models.PositiveIntegerField()
    changes = models.JSONField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, related_name="+"
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("record revision")
        verbose_name_plural = _("record revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "version"], name="one_revision_per_version"
            )
        ]
        ordering = ["resident", "version"]

    def __str__(self) -> str:
        return f"{self.resident_id} v{self.version}"


class AccessGrant(models.Model):
    """Lets one department read (and perhaps change) some fields for a purpose."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="grants",
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    fields = models.JSONField(_("fields"), help_text=_("Names of the record's fields."))
    may_change = models.BooleanField(_("may change these fields"), default=False)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200)

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")

    def __str__(self) -> str:
        return f"{self.department} / {self.get_purpose_display()}"

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (
            self.valid_until is None or day <= self.valid_until
        )
