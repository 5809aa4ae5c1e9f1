from django.urls import path

from commons.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.resident_sign_in, name="resident-sign-in"),
    path("sign-in/code/", views.resident_code, name="resident-code"),
    path("staff/sign-in/", views.staff_sign_in, name="staff-login"),
    path("sign-out/", views.sign_out, name="sign-out"),
]
