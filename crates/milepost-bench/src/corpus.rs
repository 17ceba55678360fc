//! A deterministic generator of weekly-report trees, for milepost's
//! benchmarks (`benches/check.rs`, `benches/hook.rs`, and through
//! [`crate::repo`] the git repositories of `benches/history.rs` and
//! `benches/goals.rs`).
//!
//! Everything is a pure function of a seed and a report number: the same
//! options always give byte-identical files, so a benchmark run measures the
//! checker and never a different corpus, and a failing test can name the
//! one report that broke it. The randomness comes from a small SplitMix64
//! generator written here, because the crate should not depend on `rand`
//! for a benchmark fixture.
//!
//! # Layout
//!
//! Reports are spread over teams so that their dates stay plausible: team
//! `t` holds [`WEEKS_PER_TEAM`] consecutive ISO weeks, the same for every
//! team, ending with the week of [`LAST_MONDAY`] (2026-W26). A corpus is
//! thus recent, as a real docs tree is, and none of it lies in the future
//! of a run without `--as-of`: every report counts for tracking and
//! milestones. The end is a fixed day, not today, so that the corpus is
//! the same on every day it is generated.
//!
//! ```text
//! docs/team-00/plans/production.rst          (and nettverk.rst, sikkerhet.rst)
//! docs/team-00/status/2020/2020_uke_53.rst
//! docs/team-00/status/2021/2021_uke_01.rst   (title `Uke 1`, dated 4.–17. jan 2021)
//! ```
//!
//! The folder and file name carry the ISO week-year (2021-01-01 belongs to
//! 2020-W53), the title the week, and the byline a date within the week or
//! up to seven days after its Sunday, as the `uke` schema allows.
//!
//! # Drift
//!
//! With [`CorpusOptions::drift`] above zero a deterministic share of the
//! reports carries exactly one realistic defect (see [`Drift`]), so that the
//! checker has something to report without the output dominating the cost.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate};

/// Weeks per team folder: about nine and a half years, so that 10,000
/// reports span 20 teams instead of running two centuries back.
pub const WEEKS_PER_TEAM: usize = 500;

/// The Monday of the week of every full team's last report: 2026-W26. A
/// fixed recent day, never today, so that the corpus is deterministic.
pub const LAST_MONDAY: (i32, u32, u32) = (2026, 6, 22);

/// The plan documents each team has, which reports link to with `:doc:`.
pub const PLAN_DOCS: &[&str] = &["production", "nettverk", "sikkerhet"];

/// How reports name the plans in a `:doc:` link with a title.
const PLAN_TITLES: [&str; 3] = ["produksjonsplanen", "nettverksplanen", "sikkerhetsplanen"];

/// What to generate.
#[derive(Clone, Debug, PartialEq)]
pub struct CorpusOptions {
    /// Number of weekly reports.
    pub reports: usize,
    /// Seed of the generator; the corpus is a pure function of it.
    pub seed: u64,
    /// Share of reports (0.0–1.0) that carry one deliberate defect.
    pub drift: f64,
}

impl Default for CorpusOptions {
    fn default() -> Self {
        CorpusOptions {
            reports: 1_000,
            seed: 0x6d69_6c65_706f_7374, // "milepost"
            drift: 0.05,
        }
    }
}

/// What [`generate`] wrote.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    /// The reports, in report-number order (absolute when `dir` is).
    pub files: Vec<PathBuf>,
    /// Total size of the reports in bytes (the plan documents not included,
    /// so that it is what a `cat` of `files` reads).
    pub bytes: u64,
    /// The plan documents the reports link to.
    pub plans: Vec<PathBuf>,
}

/// The one defect a drifted report carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Drift {
    /// A section title with a typo or case slip ("Fullfort").
    MisspeltSection,
    /// One of the five required sections is left out.
    MissingSection,
    /// The title names another week than the file name (a copied report).
    TitleWeek,
    /// An item mentions a day that does not exist ("31. feb 2016").
    BadDate,
    /// A `:doc:` link whose target does not exist.
    BrokenLink,
}

impl Drift {
    const ALL: [Drift; 5] = [
        Drift::MisspeltSection,
        Drift::MissingSection,
        Drift::TitleWeek,
        Drift::BadDate,
        Drift::BrokenLink,
    ];
}

/// Writes `options.reports` reports and the plan documents they link to
/// under `dir/docs/`, creating folders as needed.
pub fn generate(dir: &Path, options: &CorpusOptions) -> io::Result<Corpus> {
    let mut corpus = Corpus::default();
    let teams = options.reports.div_ceil(WEEKS_PER_TEAM);
    for team in 0..teams {
        write_plans(dir, team, &mut corpus)?;
    }
    let mut made: HashSet<PathBuf> = HashSet::new();
    for index in 0..options.reports {
        let (relative, text) = report_text(options, index);
        write_report(dir, &relative, &text, &mut made, &mut corpus)?;
    }
    Ok(corpus)
}

