from django.urls import path

from avvik.cases.views import access_log, bulk, detail, filing, lists, patients, relations, saved_filters
from avvik.cases.views.lists import queue_view

app_name = "cases"

urlpatterns = [
    # Work queues (avvik.cases.queues): a reporter's, a handler's and the contact point's.
    path("avvik/mine/", queue_view("mine"), name="mine"),
    path("avvik/til-behandling/", queue_view("handling"), name="handling"),
    path("avvik/til-behandling/mine-saker/", queue_view("assigned"), name="assigned"),
    path("avvik/til-behandling/uten-saksbehandler/", queue_view("unassigned"), name="unassigned"),
    path("avvik/til-behandling/forfalt/", queue_view("handling_overdue"), name="handling_overdue"),
    path("avvik/triage/", queue_view("triage"), name="triage"),
    path("avvik/besvart/", queue_view("answered"), name="answered"),
    path("avvik/forfalt/", queue_view("overdue"), name="overdue"),
    path("avvik/venter-pa-melder/", queue_view("waiting"), name="waiting"),
    path("avvik/alle/", lists.AllDeviationsView.as_view(), name="all"),
    path("avvik/filtre/", saved_filters.saved_filter_create, name="saved_filter_create"),
    path("avvik/filtre/<int:pk>/", saved_filters.saved_filter_open, name="saved_filter"),
    path("avvik/filtre/<int:pk>/slett/", saved_filters.saved_filter_remove, name="saved_filter_delete"),
    path("avvik/ny/", filing.deviation_new, name="new"),
    path("avvik/flere/", bulk.deviations_bulk, name="bulk"),
    path("avvik/<str:reference>/", detail.deviation_detail, name="detail"),
    path("avvik/<str:reference>/endre/", filing.deviation_edit, name="edit"),
    path("avvik/<str:reference>/handling/<str:action>/", detail.deviation_action, name="action"),
    path("avvik/<str:reference>/kommentar/", detail.comment_create, name="comment"),
    path("avvik/<str:reference>/vedlegg/", detail.attachment_create, name="attachment_create"),
    path("avvik/<str:reference>/vedlegg/<int:pk>/", detail.attachment_download, name="attachment"),
    path("avvik/<str:reference>/pasient/", detail.patient_reference, name="patient"),
    path("avvik/<str:reference>/tilgangslogg/", detail.access_log, name="access_log"),
    path("avvik/<str:reference>/relasjoner/", relations.relation_create, name="relation_create"),
    path("avvik/<str:reference>/relasjoner/<int:pk>/slett/", relations.relation_delete, name="relation_delete"),
    path("tilgangslogg/", access_log.my_access_log, name="my_access_log"),
    path("pasientinnsyn/", patients.patient_lookup, name="patient_lookup"),
]
