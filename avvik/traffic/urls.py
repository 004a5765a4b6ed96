from django.urls import path

from avvik.traffic import views

app_name = "traffic"

urlpatterns = [
    path("meldingstrafikk/", views.traffic, name="traffic"),
    path("meldingstrafikk/last-opp/", views.upload_events, name="upload"),
    path("meldingstrafikk/svartider/", views.response_times, name="response_times"),
]
