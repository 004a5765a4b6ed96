"""E-mails: a subject/text/HTML trio per message, in the recipient organisation's written form.

They carry the reference, the title, status and deadline, and a link; never patient identity,
and no free text beyond the title but what a registered detail source adds for its kind (the
closing note, which the coordinator writes for the reporter)."""

import hashlib
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from avvik.outbox.choices import NotificationKind
from avvik.outbox.models import Notification

HEADLINES = {
    NotificationKind.NEW_CASE: _("A new deviation is waiting for intake and routing."),
    NotificationKind.FORWARDED: _("A deviation has been forwarded to your organisation to answer."),
    NotificationKind.REPORTER_FORWARDED: _(
        "The deviation you reported has been forwarded to the organisation that is to answer it."
    ),
    NotificationKind.QUESTION: _(
        "The organisation handling your deviation has a question for you. Answer it on the case page."
    ),
    NotificationKind.ANSWERED: _("The deviation you reported has been answered."),
    NotificationKind.CLOSED: _("The deviation you reported is closed."),
    NotificationKind.REJECTED: _(
        "The deviation you reported was not taken further as a deviation between organisations."
    ),
    NotificationKind.COMMENT: _("There is a new comment on a deviation."),
    NotificationKind.REPORTER_REPLIED: _(
        "The reporter has answered your question. The case is in progress again, and the answer deadline runs."
    ),
    NotificationKind.CASE_ANSWERED: _(
        "The responsible organisation has answered a deviation. Read the answer, and close the case or reopen it."
    ),
    NotificationKind.REMINDER_BEFORE: _("The answer to a deviation is due soon."),
    NotificationKind.REMINDER_DUE: _("The answer to a deviation is due today."),
    NotificationKind.ESCALATION_LEADER: _("The answer to a deviation your organisation is responsible for is overdue."),
    NotificationKind.ESCALATION_CONTACT_POINT: _("A deviation is overdue and is escalated to the contact point."),
    NotificationKind.TRIAGE_OVERDUE: _("A deviation has waited for intake and routing past its deadline."),
    NotificationKind.DAILY_DIGEST: _("Your notifications from the last day."),
    NotificationKind.WEEKLY_DIGEST: _("Open deviations your organisation is responsible for."),
    NotificationKind.REPORT_READY: _("A new report to the council is ready."),
    NotificationKind.MEASURE_DUE: _("A measure your organisation is responsible for is due soon."),
    NotificationKind.MEASURE_OVERDUE: _("A measure agreed on a deviation is overdue and not carried out."),
    NotificationKind.ALERT_UNRECORDED: _(
        "A deviation requires a statutory alert, and none is recorded. Send it, and record it on the case page."
    ),
    NotificationKind.BREACH_DECISION_DUE: _(
        "A personal-data breach awaits the decision on notifying Datatilsynet, due 72 hours after it became known."
    ),
    NotificationKind.INVITATION: _(
        "You are invited to Samhandling. Open the link to accept the invitation; it works for seven days."
    ),
    NotificationKind.MERGED: _(
        "The deviation you reported is about the same event as another case, and is merged into it. "
        "Follow the main case from now on."
    ),
    NotificationKind.MERGED_INTO: _(
        "Another report of the same event is merged into the deviation you reported. It is handled as one case."
    ),
}


def language_for(notification: Notification) -> str:
    if notification.recipient.language:
        return notification.recipient.language
    if notification.organisation_id:
        return notification.organisation.written_form
    if notification.report_id:
        return notification.report.partnership.written_form
    return settings.LANGUAGE_CODE


def case_url(deviation: Any) -> str:
    return settings.SITE_URL + reverse("cases:detail", args=[deviation.reference])


def _url_for(notification: Notification) -> str:
    source = URL_SOURCES.get(notification.kind)
    if source is not None:
        return settings.SITE_URL + source(notification)
    if notification.deviation_id:
        return case_url(notification.deviation)
    if notification.report_id:
        return settings.SITE_URL + reverse("council:report", args=[notification.report_id])
    return settings.SITE_URL + "/"


