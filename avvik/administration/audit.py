"""The audit log of administrative changes, as far as an administrator may read it: a partnership
administrator their partnership's people, memberships, organisations, units, settings and
invitations; an organisation administrator their organisation's people, memberships and invitations."""

from datetime import date, datetime, time, timedelta

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvik.access.roles import Roles
from avvik.administration.models import Invitation
from avvik.administration.selectors import invitations_for, people_for
from avvik.tenancy.choices import Role
from avvik.tenancy.models import Membership, Organisation, Partnership, Unit, User

# What the page can be filtered by, in the order of its choice list.
AUDITED = {
    "person": User,
    "membership": Membership,
    "invitation": Invitation,
    "organisation": Organisation,
    "unit": Unit,
    "partnership": Partnership,
}


def _of(model: type) -> Q:
    return Q(content_type=ContentType.objects.get_for_model(model))


def audit_entries_for(
    roles: Roles, *, model: str = "", date_from: date | None = None, date_to: date | None = None
) -> "QuerySet[LogEntry]":
    """The entries in the administrator's reach, newest first, with the filters applied."""
    admin_in, partnerships = list(roles.admin_in), list(roles.partnership_admin_of)
    reach = (
        _of(User) & Q(object_id__in=people_for(roles).values("pk"))
        | _of(Membership)
        & (Q(additional_data__organisation__in=admin_in) | Q(additional_data__partnership__in=partnerships))
        | _of(Invitation) & Q(object_id__in=invitations_for(roles).values("pk"))
    )
    if partnerships:
        reach |= (
            _of(Organisation) & Q(object_id__in=Organisation.objects.filter(partnership__in=partnerships).values("pk"))
            | _of(Unit) & Q(object_id__in=Unit.objects.filter(organisation__partnership__in=partnerships).values("pk"))
            | _of(Partnership) & Q(object_id__in=partnerships)
        )
    entries: QuerySet[LogEntry] = LogEntry.objects.filter(reach)
    if model in AUDITED:
        entries = entries.filter(_of(AUDITED[model]))
    zone = timezone.get_current_timezone()
    if date_from:
        entries = entries.filter(timestamp__gte=datetime.combine(date_from, time.min, tzinfo=zone))
    if date_to:
        # To the end of the day chosen: before the start of the next one.
        entries = entries.filter(timestamp__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone))
    entries = entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    return entries


def _first(values: object) -> str | None:
    """The value an audited field had: the new one, or the old one of a deletion."""
    if isinstance(values, list) and len(values) == 2:
        new, old = values[1], values[0]
        for value in (new, old):
            if value not in (None, "None", ""):
                return str(value)
    return None


# Our own words for what happened (django-auditlog's are not translated into Norwegian).
ACTIONS = {
    LogEntry.Action.CREATE: _("Created"),
    LogEntry.Action.UPDATE: _("Changed"),
    LogEntry.Action.DELETE: _("Deleted"),
}


def described(entries: "list[LogEntry]") -> "list[tuple[LogEntry, str, str]]":
    """Each entry with what it is about, in the reader's language. An entry's stored text is in the
    language of whoever made the change; a role is named again from its value, and its person
    looked up (one query for the page)."""
    membership_type = ContentType.objects.get_for_model(Membership)
    user_ids: set[int] = set()
    for entry in entries:
        if entry.content_type_id == membership_type.pk:
            user = _first((entry.changes_dict or {}).get("user"))
            if user and user.isdigit():
                user_ids.add(int(user))
    names = {user.pk: str(user) for user in User.objects.filter(pk__in=user_ids)}
    out = []
    for entry in entries:
        text = entry.object_repr
        if entry.content_type_id == membership_type.pk:
            changes = entry.changes_dict or {}
            role, user = _first(changes.get("role")), _first(changes.get("user"))
            role_label = str(Role(role).label) if role in Role.values else ""
            person = names.get(int(user), "") if user and user.isdigit() else ""
            text = " – ".join(part for part in (person, role_label) if part)
        out.append((entry, str(ACTIONS.get(entry.action, entry.get_action_display())), text))
    return out
