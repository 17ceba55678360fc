//! The JSON contract, exit codes, and the seed passing with no config.

use crate::support::{Tree, good_report};

const SEED: &str = include_str!("../cmd/seed.in/docs/status/2016_uke_38.rst");

#[test]
fn seed_passes_with_no_config() {
    let tree = Tree::new();
    tree.file("docs/status/2016_uke_38.rst", SEED)
        .file("docs/plans/production.rst", "Plan\n====\n\nInnhold.\n");
    let run = tree.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // The template is followed to the letter; the one finding is the
    // staffing shortfall the report itself describes (a warning).
    assert_eq!(
        run.findings(),
        vec![(
            "docs/status/2016_uke_38.rst".into(),
            52,
            "staffing-risk".into()
        )]
    );
    assert_eq!(
        run.json()["findings"][0]["message"],
        "staffing risk: needs 4.0 FTE, reported 3.0 (2.5 if the shared 100% counts as half): short 1.0 to 1.5"
    );
    assert_eq!(run.json()["summary"]["files"], 1);
    assert_eq!(run.json()["summary"]["errors"], 0);
    let structure_only = tree.run(&[
        "check",
        "--fail-on",
        "info",
        "--severity",
        "staffing-risk=off",
    ]);
    assert_eq!(structure_only.code, 0, "{}", structure_only.stdout);
}

#[test]
fn seed_alone_reports_its_link_that_leaves_the_folder() {
    // Without the plan beside it, the seed's :doc:`../plans/production`
    // points outside the checked tree: that is a real finding, not noise.
    let tree = Tree::new();
    tree.file("2016_uke_38.rst", SEED);
    let run = tree.run(&["check", "--format", "json"]);
    assert_eq!(run.rules(), vec!["staffing-risk", "broken-link"]);
    assert_eq!(run.code, 1);
}

#[test]
fn json_has_exactly_the_documented_shape() {
    let tree = Tree::new();
    tree.file(
        "b/2016_uke_37.rst",
        good_report(37).replace("Fullført", "Fullfort"),
    )
    .file(
        "a/2016_uke_36.rst",
        good_report(36).replace("Uke 36", "Uke 35"),
    );
    let run = tree.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json = run.json();
    let findings = json["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for finding in findings {
        let mut keys: Vec<_> = finding.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "code",
                "column",
                "end_column",
                "hint",
                "line",
                "message",
                "path",
                "rule",
                "severity"
            ]
        );
        assert!(finding["line"].as_u64().unwrap() >= 1);
        assert!(finding["column"].as_u64().unwrap() >= 1);
        assert!(["error", "warning", "info"].contains(&finding["severity"].as_str().unwrap()));
    }
    let summary = json["summary"].as_object().unwrap();
    for key in ["files", "errors", "warnings", "infos"] {
        assert!(summary[key].is_u64(), "summary.{key}");
    }
    assert_eq!(json["summary"]["files"], 2);
    // Sorted by path, then line.
    let order: Vec<_> = run.findings().into_iter().map(|(p, l, _)| (p, l)).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    assert_eq!(order[0].0, "a/2016_uke_36.rst");
    let first = &findings[0];
    assert_eq!(first["rule"], "week-mismatch");
    assert_eq!(first["code"], "S004");
    assert_eq!(first["line"], 2);
    let unknown = findings
        .iter()
        .find(|f| f["rule"] == "unknown-section")
        .unwrap();
    assert_eq!(unknown["path"], "b/2016_uke_37.rst");
    assert_eq!(unknown["line"], 8);
    assert_eq!(unknown["hint"], "did you mean `Fullført`?");
    let missing = findings
        .iter()
        .find(|f| f["rule"] == "missing-section")
        .unwrap();
    assert_eq!(
        missing["hint"].as_str().unwrap().split(';').next().unwrap(),
        "the uke schema requires it"
    );
}

#[test]
fn paths_are_relative_to_the_git_root_with_slashes() {
    let tree = Tree::new();
    git2::Repository::init(tree.path()).unwrap();
    tree.file(
        "docs/status/2016_uke_37.rst",
        good_report(37).replace("Uke 37", "Uke 36"),
    );
    let run = crate::support::run_in(&tree.path().join("docs"), &["check", "--format", "json"]);
    assert_eq!(
        run.findings(),
        vec![(
            "docs/status/2016_uke_37.rst".into(),
            2,
            "week-mismatch".into()
        )]
    );
}