def build_message(notification: Notification, *, items: list | None = None) -> EmailMultiAlternatives:
    """The e-mail for one outbox row. `items` lists the cases of a summary."""
    with translation.override(language_for(notification)):
        context = {
            "notification": notification,
            "headline": HEADLINES[notification.kind],
            "deviation": notification.deviation,
            "url": _url_for(notification),
            "report": notification.report,
            "items": items or [],
            "details": _details(notification),
            "site_url": settings.SITE_URL,
        }
        subject = " ".join(render_to_string("outbox/notification_subject.txt", context).split())
        text = render_to_string("outbox/notification_body.txt", context)
        html = render_to_string("outbox/notification_body.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[notification.recipient.email]
    )
    message.attach_alternative(html, "text/html")
    message.extra_headers["Auto-Submitted"] = "auto-generated"
    message.extra_headers["X-Samhandling-Notification"] = notification.key
    message.extra_headers["Message-ID"] = message_id(notification)
    return message


def _details(notification: Notification) -> list[str]:
    """What the e-mail says besides its headline, from the source registered for its kind."""
    source = DETAIL_SOURCES.get(notification.kind)
    if source is None or not notification.deviation_id:
        return []
    return [str(line) for line in source(notification)]


def message_id(notification: Notification) -> str:
    """The notification's one Message-ID, the same in every build and on every attempt, so that a
    mail system handed a second copy can recognise it (docs/reliability.md). Built from the row's
    id and key, hashed so that the ids in the key do not show, at the host of SITE_URL."""
    digest = hashlib.sha256(f"{notification.pk}:{notification.key}".encode()).hexdigest()[:32]
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<notification-{digest}@{host}>"


def digest_items(notification: Notification) -> list[dict]:
    """What a summary lists: held notifications (daily), or what the registered source gives (weekly)."""
    if notification.kind == NotificationKind.DAILY_DIGEST:
        held = Notification.objects.filter(digest=notification).select_related("deviation").order_by("created_at")
        return [
            {"headline": HEADLINES[row.kind], "deviation": row.deviation, "url": case_url(row.deviation)}
            for row in held
            if row.deviation
        ]
    return [
        {"headline": "", "deviation": d, "url": case_url(d)} for d in DIGEST_SOURCES[notification.kind](notification)
    ]


# What a summary of another kind lists, by kind: registered by the area that writes it (the
# weekly summary by reminders), so that the outbox needs to know nothing of cases.
DIGEST_SOURCES: dict[str, Callable[[Notification], Iterable[Any]]] = {}


def digest_source(kind: str) -> Callable:
    """Register the function that lists the cases a summary of `kind` shows."""

    def register(source: Callable[[Notification], Iterable[Any]]) -> Callable[[Notification], Iterable[Any]]:
        DIGEST_SOURCES[kind] = source
        return source

    return register


# What an e-mail of a kind says besides its headline (who closed a case, and their note to the
# reporter), by kind: registered by the area that writes it, so that the outbox knows nothing of
# cases. Each source returns paragraphs of plain text, in the language the e-mail is built in.
DETAIL_SOURCES: dict[str, Callable[[Notification], Iterable[str]]] = {}


def detail_source(kind: str) -> Callable:
    """Register the function that gives the paragraphs an e-mail of `kind` says besides its headline."""

    def register(source: Callable[[Notification], Iterable[str]]) -> Callable[[Notification], Iterable[str]]:
        DETAIL_SOURCES[kind] = source
        return source

    return register


# The link of an e-mail of a kind that is about neither a case nor a report (an invitation), by
# kind: registered by the area that writes it. Each source returns a path on this site.
URL_SOURCES: dict[str, Callable[[Notification], str]] = {}


def url_source(kind: str) -> Callable:
    """Register the function that gives the path an e-mail of `kind` links to."""

    def register(source: Callable[[Notification], str]) -> Callable[[Notification], str]:
        URL_SOURCES[kind] = source
        return source

    return register
