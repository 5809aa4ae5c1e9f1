"""Appeals, the taxonomy they are filed under and the rules that route them."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commons.regions.models import Department, Level, Region, Sector
from commons.registry.models import Resident


class Category(models.Model):
    """One kind of request, with the time allowed to answer it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    help_text = models.CharField(_("short help"), max_length=200, blank=True)
    first_response_hours = models.PositiveIntegerField(
        _("first response within (hours)")
    )
    resolution_hours = models.PositiveIntegerField(_("resolution within (hours)"))
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Sends a category to a department, everywhere or within one region.

    The rule whose region is the smallest one containing the appeal's
    location wins; a rule without a region applies everywhere. A rule names
    either one department, or a sector and a level: "the civil affairs bureau
    of the county the appeal comes from".
    """

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="rules",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("within region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the rule applies everywhere."),
    )
    sector = models.CharField(
        _("sector"), max_length=30, choices=Sector.choices, blank=True
    )
    level = models.PositiveSmallIntegerField(
        _("level of the department"), choices=Level.choices, null=True, blank=True
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("A fixed department; leave sector and level empty."),
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(department__isnull=False)
                | (~models.Q(sector="") & models.Q(level__isnull=False)),
                name="rule_names_a_target",
            ),
            models.UniqueConstraint(
                fields=["category", "region"], name="one_rule_per_category_and_region"
            ),
        ]

    def __str__(self) -> str:
        where = self.region or _("everywhere")
        target = (
            self.department
            or f"{self.get_sector_display()} ({self.get_level_display()})"
        )
        return f"{self.category} · {where} → {target}"


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ROUTED = "routed", _("Waiting for the department")
    ACCEPTED = "accepted", _("Being handled")
    AWAITING_INFO = "awaiting_info", _("Waiting for your information")
    RESOLVED = "resolved", _("Answered")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Out of scope")
    LINKED = "linked", _("Joined to a case already open")


OPEN_STATUSES = [Status.ROUTED, Status.ACCEPTED, Status.AWAITING_INFO]


class Priority(models.IntegerChoices):
    NORMAL = 1, _("Normal")
    HIGH = 2, _("High")
    URGENT = 3, _("Urgent")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("App or API")
    ASSISTED = "assisted", _("Filed by a community volunteer")


class Notify(models.TextChoices):
    SMS = "sms", _("Text message and in the app")
    APP = "app", _("Only in the app")


class Appeal(models.Model):
    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True)
    idempotency_key = models.CharField(max_length=64, unique=True)
    resident = models.ForeignKey(
        Resident,
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appeals_filed"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"))
    location = models.ForeignKey(
        Region, verbose_name=_("location"), on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True
    )
    notify_by = models.CharField(
        _("how to tell you"), max_length=5, choices=Notify.choices, default=Notify.SMS
    )
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.SUBMITTED
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    answer_language = models.CharField(
        _("answer in"),
        max_length=10,
        blank=True,
        help_text=_(
            "Set for Tibetan- and Yi-speaking residents: answer in that language "
            "or arrange an interpreter."
        ),
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("joined to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation level"), default=0
    )
    escalated_to = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations",
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    # Set when the resident withdraws the filer's authorisation (a volunteer
    # who filed for them): the appeal goes on, the filer no longer follows it.
    filer_access_ended_at = models.DateTimeField(null=True, blank=True)
    first_response_due = models.DateTimeField(
        _("first response due"), null=True, blank=True
    )
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("filed"), default=timezone.now)
    routed_at = models.DateTimeField(null=True, blank=True)
    first_responded_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField(_("answer"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        indexes = [
            # The inbox: one department's open appeals by deadline.
            models.Index(
                fields=["department", "status", "resolution_due"], name="appeal_inbox"
            ),
            models.Index(fields=["resident", "-created_at"], name="appeal_resident"),
            # Duplicate search: same category and place, recent.
            models.Index(
                fields=["category", "location", "-created_at"], name="appeal_place"
            ),
            # Sweeps: unrouted and overdue appeals, kept small by their conditions.
            models.Index(
                fields=["created_at"],
                name="appeal_unrouted",
                condition=models.Q(status="submitted"),
            ),
            models.Index(
                fields=["resolution_due"],
                name="appeal_open_due",
                condition=models.Q(status__in=["routed", "accepted"]),
            ),
            models.Index(fields=["escalated_to", "status"], name="appeal_escalated"),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        if not self.is_open or self.paused_at is not None:
            return False
        late_answer = self.resolution_due is not None and now > self.resolution_due
        late_first = (
            self.first_responded_at is None
            and self.first_response_due is not None
            and now > self.first_response_due
        )
        return late_answer or late_first

    def hours_left(self, now=None) -> float | None:
        if self.resolution_due is None:
            return None
        left: timedelta = self.resolution_due - (now or timezone.now())
        return left.total_seconds() / 3600


class AppealPhoto(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="appeals/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.image.name


class EventKind(models.TextChoices):
    FILED = "filed", _("Filed")
    ROUTED = "routed", _("Sent to a department")
    LINKED = "linked", _("Joined to a case already open")
    ACCEPTED = "accepted", _("Accepted")
    INFO_REQUESTED = "info_requested", _("Information asked of the resident")
    INFO_PROVIDED = "info_provided", _("Information given by the resident")
    TRANSFERRED = "transferred", _("Transferred to another department")
    REASSIGNED = "reassigned", _("Reassigned by a supervisor")
    ESCALATED = "escalated", _("Escalated for being late")
    RESOLVED = "resolved", _("Answered")
    DECLINED = "declined", _("Declined as out of scope")
    RATED = "rated", _("Rated by the resident")
    REOPENED = "reopened", _("Reopened by the resident")
    CLOSED = "closed", _("Closed")


class AppealEvent(models.Model):
    """One step of an appeal's timeline."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["appeal", "created_at"], name="event_appeal")]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.kind}"


class Rating(models.Model):
    appeal = models.OneToOneField(
        Appeal, on_delete=models.CASCADE, related_name="rating"
    )
    score = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    relayed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The volunteer who passed on a resident's rating."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="score_one_to_five"
            )
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id}: {self.score}"


class Notification(models.Model):
    """An in-app message; the text is rendered in the reader's language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox")
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind}"