#[test]
fn exit_codes_follow_fail_on() {
    let tree = Tree::new();
    // section-order is a warning by default.
    let swapped = good_report(37)
        .replace("Fullført\n========", "XX")
        .replace("Under arbeid\n============", "Fullført\n========")
        .replace("XX", "Under arbeid\n============");
    tree.file("2016_uke_37.rst", swapped);
    let run = tree.run(&["check", "--format", "json"]);
    assert_eq!(run.rules(), vec!["section-order"]);
    assert_eq!(run.code, 0, "a warning does not fail by default");
    assert_eq!(tree.run(&["check", "--fail-on", "warning"]).code, 1);
    assert_eq!(tree.run(&["check", "--fail-on", "info"]).code, 1);
    assert_eq!(
        tree.run(&["check", "--fail-on", "warning", "--exit-zero"])
            .code,
        0
    );
    let run = tree.run(&["check", "--severity", "section-order=error"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("error[section-order]"),
        "{}",
        run.stdout
    );
    let run = tree.run(&[
        "check",
        "--fail-on",
        "info",
        "--severity",
        "section-order=off",
    ]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn clean_tree_exits_zero_with_a_summary() {
    let tree = Tree::new();
    git2::Repository::init(tree.path()).unwrap();
    tree.file("2016_uke_37.rst", good_report(37));
    let run = tree.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        run.stdout,
        "checked 1 report: 0 errors, 0 warnings, 0 infos\n"
    );
}

#[test]
fn human_format_shows_location_snippet_caret_and_hint() {
    let tree = Tree::new();
    tree.file(
        "2016_uke_37.rst",
        good_report(37).replace("Utfordringer\n============", "Utfordinger\n==========="),
    );
    let run = tree.run(&["check"]);
    assert_eq!(run.code, 1);
    let expected = "2016_uke_37.rst:23:1: error[unknown-section] unknown section `Utfordinger` for the uke schema
   |
23 | Utfordinger
   | ^^^^^^^^^^^
   = hint: did you mean `Utfordringer`?
";
    assert!(run.stdout.starts_with(expected), "{}", run.stdout);
    assert!(
        run.stdout
            .ends_with("checked 1 report: 2 errors, 0 warnings, 0 infos\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn explain_lists_and_explains_rules() {
    let tree = Tree::new();
    let run = tree.run(&["explain"]);
    assert_eq!(run.code, 0);
    for rule in milepost::rules::Rule::ALL {
        assert!(
            run.stdout.contains(rule.name()),
            "{rule} missing from the list"
        );
    }
    let run = tree.run(&["explain", "S006"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .starts_with("unknown-section (S006), default severity error")
    );
    // Rendered for a terminal: the heading without its `##`.
    assert!(run.stdout.contains("\nWhy it matters\n"), "{}", run.stdout);
    assert!(!run.stdout.contains("## Why it matters"));
    let run = tree.run(&["explain", "unknown-sektion"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `unknown-section`"),
        "{}",
        run.stderr
    );
}

#[test]
fn escape_codes_in_a_report_never_reach_the_output_raw() {
    // JSON and SARIF bypass the colour adapter (they escape control
    // characters themselves); the human format has its escapes stripped.
    let tree = Tree::new();
    tree.file(
        "2016_uke_37.rst",
        good_report(37).replace("Fullført\n========", "Ferdig\u{1b}[31m\n============"),
    );
    for format in ["json", "sarif", "human"] {
        let run = tree.run(&["check", "--format", format]);
        assert_eq!(run.code, 1, "{format}: {}{}", run.stdout, run.stderr);
        assert!(run.stdout.contains("Ferdig"), "{format}: {}", run.stdout);
        assert!(!run.stdout.contains('\u{1b}'), "{format}: {:?}", run.stdout);
        if format != "human" {
            let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
            assert!(value.to_string().contains("\\u001b"), "{format}: {value}");
        }
    }
}