/// Writes one report of at least `min_bytes` (report number 0 of
/// `options`, with as many items as it takes) and its team's plan
/// documents: the input of the linear-time check.
pub fn generate_large(dir: &Path, options: &CorpusOptions, min_bytes: usize) -> io::Result<Corpus> {
    let mut corpus = Corpus::default();
    write_plans(dir, 0, &mut corpus)?;
    let (relative, text) = build(options, 0, min_bytes);
    write_report(dir, &relative, &text, &mut HashSet::new(), &mut corpus)?;
    Ok(corpus)
}

/// The text of report number `index`: its path relative to the corpus root
/// (with `/` separators) and its content. A pure function of `options.seed`,
/// `options.drift` and `index`; `options.reports` does not matter.
pub fn report_text(options: &CorpusOptions, index: usize) -> (String, String) {
    build(options, index, 0)
}

/// The defect report `index` carries, if any.
pub fn drift(options: &CorpusOptions, index: usize) -> Option<Drift> {
    // A stream of its own, so that the drift decision does not shift the
    // content of any report.
    let mut rng = Rng::new(mix(options.seed ^ 0xd1f7) ^ mix(index as u64));
    (rng.unit() < options.drift).then(|| *rng.pick(&Drift::ALL))
}

/// The ISO week-year and week of report `index`, and the Monday of that
/// week. Report `index` of a team is `WEEKS_PER_TEAM - 1 - index` weeks
/// before [`LAST_MONDAY`], so the series of a full team ends there and a
/// team's place in time does not depend on how many reports are asked
/// for ([`report_text`] is a function of the index alone).
pub fn report_week(index: usize) -> (i32, u32, NaiveDate) {
    let (year, month, day) = LAST_MONDAY;
    let last = NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN);
    let back = (WEEKS_PER_TEAM - 1 - index % WEEKS_PER_TEAM) as i64;
    let monday = last - Duration::weeks(back);
    let iso = monday.iso_week();
    (iso.year(), iso.week(), monday)
}

/// The plan documents of team `team`: each one's path relative to the
/// corpus root (with `/` separators) and its content.
pub fn plan_texts(team: usize) -> Vec<(String, String)> {
    PLAN_DOCS
        .iter()
        .map(|name| {
            let title = format!("Plan: {name}");
            let rule = "=".repeat(title.chars().count());
            (
                format!("docs/team-{team:02}/plans/{name}.rst"),
                format!(
                    "{rule}\n{title}\n{rule}\n\nDette dokumentet beskriver planen for {name} i team {team}.\n"
                ),
            )
        })
        .collect()
}

fn write_plans(dir: &Path, team: usize, corpus: &mut Corpus) -> io::Result<()> {
    fs::create_dir_all(dir.join(format!("docs/team-{team:02}/plans")))?;
    for (relative, text) in plan_texts(team) {
        let path = dir.join(relative);
        fs::write(&path, text)?;
        corpus.plans.push(path);
    }
    Ok(())
}

fn write_report(
    dir: &Path,
    relative: &str,
    text: &str,
    made: &mut HashSet<PathBuf>,
    corpus: &mut Corpus,
) -> io::Result<()> {
    let path = dir.join(relative);
    if let Some(parent) = path.parent()
        && !made.contains(parent)
    {
        fs::create_dir_all(parent)?;
        made.insert(parent.to_path_buf());
    }
    fs::write(&path, text)?;
    corpus.bytes += text.len() as u64;
    corpus.files.push(path);
    Ok(())
}

// ---------------------------------------------------------------------------
// The generator

/// SplitMix64's finaliser: a good 64-bit mixing function, used both to seed
/// per-report streams and as the generator's output step.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// SplitMix64: tiny, fast and good enough for picking words.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    /// Uniform in `0..n` (`n > 0`), by multiply-shift (no modulo bias worth
    /// the name at these sizes).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const MONTHS_FULL: [&str; 12] = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
];

const MONTHS_SHORT: [&str; 12] = [
    "jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des",
];

/// First names. None is also a month ("Jan"), so that no sentence ending
/// in a number followed by a name ("i uke 36. Jan Erik …") looks like a
/// date to the checker.
const FIRST_NAMES: &[&str] = &[
    "Raymond", "Kari", "Ola", "Ingrid", "Trond", "Mari", "Espen", "Silje", "Håvard", "Torunn",
    "Bjørn", "Astrid", "Jon Erik", "Solveig", "Øystein", "Lene",
];

const LAST_NAMES: &[&str] = &[
    "Kristiansen",
    "Nordmann",
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Berg",
    "Haugen",
    "Dahl",
    "Lie",
    "Sæther",
];

const ORGS: &[&str] = &[
    "UH IaaS", "USIT", "UiB", "UNINETT", "NTNU IT", "UiT", "Sigma2",
];

const SYSTEMS: &[&str] = &[
    "ceph",
    "keystone",
    "nova",
    "neutron",
    "horizon",
    "glance",
    "cinder",
    "designate",
    "rabbitmq",
    "galera-klyngen",
    "haproxy",
    "objektlageret",
    "backup-løsningen",
    "DNS-tjenesten",
];

