//! Nothing outside the repository is ever read or printed, and no special
//! file hangs or floods a run, whichever way a path reaches milepost: the
//! walk, an explicit path, `--changed-since`, `reports`, a config key, a
//! link, `--config` or `--baseline`.

#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::Path;

use crate::support::{GitTree, Tree, good_report, run_bounded, run_in};

/// What an attacker would like to see printed.
const SECRET: &str = "TOP-SECRET-FIRST-LINE of a file outside the repository";

/// A repository beside a folder holding a secret file.
struct Fixture {
    outer: Tree,
}

impl Fixture {
    fn new() -> Fixture {
        let outer = Tree::new();
        outer
            .file("outside/secret.rst", format!("{SECRET}\n"))
            .file("repo/docs/status/2016_uke_37.rst", good_report(37));
        git2::Repository::init(outer.path().join("repo")).expect("git init");
        Fixture { outer }
    }

    fn repo(&self) -> std::path::PathBuf {
        self.outer.path().join("repo")
    }

    fn secret(&self) -> std::path::PathBuf {
        self.outer.path().join("outside/secret.rst")
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.repo().join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

fn assert_no_secret(run: &crate::support::Run) {
    assert!(
        !run.stdout.contains("TOP-SECRET") && !run.stderr.contains("TOP-SECRET"),
        "the outside file's content was printed:\n{}\n{}",
        run.stdout,
        run.stderr
    );
}

#[test]
fn a_walked_report_that_links_outside_is_refused_by_name() {
    let fx = Fixture::new();
    symlink(fx.secret(), fx.repo().join("docs/status/2016_uke_38.rst")).expect("symlink");
    for args in [
        &["check"][..],
        &["check", "--format", "json"],
        &["reports"],
        &["check", "docs/status"],
    ] {
        let run = run_in(&fx.repo(), args);
        assert_no_secret(&run);
        assert_eq!(run.code, 2, "{args:?}: {}{}", run.stdout, run.stderr);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(
            all.contains("docs/status/2016_uke_38.rst: leads outside the repository"),
            "{args:?}: {all}"
        );
    }
    // The explicit path says the same.
    let run = run_in(&fx.repo(), &["check", "docs/status/2016_uke_38.rst"]);
    assert_no_secret(&run);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("leads outside the repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_committed_symlink_report_is_refused_in_changed_since_runs() {
    let git = GitTree::new();
    let outside = Tree::new();
    outside.file("secret.rst", format!("{SECRET}\n"));
    git.commit_files("2016-09-23", &[("docs/2016_uke_37.rst", &good_report(37))]);
    git.repo
        .branch(
            "base",
            &git.repo
                .head()
                .expect("head")
                .peel_to_commit()
                .expect("commit"),
            false,
        )
        .expect("branch");
    symlink(
        outside.path().join("secret.rst"),
        git.path().join("docs/2016_uke_38.rst"),
    )
    .expect("symlink");
    git.stage("docs/2016_uke_38.rst");
    git.commit("2016-09-30", "a link out");
    let run = git.run(&["check", "--changed-since", "base"]);
    assert_no_secret(&run);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("docs/2016_uke_38.rst: leads outside the repository"),
        "{}",
        run.stdout
    );
}

#[test]
fn config_paths_that_leave_the_repository_are_errors_without_content() {
    let fx = Fixture::new();
    let secret = fx.secret();
    let cases = [
        format!(
            "reports:\n  - glob: 'docs/**'\n    schema: {}\n",
            secret.display()
        ),
        "reports:\n  - glob: 'docs/**'\n    schema: ../outside/secret.rst\n".to_owned(),
        "reports:\n  - glob: 'docs/**'\n    schema: s.yaml\n".to_owned(),
        "milestones: ../outside/secret.rst\n".to_owned(),
        format!("milestones: {}\n", secret.display()),
        "sphinx_source: ../outside\n".to_owned(),
    ];
    fx.write("s.yaml", "extends: ../outside/secret.rst\n");
    for config in cases {
        fx.write("milepost.yaml", &config);
        let run = run_bounded(&fx.repo(), &["check"], 20);
        assert_no_secret(&run);
        assert_eq!(run.code, 2, "{config}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stderr.contains("outside the repository"),
            "{config}: {}",
            run.stderr
        );
    }
}

#[test]
fn special_files_in_config_keys_neither_hang_nor_flood() {
    let fx = Fixture::new();
    for target in ["/dev/zero", "/dev/stdin", "/dev/urandom"] {
        fx.write(
            "milepost.yaml",
            &format!("reports:\n  - glob: 'docs/**'\n    schema: {target}\n"),
        );
        let run = run_bounded(&fx.repo(), &["check"], 20);
        assert_eq!(run.code, 2, "{target}: {}", run.stderr);
        assert!(run.stderr.contains(target), "{target}: {}", run.stderr);
    }
    // Inside the repository, a pipe or a device is refused as such.
    let fifo = fx.repo().join("schema.yaml");
    mkfifo(&fifo);
    fx.write(
        "milepost.yaml",
        "reports:\n  - glob: 'docs/**'\n    schema: schema.yaml\n",
    );
    let run = run_bounded(&fx.repo(), &["check"], 20);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is a pipe, not a regular file"),
        "{}",
        run.stderr
    );
}

#[test]
fn operator_files_must_be_regular() {
    let fx = Fixture::new();
    for flag in ["--config", "--baseline"] {
        for target in ["/dev/zero", "/dev/stdin"] {
            let run = run_bounded(&fx.repo(), &["check", flag, target], 20);
            assert_eq!(run.code, 2, "{flag} {target}: {}", run.stderr);
            assert!(
                run.stderr.contains("not a regular file"),
                "{flag} {target}: {}",
                run.stderr
            );
        }
    }
}

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(made.success());
}

