from django.urls import path

from motcua.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.SignInView.as_view(), name="login"),
    path("dang-xuat/", views.SignOutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
]
