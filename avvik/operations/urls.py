from django.urls import path

from avvik.operations import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
