"""Mentoring URLs, under `p/<slug>/mentoring/`."""

from django.urls import path

from mentoring.views import home, meetings, pairing, profiles

app_name = "mentoring"

urlpatterns = [
    path("", home.index, name="index"),
    path("mentor/", home.mentor_home, name="mentor_home"),
    path("me/", home.resident_home, name="resident_home"),
    path("mentorships/<int:pk>/", home.mentorship_detail, name="mentorship_detail"),
    path(
        "mentorships/<int:pk>/meetings/new/",
        meetings.meeting_create,
        name="meeting_create",
    ),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/delete/", meetings.meeting_delete_view, name="meeting_delete"),
    path("meetings/<int:pk>/confirm/", meetings.meeting_confirm_view, name="meeting_confirm"),
    path(
        "meetings/<int:pk>/reflection/",
        meetings.meeting_reflect_view,
        name="meeting_reflect",
    ),
    path(
        "action-items/<int:pk>/toggle/",
        meetings.action_item_toggle,
        name="action_item_toggle",
    ),
    path("pairing/new/", pairing.proposal_create, name="proposal_create"),
    path("pairing/<int:pk>/", pairing.proposal_detail, name="proposal_detail"),
    path("pairing/<int:pk>/approve/", pairing.proposal_approve, name="proposal_approve"),
    path("pairing/<int:pk>/discard/", pairing.proposal_discard, name="proposal_discard"),
    path("pairing/<int:pk>/repropose/", pairing.proposal_repropose, name="proposal_repropose"),
    path("pairing/<int:pk>/pairs/<int:pair_pk>/swap/", pairing.pair_swap, name="pair_swap"),
    path("pairing/<int:pk>/pairs/<int:pair_pk>/lock/", pairing.pair_lock, name="pair_lock"),
    path(
        "pairing/<int:pk>/pairs/<int:pair_pk>/remove/",
        pairing.pair_remove,
        name="pair_remove",
    ),
    path(
        "pairing/<int:pk>/leftovers/<int:resident_pk>/assign/",
        pairing.leftover_assign,
        name="leftover_assign",
    ),
    path("mentors/<int:pk>/profile/", profiles.mentor_profile, name="mentor_profile"),
    path("residents/<int:pk>/profile/", profiles.resident_profile, name="resident_profile"),
]
