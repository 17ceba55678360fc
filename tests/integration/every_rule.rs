//! Every rule in the registry fires on a fixture of its own, through the
//! real binary and `--format json`.
//!
//! A rule whose wiring is lost (a family no longer called, a status no
//! longer turned into a finding) passes every unit test of its logic; this
//! catches it. And a rule added to `Rule::ALL` without a fixture here fails
//! [`every_rule_has_a_fixture`], so the table and the tests cannot drift
//! apart. Each fixture is the smallest tree that should trigger its rule;
//! other findings in it are allowed, the rule itself must be among them.

use std::collections::BTreeSet;

use milepost::rules::Rule;

use crate::support::{GitTree, Run, Tree, good_report};

/// A fixture: the rule it is for, and how to build a tree and run
/// `milepost check --format json` in it.
type Fixture = (&'static str, fn() -> Run);

const FIXTURES: &[Fixture] = &[
    ("title", title),
    ("byline", byline),
    ("date-format", date_format),
    ("week-mismatch", week_mismatch),
    ("missing-section", missing_section),
    ("unknown-section", unknown_section),
    ("duplicate-section", duplicate_section),
    ("section-order", section_order),
    ("empty-section", empty_section),
    ("broken-link", broken_link),
    ("encoding", encoding),
    ("date-mismatch", date_mismatch),
    ("heading-underline", heading_underline),
    ("late-report", late_report),
    ("byline-vs-commit", byline_vs_commit),
    ("edited-after-publish", edited_after_publish),
    ("missing-report", missing_report),
    ("stale-item", stale_item),
    ("overdue-item", overdue_item),
    ("unplanned-goal", unplanned_goal),
    ("dropped-item", dropped_item),
    ("milestone-overdue", milestone_overdue),
    ("milestone-at-risk", milestone_at_risk),
    ("staffing-risk", staffing_risk),
    ("unused-suppression", unused_suppression),
];

#[test]
fn every_rule_has_a_fixture() {
    let registry: BTreeSet<&str> = Rule::ALL.iter().map(|rule| rule.name()).collect();
    let covered: BTreeSet<&str> = FIXTURES.iter().map(|(name, _)| *name).collect();
    assert_eq!(covered.len(), FIXTURES.len(), "a rule has two fixtures");
    let missing: Vec<&&str> = registry.difference(&covered).collect();
    let unknown: Vec<&&str> = covered.difference(&registry).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "rules without a fixture in tests/integration/every_rule.rs: {missing:?}; \
         fixtures for rules that do not exist: {unknown:?}"
    );
}

