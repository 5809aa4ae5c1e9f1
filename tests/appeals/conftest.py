"""Fixtures for appeals: the seeded taxonomy and a quick way to file."""

import uuid

import pytest

from appeals.models import Appeal, Category, Channel
from appeals.seeds import seed_demo
from appeals.services.filing import Filing, file_appeal


@pytest.fixture
def taxonomy(sichuan):
    """Categories, the default rules and the demo's Jinjiang elder-care rule."""
    seed_demo()
    return {category.code: category for category in Category.objects.all()}


@pytest.fixture
def file_for(taxonomy, django_capture_on_commit_callbacks):
    """File an appeal for a resident; routing runs in-process (eager Celery).

    The test's transaction never commits, so the after-commit hooks (routing,
    texts to the resident) are captured and run as a commit would.
    """

    def file(
        resident,
        *,
        category="roads",
        text="路灯坏了，晚上很黑",
        by=None,
        location=None,
        key=None,
        photos=None,
        channel=Channel.WEB,
    ) -> Appeal:
        with django_capture_on_commit_callbacks(execute=True):
            appeal, _created = file_appeal(
                Filing(
                    resident=resident,
                    filed_by=by or resident.account,
                    category=taxonomy[category],
                    description=text,
                    location=location or resident.home_community,
                    idempotency_key=key or uuid.uuid4().hex,
                    photos=photos or [],
                    channel=channel,
                )
            )
        appeal.refresh_from_db()
        return appeal

    return file
