"""Mentoring URLs, under `p/<slug>/mentoring/`."""

from django.urls import path

from mentoring import views, views_meetings, views_pairing, views_profiles

app_name = "mentoring"

urlpatterns = [
    path("", views.index, name="index"),
    path("mentor/", views.mentor_home, name="mentor_home"),
    path("me/", views.resident_home, name="resident_home"),
    path("mentorships/<int:pk>/", views.mentorship_detail, name="mentorship_detail"),
    path(
        "mentorships/<int:pk>/meetings/new/",
        views_meetings.meeting_create,
        name="meeting_create",
    ),
    path("meetings/<int:pk>/", views_meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/confirm/", views_meetings.meeting_confirm_view, name="meeting_confirm"),
    path(
        "meetings/<int:pk>/reflection/",
        views_meetings.meeting_reflect_view,
        name="meeting_reflect",
    ),
    path(
        "action-items/<int:pk>/toggle/",
        views_meetings.action_item_toggle,
        name="action_item_toggle",
    ),
    path("pairing/new/", views_pairing.proposal_create, name="proposal_create"),
    path("pairing/<int:pk>/", views_pairing.proposal_detail, name="proposal_detail"),
    path("pairing/<int:pk>/approve/", views_pairing.proposal_approve, name="proposal_approve"),
    path("pairing/<int:pk>/discard/", views_pairing.proposal_discard, name="proposal_discard"),
    path(
        "pairing/<int:pk>/repropose/", views_pairing.proposal_repropose, name="proposal_repropose"
    ),
    path("pairing/<int:pk>/pairs/<int:pair_pk>/swap/", views_pairing.pair_swap, name="pair_swap"),
    path("pairing/<int:pk>/pairs/<int:pair_pk>/lock/", views_pairing.pair_lock, name="pair_lock"),
    path(
        "pairing/<int:pk>/pairs/<int:pair_pk>/remove/",
        views_pairing.pair_remove,
        name="pair_remove",
    ),
    path(
        "pairing/<int:pk>/leftovers/<int:resident_pk>/assign/",
        views_pairing.leftover_assign,
        name="leftover_assign",
    ),
    path("mentors/<int:pk>/profile/", views_profiles.mentor_profile, name="mentor_profile"),
    path("residents/<int:pk>/profile/", views_profiles.resident_profile, name="resident_profile"),
]
