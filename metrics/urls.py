from django.urls import path

from metrics import views

app_name = "metrics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("region/<str:code>/", views.region_page, name="region"),
    path("region/<str:code>/<slug:table>.csv", views.region_csv, name="region-csv"),
    path("runs/", views.runs, name="runs"),
    path("runs.csv", views.runs_csv, name="runs-csv"),
    path("runs/<int:run_id>/", views.run_page, name="run"),
    path("runs/<int:run_id>/progress/", views.run_progress, name="run-progress"),
    path("runs/<int:run_id>/reproduce/", views.reproduce, name="run-reproduce"),
    path("runs/<int:run_id>/<slug:table>.csv", views.run_csv, name="run-csv"),
    path("public/", views.public_choose, name="public"),
    path("public/<str:code>/", views.public_county, name="public-county"),
]
