//! A run given paths, `--staged` or `--changed-since` answers for what it
//! was given: an overdue milestone or a gap in the series never fails a
//! commit or a pull request that does not touch them; a whole `check` and
//! `milestones --fail-on` still see them.

use crate::support::{Tree, git_ok, good_report, run_in};

/// Due long ago, its item still only planned in the reports.
const OVERDUE: &str = "milestones:\n  - id: ceph\n    title: Ceph oppgradert\n    due: 2016-10-01\n    items:\n      - id: ceph\n        title: Oppgradere ceph\n        match: [ceph]\n";

/// Weeks 37, 38 and 40 (41 is missing) with an overdue milestone, a
/// README, committed on `main`, with a branch `base` at that commit.
fn project() -> Tree {
    let tree = Tree::new();
    tree.file("milestones.yaml", OVERDUE)
        .file("README.md", "# Docs\n")
        .file("docs/status/2016_uke_37.rst", good_report(37))
        .file("docs/status/2016_uke_38.rst", good_report(38))
        .file("docs/status/2016_uke_40.rst", good_report(40));
    git_ok(tree.path(), &["init", "-q"]);
    git_ok(tree.path(), &["add", "-A"]);
    git_ok(tree.path(), &["commit", "-q", "-m", "reports"]);
    git_ok(tree.path(), &["branch", "base"]);
    tree
}

fn rules(run: &crate::support::Run) -> Vec<String> {
    run.rules()
}

#[test]
fn a_whole_check_sees_the_milestone_and_the_gap() {
    let tree = project();
    let run = tree.run(&["check", "--format", "json"]);
    let rules = rules(&run);
    assert!(rules.contains(&"milestone-overdue".into()), "{rules:?}");
    assert!(rules.contains(&"missing-report".into()), "{rules:?}");
    assert_eq!(run.code, 1);
    // `check .` from the root is the whole project too.
    let run = tree.run(&["check", "--format", "json", "."]);
    assert!(
        run.rules().contains(&"milestone-overdue".into()),
        "{:?}",
        run.rules()
    );
}

