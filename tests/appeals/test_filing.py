"""Filing an appeal: one per key, nothing stored for bad input, routed after commit."""

import io
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from kombu.exceptions import OperationalError as BrokerDown
from PIL import Image

from appeals import tasks
from appeals.models import Appeal, AppealEvent, AppealPhoto, Channel, EventKind, Status
from appeals.services.filing import Filing, file_appeal
from commons.regions.models import Region
from commons.registry.models import Resident

TRACKING_NUMBER = re.compile(r"^SC\d{6}[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$")


def filing_for(resident: Resident, category, **overrides) -> Filing:
    details = {
        "resident": resident,
        "filed_by": resident.account,
        "category": category,
        "description": "小区门口的路灯坏了一个星期",
        "location": resident.home_community,
        "idempotency_key": uuid.uuid4().hex,
    }
    return Filing(**{**details, **overrides})


def photo(
    name: str = "lamp.jpg", kind: str = "JPEG", **save_options
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, format=kind, **save_options)
    return SimpleUploadedFile(name, buffer.getvalue())


def with_gps_position() -> dict[str, bytes]:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (30.0, 39.0, 36.0)}  # GPSInfo: latitude
    return {"exif": exif.tobytes()}


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def enqueued(monkeypatch) -> list[list[int]]:
    """The routing tasks sent to the broker, instead of sending them."""
    sent: list[list[int]] = []

    def record(args: list[int], **options) -> None:
        sent.append(args)

    monkeypatch.setattr(tasks.route_appeal_task, "apply_async", record)
    return sent


def test_the_same_key_twice_returns_the_first_appeal_and_stores_nothing_new(
    resident, taxonomy, django_capture_on_commit_callbacks
):
    filing = filing_for(resident, taxonomy["roads"])

    with django_capture_on_commit_callbacks(execute=True):
        first, first_created = file_appeal(filing)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again, again_created = file_appeal(filing)

    assert first_created and not again_created
    assert again.pk == first.pk
    assert Appeal.objects.count() == 1
    assert AppealEvent.objects.filter(kind=EventKind.FILED).count() == 1
    assert callbacks == []


def test_a_key_already_used_by_another_person_is_refused(
    resident, intermediary, taxonomy, django_capture_on_commit_callbacks
):
    key = uuid.uuid4().hex
    with django_capture_on_commit_callbacks(execute=True):
        first, _created = file_appeal(
            filing_for(resident, taxonomy["roads"], idempotency_key=key)
        )

    with pytest.raises(ValidationError):
        file_appeal(
            filing_for(
                resident,
                taxonomy["water-power"],
                idempotency_key=key,
                filed_by=intermediary,
            )
        )

    assert list(Appeal.objects.all()) == [first]
    assert first.category.code == "roads"


def inactive_category(taxonomy) -> dict:
    category = taxonomy["schools"]
    category.is_active = False
    category.save(update_fields=["is_active"])
    return {"category": category}


def township_location(taxonomy) -> dict:
    return {"location": Region.objects.get(code="510104017")}


BAD_INPUT: dict[str, Callable[[dict], dict]] = {
    "empty description": lambda taxonomy: {"description": "  \n "},
    "too long a description": lambda taxonomy: {"description": "路" * 2001},
    "inactive category": inactive_category,
    "a whole township as the place": township_location,
    "no idempotency key": lambda taxonomy: {"idempotency_key": ""},
    "a text file named .jpg": lambda taxonomy: {
        "photos": [SimpleUploadedFile("lamp.jpg", b"not a picture at all")]
    },
    "a GIF": lambda taxonomy: {"photos": [photo("lamp.gif", "GIF")]},
    "six photos": lambda taxonomy: {"photos": [photo() for _ in range(6)]},
    "a good photo with a bad one": lambda taxonomy: {
        "photos": [photo(), SimpleUploadedFile("b.png", b"\x89PNG broken")]
    },
}


