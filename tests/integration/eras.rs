//! A synthetic report repository that has lived through several templates:
//! the fixture `milepost init` is measured on.
//!
//! Five years of weekly reports, ending in the week before the day it is
//! given, committed with real git at the day each was written:
//!
//! | era | weeks    | file name         | title                  | byline | sections |
//! |-----|----------|-------------------|------------------------|--------|----------|
//! | A   | 1–60     | `YYYY/ukeWW.rst`  | `Statusrapport uke W`  | none   | Gjennomført, Pågående arbeid, Neste uke, Problemer |
//! | B   | 61–120   | `YYYY/YYYY_uke_W.rst` | `Uke W`            | `av …` | the seed's five |
//! | C   | 121–mid-year | as B          | as B                   | `av …` | Status, Planlagte aktiviteter, Utfordringer, Annet |
//! | D   | the rest | as B              | as B                   | `av …` | Status, Utfordringer, Planlagte aktiviteter, Annet |
//!
//! Mixed in, in the same folders: change-week reports (`endringsuke_uke_W`,
//! title `Endringsuke W: …`) and incident write-ups (`hendelse_uke_W_…`),
//! which are not weekly reports. Each report is made by copying the
//! previous week's and editing it (the status prose and `Annet` carry
//! over; items move from planned to in progress to done), as teams do.
//!
//! It plants real defects and returns them with the rule that must find
//! each: a title left at last week's number by the copy (`week-mismatch`),
//! a `:doc:` link to a plan that was removed (`broken-link`), a report
//! without its challenges section (`missing-section`), and a report
//! committed three weeks after its week (`late-report`, and
//! `byline-vs-commit` since its byline keeps the right date).
//!
//! Items never name dates or weeks and never talk about people, so that
//! the tracking and staffing rules have nothing real to say; every item
//! moves on each week, so none is stale.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use milepost::dates::{NB_MONTHS as MONTHS, NB_MONTHS_SHORT as SHORT_MONTHS};

use crate::support::GitTree;

/// A defect the generator planted, and the rules that must report it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Defect {
    pub label: &'static str,
    /// Repository-relative path of the report.
    pub path: String,
    pub rules: Vec<&'static str>,
}

/// The generated repository.
pub struct Eras {
    pub git: GitTree,
    pub defects: Vec<Defect>,
    /// Repository-relative paths of the weekly reports.
    pub reports: Vec<String>,
    /// The change-week and incident files (not weekly reports).
    pub others: Vec<String>,
    /// Which template each report was written in (`A`..`D`), by path.
    pub eras: Vec<(String, char)>,
}

const AUTHORS: &[&str] = &["Raymond Kristiansen", "Kari Nordmann", "Ola Hansen"];

/// A task name that shares no content word with any other task's (the
/// verbs repeat, but are one word of three, and tracking joins wordings
/// that share two): two made-up component names
/// that spell out the task's number in syllables.
fn task(n: usize) -> String {
    const VERBS: &[&str] = &[
        "Migrere",
        "Oppgradere",
        "Konfigurere",
        "Dokumentere",
        "Automatisere",
        "Teste",
    ];
    format!("{} {} {}", VERBS[n % VERBS.len()], word(n), word(n + 5000))
}

/// `n` in syllables: a consonant and a vowel for each base-60 digit.
fn word(mut n: usize) -> String {
    const ONSET: &[&str] = &["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t"];
    const VOWEL: &[&str] = &["a", "e", "i", "o", "u"];
    let mut out = String::new();
    loop {
        let digit = n % 60;
        out.push_str(ONSET[digit / 5]);
        out.push_str(VOWEL[digit % 5]);
        n /= 60;
        if n == 0 {
            break;
        }
    }
    out.push('x');
    out
}

fn byline_date(day: NaiveDate, n: usize) -> String {
    // Two ways of writing a date, as real bylines do.
    if n.is_multiple_of(3) {
        format!(
            "{}.{} {}",
            day.day(),
            MONTHS[day.month0() as usize],
            day.year()
        )
    } else {
        format!(
            "{}. {} {}",
            day.day(),
            SHORT_MONTHS[day.month0() as usize],
            day.year()
        )
    }
}

fn heading(text: &str, mark: char) -> String {
    let line: String = std::iter::repeat_n(mark, text.chars().count()).collect();
    format!("{text}\n{line}\n\n")
}

fn title(text: &str) -> String {
    let line: String = std::iter::repeat_n('=', text.chars().count()).collect();
    format!("{line}\n{text}\n{line}\n")
}

