"""The guideline's clauses get whose duty they are (6.2 the hospital trust, 6.3 the municipality, the rest
both); partnerships that still have the default categories get the new ones (personal data to the wrong
recipient, wrong patient, paper/fax/e-mail, downtime), each category its clause, and the two defaults
without a clause of their own are retired (inactive, never deleted: their cases keep them)."""

from django.db import migrations

GUIDELINE = "Retningslinje 4"

# The default categories before this migration: a partnership with exactly these has not made its own.
EARLIER_DEFAULTS = {
    "Elektroniske meldinger",
    "Epikriser, brev og notat",
    "Rekvisisjoner",
    "Røntgensvar",
    "Laboratoriesvar",
    "Henvisninger med vedlegg",
    "Generelle forespørsler",
    "Adressering av meldinger",
    "Meldingstjener og Norsk Helsenett",
    "Legemiddelinformasjon",
    "Innleggelse og utskrivning",
    "Annet",
}

RETIRED = ("Legemiddelinformasjon", "Innleggelse og utskrivning")

# (name in bokmål, nynorsk, English; concerns a message; clause), in the order shown. As of this migration.
CATEGORIES = [
    ("Elektroniske meldinger", "Elektroniske meldingar", "Electronic messages", True, "6.1.2 b)"),
    ("Epikriser, brev og notat", "Epikriser, brev og notat", "Discharge summaries, letters and notes", True, "6.2 b)"),
    ("Rekvisisjoner", "Rekvisisjonar", "Requisitions", True, ""),
    ("Røntgensvar", "Røntgensvar", "Radiology results", True, "6.2 d)"),
    ("Laboratoriesvar", "Laboratoriesvar", "Laboratory results", True, "6.2 e)"),
    ("Henvisninger med vedlegg", "Tilvisingar med vedlegg", "Referrals with attachments", True, "6.3 b)"),
    ("Generelle forespørsler", "Generelle førespurnader", "General enquiries", True, "6.3 d)"),
    ("Adressering av meldinger", "Adressering av meldingar", "Addressing of messages", True, "6.1.2 a)"),
    (
        "Personopplysninger sendt til feil mottaker",
        "Personopplysningar sende til feil mottakar",
        "Personal data sent to the wrong recipient",
        True,
        "6.1.2 a)",
    ),
    ("Feil pasient i meldingen", "Feil pasient i meldinga", "Wrong patient in the message", True, "6.1.2 c)"),
    (
        "Papir, faks eller e-post i stedet for elektronisk melding",
        "Papir, faks eller e-post i staden for elektronisk melding",
        "Paper, fax or e-mail instead of an electronic message",
        True,
        "6.1.2 b)",
    ),
    ("Meldingstjener og Norsk Helsenett", "Meldingstenar og Norsk Helsenett", "Message server and Norsk Helsenett", True, "6.1.1 g)"),
    ("Nedetid (planlagt eller uplanlagt)", "Nedetid (planlagd eller uplanlagd)", "Downtime (planned or unplanned)", False, "6.1.1 c)"),
    ("Annet", "Anna", "Other", False, ""),
]


def responsible_kind_of(code):
    if code.startswith("6.2 "):
        return "hospital_trust"
    if code.startswith("6.3 "):
        return "municipality"
    return "either"


def forward(apps, schema_editor):
    AgreementClause = apps.get_model("catalogue", "AgreementClause")
    Category = apps.get_model("catalogue", "Category")
    Partnership = apps.get_model("tenancy", "Partnership")
    for clause in AgreementClause.objects.filter(document=GUIDELINE):
        kind = responsible_kind_of(clause.code)
        if clause.responsible_kind != kind:
            clause.responsible_kind = kind
            clause.save(update_fields=["responsible_kind"])
    for partnership in Partnership.objects.all():
        names = set(Category.objects.filter(partnership=partnership).values_list("name", flat=True))
        if names != EARLIER_DEFAULTS:
            continue
        clauses = {c.code: c for c in AgreementClause.objects.filter(partnership=partnership, document=GUIDELINE)}
        for position, (name, name_nn, name_en, concerns_message, code) in enumerate(CATEGORIES):
            category, _created = Category.objects.get_or_create(
                partnership=partnership,
                name=name,
                defaults={"name_nn": name_nn, "name_en": name_en, "concerns_message": concerns_message},
            )
            category.position = position
            category.clause = clauses.get(code)
            category.save(update_fields=["position", "clause"])
        Category.objects.filter(partnership=partnership, name__in=RETIRED).update(is_active=False)


def backward(apps, schema_editor):
    # The new categories are left in place: cases may have been filed under them since.
    Category = apps.get_model("catalogue", "Category")
    Category.objects.filter(name__in=RETIRED).update(is_active=True)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0004_clause_responsible_party_and_category_clause"),
        ("tenancy", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