const TOOLS: &[&str] = &[
    "Sensu",
    "Grafana",
    "Prometheus",
    "Kibana",
    "Icinga",
    "Graylog",
];

const HOSTS: &[&str] = &[
    "test01",
    "test02",
    "bgo",
    "osl",
    "trd",
    "prod-db02",
    "compute-14",
    "mgmt01",
    "ceph-osd07",
    "proxy03",
];

const RELEASES: &[&str] = &[
    "mitaka", "newton", "ocata", "pike", "queens", "rocky", "jewel", "luminous", "mimic",
];

const TASKS: &[&str] = &[
    "patching",
    "backup",
    "tilgangsstyring",
    "brukerstøtte",
    "kapasitetsplanlegging",
    "sertifikatfornyelse",
    "oppgraderinger",
    "hendelseshåndtering",
];

const SERVICES: &[&str] = &[
    "DNS for instanser",
    "selvbetjent prosjektopprettelse",
    "fakturering",
    "objektlagring",
    "lastbalansering som tjeneste",
];

const DELIVERABLES: &[&str] = &[
    "pilotfasen",
    "produksjonssettingen",
    "leveranse 2",
    "den nye regionen",
    "fase 1",
];

const EVENTS: &[&str] = &[
    "OpenStack Summit",
    "Ceph Day",
    "NORDUnet-konferansen",
    "UH-sky-seminaret",
];

const HARDWARE: &[&str] = &[
    "nye compute-noder",
    "SSD-diskene",
    "nettverksutstyret",
    "de nye lagringsnodene",
];

const LITERALS: &[&str] = &[
    "``ansible-playbook site.yml``",
    "``openstack server list``",
    "``ceph health detail``",
    "``/etc/keystone/keystone.conf``",
    "``nova-manage db sync``",
];

const URLS: &[&str] = &[
    "https://trello.com/b/loLFWWtV/iaas-release-plan",
    "https://www.openstack.org/summit/barcelona-2016",
    "https://github.com/norcams/himlar/pull/{n}",
    "https://git.uninett.no/iaas/ansible/merge_requests/{n}",
    "https://docs.openstack.org/{ver}/",
    "https://iaas.readthedocs.io/en/latest/",
];

/// The section titles of the `uke` schema, in its order.
const SECTIONS: [&str; 5] = [
    "Fullført",
    "Under arbeid",
    "Planlagt fremdrift",
    "Utfordringer",
    "Oppdatert status",
];

/// Near misses of each section title, for [`Drift::MisspeltSection`].
const MISSPELT: [&str; 5] = [
    "Fullfort",
    "Under Arbeid",
    "Planlagt fremdrit",
    "Utfordinger",
    "Oppdatert Status",
];

/// Sentence templates per section. `{slot}`s are filled by [`Report::fill`].
const TEMPLATES: [&[&str]; 5] = [
    // Fullført
    &[
        "Oppgradering av {sys} til {ver} i uke {weekp}.",
        "Oppgraderingen er utført med ansible og kunne testes i {host} og {host2} først.",
        "Tok ca {n} min i {host} og {host2}, og førte kun til små avbrudd i de forskjellige tjenestene under oppgraderingen.",
        "Alle kjørende instanser skal ha fungert som normalt under oppdateringen.",
        "Workshop ved {org} {range}.",
        "Søknaden om prosjektmidler fra {org} er sendt. Usikkert når den er ferdig behandlet.",
        "Det er satt opp en intern overvåkingstjeneste basert på {tool}.",
        "I første omgang skal det gi oss et dashboard med litt metrics om hva som skjer.",
        "Dokumentasjonen for {sys} er oppdatert, se {doc}.",
        "Migrering av {n} instanser fra {host} til {host2} er ferdig.",
        "{person} har skrevet en rutine for {task}, som ligger på {url}",
        "Feilen i {sys} som ga tidsavbrudd mot {host} er rettet; {lit} viser nå ingen feil.",
    ],
    // Under arbeid
    &[
        "{host} ved {org} er satt opp, men mangler fortsatt public nett.",
        "Har derfor litt begrenset nytteverdi.",
        "Det jobbes med å få på plass en tjeneste for {service}.",
        "Vi tester {sys} {ver} i {host}; foreløpig ser det lovende ut.",
        "Oppsettet krever nok litt hjelp av nettverk ved {org} for å bli fullført.",
        "Rutiner for {task} skrives nå, og skal være klare til {date}.",
        "{person} ser på ytelsen til {sys} etter at {n} nye noder kom i drift.",
        "Konfigurasjonen i {lit} gjennomgås sammen med {org}.",
        "Arbeidet følger {doc}, og vi ligger omtrent på plan.",
    ],
    // Planlagt fremdrift
    &[
        "Sette opp felles {sys} for to lokasjoner: {host} og {host2}.",
        "Dette vil gjøre det mulig å ha et felles dashboard med to regioner.",
        "Oppgradere {sys} til siste versjon i uke {weekf}.",
        "Det er også ønskelig at alle i prosjektet deltar på {event}: {url}",
        "Leveranse av {deliverable} er planlagt {date}, jf. {doc}.",
        "Gjennomgang av {task} med {org} i uke {weekf}.",
        "Ta i bruk {tool} for alarmer fra {sys} før {date}.",
    ],
    // Utfordringer
    &[
        "API-tilgang er ikke optimal slik den er satt opp nå, men det fungerer.",
        "Ser ingen enkel fiks som kan løse det før vi går i produksjon {date}.",
        "I {doc} har jeg skrevet at vi trenger {n} personer frem til nyttår for å komme i produksjon.",
        "Vi er nå prosjektleder ({pct} delt), {org} (1 person {pct}) og {org2} (1 person {pct}).",
        "Det ser ikke ut til å berøre datoene i leveransen, men vil kunne påvirke innholdet dersom vi støter på større utfordringer.",
        "Leveransen av {hw} fra leverandør er forsinket til uke {weekf}.",
        "Kapasiteten i {host} er snart brukt opp: {pct} av diskene er fulle.",
        "Det blir da viktig å gjøre brukerne kjent med hvilke utfordringer som gjelder.",
    ],
    // Oppdatert status
    &[
        "Arbeidet frem til leveranse {date} vil vi oppdatere fortløpende på Trello: {url}",
        "Kun større oppgaver, utfordringer og avvik vil bli oppdatert her.",
        "Status for {deliverable} er grønn; se {doc} for detaljer.",
        "Neste statusmøte med {org} er {date}.",
        "Vi holder fast ved planen for {deliverable} i {doc}.",
    ],
];

