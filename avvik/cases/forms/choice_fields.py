"""Choice fields for the filing forms: each reads its choices once per form, and the units come
grouped by organisation as rows, so a partnership's hundred units do not cost a model instance each."""

from collections.abc import Iterator
from typing import Any

from django import forms

from avvik.core.form_fields import ReadOnceChoiceField, ReadOnceIterator
from avvik.tenancy.models import Unit


class UnitChoiceField(ReadOnceChoiceField):
    def label_from_instance(self, unit: Unit) -> str:
        return unit.name


class _UnitValue:
    """A unit's option value with its organisation: what the select needs of a unit, read as a row
    (a partnership has some hundred units, and each model instance costs more than its option)."""

    __slots__ = ("organisation_id", "pk")

    def __init__(self, pk: int, organisation_id: int) -> None:
        self.pk, self.organisation_id = pk, organisation_id

    def __str__(self) -> str:
        return str(self.pk)


class _UnitsByOrganisation(ReadOnceIterator):
    """The units in one <optgroup> per organisation: without script, a person sees whose unit is whose."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list[Any]] = {}
        rows = self.queryset.values_list("pk", "name", "organisation_id", "organisation__name")
        for pk, name, organisation_id, organisation in rows:
            groups.setdefault(organisation, []).append((_UnitValue(pk, organisation_id), name))
        yield from groups.items()


class _UnitSelect(forms.Select):
    """Each option names its organisation (data-organisation), for static/js/unit_filter.js."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        value = option["value"]
        if isinstance(value, _UnitValue):
            option["attrs"]["data-organisation"] = str(value.organisation_id)
        return option


class GroupedUnitChoiceField(UnitChoiceField):
    """Units grouped by organisation; the queryset must be ordered by organisation name."""

    iterator = _UnitsByOrganisation
    widget = _UnitSelect
