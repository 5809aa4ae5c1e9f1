from django.urls import path

from appeals import staff_views as views

# Names used by the site's navigation: inbox, escalations, case.
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("escalations/", views.escalations, name="escalations"),
    path("case/<str:tracking_number>/", views.case, name="case"),
]
