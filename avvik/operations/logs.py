"""Logs: one line per event, as JSON (production) or plain text (development), from Django, Celery
and gunicorn alike, every timestamp in UTC with its offset (2026-03-29T01:30:00.000+00:00), so the
lines of all processes sort together and no daylight-saving change makes an hour ambiguous.

Each request gets a request id (RequestIdMiddleware): every line written while it is handled carries
it, and so does every line of a Celery task it queued (django-structlog passes it in the task's
headers). gunicorn's access line carries it too, read from the response's X-Request-ID.

Nothing here reads Django's settings: gunicorn's configuration uses it before Django is loaded.
"""

import logging
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import structlog
from django.http import HttpRequest, HttpResponse
from structlog.typing import EventDict, Processor, WrappedLogger

LOG_FORMATS = ("json", "plain")

# gunicorn's access line: the path without its query string, which may carry what someone searched for.
ACCESS_LOG_FORMAT = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'

# An incoming X-Request-ID is kept when it looks like an id (a UUID, a proxy's hex or base64 token),
# so one request can be followed from the proxy's log into ours; anything else is replaced.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:+=/-]{8,128}")


def utc_timestamp(logger: WrappedLogger, method_name: str, event_dict: EventDict) -> EventDict:
    """ISO 8601 in UTC with an explicit offset; a standard-library record keeps its own time."""
    record = event_dict.get("_record")
    moment = datetime.fromtimestamp(record.created, UTC) if record is not None else datetime.now(UTC)
    event_dict["timestamp"] = moment.isoformat(timespec="milliseconds")
    return event_dict


class GunicornAccessFields(logging.Filter):
    """Keeps gunicorn's access atoms on the record as fields: structlog's formatter drops a record's
    arguments before its processors run, and the access record's arguments are the atoms."""

    def filter(self, record: logging.LogRecord) -> bool:
        atoms = record.args
        if record.name == "gunicorn.access" and isinstance(atoms, Mapping):
            fields = {
                "event": "access",
                "remote": atoms.get("h"),
                "method": atoms.get("m"),
                "path": atoms.get("U"),
                "status": atoms.get("s"),
                "bytes": atoms.get("B"),
                "duration_ms": atoms.get("M"),
            }
            request_id = atoms.get("{x-request-id}o")
            if request_id and request_id != "-":
                fields["request_id"] = request_id
            record.access_fields = fields
        return True


def gunicorn_access_fields(logger: WrappedLogger, method_name: str, event_dict: EventDict) -> EventDict:
    """gunicorn's access line as fields (see GunicornAccessFields)."""
    record = event_dict.get("_record")
    fields = getattr(record, "access_fields", None)
    if fields:
        event_dict.update(fields)
    return event_dict


def _shared_processors() -> list[Processor]:
    return [
        structlog.contextvars.merge_contextvars,  # the request id, also on standard-library lines
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        utc_timestamp,
    ]


def _renderer(log_format: str) -> list[Processor]:
    if log_format == "json":
        return [structlog.processors.format_exc_info, structlog.processors.JSONRenderer(sort_keys=False)]
    return [structlog.dev.ConsoleRenderer(colors=False, pad_event_to=0)]


def logging_config(log_format: str, level: str) -> dict[str, Any]:
    """The dictConfig for Django, Celery and gunicorn: one handler on standard error, one format."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"log format {log_format!r} is not one of {LOG_FORMATS}")
    formatter = {
        "()": structlog.stdlib.ProcessorFormatter,
        "processors": [structlog.stdlib.ProcessorFormatter.remove_processors_meta, *_renderer(log_format)],
        "foreign_pre_chain": [*_shared_processors(), gunicorn_access_fields],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structured": formatter},
        "filters": {"access_fields": {"()": GunicornAccessFields}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "structured", "filters": ["access_fields"]}
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            # django-structlog writes its own line for each request.
            "django.server": {"level": "WARNING"},
            "weasyprint": {"level": "WARNING"},
            "axes": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            "gunicorn.error": {"handlers": ["console"], "level": level, "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }


def structlog_configure() -> None:
    """structlog's own loggers (django-structlog's request and task lines) hand their events to the
    standard-library handler above, so every line is rendered by the one formatter."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared_processors(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def request_id_for(incoming: str | None) -> str:
    """The incoming X-Request-ID when it is a sane token, otherwise a new UUID."""
    if incoming and _SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return str(uuid.uuid4())


class RequestIdMiddleware:
    """Settles the request id before django-structlog binds it (which trusts X-Request-ID as it is),
    and answers with it, so gunicorn's access line and a person reporting a fault can name it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request.META.get("HTTP_X_REQUEST_ID"))
        request.META["HTTP_X_REQUEST_ID"] = request_id
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


def request_path_only(sender: object, request: HttpRequest, log_kwargs: dict[str, Any], **kwargs: Any) -> None:
    """django-structlog logs the full path; the query string may carry what someone searched for."""
    log_kwargs["request"] = f"{request.method} {request.path}"


def django_structlog_connect() -> None:
    from django_structlog import signals

    for signal in (
        signals.bind_extra_request_metadata,
        signals.bind_extra_request_finished_metadata,
        signals.bind_extra_request_failed_metadata,
    ):
        signal.connect(request_path_only, dispatch_uid=f"samhandling-path-only-{id(signal)}")
