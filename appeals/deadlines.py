"""How long a department has to answer, by category and priority."""

from datetime import datetime, timedelta

from appeals.models import Appeal, Priority

# Share of the category's time a priority leaves: urgent cases get a quarter.
PRIORITY_FACTORS = {Priority.NORMAL: 1.0, Priority.HIGH: 0.5, Priority.URGENT: 0.25}


def set_deadlines(appeal: Appeal, start: datetime) -> None:
    factor = PRIORITY_FACTORS[Priority(appeal.priority)]
    category = appeal.category
    appeal.first_response_due = start + timedelta(
        hours=category.first_response_hours * factor
    )
    appeal.resolution_due = start + timedelta(hours=category.resolution_hours * factor)


def pause(appeal: Appeal, now: datetime) -> None:
    """Stop the clock while the department waits for the resident."""
    appeal.paused_at = now


def resume(appeal: Appeal, now: datetime) -> None:
    """Restart the clock, giving back the time spent waiting."""
    if appeal.paused_at is None:
        return
    waited = now - appeal.paused_at
    if appeal.first_response_due is not None:
        appeal.first_response_due += waited
    if appeal.resolution_due is not None:
        appeal.resolution_due += waited
    appeal.paused_at = None


def raise_priority(appeal: Appeal) -> None:
    appeal.priority = min(appeal.priority + 1, Priority.URGENT)
