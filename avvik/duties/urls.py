from django.urls import path

from avvik.duties import views

app_name = "duties"

urlpatterns = [
    path("avvik/<str:reference>/varselplikt/", views.alert_record, name="alert"),
    path("avvik/<str:reference>/personvernbrudd/", views.breach_mark, name="breach"),
    path("avvik/<str:reference>/personvernbrudd/vurdering/", views.breach_decide, name="breach_decision"),
]