fn bullets(items: &[String]) -> String {
    items.iter().map(|i| format!("- {i}\n\n")).collect()
}

/// What one week says, whatever the template.
struct Week {
    done: Vec<String>,
    doing: Vec<String>,
    planned: Vec<String>,
    risk: String,
    status: String,
    other: String,
    link: Option<&'static str>,
}

fn week_content(index: usize) -> Week {
    // Task i is planned in report i, in progress in i+1, done in i+2.
    Week {
        done: if index >= 2 {
            vec![task(index - 2)]
        } else {
            vec![]
        },
        doing: if index >= 1 {
            vec![task(index - 1)]
        } else {
            vec![]
        },
        planned: vec![task(index)],
        risk: [
            "Ytelsen på lagringssystemet må følges opp over tid.",
            "Nettverksoppsettet mellom lokasjonene er fortsatt skjørt.",
            "API-tilgangen er ikke optimal slik den er satt opp nå.",
        ][(index / 13) % 3]
            .to_owned(),
        // Copied forward: changes only every few months.
        status: [
            "Arbeidet går etter planen, og tjenesten er i drift.",
            "Driften er stabil, og større endringer meldes på e-postlisten.",
        ][(index / 40) % 2]
            .to_owned(),
        other: "Neste driftsmøte holdes som vanlig.".to_owned(),
        link: (index % 10 == 4).then_some("../../plans/plan"),
    }
}

fn with_link(text: &str, link: Option<&str>) -> String {
    match link {
        Some(target) => format!("{text} Se :doc:`{target}`."),
        None => text.to_owned(),
    }
}

fn render(era: char, number: u32, week: &Week, byline: Option<&str>) -> String {
    let mut out = String::new();
    match era {
        'A' => {
            out.push_str(&title(&format!("Statusrapport uke {number}")));
            out.push('\n');
            out.push_str(&heading("Gjennomført", '-'));
            out.push_str(&bullets(&week.done_or_start()));
            out.push_str(&heading("Pågående arbeid", '-'));
            out.push_str(&bullets(&week.doing_or_start()));
            out.push_str(&heading("Neste uke", '-'));
            out.push_str(&bullets(&week.planned));
            out.push_str(&heading("Problemer", '-'));
            out.push_str(&bullets(&[with_link(&week.risk, week.link)]));
        }
        'B' => {
            out.push_str(&title(&format!("Uke {number}")));
            out.push_str(&format!("{}\n\n", byline.unwrap_or_default()));
            out.push_str(".. contents:: :depth: 2\n\n\n");
            out.push_str(&heading("Fullført", '='));
            out.push_str(&bullets(&week.done_or_start()));
            out.push_str(&heading("Under arbeid", '='));
            out.push_str(&bullets(&week.doing_or_start()));
            out.push_str(&heading("Planlagt fremdrift", '='));
            out.push_str(&bullets(&week.planned));
            out.push_str(&heading("Utfordringer", '='));
            out.push_str(&bullets(&[with_link(&week.risk, week.link)]));
            out.push_str(&heading("Oppdatert status", '='));
            out.push_str(&format!("{}\n\n", week.status));
        }
        _ => {
            out.push_str(&title(&format!("Uke {number}")));
            out.push_str(&format!("{}\n\n", byline.unwrap_or_default()));
            let status = {
                let mut s = heading("Status", '=');
                s.push_str(&format!("{}\n\n", week.status));
                s.push_str(&bullets(
                    &week
                        .done
                        .iter()
                        .map(|d| format!("Ferdig: {d}."))
                        .chain(week.doing.iter().map(|d| format!("Pågår: {d}.")))
                        .collect::<Vec<_>>(),
                ));
                s
            };
            let plan = format!(
                "{}{}",
                heading("Planlagte aktiviteter", '='),
                bullets(&week.planned)
            );
            let risks = format!(
                "{}{}",
                heading("Utfordringer", '='),
                bullets(&[with_link(&week.risk, week.link)])
            );
            out.push_str(&status);
            if era == 'C' {
                out.push_str(&plan);
                out.push_str(&risks);
            } else {
                out.push_str(&risks);
                out.push_str(&plan);
            }
            out.push_str(&heading("Annet", '='));
            out.push_str(&format!("{}\n", week.other));
        }
    }
    out
}

