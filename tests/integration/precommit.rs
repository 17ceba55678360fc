//! The pre-commit hook, through the real pre-commit framework (installed by
//! `.ci/run` into a virtual environment from PyPI): committing a broken
//! report is refused, a good one is accepted.

use std::path::PathBuf;
use std::process::Command;

use crate::support::{Tree, binary, git, good_report};

/// The `pre-commit` executable: beside `MILEPOST_PYTHON` (the CI venv), else
/// on PATH. Missing: skipped with a message, except under CI, where a
/// missing tool must fail rather than pass silently.
fn pre_commit() -> Option<PathBuf> {
    let beside_python = std::env::var_os("MILEPOST_PYTHON")
        .map(PathBuf::from)
        .and_then(|python| python.parent().map(|bin| bin.join("pre-commit")))
        .filter(|path| path.is_file());
    let found = beside_python.or_else(|| {
        Command::new("pre-commit")
            .arg("--version")
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|_| PathBuf::from("pre-commit"))
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "pre-commit is not installed, and CI must run this test (.ci/run installs it)"
        );
        eprintln!(
            "SKIPPED pre-commit test: the pre-commit framework is not installed (pip install pre-commit)"
        );
    }
    found
}

/// Our published hook definition, read as data.
fn published_hook() -> serde_yaml::Value {
    let hooks: serde_yaml::Value =
        serde_yaml::from_str(include_str!("../../.pre-commit-hooks.yaml")).expect("valid YAML");
    hooks[0].clone()
}

#[test]
fn published_hook_definition_is_what_the_readme_promises() {
    let hook = published_hook();
    assert_eq!(hook["id"], "milepost");
    assert_eq!(hook["entry"], "milepost check --staged");
    assert_eq!(hook["language"], "rust");
    let files = regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
    assert!(files.is_match("docs/2016_uke_38.rst"));
    assert!(files.is_match("docs/week-38.md"));
    assert!(files.is_match("milepost.yaml"));
    assert!(!files.is_match("docs/conf.py"));
}

#[test]
fn pre_commit_refuses_a_broken_report_and_accepts_a_good_one() {
    let Some(pre_commit) = pre_commit() else {
        return;
    };
    let tree = Tree::new();
    let repo = tree.path();
    assert!(git(repo, &["init", "-q"]).status.success());
    let hook = published_hook();
    // The published hook, but running the binary under test instead of
    // building it from a clone.
    let entry =
        hook["entry"]
            .as_str()
            .unwrap()
            .replacen("milepost", &binary().display().to_string(), 1);
    tree.file(
        ".pre-commit-config.yaml",
        format!(
            "repos:\n  - repo: local\n    hooks:\n      - id: milepost\n        name: milepost\n        entry: '{entry}'\n        language: system\n        files: '{}'\n",
            hook["files"].as_str().unwrap()
        ),
    );
    let cache = tree.path().join(".pre-commit-home");
    let run_pre_commit = |args: &[&str]| {
        Command::new(&pre_commit)
            .args(args)
            .current_dir(repo)
            .env("PRE_COMMIT_HOME", &cache)
            .output()
            .expect("run pre-commit")
    };
    let installed = run_pre_commit(&["install"]);
    assert!(
        installed.status.success(),
        "{}",
        String::from_utf8_lossy(&installed.stderr)
    );
    assert!(
        git(repo, &["add", ".pre-commit-config.yaml"])
            .status
            .success()
    );

    tree.file(
        "status/2016_uke_38.rst",
        good_report(38).replace("Fullført", "Fullfort"),
    );
    assert!(
        git(repo, &["add", "status/2016_uke_38.rst"])
            .status
            .success()
    );
    let refused = git(repo, &["commit", "-q", "-m", "broken report"]);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&refused.stdout),
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(
        !refused.status.success(),
        "the commit went through:\n{said}"
    );
    assert!(said.contains("unknown-section"), "{said}");
    assert!(
        !git(repo, &["rev-parse", "--verify", "-q", "HEAD"])
            .status
            .success(),
        "no commit was made"
    );

    tree.file("status/2016_uke_38.rst", good_report(38));
    assert!(
        git(repo, &["add", "status/2016_uke_38.rst"])
            .status
            .success()
    );
    let accepted = git(repo, &["commit", "-q", "-m", "good report"]);
    assert!(
        accepted.status.success(),
        "{}{}",
        String::from_utf8_lossy(&accepted.stdout),
        String::from_utf8_lossy(&accepted.stderr)
    );
}
