"""The page that says what an action that ends a case will do, before it is done: withdrawing
(the reporter), rejecting, closing and merging (the contact point). Plain HTML forms, no script needed."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from avvik.cases.choices import Action, Status
from avvik.cases.forms.actions import ActionForm
from avvik.cases.models.deviation import Deviation

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest

# The POST field the confirmation page sends: "yes" to go ahead, "back" to change the note.
CONFIRM_FIELD = "confirm"


@dataclass(frozen=True)
class Confirmation:
    title: Promise
    note_heading: Promise
    button: Promise


CONFIRMATIONS: dict[str, Confirmation] = {
    Action.WITHDRAW: Confirmation(
        title=_("Withdraw the deviation?"),
        note_heading=_("Why you withdraw it"),
        button=_("Yes, withdraw the deviation"),
    ),
    Action.REJECT: Confirmation(
        title=_("Reject the deviation?"),
        note_heading=_("Your reason, shown to the reporter"),
        button=_("Yes, reject the deviation"),
    ),
    Action.CLOSE: Confirmation(
        title=_("Close the deviation?"),
        note_heading=_("Your closing note, shown to the reporter"),
        button=_("Yes, close the deviation"),
    ),
    Action.MERGE: Confirmation(
        title=_("Merge the deviation into the main case?"),
        note_heading=_("Your note"),
        button=_("Yes, merge the deviation"),
    ),
}


def consequences(action: str, deviation: Deviation) -> list[str]:
    """What will happen, in the order it happens, for this case."""
    return [str(point) for point in _points(action, deviation)]


def _points(action: str, deviation: Deviation) -> list[Promise]:
    reporter_told = deviation.reporter is not None and deviation.reporter.is_active
    points: list[Promise]
    match action:
        case Action.WITHDRAW:
            points = [
                _("The deviation will not be handled: the contact point does not forward it, and nobody answers it."),
                _("Nothing more can be written or added on it, and it cannot be taken up again."),
            ]
            return points
        case Action.REJECT:
            points = [_("The case ends here: it is not handled as a deviation between organisations.")]
            if reporter_told:
                points.append(_("The reporter is told by e-mail and reads your reason on the case page."))
            points.append(_("Nothing more can be written or added on it, and it cannot be reopened."))
            return points
        case Action.CLOSE:
            points = []
            if deviation.answered_at is None:
                points.append(
                    _("The responsible organisation has not answered: your closing note is the reason the case ends.")
                )
            if deviation.status == Status.WAITING:
                points.append(
                    _("The case waits for the reporter's answer to a question; that answer is no longer needed.")
                )
            if reporter_told:
                points.append(
                    _("The reporter is told by e-mail, with your name and closing note, and where to read the answer.")
                )
            points.append(_("Nothing more can be written or added on it, but a coordinator can reopen it."))
            return points
        case Action.MERGE:
            points = [
                _("This deviation ends as merged, and is handled in the main case from now on."),
                _("Its timeline and comments stay readable here, with a link to the main case."),
            ]
            if reporter_told:
                points.append(
                    _("Its reporter is told, and can read the main case's status, answer and comments from now on.")
                )
            points.append(_("The main case's reporter is told too."))
            points.append(_("It cannot be reopened or merged again on its own."))
            return points
    raise ValueError(action)


def confirmation_page(request: "AuthenticatedHttpRequest", deviation: Deviation, form: ActionForm) -> HttpResponse:
    """The page that states what `form`'s action will do, carrying what the person filled in."""
    return render(
        request,
        "cases/action_confirm.html",
        {
            "deviation": deviation,
            "form": form,
            "confirmation": CONFIRMATIONS[form.action],
            "consequences": consequences(form.action, deviation),
            "note": form.cleaned_data.get("note", ""),
            "confirm_field": CONFIRM_FIELD,
            # The main case a duplicate is merged into, shown beside it.
            "main": form.cleaned_data.get("into") if form.action == Action.MERGE else None,
        },
    )