#[test]
fn every_fixture_triggers_its_rule() {
    // The fixtures are independent processes: run them side by side.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = FIXTURES
            .iter()
            .map(|&(name, fixture)| scope.spawn(move || check_fixture(name, fixture)))
            .collect();
        handles
            .into_iter()
            .filter_map(|handle| handle.join().unwrap_or_else(|_| Some("panicked".into())))
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Runs one fixture; `Some(why)` when its rule did not fire as itself.
fn check_fixture(name: &str, fixture: fn() -> Run) -> Option<String> {
    let Some(rule) = Rule::lookup(name) else {
        return Some(format!("{name}: not a rule"));
    };
    let run = fixture();
    let json: serde_json::Value = match serde_json::from_str(&run.stdout) {
        Ok(json) => json,
        Err(err) => {
            return Some(format!(
                "{name}: stdout is not JSON ({err}), exit {}:\n{}\n{}",
                run.code, run.stdout, run.stderr
            ));
        }
    };
    let fired = json["findings"].as_array().is_some_and(|findings| {
        findings
            .iter()
            .any(|f| f["rule"] == rule.name() && f["code"] == rule.code())
    });
    (!fired).then(|| {
        format!(
            "{name} ({}) did not fire on its fixture; exit {}, stdout:\n{}\nstderr:\n{}",
            rule.code(),
            run.code,
            run.stdout,
            run.stderr
        )
    })
}

const JSON: &[&str] = &["check", "--format", "json"];

/// `good_report(week)` with `from` replaced by `to`, which must occur.
fn edited(week: u32, from: &str, to: &str) -> String {
    let report = good_report(week);
    assert!(report.contains(from), "the fixture no longer has {from:?}");
    report.replace(from, to)
}

/// One report, `2016_uke_38.rst`, in a folder without git.
fn one_report(text: impl AsRef<[u8]>) -> Run {
    let tree = Tree::new();
    tree.file("docs/status/2016_uke_38.rst", text);
    tree.run(JSON)
}

fn heading_underline() -> Run {
    // Four characters: still a heading, but shorter than its title.
    one_report(good_report(38).replace("Under arbeid\n============", "Under arbeid\n====="))
}

// ---------------------------------------------------------------------------
// Structure (one report)

fn title() -> Run {
    // An empty file has no title.
    one_report("")
}

fn byline() -> Run {
    one_report(edited(
        38,
        "av Raymond Kristiansen, UH IaaS,",
        "Raymond Kristiansen",
    ))
}

fn date_format() -> Run {
    let report = good_report(38);
    let byline = report.lines().nth(3).expect("a byline").to_owned();
    one_report(report.replace(&byline, "av Raymond Kristiansen, UH IaaS, 31. feb 2016"))
}

fn week_mismatch() -> Run {
    let tree = Tree::new();
    tree.file("docs/status/2016_uke_39.rst", good_report(38));
    tree.run(JSON)
}

fn date_mismatch() -> Run {
    // Named 8 March 2017 in its file name, 26 February in its title.
    let tree = Tree::new();
    tree.file(
        "milepost.yaml",
        "reports:\n  - glob: 'status/*.md'\n    schema: s.yaml\n",
    )
    .file(
        "s.yaml",
        "extends: weekly\nfile_name: '^p-(?P<date>\\d{6})$'\ntitle: '^P (?P<date>.+)$'\nbyline: null\nsections:\n  - {title: Progress, kind: in_progress}\n",
    )
    .file("status/p-170308.md", "# P 26.02.2017\n\n## Progress\n\n- Done.\n");
    tree.run(JSON)
}

fn unplanned_goal() -> Run {
    // No config: date-named reports in a status folder, the built-in
    // `goals` template; the second report's Original Goals gained a goal.
    let tree = Tree::new();
    let report = |title: &str, original: &str, next: &str| {
        format!(
            "# Projectname {title}\n\n## High Level Goal\n\nRun it.\n\n## Original Goals\n\n{original}\n## Progress and Issues\n\n- Going well.\n\n## Goals for Next Week\n\n{next}\n"
        )
    };
    tree.file(
        "Status-Reports/projectname-170301.md",
        report("01/03/17", "- Plan.\n", "- Set up monitoring.\n"),
    )
    .file(
        "Status-Reports/projectname-170308.md",
        report(
            "08/03/17",
            "- Set up monitoring.\n- Buy servers.\n",
            "- Write docs.\n",
        ),
    );
    tree.run(JSON)
}

fn missing_section() -> Run {
    one_report(edited(
        38,
        "Utfordringer\n============\n\n- API-tilgang er ikke optimal slik den er satt opp nå.\n\n",
        "",
    ))
}

fn unknown_section() -> Run {
    one_report(edited(
        38,
        "Oppdatert status\n",
        "Budsjett\n========\n\n- 1 MNOK til nye servere.\n\nOppdatert status\n",
    ))
}

fn duplicate_section() -> Run {
    let report = good_report(38);
    one_report(format!("{report}\nFullført\n========\n\n- Enda mer.\n"))
}

fn section_order() -> Run {
    let done = "Fullført\n========\n\n- Oppgradering til mitaka i uke 38.\n\n";
    let report = edited(38, done, "");
    one_report(format!("{}\n\n{}", report.trim_end(), done.trim_end()))
}

fn empty_section() -> Run {
    one_report(edited(38, "- Oppgradere ceph til siste versjon.\n\n", ""))
}

fn broken_link() -> Run {
    one_report(edited(
        38,
        "- Oppgradere ceph til siste versjon.",
        "- Oppgradere ceph, se :doc:`../plans/finnes-ikke`.",
    ))
}

fn encoding() -> Run {
    // "Fullført" in Latin-1: not UTF-8.
    let mut bytes = good_report(38).into_bytes();
    let at = bytes
        .windows(2)
        .position(|w| w == "ø".as_bytes())
        .expect("an ø");
    bytes.splice(at..at + 2, [0xf8]);
    one_report(bytes)
}

// ---------------------------------------------------------------------------
// History (a git repository with commits at chosen dates)

fn late_report() -> Run {
    // Week 38 ended on 25 September 2016; first committed 20 October.
    let git = GitTree::new();
    git.commit_files(
        "2016-10-20",
        &[("status/2016_uke_38.rst", &good_report(38))],
    );
    git.run(JSON)
}

fn byline_vs_commit() -> Run {
    // Dated 23 September, first committed 20 October.
    late_report()
}

fn edited_after_publish() -> Run {
    let git = GitTree::new();
    let report = good_report(38);
    git.commit_files("2016-09-23", &[("status/2016_uke_38.rst", &report)]);
    let rewritten = report.replace("- Oppgradere ceph", "- Ferdig: oppgradere ceph");
    git.commit_files("2016-11-02", &[("status/2016_uke_38.rst", &rewritten)]);
    // Off by default.
    git.write("milepost.yaml", "rules:\n  edited-after-publish: warning\n");
    git.run(JSON)
}

// ---------------------------------------------------------------------------
// Series, tracking and milestones (a whole run over several reports)

fn missing_report() -> Run {
    let tree = Tree::new();
    for week in [37, 39] {
        tree.file(
            &format!("docs/status/2016_uke_{week}.rst"),
            good_report(week),
        );
    }
    tree.run(JSON)
}

fn stale_item() -> Run {
    // The same item in progress every week from week 30 to week 38.
    let tree = Tree::new();
    for week in 30..=38 {
        tree.file(
            &format!("docs/status/2016_uke_{week}.rst"),
            good_report(week),
        );
    }
    tree.run(JSON)
}

fn overdue_item() -> Run {
    one_report(edited(
        38,
        "- Oppgradere ceph til siste versjon.",
        "- Oppgradere ceph til siste versjon i uke 30.",
    ))
}

fn dropped_item() -> Run {
    // Ceph planned in weeks 30 to 33, then in none of the next four
    // reports, and never reported done.
    let tree = Tree::new();
    for week in 30..=37 {
        let report = if week <= 33 {
            good_report(week)
        } else {
            edited(
                week,
                "- Oppgradere ceph til siste versjon.",
                "- Sette opp overvåking med Sensu.",
            )
        };
        tree.file(&format!("docs/status/2016_uke_{week}.rst"), report);
    }
    tree.run(JSON)
}

/// One report of week 38 and a milestone whose one item (ceph) it lists as
/// planned, judged as of `as_of`.
fn milestone(due: &str, as_of: &str) -> Run {
    let tree = Tree::new();
    tree.file("docs/status/2016_uke_38.rst", good_report(38))
        .file(
            "milestones.yaml",
            format!(
                "milestones:\n  - id: ceph\n    title: Ceph oppgradert\n    due: {due}\n    items:\n      - id: ceph\n        match: [ceph]\n"
            ),
        );
    tree.run(&["check", "--format", "json", "--as-of", as_of])
}

fn milestone_overdue() -> Run {
    milestone("2016-09-30", "2016-10-10")
}

fn milestone_at_risk() -> Run {
    // Due in five days with nothing done.
    milestone("2016-09-30", "2016-09-25")
}

fn staffing_risk() -> Run {
    one_report(edited(
        38,
        "- API-tilgang er ikke optimal slik den er satt opp nå.",
        "- Hovedgrunnen er mangel på dedikerte personer i prosjektet, vi trenger\n  4 personer frem til nyttår.",
    ))
}

fn unused_suppression() -> Run {
    // Silences broken links in a section that has none.
    one_report(edited(
        38,
        "Oppdatert status\n",
        ".. milepost: disable=broken-link\n\nOppdatert status\n",
    ))
}