#[test]
fn explicit_paths_answer_for_those_files_only() {
    let tree = project();
    let run = tree.run(&["check", "--format", "json", "docs/status/2016_uke_40.rst"]);
    let found = run.findings();
    assert!(
        found
            .iter()
            .all(|(path, _, _)| path == "docs/status/2016_uke_40.rst"),
        "{found:?}"
    );
    let rules = rules(&run);
    assert!(!rules.contains(&"milestone-overdue".into()), "{rules:?}");
    assert!(!rules.contains(&"missing-report".into()), "{rules:?}");
    assert_eq!(run.code, 0, "{}", run.stdout);
    // A README given with it changes nothing.
    let run = tree.run(&["check", "README.md", "docs/status/2016_uke_40.rst"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    // Handed the milestones file, a run judges it.
    let run = tree.run(&["check", "--format", "json", "milestones.yaml"]);
    assert_eq!(run.rules(), ["milestone-overdue"]);
    assert_eq!(run.code, 1);
}

#[test]
fn a_commit_of_something_else_is_not_failed_by_a_milestone() {
    let tree = project();
    tree.file("README.md", "# Docs\n\nMore.\n");
    git_ok(tree.path(), &["add", "README.md"]);
    let run = tree.run(&["check", "--staged"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // A changed report is judged, without the milestone or the gap.
    tree.file(
        "docs/status/2016_uke_40.rst",
        good_report(40).replace("Fullført", "Fullfort"),
    );
    git_ok(tree.path(), &["add", "docs/status/2016_uke_40.rst"]);
    let run = tree.run(&["check", "--staged", "--format", "json"]);
    assert!(
        run.rules().contains(&"unknown-section".into()),
        "{}",
        run.stdout
    );
    assert!(
        run.findings()
            .iter()
            .all(|(path, _, _)| path == "docs/status/2016_uke_40.rst"),
        "{:?}",
        run.findings()
    );
    assert!(!run.rules().contains(&"milestone-overdue".into()));
    assert!(!run.rules().contains(&"missing-report".into()));
}

#[test]
fn a_pull_request_is_judged_on_what_it_changed() {
    let tree = project();
    tree.file("README.md", "# Docs\n\nChanged.\n");
    git_ok(tree.path(), &["commit", "-q", "-am", "readme"]);
    let run = tree.run(&["check", "--changed-since", "base"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    tree.file("docs/status/2016_uke_42.rst", good_report(42));
    git_ok(tree.path(), &["add", "-A"]);
    git_ok(tree.path(), &["commit", "-q", "-m", "week 42"]);
    let run = tree.run(&["check", "--changed-since", "base", "--format", "json"]);
    assert!(
        run.findings()
            .iter()
            .all(|(path, _, _)| path == "docs/status/2016_uke_42.rst"),
        "{:?}",
        run.findings()
    );
    assert!(!run.rules().contains(&"milestone-overdue".into()));
    // The milestones file changed in the pull request: judged.
    tree.file("milestones.yaml", format!("{OVERDUE}\n"));
    git_ok(tree.path(), &["commit", "-q", "-am", "touch milestones"]);
    let run = tree.run(&["check", "--changed-since", "base", "--format", "json"]);
    assert!(run.rules().contains(&"milestone-overdue".into()));
}

#[test]
fn milestones_fail_on_gates_a_scheduled_job() {
    let tree = project();
    let run = tree.run(&["milestones"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = tree.run(&["milestones", "--fail-on", "error"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("milestones.yaml:2:")
            && run.stderr.contains("error[milestone-overdue]"),
        "{}",
        run.stderr
    );
    // Not overdue as of a day before its due date.
    let run = tree.run(&["milestones", "--fail-on", "error", "--as-of", "2016-09-20"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_staged_broken_config_is_refused_in_the_commit_that_breaks_it() {
    let tree = project();
    tree.file(
        "milestones.yaml",
        "milestones:\n  - id: x\n    due: 31. feb 2016\n",
    );
    git_ok(tree.path(), &["add", "milestones.yaml"]);
    let run = tree.run(&["check", "--staged"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    // At the date that cannot be read.
    assert!(
        run.stderr.contains("milestones.yaml:3:10"),
        "{}",
        run.stderr
    );

    let tree = project();
    tree.file("milepost.yaml", "rules:\n  no-such-rule: off\n");
    git_ok(tree.path(), &["add", "milepost.yaml"]);
    let run = tree.run(&["check", "--staged"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("milepost.yaml:2"), "{}", run.stderr);
}

/// The published hook passes config, schema and milestones files to
/// milepost, so a broken one is caught when it is committed.
#[test]
fn the_published_hook_is_given_config_files() {
    let hooks: serde_yaml::Value =
        serde_yaml::from_str(include_str!("../../.pre-commit-hooks.yaml")).expect("valid YAML");
    let files = regex::Regex::new(hooks[0]["files"].as_str().expect("files")).expect("regex");
    for path in [
        "milepost.yaml",
        "docs/milepost.yml",
        ".milepost.yaml",
        "schemas/weekly.yaml",
        "milestones.yaml",
        "docs/plans/production.rst",
        "docs/status/2016_uke_38.rst",
        "docs/week-38.md",
    ] {
        assert!(files.is_match(path), "{path}");
    }
    assert!(!files.is_match("docs/conf.py"));
    assert!(!files.is_match("src/main.rs"));
}

#[test]
fn a_folder_outside_the_project_is_scoped() {
    let tree = project();
    let run = run_in(
        &tree.path().join("docs"),
        &["check", "--format", "json", "status"],
    );
    assert!(
        !run.rules().contains(&"milestone-overdue".into()),
        "{}",
        run.stdout
    );
    assert!(
        !run.rules().contains(&"missing-report".into()),
        "{}",
        run.stdout
    );
}