@pytest.mark.parametrize("problem", BAD_INPUT)
def test_bad_input_is_refused_and_nothing_is_stored(
    problem, resident, taxonomy, media, enqueued, django_capture_on_commit_callbacks
):
    details = {"category": taxonomy["roads"], **BAD_INPUT[problem](taxonomy)}
    filing = filing_for(resident, **details)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refusal,
    ):
        file_appeal(filing)

    assert refusal.value.messages[0]
    assert Appeal.objects.count() == 0
    assert AppealEvent.objects.count() == 0
    assert AppealPhoto.objects.count() == 0
    assert list(media.rglob("*.*")) == []
    assert enqueued == []


def test_the_tracking_number_is_easy_to_read_out_and_carries_the_local_date(
    resident, taxonomy, enqueued
):
    # 23:30 in London on 1 March is already 2 March in Sichuan.
    with time_machine.travel(datetime(2025, 3, 1, 23, 30, tzinfo=UTC), tick=False):
        appeal, _created = file_appeal(filing_for(resident, taxonomy["roads"]))

    assert TRACKING_NUMBER.match(appeal.tracking_number)
    assert appeal.tracking_number.startswith("SC250302")


def test_each_appeal_gets_its_own_tracking_number(resident, taxonomy, enqueued):
    numbers = {
        file_appeal(filing_for(resident, taxonomy["roads"]))[0].tracking_number
        for _ in range(20)
    }

    assert len(numbers) == 20


def test_the_appeal_points_to_the_residents_registry_record(
    resident, intermediary, taxonomy, enqueued
):
    appeal, _created = file_appeal(
        filing_for(
            resident,
            taxonomy["health"],
            filed_by=intermediary,
            channel=Channel.ASSISTED,
        )
    )

    stored = Appeal.objects.get(pk=appeal.pk)
    assert stored.resident == resident
    assert list(resident.appeals.all()) == [stored]
    assert stored.filed_by == intermediary
    assert stored.channel == Channel.ASSISTED
    assert stored.location == resident.home_community


def test_the_description_is_stored_without_surrounding_blank_space(
    resident, taxonomy, enqueued
):
    appeal, _created = file_appeal(
        filing_for(resident, taxonomy["roads"], description="  路灯不亮  \n")
    )

    assert Appeal.objects.get(pk=appeal.pk).description == "路灯不亮"


def test_filing_stores_a_filed_event_and_waits_for_routing(
    resident, taxonomy, enqueued
):
    appeal, _created = file_appeal(filing_for(resident, taxonomy["roads"]))

    stored = Appeal.objects.get(pk=appeal.pk)
    assert stored.status == Status.SUBMITTED
    assert stored.department is None
    assert [event.kind for event in stored.events.all()] == [EventKind.FILED]
    assert stored.events.get().actor == resident.account


def test_routing_is_enqueued_only_once_the_filing_is_committed(
    resident, taxonomy, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        appeal, _created = file_appeal(filing_for(resident, taxonomy["roads"]))

        # Still inside the transaction: a worker could not see the row yet.
        assert enqueued == []

    for callback in callbacks:
        callback()

    assert enqueued == [[appeal.pk]]


def test_with_the_embedded_default_the_appeal_is_routed_at_commit(
    resident, taxonomy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appeal, _created = file_appeal(filing_for(resident, taxonomy["roads"]))

    appeal.refresh_from_db()
    assert appeal.status == Status.ROUTED
    assert appeal.department.code == "housing-510104"


def test_a_filing_succeeds_when_the_broker_is_down(
    resident, taxonomy, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **options) -> None:
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.route_appeal_task, "apply_async", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        appeal, created = file_appeal(filing_for(resident, taxonomy["roads"]))

    assert created
    assert Appeal.objects.get(pk=appeal.pk).status == Status.SUBMITTED


def test_photos_are_stored_without_their_location_metadata(
    resident, taxonomy, media, enqueued
):
    upload = photo(**with_gps_position())

    appeal, _created = file_appeal(
        filing_for(resident, taxonomy["roads"], photos=[upload])
    )

    stored = appeal.photos.get()
    assert (stored.width, stored.height) == (40, 30)
    with Image.open(stored.image.path) as image:
        assert image.format == "JPEG"
        assert 0x8825 not in image.getexif()
    assert "lamp" not in stored.image.name
