//! Milestone matching (issue 15): `from:`, the same matching for items and
//! challenges, plan rows with compounds, a keyword column and inline
//! keywords.

use crate::support::{Run, Tree};

/// A `uke` report of 2016 week `week` with one done item, one planned
/// item and one challenge.
fn report(week: u32, done: &str, planned: &str, challenge: &str) -> String {
    let friday =
        chrono::NaiveDate::from_isoywd_opt(2016, week, chrono::Weekday::Fri).expect("a valid week");
    format!(
        "======\nUke {week}\n======\nav Kari Nordmann, UH IaaS, {}\n\n\
Fullført\n========\n\n- {done}\n\n\
Under arbeid\n============\n\n- Fortsette å hjelpe brukere med å ta i bruk tjenesten.\n\n\
Planlagt fremdrift\n==================\n\n- {planned}\n\n\
Utfordringer\n============\n\n- {challenge}\n\n\
Oppdatert status\n================\n\nArbeidet går som normalt.\n",
        friday.format("%d.%m.%Y")
    )
}

fn milestones(tree: &Tree, as_of: &str) -> (Run, serde_json::Value) {
    let run = tree.run(&["milestones", "--format", "json", "--as-of", as_of]);
    let json = run.json();
    (run, json)
}

fn status_of(json: &serde_json::Value, id: &str) -> String {
    json["milestones"]
        .as_array()
        .expect("milestones")
        .iter()
        .find(|m| m["id"] == id)
        .map(|m| m["status"].as_str().unwrap_or("").to_owned())
        .unwrap_or_else(|| panic!("no milestone {id}: {json}"))
}