/// Impossible day-month pairs for [`Drift::BadDate`]. The year is written
/// out after them: the checker only holds a date in prose against the
/// calendar when its year is there, since "i uke 36. Jan Erik …" is a week
/// and a name, not the 36th of January.
const BAD_DATES: &[&str] = &[
    "31. feb",
    "30. februar",
    "31. april",
    "31. juni",
    "31. september",
    "31. november",
];

/// Marks a space inside a slot's value (`Uke 1` in a link title, `7. og 8.
/// september`) so that line wrapping keeps the value on one line.
const GLUE: char = '\u{1}';

/// Line width the items are wrapped to, as in the seed report.
const WIDTH: usize = 78;

/// One report being written.
struct Report {
    rng: Rng,
    year: i32,
    week: u32,
    monday: NaiveDate,
    /// The `:doc:` target of the previous week's report, when there is one.
    previous: Option<String>,
    /// The last `{host}` and `{org}` picked, which `{host2}` and `{org2}`
    /// avoid.
    host: usize,
    org: usize,
}

fn build(options: &CorpusOptions, index: usize, min_bytes: usize) -> (String, String) {
    let team = index / WEEKS_PER_TEAM;
    let (year, week, monday) = report_week(index);
    let previous = (!index.is_multiple_of(WEEKS_PER_TEAM)).then(|| {
        let (py, pw, _) = report_week(index - 1);
        if py == year {
            format!("{py}_uke_{pw:02}")
        } else {
            format!("../{py}/{py}_uke_{pw:02}")
        }
    });
    let mut report = Report {
        rng: Rng::new(mix(options.seed) ^ mix(index as u64 ^ 0x5eed_0000_0000)),
        year,
        week,
        monday,
        previous,
        host: 0,
        org: 0,
    };
    let defect = drift(options, index);
    let relative = format!("docs/team-{team:02}/status/{year}/{year}_uke_{week:02}.rst");
    (relative, report.text(defect, min_bytes))
}

