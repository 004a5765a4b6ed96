"""The data migration that brings partnerships with the earlier default catalogue up to the guideline."""

import importlib

from django.apps import apps

from avvik.catalogue.models import AgreementClause, Category
from tests.factories import PartnershipFactory

migration = importlib.import_module("avvik.catalogue.migrations.0005_guideline_categories_and_responsible_parties")


def _earlier_catalogue(partnership):
    for position, name in enumerate(sorted(migration.EARLIER_DEFAULTS)):
        Category.objects.create(partnership=partnership, name=name, position=position)
    for code in ("6.2 b)", "6.3 b)", "6.1.2 a)", "6.1.1 c)"):
        AgreementClause.objects.create(partnership=partnership, code=code, title=code, document="Retningslinje 4")


def test_a_partnership_with_the_earlier_defaults_gets_the_new_categories_and_retires_two(db):
    partnership = PartnershipFactory()
    _earlier_catalogue(partnership)

    migration.forward(apps, None)

    categories = {c.name: c for c in Category.objects.filter(partnership=partnership).select_related("clause")}
    # Retired, not deleted: cases filed under them keep them.
    assert not categories["Legemiddelinformasjon"].is_active
    assert not categories["Innleggelse og utskrivning"].is_active
    assert categories["Personopplysninger sendt til feil mottaker"].clause.code == "6.1.2 a)"
    assert categories["Nedetid (planlagt eller uplanlagt)"].clause.code == "6.1.1 c)"
    assert categories["Epikriser, brev og notat"].clause.code == "6.2 b)"
    kinds = dict(AgreementClause.objects.filter(partnership=partnership).values_list("code", "responsible_kind"))
    assert kinds == {"6.2 b)": "hospital_trust", "6.3 b)": "municipality", "6.1.2 a)": "either", "6.1.1 c)": "either"}


def test_a_partnership_that_made_its_own_categories_keeps_them(db):
    partnership = PartnershipFactory()
    _earlier_catalogue(partnership)
    Category.objects.create(partnership=partnership, name="Egen kategori")

    migration.forward(apps, None)

    categories = Category.objects.filter(partnership=partnership)
    assert categories.filter(is_active=False).count() == 0
    assert not categories.filter(name="Feil pasient i meldingen").exists()
