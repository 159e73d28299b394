from django.urls import path

from resident_requests import views

app_name = "resident_requests"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.request_new, name="new"),
    path("record/", views.request_record, name="record"),
    path("<int:pk>/withdraw/", views.request_withdraw, name="withdraw"),
    path("swaps/new/", views.swap_new, name="swap_new"),
    path("swaps/<int:pk>/answer/", views.swap_answer, name="swap_answer"),
    path("swaps/<int:pk>/withdraw/", views.swap_withdraw, name="swap_withdraw"),
    path("queue/", views.queue, name="queue"),
    path("<int:pk>/decide/", views.request_decide, name="decide"),
    path("<int:pk>/replan/", views.request_replan, name="replan"),
    path("swaps/<int:pk>/decide/", views.swap_decide, name="swap_decide"),
    path("limits/", views.limits, name="limits"),
]
