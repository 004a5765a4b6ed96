from django.urls import path

from avvik.inbox import views

app_name = "inbox"

urlpatterns = [
    path("varsler/", views.notices, name="notices"),
    path("varsler/les-alle/", views.notices_read_all, name="notices_read_all"),
    path("varsler/<int:pk>/apne/", views.notice_open, name="notice_open"),
]
