"""The metrics API: analysts see their area; the county headline is public."""

from collections.abc import Callable

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from commons.registry.models import Resident
from metrics.models import EvaluationRun, RunStatus
from tests.metrics.conftest import CHENGDU, evaluate

RESIDENT_BACKEND = "commons.accounts.backends.PhoneCodeBackend"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def children_url(code: str) -> str:
    return reverse("api-metrics-children", args=[code])


def test_an_analyst_reads_the_divisions_of_a_region_for_a_month(
    api, analyst, snapshots
) -> None:
    api.force_login(analyst)

    response = api.get(children_url(CHENGDU), {"period": "2025-05-01"})

    rows = {row["region_code"]: row for row in response.json()}
    assert response.status_code == 200
    assert set(rows) == {"510104", "510105"}
    assert rows["510104"]["period_start"] == "2025-05-01"
    assert rows["510104"]["resolution_median_hours"] == pytest.approx(20.0)
    assert rows["510104"]["satisfaction_index"] == pytest.approx(75.0)


def test_an_analyst_reads_a_region_s_series_newest_first(
    api, analyst, snapshots
) -> None:
    api.force_login(analyst)

    response = api.get(reverse("api-metrics-series", args=["510104"]))

    assert [row["period_start"] for row in response.json()] == [
        "2025-06-01",
        "2025-05-01",
    ]


def test_an_analyst_reads_a_county_s_departments(api, analyst, snapshots) -> None:
    api.force_login(analyst)

    response = api.get(reverse("api-metrics-departments", args=["510104"]))

    assert [row["department_code"] for row in response.json()] == [
        "civil-affairs-510104"
    ]


def test_the_divisions_endpoint_takes_a_fixed_number_of_queries(
    api, analyst, snapshots, django_assert_num_queries
) -> None:
    api.force_login(analyst)
    # session, user, the analyst's region, the region, its snapshots, the
    # divisions' snapshots with their regions.
    with django_assert_num_queries(6):
        response = api.get(children_url("510000"))

    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["officer", "supervisor", "intermediary"])
def test_the_api_is_refused_to_everyone_but_analysts(
    api, request, snapshots, persona: str
) -> None:
    api.force_login(request.getfixturevalue(persona))

    assert api.get(children_url("510104")).status_code == 403
    assert api.get(reverse("api-metrics-runs")).status_code == 403


def test_the_api_is_refused_to_residents_and_anonymous_callers(
    api, resident, snapshots
) -> None:
    assert api.get(children_url("510104")).status_code == 403

    api.force_login(resident.account, backend=RESIDENT_BACKEND)

    assert api.get(children_url("510104")).status_code == 403


def test_an_analyst_of_chengdu_cannot_read_liangshan(
    api, chengdu_analyst, snapshots
) -> None:
    api.force_login(chengdu_analyst)

    assert api.get(children_url("513400")).status_code == 403
    assert api.get(children_url(CHENGDU)).status_code == 200


def test_an_analyst_reads_a_run_with_its_results_and_second_stage(
    api, analyst, chengdu
) -> None:
    run = evaluate()
    api.force_login(analyst)

    listed = api.get(reverse("api-metrics-runs")).json()
    detail = api.get(reverse("api-metrics-run", args=[run.pk])).json()

    assert [item["id"] for item in listed["results"]] == [run.pk]
    assert len(detail["results"]) == 5
    assert {fit["dependent"] for fit in detail["second_stage"]} == {
        "technical",
        "pure_technical",
    }
    assert detail["data"]["inputs"] == run.data["inputs"]


def test_an_analyst_starts_a_run_through_the_api(
    api, analyst, chengdu, django_capture_on_commit_callbacks: Callable
) -> None:
    api.force_login(analyst)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            reverse("api-metrics-runs"),
            {
                "scope": CHENGDU,
                "level": 3,
                "first_month": "2025-04",
                "last_month": "2025-06",
            },
            format="json",
        )

    assert response.status_code == 201
    assert EvaluationRun.objects.get().status == RunStatus.DONE


def test_a_run_outside_the_area_is_refused_and_none_is_started(
    api, chengdu_analyst, chengdu
) -> None:
    api.force_login(chengdu_analyst)

    response = api.post(
        reverse("api-metrics-runs"),
        {
            "scope": "510000",
            "level": 3,
            "first_month": "2025-04",
            "last_month": "2025-06",
        },
        format="json",
    )

    assert response.status_code == 400
    assert not EvaluationRun.objects.exists()


def test_anyone_reads_a_county_s_public_headline(api, snapshots) -> None:
    response = api.get(reverse("api-metrics-public", args=["510104"]))

    body = response.json()
    assert response.status_code == 200
    assert body["county_code"] == "510104"
    assert body["period_start"] == "2025-06-01"
    assert body["resolution_median_hours"] == pytest.approx(40.0)


def test_the_public_headline_exists_only_for_counties_with_figures(
    api, snapshots
) -> None:
    assert api.get(reverse("api-metrics-public", args=["510100"])).status_code == 404
    assert api.get(reverse("api-metrics-public", args=["510106"])).status_code == 404


def test_a_resident_s_record_is_never_in_the_public_headline(
    api, resident, snapshots
) -> None:
    body = api.get(reverse("api-metrics-public", args=["510104"])).content.decode()

    assert Resident.objects.get(pk=resident.pk).full_name not in body


def test_an_analyst_reads_the_inequality_split_of_the_province(
    api, analyst, snapshots
) -> None:
    api.force_login(analyst)

    response = api.get(reverse("api-metrics-inequality", args=["510000"]))

    rows = response.json()
    assert response.status_code == 200
    total, between, within = (row["theil"] for row in rows[:3])
    assert total == pytest.approx(between + within)
    assert len(rows) == 3 + 2  # Chengdu and Liangshan


def test_the_inequality_split_is_refused_outside_the_area(
    api, chengdu_analyst, snapshots
) -> None:
    api.force_login(chengdu_analyst)

    response = api.get(reverse("api-metrics-inequality", args=["510000"]))

    assert response.status_code == 403
