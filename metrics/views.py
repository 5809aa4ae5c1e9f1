"""Analysts' dashboards, evaluation runs, and the residents' county page.

Access follows ``metrics.access``: a page outside the viewer's area is
refused with 403; residents and anonymous visitors reach only the public
county page.
"""

from collections.abc import Callable
from datetime import date
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from commons.regions.models import Level, Region
from commons.registry.models import Resident
from metrics import access, dashboards, services
from metrics.forms import CountyForm, RunForm
from metrics.models import EvaluationRun, KpiSnapshot, PeriodKind
from metrics.tables import csv_response

RUNS_PAGE_SIZE = 25
View = Callable[..., HttpResponse]


def kpi_viewer_required(view: View) -> View:
    """Pass the area whose KPIs the user may see as ``root``."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        root = access.kpi_root(request.user)
        if root is None:
            raise PermissionDenied
        return view(request, *args, root=root, **kwargs)

    return wrapper


def analyst_required(view: View) -> View:
    """Pass the area whose runs the user may see as ``root``."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        root = access.analysis_root(request.user)
        if root is None:
            raise PermissionDenied
        return view(request, *args, root=root, **kwargs)

    return wrapper


def region_within(root: Region, code: str) -> Region:
    region = get_object_or_404(Region, code=code)
    if not root.contains(region):
        raise PermissionDenied
    if region.level > dashboards.DEEPEST_LEVEL:
        raise Http404
    return region


def chosen_kind(request: HttpRequest) -> str:
    kind = request.GET.get("kind", PeriodKind.MONTH)
    return kind if kind in PeriodKind.values else PeriodKind.MONTH


def chosen_start(request: HttpRequest) -> date | None:
    try:
        return date.fromisoformat(request.GET.get("period", ""))
    except ValueError:
        return None


@kpi_viewer_required
def dashboard(request: HttpRequest, root: Region) -> HttpResponse:
    return redirect("metrics:region", code=root.code)


@kpi_viewer_required
def region_page(request: HttpRequest, code: str, root: Region) -> HttpResponse:
    region = region_within(root, code)
    board = dashboards.region_dashboard(
        region, root, chosen_kind(request), chosen_start(request)
    )
    context = {
        "board": board,
        "tables": [
            board.tables[slug]
            for slug in dashboards.REGION_TABLES
            if slug in board.tables
        ],
        "period_choices": [
            (snapshot.period_start.isoformat(), dashboards.period_label(snapshot))
            for snapshot in board.periods
        ],
        "kinds": PeriodKind.choices,
        "is_analyst": access.analysis_root(request.user) is not None,
    }
    return render(request, "metrics/region.html", context)


@kpi_viewer_required
def region_csv(
    request: HttpRequest, code: str, table: str, root: Region
) -> HttpResponse:
    region = region_within(root, code)
    if table not in dashboards.REGION_TABLES:
        raise Http404
    board = dashboards.region_dashboard(
        region, root, chosen_kind(request), chosen_start(request)
    )
    if table not in board.tables:
        raise Http404
    suffix = board.snapshot.period_start.isoformat() if board.snapshot else "none"
    return csv_response(board.tables[table], f"{region.code}-{table}-{suffix}.csv")


@analyst_required
def runs(request: HttpRequest, root: Region) -> HttpResponse:
    form = RunForm(request.POST or None, root=root)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.start_evaluation(form.request(), requested_by=request.user)
        except services.EvaluationRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("metrics:run", run_id=run.pk)

    page = Paginator(visible_runs(root), RUNS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    table = dashboards.runs_table(list(page.object_list))
    return render(
        request, "metrics/runs.html", {"form": form, "page": page, "table": table}
    )


def visible_runs(root: Region) -> QuerySet[EvaluationRun]:
    return EvaluationRun.objects.filter(
        scope__tree_code__startswith=root.tree_code
    ).select_related("scope")


@analyst_required
def runs_csv(request: HttpRequest, root: Region) -> HttpResponse:
    table = dashboards.runs_table(list(visible_runs(root)))
    return csv_response(table, "evaluation-runs.csv")


def run_within(root: Region, run_id: int) -> EvaluationRun:
    run = get_object_or_404(EvaluationRun.objects.select_related("scope"), pk=run_id)
    if not root.contains(run.scope):
        raise PermissionDenied
    return run


@analyst_required
def run_page(request: HttpRequest, run_id: int, root: Region) -> HttpResponse:
    page = dashboards.run_page(run_within(root, run_id))
    context = {
        "page": page,
        "run": page.run,
        "tables": [page.tables[slug] for slug in dashboards.RUN_TABLES],
        "excluded": page.tables["excluded"],
    }
    return render(request, "metrics/run.html", context)


@analyst_required
def run_csv(
    request: HttpRequest, run_id: int, table: str, root: Region
) -> HttpResponse:
    if table not in dashboards.RUN_TABLES:
        raise Http404
    page = dashboards.run_page(run_within(root, run_id))
    return csv_response(page.tables[table], f"run-{run_id}-{table}.csv")


@never_cache
@analyst_required
def run_progress(request: HttpRequest, run_id: int, root: Region) -> JsonResponse:
    run = run_within(root, run_id)
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "stage": run.stage,
            "stage_label": run.get_stage_display(),
            "progress": run.progress,
            "working": run.is_working,
        }
    )


@require_POST
@analyst_required
def reproduce(request: HttpRequest, run_id: int, root: Region) -> HttpResponse:
    run = run_within(root, run_id)
    outcome = services.reproduce(run)
    if outcome.matches:
        messages.success(
            request, _("Solved again from the stored data: the same scores.")
        )
    else:
        messages.warning(
            request,
            _(
                "Solved again from the stored data: scores differ by up to "
                "%(difference)s."
            )
            % {"difference": f"{outcome.largest_difference:.2e}"},
        )
    return redirect("metrics:run", run_id=run.pk)


def public_choose(request: HttpRequest) -> HttpResponse:
    """Residents go straight to their own county; others pick one."""
    if not request.GET:
        county = own_county(request)
        if county is not None:
            return redirect("metrics:public-county", code=county.code)
    form = CountyForm(request.GET if "county" in request.GET else None)
    if form.is_valid():
        return redirect("metrics:public-county", code=form.cleaned_data["county"])
    return render(request, "metrics/public_choose.html", {"form": form})


def own_county(request: HttpRequest) -> Region | None:
    user = request.user
    if not (user.is_authenticated and user.is_resident):
        return None
    record = (
        Resident.objects.filter(account=user).select_related("home_community").first()
    )
    return None if record is None else record.home_community.ancestor_at(Level.COUNTY)


def public_county(request: HttpRequest, code: str) -> HttpResponse:
    county = get_object_or_404(Region, code=code, level=Level.COUNTY)
    snapshot = (
        KpiSnapshot.objects.filter(
            region=county, department__isnull=True, period_kind=PeriodKind.MONTH
        )
        .order_by("-period_start")
        .first()
    )
    context = {
        "county": county,
        "prefecture": county.parent,
        "snapshot": snapshot,
        "period": dashboards.period_label(snapshot) if snapshot else "",
        "headline": dashboards.headline(snapshot) if snapshot else [],
    }
    # A signed-in resident reads the page in the language of their record.
    with translation.override(resident_language(request)):
        response = render(request, "metrics/public.html", context)
    return response


def resident_language(request: HttpRequest) -> str:
    user = request.user
    if user.is_authenticated and user.is_resident:
        language = (
            Resident.objects.filter(account=user)
            .values_list("preferred_language", flat=True)
            .first()
        )
        if language:
            return language
    return translation.get_language()
