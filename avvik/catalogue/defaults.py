"""Default categories and the clause catalogue of "Retningslinje 4 Digital samhandling".

Categories and clauses are data per partnership; these are what a new partnership starts with."""

from django.db import transaction

from avvik.catalogue.models import AgreementClause, Category
from avvik.tenancy.models import Partnership

# (name in bokmål, nynorsk, English; concerns an electronic message)
DEFAULT_CATEGORIES = [
    ("Elektroniske meldinger", "Elektroniske meldingar", "Electronic messages", True),
    ("Epikriser, brev og notat", "Epikriser, brev og notat", "Discharge summaries, letters and notes", True),
    ("Rekvisisjoner", "Rekvisisjonar", "Requisitions", True),
    ("Røntgensvar", "Røntgensvar", "Radiology results", True),
    ("Laboratoriesvar", "Laboratoriesvar", "Laboratory results", True),
    ("Henvisninger med vedlegg", "Tilvisingar med vedlegg", "Referrals with attachments", True),
    ("Generelle forespørsler", "Generelle førespurnader", "General enquiries", True),
    ("Adressering av meldinger", "Adressering av meldingar", "Addressing of messages", True),
    (
        "Meldingstjener og Norsk Helsenett",
        "Meldingstenar og Norsk Helsenett",
        "Message server and Norsk Helsenett",
        True,
    ),
    ("Legemiddelinformasjon", "Legemiddelinformasjon", "Medication information", False),
    ("Innleggelse og utskrivning", "Innlegging og utskriving", "Admission and discharge", False),
    ("Annet", "Anna", "Other", False),
]


GUIDELINE = "Retningslinje 4"


