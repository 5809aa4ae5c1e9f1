"""Dashboards, run pages and the public county page: who sees what.

Analysts see their area, administrators the province, staff their own
jurisdiction's KPIs only; residents and anonymous visitors get the public
page alone. Every refusal leaves nothing changed.
"""

import csv
import io
import json
import math
from collections.abc import Callable
from datetime import date

import pytest
from django.urls import reverse

from commons.accounts.models import Role, User
from commons.regions.models import Region
from commons.registry.models import Resident
from metrics.models import EvaluationRun, PeriodKind, RunStatus
from metrics.periods import Period
from metrics.services import take_snapshot
from tests.metrics.conftest import CHENGDU, Q2, XICHANG_COMMUNITY, evaluate, local
from tests.personas import make_user

RESIDENT_BACKEND = "commons.accounts.backends.PhoneCodeBackend"


def region_url(code: str, **query: str) -> str:
    """The URL as it appears in a page's HTML, ampersands escaped."""
    url = reverse("metrics:region", args=[code])
    if query:
        url += "?" + "&amp;".join(f"{key}={value}" for key, value in query.items())
    return url


def csv_rows(response) -> list[list[str]]:
    text = b"".join(
        response.streaming_content if response.streaming else [response.content]
    )
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


# The region dashboards


def test_the_analyst_s_dashboard_opens_on_their_area(client, analyst) -> None:
    client.force_login(analyst)

    response = client.get(reverse("metrics:dashboard"))

    assert response.status_code == 302
    assert response["Location"] == region_url("510000")


def test_the_province_page_lists_prefectures_that_drill_down_to_counties(
    client, analyst, snapshots
) -> None:
    client.force_login(analyst)

    province = client.get(region_url("510000")).content.decode()
    chengdu = client.get(region_url("510100")).content.decode()

    assert 'data-table="children"' in province
    assert region_url("510100", kind="month", period="2025-06-01") in province
    assert region_url("510104", kind="month", period="2025-06-01") in chengdu
    assert '<svg class="chart"' in province


def test_a_county_page_shows_its_departments_and_no_further_divisions(
    client, analyst, snapshots
) -> None:
    client.force_login(analyst)

    page = client.get(region_url("510104")).content.decode()

    assert 'data-table="departments"' in page
    assert 'data-table="children"' not in page
    assert "civil-affairs-510104" in page


def test_a_chosen_month_is_shown_instead_of_the_latest(
    client, analyst, snapshots
) -> None:
    client.force_login(analyst)

    response = client.get(region_url("510104", period="2025-05-01"))

    assert response.context["board"].snapshot.period_start.month == 5


def test_an_analyst_of_chengdu_cannot_open_the_province_or_liangshan(
    client, chengdu_analyst, snapshots
) -> None:
    client.force_login(chengdu_analyst)

    assert client.get(region_url("510100")).status_code == 200
    assert client.get(region_url("510000")).status_code == 403
    assert client.get(region_url("513401")).status_code == 403


def test_staff_see_their_own_county_but_not_its_prefecture(
    client, officer, snapshots
) -> None:
    client.force_login(officer)

    assert client.get(region_url("510104")).status_code == 200
    assert client.get(region_url("510100")).status_code == 403
    assert client.get(reverse("metrics:runs")).status_code == 403


def test_staff_of_another_county_cannot_open_jinjiang(
    client, outsider, snapshots
) -> None:
    client.force_login(outsider)

    assert client.get(region_url("510104")).status_code == 403
    assert client.get(region_url("513401")).status_code == 200


@pytest.mark.parametrize("persona", ["resident", "intermediary"])
def test_residents_and_volunteers_get_no_dashboard(
    client, request, snapshots, persona: str
) -> None:
    person = request.getfixturevalue(persona)
    user = person.account if isinstance(person, Resident) else person
    client.force_login(user, backend=RESIDENT_BACKEND)

    assert client.get(reverse("metrics:dashboard")).status_code == 403
    assert client.get(region_url("510104")).status_code == 403
    assert client.get(reverse("metrics:runs")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, snapshots) -> None:
    response = client.get(region_url("510104"))

    assert response.status_code == 302
    assert reverse("accounts:staff-login") in response["Location"]