impl Week {
    /// The first two reports have nothing done yet: the first says the
    /// project has started, the second that its start-up (in progress in
    /// the first) is done, so that nothing in progress silently vanishes.
    fn done_or_start(&self) -> Vec<String> {
        match (self.done.is_empty(), self.doing.is_empty()) {
            (false, _) => self.done.clone(),
            (true, true) => vec!["Prosjektet er startet.".to_owned()],
            (true, false) => vec!["Oppstart av prosjektet.".to_owned()],
        }
    }
    fn doing_or_start(&self) -> Vec<String> {
        if self.doing.is_empty() {
            vec!["Oppstart av prosjektet.".to_owned()]
        } else {
            self.doing.clone()
        }
    }
}

/// One file to commit, at a day.
struct Planned {
    path: String,
    text: String,
    day: NaiveDate,
}

/// Generates the repository: about five years of weekly reports whose last
/// is for the week before `today`'s.
pub fn generate(today: NaiveDate) -> Eras {
    const WEEKS: usize = 5 * 52;
    let last_monday = today.week(Weekday::Mon).first_day() - Duration::days(7);
    let first_monday = last_monday - Duration::days(7 * (WEEKS as i64 - 1));
    let mondays: Vec<NaiveDate> = (0..WEEKS)
        .map(|i| first_monday + Duration::days(7 * i as i64))
        .collect();
    // Era D starts at the first week 26 after week 180 of the series.
    let d_start = (180..WEEKS)
        .find(|&i| mondays[i].iso_week().week() == 26)
        .unwrap_or(200);
    let era_of = |i: usize| match i {
        i if i < 60 => 'A',
        i if i < 120 => 'B',
        i if i < d_start => 'C',
        _ => 'D',
    };
    // The defects, by week index.
    // Era B: the copy kept last week's title (a week whose number has one
    // before it in the same year, so the title names a real week).
    let wrong_week = (75..120)
        .find(|&i| mondays[i].iso_week().week() > 2)
        .unwrap_or(75);
    let late = 90; // era B: committed three weeks late
    let missing = 150; // era C: no Utfordringer
    let broken = d_start + 5; // era D: a link to a removed plan

    let mut planned = Vec::new();
    let mut defects = Vec::new();
    let mut reports = Vec::new();
    let mut eras = Vec::new();
    for (i, monday) in mondays.iter().enumerate() {
        let era = era_of(i);
        let iso = monday.iso_week();
        let (year, number) = (iso.year(), iso.week());
        // Written on the Friday, or on the Monday after.
        let written = if i % 4 == 1 {
            *monday + Duration::days(7)
        } else {
            *monday + Duration::days(4)
        };
        let path = match era {
            'A' => format!("docs/status/{year}/uke{number:02}.rst"),
            _ => format!("docs/status/{year}/{year}_uke_{number}.rst"),
        };
        let mut week = week_content(i);
        let byline = (era != 'A').then(|| {
            format!(
                "av {}, UH IaaS, {}",
                AUTHORS[(i / 17) % AUTHORS.len()],
                byline_date(written, i)
            )
        });
        if i == broken {
            week.link = Some("../../plans/gammel-plan");
        }
        let shown = if i == wrong_week { number - 1 } else { number };
        let mut text = render(era, shown, &week, byline.as_deref());
        if i == missing {
            let start = text.find("Utfordringer\n").expect("a challenges section");
            let end = text[start..].find("Annet\n").expect("Annet") + start;
            text.replace_range(start..end, "");
        }
        let day = if i == late {
            written + Duration::days(21)
        } else {
            written
        };
        let label = match i {
            _ if i == wrong_week => {
                Some(("title kept from last week's copy", vec!["week-mismatch"]))
            }
            _ if i == late => Some((
                "committed three weeks late",
                vec!["late-report", "byline-vs-commit"],
            )),
            _ if i == missing => Some(("no challenges section", vec!["missing-section"])),
            _ if i == broken => Some(("link to a removed plan", vec!["broken-link"])),
            _ => None,
        };
        if let Some((label, rules)) = label {
            defects.push(Defect {
                label,
                path: path.clone(),
                rules,
            });
        }
        reports.push(path.clone());
        eras.push((path.clone(), era));
        planned.push(Planned { path, text, day });
    }

    // Change weeks and incidents, in the report folders.
    let mut others = Vec::new();
    for (n, &i) in [30usize, 110, 170, 230].iter().enumerate() {
        let iso = mondays[i].iso_week();
        let (year, number) = (iso.year(), iso.week());
        let path = format!("docs/status/{year}/endringsuke_uke_{number}.rst");
        let text = format!(
            "{}\nPlanlagt nedetid for oppgradering {n}.\n\n{}- Oppgradering av kontrollnodene.\n\n{}- Driftsgruppen.\n",
            title(&format!(
                "Endringsuke {number}: oppgradering {}",
                ["av lagring", "av nettverk", "av OpenStack", "av kjernen"][n]
            )),
            heading("Endringer", '='),
            heading("Kontaktpersoner", '='),
        );
        others.push(path.clone());
        planned.push(Planned {
            path,
            text,
            day: mondays[i] + Duration::days(2),
        });
    }
    for (n, &i) in [45usize, 140, 215].iter().enumerate() {
        let iso = mondays[i].iso_week();
        let (year, number) = (iso.year(), iso.week());
        let path = format!("docs/status/{year}/hendelse_uke_{number}_nedetid.rst");
        let text = format!(
            "{}\n{}- Tjenesten var nede i to timer.\n\n{}- Feil i konfigurasjonen av {}.\n\n{}- Ny rutine for endringer.\n",
            title(&format!(
                "Hendelse: nedetid på {}",
                ["lagring", "API", "nettverk"][n]
            )),
            heading("Tidslinje", '='),
            heading("Årsak", '='),
            ["lagring", "API", "nettverk"][n],
            heading("Tiltak", '='),
        );
        others.push(path.clone());
        planned.push(Planned {
            path,
            text,
            day: mondays[i] + Duration::days(3),
        });
    }
    planned.push(Planned {
        path: "docs/plans/plan.rst".into(),
        text: format!(
            "{}\nLeveransene for prosjektet.\n",
            title("Plan for produksjon")
        ),
        day: first_monday,
    });

    // Committed in the order they were written, a commit a day.
    planned.sort_by(|a, b| a.day.cmp(&b.day).then(a.path.cmp(&b.path)));
    let git = GitTree::new();
    let mut index = 0;
    while index < planned.len() {
        let day = planned[index].day;
        let mut files = Vec::new();
        while index < planned.len() && planned[index].day == day {
            files.push((planned[index].path.as_str(), planned[index].text.as_str()));
            index += 1;
        }
        git.commit_files(&day.format("%Y-%m-%d").to_string(), &files);
    }
    Eras {
        git,
        defects,
        reports,
        others,
        eras,
    }
}

