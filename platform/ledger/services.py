"""Appending to the ledger and checking that nobody rewrote it."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from commons.ledger.chain import GENESIS_HASH, compute_hash
from commons.ledger.models import LedgerEntry, LedgerHead

logger = logging.getLogger(__name__)

# Verification reads the chain in slices so memory stays flat at any length.
VERIFY_BATCH_SIZE = 5000


def append(
    *,
    resident_id: int,
    actor,
    department,
    action: str,
    fields: Iterable[str],
    purpose: str,
    detail: str = "",
) -> LedgerEntry:
    """Add one entry at the end of the chain.

    Must run inside the transaction that makes the read or change, so the
    entry exists exactly when the thing it records happened. Locking the
    head row keeps concurrent appends in one order.
    """
    head = LedgerHead.objects.select_for_update().get_or_create(pk=1)[0]
    entry = LedgerEntry(
        position=head.position + 1,
        created_at=timezone.now(),
        resident_id=resident_id,
        actor=actor,
        actor_role=getattr(actor, "role", "") or "system",
        department=department,
        action=action,
        fields=sorted(fields),
        purpose=purpose,
        detail=detail[:200],
        previous_hash=head.entry_hash,
    )
    entry.entry_hash = compute_hash(entry)
    entry.save(force_insert=True)

    head.position = entry.position
    head.entry_hash = entry.entry_hash
    head.save(update_fields=["position", "entry_hash"])
    return entry


@dataclass
class Verdict:
    entries_checked: int
    first_bad_position: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.first_bad_position is None


def verify() -> Verdict:
    """Recompute the whole chain; name the first entry that does not fit."""
    expected_position, previous_hash, checked = 1, GENESIS_HASH, 0

    with transaction.atomic():
        head = LedgerHead.objects.filter(pk=1).first()
        entries = LedgerEntry.objects.order_by("position")
        for entry in entries.iterator(chunk_size=VERIFY_BATCH_SIZE):
            problem = check_entry(entry, expected_position, previous_hash)
            if problem:
                return Verdict(checked, expected_position, problem)
            checked += 1
            expected_position += 1
            previous_hash = entry.entry_hash

    head_position = head.position if head else 0
    if head_position != checked:
        return Verdict(
            checked,
            checked + 1,
            f"the chain ends at {checked} but the head says {head_position}: "
            "entries were removed from the end",
        )
    return Verdict(checked)


def check_entry(entry: LedgerEntry, position: int, previous_hash: str) -> str:
    if entry.position != position:
        return f"entry {position} is missing (next found is {entry.position})"
    if entry.previous_hash != previous_hash:
        return f"entry {position} does not follow the entry before it"
    if entry.entry_hash != compute_hash(entry):
        return f"entry {position} was altered after it was written"
    return ""


def verify_and_log() -> Verdict:
    verdict = verify()
    if verdict.intact:
        logger.info("Ledger intact: %s entries", verdict.entries_checked)
    else:
        logger.error(
            "Ledger broken at entry %s: %s", verdict.first_bad_position, verdict.reason
        )
    return verdict
