"""Reads of exports: a person reads their own, nobody else's (not even an administrator)."""

from django.db.models import QuerySet

from avvik.exports.models import Export
from avvik.tenancy.models import User


def exports_of(user: User) -> QuerySet[Export]:
    return Export.objects.filter(requested_by=user)
