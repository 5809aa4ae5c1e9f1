from django.urls import path

from appeals import resident_views as views

# Names used by the site's navigation: file, mine, detail, track.
urlpatterns = [
    path("new/", views.file_appeal, name="file"),
    path("new/<str:tracking_number>/", views.filed, name="filed"),
    path("mine/", views.my_appeals, name="mine"),
    path("mine/<str:tracking_number>/", views.appeal_detail, name="detail"),
    path(
        "mine/<str:tracking_number>/information/",
        views.provide_info,
        name="provide-info",
    ),
    path("mine/<str:tracking_number>/rating/", views.rate, name="rate"),
    path("mine/<str:tracking_number>/reopen/", views.reopen, name="reopen"),
    path("photos/<int:photo_id>/", views.appeal_photo, name="photo"),
    path("regions/<str:code>/children/", views.region_children, name="region-children"),
    path("track/", views.track, name="track"),
]
