"""Querysets. `Deviation.objects.visible_to(user)` is the one door for reading deviations."""

from django.db import models
from django.db.models import Q


class DeviationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DeviationQuerySet":
        """What the person may read.

        Coordinators see every case of their partnership. Members of an organisation see the
        cases their organisation reported and those forwarded to it as responsible. Council
        members see no single case. Administrators see everything; their reads are logged.
        """
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        from avvik.access.roles import roles_of  # selectors import the models, which import this module

        roles = roles_of(user)
        member_of = roles.reporter_in | roles.handler_in | roles.admin_in
        if not roles.coordinator_of and not member_of:
            return self.none()
        # The partnership follows from the organisation; saying so lets the database walk the
        # partnership's newest-first index instead of sorting every case of a large organisation.
        return self.filter(
            Q(partnership__in=roles.coordinator_of)
            | (
                Q(partnership__in=roles.partnerships)
                & (Q(reporting_organisation__in=member_of) | Q(responsible_organisation__in=member_of))
            )
        )

    def overdue(self, today) -> "DeviationQuerySet":
        """Cases past the deadline that runs now: triage before forwarding, the answer after."""
        from avvik.cases.choices import ANSWER_CLOCK_RUNNING, Status

        # Each half matches a partial index (see Deviation.Meta.indexes).
        return self.filter(
            Q(status=Status.SUBMITTED, triage_due__lt=today) | Q(status__in=ANSWER_CLOCK_RUNNING, answer_due__lt=today)
        )

    def for_list(self) -> "DeviationQuerySet":
        """Everything a list row shows, in a fixed number of queries."""
        return self.select_related(
            "reporting_organisation", "counterpart", "responsible_organisation", "category", "assignee"
        )
