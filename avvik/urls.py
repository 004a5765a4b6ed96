from django.urls import path

from avvik import views

app_name = "avvik"

urlpatterns = [
    path("", views.home, name="home"),
    path("avvik/mine/", views.MyDeviationsView.as_view(), name="mine"),
    path("avvik/til-behandling/", views.HandlingView.as_view(), name="handling"),
    path("avvik/triage/", views.TriageView.as_view(), name="triage"),
    path("avvik/alle/", views.AllDeviationsView.as_view(), name="all"),
    path("avvik/ny/", views.deviation_new, name="new"),
    path("avvik/<str:reference>/", views.deviation_detail, name="detail"),
    path("avvik/<str:reference>/endre/", views.deviation_edit, name="edit"),
    path("avvik/<str:reference>/handling/<str:action>/", views.deviation_action, name="action"),
    path("avvik/<str:reference>/kommentar/", views.comment_create, name="comment"),
    path("avvik/<str:reference>/vedlegg/", views.attachment_create, name="attachment_create"),
    path("avvik/<str:reference>/vedlegg/<int:pk>/", views.attachment_download, name="attachment"),
    path("avvik/<str:reference>/varsel/", views.alert_record, name="alert"),
    path("avvik/<str:reference>/pasient/", views.patient_reference, name="patient"),
    path("avvik/<str:reference>/tilgangslogg/", views.access_log, name="access_log"),
    path("varsler/feilet/", views.failed_notifications, name="failed_notifications"),
    path("varsler/<int:pk>/send-igjen/", views.notification_resend, name="notification_resend"),
    path("innstillinger/", views.preferences, name="preferences"),
    path("tilgangslogg/", views.my_access_log, name="my_access_log"),
    path("frister/", views.deadlines, name="deadlines"),
    path("frister/<int:pk>/slett/", views.deadline_delete, name="deadline_delete"),
    path("frister/stengedager/<int:pk>/slett/", views.closure_day_delete, name="closure_day_delete"),
    path("statistikk/", views.statistics, name="statistics"),
    path("statistikk/rapport/", views.report_create, name="report_create"),
    path("statistikk/rapport/<int:pk>/", views.report, name="report"),
    path("statistikk/rapport/<int:pk>/last-ned/", views.report_download, name="report_download"),
    path("statistikk/volum/", views.volumes, name="volumes"),
    path("avvik/<str:reference>/fagrad/", views.council_summary, name="council_summary"),
    path("virksomheter/", views.organisations, name="organisations"),
    path("tilgjengelighet/", views.accessibility, name="accessibility"),
]
