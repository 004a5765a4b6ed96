from django.urls import path

from avvik.partnership_admin import views

app_name = "partnership_admin"

urlpatterns = [
    path("samarbeid/innstillinger/", views.partnership_settings, name="settings"),
    path("samarbeid/virksomheter/", views.organisations, name="organisations"),
    path("samarbeid/virksomheter/ny/", views.organisation_create, name="organisation_create"),
    path("samarbeid/virksomheter/<int:pk>/", views.organisation_edit, name="organisation_edit"),
    path("samarbeid/virksomheter/<int:pk>/aktiv/", views.organisation_active, name="organisation_active"),
    path("samarbeid/virksomheter/<int:pk>/enheter/", views.units, name="units"),
    path("samarbeid/virksomheter/<int:pk>/enheter/ny/", views.unit_create, name="unit_create"),
    path("samarbeid/enheter/<int:pk>/", views.unit_edit, name="unit_edit"),
    path("samarbeid/enheter/<int:pk>/aktiv/", views.unit_active, name="unit_active"),
    path("samarbeid/kategorier/", views.categories, name="categories"),
    path("samarbeid/kategorier/ny/", views.category_create, name="category_create"),
    path("samarbeid/kategorier/<int:pk>/", views.category_edit, name="category_edit"),
    path("samarbeid/kategorier/<int:pk>/aktiv/", views.category_active, name="category_active"),
    path("samarbeid/avtalepunkter/", views.clauses, name="clauses"),
    path("samarbeid/avtalepunkter/ny/", views.clause_create, name="clause_create"),
    path("samarbeid/avtalepunkter/<int:pk>/", views.clause_edit, name="clause_edit"),
    path("samarbeid/avtalepunkter/<int:pk>/aktiv/", views.clause_active, name="clause_active"),
]