def test_below_a_county_there_is_no_dashboard(client, analyst, snapshots) -> None:
    client.force_login(analyst)

    assert client.get(region_url("510104017")).status_code == 404


def test_the_province_page_takes_the_same_queries_however_many_prefectures(
    client, analyst, snapshots, django_assert_num_queries
) -> None:
    client.force_login(analyst)
    # session, user, the analyst's region, the page's region, its snapshots
    # (periods, summary and series), the divisions' snapshots, the counties'
    # snapshots for the Theil table and the departments' snapshots. The
    # province has no ancestors to look up.
    with django_assert_num_queries(8):
        response = client.get(region_url("510000"))

    assert response.status_code == 200


def test_the_county_page_takes_a_fixed_number_of_queries(
    client, analyst, snapshots, django_assert_num_queries
) -> None:
    client.force_login(analyst)
    # session, user, the analyst's region, the page's region, its ancestors,
    # its snapshots and the departments' snapshots.
    with django_assert_num_queries(7):
        response = client.get(region_url("510104"))

    assert response.status_code == 200


# CSV exports


def test_the_divisions_table_exports_as_csv_with_stable_keys(
    client, analyst, snapshots
) -> None:
    client.force_login(analyst)

    response = client.get(
        reverse("metrics:region-csv", args=["510100", "children"])
        + "?kind=month&period=2025-05-01"
    )

    rows = csv_rows(response)
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:4] == ["region", "code", "appeals", "appeals_per_10k"]
    by_code = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_code) == {"510104", "510105"}
    assert by_code["510104"]["appeals"] == "1"
    assert float(by_code["510104"]["resolution_median_hours"]) == pytest.approx(20.0)
    assert float(by_code["510104"]["satisfaction_index"]) == pytest.approx(75.0)
    assert by_code["510105"]["satisfaction_index"] == ""


def test_the_summary_and_series_export_raw_values(client, analyst, snapshots) -> None:
    client.force_login(analyst)

    summary = csv_rows(
        client.get(reverse("metrics:region-csv", args=["510104", "summary"]))
    )
    series = csv_rows(
        client.get(reverse("metrics:region-csv", args=["510104", "series"]))
    )

    values = dict(summary[1:])
    assert summary[0] == ["kpi", "value"]
    assert float(values["resolution_median_hours"]) == pytest.approx(40.0)
    assert values["population"] == "1"
    assert [row[1] for row in series[1:]] == ["2025-05-01", "2025-06-01"]


def test_the_departments_table_exports_as_csv(client, analyst, snapshots) -> None:
    client.force_login(analyst)

    rows = csv_rows(
        client.get(reverse("metrics:region-csv", args=["510104", "departments"]))
    )

    assert [row[1] for row in rows[1:]] == ["civil-affairs-510104"]


@pytest.fixture
def unequal_june(make_resident, make_appeal) -> None:
    """Jinjiang: 3 answers, 1 resident; Qingyang 1 and 1; Xichang 0 and 2."""
    jinjiang = make_resident()
    for day in (2, 3, 4):
        make_appeal(jinjiang, local(2025, 6, day, 9), resolution_hours=5)
    qingyang = make_resident(community="510105002002")
    make_appeal(
        qingyang,
        local(2025, 6, 2, 9),
        resolution_hours=5,
        department="civil-affairs-510105",
    )
    make_resident(community=XICHANG_COMMUNITY)
    make_resident(community=XICHANG_COMMUNITY)
    june = Period(date(2025, 6, 1), date(2025, 6, 30))
    for code in ("510000", "510100", "513400", "510104", "510105", "513401"):
        take_snapshot(Region.objects.get(code=code), june, PeriodKind.MONTH)


