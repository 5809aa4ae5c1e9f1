from django.urls import path

from appeals import api

urlpatterns = [
    path("", api.AppealListView.as_view(), name="api-appeals"),
    path("<str:tracking_number>/", api.AppealDetailView.as_view(), name="api-appeal"),
]
