"""Volume data for load tests: many partnerships and up to millions of cases, written in bulk.

Cases are generated as plain rows (no services, no signals, no e-mail) but keep the invariants
the services keep: a transition row per step, timestamps and deadlines that match the status,
references from the per-year counter. On PostgreSQL rows go in with COPY; elsewhere with
bulk_create. Loaded by `manage.py seed_volume`."""

from avvik.demo.volume.loading import cases_create, indexes_deferred, indexes_restore, volume_cases
from avvik.demo.volume.tenants import EMAIL_DOMAIN, SLUG_PREFIX, VOLUME_PASSWORD, tenancy_create

__all__ = [
    "EMAIL_DOMAIN",
    "SLUG_PREFIX",
    "VOLUME_PASSWORD",
    "cases_create",
    "indexes_deferred",
    "indexes_restore",
    "tenancy_create",
    "volume_cases",
]
