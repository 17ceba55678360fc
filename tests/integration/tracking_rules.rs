//! Item tracking through the binary (issue 15): `dropped-item`, runs of
//! consecutive reports for `stale-item`, the forget window, standing
//! duties, done-ness and dates read from prose.

use crate::support::{Run, Tree};

/// A `uke` report of 2016 week `week` with these items; a section with
/// none is left out, and the status is `status` (or a neutral sentence).
fn report(week: u32, done: &[&str], doing: &[&str], planned: &[&str], status: &str) -> String {
    let friday =
        chrono::NaiveDate::from_isoywd_opt(2016, week, chrono::Weekday::Fri).expect("a valid week");
    let mut text = format!(
        "======\nUke {week}\n======\nav Kari Nordmann, UH IaaS, {}\n\n",
        friday.format("%d.%m.%Y")
    );
    for (title, items) in [
        ("Fullført", done),
        ("Under arbeid", doing),
        ("Planlagt fremdrift", planned),
    ] {
        if items.is_empty() && title == "Fullført" {
            continue;
        }
        text.push_str(&format!(
            "{title}\n{}\n\n",
            "=".repeat(title.chars().count())
        ));
        for item in items {
            text.push_str(&format!("- {item}\n\n"));
        }
        if items.is_empty() {
            text.push_str("- Ingenting nytt.\n\n");
        }
    }
    let status = if status.is_empty() {
        "Arbeidet går som normalt."
    } else {
        status
    };
    text.push_str(&format!(
        "Utfordringer\n============\n\n- Ingen.\n\nOppdatert status\n================\n\n{status}\n"
    ));
    text
}

fn path(week: u32) -> String {
    format!("docs/status/2016_uke_{week}.rst")
}

fn check(tree: &Tree) -> Run {
    tree.run(&["check", "--format", "json", "--as-of", "2016-12-31"])
}

