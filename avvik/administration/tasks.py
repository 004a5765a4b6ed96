"""The area's Celery tasks, where Celery's autodiscovery looks for them."""

from avvik.administration.imports.tasks import import_people, sweep_people_imports

__all__ = ["import_people", "sweep_people_imports"]
