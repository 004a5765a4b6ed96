"""Helpers that make cases: the filing form's data, and a case in any state through the real services."""

from datetime import timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from avvik.cases import services
from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation
from avvik.catalogue.choices import Consequence
from avvik.catalogue.models import Category
from avvik.demo.cases import demo_png
from avvik.outbox.models import Notification
from avvik.tenancy.models import Organisation, User

PNG = demo_png()


def case_data(counterpart: Organisation, **overrides) -> dict:
    category = Category.objects.filter(partnership=counterpart.partnership, concerns_message=False).first()
    data = {
        "occurred_at": timezone.now() - timedelta(days=1),
        "counterpart": counterpart,
        "category": category,
        "consequence": Consequence.MINOR,
        "title": "Epikrise kom ikke fram",
        "description": "Epikrisen var ikke mottatt tre dager etter utskrivning.",
    }
    data.update(overrides)
    return data


def file_case(
    reporter: User, counterpart: Organisation, *, patient: bool = False, attachment: bool = False, **overrides
) -> Deviation:
    own = Organisation.objects.get(memberships__user=reporter, memberships__role="reporter")
    return services.deviation_submit(
        by=reporter,
        organisation=own,
        data=case_data(counterpart, **overrides),
        patient=services.PatientData("Ola Nordmann", "01010012356") if patient else None,
        files=[SimpleUploadedFile("skjerm.png", PNG, content_type="image/png")] if attachment else [],
    )


def drive(deviation: Deviation, status: str, *, coordinator: User, handler: User, reporter: User) -> Deviation:
    """Move a submitted case to `status` along the usual path."""
    if status == Status.SUBMITTED:
        return deviation
    if status == Status.WITHDRAWN:
        return services.deviation_transition(action="withdraw", deviation=deviation, by=reporter)
    if status == Status.REJECTED:
        return services.deviation_transition(
            action="reject", deviation=deviation, by=coordinator, note="Ikke et samhandlingsavvik."
        )
    to = Organisation.objects.get(memberships__user=handler, memberships__role="handler")
    deviation = services.deviation_transition(action="forward", deviation=deviation, by=coordinator, to=to)
    if status == Status.FORWARDED:
        return deviation
    if status == Status.MERGED:
        # A duplicate: merged into another report of the same reporter's, about the same counterpart.
        main = file_case(reporter, deviation.counterpart, title="Hovedsak")
        return services.deviation_merge(duplicate=deviation, into=main, by=coordinator)
    deviation = services.deviation_transition(action="accept", deviation=deviation, by=handler)
    if status == Status.IN_PROGRESS:
        return deviation
    if status == Status.WAITING:
        return services.deviation_transition(
            action="wait", deviation=deviation, by=handler, note="Når ble meldingen sendt?"
        )
    deviation = services.deviation_transition(
        action="answer",
        deviation=deviation,
        by=handler,
        cause="Feil adresse.",
        measures="Adresselisten rettet.",
        measures_done=True,
    )
    if status == Status.ANSWERED:
        return deviation
    return services.deviation_transition(action="close", deviation=deviation, by=coordinator, note="Godt svar.")


def filing_form_data(world, *, category=None, **overrides) -> dict:
    """What a reporter at the hospital types into the filing form about the municipality."""
    if category is None:
        category = Category.objects.get(partnership=world.partnership, name="Annet")
    data = {
        "title": "Epikrise kom ikke fram",
        "occurred_at": "2026-11-20T10:30",
        "consequence": "minor",
        "category": getattr(category, "pk", category),
        "counterpart": world.municipality.pk,
        "description": "Epikrisen var ikke mottatt tre dager etter utskrivning.",
        "immediate_action": "Ringte avdelingen.",
    }
    data.update(overrides)
    # What could have happened: as bad as what happened, unless the test says otherwise.
    data.setdefault("potential_consequence", data["consequence"])
    return data


def in_progress_cases(world, reporter, coordinator, handler, count: int) -> list[Deviation]:
    """Cases filed on Monday 23 November 2026 and in progress, their answer due on 7 December; the
    notifications their filing wrote are removed, so that only what a test's sweep writes is left."""
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        cases = [
            drive(
                file_case(reporter, world.municipality),
                Status.IN_PROGRESS,
                coordinator=coordinator,
                handler=handler,
                reporter=reporter,
            )
            for _ in range(count)
        ]
    Notification.objects.all().delete()
    return cases
