from django.urls import path

from avvik.cases.views import access_log, bulk, detail, filing, lists, patients

app_name = "cases"

urlpatterns = [
    path("avvik/mine/", lists.MyDeviationsView.as_view(), name="mine"),
    path("avvik/til-behandling/", lists.HandlingView.as_view(), name="handling"),
    path("avvik/triage/", lists.TriageView.as_view(), name="triage"),
    path("avvik/alle/", lists.AllDeviationsView.as_view(), name="all"),
    path("avvik/ny/", filing.deviation_new, name="new"),
    path("avvik/flere/", bulk.deviations_bulk, name="bulk"),
    path("avvik/<str:reference>/", detail.deviation_detail, name="detail"),
    path("avvik/<str:reference>/endre/", filing.deviation_edit, name="edit"),
    path("avvik/<str:reference>/handling/<str:action>/", detail.deviation_action, name="action"),
    path("avvik/<str:reference>/kommentar/", detail.comment_create, name="comment"),
    path("avvik/<str:reference>/vedlegg/", detail.attachment_create, name="attachment_create"),
    path("avvik/<str:reference>/vedlegg/<int:pk>/", detail.attachment_download, name="attachment"),
    path("avvik/<str:reference>/varsel/", detail.alert_record, name="alert"),
    path("avvik/<str:reference>/pasient/", detail.patient_reference, name="patient"),
    path("avvik/<str:reference>/tilgangslogg/", detail.access_log, name="access_log"),
    path("tilgangslogg/", access_log.my_access_log, name="my_access_log"),
    path("pasientinnsyn/", patients.patient_lookup, name="patient_lookup"),
]
