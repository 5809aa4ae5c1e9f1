"""The append-only, hash-chained ledger of every read and change of a record."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("created the record")
    READ = "read", _("read the record")
    CHANGE = "change", _("changed the record")


class LedgerEntry(models.Model):
    """One read or change of one resident's record.

    ``position`` runs 1, 2, 3 ... without gaps (database sequences leave gaps
    on rollback), and ``entry_hash`` covers the entry and the hash before it,
    so an edited, removed or inserted entry breaks the chain where it happened.
    """

    position = models.PositiveBigIntegerField(unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    resident = models.ForeignKey(
        "registry.Resident", on_delete=models.PROTECT, related_name="ledger_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    actor_role = models.CharField(max_length=20)
    department = models.ForeignKey(
        "regions.Department", on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    fields = models.JSONField(default=list)
    purpose = models.CharField(max_length=40)
    detail = models.CharField(max_length=200, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["position"]
        indexes = [
            models.Index(fields=["resident", "-position"], name="ledger_resident")
        ]

    def __str__(self) -> str:
        return f"entry {self.position}"


class LedgerHead(models.Model):
    """The single row naming the last entry; appends lock it to stay in order."""

    position = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"head at {self.position}"
