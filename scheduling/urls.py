from django.urls import path

from scheduling import views_calendar

app_name = "scheduling"

urlpatterns = [
    path("", views_calendar.calendar_feed, name="index"),
    path("compliance/", views_calendar.calendar_feed, name="compliance"),
    path("mine/", views_calendar.calendar_feed, name="my_schedule"),
]
