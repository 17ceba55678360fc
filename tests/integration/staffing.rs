//! `staffing-risk` through the binary: the seed's staffing item gives one
//! warning with the shortfall, and a shortage of machines gives none.
//! (Needs the rule wired into `check_file`.)

use crate::support::{Tree, good_report};

const SEED_ITEM: &str =
    "- I :doc:`../plans/production` har jeg skrevet at vi trenger 4 personer frem
  til nyttår for å komme i produksjon. Vi er nå prosjektleder (100% delt),
  UiB (1 person 100%) og UiO (1 person 60% og en person 40%). Det ser ikke ut
  til å berøre datoene i leveransen, men vil kunne påvirke innholdet dersom vi
  støter på større utfordringer.";

const ONLY_ITEM: &str = "- API-tilgang er ikke optimal slik den er satt opp nå.";

/// A clean report whose Utfordringer holds `items`, with the plan its link
/// points at.
fn tree_with_challenges(items: &str) -> Tree {
    let report = good_report(38).replace(ONLY_ITEM, items);
    assert!(report.contains(items), "the fixture changed");
    let tree = Tree::new();
    tree.file("docs/status/2016_uke_38.rst", report)
        .file("docs/plans/production.rst", "Plan\n====\n\nInnhold.\n");
    tree
}

#[test]
fn seed_staffing_item_gives_one_warning_with_the_shortfall() {
    let tree = tree_with_challenges(SEED_ITEM);
    let run = tree.run(&["check", "--format", "json"]);
    let json = run.json();
    let findings = json["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    let finding = &findings[0];
    assert_eq!(finding["rule"], "staffing-risk");
    assert_eq!(finding["code"], "P001");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(
        finding["message"],
        "staffing risk: needs 4.0 FTE, reported 3.0 (2.5 if the shared 100% counts as half): short 1.0 to 1.5"
    );
    // A warning does not fail the build by default.
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn compute_resources_are_not_a_staffing_risk() {
    let tree = tree_with_challenges(
        "- Vi begynner å gå tom for compute ressurser.\n\n- Mangel på SSD gjør at diskene ikke kommer før i juni.",
    );
    let run = tree.run(&["check", "--format", "json", "--fail-on", "info"]);
    assert_eq!(run.rules(), Vec::<String>::new(), "{}", run.stdout);
    assert_eq!(run.code, 0);
}

#[test]
fn staffing_outside_the_challenges_is_not_flagged() {
    let report = good_report(38).replace(
        "- Oppgradere ceph til siste versjon.",
        "- Vi trenger 4 personer til oppgraderingen av ceph.",
    );
    let tree = Tree::new();
    tree.file("2016_uke_38.rst", report);
    let run = tree.run(&["check", "--format", "json", "--fail-on", "info"]);
    assert_eq!(run.rules(), Vec::<String>::new(), "{}", run.stdout);
}

#[test]
fn the_rule_can_be_turned_off_and_suppressed() {
    let tree = tree_with_challenges(SEED_ITEM);
    tree.file("milepost.yaml", "rules:\n  staffing-risk: off\n");
    let run = tree.run(&["check", "--format", "json", "--fail-on", "info"]);
    assert_eq!(run.rules(), Vec::<String>::new(), "{}", run.stdout);

    let tree = tree_with_challenges(&format!(
        ".. milepost: disable=staffing-risk\n\n{SEED_ITEM}"
    ));
    let run = tree.run(&["check", "--format", "json", "--fail-on", "info"]);
    assert_eq!(run.rules(), Vec::<String>::new(), "{}", run.stdout);
}

#[test]
fn english_challenges_are_read_too() {
    let report = "# Week 38\n\nby A B, UH IaaS, September 23, 2016\n\n## Completed\n\n- Upgrade.\n\n## In progress\n\n- DNS.\n\n## Planned\n\n- Ceph.\n\n## Challenges\n\n- We need 3 FTE until launch; we have two engineers at 50%.\n\n- The storage cluster is short of capacity.\n\n## Status update\n\nOn track.\n";
    let tree = Tree::new();
    tree.file("2016_week_38.md", report);
    let run = tree.run(&["check", "--format", "json"]);
    let json = run.json();
    let messages: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert_eq!(
        messages,
        ["staffing risk: needs 3.0 FTE, reported 1.0: short 2.0"],
        "{}",
        run.stdout
    );
}

#[test]
fn other_section_kinds_are_read_when_configured() {
    let report = crate::support::good_report(37).replace(
        "Arbeidet frem til leveranse 14. november oppdateres fortløpende.",
        "Vi trenger 4 personer frem til nyttår.",
    );
    let tree = crate::support::Tree::new();
    tree.file("2016_uke_37.rst", &report);
    assert_eq!(
        tree.run(&["check", "--format", "json"]).rules(),
        Vec::<String>::new()
    );
    tree.file("milepost.yaml", "staffing:\n  sections: [risks, status]\n");
    assert_eq!(
        tree.run(&["check", "--format", "json"]).rules(),
        vec!["staffing-risk"]
    );
}
