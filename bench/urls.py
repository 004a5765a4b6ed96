"""The site's URLs and the bench's floor page (bench/baseline.py)."""

from django.urls import path

from bench.baseline import LAYOUT_PATH, PATH, floor, layout_floor
from samhandling.urls import handler400, handler403, handler404, handler500  # noqa: F401
from samhandling.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path(PATH.lstrip("/"), floor, name="bench_floor"),
    path(LAYOUT_PATH.lstrip("/"), layout_floor, name="bench_layout_floor"),
    *site_urlpatterns,
]
