//! `check --staged`: the files of the commit as git will commit them, the
//! same for the pre-commit framework's hook (which passes file names) and a
//! plain git hook (which passes none). Repositories are made with the real
//! `git`, since the point is what git itself stages.

use crate::support::{Run, Tree, git_ok, good_report};

/// A committed series of two reports, committed on their own dates long
/// ago, with a plan document they link to.
fn committed() -> Tree {
    let tree = Tree::new();
    tree.file("docs/plans/production.rst", "Plan\n====\n\nText.\n")
        .file(
            "docs/status/2016_uke_37.rst",
            with_link(&good_report(37), "../plans/production"),
        )
        .file("docs/status/2016_uke_38.rst", good_report(38));
    git_ok(tree.path(), &["init", "-q"]);
    git_ok(tree.path(), &["add", "-A"]);
    let dated = [
        ("GIT_AUTHOR_DATE", "2016-09-23T12:00:00"),
        ("GIT_COMMITTER_DATE", "2016-09-23T12:00:00"),
    ];
    let out = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=t@example.org",
            "commit",
            "-q",
            "-m",
            "reports",
        ])
        .envs(dated)
        .current_dir(tree.path())
        .output()
        .expect("git commit");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    tree
}

/// `report` with a `:doc:` link to `target` in its challenges.
fn with_link(report: &str, target: &str) -> String {
    report.replace(
        "- API-tilgang er ikke optimal slik den er satt opp nå.",
        &format!("- API-tilgang, se :doc:`{target}`."),
    )
}

fn findings(run: &Run) -> Vec<(String, u64, String)> {
    run.findings()
}

#[test]
fn a_renamed_report_keeps_its_publication() {
    let tree = committed();
    git_ok(
        tree.path(),
        &[
            "mv",
            "docs/status/2016_uke_38.rst",
            "docs/status/2016_uke_38_moved.rst",
        ],
    );
    let run = tree.run(&["check", "--staged", "--format", "json"]);
    let rules = run.rules();
    assert!(!rules.contains(&"late-report".into()), "{rules:?}");
    assert!(!rules.contains(&"byline-vs-commit".into()), "{rules:?}");
    // A new report in the same state is judged as published today.
    tree.file("docs/status/2016_uke_39.rst", good_report(39));
    git_ok(tree.path(), &["add", "docs/status/2016_uke_39.rst"]);
    let run = tree.run(&["check", "--staged", "--format", "json"]);
    assert!(
        run.findings().contains(&(
            "docs/status/2016_uke_39.rst".into(),
            2,
            "late-report".into()
        )),
        "{:?}",
        run.findings()
    );
}

