from django.urls import path

from scheduling import views_calendar

app_name = "mentoring"

urlpatterns = [
    path("", views_calendar.calendar_feed, name="index"),
]
