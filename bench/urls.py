"""The site's URLs and the bench's floor page (bench/baseline.py)."""

from django.urls import path

from bench.baseline import PATH, floor
from samhandling.urls import handler400, handler403, handler404, handler500  # noqa: F401
from samhandling.urls import urlpatterns as site_urlpatterns

urlpatterns = [path(PATH.lstrip("/"), floor, name="bench_floor"), *site_urlpatterns]
