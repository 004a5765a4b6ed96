"""The checks this area registers with cases: no closing while a required statutory alert is
unrecorded or a personal-data breach is undecided."""

from django.utils.translation import gettext as _

from avvik.cases.closing import close_check
from avvik.cases.models import Deviation
from avvik.duties.models import PrivacyBreach, StatutoryAlert
from avvik.duties.rules import required_rule


@close_check
def unrecorded_duties(deviation: Deviation) -> list[str]:
    reasons = []
    if required_rule(deviation) is not None and not StatutoryAlert.objects.filter(deviation=deviation).exists():
        reasons.append(_("The case cannot be closed before the statutory alert is recorded."))
    if PrivacyBreach.objects.filter(deviation=deviation, decision="").exists():
        reasons.append(
            _("The case cannot be closed before the decision on notifying Datatilsynet of the breach is recorded.")
        )
    return reasons
