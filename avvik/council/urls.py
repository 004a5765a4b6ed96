from django.urls import path

from avvik.council import views

app_name = "council"

urlpatterns = [
    path("statistikk/", views.statistics, name="statistics"),
    path("statistikk/rapport/", views.report_create, name="report_create"),
    path("statistikk/rapport/<int:pk>/", views.report, name="report"),
    path("statistikk/rapport/<int:pk>/last-ned/", views.report_download, name="report_download"),
    path("statistikk/volum/", views.volumes, name="volumes"),
    path("statistikk/terskel/", views.threshold, name="threshold"),
    path("avvik/<str:reference>/fagrad/", views.council_summary, name="council_summary"),
]
