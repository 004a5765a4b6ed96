# syntax=docker/dockerfile:1
#
# Samhandling: one image for the web process (default command), the Celery worker,
# Celery beat and the one-shot migration. See docs/deploy.md.

# The base image by its full version tag. Where the registry can be reached, `make pin-base-image`
# asks it for the digest of that tag and writes it here as tag@sha256:…, so a re-pushed tag cannot
# change the image under us; a digest is only ever written from the registry's own answer.
# Bump the tag, then pin again (docs/deploy.md, "Supply chain").
ARG PYTHON_IMAGE=python:3.11.17-slim-bookworm

# --- Build stage: the locked dependencies in a virtual environment ---------------
FROM ${PYTHON_IMAGE} AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
# The runtime lock file only: every package pinned with its hashes, so pip refuses anything
# unpinned or any file whose hash differs. Development tools (honcho, pytest) are not in it.
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install --no-cache-dir --require-hashes -r /tmp/requirements.txt


# --- Runtime stage -----------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=samhandling.settings \
    ENVIRONMENT=production \
    VAR_DIR=/data \
    MEDIA_ROOT=/data/media \
    WEB_CONCURRENCY=3

# Pango, HarfBuzz and a font for WeasyPrint's PDF reports; PostgreSQL's client tools (15 in
# bookworm, the compose file's server version) for `manage.py backup` and `restore`. The base
# image tag fixes the Debian release, and so these package versions; pinning them would break
# the build at every Debian point release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-dejavu-core \
        libharfbuzz-subset0 \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# A fixed uid/gid so that volumes and host directories can be prepared for it. The
# home directory stays inside the container: gunicorn keeps its control socket there.
RUN groupadd --system --gid 10001 samhandling \
    && useradd --system --no-log-init --uid 10001 --gid samhandling \
        --home-dir /home/samhandling --create-home --shell /usr/sbin/nologin samhandling \
    && mkdir -p /data/media \
    && chown -R samhandling:samhandling /data \
    && chmod 0750 /data /data/media

COPY --from=build /opt/venv /opt/venv

# Only what the site needs at run time is copied, so that nothing else in the build
# context (a local .env with secrets, var/, tests) can end up in the image. A new
# top-level package must be added here.
WORKDIR /app
COPY manage.py gunicorn.conf.py ./
COPY samhandling/ ./samhandling/
COPY avvik/ ./avvik/
COPY templates/ ./templates/
COPY static/ ./static/
COPY locale/ ./locale/

# Production settings refuse to load without these variables. The values below exist
# only for this command and are not kept in the image; nothing connects to them.
RUN ENVIRONMENT=production \
    SECRET_KEY=build-only \
    FIELD_ENCRYPTION_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --no-input \
    && rm -f /tmp/build.sqlite3

USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000

# Liveness only: /healthz/live answers while the process serves, whatever the database, Redis or
# the worker are doing, so an orchestrator that restarts unhealthy containers never restarts web for
# an outage elsewhere. Readiness (/healthz/ready) and the whole picture (/healthz) are for the load
# balancer and the alerts (docs/deploy.md). The Host header is the first usable ALLOWED_HOSTS
# entry; X-Forwarded-Proto keeps the request clear of the HTTPS redirect (the probes are exempt too).
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; h = [x.strip().lstrip('.') for x in os.environ.get('ALLOWED_HOSTS', '').split(',') if x.strip() not in ('', '*')]; r.urlopen(r.Request('http://127.0.0.1:8000/healthz/live', headers={'Host': (h or ['127.0.0.1'])[0], 'X-Forwarded-Proto': 'https'}), timeout=8)"]

# Workers: WEB_CONCURRENCY (default 3). gunicorn.conf.py sets the log format (LOG_FORMAT) and the
# access log with the request id. Further gunicorn options: GUNICORN_CMD_ARGS, e.g. "--timeout 60".
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "samhandling.wsgi:application"]