def test_the_province_page_splits_answer_inequality_between_prefectures(
    client, analyst, unequal_june
) -> None:
    # Answer shares 3/4, 1/4, 0 against resident shares 1/4, 1/4, 1/2:
    # T = 3/4 ln 3. Chengdu holds every answer and half the residents, a
    # between term of ln 2; inside Chengdu the shares are 3/4 and 1/4 of
    # answers against halves: 3/4 ln 1.5 + 1/4 ln 0.5.
    client.force_login(analyst)

    rows = csv_rows(
        client.get(reverse("metrics:region-csv", args=["510000", "inequality"]))
    )

    by_part = {row[0]: row for row in rows[1:]}
    chengdu = Region.objects.get(code="510100").name
    within_chengdu = 0.75 * math.log(1.5) + 0.25 * math.log(0.5)
    assert float(rows[1][3]) == pytest.approx(0.75 * math.log(3))
    assert float(rows[2][3]) == pytest.approx(math.log(2))
    assert float(rows[3][3]) == pytest.approx(within_chengdu)
    assert float(by_part[chengdu][3]) == pytest.approx(within_chengdu)
    assert float(by_part[chengdu][1]) == pytest.approx(1.0)
    assert float(by_part[chengdu][2]) == pytest.approx(0.5)


def test_csv_exports_are_refused_outside_the_viewer_s_area(
    client, outsider, snapshots
) -> None:
    client.force_login(outsider)

    response = client.get(reverse("metrics:region-csv", args=["510104", "summary"]))

    assert response.status_code == 403


# Evaluation runs


@pytest.fixture
def run(chengdu) -> EvaluationRun:
    return evaluate()


