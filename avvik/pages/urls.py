from django.urls import path

from avvik.pages import views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("virksomheter/", views.organisations, name="organisations"),
    path("tilgjengelighet/", views.accessibility, name="accessibility"),
    path("hurtigtaster/", views.shortcuts, name="shortcuts"),
]
