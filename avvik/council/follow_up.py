"""The report's chapters on follow-up: measures and their effect, recurrence, statutory alerts and
personal-data breaches, from the counts their own areas keep (avvik.measures, avvik.duties).

Each chapter is protected on its own (presentation.protected_chapter): its parts are disjoint and
sum to its total. These counts are read live, not frozen with the period (docs/disclosure.md)."""

from django.utils.translation import gettext as _

from avvik.council.counting import Statistics
from avvik.council.presentation import Chapter, protected_chapter
from avvik.duties.selectors import duty_counts
from avvik.measures.choices import Effect
from avvik.measures.selectors import measure_counts


def follow_up_chapters(stats: Statistics, *, threshold: int, exact: bool) -> list[Chapter]:
    """The chapters for the whole partnership; none for one organisation's figures, which these
    partnership-wide counts would not match."""
    if stats.organisation is not None or stats.partnership.pk is None:
        return []
    partnership_id, period = stats.partnership.pk, stats.period
    measures = measure_counts(partnership_id, period.start, period.end)
    duties = duty_counts(partnership_id, period.start, period.end)

    def chapter(key: str, title: str, counts: dict[str, int], total_label: str | None = None) -> Chapter:
        return protected_chapter(
            key, title, counts, threshold=threshold, exact=exact, total_label=total_label, counted=_("Count")
        )

    chapters = [
        # Events of the period, each its own count: a measure agreed in it may be carried out in another.
        chapter("measures_agreed", _("Measures agreed in the period"), {_("Agreed"): measures.agreed}),
        chapter(
            "measures_overdue",
            _("Measures due in the period and not carried out by then"),
            {_("Overdue"): measures.overdue},
        ),
        chapter(
            "measures_effect",
            _("Effect of the measures carried out"),
            {str(Effect(value).label): measures.by_effect.get(value, 0) for value in Effect.values},
            total_label=_("Measures carried out"),
        ),
        chapter(
            "recurrence",
            _("The same kind of event again after a measure was carried out"),
            {_("Cases"): measures.recurrences},
        ),
    ]
    not_recorded = max(duties.alerts_required - duties.alerts_recorded, 0)
    in_time = max(duties.alerts_recorded - duties.alerts_recorded_late, 0)
    chapters.append(
        chapter(
            "alerts",
            _("Statutory alerts (varselplikt) of the cases filed in the period"),
            {
                _("Recorded in time"): in_time,
                _("Recorded late"): duties.alerts_recorded_late,
                _("Not recorded"): not_recorded,
            },
            total_label=_("Alerts required"),
        )
    )
    undecided = max(duties.breaches - duties.breaches_notified - duties.breaches_not_notified, 0)
    chapters.append(
        chapter(
            "breaches",
            _("Personal-data breaches that became known in the period"),
            {
                _("Notified to Datatilsynet"): duties.breaches_notified,
                _("Not notified, with the reason recorded"): duties.breaches_not_notified,
                _("Not yet decided"): undecided,
            },
            total_label=_("Breaches"),
        )
    )
    return chapters