impl Report {
    fn text(&mut self, defect: Option<Drift>, min_bytes: usize) -> String {
        let mut out = String::with_capacity(min_bytes.max(3_000));

        let title_week = match defect {
            Some(Drift::TitleWeek) => {
                if self.week > 1 {
                    self.week - 1
                } else {
                    self.week + 1
                }
            }
            _ => self.week,
        };
        let title = if self.rng.chance(0.1) {
            format!("Uke {title_week}, {}", self.year)
        } else {
            format!("Uke {title_week}")
        };
        let rule = "=".repeat(title.chars().count());
        out.push_str(&format!("{rule}\n{title}\n{rule}\n"));
        let author = format!(
            "{} {}",
            self.rng.pick(FIRST_NAMES),
            self.rng.pick(LAST_NAMES)
        );
        let org = *self.rng.pick(ORGS);
        let date = self.byline_date();
        out.push_str(&format!("av {author}, {org}, {date}\n\n"));
        out.push_str(".. contents:: :depth: 2\n\n\n");

        let skipped = match defect {
            Some(Drift::MissingSection) => Some(self.rng.below(SECTIONS.len())),
            _ => None,
        };
        let misspelt = match defect {
            Some(Drift::MisspeltSection) => Some(self.rng.below(SECTIONS.len())),
            _ => None,
        };
        // The section and item that receive a bad date or broken link.
        let planted = match defect {
            Some(Drift::BadDate | Drift::BrokenLink) => Some(self.rng.below(SECTIONS.len())),
            _ => None,
        };
        let per_section = min_bytes / SECTIONS.len();

        for (kind, heading) in SECTIONS.iter().enumerate() {
            if skipped == Some(kind) {
                continue;
            }
            let heading = if misspelt == Some(kind) {
                MISSPELT[kind]
            } else {
                heading
            };
            out.push_str(&format!(
                "{heading}\n{}\n\n",
                "=".repeat(heading.chars().count())
            ));
            let start = out.len();
            // The seed writes its status as paragraphs; so do some reports.
            let paragraphs = kind == 4 && self.rng.chance(0.3);
            let items = self.item_count();
            let mut written = 0;
            while written < items || out.len() - start < per_section {
                let mut text = self.item(kind);
                if written == 0 && planted == Some(kind) {
                    text.push(' ');
                    text.push_str(&self.defect_sentence(defect));
                }
                if paragraphs {
                    wrap(&mut out, &text, "", "", WIDTH - 8);
                } else {
                    wrap(&mut out, &text, "- ", "  ", WIDTH);
                }
                out.push('\n');
                written += 1;
            }
        }
        // Every item ends with a blank line; the file ends with one newline.
        while out.ends_with("\n\n") {
            out.pop();
        }
        out
    }

    /// 1–5 items, mostly 2 or 3, as in real reports.
    fn item_count(&mut self) -> usize {
        *self.rng.pick(&[1, 2, 2, 2, 3, 3, 3, 4, 5])
    }

    /// One item: one to three sentences, spanning one to about four lines
    /// once wrapped.
    fn item(&mut self, kind: usize) -> String {
        let sentences = *self.rng.pick(&[1, 1, 2, 2, 2, 3]);
        let mut used: Vec<usize> = Vec::with_capacity(sentences);
        let mut text = String::new();
        while used.len() < sentences {
            // No sentence twice in one item.
            let template = self.rng.below(TEMPLATES[kind].len());
            if used.contains(&template) {
                continue;
            }
            used.push(template);
            if !text.is_empty() {
                text.push(' ');
            }
            let filled = self.fill(TEMPLATES[kind][template]);
            text.push_str(&filled);
        }
        text
    }

    fn defect_sentence(&mut self, defect: Option<Drift>) -> String {
        match defect {
            Some(Drift::BadDate) => {
                let bad = format!("{} {}", self.rng.pick(BAD_DATES), self.year);
                let bad = bad.replace(' ', &GLUE.to_string());
                format!("Fristen for innspill er satt til {bad}.")
            }
            Some(Drift::BrokenLink) => {
                // The seed's own slip (one `..` too few), or a renamed plan.
                let target = if self.rng.chance(0.5) {
                    "../plans/production"
                } else {
                    "../../plans/produksjonsplan"
                };
                format!("Se også :doc:`{target}`.")
            }
            _ => String::new(),
        }
    }

