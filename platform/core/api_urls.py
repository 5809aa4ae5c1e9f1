from django.urls import path

from commons.registry import api as registry_api

urlpatterns = [
    path("me/record/", registry_api.MyRecordView.as_view(), name="api-my-record"),
    path("me/ledger/", registry_api.MyLedgerView.as_view(), name="api-my-ledger"),
    path("registry/lookup/", registry_api.LookupView.as_view(), name="api-lookup"),
]
