//! `--staged`, `--changed-since`, `milepost reports` and the history rules,
//! on repositories built with git2 with commits at chosen dates.

use crate::support::{GitTree, Tree, good_report};

#[test]
fn late_report_and_byline_vs_commit() {
    let git = GitTree::new();
    git.commit_files(
        "2016-09-16",
        &[("status/2016_uke_37.rst", &good_report(37))],
    );
    // Week 38 ended on 25 September; committed 20 October, byline 23 September.
    git.commit_files(
        "2016-10-20",
        &[("status/2016_uke_38.rst", &good_report(38))],
    );
    let run = git.run(&["check", "--format", "json"]);
    assert_eq!(
        run.findings(),
        vec![
            (
                "status/2016_uke_38.rst".into(),
                2,
                "byline-vs-commit".into()
            ),
            ("status/2016_uke_38.rst".into(), 2, "late-report".into()),
        ],
        "{}",
        run.stdout
    );
    let messages: Vec<String> = run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        messages[1].starts_with("first committed 2016-10-20 ("),
        "{messages:?}"
    );
    assert!(
        messages[1].ends_with(", 25 days after week 38 of 2016 ended (2016-09-25)"),
        "{messages:?}"
    );
    // Thresholds come from the config.
    git.write(
        "milepost.yaml",
        "rules:\n  late-report: {days: 30}\n  byline-vs-commit: off\n",
    );
    let run = git.run(&["check", "--format", "json"]);
    assert_eq!(run.rules(), Vec::<String>::new(), "{}", run.stdout);
}

