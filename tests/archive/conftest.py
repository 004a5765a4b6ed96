"""A case filed at the hospital about the municipality, driven to a chosen state, with thread and attachment."""

import pytest

from avvik.cases import services
from avvik.cases.choices import Status
from tests.builders import drive, file_case


@pytest.fixture
def closed_case(world, reporter, handler, coordinator, hospital_handler):
    """Closed, with an attachment, a shared comment and an internal note from each side."""
    deviation = file_case(reporter, world.municipality, attachment=True, title="Epikrise til feil HER-id")
    deviation = drive(deviation, Status.IN_PROGRESS, coordinator=coordinator, handler=handler, reporter=reporter)
    services.comment_add(deviation=deviation, by=handler, body="Vi ser på adresselisten.", internal=False)
    services.comment_add(deviation=deviation, by=handler, body="Kommunens interne notat.", internal=True)
    services.comment_add(deviation=deviation, by=hospital_handler, body="Sykehusets interne notat.", internal=True)
    deviation.refresh_from_db()
    deviation = services.deviation_transition(
        action="answer",
        deviation=deviation,
        by=handler,
        cause="Feil adresse.",
        measures="Adresselisten rettet.",
        measures_done=True,
    )
    return services.deviation_transition(action="close", deviation=deviation, by=coordinator, note="Godt svar.")