/// The generator holds itself to what it promises: the eras, the
/// dates ending before today, the defects where they are said to be.
#[test]
fn the_generator_makes_four_templates_over_five_years_with_its_defects() {
    let today = chrono::Local::now().date_naive();
    let eras = generate(today);
    assert_eq!(eras.reports.len(), 260);
    for era in ['A', 'B', 'C', 'D'] {
        let count = eras.eras.iter().filter(|(_, e)| *e == era).count();
        assert!(count >= 20, "era {era} has {count} reports");
    }
    let first = &eras.reports[0];
    let last = eras.reports.last().expect("reports");
    let year = |path: &str| -> i32 { path.split('/').nth(2).unwrap().parse().unwrap() };
    assert!(year(last) - year(first) >= 4, "{first} .. {last}");
    assert!(year(last) >= today.year() - 1, "{last}");
    assert_eq!(eras.defects.len(), 4);
    assert_eq!(eras.others.len(), 7);
    for other in &eras.others {
        let name = other.rsplit('/').next().unwrap();
        assert!(name.contains("uke"), "{name}");
        assert!(eras.git.path().join(other).is_file());
    }
    let read = |path: &str| std::fs::read_to_string(eras.git.path().join(path)).unwrap();
    let missing = eras
        .defects
        .iter()
        .find(|d| d.rules == ["missing-section"])
        .unwrap();
    assert!(!read(&missing.path).contains("Utfordringer"));
    let a = &eras.eras.iter().find(|(_, e)| *e == 'A').unwrap().0;
    assert!(!read(a).contains("\nav "), "era A has no byline");
    let d = &eras.eras.iter().find(|(_, e)| *e == 'D').unwrap().0;
    let text = read(d);
    assert!(text.find("Utfordringer").unwrap() < text.find("Planlagte aktiviteter").unwrap());
    // Every report and other file is committed.
    let head = eras.git.repo.head().unwrap().peel_to_tree().unwrap();
    for path in eras.reports.iter().chain(&eras.others) {
        assert!(head.get_path(std::path::Path::new(path)).is_ok(), "{path}");
    }
}
