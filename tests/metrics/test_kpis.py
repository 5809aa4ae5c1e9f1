"""The KPI definitions, checked on a hand-built month of appeals.

May 2025 in Jinjiang district. Eight registered residents live in the
Shuijingfang community; four are vulnerable (elderly, disabled, low income,
needs help with digital services), and one more turns 60 only in June.
Appeals, with hours counted from filing:

    A1 elderly      assisted  response 2  answered 10 (due 240)  rated 5
    A2 plain        web       response 4  answered 30 (due 20)   rated 3
    A3 plain        web       response 6  answered 50 (due 100)  rated 1
                              reopened once, asked for Tibetan, answered in it
    A4 disabled     web       response 8  still open, asked for Yi
    A5 plain        web       joined to A1 as the same problem
    A7 plain        web       filed at 23:30 on 31 May, untouched
    A6 (30 April, 23:30) and A8 (Xichang) fall outside the scope.

By hand: 6 appeals filed, 5 handled (A5 is joined to A1). First response
2, 4, 6, 8 h: median 5, p90 6 + 0.7 x 2 = 7.4, mean 5. Resolution 10, 30,
50 h: median 30, p90 30 + 0.8 x 20 = 46, mean 30. Answered 3 of 5 (0.6),
on time 2 of 5 (A1, A3: 0.4), reopened 1 of 3 answered. Ratings 5, 3, 1:
mean 3, index (3 - 1) / 4 x 100 = 50. Appeals per 10,000 residents:
6 / 8 x 10,000 = 7,500.

Inclusion: vulnerable residents are 4 of 8 (0.5) and got 1 of the 3
answers (A1): parity (1/3) / 0.5 = 2/3. Minority-language appeals: A3
answered on time in Tibetan script, A4 not answered: 1/2. Vulnerable
residents' appeals: A1 assisted, A4 not: 1/2. Score 100 x (2/3 + 1/2 +
1/2) / 3 = 55.56.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appeals.models import Appeal, Channel, Status
from commons.regions.models import Department, Region
from metrics import inclusion, kpis
from metrics.periods import Period
from tests.metrics.conftest import JINJIANG, XICHANG_COMMUNITY, local

MAY = Period(date(2025, 5, 1), date(2025, 5, 31))
TIBETAN_ANSWER = "བཀྲ་ཤིས་བདེ་ལེགས། ལམ་སྒྲོན་བཟོ་བཅོས་བྱས་ཟིན།"


@pytest.fixture
def people(make_resident) -> dict:
    return {
        "elderly": make_resident(birth_date=date(1950, 2, 1)),
        "disabled": make_resident(has_disability=True),
        "poor": make_resident(low_income=True),
        "offline": make_resident(low_digital_literacy=True),
        "nearly_sixty": make_resident(birth_date=date(1965, 6, 15)),
        "plain": make_resident(),
        "other": make_resident(),
        "third": make_resident(),
    }


@pytest.fixture
def may(people, make_appeal, make_resident) -> dict[str, Appeal]:
    plain = people["plain"]
    a1 = make_appeal(
        people["elderly"],
        local(2025, 5, 5, 9),
        first_response_hours=2,
        resolution_hours=10,
        rating=5,
        channel=Channel.ASSISTED,
    )
    return {
        "a1": a1,
        "a2": make_appeal(
            plain,
            local(2025, 5, 10, 9),
            first_response_hours=4,
            resolution_hours=30,
            due_hours=20,
            rating=3,
            department="housing-510104",
        ),
        "a3": make_appeal(
            plain,
            local(2025, 5, 12, 9),
            first_response_hours=6,
            resolution_hours=50,
            due_hours=100,
            rating=1,
            reopen_count=1,
            answer_language="bo",
            reply=TIBETAN_ANSWER,
        ),
        "a4": make_appeal(
            people["disabled"],
            local(2025, 5, 20, 9),
            first_response_hours=8,
            status=Status.ACCEPTED,
            answer_language="ii",
        ),
        "a5": make_appeal(
            people["other"],
            local(2025, 5, 21, 9),
            status=Status.LINKED,
            duplicate_of=a1,
        ),
        "a6": make_appeal(plain, local(2025, 4, 30, 23, 30), first_response_hours=1),
        "a7": make_appeal(plain, local(2025, 5, 31, 23, 30)),
        "a8": make_appeal(
            make_resident(community=XICHANG_COMMUNITY),
            local(2025, 5, 6, 9),
            first_response_hours=1,
            resolution_hours=1,
            location=XICHANG_COMMUNITY,
            department="civil-affairs-513401",
        ),
    }


def jinjiang_may() -> kpis.Kpis:
    return kpis.compute(kpis.Scope(Region.objects.get(code=JINJIANG), MAY))


def test_volume_counts_every_appeal_filed_in_the_month_and_region(may) -> None:
    result = jinjiang_may()

    assert result.appeals == 6
    assert result.handled == 5
    assert result.population == 8
    assert result.appeals_per_10k == pytest.approx(7500.0)


def test_first_response_median_p90_and_mean_are_in_hours(may) -> None:
    result = jinjiang_may()

    assert result.first_response_median_hours == pytest.approx(5.0)
    assert result.first_response_p90_hours == pytest.approx(7.4)
    assert result.first_response_mean_hours == pytest.approx(5.0)


def test_resolution_median_p90_and_mean_are_in_hours(may) -> None:
    result = jinjiang_may()

    assert result.resolution_median_hours == pytest.approx(30.0)
    assert result.resolution_p90_hours == pytest.approx(46.0)
    assert result.resolution_mean_hours == pytest.approx(30.0)


def test_resolution_and_on_time_rates_are_shares_of_handled_appeals(may) -> None:
    result = jinjiang_may()

    assert (result.resolved, result.resolution_rate) == (3, pytest.approx(0.6))
    assert (result.resolved_on_time, result.on_time_rate) == (2, pytest.approx(0.4))


def test_reopen_rate_is_a_share_of_appeals_answered_at_least_once(may) -> None:
    result = jinjiang_may()

    assert (result.reopened, result.answered_ever) == (1, 3)
    assert result.reopen_rate == pytest.approx(1 / 3)


def test_satisfaction_index_maps_mean_rating_one_to_five_onto_zero_to_hundred(
    may,
) -> None:
    result = jinjiang_may()

    assert result.ratings == 3
    assert result.satisfaction_index == pytest.approx(50.0)


def test_inclusion_score_is_the_mean_of_its_three_parts(may) -> None:
    result = jinjiang_may()

    assert result.vulnerable_population == 4
    assert result.inclusion_parity == pytest.approx(2 / 3)
    assert result.inclusion_language == pytest.approx(0.5)
    assert result.inclusion_assisted == pytest.approx(0.5)
    assert result.inclusion_score == pytest.approx(100 * (2 / 3 + 0.5 + 0.5) / 3)


def test_a_department_scope_counts_only_the_department_s_appeals(may) -> None:
    housing = Department.objects.get(code="housing-510104")
    scope = kpis.Scope(housing.jurisdiction, MAY, department=housing)

    result = kpis.compute(scope)

    assert (result.appeals, result.resolved, result.resolved_on_time) == (1, 1, 0)
    assert result.resolution_median_hours == pytest.approx(30.0)
    assert result.satisfaction_index == pytest.approx(50.0)


def test_a_region_without_appeals_has_counts_of_zero_and_no_rates(people) -> None:
    result = jinjiang_may()

    assert (result.appeals, result.population) == (0, 8)
    assert result.appeals_per_10k == 0.0
    assert result.resolution_rate is None
    assert result.first_response_median_hours is None
    assert result.satisfaction_index is None
    assert result.inclusion_score is None


def test_a_late_answer_in_the_script_is_not_counted_as_answered_in_language(
    people, make_appeal
) -> None:
    make_appeal(
        people["plain"],
        local(2025, 5, 12, 9),
        resolution_hours=50,
        due_hours=40,
        answer_language="bo",
        reply=TIBETAN_ANSWER,
    )

    assert jinjiang_may().inclusion_language == 0.0


def test_an_answer_in_chinese_to_a_yi_speaker_is_not_in_language(
    people, make_appeal
) -> None:
    make_appeal(
        people["plain"],
        local(2025, 5, 12, 9),
        resolution_hours=5,
        answer_language="ii",
        reply="路灯已经修好了。",
    )
    make_appeal(
        people["plain"],
        local(2025, 5, 13, 9),
        resolution_hours=5,
        answer_language="ii",
        reply="ꀉꂿꄉꐥ ꌠꅇꂷ",
    )

    assert jinjiang_may().inclusion_language == pytest.approx(0.5)


def test_inclusion_parts_without_anything_to_measure_are_left_out() -> None:
    result = inclusion.score(
        served=4,
        served_vulnerable=1,
        population=10,
        vulnerable_population=5,
        minority_language=0,
        minority_language_answered=0,
        vulnerable_appeals=0,
        vulnerable_assisted=0,
    )

    assert result.parity == pytest.approx(0.5)
    assert (result.language, result.assisted) == (None, None)
    assert result.score == pytest.approx(50.0)


def test_serving_vulnerable_residents_beyond_their_share_is_capped_at_one() -> None:
    result = inclusion.score(
        served=4,
        served_vulnerable=4,
        population=10,
        vulnerable_population=2,
        minority_language=0,
        minority_language_answered=0,
        vulnerable_appeals=4,
        vulnerable_assisted=1,
    )

    assert result.parity == 1.0
    assert result.score == pytest.approx(100 * (1.0 + 0.25) / 2)


def test_kpis_take_a_fixed_number_of_queries_whatever_the_number_of_appeals(
    may, make_appeal, people
) -> None:
    # One aggregate and one population count; SQLite adds one small query
    # per percentile (four), PostgreSQL computes them in the aggregate.
    expected = 2 if connection.vendor == "postgresql" else 6
    scope = kpis.Scope(Region.objects.get(code=JINJIANG), MAY)
    with CaptureQueriesContext(connection) as before:
        kpis.compute(scope)
    for day in range(1, 20):
        make_appeal(people["plain"], local(2025, 5, day, 12), resolution_hours=day)

    with CaptureQueriesContext(connection) as after:
        kpis.compute(scope)

    assert len(before.captured_queries) == len(after.captured_queries) == expected
