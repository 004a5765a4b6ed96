from django.urls import path

from avvik.outbox import views

app_name = "outbox"

urlpatterns = [
    path("varsler/feilet/", views.failed_notifications, name="failed_notifications"),
    path("varsler/<int:pk>/send-igjen/", views.notification_resend, name="notification_resend"),
]
