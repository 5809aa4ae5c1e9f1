"""The run page follows a run's progress in the browser, then shows results."""

import pytest

from commons.regions.models import Region
from metrics import services
from metrics.models import EvaluationRun, RunStage, RunStatus
from tests.browser.conftest import TABLET, browser, sign_in  # noqa: F401
from tests.metrics.conftest import CHENGDU, Q2

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POLL_WAIT_MS = 15_000


def test_the_run_page_shows_progress_then_the_results(
    browser,  # noqa: F811
    live_server,
    analyst,
    chengdu,
) -> None:
    run = services.create_run(
        services.EvaluationRequest(scope=Region.objects.get(code=CHENGDU), period=Q2)
    )
    context = browser.new_context(viewport=TABLET, locale="en")
    sign_in(context, live_server, analyst)
    page = context.new_page()
    page.goto(f"{live_server.url}/metrics/runs/{run.pk}/")
    try:
        assert page.locator("table[data-table=results]").count() == 0

        EvaluationRun.objects.filter(pk=run.pk).update(
            status=RunStatus.RUNNING, stage=RunStage.COLLECTING, progress=40
        )
        page.wait_for_function(
            "document.querySelector('#run-progress progress').value === 40",
            timeout=POLL_WAIT_MS,
        )

        EvaluationRun.objects.filter(pk=run.pk).update(status=RunStatus.PENDING)
        services.run_evaluation(run.pk)
        page.wait_for_selector("table[data-table=results]", timeout=POLL_WAIT_MS)

        assert page.locator("table[data-table=results] tbody tr").count() == 5
    finally:
        # A page left open would keep polling the server after the test.
        context.close()
