"""The response that hands a stored file to someone the view has already let read it (and logged).

Three ways, by configuration (samhandling/settings.py, docs/deploy.md):
- local files with SENDFILE_HEADER=X-Accel-Redirect: an empty body and the header naming the file
  under SENDFILE_PREFIX; nginx sends it from its internal location, the web process is free at once;
- files in S3 with S3_DOWNLOADS=redirect (chosen, not the default): a redirect to a presigned URL
  valid for S3_URL_SECONDS, with the file name and type the object store must answer with;
- otherwise (the default, and always for the API, whose clients expect the file itself): streamed
  by Django after the access check, so no address of the file leaves the site.
"""

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.utils.http import content_disposition_header


def file_download(
    file: FieldFile, *, filename: str, content_type: str, redirect_allowed: bool = True
) -> HttpResponseBase:
    """Answer with `file` as a download named `filename`; call it only after the permission check."""
    disposition = content_disposition_header(True, filename) or "attachment"
    response: HttpResponseBase
    if settings.SENDFILE_HEADER and isinstance(file.storage, FileSystemStorage):
        response = HttpResponse(content_type=content_type)
        response[settings.SENDFILE_HEADER] = _internal_uri(file)
        response["Content-Disposition"] = disposition
    elif redirect_allowed and settings.S3_DOWNLOADS == "redirect" and _in_s3(file):
        url = file.storage.url(  # type: ignore[call-arg]  # S3Storage.url takes these
            file.name,
            parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type},
            expire=settings.S3_URL_SECONDS,
        )
        response = HttpResponseRedirect(url)
    else:
        response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _internal_uri(file: FieldFile) -> str:
    """The file's place under nginx's internal location: SENDFILE_PREFIX + its path below MEDIA_ROOT."""
    media_root = Path(settings.MEDIA_ROOT).resolve()
    stored = Path(file.storage.path(file.name or "")).resolve()
    if not stored.is_relative_to(media_root):
        raise ImproperlyConfigured(f"{stored} is not below MEDIA_ROOT; nginx could not send it.")
    return quote(f"{settings.SENDFILE_PREFIX}/{stored.relative_to(media_root).as_posix()}")


def _in_s3(file: FieldFile) -> bool:
    if not settings.S3_BUCKET:
        return False
    from storages.backends.s3 import S3Storage  # type: ignore[import-untyped]

    return isinstance(file.storage, S3Storage)
