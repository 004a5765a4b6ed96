"""The demo's deviations as they happen between a hospital trust and a municipality: who reports, which
way the message went, what it cost and could have cost, and what the responsible party found and did.

Only hospital trust ↔ municipality: the guideline binds those two, never two municipalities."""

from dataclasses import dataclass

from avvik.cases.choices import AppRec, Channel, MessageType
from avvik.catalogue.choices import Consequence
from avvik.tenancy.choices import OrganisationKind

HOSPITAL = OrganisationKind.HOSPITAL_TRUST
MUNICIPALITY = OrganisationKind.MUNICIPALITY


@dataclass(frozen=True)
class Scenario:
    category: str
    clause: str
    reported_by: str  # the kind of organisation that notices and reports it
    sender: str  # the kind of organisation that sent (or should have sent) the message; "" for none
    message_type: str
    apprec: str
    consequence: str
    potential_consequence: str
    title: str
    description: str
    immediate_action: str
    suggested_measure: str
    cause: str
    measures: str
    # Units by name: the sending and the receiving unit, when one is typical.
    sender_unit: str = ""
    receiver_unit: str = ""
    apprec_error_code: str = ""
    channel: str = ""


SCENARIOS = [
    Scenario(
        category="Epikriser, brev og notat",
        clause="6.2 b)",
        reported_by=MUNICIPALITY,
        sender=HOSPITAL,
        message_type=MessageType.DISCHARGE_SUMMARY,
        apprec=AppRec.MISSING,
        consequence=Consequence.MINOR,
        potential_consequence=Consequence.SIGNIFICANT,
        title="Epikrise ikke mottatt ved utskrivning",
        description="Pasienten kom hjem fra sykehuset fredag. Epikrisen var ikke kommet fram til hjemmetjenesten "
        "mandag, og vi manglet oppdatert legemiddelliste.",
        immediate_action="Ringte sengeposten og fikk legemiddellisten lest opp.",
        suggested_measure="Sjekke at epikrisen sendes samme dag som pasienten skrives ut.",
        cause="Epikrisen ble liggende usignert over helgen fordi legen som skrev den, gikk av vakt.",
        measures="Usignerte epikriser på utskrevne pasienter vises nå på tavlen til vakthavende lege.",
    ),
    Scenario(
        category="Adressering av meldinger",
        clause="6.1.2 a)",
        reported_by=MUNICIPALITY,
        sender=HOSPITAL,
        message_type=MessageType.PLO_DISCHARGE,
        apprec=AppRec.RECEIVED,
        consequence=Consequence.MODERATE,
        potential_consequence=Consequence.SIGNIFICANT,
        title="Utskrivningsrapport sendt til feil sone",
        description="PLO-utskrivningsrapporten ble adressert til en annen sone i hjemmetjenesten enn den pasienten "
        "tilhører. Meldingen ble først oppdaget to dager senere, og første insulinbesøk ble forsinket.",
        immediate_action="Meldingen ble videresendt internt, og pasienten fikk besøk samme kveld.",
        suggested_measure="Oppdatere adresselisten (HER-id) for sonene i sykehusets journalsystem.",
        cause="Sykehusets adresseliste hadde fortsatt sonen som ble slått sammen med sone nord i fjor.",
        measures="Adresselisten er rettet, og sykehuset henter HER-id fra Adresseregisteret hvert kvartal.",
        sender_unit="Medisinsk avdeling",
    ),
    Scenario(
        category="Laboratoriesvar",
        clause="6.2 e)",
        reported_by=MUNICIPALITY,
        sender=HOSPITAL,
        message_type=MessageType.LAB_RESULT,
        apprec=AppRec.MISSING,
        consequence=Consequence.MINOR,
        potential_consequence=Consequence.VERY_SERIOUS,
        title="INR-svar kom aldri fram til legevakten",
        description="Prøvesvar for INR rekvirert fra legevakten ble ikke mottatt elektronisk. Svaret måtte hentes "
        "per telefon neste morgen, etter at pasienten hadde tatt kveldsdosen.",
        immediate_action="Svar hentet per telefon, dosering justert.",
        suggested_measure="Undersøke hvorfor svaret stoppet i meldingstjeneren.",
        cause="Laboratoriesystemet sendte svaret til legevaktens gamle HER-id etter flyttingen i vår.",
        measures="Legevaktens nye HER-id er lagt inn i laboratoriesystemet, og svar uten kvittering varsles.",
        sender_unit="Avdeling for laboratoriemedisin",
        receiver_unit="Bergvik legevakt",
    ),
    Scenario(
        category="Røntgensvar",
        clause="6.2 d)",
        reported_by=MUNICIPALITY,
        sender=HOSPITAL,
        message_type=MessageType.RADIOLOGY_RESULT,
        apprec=AppRec.NEGATIVE,
        apprec_error_code="E35",
        consequence=Consequence.NONE,
        potential_consequence=Consequence.MODERATE,
        title="Negativ kvittering på røntgensvar ble ikke fulgt opp",
        description="Røntgensvaret ble sendt, men legekontorets system returnerte negativ applikasjonskvittering "
        "(pasienten ukjent). Ingen på sykehuset fulgte opp kvitteringen, og legen etterlyste svaret etter en uke.",
        immediate_action="Svaret ble sendt på nytt etter at pasienten var registrert.",
        suggested_measure="Rutine for å følge opp negative kvitteringer innen én virkedag.",
        cause="Negative kvitteringer havnet i en felles innboks som ingen hadde ansvar for å lese.",
        measures="Merkantil tjeneste i radiologisk avdeling kontrollerer negative kvitteringer hver morgen.",
        sender_unit="Radiologisk avdeling",
        receiver_unit="Fjordnes legekontor",
    ),
    Scenario(
        category="Henvisninger med vedlegg",
        clause="6.3 b)",
        reported_by=HOSPITAL,
        sender=MUNICIPALITY,
        message_type=MessageType.REFERRAL,
        apprec=AppRec.RECEIVED,
        consequence=Consequence.NONE,
        potential_consequence=Consequence.MINOR,
        title="Henvisning mottatt uten vedlegg",
        description="Henvisningen til poliklinikken manglet EKG-et som det ble vist til i teksten. Vurderingen av "
        "henvisningen ble utsatt til vedlegget kom.",
        immediate_action="Legekontoret sendte vedlegget på nytt.",
        suggested_measure="Kontrollere at vedlegg følger med før sending.",
        cause="Journalsystemet på legekontoret tar ikke med vedlegg som er lagt til etter at henvisningen er signert.",
        measures="Legene er informert, og leverandøren har fått feilen meldt med ønske om varsel når et vedlegg "
        "mangler.",
        receiver_unit="Medisinsk avdeling",
    ),
    Scenario(
        category="Elektroniske meldinger",
        clause="6.1.1 a)",
        reported_by=HOSPITAL,
        sender=MUNICIPALITY,
        message_type=MessageType.PLO_HEALTH_INFO,
        apprec=AppRec.RECEIVED,
        consequence=Consequence.MINOR,
        potential_consequence=Consequence.MODERATE,
        title="Svar på forespørsel om helseopplysninger kom etter fem dager",
        description="Sykehuset ba om helseopplysninger ved innleggelse, men svaret kom først fem dager senere, "
        "lenger enn avtalt responstid.",
        immediate_action="Opplysningene ble innhentet fra pårørende.",
        suggested_measure="Avklare hvem som overvåker innboksen i helgene.",
        cause="Innboksen for PLO-meldinger ble ikke lest i helgen fordi helgevakten manglet tilgang.",
        measures="Helgevakten i hjemmetjenesten har fått tilgang, og innboksen står på sjekklisten for vakten.",
        receiver_unit="Akuttmottak",
    ),
    Scenario(
        category="Meldingstjener og Norsk Helsenett",
        clause="6.1.1 g)",
        reported_by=MUNICIPALITY,
        sender=HOSPITAL,
        message_type=MessageType.DIALOGUE,
        apprec=AppRec.MISSING,
        consequence=Consequence.MINOR,
        potential_consequence=Consequence.MODERATE,
        title="Dialogmeldinger stoppet i meldingstjeneren",
        description="Flere dialogmeldinger fra sykehuset ble liggende i meldingstjeneren et døgn etter en "
        "oppgradering.",
        immediate_action="Driftsleverandøren ble varslet, og køen ble tømt.",
        suggested_measure="Varsling ved kø i meldingstjeneren.",
        cause="Et utløpt sertifikat etter oppgraderingen stoppet utsendingen uten at noen fikk varsel.",
        measures="Sertifikatet er fornyet, og driftsleverandøren varsler nå ved kø eldre enn to timer.",
    ),
    Scenario(
        category="Rekvisisjoner",
        clause="6.3 c)",
        reported_by=HOSPITAL,
        sender=MUNICIPALITY,
        message_type=MessageType.LAB_REQUISITION,
        apprec=AppRec.NEGATIVE,
        apprec_error_code="T02",
        consequence=Consequence.MINOR,
        potential_consequence=Consequence.MODERATE,
        title="Rekvisisjon fra sykehjemmet avvist av laboratoriesystemet",
        description="Den elektroniske rekvisisjonen fra sykehjemmet ble avvist fordi analysekoden var ukjent. "
        "Prøven ble tatt, men ikke analysert før ny rekvisisjon kom.",
        immediate_action="Ny rekvisisjon ble sendt på papir.",
        suggested_measure="Oppdatere analysekatalogen i kommunens journalsystem.",
        cause="Kommunens journalsystem brukte en analysekode laboratoriet faset ut i januar.",
        measures="Analysekatalogen i kommunens journalsystem er oppdatert fra laboratoriets liste.",
        sender_unit="Bergvik sykehjem",
        receiver_unit="Avdeling for laboratoriemedisin",
    ),
    Scenario(
        category="Generelle forespørsler",
        clause="6.3 d)",
        reported_by=HOSPITAL,
        sender=MUNICIPALITY,
        message_type=MessageType.REQUEST_ANSWER,
        apprec=AppRec.MISSING,
        consequence=Consequence.MINOR,
        potential_consequence=Consequence.MODERATE,
        title="Forespørsel om tjenestetilbud ikke besvart",
        description="Sykehuset spurte kommunen om tjenestetilbudet før en planlagt utskrivning, men fikk ikke svar. "
        "Utskrivningen ble utsatt ett døgn.",
        immediate_action="Sengeposten ringte tildelingskontoret.",
        suggested_measure="Felles rutine for svarfrist på forespørsler.",
        cause="Forespørselen kom til en saksbehandler som hadde sluttet; meldingen ble ikke fordelt videre.",
        measures="Forespørsler går nå til tildelingskontorets felles innboks, ikke til enkeltpersoner.",
    ),
    Scenario(
        category="Personopplysninger sendt til feil mottaker",
        clause="6.1.2 a)",
        reported_by=MUNICIPALITY,
        sender=HOSPITAL,
        message_type=MessageType.DISCHARGE_SUMMARY,
        apprec=AppRec.RECEIVED,
        consequence=Consequence.NONE,
        potential_consequence=Consequence.MODERATE,
        title="Epikrise om en annen kommunes pasient mottatt",
        description="Hjemmetjenesten mottok en epikrise om en pasient som ikke bor i kommunen. Meldingen "
        "inneholdt diagnoser og legemiddelliste.",
        immediate_action="Meldingen ble ikke lest videre, og sykehuset ble varslet samme dag.",
        suggested_measure="Kontrollere mottakeren når pasienten har flyttet.",
        cause="Pasientens gamle bostedskommune lå igjen i sykehusets journal etter flytting.",
        measures="Bosted kontrolleres mot Folkeregisteret ved innskriving; hendelsen er meldt som brudd på "
        "personopplysningssikkerheten.",
        sender_unit="Kirurgisk avdeling",
    ),
    Scenario(
        category="Feil pasient i meldingen",
        clause="6.1.2 c)",
        reported_by=HOSPITAL,
        sender=MUNICIPALITY,
        message_type=MessageType.PLO_ADMISSION,
        apprec=AppRec.RECEIVED,
        consequence=Consequence.MODERATE,
        potential_consequence=Consequence.VERY_SERIOUS,
        title="Innleggelsesrapport om feil pasient",
        description="Innleggelsesrapporten fra sykehjemmet gjaldt en annen beboer med samme etternavn. "
        "Legemiddellisten i rapporten passet ikke med pasienten som kom inn.",
        immediate_action="Akuttmottaket ringte sykehjemmet og fikk riktig legemiddelliste.",
        suggested_measure="Dobbeltkontroll av pasient før innleggelsesrapport sendes.",
        cause="Feil beboer ble valgt i journalsystemet fra en liste sortert på etternavn.",
        measures="Sykehjemmet kontrollerer fødselsdato før sending, og listen viser nå fødselsdato ved navnet.",
        sender_unit="Bergvik sykehjem",
        receiver_unit="Akuttmottak",
    ),
    Scenario(
        category="Papir, faks eller e-post i stedet for elektronisk melding",
        clause="6.1.2 b)",
        reported_by=MUNICIPALITY,
        sender=HOSPITAL,
        message_type=MessageType.PLO_HEALTH_INFO,
        apprec="",
        channel=Channel.FAX,
        consequence=Consequence.NONE,
        potential_consequence=Consequence.MINOR,
        title="Helseopplysninger sendt på faks",
        description="Sykehuset sendte helseopplysninger om en pasient på faks til omsorgssenteret i stedet for "
        "som PLO-melding. Faksen lå i maskinen over natten.",
        immediate_action="Faksen ble lagt i pasientens mappe og registrert i journalen.",
        suggested_measure="Bruke elektronisk melding, også på kveld og natt.",
        cause="Nyansatt på nattevakt kjente ikke til at PLO-meldinger kan sendes fra avdelingen.",
        measures="Opplæring i PLO-meldinger er lagt inn i introduksjonen for nyansatte.",
        sender_unit="Medisinsk avdeling",
        receiver_unit="Fjordnes omsorgssenter",
    ),
    Scenario(
        category="Nedetid (planlagt eller uplanlagt)",
        clause="6.1.1 c)",
        reported_by=MUNICIPALITY,
        sender="",
        message_type="",
        apprec="",
        consequence=Consequence.MINOR,
        potential_consequence=Consequence.SIGNIFICANT,
        title="Planlagt nedetid ikke varslet",
        description="Sykehusets meldingssystem var nede i fire timer en tirsdag formiddag. Kommunen ble ikke varslet "
        "og visste ikke at meldinger ikke kom fram.",
        immediate_action="Legevakten ringte sykehuset om pasienter som var sendt inn.",
        suggested_measure="Varsle samarbeidspartene om planlagt nedetid minst en uke før.",
        cause="Varselet om nedetid ble bare sendt internt i helseforetaket.",
        measures="Kommunenes kontaktpersoner er lagt inn i varslingslisten for planlagt nedetid.",
    ),
    Scenario(
        category="Epikriser, brev og notat",
        clause="6.2 b)",
        reported_by=MUNICIPALITY,
        sender=HOSPITAL,
        message_type=MessageType.DISCHARGE_SUMMARY,
        apprec=AppRec.RECEIVED,
        consequence=Consequence.SIGNIFICANT,
        potential_consequence=Consequence.VERY_SERIOUS,
        title="Ulik legemiddelliste i epikrise og utskrivningsrapport",
        description="Legemiddellisten i epikrisen stemte ikke med den i PLO-utskrivningsrapporten. Pasienten fikk "
        "blodfortynnende fra begge listene i to dager og fikk en blødning.",
        immediate_action="Fastlegen ble kontaktet og én av medisinene seponert.",
        suggested_measure="Én kilde for legemiddellisten ved utskrivning.",
        cause="Utskrivningsrapporten ble skrevet før legen endret medisineringen ved visitt.",
        measures="Utskrivningsrapporten sendes nå etter at epikrisen er signert, med listen hentet fra den.",
        sender_unit="Medisinsk avdeling",
        receiver_unit="Hjemmetjenesten sone nord",
    ),
    Scenario(
        category="Elektroniske meldinger",
        clause="6.2 a)",
        reported_by=MUNICIPALITY,
        sender=HOSPITAL,
        message_type=MessageType.LOGISTICS_READY,
        apprec=AppRec.MISSING,
        consequence=Consequence.MINOR,
        potential_consequence=Consequence.MODERATE,
        title="Melding om utskrivningsklar pasient kom ikke",
        description="Kommunen fikk ikke melding om utskrivningsklar pasient, og pasienten ble sendt hjem uten at "
        "hjemmetjenesten var varslet.",
        immediate_action="Hjemmetjenesten la inn et ekstra besøk samme kveld.",
        suggested_measure="Ikke skrive ut til kommunal tjeneste før meldingen er kvittert.",
        cause="Meldingen ble opprettet, men aldri sendt fordi avdelingen valgte «lagre» i stedet for «send».",
        measures="Journalsystemet varsler nå om meldinger som er lagret, men ikke sendt.",
        sender_unit="Kirurgisk avdeling",
    ),
]
