//! Item tracking and milestones on a series of reports that tells the
//! brief's story: an upgrade planned and then done "i uke 38", a shared
//! database planned and done two reports later, a DNS service in progress
//! for weeks, a reinstall planned "i uke 41" and still planned in week 43,
//! and a plan table with 1.sept, 26.sept, 01.nov and 14.nov.

use crate::support::Tree;

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des",
];

/// A report for `week` of 2016, dated on its Friday.
fn report(
    week: u32,
    done: &[&str],
    in_progress: &[&str],
    planned: &[&str],
    risks: &[&str],
) -> String {
    use chrono::Datelike;
    let friday = chrono::NaiveDate::from_isoywd_opt(2016, week, chrono::Weekday::Fri).unwrap();
    let date = format!(
        "{}. {} 2016",
        friday.day(),
        MONTHS[friday.month0() as usize]
    );
    let mut text = format!("======\nUke {week}\n======\nav Raymond Kristiansen, UH IaaS, {date}\n");
    let mut section = |title: &str, items: &[&str]| {
        text.push_str(&format!(
            "\n{title}\n{}\n\n",
            "=".repeat(title.chars().count())
        ));
        if items.is_empty() {
            text.push_str("Ingenting denne uken.\n");
        }
        for item in items {
            text.push_str(&format!("- {item}\n\n"));
        }
    };
    section("Fullført", done);
    section("Under arbeid", in_progress);
    section("Planlagt fremdrift", planned);
    section("Utfordringer", risks);
    section("Oppdatert status", &["Se planen."]);
    text
}

const DNS: &str = "Det jobbes med å få på plass en tjeneste for DNS for instanser.";
const DNS_2: &str = "Det jobbes med å få på plass en tjeneste for DNS til instanser. Denne vil forhåpentligvis være på plass i løpet av året.";
const UPGRADE_PLANNED: &str = "Oppgradering til mitaka i uke 38.";
const UPGRADE_DONE: &str = "Oppgradering til mitaka ble utført i uke 38 med ansible.";
const DB_PLANNED: &str = "Sette opp felles keystone database for to lokasjoner.";
const DB_DONE: &str = "Felles keystone database for to lokasjoner er satt opp.";
const REINSTALL: &str = "Vi vil i uke 41 ta en full reinstallasjon av bgo og osl.";

/// Weeks 34 to 43 of the story.
fn story() -> Tree {
    let tree = Tree::new();
    let weeks: Vec<(u32, String)> = vec![
        (
            34,
            report(34, &[], &[DNS], &[UPGRADE_PLANNED, DB_PLANNED], &[]),
        ),
        (
            35,
            report(35, &[], &[DNS], &[UPGRADE_PLANNED, DB_PLANNED], &[]),
        ),
        (
            36,
            report(36, &[], &[DNS_2], &[UPGRADE_PLANNED, DB_PLANNED], &[]),
        ),
        (
            37,
            report(37, &[], &[DNS_2], &[UPGRADE_PLANNED, DB_PLANNED], &[]),
        ),
        (
            38,
            report(38, &[UPGRADE_DONE], &[DNS_2], &[DB_PLANNED, REINSTALL], &[]),
        ),
        (39, report(39, &[], &[DNS_2], &[DB_PLANNED, REINSTALL], &[])),
        (40, report(40, &[DB_DONE], &[DNS_2], &[REINSTALL], &[])),
        (
            41,
            report(
                41,
                &[],
                &[DNS_2],
                &[REINSTALL],
                &["Full reinstallasjon av bgo og osl er forsinket."],
            ),
        ),
        (42, report(42, &[], &[DNS_2], &[REINSTALL], &[])),
        (43, report(43, &[], &[DNS_2], &[REINSTALL], &[])),
    ];
    for (week, text) in weeks {
        tree.file(&format!("docs/status/2016_uke_{week}.rst"), text);
    }
    tree.file(
        "docs/plans/production.rst",
        "==================\nProduksjonsplan 2016\n==================\n\n======== ===================================================\n Frist    Leveranse\n======== ===================================================\n 1.sept   Oppgradere til mitaka\n 26.sept  Felles keystone database\n 01.nov   Full reinstallasjon av bgo og osl\n 14.nov   Lansering\n======== ===================================================\n",
    );
    tree
}

