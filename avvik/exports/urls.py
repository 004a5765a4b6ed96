from django.urls import path

from avvik.exports import views

app_name = "exports"

urlpatterns = [
    path("eksport/", views.export_list, name="list"),
    path("eksport/<int:pk>/", views.export_detail, name="detail"),
    path("eksport/<int:pk>/last-ned/", views.export_download, name="download"),
]