#[test]
fn only_reports_from_the_milestones_from_date_count() {
    // An IPv6 course in April does not finish an IPv6 milestone planned
    // in August.
    let tree = Tree::new();
    tree.file(
        "docs/status/2016_uke_15.rst",
        report(
            15,
            "Kurs i IPv6 for driftsgruppen.",
            "Oppgradere ceph.",
            "Ingen.",
        ),
    )
    .file(
        "docs/status/2016_uke_38.rst",
        report(
            38,
            "Workshop ved USIT.",
            "Sette opp IPv6 på det offentlige nettet.",
            "Ingen.",
        ),
    );
    let spec = |from: &str| {
        format!(
            "milestones:\n  - id: ipv6\n    due: 2016-12-01\n{from}    items:\n      - id: ipv6\n        match: [ipv6]\n"
        )
    };
    tree.file("milestones.yaml", spec(""));
    let (_, json) = milestones(&tree, "2016-10-01");
    assert_eq!(status_of(&json, "ipv6"), "done", "{json}");
    tree.file("milestones.yaml", spec("    from: 2016-08-01\n"));
    let (_, json) = milestones(&tree, "2016-10-01");
    assert_eq!(status_of(&json, "ipv6"), "not-started", "{json}");
    // A from date that is not a date is an error naming the milestone.
    tree.file("milestones.yaml", spec("    from: 31. feb 2016\n"));
    let run = tree.run(&["milestones", "--as-of", "2016-10-01"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("milestone `ipv6`: from date"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_challenge_names_an_item_by_its_match_keywords() {
    let tree = Tree::new();
    tree.file(
        "docs/status/2016_uke_38.rst",
        report(
            38,
            "Workshop ved USIT.",
            "Sette opp objektlagring for forskningsdata.",
            "Object storage is blocked by the missing disks.",
        ),
    )
    .file(
        "milestones.yaml",
        "milestones:\n  - id: lagring\n    title: Lagring\n    due: 2016-12-01\n    items:\n      - id: objektlagring\n        title: Objektlagring i produksjon\n        match: [objektlagring, \"object storage\"]\n",
    );
    let (_, json) = milestones(&tree, "2016-09-25");
    assert_eq!(status_of(&json, "lagring"), "at-risk", "{json}");
}

const PLAN: &str = "=========================
Plan for produksjon 2016
=========================

======== ========================================= ====================
 Frist    Leveranse                                 Stikkord
======== ========================================= ====================
 01.nov   Produksjonsklar bgo og osl
 14.nov   Lansering                                 produksjonssetting
 01.des   Dokumentasjon [match: brukerveiledning]
======== ========================================= ====================
";

#[test]
fn plan_rows_match_compounds_keyword_columns_and_inline_keywords() {
    let tree = Tree::new();
    tree.file("docs/plans/production.rst", PLAN)
        .file(
            "docs/status/2016_uke_46.rst",
            report(
                46,
                "Produksjonssetting ble utført som planlagt 14. november.",
                "Skrive brukerveiledning for objektlagring.",
                "Ingen.",
            ),
        )
        .file(
            "docs/status/2016_uke_43.rst",
            report(
                43,
                "bgo og osl er klar til å gå i produksjon.",
                "Produksjonssetting 14. november.",
                "Ingen.",
            ),
        )
        .file("milepost.yaml", "milestones: docs/plans/production.rst\n");
    let (run, json) = milestones(&tree, "2016-11-20");
    let statuses: Vec<(String, String)> = json["milestones"]
        .as_array()
        .expect("milestones")
        .iter()
        .map(|m| {
            (
                m["title"].as_str().unwrap_or("").to_owned(),
                m["status"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("Produksjonsklar bgo og osl".to_owned(), "done".to_owned()),
            ("Lansering".to_owned(), "done".to_owned()),
            // Due in 11 days and only planned ("brukerveiledning").
            ("Dokumentasjon".to_owned(), "at-risk".to_owned()),
        ],
        "{}",
        run.stdout
    );
    // The inline keyword found the planned item.
    assert_eq!(json["milestones"][2]["items_planned"], 1, "{}", run.stdout);
}

#[test]
fn without_config_the_plan_the_reports_link_to_is_found() {
    let tree = Tree::new();
    tree.file("docs/plans/production.rst", PLAN).file(
        "docs/status/2016_uke_43.rst",
        report(
            43,
            "bgo og osl er klar til å gå i produksjon.",
            "Produksjonssetting 14. november.",
            "I :doc:`../plans/production` har vi skrevet at vi trenger 4 personer.",
        ),
    );
    let run = tree.run(&["milestones", "--format", "json", "--as-of", "2016-10-30"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["milestones"].as_array().map(Vec::len), Some(3));
    assert!(
        run.stderr.contains(
            "milestones from the plan table of docs/plans/production.rst, linked from docs/status/2016_uke_43.rst"
        ),
        "{}",
        run.stderr
    );
    // A linked document without a deadline table: said where it looked.
    tree.file("docs/plans/production.rst", "Plan\n====\n\nIngen tabell.\n");
    let run = tree.run(&["milestones", "--as-of", "2016-10-30"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "no deadline table in the documents the reports link to: docs/plans/production.rst"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn verbose_tables_tell_milestones_from_items_and_name_unmatched_milestones() {
    let tree = Tree::new();
    tree.file("docs/plans/production.rst", PLAN)
        .file(
            "docs/status/2016_uke_43.rst",
            report(
                43,
                "bgo og osl er klar til å gå i produksjon.",
                "Oppgradere ceph.",
                "Ingen.",
            ),
        )
        .file("milepost.yaml", "milestones: docs/plans/production.rst\n");
    for format in ["markdown", "rst"] {
        let run = tree.run(&[
            "milestones",
            "--format",
            format,
            "--verbose",
            "--as-of",
            "2016-10-30",
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        // Item rows marked, milestone rows not: one mark per plan row.
        assert_eq!(run.stdout.matches("↳ ").count(), 3, "{}", run.stdout);
        // Plan rows' ids are their titles' slugs: no id column repeats
        // the title, and the mark goes on the title.
        assert!(
            run.stdout.contains("↳ Produksjonsklar bgo og osl"),
            "{}",
            run.stdout
        );
        assert!(
            !run.stdout.contains("produksjonsklar-bgo-og-osl"),
            "{}",
            run.stdout
        );
        // Nothing in the reports names Lansering or Dokumentasjon.
        assert_eq!(run.stdout.matches("no report").count(), 2, "{}", run.stdout);
    }
}
