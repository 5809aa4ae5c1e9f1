from django.urls import path

from appeals import staff_views as views

# Names used by the site's navigation: inbox, escalations, case. Each action on
# a case has its own address, named case-<action>.
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("escalations/", views.escalations, name="escalations"),
    path("case/<str:tracking_number>/", views.case, name="case"),
    path(
        "case/<str:tracking_number>/photos/<int:photo_id>/",
        views.case_photo,
        name="case-photo",
    ),
    path(
        "case/<str:tracking_number>/accept/",
        views.case_action,
        {"action": "accept"},
        name="case-accept",
    ),
    path(
        "case/<str:tracking_number>/ask/",
        views.case_action,
        {"action": "request_info"},
        name="case-request-info",
    ),
    path(
        "case/<str:tracking_number>/transfer/",
        views.case_action,
        {"action": "transfer"},
        name="case-transfer",
    ),
    path(
        "case/<str:tracking_number>/resolve/",
        views.case_action,
        {"action": "resolve"},
        name="case-resolve",
    ),
    path(
        "case/<str:tracking_number>/decline/",
        views.case_action,
        {"action": "decline"},
        name="case-decline",
    ),
    path(
        "case/<str:tracking_number>/reassign/",
        views.case_action,
        {"action": "reassign"},
        name="case-reassign",
    ),
]