#[test]
fn a_moved_report_keeps_its_first_commit_but_a_copy_is_new() {
    let git = GitTree::new();
    git.commit_files(
        "2016-09-23",
        &[("status/2016_uke_38.rst", &good_report(38))],
    );
    // Docs reorganised two months later: moved, not late.
    std::fs::create_dir_all(git.path().join("docs/status")).unwrap();
    std::fs::rename(
        git.path().join("status/2016_uke_38.rst"),
        git.path().join("docs/status/2016_uke_38.rst"),
    )
    .unwrap();
    git.stage("status/2016_uke_38.rst")
        .stage("docs/status/2016_uke_38.rst");
    git.commit("2016-11-20", "reorganise");
    // Next week's report made by copying this one, committed late.
    let copy = good_report(39);
    git.commit_files("2016-11-21", &[("docs/status/2016_uke_39.rst", &copy)]);
    let run = git.run(&["reports", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let reports = run.json()["reports"].as_array().unwrap().clone();
    let first = |path: &str| {
        reports.iter().find(|r| r["path"] == path).unwrap()["first_committed"]["date"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(first("docs/status/2016_uke_38.rst"), "2016-09-23");
    assert_eq!(first("docs/status/2016_uke_39.rst"), "2016-11-21");
    let moved = reports
        .iter()
        .find(|r| r["path"] == "docs/status/2016_uke_38.rst")
        .unwrap();
    assert_eq!(moved["last_changed"]["date"], "2016-11-20");
    assert_eq!(moved["year"], 2016);
    assert_eq!(moved["week"], 38);
    assert_eq!(moved["date"], "2016-09-23");
    assert_eq!(moved["author"], "Raymond Kristiansen");
    let check = git.run(&["check", "--format", "json"]);
    assert_eq!(
        check.findings(),
        vec![
            (
                "docs/status/2016_uke_39.rst".into(),
                2,
                "byline-vs-commit".into()
            ),
            (
                "docs/status/2016_uke_39.rst".into(),
                2,
                "late-report".into()
            ),
        ]
    );
}

#[test]
fn edited_after_publish_is_opt_in_and_ignores_link_fixes() {
    let git = GitTree::new();
    let report = good_report(38).replace(
        "- Oppgradere ceph til siste versjon.",
        "- Oppgradere ceph, se :doc:`planen <../plans/a>`.",
    );
    git.commit_files("2016-09-23", &[("status/2016_uke_38.rst", &report)]);
    git.commit_files(
        "2016-11-01",
        &[(
            "status/2016_uke_38.rst",
            &report.replace("plans/a", "plans/b"),
        )],
    );
    git.write(
        "milepost.yaml",
        "rules:\n  broken-link: off\n  edited-after-publish: warning\n",
    );
    let run = git.run(&["check", "--format", "json"]);
    assert_eq!(
        run.rules(),
        Vec::<String>::new(),
        "a link fix is not an edit: {}",
        run.stdout
    );
    let rewritten = report.replace("- Oppgradere ceph", "- Ferdig: oppgradere ceph");
    git.commit_files("2016-11-02", &[("status/2016_uke_38.rst", &rewritten)]);
    let run = git.run(&["check", "--format", "json"]);
    assert_eq!(run.rules(), vec!["edited-after-publish"], "{}", run.stdout);
    let message = run.json()["findings"][0]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        message.starts_with("items changed on 2016-11-02 ("),
        "{message}"
    );
    assert!(
        message.ends_with("40 days after the report was published on 2016-09-23"),
        "{message}"
    );
    // Off by default.
    git.write("milepost.yaml", "rules:\n  broken-link: off\n");
    assert_eq!(
        git.run(&["check", "--format", "json"]).rules(),
        Vec::<String>::new()
    );
}

#[test]
fn staged_checks_the_index_not_the_working_tree() {
    let git = GitTree::new();
    git.commit_files(
        "2016-09-16",
        &[("status/2016_uke_37.rst", &good_report(37))],
    );
    // Stage a broken version, then fix it only in the working tree.
    git.write(
        "status/2016_uke_37.rst",
        &good_report(37).replace("Fullført", "Fullfort"),
    )
    .stage("status/2016_uke_37.rst")
    .write("status/2016_uke_37.rst", &good_report(37));
    git.write("status/notes.rst", "Not a report\n============\n")
        .stage("status/notes.rst");
    let run = git.run(&["check", "--staged", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.rules().contains(&"unknown-section".to_owned()),
        "{}",
        run.stdout
    );
    assert_eq!(run.json()["summary"]["files"], 1);
    // The working tree is fine.
    assert_eq!(git.run(&["check", "status/2016_uke_37.rst"]).code, 0);
}

#[test]
fn staged_new_report_is_published_today() {
    let git = GitTree::new();
    git.commit_files(
        "2016-09-16",
        &[("status/2016_uke_37.rst", &good_report(37))],
    );
    git.write("status/2016_uke_38.rst", &good_report(38))
        .stage("status/2016_uke_38.rst");
    let run = git.run(&["check", "--staged", "--format", "json"]);
    // Committed today, years after week 38 of 2016.
    assert_eq!(
        run.rules(),
        vec!["byline-vs-commit", "late-report"],
        "{}",
        run.stdout
    );
    assert_eq!(run.json()["summary"]["files"], 1);
}

#[test]
fn changed_since_checks_only_what_the_branch_changed() {
    let git = GitTree::new();
    let broken = good_report(36).replace("Uke 36", "Uke 35");
    git.commit_files("2016-09-09", &[("status/2016_uke_36.rst", &broken)]);
    let base = git.commit_files(
        "2016-09-16",
        &[("status/2016_uke_37.rst", &good_report(37))],
    );
    git.repo
        .branch("main-base", &git.repo.find_commit(base).unwrap(), false)
        .unwrap();
    git.commit_files(
        "2016-09-23",
        &[(
            "status/2016_uke_38.rst",
            &good_report(38).replace("Fullført", "Fullfort"),
        )],
    );
    let run = git.run(&["check", "--changed-since", "main-base", "--format", "json"]);
    let paths: Vec<String> = run.findings().into_iter().map(|(p, _, _)| p).collect();
    assert!(
        paths.iter().all(|p| p == "status/2016_uke_38.rst"),
        "{paths:?}"
    );
    assert_eq!(run.json()["summary"]["files"], 1);
    let run = git.run(&["check", "--changed-since", "no-such-ref"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no-such-ref"), "{}", run.stderr);
}

#[test]
fn outside_git_history_rules_are_skipped_with_one_note() {
    let tree = Tree::new();
    tree.file("2016_uke_37.rst", good_report(37));
    let run = tree.run(&["check"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout.matches("note: not a git repository").count(),
        1,
        "{}",
        run.stdout
    );
    let run = tree.run(&["check", "--staged"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("is not a git repository, which --staged needs"),
        "{}",
        run.stderr
    );
}

#[test]
fn shallow_clone_says_so_and_reports_no_wrong_dates() {
    let git = GitTree::new();
    git.commit_files(
        "2016-09-16",
        &[("status/2016_uke_37.rst", &good_report(37))],
    );
    git.commit_files(
        "2016-09-23",
        &[("status/2016_uke_38.rst", &good_report(38))],
    );
    git.commit_files(
        "2016-12-01",
        &[(
            "status/2016_uke_37.rst",
            &good_report(37).replace("DNS", "DNS-tjeneste"),
        )],
    );
    let clone = Tree::new();
    let status = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "1"])
        .arg(format!("file://{}", git.path().display()))
        .arg(clone.path().join("c"))
        .status()
        .expect("git clone");
    assert!(status.success());
    let run = crate::support::run_in(&clone.path().join("c"), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("note: this clone is shallow"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("[late-report]"), "{}", run.stdout);
    assert!(!run.stdout.contains("[byline-vs-commit]"), "{}", run.stdout);
    let run = crate::support::run_in(&clone.path().join("c"), &["reports", "--format", "json"]);
    let reports = run.json()["reports"].as_array().unwrap().clone();
    assert!(
        reports.iter().all(|r| r["first_committed"].is_null()),
        "{reports:?}"
    );
}