#[test]
fn links_are_judged_against_the_index() {
    let tree = committed();
    // A link to a file that exists only in the working tree: broken in the
    // commit.
    tree.file("docs/plans/draft.rst", "Draft\n=====\n").file(
        "docs/status/2016_uke_39.rst",
        with_link(&good_report(39), "../plans/draft"),
    );
    git_ok(tree.path(), &["add", "docs/status/2016_uke_39.rst"]);
    let run = tree.run(&["check", "--staged", "--format", "json"]);
    assert!(
        run.rules().contains(&"broken-link".into()),
        "{}",
        run.stdout
    );
    // Staged too: fine.
    git_ok(tree.path(), &["add", "docs/plans/draft.rst"]);
    let run = tree.run(&["check", "--staged", "--format", "json"]);
    assert!(
        !run.rules().contains(&"broken-link".into()),
        "{}",
        run.stdout
    );
    // The plan deleted only in the working tree: still in the commit.
    std::fs::remove_file(tree.path().join("docs/plans/production.rst")).expect("rm");
    tree.file(
        "docs/status/2016_uke_37.rst",
        with_link(&good_report(37), "../plans/production") + "\n",
    );
    git_ok(tree.path(), &["add", "docs/status/2016_uke_37.rst"]);
    let run = tree.run(&["check", "--staged", "--format", "json"]);
    assert!(
        !run.rules().contains(&"broken-link".into()),
        "{}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn a_staged_symlink_report_is_followed_in_the_index() {
    let tree = committed();
    std::os::unix::fs::symlink(
        "2016_uke_38.rst",
        tree.path().join("docs/status/2016_uke_38_link.rst"),
    )
    .expect("symlink");
    git_ok(tree.path(), &["add", "docs/status/2016_uke_38_link.rst"]);
    let run = tree.run(&[
        "check",
        "--staged",
        "--format",
        "json",
        "--severity",
        "week-mismatch=off",
    ]);
    assert_eq!(
        findings(&run)
            .into_iter()
            .filter(|(_, _, rule)| rule != "late-report" && rule != "byline-vs-commit")
            .collect::<Vec<_>>(),
        Vec::<(String, u64, String)>::new(),
        "the link is checked as its target, not as its link text: {}",
        run.stdout
    );
    // One that leads out is refused by name.
    let outside = Tree::new();
    outside.file("secret.rst", "TOP-SECRET\n");
    std::os::unix::fs::symlink(
        outside.path().join("secret.rst"),
        tree.path().join("docs/status/2016_uke_40.rst"),
    )
    .expect("symlink");
    git_ok(tree.path(), &["add", "docs/status/2016_uke_40.rst"]);
    let run = tree.run(&["check", "--staged"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("TOP-SECRET"));
    assert!(
        run.stdout
            .contains("docs/status/2016_uke_40.rst: leads outside the repository"),
        "{}",
        run.stdout
    );
}

/// The pre-commit framework passes the files of the commit; a plain git
/// hook passes none. Same commit, same findings.
#[test]
fn both_hooks_agree_on_a_commit() {
    let tree = committed();
    tree.file(
        "docs/status/2016_uke_39.rst",
        with_link(
            &good_report(39).replace("Fullført", "Fullfort"),
            "../plans/nowhere",
        ),
    )
    .file(
        "docs/status/2016_uke_38.rst",
        good_report(38).replace("Uke 38", "Uke 37"),
    )
    .file("README.md", "# Docs\n");
    git_ok(
        tree.path(),
        &[
            "add",
            "docs/status/2016_uke_39.rst",
            "docs/status/2016_uke_38.rst",
            "README.md",
        ],
    );
    // Unstaged edits the commit will not contain.
    tree.file("docs/status/2016_uke_39.rst", "garbage\n");
    let plain = tree.run(&["check", "--staged", "--format", "json"]);
    let framework = tree.run(&[
        "check",
        "--staged",
        "--format",
        "json",
        "README.md",
        "docs/status/2016_uke_38.rst",
        "docs/status/2016_uke_39.rst",
    ]);
    assert_eq!(plain.code, 1);
    assert_eq!(findings(&plain), findings(&framework));
    let rules = plain.rules();
    for rule in [
        "unknown-section",
        "broken-link",
        "week-mismatch",
        "late-report",
    ] {
        assert!(rules.contains(&rule.to_owned()), "{rule}: {rules:?}");
    }
}

/// `pre-commit run --all-files` passes every file: with `--staged`, each is
/// read from the index, staged or not.
#[test]
fn given_paths_are_read_from_the_index() {
    let tree = committed();
    // The working tree is broken, the index is not.
    tree.file("docs/status/2016_uke_37.rst", "broken\n");
    let run = tree.run(&["check", "--staged", "--format", "json", "docs"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json()["summary"]["files"], 2, "{}", run.stdout);
    // And the other way round: staged broken, working tree fixed.
    git_ok(tree.path(), &["add", "docs/status/2016_uke_37.rst"]);
    tree.file("docs/status/2016_uke_37.rst", good_report(37));
    let run = tree.run(&["check", "--staged", "docs/status/2016_uke_37.rst"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
}
