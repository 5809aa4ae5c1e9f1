from django.urls import path

from commons.registry import views

app_name = "registry"
urlpatterns = [
    path("me/", views.my_record, name="my-record"),
    path("me/ledger/", views.my_ledger, name="my-ledger"),
    path("lookup/", views.lookup, name="lookup"),
    path("register/", views.register, name="register"),
]
