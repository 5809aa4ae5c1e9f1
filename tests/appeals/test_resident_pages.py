"""The resident's pages: filing, following, answering, rating, tracking.

Each page's tests include the refusal (staff, the outsider, another
resident, anyone not signed in) and check that nothing changed.
"""

import io
import re
import uuid
from datetime import date, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from appeals.models import (
    Appeal,
    AppealEvent,
    AppealPhoto,
    EventKind,
    Notification,
    Rating,
    Status,
)
from appeals.services import workflow
from commons.accounts.models import Role, User
from commons.regions.models import Department, Region
from commons.registry.identity import make_id_number
from commons.registry.models import Resident
from commons.registry.services import NewResident, register_resident
from tests.personas import COMMUNITY, RESIDENT_PHONE, make_user

PHONE_BACKEND = "commons.accounts.backends.PhoneCodeBackend"
GRID = "510104017001001"  # Shuijingfang Grid 1, in the resident's community
GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def empty_cache():
    """The tracking limit counts tries in the cache; each test starts afresh."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def signed_in(client, resident):
    client.force_login(resident.account, backend=PHONE_BACKEND)
    return client


@pytest.fixture
def housing_officer(sichuan) -> User:
    """Staff of the department that answers roads appeals in Jinjiang."""
    department = Department.objects.get(code="housing-510104")
    return make_user("housing-officer", Role.STAFF, department=department)


@pytest.fixture
def neighbour(community) -> Resident:
    """Another resident of the same community, with an account of her own."""
    account = User.objects.create(
        username="resident-13900000002", role=Role.RESIDENT, phone="13900000002"
    )
    record, _created = register_resident(
        NewResident(
            full_name="李桂芳",
            id_number=make_id_number(COMMUNITY, date(1975, 6, 1), 2),
            home_community=community,
            phone="13900000002",
            account=account,
        ),
        actor=None,
    )
    return record


def jpeg(*, gps: bool = False, size: tuple[int, int] = (40, 30)) -> bytes:
    image = Image.new("RGB", size, color=(200, 120, 40))
    exif = Image.Exif()
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (30.0, 39.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def photo(name: str = "street.jpg", content: bytes | None = None):
    return SimpleUploadedFile(name, content or jpeg(), content_type="image/jpeg")


def filing_data(**changes) -> dict:
    data = {
        "category": "roads",
        "description": "巷子里的路灯坏了，晚上很黑",
        "notify_by": "sms",
        "idempotency_key": uuid.uuid4().hex,
    }
    data.update(changes)
    return data


def post_filing(client, data, capture=None, **extra):
    url = reverse("appeals:file")
    if capture is None:
        return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en", **extra)
    # Routing waits for the commit the test's transaction never makes.
    with capture(execute=True):
        return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en", **extra)


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


# Filing


def test_a_resident_files_an_appeal_that_is_routed_and_sees_its_number(
    signed_in, resident, taxonomy, django_capture_on_commit_callbacks
):
    response = post_filing(signed_in, filing_data(), django_capture_on_commit_callbacks)

    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("appeals:filed", args=[appeal.tracking_number])
    assert appeal.resident == resident
    assert appeal.location == resident.home_community
    assert appeal.status == Status.ROUTED
    assert appeal.department.code == "housing-510104"
    confirmation = signed_in.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    html = confirmation.content.decode()
    assert f">{appeal.tracking_number}</p>" in html
    assert reverse("appeals:detail", args=[appeal.tracking_number]) in html


def test_the_form_offers_translated_categories_with_help_and_a_fresh_key(
    signed_in, taxonomy
):
    html = signed_in.get(
        reverse("appeals:file"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "Roads and public facilities" in html
    assert "Broken roads, dark street lights, missing drain covers" in html
    assert "水井坊社区" in html  # the home community, used unless another is chosen
    assert re.search(r'name="idempotency_key" value="[0-9a-f]{32}"', html)
    assert 'type="file" name="photos"' in html and "multiple" in html
    # Without JavaScript the place picker stays hidden: the home community.
    assert "data-region-picker" in html


def test_sending_the_same_form_twice_files_one_appeal(
    signed_in, taxonomy, django_capture_on_commit_callbacks
):
    data = filing_data()

    first = post_filing(signed_in, data, django_capture_on_commit_callbacks)
    again = post_filing(signed_in, data, django_capture_on_commit_callbacks)

    assert Appeal.objects.count() == 1
    assert first.url == again.url


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"category": ""}, "Choose one of the listed categories."),
        ({"category": "no-such-thing"}, "Select a valid choice."),
        ({"description": "   "}, "Describe what you need."),
        ({"location": "510104"}, "Choose a community, village or grid."),
        ({"location": "510104017"}, "Choose a community, village or grid."),
        ({"location": "999999999999"}, "Choose a place from the lists."),
        ({"latitude": "91", "longitude": "104"}, "less than or equal to 90"),
        ({"latitude": "30.6"}, "Your position could not be read."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(
    signed_in, taxonomy, changes, message
):
    response = post_filing(signed_in, filing_data(**changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Appeal.objects.count() == 0


def test_a_refused_form_keeps_its_key_so_a_corrected_retry_files_once(
    signed_in, taxonomy
):
    data = filing_data(description="")

    html = post_filing(signed_in, data).content.decode()

    assert f'value="{data["idempotency_key"]}"' in html


def test_a_text_file_named_like_a_photo_is_refused_and_nothing_is_stored(
    signed_in, taxonomy, media
):
    fake = SimpleUploadedFile("road.jpg", b"not a picture", content_type="image/jpeg")

    response = post_filing(signed_in, filing_data(photos=[fake]))

    assert "The file road.jpg is not a photo we can read." in response.content.decode()
    assert Appeal.objects.count() == 0
    assert AppealPhoto.objects.count() == 0
    assert stored_files(media) == []


def test_a_photo_over_the_size_limit_is_refused(
    signed_in, taxonomy, media, monkeypatch
):
    monkeypatch.setattr("appeals.photos.MAX_BYTES", 100)

    response = post_filing(signed_in, filing_data(photos=[photo("big.jpg")]))

    assert "The photo big.jpg is larger than" in response.content.decode()
    assert Appeal.objects.count() == 0
    assert stored_files(media) == []


def test_six_photos_are_refused(signed_in, taxonomy, media):
    photos = [photo(f"photo-{number}.jpg") for number in range(6)]

    response = post_filing(signed_in, filing_data(photos=photos))

    assert "You can attach at most 5 photos." in response.content.decode()
    assert Appeal.objects.count() == 0
    assert stored_files(media) == []


def test_a_photo_is_stored_without_its_location_and_shown_to_the_resident(
    signed_in, taxonomy, media, django_capture_on_commit_callbacks
):
    original = jpeg(gps=True)
    assert GPS_IFD in Image.open(io.BytesIO(original)).getexif()

    post_filing(
        signed_in,
        filing_data(photos=[photo("lamp.jpg", original)]),
        django_capture_on_commit_callbacks,
    )

    stored = AppealPhoto.objects.get()
    with Image.open(stored.image.path) as image:
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
    served = signed_in.get(reverse("appeals:photo", args=[stored.pk]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert b"Exif" not in b"".join(served.streaming_content)


def test_a_resident_may_file_for_a_grid_of_the_region_tree(
    signed_in, taxonomy, django_capture_on_commit_callbacks
):
    post_filing(
        signed_in,
        filing_data(location=GRID, latitude="30.654321", longitude="104.0812346"),
        django_capture_on_commit_callbacks,
    )

    appeal = Appeal.objects.get()
    assert appeal.location.code == GRID
    assert appeal.department.code == "housing-510104"
    assert str(appeal.longitude) == "104.081235"


def test_staff_and_the_outsider_cannot_open_or_post_the_form(
    client, officer, outsider, taxonomy
):
    for person in (officer, outsider):
        client.force_login(person)

        assert client.get(reverse("appeals:file")).status_code == 403
        assert post_filing(client, filing_data()).status_code == 403

    assert Appeal.objects.count() == 0


def test_anyone_not_signed_in_is_sent_to_the_residents_sign_in(client, taxonomy):
    response = post_filing(client, filing_data())

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:resident-sign-in"))
    assert Appeal.objects.count() == 0


def test_a_resident_without_a_registry_record_is_told_to_register_first(
    client, taxonomy
):
    account = User.objects.create(
        username="resident-13900000009", role=Role.RESIDENT, phone="13900000009"
    )
    client.force_login(account, backend=PHONE_BACKEND)

    page = client.get(reverse("appeals:file"), HTTP_ACCEPT_LANGUAGE="en")
    posted = post_filing(client, filing_data())

    html = page.content.decode()
    assert "You are not in the registry yet" in html
    assert "community office or a community volunteer must register you" in html
    assert 'name="description"' not in html
    assert "You are not in the registry yet" in posted.content.decode()
    assert Appeal.objects.count() == 0


# The resident's list and the appeal's page


def test_my_appeals_shows_newest_first_in_the_reader_s_language(
    signed_in, resident, file_for
):
    older = file_for(resident, category="health", text="想请家庭医生上门")
    newer = file_for(resident, category="roads", text="路面有个大坑")

    html = signed_in.get(
        reverse("appeals:mine"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert html.index(newer.tracking_number) < html.index(older.tracking_number)
    assert "Roads and public facilities" in html and "Health" in html
    assert "Waiting for the department" in html
    assert "You have 2 new messages about your appeals." in html


def add_appeals(resident: Resident, category, count: int, start: int = 0) -> None:
    """Rows for the list alone: the page only reads them."""
    Appeal.objects.bulk_create(
        Appeal(
            tracking_number=f"SCTEST{number:06d}",
            idempotency_key=uuid.uuid4().hex,
            resident=resident,
            filed_by=resident.account,
            channel="web",
            category=category,
            description="路灯坏了",
            location=resident.home_community,
            status=Status.ROUTED,
        )
        for number in range(start, start + count)
    )


def queries_for_my_appeals(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("appeals:mine"))
    assert response.status_code == 200
    return len(queries)


def test_my_appeals_takes_as_many_queries_for_fifteen_appeals_as_for_one(
    signed_in, resident, taxonomy, django_assert_num_queries
):
    add_appeals(resident, taxonomy["roads"], 1)
    with_one = queries_for_my_appeals(signed_in)
    add_appeals(resident, taxonomy["health"], 14, start=1)

    # The session, the account, the registry record, the count, one page of
    # appeals with their categories, and the unread notifications.
    with django_assert_num_queries(6):
        signed_in.get(reverse("appeals:mine"))
    assert queries_for_my_appeals(signed_in) == with_one


def test_another_resident_cannot_see_someone_s_appeal_or_photo(
    client, resident, neighbour, file_for, media
):
    appeal = file_for(resident, photos=[photo()])
    stored = AppealPhoto.objects.get()
    client.force_login(neighbour.account, backend=PHONE_BACKEND)

    page = client.get(reverse("appeals:detail", args=[appeal.tracking_number]))
    image = client.get(reverse("appeals:photo", args=[stored.pk]))
    filed = client.get(reverse("appeals:filed", args=[appeal.tracking_number]))

    assert (page.status_code, image.status_code, filed.status_code) == (404, 404, 404)


def test_photos_are_shown_to_the_handling_department_and_no_other_staff(
    client, resident, file_for, media, housing_officer, officer, outsider
):
    file_for(resident, photos=[photo()])
    url = reverse("appeals:photo", args=[AppealPhoto.objects.get().pk])

    answers = {}
    for person in (housing_officer, officer, outsider):
        client.force_login(person)
        answers[person.username] = client.get(url).status_code
    client.logout()

    assert answers == {"housing-officer": 200, "officer": 404, "outsider": 404}
    assert client.get(url).status_code == 302


def test_opening_an_appeal_marks_its_messages_read(signed_in, resident, file_for):
    appeal = file_for(resident)
    other = file_for(resident, category="health", text="想请家庭医生上门")
    assert Notification.objects.filter(read_at__isnull=True).count() == 2

    signed_in.get(reverse("appeals:detail", args=[appeal.tracking_number]))

    unread = Notification.objects.filter(read_at__isnull=True)
    assert [notice.appeal_id for notice in unread] == [other.pk]


def test_the_appeal_page_shows_the_answer_and_the_timeline(
    signed_in, resident, file_for, housing_officer
):
    housing_officer.first_name = "张伟"
    housing_officer.save()
    appeal = file_for(resident)
    workflow.resolve(
        appeal.pk,
        actor=housing_officer,
        version=appeal.version,
        reply="路灯已在周三修好。",
    )

    html = signed_in.get(
        reverse("appeals:detail", args=[appeal.tracking_number]),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()

    assert "路灯已在周三修好。" in html
    assert "Answered" in html
    assert "Sent to a department" in html
    assert housing_officer.department.name_en in html
    assert "张伟" not in html
    assert "How well was your appeal answered?" in html


@pytest.fixture
def answered(resident, file_for, housing_officer) -> Appeal:
    appeal = file_for(resident)
    return workflow.resolve(
        appeal.pk, actor=housing_officer, version=appeal.version, reply="已修好。"
    )


def test_a_resident_rates_an_answer_and_the_appeal_closes(signed_in, answered):
    response = signed_in.post(
        reverse("appeals:rate", args=[answered.tracking_number]),
        {"score": "4", "comment": "修得很快"},
    )

    answered.refresh_from_db()
    assert response.status_code == 302
    assert answered.status == Status.CLOSED
    assert Rating.objects.get(appeal=answered).score == 4


def test_a_rating_without_a_score_is_refused(signed_in, answered):
    response = signed_in.post(
        reverse("appeals:rate", args=[answered.tracking_number]),
        {"comment": "还行"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "Choose a rating from 1 to 5." in response.content.decode()
    assert not Rating.objects.exists()


def test_a_resident_reopens_an_answer_with_a_reason(signed_in, answered):
    response = signed_in.post(
        reverse("appeals:reopen", args=[answered.tracking_number]),
        {"reason": "只修好了一盏灯"},
    )

    answered.refresh_from_db()
    assert response.status_code == 302
    assert answered.status == Status.ROUTED
    assert answered.reopen_count == 1
    assert AppealEvent.objects.filter(appeal=answered, kind="reopened").exists()


def test_reopening_after_the_window_is_refused_with_its_message(signed_in, answered):
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        response = signed_in.post(
            reverse("appeals:reopen", args=[answered.tracking_number]),
            {"reason": "又坏了"},
            HTTP_ACCEPT_LANGUAGE="en",
        )

    answered.refresh_from_db()
    assert "The time to reopen this appeal has passed." in response.content.decode()
    assert answered.status == Status.RESOLVED


def test_another_resident_cannot_rate_or_reopen_someone_s_appeal(
    client, neighbour, answered
):
    client.force_login(neighbour.account, backend=PHONE_BACKEND)

    rated = client.post(
        reverse("appeals:rate", args=[answered.tracking_number]), {"score": "1"}
    )
    reopened = client.post(
        reverse("appeals:reopen", args=[answered.tracking_number]), {"reason": "x"}
    )

    answered.refresh_from_db()
    assert (rated.status_code, reopened.status_code) == (404, 404)
    assert answered.status == Status.RESOLVED
    assert not Rating.objects.exists()


def test_a_resident_gives_the_information_the_office_asked_for(
    signed_in, resident, file_for, housing_officer
):
    appeal = file_for(resident)
    appeal = workflow.request_info(
        appeal.pk,
        actor=housing_officer,
        version=appeal.version,
        question="是哪一盏路灯？",
    )
    page = signed_in.get(reverse("appeals:detail", args=[appeal.tracking_number]))
    assert "是哪一盏路灯？" in page.content.decode()

    signed_in.post(
        reverse("appeals:provide-info", args=[appeal.tracking_number]),
        {"answer": "12号楼门口那盏"},
    )

    appeal.refresh_from_db()
    assert appeal.status == Status.ACCEPTED
    assert AppealEvent.objects.get(appeal=appeal, kind=EventKind.INFO_PROVIDED).note


def test_information_is_refused_when_the_office_is_not_waiting(
    signed_in, resident, file_for
):
    appeal = file_for(resident)

    response = signed_in.post(
        reverse("appeals:provide-info", args=[appeal.tracking_number]),
        {"answer": "补充一下"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "The office is not waiting for information now." in (
        response.content.decode()
    )
    assert not AppealEvent.objects.filter(kind=EventKind.INFO_PROVIDED).exists()


# Tracking without signing in


def track(client, number, phone, address="203.0.113.7"):
    return client.post(
        reverse("appeals:track"),
        {"tracking_number": number, "phone": phone},
        HTTP_ACCEPT_LANGUAGE="en",
        REMOTE_ADDR=address,
    )


def test_tracking_with_the_right_phone_shows_status_and_timeline(
    client, resident, file_for, housing_officer
):
    housing_officer.first_name = "张伟"
    housing_officer.save()
    appeal = file_for(resident)
    workflow.accept(appeal.pk, actor=housing_officer, version=appeal.version)

    response = track(client, appeal.tracking_number.lower(), f"+86 {RESIDENT_PHONE}")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Being handled" in html
    assert "Sent to a department" in html
    assert "张伟" not in html and "housing-officer" not in html
    assert appeal.description not in html


def test_tracking_with_a_wrong_phone_or_number_says_only_not_found(
    client, resident, file_for
):
    appeal = file_for(resident)

    wrong_phone = track(client, appeal.tracking_number, "13900000099")
    wrong_number = track(client, "SC000000AAAAAA", RESIDENT_PHONE)

    for response in (wrong_phone, wrong_number):
        html = response.content.decode()
        assert "No appeal matches this tracking number and phone number." in html
        assert "Waiting for the department" not in html


def test_tracking_stops_after_ten_tries_from_one_address(client, resident, file_for):
    appeal = file_for(resident)
    for attempt in range(10):
        track(client, f"SC00000{attempt}AAAAAA", "13900000099")

    response = track(client, appeal.tracking_number, RESIDENT_PHONE)

    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()
    assert "Waiting for the department" not in response.content.decode()


def test_tracking_stops_after_ten_tries_on_one_number_from_many_addresses(
    client, resident, file_for
):
    appeal = file_for(resident)
    for attempt in range(10):
        track(client, appeal.tracking_number, "13900000099", f"198.51.100.{attempt}")

    response = track(client, appeal.tracking_number, RESIDENT_PHONE, "192.0.2.1")

    assert response.status_code == 429
    assert "Waiting for the department" not in response.content.decode()


# The region lists behind the location selects


def test_region_lists_give_children_in_the_reader_s_language(client, sichuan):
    province = Region.objects.get(level=1)

    prefectures = client.get(
        reverse("appeals:region-children", args=[province.code]),
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()
    grids = client.get(
        reverse("appeals:region-children", args=[COMMUNITY]), HTTP_ACCEPT_LANGUAGE="en"
    ).json()

    assert "Chengdu" in [child["name"] for child in prefectures["children"]]
    assert [child["code"] for child in grids["children"]] == [
        "510104017001001",
        "510104017001002",
    ]
    assert grids["children"][0]["name"] == "Shuijingfang Grid 1"


def test_region_lists_are_read_only_and_unknown_regions_are_not_found(client, sichuan):
    url = reverse("appeals:region-children", args=[COMMUNITY])

    assert client.post(url).status_code == 405
    assert (
        client.get(reverse("appeals:region-children", args=["00"])).status_code == 404
    )
