"""The project's URLs: accounts, the admin, and each app under its program's slug."""

from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from api.views import tokens as api_tokens
from programs.views import overview, setup_people
from scheduling.views import calendar

urlpatterns = [
    path("", overview.home, name="home"),
    path("healthz", overview.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says: send them to the icon.
    path("favicon.ico", overview.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    # Before allauth's URLs, so that this view answers for its e-mail page.
    path("accounts/email/", account_views.email_managed, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("invitations/<str:token>/", account_views.invitation_accept, name="invitation_accept"),
    path("calendar/", calendar.calendar_settings, name="calendar_settings"),
    path("calendar/new/", calendar.calendar_rotate, name="calendar_rotate"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("account/tokens/", api_tokens.token_list, name="api_tokens"),
    path("account/tokens/<str:prefix>/revoke/", api_tokens.token_revoke, name="api_token_revoke"),
    path("api/", include("api.urls")),
    path("programs/new/", setup_people.program_new, name="program_new"),
    path("p/<slug:slug>/", include("programs.urls")),
    path("p/<slug:slug>/home/", include("homes.urls")),
    path("p/<slug:slug>/schedule/", include("scheduling.urls")),
    path("p/<slug:slug>/compliance/", include("compliance.urls")),
    path("p/<slug:slug>/mentoring/", include("mentoring.urls")),
    path("p/<slug:slug>/requests/", include("resident_requests.urls")),
]
