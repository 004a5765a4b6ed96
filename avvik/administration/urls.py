from django.urls import path

from avvik.administration import views
from avvik.administration.imports import views as import_views

app_name = "administration"

urlpatterns = [
    path("administrasjon/personer/", views.people_list, name="people"),
    path("administrasjon/personer/<int:pk>/", views.person, name="person"),
    path("administrasjon/personer/<int:pk>/roller/", views.role_grant, name="role_grant"),
    path("administrasjon/personer/<int:pk>/enhet/<int:organisation_pk>/", views.unit_move, name="unit_move"),
    path("administrasjon/personer/<int:pk>/deaktiver/", views.person_deactivate, name="person_deactivate"),
    path("administrasjon/personer/<int:pk>/aktiver/", views.person_reactivate, name="person_reactivate"),
    path("administrasjon/roller/<int:pk>/fjern/", views.role_revoke, name="role_revoke"),
    path("administrasjon/invitasjoner/", views.invitation_list, name="invitations"),
    path("administrasjon/invitasjoner/ny/", views.invitation_create, name="invitation_create"),
    path("administrasjon/invitasjoner/<int:pk>/send-igjen/", views.invitation_resend, name="invitation_resend"),
    path("administrasjon/invitasjoner/<int:pk>/trekk-tilbake/", views.invitation_revoke, name="invitation_revoke"),
    path("administrasjon/logg/", views.audit_log, name="audit_log"),
    path("invitasjon/<str:token>/", views.invitation_accept, name="invitation_accept"),
]

# The people import (avvik/administration/imports/).
urlpatterns += [
    path("administrasjon/import/", import_views.import_upload_page, name="import_upload_page"),
    path("administrasjon/import/last-opp/", import_views.import_upload, name="import_upload"),
    path("administrasjon/import/fil/<uuid:key>/", import_views.import_preview, name="import_preview"),
    path("administrasjon/import/fil/<uuid:key>/bekreft/", import_views.import_confirm, name="import_confirm"),
    path("administrasjon/import/fil/<uuid:key>/forkast/", import_views.import_discard, name="import_discard"),
    path("administrasjon/import/<int:pk>/", import_views.import_detail, name="import_detail"),
]