# The numbered points of the guideline (sections 3 and 6) that a deviation can break:
# (point, title in bokmål, nynorsk, English).
GUIDELINE_CLAUSES = [
    (
        "3 a)",
        "Elektronisk kommunikasjon og interaktive løsninger",
        "Elektronisk kommunikasjon og interaktive løysingar",
        "Electronic communication and interactive solutions",
    ),
    (
        "3 b)",
        "Organisatorisk tilrettelegging og kompetanseutvikling",
        "Organisatorisk tilrettelegging og kompetanseutvikling",
        "Organisational arrangements and competence development",
    ),
    (
        "3 c)",
        "Telestudio og interaktive løsninger for veiledning og konsultasjoner",
        "Telestudio og interaktive løysingar for rettleiing og konsultasjonar",
        "Video studio and interactive solutions for supervision and consultations",
    ),
    (
        "3 d)",
        "Elektronisk informasjonsutveksling basert på standarder og Norsk Helsenett",
        "Elektronisk informasjonsutveksling basert på standardar og Norsk Helsenett",
        "Electronic information exchange based on standards and Norsk Helsenett",
    ),
    (
        "3 e)",
        "Elektronisk melding og håndtering av avvik",
        "Elektronisk melding og handtering av avvik",
        "Electronic messages and the handling of deviations",
    ),
    (
        "3 f)",
        "Drift, overvåking og oppgradering; responstid for feilretting",
        "Drift, overvaking og oppgradering; responstid for feilretting",
        "Operation, monitoring and upgrades; response time for fault fixing",
    ),
    (
        "6.1.1 a)",
        "Akseptert responstid på meldinger og feilretting",
        "Akseptert responstid på meldingar og feilretting",
        "Accepted response time for messages and fault fixing",
    ),
    (
        "6.1.1 b)",
        "Felles kontaktpunkt for avvikshåndtering",
        "Felles kontaktpunkt for avvikshandtering",
        "Joint contact point for deviation handling",
    ),
    ("6.1.1 c)", "Driftsavtaler", "Driftsavtalar", "Operating agreements"),
    (
        "6.1.1 d)",
        "Felles opplæringsprogram ved felles funksjonalitet",
        "Felles opplæringsprogram ved felles funksjonalitet",
        "Joint training programme for shared functionality",
    ),
    (
        "6.1.1 e)",
        "Felles plattform for interaktiv samhandling",
        "Felles plattform for interaktiv samhandling",
        "Joint platform for interactive cooperation",
    ),
    (
        "6.1.1 f)",
        "Videreutvikling av elektronisk velferdsteknologi",
        "Vidareutvikling av elektronisk velferdsteknologi",
        "Further development of electronic welfare technology",
    ),
    (
        "6.1.1 g)",
        "Felles meldingstjener lagt til Norsk Helsenett",
        "Felles meldingstenar lagd til Norsk Helsenett",
        "Joint message server placed in Norsk Helsenett",
    ),
    (
        "6.1.2 a)",
        "Korrekt adressering av meldinger",
        "Korrekt adressering av meldingar",
        "Correct addressing of messages",
    ),
    (
        "6.1.2 b)",
        "Kommunikasjon mellom partene gjennom Norsk Helsenett",
        "Kommunikasjon mellom partane gjennom Norsk Helsenett",
        "Communication between the parties through Norsk Helsenett",
    ),
    (
        "6.1.2 c)",
        "Verifikasjon og godkjenningsrutiner i meldingstjener",
        "Verifikasjon og godkjenningsrutinar i meldingstenar",
        "Verification and approval routines in the message server",
    ),
    (
        "6.1.2 d)",
        "Overvåking av meldingstrafikk med definert oppfølgingsansvar",
        "Overvaking av meldingstrafikk med definert oppfølgingsansvar",
        "Monitoring of message traffic with a named owner for follow-up",
    ),
    (
        "6.1.2 e)",
        "Avvikssystem for oppfølging av uønskede hendelser",
        "Avvikssystem for oppfølging av uønskte hendingar",
        "Deviation system for following up unwanted events",
    ),
    (
        "6.2 a)",
        "Helseforetaket: elektroniske meldinger",
        "Helseføretaket: elektroniske meldingar",
        "The hospital trust: electronic messages",
    ),
    (
        "6.2 b)",
        "Helseforetaket: epikriser, brev og notat",
        "Helseføretaket: epikriser, brev og notat",
        "The hospital trust: discharge summaries, letters and notes",
    ),
    ("6.2 c)", "Helseforetaket: rekvisisjoner", "Helseføretaket: rekvisisjonar", "The hospital trust: requisitions"),
    ("6.2 d)", "Helseforetaket: røntgensvar", "Helseføretaket: røntgensvar", "The hospital trust: radiology results"),
    (
        "6.2 e)",
        "Helseforetaket: laboratoriesvar",
        "Helseføretaket: laboratoriesvar",
        "The hospital trust: laboratory results",
    ),
    (
        "6.3 a)",
        "Kommunen: elektroniske meldinger",
        "Kommunen: elektroniske meldingar",
        "The municipality: electronic messages",
    ),
    (
        "6.3 b)",
        "Kommunen: henvisninger med vedlegg",
        "Kommunen: tilvisingar med vedlegg",
        "The municipality: referrals with attachments",
    ),
    ("6.3 c)", "Kommunen: rekvisisjoner", "Kommunen: rekvisisjonar", "The municipality: requisitions"),
    (
        "6.3 d)",
        "Kommunen: generelle forespørsler",
        "Kommunen: generelle førespurnader",
        "The municipality: general enquiries",
    ),
]


@transaction.atomic
def catalogue_defaults_create(*, partnership: Partnership) -> None:
    """Give a partnership the default categories and the guideline's clauses it lacks, named in
    bokmål, nynorsk and English."""
    for position, (name, name_nn, name_en, concerns_message) in enumerate(DEFAULT_CATEGORIES):
        Category.objects.get_or_create(
            partnership=partnership,
            name=name,
            defaults={
                "name_nn": name_nn,
                "name_en": name_en,
                "concerns_message": concerns_message,
                "position": position,
            },
        )
    for position, (code, title, title_nn, title_en) in enumerate(GUIDELINE_CLAUSES):
        AgreementClause.objects.get_or_create(
            partnership=partnership,
            document=GUIDELINE,
            code=code,
            defaults={"title": title, "title_nn": title_nn, "title_en": title_en, "position": position},
        )
