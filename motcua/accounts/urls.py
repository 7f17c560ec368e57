"""Account pages for citizens and businesses (/tai-khoan/): sign-up, confirmation, claims."""

from django.urls import URLPattern, path

from motcua.accounts import views

app_name = "accounts"

urlpatterns: list[URLPattern] = [
    path("dang-ky/", views.sign_up, name="sign_up"),
    path("dang-ky/doanh-nghiep/", views.sign_up_business, name="sign_up_business"),
    path("xac-nhan/", views.confirm, name="confirm"),
    path("nhan-ho-so/", views.claim, name="claim"),
]
