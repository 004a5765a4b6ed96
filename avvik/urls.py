from django.urls import path

from avvik import views

app_name = "avvik"

urlpatterns = [
    path("", views.home, name="home"),
    path("avvik/mine/", views.my_deviations, name="mine"),
    path("avvik/ny/", views.deviation_new, name="new"),
    path("avvik/til-behandling/", views.handling, name="handling"),
    path("avvik/triage/", views.triage, name="triage"),
    path("statistikk/", views.statistics, name="statistics"),
    path("virksomheter/", views.organisations, name="organisations"),
]