/// The findings of `rule` as (file name, message).
fn of_rule(run: &Run, rule: &str) -> Vec<(String, String)> {
    run.json()["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| {
            (
                f["path"]
                    .as_str()
                    .unwrap_or("")
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .to_owned(),
                f["message"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

const STANDING: &str = "Fortsette å hjelpe brukere med å ta i bruk tjenesten.";

#[test]
fn a_vanished_item_is_dropped_on_the_last_report_that_listed_it() {
    let tree = Tree::new();
    for week in 30..=37 {
        let planned: &[&str] = if week <= 32 {
            &[
                "Oppgradere ceph til siste versjon.",
                "Reinstallere `osl` på torsdag.",
            ]
        } else {
            &[STANDING]
        };
        tree.file(&path(week), report(week, &[], &[STANDING], planned, ""));
    }
    let run = check(&tree);
    let dropped = of_rule(&run, "dropped-item");
    assert_eq!(dropped.len(), 2, "{}", run.stdout);
    assert_eq!(dropped[0].0, "2016_uke_32.rst");
    assert!(
        dropped[0].1.starts_with(
            "planned here and listed in 3 reports from 2016-07-29, then left out of the 5 reports since, never reported done"
        ),
        "{}",
        dropped[0].1
    );
    // The standing duty, in every report, is neither stale nor dropped.
    assert!(of_rule(&run, "stale-item").is_empty(), "{}", run.stdout);
}

#[test]
fn an_item_reported_done_in_the_status_prose_or_dropped_openly_is_not_dropped() {
    let tree = Tree::new();
    for week in 30..=37 {
        let (planned, status): (&[&str], &str) = match week {
            30..=32 => (
                &[
                    "Full reinstallasjon av `bgo`.",
                    "Oppgradere ceph til siste versjon.",
                ],
                "",
            ),
            33 => (
                &["Oppgradere ceph til siste versjon. Dette utgår."],
                "Reinstallasjonen av `bgo` er ferdig.",
            ),
            _ => (&[], ""),
        };
        tree.file(&path(week), report(week, &[], &[], planned, status));
    }
    let run = check(&tree);
    assert!(of_rule(&run, "dropped-item").is_empty(), "{}", run.stdout);
}

#[test]
fn in_a_row_counts_reports_not_sightings() {
    // Planned in weeks 30–32, left out of 33–35, back in 36–38: three
    // reports in a row, not six.
    let tree = Tree::new();
    for week in 30..=38 {
        let planned: &[&str] = if (33..=35).contains(&week) {
            &[]
        } else {
            &["Oppgradere ceph til siste versjon."]
        };
        tree.file(&path(week), report(week, &[], &[STANDING], planned, ""));
    }
    let run = check(&tree);
    assert!(of_rule(&run, "stale-item").is_empty(), "{}", run.stdout);
    // Two more reports make five in a row.
    for week in 39..=40 {
        tree.file(
            &path(week),
            report(
                week,
                &[],
                &[STANDING],
                &["Oppgradere ceph til siste versjon."],
                "",
            ),
        );
    }
    let stale = of_rule(&check(&tree), "stale-item");
    assert_eq!(stale.len(), 1);
    assert!(
        stale[0]
            .1
            .starts_with("planned in 5 reports in a row without moving, since 2016-09-09"),
        "{}",
        stale[0].1
    );
}

#[test]
fn the_forget_window_is_the_dropped_item_weeks() {
    // Listed in weeks 20–21, back in week 36 (15 weeks later) and on.
    let tree = Tree::new();
    for week in 20..=40 {
        let doing: &[&str] = if week <= 21 || week >= 36 {
            &[
                "Sette opp overvåking med Sensu for alle regioner.",
                STANDING,
            ]
        } else {
            &[STANDING]
        };
        tree.file(&path(week), report(week, &[], doing, &[], ""));
    }
    // Within the default 26 weeks: the same item, not dropped.
    let run = check(&tree);
    assert!(of_rule(&run, "dropped-item").is_empty(), "{}", run.stdout);
    // Forgotten after 8 weeks: dropped in week 21, a new item from week 36.
    tree.file("milepost.yaml", "rules:\n  dropped-item: {weeks: 8}\n");
    let dropped = of_rule(&check(&tree), "dropped-item");
    assert_eq!(dropped.len(), 1, "{dropped:?}");
    assert_eq!(dropped[0].0, "2016_uke_21.rst");
    // The parameters are checked.
    tree.file("milepost.yaml", "rules:\n  dropped-item: {weeks: 0}\n");
    let run = check(&tree);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("dropped-item: weeks"), "{}", run.stderr);
}

#[test]
fn successive_upgrades_are_different_items() {
    // Ocata planned in weeks 30–34 and then gone; Pike planned from week
    // 35. Followed as one item (they share "oppgradere til … i test"),
    // Pike would be "planned in 7 reports in a row" in week 36.
    let tree = Tree::new();
    for week in 30..=36 {
        let planned: &[&str] = if week <= 34 {
            &["Oppgradere til Ocata i test."]
        } else {
            &["Oppgradere til Pike i test."]
        };
        tree.file(&path(week), report(week, &[], &[STANDING], planned, ""));
    }
    let run = check(&tree);
    assert!(of_rule(&run, "stale-item").is_empty(), "{}", run.stdout);
    // Two more Pike reports: Ocata, left out of four, is dropped.
    for week in 37..=38 {
        tree.file(
            &path(week),
            report(week, &[], &[STANDING], &["Oppgradere til Pike i test."], ""),
        );
    }
    let dropped = of_rule(&check(&tree), "dropped-item");
    assert_eq!(dropped.len(), 1, "{dropped:?}");
    assert_eq!(dropped[0].0, "2016_uke_34.rst");
}

#[test]
fn a_month_promised_in_the_status_prose_is_overdue_when_it_has_passed() {
    let tree = Tree::new();
    tree.file(
        &path(40),
        report(
            40,
            &[],
            &["Arbeid med selvbetjeningsportalen."],
            &[],
            "Planned delivery of the portal is June 2016.",
        ),
    );
    let run = check(&tree);
    let overdue = of_rule(&run, "overdue-item");
    assert_eq!(overdue.len(), 1, "{}", run.stdout);
    assert!(
        overdue[0]
            .1
            .starts_with("the status still promises June 2016, which ended 2016-06-30"),
        "{}",
        overdue[0].1
    );
}

#[test]
fn config_standing_patterns_are_neither_stale_nor_dropped() {
    // "Brukerstøtte i RT" in progress for ten weeks and then gone: stale
    // and dropped, unless the config lists it as a standing duty.
    let tree = Tree::new();
    for week in 30..=44 {
        let doing: &[&str] = if week <= 39 {
            &["Brukerstøtte i RT.", STANDING]
        } else {
            &[STANDING]
        };
        tree.file(&path(week), report(week, &[], doing, &[], ""));
    }
    // (The empty plan's "Ingenting nytt." is stale too: not counted here.)
    let in_progress = |tree: &Tree| {
        let run = tree.run(&["check", "--format", "json", "--as-of", "2016-10-02"]);
        of_rule(&run, "stale-item")
            .into_iter()
            .filter(|(_, message)| message.starts_with("in progress"))
            .count()
    };
    assert_eq!(in_progress(&tree), 1);
    assert_eq!(of_rule(&check(&tree), "dropped-item").len(), 1);
    tree.file("milepost.yaml", "standing:\n  - BRUKERSTØTTE\n");
    assert_eq!(in_progress(&tree), 0);
    assert!(of_rule(&check(&tree), "dropped-item").is_empty());
}

#[test]
fn a_finding_copied_week_after_week_is_reported_once_on_the_latest_report() {
    let risk = "- Vi trenger 4 personer frem til nyttår, men er bare 2.";
    let tree = Tree::new();
    for week in 36..=39 {
        let text = report(week, &[], &[STANDING], &[STANDING], "")
            .replace("- Ingen.", if week == 36 { "- Ingen." } else { risk });
        tree.file(&path(week), text);
    }
    let run = check(&tree);
    let staffing = of_rule(&run, "staffing-risk");
    assert_eq!(staffing.len(), 1, "{}", run.stdout);
    assert_eq!(staffing[0].0, "2016_uke_39.rst");
    assert!(
        staffing[0]
            .1
            .ends_with("(also in 2 earlier reports since 2016-09-16)"),
        "{}",
        staffing[0].1
    );
    // Suppression stays per report: silenced in week 39, week 38 carries it.
    let silenced = report(39, &[], &[STANDING], &[STANDING], "").replace(
        "- Ingen.",
        &format!(".. milepost: disable=staffing-risk\n\n{risk}"),
    );
    tree.file(&path(39), silenced);
    let staffing = of_rule(&check(&tree), "staffing-risk");
    assert_eq!(staffing.len(), 1, "{staffing:?}");
    assert_eq!(staffing[0].0, "2016_uke_38.rst");
    assert!(
        staffing[0]
            .1
            .ends_with("(also in 1 earlier report since 2016-09-16)")
    );
}

#[test]
fn a_baseline_records_a_copied_finding_in_every_report() {
    let risk = "- Vi trenger 4 personer frem til nyttår, men er bare 2.";
    let copied =
        |week: u32| report(week, &[], &[STANDING], &[STANDING], "").replace("- Ingen.", risk);
    let tree = Tree::new();
    for week in 36..=38 {
        tree.file(&path(week), copied(week));
    }
    let run = tree.run(&["check", "--write-baseline", "baseline.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let baselined = |tree: &Tree| {
        let run = tree.run(&["check", "--format", "json", "--baseline", "baseline.json"]);
        of_rule(&run, "staffing-risk")
    };
    assert!(baselined(&tree).is_empty());
    // Next week's copy is new: shown alone, the baselined ones stay hidden.
    tree.file(&path(39), copied(39));
    let shown = baselined(&tree);
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].0, "2016_uke_39.rst");
    assert!(!shown[0].1.contains("also in"), "{}", shown[0].1);
}
