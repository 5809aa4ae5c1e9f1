from django.urls import path

from intermediaries import api, office_views, pwa, resident_views, views

app_name = "intermediaries"
urlpatterns = [
    path("", views.home, name="home"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("find/", views.find, name="find"),
    path("residents/new/", views.register, name="register"),
    path("residents/<str:token>/", views.resident, name="resident"),
    path(
        "residents/<str:token>/withdraw/",
        views.withdraw_for_resident,
        name="withdraw-for-resident",
    ),
    path("file/", views.file_appeal, name="file"),
    path("appeals/<str:tracking_number>/", views.appeal_detail, name="appeal"),
    path(
        "appeals/<str:tracking_number>/information/",
        views.relay_information,
        name="relay-information",
    ),
    path(
        "appeals/<str:tracking_number>/rating/",
        views.relay_rating,
        name="relay-rating",
    ),
    path("appeals/<str:tracking_number>/slip/", views.slip, name="slip"),
    path("language/", views.switch_language, name="language"),
    path("api/filings/", api.QueuedFilingView.as_view(), name="api-filings"),
    path("for-me/", resident_views.authorisations, name="authorisations"),
    path(
        "for-me/<int:profile_id>/withdraw/",
        resident_views.withdraw,
        name="withdraw",
    ),
    path("office/", office_views.volunteers, name="office"),
    path("office/new/", office_views.register_volunteer, name="office-register"),
    path(
        "office/<int:profile_id>/",
        office_views.volunteer,
        name="office-volunteer",
    ),
    path(
        "office/<int:profile_id>/activate/",
        office_views.activate,
        name="office-activate",
    ),
    path(
        "office/<int:profile_id>/suspend/",
        office_views.suspend,
        name="office-suspend",
    ),
]