const YAML: &str = "milestones:
  - id: mitaka
    title: Oppgradere til mitaka
    due: 2016-09-30
    items:
      - id: upgrade
        match: [mitaka]
  - id: produksjonsklar
    title: Produksjonsklar bgo og osl
    due: 2016-11-01
    items:
      - id: keystone
        title: Felles keystone database
        match: [keystone]
      - id: reinstall
        match: [\"/reinstall(asjon)?/\"]
      - id: dns
        title: DNS for instanser
        match: [dns]
";

fn statuses(tree: &Tree, as_of: &str) -> Vec<(String, String, u64, u64, i64)> {
    let run = tree.run(&["milestones", "--format", "json", "--as-of", as_of]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let json = run.json();
    assert_eq!(json["as_of"], as_of);
    json["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["id"].as_str().unwrap().to_owned(),
                m["status"].as_str().unwrap().to_owned(),
                m["items_done"].as_u64().unwrap(),
                m["items_total"].as_u64().unwrap(),
                m["days_left"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn s(id: &str, status: &str, done: u64, total: u64, days: i64) -> (String, String, u64, u64, i64) {
    (id.into(), status.into(), done, total, days)
}

#[test]
fn plan_table_milestones_over_time() {
    let tree = story();
    tree.file("milepost.yaml", "milestones: docs/plans/production.rst\n");
    assert_eq!(
        statuses(&tree, "2016-08-31"),
        vec![
            s("oppgradere-til-mitaka", "at-risk", 0, 1, 1),
            s("felles-keystone-database", "not-started", 0, 1, 26),
            s("full-reinstallasjon-av-bgo-og-osl", "not-started", 0, 1, 62),
            s("lansering", "not-started", 0, 1, 75),
        ]
    );
    assert_eq!(
        statuses(&tree, "2016-10-14"),
        vec![
            s("oppgradere-til-mitaka", "done-late", 1, 1, -43),
            s("felles-keystone-database", "done-late", 1, 1, -18),
            s("full-reinstallasjon-av-bgo-og-osl", "at-risk", 0, 1, 18),
            s("lansering", "not-started", 0, 1, 31),
        ]
    );
    assert_eq!(
        statuses(&tree, "2016-11-20"),
        vec![
            s("oppgradere-til-mitaka", "done-late", 1, 1, -80),
            s("felles-keystone-database", "done-late", 1, 1, -55),
            s("full-reinstallasjon-av-bgo-og-osl", "overdue", 0, 1, -19),
            s("lansering", "overdue", 0, 1, -6),
        ]
    );
}

#[test]
fn yaml_milestones_items_and_completion_dates() {
    let tree = story();
    tree.file("milestones.yaml", YAML);
    assert_eq!(
        statuses(&tree, "2016-09-23"),
        vec![
            s("mitaka", "done", 1, 1, 7),
            s("produksjonsklar", "on-track", 0, 3, 39)
        ]
    );
    let run = tree.run(&["milestones", "--format", "json", "--as-of", "2016-10-21"]);
    let json = run.json();
    let produksjonsklar = &json["milestones"][1];
    assert_eq!(
        produksjonsklar["status"], "at-risk",
        "the reinstall is named in the challenges of week 41"
    );
    let items: Vec<(String, String, Option<String>, Option<String>)> = produksjonsklar["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_owned(),
                i["state"].as_str().unwrap().to_owned(),
                i["completed_on"].as_str().map(str::to_owned),
                i["last_report"].as_str().map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        items,
        vec![
            (
                "keystone".into(),
                "done".into(),
                Some("2016-10-07".into()),
                Some("docs/status/2016_uke_40.rst".into())
            ),
            (
                "reinstall".into(),
                "planned".into(),
                None,
                Some("docs/status/2016_uke_42.rst".into())
            ),
            (
                "dns".into(),
                "in_progress".into(),
                None,
                Some("docs/status/2016_uke_42.rst".into())
            ),
        ]
    );
    // The upgrade was done in week 38: its Sunday is after the report's
    // Friday, so the report's date counts.
    let mitaka = &json["milestones"][0];
    assert_eq!(mitaka["completed_on"], "2016-09-23");
    // Verbose table and document formats.
    let table = tree.run(&["milestones", "--as-of", "2016-10-21", "--verbose"]);
    assert!(
        table.stdout.contains("docs/status/2016_uke_42.rst"),
        "{}",
        table.stdout
    );
    let markdown = tree.run(&[
        "milestones",
        "--as-of",
        "2016-10-21",
        "--format",
        "markdown",
    ]);
    assert!(markdown.stdout.contains("| mitaka "), "{}", markdown.stdout);
    let rst = tree.run(&["milestones", "--as-of", "2016-10-21", "--format", "rst"]);
    assert!(
        rst.stdout.lines().any(|l| l.starts_with("+====")),
        "{}",
        rst.stdout
    );
}

#[test]
fn tracking_findings_in_check() {
    let tree = story();
    tree.file("milestones.yaml", YAML);
    let run = tree.run(&["check", "--format", "json", "--as-of", "2016-11-20"]);
    let mut findings: Vec<(String, u64, String)> = run.findings();
    findings.sort();
    let by_rule = |rule: &str| {
        findings
            .iter()
            .filter(|f| f.2 == rule)
            .map(|f| (f.0.as_str(), f.1))
            .collect::<Vec<_>>()
    };
    // DNS in progress since week 34 (9 weeks by week 43), and the
    // reinstall planned in the six reports since week 38.
    assert_eq!(
        by_rule("stale-item"),
        vec![
            ("docs/status/2016_uke_43.rst", 14),
            ("docs/status/2016_uke_43.rst", 20)
        ],
        "{}",
        run.stdout
    );
    // "i uke 41" still planned in weeks 42 and 43: copied unchanged, so
    // reported once, on week 43, "also in 1 earlier report".
    assert_eq!(
        by_rule("overdue-item"),
        vec![("docs/status/2016_uke_43.rst", 20)]
    );
    assert!(
        run.stdout
            .contains("(also in 1 earlier report since 2016-10-"),
        "{}",
        run.stdout
    );
    // At its definition in milestones.yaml.
    assert_eq!(by_rule("milestone-overdue"), vec![("milestones.yaml", 8)]);
    let messages: Vec<String> = run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        messages
            .contains(&"in progress for 9 weeks, since 2016-08-26 (`2016_uke_34.rst`)".to_owned()),
        "{messages:?}"
    );
    assert!(messages.contains(&"milestone `Produksjonsklar bgo og osl` was due 2016-11-01 (19 days ago): 1 of 3 items done".to_owned()), "{messages:?}");
    assert_eq!(run.code, 1);
    // As of week 40 nothing is stale or overdue yet, and the milestone is
    // not due.
    let run = tree.run(&["check", "--format", "json", "--as-of", "2016-10-07"]);
    let rules = run.rules();
    assert!(
        !rules
            .iter()
            .any(|r| r == "stale-item" || r == "overdue-item" || r == "milestone-overdue"),
        "{rules:?}"
    );
}

#[test]
fn milestone_staffing_against_the_latest_allocation() {
    let tree = Tree::new();
    let early = "Vi trenger 4 personer frem til nyttår. Vi er nå UiB (1 person 100%) og UiO (1 person 60% og en person 40%).";
    let later = "Vi trenger 4 personer. Vi er nå UiB (2 personer 100%) og UiO (1 person 100%).";
    tree.file("docs/status/2016_uke_36.rst", report(36, &[], &[DNS], &[], &[early]))
        .file("docs/status/2016_uke_37.rst", report(37, &[], &[DNS], &[], &["API-tilgang er ikke optimal."]))
        .file("docs/status/2016_uke_38.rst", report(38, &[], &[DNS], &[], &[later]))
        .file(
            "milestones.yaml",
            "milestones:\n  - id: lansering\n    title: Lansering\n    due: 2016-11-14\n    staffing: {fte: 4, until: 2016-12-31}\n    items:\n      - id: dns\n        match: [dns]\n",
        );
    // As of week 37 the latest allocation is week 36's: 2.0 FTE.
    let run = tree.run(&["milestones", "--format", "json", "--as-of", "2016-09-18"]);
    assert_eq!(
        run.json()["milestones"][0]["staffing_reported"],
        2.0,
        "{}",
        run.stdout
    );
    assert_eq!(run.json()["milestones"][0]["staffing"]["fte"], 4.0);
    let table = tree.run(&["milestones", "--as-of", "2016-09-18"]);
    assert!(
        table
            .stdout
            .contains("needs 4.0 until 2016-12-31, has 2.0: short 2.0"),
        "{}",
        table.stdout
    );
    let check = tree.run(&["check", "--format", "json", "--as-of", "2016-09-18"]);
    let on_milestone: Vec<String> = check.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == "milestones.yaml" && f["rule"] == "staffing-risk")
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        on_milestone,
        [
            "milestone `Lansering` needs 4.0 FTE until 2016-12-31; the latest report (docs/status/2016_uke_36.rst of 2016-09-09) gives 2.0: short 2.0"
        ]
    );
    // Week 38 reports 3.0.
    let run = tree.run(&["milestones", "--format", "json", "--as-of", "2016-09-30"]);
    assert_eq!(
        run.json()["milestones"][0]["staffing_reported"],
        3.0,
        "{}",
        run.stdout
    );
    // After `until`, the need has passed: no finding.
    let check = tree.run(&["check", "--format", "json", "--as-of", "2017-01-15"]);
    assert!(
        !check
            .findings()
            .iter()
            .any(|f| f.0 == "milestones.yaml" && f.2 == "staffing-risk"),
        "{}",
        check.stdout
    );
}

/// With no milestones defined, `milestones` says where it looked, before
/// checking any report.
#[test]
fn no_milestones_says_where_it_looked_without_checking() {
    let tree = Tree::new();
    tree.file("docs/milepost.yaml", "rules:\n  late-report: off\n")
        .file("docs/2016_uke_38.rst", "\u{0}binary")
        .file("docs/2016_uke_39.rst", "garbage\n");
    let run = tree.run(&["milestones", "--config", "docs/milepost.yaml"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("no milestones: there is no docs/milestones.yaml"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(!run.stderr.contains("encoding"), "{}", run.stderr);
}

/// A finished milestone is judged by when it finished: "on time" or "N days
/// late", not by how long ago its due date was.
#[test]
fn a_finished_milestone_shows_its_lateness_not_days_overdue() {
    let tree = story();
    tree.file("milepost.yaml", "milestones: docs/plans/production.rst\n");
    let run = tree.run(&["milestones", "--format", "json", "--as-of", "2016-12-31"]);
    let json = run.json();
    let rows = json["milestones"].as_array().expect("milestones");
    let done: Vec<&serde_json::Value> = rows
        .iter()
        .filter(|m| m["status"] == "done" || m["status"] == "done-late")
        .collect();
    assert!(!done.is_empty(), "{}", run.stdout);
    for m in &done {
        let late = m["days_late"]
            .as_i64()
            .expect("days_late for a done milestone");
        assert_eq!(m["status"] == "done-late", late > 0, "{m}");
    }
    for m in rows
        .iter()
        .filter(|m| m["status"] != "done" && m["status"] != "done-late")
    {
        assert!(m["days_late"].is_null(), "{m}");
    }
    let table = tree.run(&[
        "milestones",
        "--format",
        "markdown",
        "--as-of",
        "2016-12-31",
    ]);
    for m in &done {
        // The row by its title (an id that is its title's slug is not
        // shown twice).
        let title = m["title"].as_str().expect("title");
        let line = table
            .stdout
            .lines()
            .find(|l| l.contains(title))
            .expect("the milestone's row");
        let late = m["days_late"].as_i64().expect("days_late");
        let expected = match late {
            ..=0 => "on time".to_owned(),
            1 => "1 day late".to_owned(),
            n => format!("{n} days late"),
        };
        assert!(line.contains(&expected), "{line}");
        assert!(!line.contains("overdue"), "{line}");
    }
}

/// A staffing need whose `until` has passed is no longer shown or flagged.
#[test]
fn a_staffing_need_past_its_until_is_no_longer_shown() {
    let tree = Tree::new();
    let short = "Vi trenger 4 personer. Vi er nå UiB (1 person 100%) og UiO (1 person 100%).";
    tree.file("docs/status/2016_uke_36.rst", report(36, &[], &[DNS], &[], &[short]))
        .file(
            "milestones.yaml",
            "milestones:\n  - id: lansering\n    title: Lansering\n    due: 2016-11-14\n    staffing: {fte: 4, until: 2016-10-01}\n    items:\n      - id: dns\n        match: [dns]\n",
        );
    let during = tree.run(&["milestones", "--as-of", "2016-09-18"]);
    assert!(during.stdout.contains("short 2.0"), "{}", during.stdout);
    let after = tree.run(&["milestones", "--format", "json", "--as-of", "2016-10-02"]);
    assert!(
        after.json()["milestones"][0]["staffing"].is_null(),
        "{}",
        after.stdout
    );
    let table = tree.run(&["milestones", "--as-of", "2016-10-02"]);
    assert!(!table.stdout.contains("needs 4.0"), "{}", table.stdout);
}

/// `check --as-of` replays the repository as it was that day: reports dated
/// later do not exist for any rule (no staffing finding of 2018, and no
/// "missing week" between 2016 and 2018).
#[test]
fn as_of_applies_to_every_rule() {
    let tree = Tree::new();
    let short = "Vi trenger 4 personer, men vi er bare 2.";
    tree.file(
        "docs/status/2016_uke_37.rst",
        report(37, &[], &[DNS], &[], &[]),
    )
    .file(
        "docs/status/2016_uke_38.rst",
        report(38, &[], &[DNS], &[], &[]),
    )
    .file(
        "docs/status/2016_uke_44.rst",
        report(44, &[], &[DNS], &[], &[short]),
    );
    let now = tree.run(&["check", "--format", "json"]);
    let rules = now.rules();
    assert!(rules.contains(&"staffing-risk".into()), "{rules:?}");
    assert!(rules.contains(&"missing-report".into()), "{rules:?}");
    let then = tree.run(&["check", "--format", "json", "--as-of", "2016-09-30"]);
    let rules = then.rules();
    assert!(!rules.contains(&"staffing-risk".into()), "{rules:?}");
    assert!(!rules.contains(&"missing-report".into()), "{rules:?}");
    assert_eq!(then.json()["summary"]["files"], 2, "{}", then.stdout);
}

/// An id that only spells its title again (what a plan table's rows get)
/// is not a column of its own in the tables; an id someone chose is.
#[test]
fn tables_show_ids_only_when_they_say_more_than_the_title() {
    let tree = Tree::new();
    tree.file(
        "docs/status/2016_uke_38.rst",
        report(38, &["Oppgradert til mitaka."], &[], &["Lansering."], &[]),
    );
    let slugs = "milestones:\n  - id: oppgradere-til-mitaka\n    title: Oppgradere til mitaka\n    due: 2016-10-01\n    items:\n      - id: mitaka\n        title: Mitaka\n        match: [mitaka]\n";
    tree.file("milestones.yaml", slugs);
    for format in ["human", "markdown", "rst"] {
        let run = tree.run(&["milestones", "--format", format, "--as-of", "2016-09-30"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stdout.contains("Oppgradere til mitaka"),
            "{}",
            run.stdout
        );
        assert!(
            !run.stdout.contains("oppgradere-til-mitaka"),
            "{format}: {}",
            run.stdout
        );
        // No id header cell, in any table's drawing.
        for cell in ["| id ", "│ id ", "\n| id"] {
            assert!(!run.stdout.contains(cell), "{format}: {}", run.stdout);
        }
    }
    let verbose = tree.run(&[
        "milestones",
        "--format",
        "markdown",
        "--verbose",
        "--as-of",
        "2016-09-30",
    ]);
    assert!(verbose.stdout.contains("↳ Mitaka"), "{}", verbose.stdout);
    // A chosen id is shown, in every table.
    tree.file(
        "milestones.yaml",
        slugs
            .replace("id: oppgradere-til-mitaka", "id: m1")
            .as_str(),
    );
    for format in ["human", "markdown", "rst"] {
        let run = tree.run(&["milestones", "--format", format, "--as-of", "2016-09-30"]);
        assert!(run.stdout.contains("m1"), "{format}: {}", run.stdout);
        assert!(
            run.stdout.contains("Oppgradere til mitaka"),
            "{}",
            run.stdout
        );
    }
    let verbose = tree.run(&[
        "milestones",
        "--format",
        "markdown",
        "--verbose",
        "--as-of",
        "2016-09-30",
    ]);
    assert!(verbose.stdout.contains("↳ mitaka"), "{}", verbose.stdout);
}
