"""Relating a case to another, and removing a relation: short POST views around one service call.
Merging a duplicate is a lifecycle action (cases:action, "merge")."""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from avvik.cases import services
from avvik.cases.forms.relations import RelationForm
from avvik.cases.models import Relation
from avvik.cases.services.relations import may_relate
from avvik.cases.views.common import deviation_for_user
from avvik.cases.views.detail import render_detail

if TYPE_CHECKING:
    from avvik.access.guards import AuthenticatedHttpRequest


@require_POST
def relation_create(request: "AuthenticatedHttpRequest", reference: str) -> HttpResponse:
    deviation = deviation_for_user(request, reference)
    if not may_relate(request.user, deviation):
        raise PermissionDenied
    form = RelationForm(request.POST, deviation=deviation, user=request.user)
    if not form.is_valid():
        messages.error(request, _("The cases were not related; see the fields marked below."))
        return render_detail(request, deviation, bound={"relation": form}, status=400)
    services.relation_add(
        source=deviation, target=form.cleaned_data["other"], kind=form.cleaned_data["kind"], by=request.user
    )
    messages.success(request, _("The cases are related."))
    return redirect("cases:detail", reference=deviation.reference)


@require_POST
def relation_delete(request: "AuthenticatedHttpRequest", reference: str, pk: int) -> HttpResponse:
    deviation = deviation_for_user(request, reference)
    # Only a relation of this case whose both cases the person reads; any other is not found.
    relations = Relation.objects.visible_to(request.user).filter(Q(source=deviation) | Q(target=deviation))
    relation = get_object_or_404(relations.select_related("source", "target"), pk=pk)
    services.relation_remove(relation=relation, by=request.user)
    messages.success(request, _("The relation is removed."))
    return redirect("cases:detail", reference=deviation.reference)
