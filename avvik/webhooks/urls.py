from django.urls import path

from avvik.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("webhooker/", views.webhooks, name="webhooks"),
    path("webhooker/<int:pk>/sla-av/", views.switch_off, name="switch_off"),
]
