"""Filing and reading appeals through the REST API, and the refusals."""

import io
import uuid
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from appeals.models import Appeal, AppealPhoto, Channel, Status
from commons.accounts.models import Role, User
from commons.registry.identity import make_id_number
from commons.registry.services import NewResident, register_resident
from tests.personas import COMMUNITY

PHONE_BACKEND = "commons.accounts.backends.PhoneCodeBackend"
GPS_IFD = 0x8825


@pytest.fixture
def api(client, resident):
    client.force_login(resident.account, backend=PHONE_BACKEND)
    return client


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: (30.0, 39.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), color=(20, 90, 160)).save(
        buffer, format="JPEG", exif=exif.tobytes()
    )
    return buffer.getvalue()


def filing(**changes) -> dict:
    data = {
        "category": "roads",
        "description": "路面塌了一个坑",
        "notify_by": "app",
        "idempotency_key": uuid.uuid4().hex,
    }
    data.update(changes)
    return data


def post(client, data, capture=None):
    url = reverse("api-appeals")
    if capture is None:
        return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    with capture(execute=True):
        return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")


def test_a_resident_files_through_the_api_and_gets_a_tracking_number(
    api, resident, taxonomy, django_capture_on_commit_callbacks
):
    response = post(api, filing(), django_capture_on_commit_callbacks)

    appeal = Appeal.objects.get()
    assert response.status_code == 201
    assert response.json()["tracking_number"] == appeal.tracking_number
    assert response.json()["status"] in (Status.SUBMITTED, Status.ROUTED)
    assert appeal.channel == Channel.API
    assert appeal.resident == resident
    assert appeal.status == Status.ROUTED
    assert appeal.department.code == "housing-510104"


def test_repeating_the_key_returns_the_first_appeal_and_files_nothing(
    api, taxonomy, django_capture_on_commit_callbacks
):
    data = filing()

    first = post(api, data, django_capture_on_commit_callbacks)
    again = post(api, data, django_capture_on_commit_callbacks)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["tracking_number"] == first.json()["tracking_number"]
    assert again.json()["status"] == Status.ROUTED
    assert Appeal.objects.count() == 1


def test_photos_sent_through_the_api_are_stored_without_metadata(
    api, taxonomy, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("hole.jpg", jpeg_with_gps(), content_type="image/jpeg")

    response = post(api, filing(photos=[upload]))

    assert response.status_code == 201
    with Image.open(AppealPhoto.objects.get().image.path) as image:
        assert dict(image.getexif()) == {}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"category": "space-travel"}, "category", "Choose one of the listed"),
        ({"description": "  "}, "non_field_errors", "Describe what you need."),
        ({"idempotency_key": ""}, "idempotency_key", ""),
        ({"location": "510104"}, "location", "Choose a community, village or grid."),
        ({"latitude": "-91", "longitude": "104"}, "latitude", "-90"),
        ({"longitude": "104"}, "non_field_errors", "Your position could not be"),
    ],
)
def test_invalid_filings_are_refused_with_messages_and_store_nothing(
    api, taxonomy, changes, field, message
):
    response = post(api, filing(**changes))

    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert Appeal.objects.count() == 0


def test_six_photos_are_refused_through_the_api(api, taxonomy, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photos = [
        SimpleUploadedFile(f"p{number}.jpg", jpeg_with_gps(), "image/jpeg")
        for number in range(6)
    ]

    response = post(api, filing(photos=photos))

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["You can attach at most 5 photos."]}
    assert Appeal.objects.count() == 0
    assert list(tmp_path.rglob("*.jpg")) == []


def test_staff_the_outsider_and_anonymous_callers_cannot_file(
    client, officer, outsider, taxonomy
):
    answers = [post(client, filing()).status_code]
    for person in (officer, outsider):
        client.force_login(person)
        answers.append(post(client, filing()).status_code)
        answers.append(client.get(reverse("api-appeals")).status_code)

    assert answers == [403, 403, 403, 403, 403]
    assert Appeal.objects.count() == 0


def test_a_resident_without_a_registry_record_is_told_to_register_first(
    client, taxonomy
):
    account = User.objects.create(
        username="resident-13900000009", role=Role.RESIDENT, phone="13900000009"
    )
    client.force_login(account, backend=PHONE_BACKEND)

    response = post(client, filing())

    assert response.status_code == 403
    assert "must register you first" in response.json()["detail"]
    assert Appeal.objects.count() == 0


def test_the_list_holds_only_the_resident_s_own_appeals_newest_first(
    api, resident, community, file_for
):
    older = file_for(resident, category="health", text="想请家庭医生上门")
    newer = file_for(resident)
    neighbour_account = User.objects.create(
        username="resident-13900000002", role=Role.RESIDENT, phone="13900000002"
    )
    neighbour, _created = register_resident(
        NewResident(
            full_name="李桂芳",
            id_number=make_id_number(COMMUNITY, date(1975, 6, 1), 2),
            home_community=community,
            account=neighbour_account,
        ),
        actor=None,
    )
    file_for(neighbour, category="schools", text="孩子上学的校车")

    body = api.get(reverse("api-appeals"), HTTP_ACCEPT_LANGUAGE="en").json()

    assert body["count"] == 2
    assert [row["tracking_number"] for row in body["results"]] == [
        newer.tracking_number,
        older.tracking_number,
    ]
    assert body["results"][0]["category_name"] == "Roads and public facilities"
    assert body["results"][0]["status_label"] == "Waiting for the department"


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("api-appeals")).status_code == 200
    return len(queries)


def test_the_list_takes_as_many_queries_for_fifteen_appeals_as_for_one(
    api, resident, file_for
):
    file_for(resident)
    with_one = list_queries(api)
    for number in range(14):
        file_for(resident, category="health", text=f"第{number}次想请医生上门")

    # The session, the account, the count, one page with categories,
    # locations and departments.
    assert list_queries(api) == with_one == 4


def test_a_resident_reads_their_appeal_and_nobody_else_can(
    api, client, resident, file_for, officer
):
    appeal = file_for(resident)
    url = reverse("api-appeal", args=[appeal.tracking_number])

    mine = api.get(url, HTTP_ACCEPT_LANGUAGE="en")
    other_account = User.objects.create(
        username="resident-13900000003", role=Role.RESIDENT, phone="13900000003"
    )
    client.force_login(other_account, backend=PHONE_BACKEND)
    someone_else = client.get(url)
    client.force_login(officer)
    staff = client.get(url)

    assert mine.status_code == 200
    assert [row["label"] for row in mine.json()["timeline"]] == [
        "Filed",
        "Sent to a department",
    ]
    assert (someone_else.status_code, staff.status_code) == (404, 403)


def test_the_schema_describes_the_appeal_endpoints(client, sichuan):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()

    filing_body = schema["paths"]["/api/appeals/"]["post"]["requestBody"]
    assert "multipart/form-data" in filing_body["content"]
    assert set(schema["paths"]["/api/appeals/"]["post"]["responses"]) >= {
        "200",
        "201",
        "400",
    }
    assert "/api/appeals/{tracking_number}/" in schema["paths"]
    fields = schema["components"]["schemas"]["Filing"]["properties"]
    assert fields["photos"]["items"]["format"] == "binary"
    assert "idempotency_key" in schema["components"]["schemas"]["Filing"]["required"]
