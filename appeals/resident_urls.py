from django.urls import path

from appeals import resident_views as views

# Names used by the site's navigation: file, mine, detail, track.
urlpatterns = [
    path("new/", views.file_appeal, name="file"),
    path("mine/", views.my_appeals, name="mine"),
    path("mine/<str:tracking_number>/", views.appeal_detail, name="detail"),
    path("track/", views.track, name="track"),
]