    /// Fills the `{slot}`s of a template.
    fn fill(&mut self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 40);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let slot = &rest[open + 1..open + close];
            let value = self.slot(slot);
            out.push_str(&value);
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        out
    }

    fn slot(&mut self, slot: &str) -> String {
        let value = match slot {
            "sys" => self.rng.pick(SYSTEMS).to_string(),
            "tool" => self.rng.pick(TOOLS).to_string(),
            "host" => {
                self.host = self.rng.below(HOSTS.len());
                format!("`{}`", HOSTS[self.host])
            }
            // Never "from `bgo` to `bgo`".
            "host2" => format!("`{}`", HOSTS[self.other(self.host, HOSTS.len())]),
            "ver" => self.rng.pick(RELEASES).to_string(),
            "org" => {
                self.org = self.rng.below(ORGS.len());
                ORGS[self.org].to_owned()
            }
            "org2" => ORGS[self.other(self.org, ORGS.len())].to_owned(),
            "person" => format!(
                "{} {}",
                self.rng.pick(FIRST_NAMES),
                self.rng.pick(LAST_NAMES)
            ),
            "n" => self.rng.range(2, 120).to_string(),
            "pct" => format!("{}%", 10 * self.rng.range(1, 10)),
            "task" => self.rng.pick(TASKS).to_string(),
            "service" => self.rng.pick(SERVICES).to_string(),
            "deliverable" => self.rng.pick(DELIVERABLES).to_string(),
            "event" => self.rng.pick(EVENTS).to_string(),
            "hw" => self.rng.pick(HARDWARE).to_string(),
            "lit" => self.rng.pick(LITERALS).to_string(),
            "url" => {
                let url = *self.rng.pick(URLS);
                if url.contains('{') {
                    self.fill(url)
                } else {
                    url.to_owned()
                }
            }
            "date" => self.near_date(),
            "range" => self.date_range(),
            "weekp" => self.week.to_string(),
            "weekf" => {
                let ahead = self.rng.range(1, 4) as i64;
                (self.monday + Duration::weeks(ahead))
                    .iso_week()
                    .week()
                    .to_string()
            }
            "doc" => self.doc_link(),
            other => other.to_owned(),
        };
        value.replace(' ', &GLUE.to_string())
    }

    /// A uniform index in `0..len` other than `not` (`len > 1`).
    fn other(&mut self, not: usize, len: usize) -> usize {
        (not + 1 + self.rng.below(len - 1)) % len
    }

    /// The byline date: mostly the Friday, sometimes early the next week,
    /// never past the schema's seven days of grace after the Sunday.
    fn byline_date(&mut self) -> String {
        let offset = *self
            .rng
            .pick(&[4, 4, 4, 4, 3, 3, 2, 5, 0, 1, 6, 7, 7, 8, 9, 11, 13]);
        let date = self.monday + Duration::days(offset);
        let (day, month, year) = (date.day(), date.month0() as usize, date.year());
        match self.rng.below(10) {
            0..=5 => format!("{day}. {} {year}", MONTHS_SHORT[month]),
            6 | 7 => format!("{day}. {} {year}", MONTHS_FULL[month]),
            // "07.mars 2017": zero-padded, no space, full name.
            _ => format!("{day:02}.{} {year}", MONTHS_FULL[month]),
        }
    }

    /// A real day within the next two months, written without a year
    /// ("14. november"). 29 February is avoided: the checker reads a
    /// year-less date in the report's own year, which need not be leap.
    fn near_date(&mut self) -> String {
        let date = self.monday + Duration::days(self.rng.range(3, 60) as i64);
        let (mut day, month) = (date.day(), date.month0() as usize);
        if month == 1 && day == 29 {
            day = 28;
        }
        if self.rng.chance(0.8) {
            format!("{day}. {}", MONTHS_FULL[month])
        } else {
            format!("{day}. {}", MONTHS_SHORT[month])
        }
    }

    /// Two consecutive days of one month: "7. og 8. september".
    fn date_range(&mut self) -> String {
        let month = (self.monday - Duration::days(self.rng.range(0, 20) as i64)).month0() as usize;
        let day = self.rng.range(1, 27);
        format!("{day}. og {}. {}", day + 1, MONTHS_FULL[month])
    }

    /// A `:doc:` link to something that exists: a plan of the team
    /// (`../../plans/…` from `status/<year>/`) or the previous report.
    fn doc_link(&mut self) -> String {
        let which = self.rng.below(PLAN_DOCS.len());
        let (plan, title) = (PLAN_DOCS[which], PLAN_TITLES[which]);
        match self.rng.below(5) {
            0 | 1 => format!(":doc:`../../plans/{plan}`"),
            2 => format!(":doc:`{title} <../../plans/{plan}>`"),
            _ => match &self.previous {
                Some(previous) => format!(":doc:`forrige ukes rapport <{previous}>`"),
                None => ":doc:`../../plans/production`".to_owned(),
            },
        }
    }
}

