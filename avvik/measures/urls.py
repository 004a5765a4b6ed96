from django.urls import path

from avvik.measures import views

app_name = "measures"

urlpatterns = [
    path("tiltak/", views.measure_list, name="list"),
    path("tiltak/<int:pk>/", views.measure_detail, name="detail"),
    path("avvik/<str:reference>/tiltak/ny/", views.measure_create, name="create"),
]
