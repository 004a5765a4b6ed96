"""The checks on filing: the sender and receiver HER-ids of a deviation against the partnership's
register copy. They warn and never refuse; without a register copy they are skipped."""

from django.utils.translation import gettext

from avvik.cases.choices import MessageType
from avvik.register.choices import EntryKind
from avvik.register.models import RegisterEntry
from avvik.tenancy.models import Organisation

# A chain of units deeper than this is taken as a loop in the file.
_MOST_LEVELS = 10


def register_loaded(partnership_id: int | None) -> bool:
    """Whether the partnership has a register copy to check HER-ids against."""
    if partnership_id is None:
        return False
    return RegisterEntry.objects.filter(partnership_id=partnership_id).exists()


def _organisation_entry(entry: RegisterEntry, entries: dict[str, RegisterEntry]) -> RegisterEntry | None:
    """The organisation an entry belongs to, following the parents up; None if the chain breaks."""
    current: RegisterEntry | None = entry
    for _ in range(_MOST_LEVELS):
        if current is None or current.kind == EntryKind.ORGANISATION:
            return current
        parent_her_id = current.parent_her_id
        current = entries.get(parent_her_id)
        if current is None and parent_her_id:
            current = RegisterEntry.objects.filter(partnership_id=entry.partnership_id, her_id=parent_her_id).first()
            if current is not None:
                entries[parent_her_id] = current
    return None


def _is_of(register_organisation: RegisterEntry, organisation: Organisation) -> bool:
    if organisation.her_id:
        return register_organisation.her_id == organisation.her_id
    number = register_organisation.organisation_number
    return bool(number) and number == organisation.organisation_number


def her_id_warnings(
    sender_her_id: str,
    receiver_her_id: str,
    reporting_organisation: Organisation,
    counterpart: Organisation | None,
    message_type: str,
) -> list[str]:
    """Warnings about the HER-ids of a deviation's message: a HER-id not in the register (or removed
    from it), a HER-id of another organisation than the two chosen, and a receiver that cannot
    receive the message type. Empty without a register copy."""
    partnership_id = reporting_organisation.partnership_id
    given = {her_id for her_id in (sender_her_id, receiver_her_id) if her_id}
    if not given or not register_loaded(partnership_id):
        return []
    entries = {e.her_id: e for e in RegisterEntry.objects.filter(partnership_id=partnership_id, her_id__in=given)}
    chosen = [o for o in (reporting_organisation, counterpart) if o is not None]
    warnings: list[str] = []
    for her_id, role, is_receiver in (
        (sender_her_id, gettext("sender"), False),
        (receiver_her_id, gettext("receiver"), True),
    ):
        if not her_id:
            continue
        entry = entries.get(her_id)
        if entry is None:
            warnings.append(
                gettext("The {role} HER-id {her_id} is not in the address register.").format(role=role, her_id=her_id)
            )
            continue
        if not entry.active:
            warnings.append(
                gettext("The {role} HER-id {her_id} ({name}) has been removed from the address register.").format(
                    role=role, her_id=her_id, name=entry.name
                )
            )
        organisation = _organisation_entry(entry, entries)
        if organisation is not None and not any(_is_of(organisation, o) for o in chosen):
            warnings.append(
                gettext(
                    "The {role} HER-id {her_id} ({name}) belongs to {organisation} in the address register, "
                    "not to {chosen}."
                ).format(
                    role=role,
                    her_id=her_id,
                    name=entry.name,
                    organisation=organisation.name,
                    chosen=gettext(" or ").join(o.name for o in chosen),
                )
            )
        if (
            is_receiver
            and message_type in MessageType.values
            and message_type != MessageType.OTHER
            and message_type not in entry.receives
        ):
            warnings.append(
                gettext(
                    "{name} (HER-id {her_id}) cannot receive {message_type} according to the address register."
                ).format(name=entry.name, her_id=her_id, message_type=MessageType(message_type).label.lower())
            )
    return warnings