/// Appends `text` word-wrapped to `width` columns, the first line after
/// `first`, the others after `rest`; [`GLUE`] becomes a space only after
/// wrapping, so glued values never break.
fn wrap(out: &mut String, text: &str, first: &str, rest: &str, width: usize) {
    // A line that starts with a number ("14. november") could be read as
    // an enumerated list by a parser less careful than docutils, so a word
    // starting with a digit always stays with the word before it.
    let mut words: Vec<String> = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        match words.last_mut() {
            Some(last) if word.starts_with(|c: char| c.is_ascii_digit()) => {
                last.push(GLUE);
                last.push_str(word);
            }
            _ => words.push(word.to_owned()),
        }
    }
    let mut line_len = 0;
    out.push_str(first);
    let mut prefix_len = first.chars().count();
    for (i, word) in words.iter().enumerate() {
        let len = word.chars().count();
        if i > 0 {
            if prefix_len + line_len + 1 + len > width {
                out.push('\n');
                out.push_str(rest);
                prefix_len = rest.chars().count();
                line_len = 0;
            } else {
                out.push(' ');
                line_len += 1;
            }
        }
        out.extend(word.chars().map(|c| if c == GLUE { ' ' } else { c }));
        line_len += len;
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    fn options(seed: u64) -> CorpusOptions {
        CorpusOptions {
            reports: 2_000,
            seed,
            drift: 0.05,
        }
    }

    /// The month number of a Norwegian month name, full or short.
    fn month(name: &str) -> Option<u32> {
        let index = MONTHS_FULL
            .iter()
            .position(|m| *m == name)
            .or_else(|| MONTHS_SHORT.iter().position(|m| *m == name))?;
        Some(index as u32 + 1)
    }

    /// Reads a byline date back with this module's own tables.
    fn byline_date(text: &str) -> NaiveDate {
        let byline = text.lines().nth(3).expect("a byline on line 4");
        assert!(byline.starts_with("av "), "{byline}");
        let date = byline.rsplit(", ").next().expect("a date after a comma");
        let (day, rest) = date.split_once('.').expect("a day");
        let (name, year) = rest.trim_start().split_once(' ').expect("a year");
        NaiveDate::from_ymd_opt(
            year.parse().expect("numeric year"),
            month(name).expect("a Norwegian month"),
            day.parse().expect("numeric day"),
        )
        .expect("a real date")
    }

    #[test]
    fn same_seed_gives_the_same_text() {
        for index in [0, 1, 499, 500, 4_321, 9_999] {
            assert_eq!(
                report_text(&options(7), index),
                report_text(&options(7), index)
            );
        }
    }

    #[test]
    fn different_seeds_differ() {
        let a = report_text(&options(1), 10);
        let b = report_text(&options(2), 10);
        assert_eq!(a.0, b.0, "the path depends on the index only");
        assert_ne!(a.1, b.1);
    }

    #[test]
    fn names_titles_folders_and_dates_agree() {
        let opts = CorpusOptions {
            drift: 0.0,
            ..options(3)
        };
        for index in (0..10_000).step_by(37) {
            let (path, text) = report_text(&opts, index);
            let parts: Vec<&str> = path.split('/').collect();
            assert_eq!(parts[1], format!("team-{:02}", index / WEEKS_PER_TEAM));
            let folder_year: i32 = parts[3].parse().expect("a year folder");
            let stem = parts[4].strip_suffix(".rst").expect(".rst");
            let (file_year, week) = stem.split_once("_uke_").expect("<year>_uke_<ww>");
            let (file_year, week): (i32, u32) = (
                file_year.parse().expect("year"),
                week.parse().expect("week"),
            );
            assert_eq!(folder_year, file_year, "{path}");
            assert_eq!(stem.len(), "2016_uke_38".len(), "two-digit week: {path}");

            let title = text.lines().nth(1).expect("a title");
            let title_week: u32 = title
                .strip_prefix("Uke ")
                .and_then(|t| t.split(',').next())
                .and_then(|t| t.parse().ok())
                .expect("Uke NN");
            assert_eq!(title_week, week, "{path}: {title}");
            let rule = text.lines().next().expect("an overline");
            assert_eq!(rule.chars().count(), title.chars().count());

            let monday =
                NaiveDate::from_isoywd_opt(file_year, week, Weekday::Mon).expect("a real week");
            let date = byline_date(&text);
            assert!(
                monday <= date && date <= monday + Duration::days(13),
                "{path}: dated {date}"
            );
            // The checker's own date reader agrees with ours.
            let written = text.lines().nth(3).and_then(|l| l.rsplit(", ").next());
            assert_eq!(
                milepost::dates::parse_date(written.unwrap_or_default(), None),
                Ok(date)
            );
        }
    }

    #[test]
    fn iso_week_years_cross_new_year_correctly() {
        // 2021-01-01 is a Friday in week 53 of 2020.
        let opts = options(5);
        let index = (0..WEEKS_PER_TEAM)
            .find(|&i| report_week(i).0 == 2020 && report_week(i).1 == 53)
            .expect("2020-W53 is in the range");
        let (path, text) = report_text(&opts, index);
        assert_eq!(path, "docs/team-00/status/2020/2020_uke_53.rst");
        let (next, _) = report_text(&opts, index + 1);
        assert_eq!(next, "docs/team-00/status/2021/2021_uke_01.rst");
        assert_eq!(
            report_week(index).2,
            NaiveDate::from_ymd_opt(2020, 12, 28).unwrap()
        );
        if drift(&opts, index).is_none() {
            let title = text.lines().nth(1).unwrap_or_default();
            assert!(title == "Uke 53" || title == "Uke 53, 2020", "{title}");
        }
        // No year has a week 53 it does not have.
        for i in 0..WEEKS_PER_TEAM {
            let (year, week, _) = report_week(i);
            assert!(
                week <= milepost::dates::weeks_in_year(year),
                "{year}-W{week}"
            );
        }
    }

    #[test]
    fn every_team_runs_from_2016_w48_to_2026_w26() {
        let (first, _) = report_text(&options(1), 0);
        let (restart, _) = report_text(&options(1), WEEKS_PER_TEAM);
        let (last, _) = report_text(&options(1), 2 * WEEKS_PER_TEAM - 1);
        assert_eq!(first, "docs/team-00/status/2016/2016_uke_48.rst");
        assert_eq!(restart, "docs/team-01/status/2016/2016_uke_48.rst");
        assert_eq!(last, "docs/team-01/status/2026/2026_uke_26.rst");
        // Every byline date lies within a week and its grace days of the
        // fixed end, whatever day the corpus is generated on.
        let end = NaiveDate::from_ymd_opt(2026, 6, 22).unwrap() + Duration::days(13);
        for index in 0..2 * WEEKS_PER_TEAM {
            let (_, text) = report_text(&options(1), index);
            assert!(byline_date(&text) <= end, "{index}");
        }
    }

    #[test]
    fn every_report_has_the_five_sections_unless_drifted() {
        let opts = options(11);
        for index in 0..300 {
            let (path, text) = report_text(&opts, index);
            let found: Vec<&str> = SECTIONS
                .iter()
                .copied()
                .filter(|s| text.contains(&format!("\n{s}\n")))
                .collect();
            match drift(&opts, index) {
                Some(Drift::MissingSection | Drift::MisspeltSection) => {
                    assert_eq!(found.len(), 4, "{path}")
                }
                _ => assert_eq!(found.len(), 5, "{path}"),
            }
            assert!(text.contains("\n.. contents:: :depth: 2\n"), "{path}");
        }
    }

    #[test]
    fn drift_is_a_small_deterministic_share() {
        let opts = options(9);
        let drifted = (0..10_000).filter(|&i| drift(&opts, i).is_some()).count();
        assert!((400..=600).contains(&drifted), "{drifted}");
        let clean = CorpusOptions { drift: 0.0, ..opts };
        assert!((0..1_000).all(|i| drift(&clean, i).is_none()));
        let kinds: HashSet<Drift> = (0..10_000).filter_map(|i| drift(&opts, i)).collect();
        assert_eq!(kinds.len(), Drift::ALL.len());
    }

    #[test]
    fn clean_reports_have_only_real_dates() {
        let opts = CorpusOptions {
            drift: 0.0,
            ..CorpusOptions::default()
        };
        // All of a benchmark-sized corpus: a false date can come from two
        // sentences meeting ("i uke 36. Jan Erik …"), which is rare.
        for index in 0..10_000 {
            let (path, text) = report_text(&opts, index);
            let (year, _, _) = report_week(index);
            for mention in milepost::dates::find_dates(&text, Some(year)) {
                assert!(
                    mention.value.is_ok(),
                    "{path}: {:?}",
                    &text[mention.start..mention.end]
                );
            }
        }
    }

    #[test]
    fn bad_dates_are_written_with_their_year() {
        let opts = options(31);
        let index = (0..2_000)
            .find(|&i| drift(&opts, i) == Some(Drift::BadDate))
            .expect("some report has a bad date");
        let (path, text) = report_text(&opts, index);
        let (year, _, _) = report_week(index);
        let bad: Vec<&str> = milepost::dates::find_dates(&text, Some(year))
            .into_iter()
            .filter(|m| m.value.is_err())
            .map(|m| &text[m.start..m.end])
            .collect();
        assert_eq!(bad.len(), 1, "{path}: {bad:?}");
        assert!(bad[0].ends_with(&year.to_string()), "{path}: {bad:?}");
    }

    #[test]
    fn size_is_near_the_seed_report() {
        let opts = options(17);
        let total: usize = (0..500).map(|i| report_text(&opts, i).1.len()).sum();
        let average = total / 500;
        assert!((2_000..=3_200).contains(&average), "{average}");
    }

    #[test]
    fn links_resolve_unless_broken_on_purpose() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let opts = CorpusOptions {
            reports: 600,
            ..options(19)
        };
        let corpus = generate(dir.path(), &opts).expect("the corpus is written");
        assert_eq!(corpus.files.len(), 600);
        let on_disk: u64 = corpus
            .files
            .iter()
            .map(|f| fs::metadata(f).expect("written").len())
            .sum();
        assert_eq!(corpus.bytes, on_disk);
        for (index, file) in corpus.files.iter().enumerate() {
            let text = fs::read_to_string(file).expect("readable");
            let mut broken = 0;
            for part in text.split(":doc:`").skip(1) {
                let role = &part[..part.find('`').expect("a closed role")];
                let target = match role.find('<') {
                    Some(open) => &role[open + 1..role.len() - 1],
                    None => role,
                };
                let folder = file.parent().expect("a folder");
                if !folder.join(format!("{target}.rst")).is_file() {
                    broken += 1;
                }
            }
            let expected = usize::from(drift(&opts, index) == Some(Drift::BrokenLink));
            assert_eq!(broken, expected, "{}", file.display());
        }
    }

    #[test]
    fn large_report_reaches_its_size() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let opts = CorpusOptions {
            drift: 0.0,
            ..options(23)
        };
        let corpus = generate_large(dir.path(), &opts, 200_000).expect("written");
        assert_eq!(corpus.files.len(), 1);
        assert!(
            corpus.bytes >= 200_000 && corpus.bytes < 220_000,
            "{}",
            corpus.bytes
        );
    }

    #[test]
    fn wrapped_lines_stay_within_the_width() {
        let (_, text) = report_text(&options(29), 42);
        for line in text.lines() {
            // A single long word (a URL) may overflow; nothing else does.
            assert!(
                line.chars().count() <= WIDTH || !line.trim().contains(' '),
                "{line}"
            );
        }
    }
}
