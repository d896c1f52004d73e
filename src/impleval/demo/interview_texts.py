"""Sentence templates for the synthetic interviews (bokmål), keyed by theme id.

Invented, short and free of identifiers (no names, numbers that look like phone or id numbers,
e-mail addresses): the de-identification gate must pass them. A segment is an opener + a sentence.
"""

OPENERS = [
    "",
    "Jeg opplever at ",
    "Hos oss er det slik at ",
    "Ærlig talt tror jeg ",
    "Det jeg ser, er at ",
    "Slik jeg ser det, ",
    "Vi merker at ",
]

SENTENCES: dict[str, list[str]] = {
    "dialogue_procurement": [
        "dialogmøtene med leverandørene ga oss et mye bedre grunnlag for å skrive "
        "kravspesifikasjonen.",
        "den dialogbaserte anskaffelsen tok lang tid, men vi lærte mye om hva produktene faktisk "
        "kan.",
        "vi måtte forklare leverandørene hvordan arbeidsflyten i bildediagnostikken fungerer.",
    ],
    "local_validation": [
        "vi validerte løsningen på våre egne bilder før vi turte å ta den i bruk.",
        "CE-merkingen sier ingenting om hvor godt verktøyet treffer hos oss, så vi måtte teste "
        "selv.",
        "valideringen på Bærum viste at resultatene holdt mål på vår pasientgruppe.",
    ],
    "dpia_ros": [
        "arbeidet med personvernkonsekvensvurderingen tok mer tid enn vi hadde planlagt.",
        "ROS-analysen tvang oss til å tenke gjennom hva som skjer hvis systemet faller ut.",
        "hvert helseforetak må gjøre sin egen DPIA og ROS, selv om produktet er det samme.",
    ],
    "task_shifting": [
        "radiografene kan nå sende pasienten hjem når KI ikke finner brudd, og det er en stor "
        "endring.",
        "oppgaver har flyttet seg fra radiolog til radiograf uten at det har gått ut over "
        "kvaliteten.",
        "radiografene har fått et større ansvar i vurderingen av bildene.",
    ],
    "organisational_change": [
        "innføringen har endret hvordan avdelingene samarbeider rundt bruddpasientene.",
        "vi har måttet endre rutiner både i akuttmottaket og på røntgen.",
        "det er ikke bare et nytt verktøy, det er en ny måte å organisere arbeidet på.",
    ],
    "training": [
        "opplæringen var kort, men vi fikk god oppfølging de første ukene.",
        "nye medarbeidere må læres opp i hvordan svaret fra KI skal tolkes.",
        "vi laget egne opplæringsvideoer for radiografene.",
    ],
    "digital_maturity": [
        "hvor godt dette fungerer, henger tett sammen med den digitale modenheten i avdelingen.",
        "integrasjonen med PACS og RIS var krevende fordi systemene våre er gamle.",
        "vi hadde ikke de dataene vi trengte for å sammenligne før og etter.",
    ],
    "waiting_time": [
        "pasientene venter mye kortere på svar enn før.",
        "svaret fra KI kommer i løpet av et par minutter, og det merkes på ventetiden.",
        "mange slipper å sitte i timevis i akuttmottaket for å få vite at det ikke er brudd.",
    ],
    "time_for_sickest": [
        "vi får mer tid til de sykeste pasientene når de enkle sakene går raskere.",
        "legene kan bruke tiden sin på pasientene som virkelig trenger det.",
        "det frigjør kapasitet til de alvorlige skadene.",
    ],
    "benefits_realisation": [
        "gevinstene kommer ikke av seg selv, de må tas ut aktivt.",
        "vi har en plan for gevinstrealisering, men det er vanskelig å måle alt.",
        "noen gevinster var lavthengende frukter, andre tar lengre tid.",
    ],
    "monitoring": [
        "vi må følge med på effektene over tid, ikke bare rett etter innføringen.",
        "det er uklart hvem som skal ha ansvaret for å følge opp algoritmen i drift.",
        "vi sammenligner nå med tallene fra før innføringen for å se om effekten holder seg.",
    ],
    "trust_in_ai": [
        "tilliten til KI har vokst etter hvert som vi har sett at den stort sett treffer.",
        "noen kolleger stoler ikke helt på svaret og ser alltid gjennom bildene selv.",
        "tillit handler om å vite når man ikke skal stole på verktøyet.",
    ],
    "false_positives": [
        "verktøyet markerer av og til brudd som ikke er der.",
        "de falske positive funnene skaper ekstra arbeid for dem som skal vurdere pasienten.",
        "vi har diskutert mye hvordan vi skal håndtere de falske alarmene.",
    ],
    "scaling": [
        "andre helseforetak i regionen har fått hjelp av oss til å komme i gang.",
        "det regionale KI-nettverket gjør det lettere å dele erfaringer.",
        "neste steg er å ta i bruk flere algoritmer på samme plattform.",
    ],
    "pat_faster_diagnosis": [
        "pasientene får diagnose og behandling raskere enn før.",
        "bruddet blir oppdaget tidligere, og behandlingen kan starte med en gang.",
    ],
    "pat_safety": [
        "pasientsikkerheten blir bedre når en radiolog i tillegg ser gjennom alle bildene dagen "
        "etter.",
        "dobbeltsjekken gjør at færre brudd blir oversett.",
    ],
    "pat_fewer_misdiagnoses": [
        "risikoen for feildiagnose blir mindre når KI fungerer som en ekstra leser.",
        "vi fanger opp små brudd som lett kunne blitt oversett.",
    ],
    "pat_experience": [
        "pasientene er fornøyde med at de får svar mens de fortsatt er på sykehuset.",
        "de fleste pasientene synes det er trygt at KI er med i vurderingen.",
    ],
    "ed_shorter_wait": [
        "akuttmottaket venter kortere på svar fra bildediagnostikken.",
        "ventetiden på røntgensvar har gått merkbart ned for akuttmottaket.",
    ],
    "ed_decision_support": [
        "legene i akuttmottaket får raskere beslutningsstøtte.",
        "svaret fra KI hjelper akuttmottaket å bestemme seg tidligere.",
    ],
    "ed_patient_flow": [
        "pasientflyten gjennom akuttmottaket går mer effektivt.",
        "vi får pasientene raskere videre eller hjem.",
    ],
    "ed_prioritisation": [
        "det blir lettere å prioritere de alvorlige skadene.",
        "vi kan sortere ut de alvorlige tilfellene tidligere.",
    ],
    "rad_diagnostic_support": [
        "radiologene får støtte i det diagnostiske arbeidet.",
        "KI fungerer som et ekstra sett øyne for radiologen.",
    ],
    "rad_time_saved": [
        "radiologene sparer tid på de enkle og negative undersøkelsene.",
        "de normale bildene går raskere å beskrive nå.",
    ],
    "rad_complex_cases": [
        "radiologene kan bruke mer tid på de komplekse sakene.",
        "det blir mer tid til de vanskelige undersøkelsene.",
    ],
    "rad_fewer_errors": [
        "færre feil skyldes tretthet og tidspress når KI ser med.",
        "på nattevakter er det godt å ha en ekstra kontroll.",
    ],
    "rgr_ownership": [
        "radiografene opplever mer eierskap til pasientforløpet.",
        "arbeidet har blitt mer interessant for radiografene.",
    ],
    "rgr_easy_to_use": [
        "verktøyet er enkelt å bruke og krever lite opplæring.",
        "det tok ikke lang tid før alle radiografene var komfortable med løsningen.",
    ],
    "rgr_learning": [
        "radiografene lærer mye av å sammenligne egen vurdering med svaret fra KI.",
        "vi bruker svarene til å skjerpe vårt eget blikk.",
    ],
    "rgr_less_chasing": [
        "radiografene slipper å jage radiologer for å få en rask vurdering.",
        "det blir mindre venting på at en radiolog skal ha tid.",
    ],
    "rgr_image_quality": [
        "kvalitetssikringen av bildene og valget av protokoll har blitt bedre.",
        "vi tar oftere nye bilder når kvaliteten ikke er god nok.",
    ],
    "ortho_junior_support": [
        "for leger i spesialisering er KI en god støtte.",
        "de yngste legene har særlig nytte av markeringene.",
    ],
    "ortho_false_positives": [
        "ortopedene må håndtere flere falske positive enn før.",
        "noen pasienter blir henvist videre for brudd som ikke finnes.",
    ],
}

# Generic talk for uncoded answer paragraphs, and the interviewer's questions.
FILLER = [
    "Det er et godt spørsmål, jeg må tenke litt på det.",
    "Jeg har jobbet her i noen år nå.",
    "Det varierer litt fra uke til uke.",
    "Vi hadde mange møter i den perioden.",
    "Det er vanskelig å si noe sikkert om det ennå.",
]

QUESTIONS = [
    "Intervjuer: Kan du fortelle om din rolle i prosjektet?",
    "Intervjuer: Hva har endret seg i hverdagen din?",
    "Intervjuer: Hvordan opplever du samarbeidet med de andre faggruppene?",
    "Intervjuer: Hva har vært mest krevende?",
    "Intervjuer: Hva tenker du om veien videre?",
]

GENERIC = ["dette er noe vi snakker mye om i avdelingen."]
