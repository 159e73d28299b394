"""The role home pages, under `p/<slug>/home/`."""

from django.urls import path

from homes import views

app_name = "homes"

urlpatterns = [
    path("", views.program_home, name="home"),
]
