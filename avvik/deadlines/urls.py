from django.urls import path

from avvik.deadlines import views

app_name = "deadlines"

urlpatterns = [
    path("frister/", views.deadlines, name="deadlines"),
    path("frister/<int:pk>/slett/", views.deadline_delete, name="deadline_delete"),
    path("frister/stengedager/<int:pk>/slett/", views.closure_day_delete, name="closure_day_delete"),
]
