"""Resource CSVs: every row or none, and every bad row named with its line."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from commons.accounts.models import Role
from metrics import services
from metrics.models import ResourceRecord
from metrics.resources import ImportRefused
from tests.personas import make_user

HEADER = "region_code,period_start,period_end,staff,budget,digital_coverage\n"
GOOD = (
    HEADER
    + "510104,2025-01-01,2025-03-31,42.5,3150000,87.5\n"
    + "510105,2025-01-01,2025-03-31,30,2000000.50,60\n"
)
# Line 2 is good; every other line has one problem.
BAD = (
    HEADER
    + "510104,2025-01-01,2025-03-31,42.5,3150000,87.5\n"
    + "999999,2025-01-01,2025-03-31,1,1,1\n"
    + "510105,2025-13-01,2025-03-31,1,1,1\n"
    + "510106,2025-01-01,2025-03-31,-3,1,1\n"
    + "510107,2025-01-01,2025-03-31,1,1,120\n"
    + "510108,2025-03-31,2025-01-01,1,1,1\n"
    + "510104,2025-01-01,2025-03-31,1,1,1\n"
    + "510112,2025-01-01,2025-03-31,1,,1\n"
)


def problems(content: str) -> list[tuple[int, str]]:
    with pytest.raises(ImportRefused) as refusal:
        services.import_resources(content.encode(), source="test.csv")
    return [(error.line, error.column) for error in refusal.value.errors]


def test_a_good_file_is_imported_whole(sichuan) -> None:
    result = services.import_resources(GOOD.encode(), source="q1.csv")

    assert (result.created, result.updated) == (2, 0)
    jinjiang = ResourceRecord.objects.get(region__code="510104")
    assert (jinjiang.staff, jinjiang.budget, jinjiang.digital_coverage) == (
        Decimal("42.5"),
        Decimal("3150000"),
        Decimal("87.5"),
    )
    assert jinjiang.source == "q1.csv"


def test_importing_the_same_region_and_period_again_replaces_the_values(
    sichuan,
) -> None:
    services.import_resources(GOOD.encode(), source="q1.csv")
    corrected = HEADER + "510104,2025-01-01,2025-03-31,44,3150000,88\n"

    result = services.import_resources(corrected.encode(), source="q1-fixed.csv")

    assert (result.created, result.updated) == (0, 1)
    assert ResourceRecord.objects.count() == 2
    assert ResourceRecord.objects.get(region__code="510104").staff == Decimal(44)


def test_every_bad_row_is_listed_and_nothing_is_imported(sichuan) -> None:
    listed = problems(BAD)

    assert listed == [
        (3, "region_code"),
        (4, "period_start"),
        (5, "staff"),
        (6, "digital_coverage"),
        (7, "period_end"),
        (8, "region_code"),
        (9, "budget"),
    ]
    assert not ResourceRecord.objects.exists()


def test_a_duplicate_row_names_the_line_it_repeats(sichuan) -> None:
    with pytest.raises(ImportRefused) as refusal:
        services.import_resources(BAD.encode(), source="bad.csv")

    duplicate = [error for error in refusal.value.errors if error.line == 8]
    assert "2" in duplicate[0].message


def test_a_file_missing_a_column_is_refused_before_any_row(sichuan) -> None:
    content = (
        "region_code,period_start,period_end,staff,budget\n"
        "510104,2025-01-01,2025-03-31,1,1\n"
    )

    assert problems(content) == [(1, "digital_coverage")]
    assert not ResourceRecord.objects.exists()


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00r\x00e", HEADER.encode(), b""],
    ids=["not-utf8", "header-only", "empty"],
)
def test_files_without_readable_rows_are_refused(sichuan, content: bytes) -> None:
    with pytest.raises(ImportRefused):
        services.import_resources(content, source="x.csv")

    assert not ResourceRecord.objects.exists()


def test_a_line_with_more_cells_than_the_header_is_refused(sichuan) -> None:
    content = HEADER + "510104,2025-01-01,2025-03-31,1,1,1,surplus\n"

    assert problems(content) == [(2, "")]


def test_the_command_imports_a_good_file(sichuan, tmp_path: Path, capsys) -> None:
    path = tmp_path / "resources.csv"
    path.write_text(GOOD, encoding="utf-8")

    call_command("import_resources", str(path))

    assert ResourceRecord.objects.count() == 2
    assert "2 new" in capsys.readouterr().out


def test_the_command_lists_bad_rows_and_imports_nothing(
    sichuan, tmp_path: Path, capsys
) -> None:
    path = tmp_path / "resources.csv"
    path.write_text(BAD, encoding="utf-8")

    with pytest.raises(CommandError, match="7 problems"):
        call_command("import_resources", str(path))

    assert "line 3 (region_code)" in capsys.readouterr().err
    assert not ResourceRecord.objects.exists()


@pytest.fixture
def administrator(sichuan):
    return make_user("administrator", Role.ADMIN, is_staff=True, is_superuser=True)


def upload(client, content: str):
    return client.post(
        reverse("admin:metrics_resourcerecord_import"),
        {"file": SimpleUploadedFile("resources.csv", content.encode())},
    )


def test_the_admin_import_page_lists_bad_rows_and_imports_nothing(
    client, administrator
) -> None:
    client.force_login(administrator)

    response = upload(client, BAD)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="import-errors"' in page
    assert page.count("<tr><td>") == 7
    assert not ResourceRecord.objects.exists()


def test_the_admin_import_page_imports_a_good_file(client, administrator) -> None:
    client.force_login(administrator)

    response = upload(client, GOOD)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:metrics_resourcerecord_changelist")
    assert ResourceRecord.objects.count() == 2


def test_the_admin_import_page_is_refused_to_analysts(client, analyst) -> None:
    client.force_login(analyst)

    response = upload(client, GOOD)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not ResourceRecord.objects.exists()
