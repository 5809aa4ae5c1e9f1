from django.urls import include, path

app_name = "appeals"
urlpatterns = [
    path("", include("appeals.resident_urls")),
    path("office/", include("appeals.staff_urls")),
]
