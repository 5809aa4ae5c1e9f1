"""Fixtures for volunteers: an active profile, consent, and filing for a resident."""

import io
import uuid
from collections.abc import Callable
from datetime import date

import pytest
from django.core.cache import cache
from django.utils import timezone
from PIL import Image, ImageDraw

from appeals.models import Appeal
from commons.accounts.models import Role, User
from commons.regions.models import Department, Region
from commons.registry.identity import make_id_number
from commons.registry.models import Resident
from commons.registry.services import NewResident, register_resident
from intermediaries import services
from intermediaries.models import ConsentMethod, Intermediary, VolunteerStatus
from intermediaries.services import AssistedFiling, ConsentRecord
from tests.appeals.conftest import file_for, taxonomy  # noqa: F401 - shared fixtures
from tests.personas import OTHER_COMMUNITY, make_user


@pytest.fixture(autouse=True)
def own_cache(settings):
    """The look-up budget lives in the cache; each test gets a private, empty one.

    Clearing the configured cache instead would empty a Redis database that
    other tests, or other people's runs, may be using.
    """
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "intermediaries-tests",
        }
    }
    cache.clear()


@pytest.fixture
def volunteer(intermediary, community, civil_affairs) -> Intermediary:
    """The intermediary persona, active in the resident's community."""
    intermediary.first_name = "张志愿"
    intermediary.save(update_fields=["first_name"])
    profile = Intermediary.objects.create(
        user=intermediary, department=civil_affairs, status=VolunteerStatus.ACTIVE
    )
    profile.communities.set([community])
    return profile


@pytest.fixture
def other_volunteer(civil_affairs, community) -> Intermediary:
    """A second volunteer of the same community."""
    user = make_user("volunteer-2", Role.INTERMEDIARY, region=community)
    profile = Intermediary.objects.create(
        user=user, department=civil_affairs, status=VolunteerStatus.ACTIVE
    )
    profile.communities.set([community])
    return profile


@pytest.fixture
def far_resident(sichuan) -> Resident:
    """A resident of Xichang, outside the volunteer's community."""
    record, _created = register_resident(
        NewResident(
            full_name="阿苏拉则",
            id_number=make_id_number(OTHER_COMMUNITY, date(1956, 6, 2), 7),
            home_community=Region.objects.get(code=OTHER_COMMUNITY),
            phone="13900000077",
            preferred_language="ii",
        ),
        actor=None,
    )
    return record


@pytest.fixture
def xichang_office(sichuan) -> User:
    department = Department.objects.get(code="civil-affairs-513401")
    return make_user("xichang-officer", Role.STAFF, department=department)


def signature_png(*, blank: bool = False) -> bytes:
    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    if not blank:
        ImageDraw.Draw(image).line(
            [(20, 80), (120, 30), (260, 90)], fill="black", width=4
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def spoken_consent(**overrides) -> ConsentRecord:
    details = {
        "key": uuid.uuid4().hex,
        "files_on_behalf": True,
        "shares_record": True,
        "method": ConsentMethod.SPOKEN,
        "consented_at": timezone.now(),
        "attestation": "用彝语读给她听，她口头同意；邻居李大姐在场。",
    }
    return ConsentRecord(**{**details, **overrides})


def signed_consent(**overrides) -> ConsentRecord:
    return spoken_consent(
        method=ConsentMethod.SIGNED,
        attestation="",
        signature_png=signature_png(),
        **overrides,
    )


@pytest.fixture
def file_assisted(
    taxonomy,  # noqa: F811 - the fixture imported above
    django_capture_on_commit_callbacks,
) -> Callable[..., Appeal]:
    """File through the volunteer service; routing runs as at a commit."""

    def file(
        user: User,
        resident: Resident,
        *,
        consent: ConsentRecord | None = None,
        category: str = "roads",
        key: str | None = None,
        location: Region | None = None,
    ) -> Appeal:
        with django_capture_on_commit_callbacks(execute=True):
            appeal, _created = services.file_on_behalf(
                user,
                AssistedFiling(
                    resident=resident,
                    consent=consent,
                    category=taxonomy[category],
                    description="楼道的灯坏了，老人晚上看不见",
                    idempotency_key=key or uuid.uuid4().hex,
                    location=location,
                ),
            )
        appeal.refresh_from_db()
        return appeal

    return file
