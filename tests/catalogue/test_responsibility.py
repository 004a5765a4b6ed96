"""The responsible organisation suggested from the clause: 6.2 binds the hospital trust, 6.3 the
municipality, 6.1 both."""

import pytest
from django.utils import translation

from avvik.catalogue.choices import ResponsibleKind
from avvik.catalogue.defaults import DEFAULT_CATEGORIES, RETIRED_CATEGORIES, responsible_kind_of
from avvik.catalogue.models import AgreementClause, Category
from avvik.catalogue.responsibility import responsible_suggested


def _clause(world, code):
    return AgreementClause.objects.get(partnership=world.partnership, code=code)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("6.2 e)", ResponsibleKind.HOSPITAL_TRUST),
        ("6.3 b)", ResponsibleKind.MUNICIPALITY),
        ("6.1.2 a)", ResponsibleKind.EITHER),
        ("3 e)", ResponsibleKind.EITHER),
    ],
)
def test_each_clause_of_the_guideline_binds_the_party_of_its_section(world, code, kind):
    assert responsible_kind_of(code) == kind
    assert _clause(world, code).responsible_kind == kind


def test_a_hospital_trust_clause_suggests_the_hospital_whoever_reported(world):
    for parties in ((world.hospital, world.municipality), (world.municipality, world.hospital)):
        suggestion = responsible_suggested(clause=_clause(world, "6.2 e)"), parties=parties)
        assert suggestion is not None and suggestion.organisation == world.hospital


def test_a_municipality_clause_suggests_the_municipality_and_says_why(world):
    with translation.override("en"):
        suggestion = responsible_suggested(
            clause=_clause(world, "6.3 b)"), parties=(world.hospital, world.municipality)
        )
    assert suggestion is not None and suggestion.organisation == world.municipality
    assert suggestion.reason == "Suggested from point 6.3: the municipality's duty"


def test_no_suggestion_when_the_clause_binds_both_or_the_parties_do_not_tell(world):
    shared = _clause(world, "6.1.2 a)")
    assert responsible_suggested(clause=shared, parties=(world.hospital, world.municipality)) is None
    assert responsible_suggested(clause=None, parties=(world.hospital, world.municipality)) is None
    two_municipalities = (world.municipality, world.bystander_org)
    assert responsible_suggested(clause=_clause(world, "6.3 a)"), parties=two_municipalities) is None


def test_every_default_category_points_to_a_clause_of_the_catalogue_or_to_none(world):
    categories = Category.objects.filter(partnership=world.partnership).select_related("clause")
    expected = {name: code for name, _nn, _en, _message, code in DEFAULT_CATEGORIES}
    assert {c.name: (c.clause.code if c.clause else "") for c in categories} == expected
    assert not {name for name, _nn, _en in RETIRED_CATEGORIES} & set(expected)
    assert {"Personopplysninger sendt til feil mottaker", "Feil pasient i meldingen"} <= set(expected)
