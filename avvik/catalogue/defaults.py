"""Default categories and the clause catalogue of "Retningslinje 4 Digital samhandling".

Categories and clauses are data per partnership; these are what a new partnership starts with."""

from django.db import transaction

from avvik.catalogue.models import AgreementClause, Category
from avvik.tenancy.models import Partnership

# (name, concerns an electronic message)
DEFAULT_CATEGORIES = [
    ("Elektroniske meldinger", True),
    ("Epikriser, brev og notat", True),
    ("Rekvisisjoner", True),
    ("Røntgensvar", True),
    ("Laboratoriesvar", True),
    ("Henvisninger med vedlegg", True),
    ("Generelle forespørsler", True),
    ("Adressering av meldinger", True),
    ("Meldingstjener og Norsk Helsenett", True),
    ("Legemiddelinformasjon", False),
    ("Innleggelse og utskrivning", False),
    ("Annet", False),
]


GUIDELINE = "Retningslinje 4"


# The numbered points of the guideline (sections 3 and 6) that a deviation can break.
GUIDELINE_CLAUSES = [
    ("3 a)", "Elektronisk kommunikasjon og interaktive løsninger"),
    ("3 b)", "Organisatorisk tilrettelegging og kompetanseutvikling"),
    ("3 c)", "Telestudio og interaktive løsninger for veiledning og konsultasjoner"),
    ("3 d)", "Elektronisk informasjonsutveksling basert på standarder og Norsk Helsenett"),
    ("3 e)", "Elektronisk melding og håndtering av avvik"),
    ("3 f)", "Drift, overvåking og oppgradering; responstid for feilretting"),
    ("6.1.1 a)", "Akseptert responstid på meldinger og feilretting"),
    ("6.1.1 b)", "Felles kontaktpunkt for avvikshåndtering"),
    ("6.1.1 c)", "Driftsavtaler"),
    ("6.1.1 d)", "Felles opplæringsprogram ved felles funksjonalitet"),
    ("6.1.1 e)", "Felles plattform for interaktiv samhandling"),
    ("6.1.1 f)", "Videreutvikling av elektronisk velferdsteknologi"),
    ("6.1.1 g)", "Felles meldingstjener lagt til Norsk Helsenett"),
    ("6.1.2 a)", "Korrekt adressering av meldinger"),
    ("6.1.2 b)", "Kommunikasjon mellom partene gjennom Norsk Helsenett"),
    ("6.1.2 c)", "Verifikasjon og godkjenningsrutiner i meldingstjener"),
    ("6.1.2 d)", "Overvåking av meldingstrafikk med definert oppfølgingsansvar"),
    ("6.1.2 e)", "Avvikssystem for oppfølging av uønskede hendelser"),
    ("6.2 a)", "Helseforetaket: elektroniske meldinger"),
    ("6.2 b)", "Helseforetaket: epikriser, brev og notat"),
    ("6.2 c)", "Helseforetaket: rekvisisjoner"),
    ("6.2 d)", "Helseforetaket: røntgensvar"),
    ("6.2 e)", "Helseforetaket: laboratoriesvar"),
    ("6.3 a)", "Kommunen: elektroniske meldinger"),
    ("6.3 b)", "Kommunen: henvisninger med vedlegg"),
    ("6.3 c)", "Kommunen: rekvisisjoner"),
    ("6.3 d)", "Kommunen: generelle forespørsler"),
]


@transaction.atomic
def catalogue_defaults_create(*, partnership: Partnership) -> None:
    """Give a partnership the default categories and the guideline's clauses it lacks."""
    for position, (name, concerns_message) in enumerate(DEFAULT_CATEGORIES):
        Category.objects.get_or_create(
            partnership=partnership,
            name=name,
            defaults={"concerns_message": concerns_message, "position": position},
        )
    for position, (code, title) in enumerate(GUIDELINE_CLAUSES):
        AgreementClause.objects.get_or_create(
            partnership=partnership,
            document=GUIDELINE,
            code=code,
            defaults={"title": title, "position": position},
        )
