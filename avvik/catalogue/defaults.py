"""Default categories and the clause catalogue of "Retningslinje 4 Digital samhandling".

Categories and clauses are data per partnership; these are what a new partnership starts with."""

from django.db import transaction

from avvik.catalogue.choices import ResponsibleKind
from avvik.catalogue.models import AgreementClause, Category
from avvik.tenancy.models import Partnership

# (name in bokmål, nynorsk, English; concerns an electronic message; the guideline point it usually breaks)
DEFAULT_CATEGORIES = [
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
    (
        "Meldingstjener og Norsk Helsenett",
        "Meldingstenar og Norsk Helsenett",
        "Message server and Norsk Helsenett",
        True,
        "6.1.1 g)",
    ),
    (
        "Nedetid (planlagt eller uplanlagt)",
        "Nedetid (planlagd eller uplanlagd)",
        "Downtime (planned or unplanned)",
        False,
        "6.1.1 c)",
    ),
    ("Annet", "Anna", "Other", False, ""),
]


# Earlier defaults without a point of their own in the guideline: medication lists travel in the
# discharge summary (6.2 b) or the PLO messages, admission and discharge in the PLO and logistics messages
# of both parties. Retired (inactive, never deleted: cases keep them).
RETIRED_CATEGORIES = [
    ("Legemiddelinformasjon", "Legemiddelinformasjon", "Medication information"),
    ("Innleggelse og utskrivning", "Innlegging og utskriving", "Admission and discharge"),
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


def responsible_kind_of(code: str) -> str:
    """Whose duty a point of the guideline is: 6.2 the hospital trust's, 6.3 the municipality's, the rest
    (the purposes in 3 and the shared routines in 6.1) both parties'."""
    if code.startswith("6.2 "):
        return ResponsibleKind.HOSPITAL_TRUST
    if code.startswith("6.3 "):
        return ResponsibleKind.MUNICIPALITY
    return ResponsibleKind.EITHER


@transaction.atomic
def catalogue_defaults_create(*, partnership: Partnership) -> None:
    """Give a partnership the guideline's clauses and the default categories it lacks, named in bokmål,
    nynorsk and English, each category pointing to its clause."""
    clauses = {}
    for position, (code, title, title_nn, title_en) in enumerate(GUIDELINE_CLAUSES):
        clauses[code], _created = AgreementClause.objects.get_or_create(
            partnership=partnership,
            document=GUIDELINE,
            code=code,
            defaults={
                "title": title,
                "title_nn": title_nn,
                "title_en": title_en,
                "position": position,
                "responsible_kind": responsible_kind_of(code),
            },
        )
    for position, (name, name_nn, name_en, concerns_message, clause) in enumerate(DEFAULT_CATEGORIES):
        Category.objects.get_or_create(
            partnership=partnership,
            name=name,
            defaults={
                "name_nn": name_nn,
                "name_en": name_en,
                "concerns_message": concerns_message,
                "position": position,
                "clause": clauses.get(clause),
            },
        )