def test_the_run_page_shows_gaps_peers_and_the_efficiency_chart(
    client, analyst, run
) -> None:
    client.force_login(analyst)

    response = client.get(reverse("metrics:run", args=[run.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-table="results"' in page
    assert 'data-table="second-stage"' in page
    assert 'circle class="scale-gap"' in page
    assert 'circle class="technical-gap"' in page
    assert Region.objects.get(code="510106").name in page


def test_the_run_results_export_as_csv(client, analyst, run) -> None:
    client.force_login(analyst)

    rows = csv_rows(client.get(reverse("metrics:run-csv", args=[run.pk, "results"])))

    header = rows[0]
    assert header[:5] == ["unit", "code", "technical", "pure_technical", "scale"]
    stored = {
        result.region.code: result.technical
        for result in run.results.select_related("region")
    }
    exported = {row[1]: float(row[2]) for row in rows[1:]}
    assert exported == pytest.approx(stored)


def test_the_second_stage_and_left_out_units_export_as_csv(
    client, analyst, run
) -> None:
    client.force_login(analyst)

    fits = csv_rows(
        client.get(reverse("metrics:run-csv", args=[run.pk, "second-stage"]))
    )
    excluded = csv_rows(
        client.get(
            reverse("metrics:run-csv", args=[run.pk, "excluded"]),
            HTTP_ACCEPT_LANGUAGE="en",
        )
    )

    assert len(fits) == 3
    assert ["510112", "No appeal answered in the period."] in [
        row[1:] for row in excluded
    ]


def test_the_progress_endpoint_reports_the_run_s_state(client, analyst, run) -> None:
    client.force_login(analyst)

    response = client.get(reverse("metrics:run-progress", args=[run.pk]))

    state = json.loads(response.content)
    assert state["status"] == RunStatus.DONE
    assert (state["progress"], state["working"]) == (100, False)


def test_an_analyst_of_another_area_cannot_see_a_run(client, run) -> None:
    liangshan = make_user(
        "liangshan-analyst", Role.ANALYST, region=Region.objects.get(code="513400")
    )
    client.force_login(liangshan)

    for name, args in (
        ("metrics:run", [run.pk]),
        ("metrics:run-progress", [run.pk]),
        ("metrics:run-csv", [run.pk, "results"]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403


def test_an_analyst_starts_a_run_from_the_runs_page(
    client, analyst, chengdu, django_capture_on_commit_callbacks: Callable
) -> None:
    client.force_login(analyst)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("metrics:runs"),
            {
                "scope": CHENGDU,
                "level": "3",
                "first_month": "2025-04",
                "last_month": "2025-06",
                "orientation": "input",
            },
        )

    run = EvaluationRun.objects.get()
    assert response["Location"] == reverse("metrics:run", args=[run.pk])
    assert (run.period_start, run.period_end) == (Q2.start, Q2.end)
    assert run.status == RunStatus.DONE
    assert run.requested_by == User.objects.get(username="analyst")


def test_a_run_for_a_month_not_over_is_refused_on_the_page(
    client, analyst, chengdu
) -> None:
    client.force_login(analyst)

    response = client.post(
        reverse("metrics:runs"),
        {
            "scope": CHENGDU,
            "level": "3",
            "first_month": "2025-07",
            "last_month": "2025-07",
            "orientation": "input",
        },
    )

    assert response.status_code == 200
    assert not EvaluationRun.objects.exists()


def test_staff_cannot_start_a_run(client, officer, chengdu) -> None:
    client.force_login(officer)

    response = client.post(
        reverse("metrics:runs"),
        {"scope": CHENGDU, "level": "3", "first_month": "2025-04"},
    )

    assert response.status_code == 403
    assert not EvaluationRun.objects.exists()


def test_reproducing_a_run_from_its_page_confirms_the_scores(
    client, analyst, run
) -> None:
    client.force_login(analyst)

    response = client.post(
        reverse("metrics:run-reproduce", args=[run.pk]),
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    messages = [str(message) for message in response.context["messages"]]
    assert messages == ["Solved again from the stored data: the same scores."]


def test_the_runs_list_exports_as_csv(client, analyst, run) -> None:
    client.force_login(analyst)

    rows = csv_rows(client.get(reverse("metrics:runs-csv")))

    assert rows[0][0] == "run"
    assert rows[1][0] == str(run.pk)


def test_the_run_page_takes_a_fixed_number_of_queries(
    client, analyst, run, django_assert_num_queries
) -> None:
    client.force_login(analyst)
    # session, user, the analyst's region, the run with its scope, the
    # results with their regions, the second stage, the left-out regions'
    # names.
    with django_assert_num_queries(7):
        response = client.get(reverse("metrics:run", args=[run.pk]))

    assert response.status_code == 200


# The public county page


def test_anyone_can_read_a_county_s_headline(client, snapshots) -> None:
    response = client.get(reverse("metrics:public-county", args=["510104"]))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="headline"' in page
    assert "75.0" in page  # satisfaction: a rating of 4


def test_the_public_page_exists_only_for_counties(client, snapshots) -> None:
    response = client.get(reverse("metrics:public-county", args=["510100"]))

    assert response.status_code == 404


def test_a_resident_is_taken_to_their_own_county(client, resident, snapshots) -> None:
    client.force_login(resident.account, backend=RESIDENT_BACKEND)

    response = client.get(reverse("metrics:public"))

    assert response["Location"] == reverse("metrics:public-county", args=["510104"])


def test_a_resident_reads_the_county_page_in_the_language_of_their_record(
    client, resident, snapshots
) -> None:
    Resident.objects.filter(pk=resident.pk).update(preferred_language="bo")
    client.force_login(resident.account, backend=RESIDENT_BACKEND)

    response = client.get(reverse("metrics:public-county", args=["510104"]))

    assert '<html lang="bo">' in response.content.decode()


def test_visitors_choose_a_county_from_the_public_page(client, snapshots) -> None:
    response = client.get(reverse("metrics:public"), {"county": "513401"})

    assert response["Location"] == reverse("metrics:public-county", args=["513401"])


def test_the_footer_links_to_the_public_page_and_analysts_get_a_nav_link(
    client, analyst
) -> None:
    public = client.get(reverse("core:home")).content.decode()
    client.force_login(analyst)
    signed_in = client.get(reverse("core:home")).content.decode()

    assert f'href="{reverse("metrics:public")}"' in public
    assert f'href="{reverse("metrics:dashboard")}"' in signed_in
