from django.urls import path

from avvik.archive import views

app_name = "archive"

urlpatterns = [
    path("avvik/<str:reference>/eksport.json", views.case_json, name="case_json"),
    path("avvik/<str:reference>/eksport.pdf", views.case_pdf, name="case_pdf"),
    path("avvik/<str:reference>/arkiv.zip", views.case_package, name="case_package"),
    # The council report's archive copies (PDF/A, PDF/UA), beside its own download.
    path("statistikk/rapport/<int:pk>/arkivkopi/<str:variant>/", views.council_report_copy, name="council_report"),
]
