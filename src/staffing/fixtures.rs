//! Texts the unit tests of several modules share.

pub(super) const SEED_ITEM: &str = "I :doc:`../plans/production` har jeg skrevet at vi trenger 4 personer frem \
til nyttår for å komme i produksjon. Vi er nå prosjektleder (100% delt), \
UiB (1 person 100%) og UiO (1 person 60% og en person 40%). Det ser ikke ut \
til å berøre datoene i leveransen, men vil kunne påvirke innholdet dersom vi \
støter på større utfordringer.";

pub(super) const SEED_API_ITEM: &str = "API-tilgang er ikke optimal slik den er satt opp nå, men det fungerer. Ser \
ingen enkel fiks som kan løse det før vi går i produksjon i november. \
Det blir da viktig å gjøre brukerne kjent med hvilke utfordringer som gjelder.";

/// (text, about staff?)
pub(super) const CASES: &[(&str, bool)] = &[
    // The brief's examples and the seed's Utfordringer.
    (
        "Hovedgrunnen er mangel på dedikert personer i prosjekt",
        true,
    ),
    ("vi trenger 4 personer frem til nyttår", true),
    (
        "Pga ferie og konferanser blir det begrenset bemanning i mai",
        true,
    ),
    (SEED_ITEM, true),
    ("Vi begynner å gå tom for compute ressurser", false),
    (
        "Mangel på SSD gjør at diskene ikke kommer før i juni",
        false,
    ),
    (
        "Mangel på SSD gjør at diskene til ceph ikke kommer før i juni",
        false,
    ),
    (
        "Det blir da viktig å gjøre brukerne kjent med hvilke utfordringer som gjelder",
        false,
    ),
    (
        "Vi skal hjelpe en liten gruppe personer med å komme i gang",
        false,
    ),
    (SEED_API_ITEM, false),
    // Norwegian, about staff.
    ("Vi vil trenge 4 årsverk ut året", true),
    ("Kari er sykemeldt ut oktober", true),
    ("To av utviklerne har permisjon i desember", true),
    ("En av utviklerne slutter i januar", true),
    ("Vi mangler folk til å drifte serverne", true),
    ("Vi har for få ansatte til å dekke vaktordningen", true),
    ("Prosjektet er underbemannet i høst", true),
    ("Stillingen som prosjektleder er fortsatt ledig", true),
    ("Vi trenger en person i 50 % stilling til drift", true),
    ("Behov for 2 årsverk til i 2017", true),
    ("Per er i foreldrepermisjon fra mars", true),
    (
        "Mangel på utviklere gjør at DNS for instanser blir forsinket",
        true,
    ),
    ("Vi trenger flere folk som kan Puppet", true),
    // English, about staff.
    (
        "We need two more engineers to meet the November deadline",
        true,
    ),
    ("Two engineers are on leave in December", true),
    ("The team is understaffed until the new hire starts", true),
    ("We are short of developers for the upgrade", true),
    ("Our only sysadmin resigned last week", true),
    ("Limited staff during the summer holidays", true),
    ("Headcount is not enough to run both sites", true),
    ("We lack people with Ceph experience", true),
    ("Sick leave in the ops team means fewer hands on call", true),
    // Norwegian, not about staff.
    (
        "Kapasiteten i osl er snart brukt opp: 90 % av diskene er fulle.",
        false,
    ),
    (
        "Leveransen av SSD fra leverandør er forsinket til uke 44.",
        false,
    ),
    ("Vi trenger flere servere for å hjelpe 30 personer", false),
    ("Personvern er en utfordring for prosjektet", false),
    ("Oppgraderingen er 80% ferdig", false),
    (
        "test02 ved USIT er satt opp, men mangler forsatt public nett",
        false,
    ),
    ("Supporten for mitaka slutter i oktober", false),
    ("Vi mangler lisenser for 20 brukere", false),
    ("Det mangler minne og CPU på compute-nodene", false),
    ("Folk fra UiB deltar på workshop i uke 40", false),
    ("Vi trenger mer tid til testing før produksjon", false),
    ("Vi trenger 4 nye servere til bgo", false),
    ("Mange brukere trenger hjelp med å komme i gang", false),
    // English, not about staff.
    ("The storage cluster is short of capacity", false),
    ("We need more hardware before the launch", false),
    ("Users need better documentation for the API", false),
    ("Customers report that the dashboard is slow", false),
    ("Some people reported slow instances", false),
    ("We are running out of disk space on the Ceph nodes", false),
    ("The developers finished the DNS service", false),
    ("We need 3 more nodes for the compute cluster", false),
];
