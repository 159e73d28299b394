"""The project's URLs: accounts, the admin, and each app under its program's slug."""

from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from programs import views as program_views
from scheduling import views_calendar

urlpatterns = [
    path("", program_views.home, name="home"),
    path("healthz", program_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Before allauth's URLs, so that this view answers for its e-mail page.
    path("accounts/email/", account_views.email_managed, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("invitations/<str:token>/", account_views.invitation_accept, name="invitation_accept"),
    path("calendar/", views_calendar.calendar_settings, name="calendar_settings"),
    path("calendar/new/", views_calendar.calendar_rotate, name="calendar_rotate"),
    path("calendar/<str:token>.ics", views_calendar.calendar_feed, name="calendar_feed"),
    path("p/<slug:slug>/", include("programs.urls")),
    path("p/<slug:slug>/schedule/", include("scheduling.urls")),
    path("p/<slug:slug>/mentoring/", include("mentoring.urls")),
]
