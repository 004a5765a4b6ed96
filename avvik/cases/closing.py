"""What keeps a case from closing besides the lifecycle table: duties kept by areas above cases
(the statutory alert and a personal-data breach decision, avvik.duties) register a check here, so
that cases need not know of them."""

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from avvik.cases.models import Deviation

# Each check returns the reasons, in the reader's language, why the case may not close yet.
CLOSE_CHECKS: list[Callable[["Deviation"], list[str]]] = []


def close_check(check: Callable[["Deviation"], list[str]]) -> Callable[["Deviation"], list[str]]:
    """Register a check asked before a case closes."""
    if check not in CLOSE_CHECKS:
        CLOSE_CHECKS.append(check)
    return check


def closing_blocked_by(deviation: "Deviation") -> list[str]:
    """Why the case may not close now; empty when nothing stands in the way."""
    return [reason for check in CLOSE_CHECKS for reason in check(deviation)]
