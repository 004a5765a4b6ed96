"""Health checks for the orchestrator and the operators, and the Prometheus metrics.

Three probes, because each question has its own consequence: a failed liveness probe restarts the
process, a failed readiness probe takes it out of the load balancer, and /healthz is what an
operator (or an alert) looks at. A worker that is down is no reason to restart or unload web.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from avvik.operations.health import health_report, readiness_report
from avvik.operations.metrics import metrics_allowed, metrics_response


def _report(checks: dict[str, bool]) -> JsonResponse:
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": {k: "ok" if v else "down" for k, v in checks.items()}},
        status=200 if healthy else 503,
    )


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The whole picture: database, broker and a recent worker heartbeat."""
    return _report(health_report())


@login_not_required
@never_cache
@require_GET
def healthz_live(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Asks neither the database nor the broker, so an outage of
    either never makes the orchestrator restart every web process at once."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_GET
def healthz_ready(request: HttpRequest) -> JsonResponse:
    """Readiness: this web process can serve, i.e. reaches the database and the broker."""
    return _report(readiness_report())


@login_not_required
@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for a scraper with the token or from an allowed network (docs/deploy.md)."""
    if not metrics_allowed(request):
        raise Http404
    return metrics_response()