#[test]
fn pipes_and_devices_among_reports_are_refused_at_once() {
    let fx = Fixture::new();
    let fifo = fx.repo().join("docs/status/2016_uke_38.rst");
    mkfifo(&fifo);
    // Given explicitly: refused before anything opens it.
    let run = run_bounded(&fx.repo(), &["check", "docs/status/2016_uke_38.rst"], 20);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
    // Found by the walk or listed by `reports`: never opened, never hangs,
    // refused by name.
    for args in [&["check"][..], &["reports"]] {
        let run = run_bounded(&fx.repo(), args, 20);
        assert_eq!(run.code, 2, "{args:?}: {}{}", run.stdout, run.stderr);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(
            all.contains("docs/status/2016_uke_38.rst: is a pipe, not a regular file"),
            "{args:?}: {all}"
        );
    }
    // A character device named like a report (we run as root in CI; skip
    // the device case where mknod is not allowed).
    std::fs::remove_file(&fifo).expect("rm fifo");
    let made = std::process::Command::new("mknod")
        .arg(&fifo)
        .args(["c", "1", "5"])
        .status()
        .is_ok_and(|s| s.success());
    if made {
        for args in [
            &["check"][..],
            &["reports"],
            &["check", "docs/status/2016_uke_38.rst"],
        ] {
            let run = run_bounded(&fx.repo(), args, 20);
            assert_eq!(run.code, 2, "{args:?}: {}{}", run.stdout, run.stderr);
        }
    }
}

/// A committed symlinked folder that leads out: a link to a file that
/// exists there and one to a file that does not get the same message.
#[test]
fn links_through_a_symlinked_folder_are_no_existence_oracle() {
    let fx = Fixture::new();
    symlink(
        fx.outer.path().join("outside"),
        fx.repo().join("docs/linked"),
    )
    .expect("symlink");
    let report = |target: &str| {
        good_report(38).replace(
            "- API-tilgang er ikke optimal slik den er satt opp nå.",
            &format!("- API-tilgang, se :doc:`{target}`."),
        )
    };
    fx.write("docs/status/2016_uke_38.rst", &report("../linked/secret"));
    let exists = run_in(&fx.repo(), &["check", "--format", "json"]);
    fx.write(
        "docs/status/2016_uke_38.rst",
        &report("../linked/no-such-file"),
    );
    let missing = run_in(&fx.repo(), &["check", "--format", "json"]);
    let message = |run: &crate::support::Run| {
        run.json()["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["rule"] == "broken-link")
            .map(|f| f["message"].as_str().expect("message").to_owned())
            .expect("a broken-link finding")
    };
    let (a, b) = (message(&exists), message(&missing));
    assert!(a.contains("points outside the repository"), "{a}");
    assert_eq!(
        a.replace("secret", "X"),
        b.replace("no-such-file", "X"),
        "the two messages must differ only in the link text"
    );
}
