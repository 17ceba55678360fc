//! Inline suppression and the baseline round trip, through the binary.

use crate::support::{Tree, good_report};

#[test]
fn rst_suppression_silences_the_next_section_and_reports_unused_ones() {
    let report = good_report(37)
        .replace(
            "Oppdatert status\n================",
            ".. milepost: disable=unknown-section\n\nBudsjett\n========\n\n- 1 MNOK.\n\n.. milepost: disable=broken-link\n\nOppdatert status\n================",
        );
    let tree = Tree::new();
    tree.file("2016_uke_37.rst", &report);
    let run = tree.run(&["check", "--format", "json"]);
    // Budsjett is silenced; the second comment covers a section with no broken link.
    assert_eq!(run.rules(), vec!["unused-suppression"], "{}", run.stdout);
    assert_eq!(run.json()["findings"][0]["severity"], "info");
    assert_eq!(run.code, 0);
}

#[test]
fn file_wide_suppression_and_codes() {
    let report = format!(
        ".. milepost: disable-file=S004,title\n\n{}",
        good_report(37).replace("Uke 37", "Uke 36")
    );
    let tree = Tree::new();
    tree.file("2016_uke_37.rst", &report);
    let run = tree.run(&["check", "--format", "json"]);
    // week-mismatch is silenced; `title` silences nothing.
    let findings = run.findings();
    assert_eq!(
        findings,
        vec![("2016_uke_37.rst".into(), 1, "unused-suppression".into())]
    );
}

#[test]
fn markdown_suppression() {
    let report = "# Week 38\n\nby A B, UH IaaS, September 23, 2016\n\n## Completed\n\n<!-- milepost: disable=broken-link -->\n- See [the plan](plans/missing.md).\n\n- And [this one](plans/gone.md).\n\n## In progress\n\n- DNS.\n\n## Planned\n\n- Ceph.\n\n## Challenges\n\n- None.\n\n## Status update\n\nOn track.\n";
    let tree = Tree::new();
    tree.file("2016_week_38.md", report);
    let run = tree.run(&["check", "--format", "json"]);
    assert_eq!(
        run.findings(),
        vec![("2016_week_38.md".into(), 10, "broken-link".into())]
    );
}

#[test]
fn suppressing_a_rule_that_is_off_is_not_unused() {
    let report = format!(
        ".. milepost: disable-file=section-order\n\n{}",
        good_report(37)
    );
    let tree = Tree::new();
    tree.file("milepost.yaml", "rules:\n  section-order: off\n")
        .file("2016_uke_37.rst", report);
    let run = tree.run(&["check", "--format", "json", "--fail-on", "info"]);
    assert_eq!(run.rules(), Vec::<String>::new());
    assert_eq!(run.code, 0);
}

#[test]
fn baseline_round_trip_survives_shifted_lines() {
    let tree = Tree::new();
    let old = good_report(37).replace("Fullført", "Fullfort").replace(
        "- Oppgradere ceph til siste versjon.",
        "- Se :doc:`mangler`.",
    );
    tree.file("2016_uke_37.rst", &old).file(
        "2016_uke_38.rst",
        good_report(38).replace("Uke 38", "Uke 39"),
    );
    let run = tree.run(&["check", "--write-baseline", "baseline.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("wrote 4 findings to baseline.json"),
        "{}",
        run.stderr
    );

    // Nothing new: all hidden.
    let run = tree.run(&["check", "--baseline", "baseline.json", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json()["baseline"]["hidden"], 4);

    // Lines shift (a paragraph added at the top of the sections), one old
    // finding is fixed, one new finding appears.
    let shifted = old
        .replace(
            ".. contents:: :depth: 2\n",
            ".. contents:: :depth: 2\n\nEn ny innledning.\n\nOg en til.\n",
        )
        .replace("Fullfort", "Fullført")
        .replace(
            "Under arbeid\n============",
            "Under arbeid\n============\n\n- Nytt punkt med :doc:`borte`.",
        );
    tree.file("2016_uke_37.rst", &shifted);
    let run = tree.run(&["check", "--baseline", "baseline.json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let headers: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("error["))
        .collect();
    assert_eq!(headers.len(), 1, "{}", run.stdout);
    assert!(
        headers[0].contains("broken :doc: link `borte`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("(2 findings hidden by the baseline, 2 baseline entries fixed since)"),
        "{}",
        run.stdout
    );
}

#[test]
fn write_baseline_refuses_to_clobber_other_files() {
    let tree = Tree::new();
    tree.file(
        "2016_uke_37.rst",
        good_report(37).replace("Uke 37", "Uke 36"),
    )
    .file("notes.json", "{\"precious\": true}\n");
    let run = tree.run(&["check", "--write-baseline", "notes.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("refusing to overwrite"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(tree.path().join("notes.json")).unwrap(),
        "{\"precious\": true}\n"
    );
}
