from django.urls import path

from metrics import api

urlpatterns = [
    path(
        "regions/<str:code>/snapshots/",
        api.RegionSeriesView.as_view(),
        name="api-metrics-series",
    ),
    path(
        "regions/<str:code>/children/",
        api.RegionPeriodView.as_view(table="children"),
        name="api-metrics-children",
    ),
    path(
        "regions/<str:code>/departments/",
        api.RegionPeriodView.as_view(table="departments"),
        name="api-metrics-departments",
    ),
    path(
        "regions/<str:code>/inequality/",
        api.RegionInequalityView.as_view(),
        name="api-metrics-inequality",
    ),
    path("runs/", api.RunListView.as_view(), name="api-metrics-runs"),
    path("runs/<int:run_id>/", api.RunDetailView.as_view(), name="api-metrics-run"),
    path(
        "public/<str:code>/",
        api.PublicHeadlineView.as_view(),
        name="api-metrics-public",
    ),
]
