"""The site's URLs and two views for the operations tests: one that queues a task, one that fails."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from avvik.core.queue import dispatch
from samhandling.urls import urlpatterns as site

QUEUED_TASK = "avvik.operations.tasks.worker_heartbeat"


@login_not_required
def queues_a_task(request: HttpRequest) -> HttpResponse:
    dispatch(QUEUED_TASK)
    return HttpResponse("queued")


@csrf_exempt
@login_not_required
def fails(request: HttpRequest) -> HttpResponse:
    raise ValueError(f"could not notify {request.POST.get('email')} about {request.POST.get('about')}")


urlpatterns = [
    path("test/queues-a-task", queues_a_task),
    path("test/fails", fails),
    *site,
]
