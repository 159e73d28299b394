from django.urls import path

from compliance import views

app_name = "compliance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("residents/<int:pk>/", views.resident_balance, name="resident_balance"),
    path("<str:year>/heatmap/", views.heatmap, name="heatmap"),
]
