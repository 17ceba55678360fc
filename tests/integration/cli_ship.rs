//! What packagers ship beside the binary: shell completions and man pages,
//! generated from the clap types; and `--version` on every subcommand.

use std::process::Command;

use crate::support::Tree;

const SUBCOMMANDS: [&str; 9] = [
    "check",
    "milestones",
    "reports",
    "new",
    "changelog",
    "dashboard",
    "explain",
    "completions",
    "man",
];

#[test]
fn completions_name_every_subcommand_in_every_shell() {
    let tree = Tree::new();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = tree.run(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(!run.stdout.is_empty(), "{shell}");
        for sub in SUBCOMMANDS {
            assert!(run.stdout.contains(sub), "{shell} script lacks `{sub}`");
        }
    }
}

#[test]
fn the_bash_script_parses_in_bash() {
    let Ok(status) = Command::new("bash").arg("-c").arg("true").status() else {
        eprintln!("no bash here; the script is not parsed");
        return;
    };
    assert!(status.success());
    let tree = Tree::new();
    let run = tree.run(&["completions", "bash"]);
    tree.file("milepost.bash", &run.stdout);
    let check = Command::new("bash")
        .arg("-n")
        .arg(tree.path().join("milepost.bash"))
        .output()
        .expect("run bash -n");
    assert!(
        check.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&check.stderr)
    );
    // And it loads: sourcing it registers the completion function.
    let loaded = Command::new("bash")
        .arg("-c")
        .arg("source \"$1\" && complete -p milepost")
        .arg("bash")
        .arg(tree.path().join("milepost.bash"))
        .output()
        .expect("run bash");
    assert!(
        loaded.status.success(),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
}

#[test]
fn completions_reject_an_unknown_shell() {
    let run = Tree::new().run(&["completions", "tcsh"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
}

#[test]
fn man_prints_a_roff_page_naming_every_subcommand() {
    let run = Tree::new().run(&["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(".ie") || run.stdout.contains(".TH milepost"),
        "{}",
        &run.stdout[..run.stdout.len().min(200)]
    );
    for sub in SUBCOMMANDS {
        assert!(
            run.stdout.contains(&format!("milepost\\-{sub}")),
            "the page lacks `{sub}`"
        );
    }
}

#[test]
fn man_out_writes_one_page_per_command() {
    let tree = Tree::new();
    tree.file("man/.keep", "");
    let run = tree.run(&["man", "--out", "man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut names: Vec<String> = std::fs::read_dir(tree.path().join("man"))
        .expect("read the folder")
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name != ".keep")
        .collect();
    names.sort();
    let mut expected: Vec<String> = SUBCOMMANDS
        .iter()
        .map(|sub| format!("milepost-{sub}.1"))
        .chain(["milepost.1".to_owned()])
        .collect();
    expected.sort();
    assert_eq!(names, expected, "no temporary file may be left behind");
    let check = std::fs::read_to_string(tree.path().join("man/milepost-check.1")).expect("read");
    assert!(check.contains("statistics"), "{check}");
    assert!(check.contains("output\\-file"), "{check}");
}

#[test]
fn man_out_refuses_a_folder_that_is_not_there() {
    let run = Tree::new().run(&["man", "--out", "nowhere"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not a folder"), "{}", run.stderr);
}

#[test]
fn every_subcommand_takes_version() {
    let tree = Tree::new();
    let version = env!("CARGO_PKG_VERSION");
    for sub in SUBCOMMANDS {
        let run = tree.run(&[sub, "--version"]);
        assert_eq!(run.code, 0, "{sub} --version: {}", run.stderr);
        assert!(run.stdout.contains(version), "{sub}: {}", run.stdout);
        assert!(!run.stderr.contains("severity"), "{}", run.stderr);
    }
    let run = tree.run(&["--version"]);
    assert_eq!(run.stdout.trim(), format!("milepost {version}"));
}
