from django.urls import path

from avvik.register import views

app_name = "register"

urlpatterns = [
    path("adresseregister/", views.register_home, name="home"),
    path("adresseregister/last-opp/", views.register_upload, name="upload"),
    path("adresseregister/fil/<uuid:key>/", views.register_preview, name="preview"),
    path("adresseregister/fil/<uuid:key>/importer/", views.register_confirm, name="confirm"),
    path("adresseregister/fil/<uuid:key>/forkast/", views.register_discard, name="discard"),
]
