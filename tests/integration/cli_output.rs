//! `check --statistics` and `--output-file`: counts per rule, and output
//! written to a file atomically with the exit code unchanged.

use crate::support::{Tree, good_report};

/// Two reports with findings: a misspelt section in each (unknown-section
/// and missing-section, twice), and a title that disagrees with the file
/// name in one.
fn tree() -> Tree {
    let tree = Tree::new();
    let broken = good_report(38).replace("Utfordringer\n============", "Utfordinger\n===========");
    tree.file("docs/2016_uke_38.rst", &broken);
    tree.file(
        "docs/2016_uke_39.rst",
        good_report(39)
            .replace("Utfordringer\n============", "Utfordinger\n===========")
            .replace("Uke 39", "Uke 37"),
    );
    tree
}

#[test]
fn statistics_count_findings_per_rule_most_first() {
    let tree = tree();
    let plain = tree.run(&["check", "--format", "json"]);
    let run = tree.run(&["check", "--statistics"]);
    assert_eq!(run.code, plain.code, "the exit code does not change");
    let lines: Vec<&str> = run.stdout.lines().collect();
    let summary = lines.last().expect("a summary line");
    assert!(summary.starts_with("checked 2 reports"), "{}", run.stdout);
    let counts: Vec<(usize, &str, &str)> = lines[..lines.len() - 1]
        .iter()
        .filter(|line| !line.starts_with("note"))
        .map(|line| {
            let mut parts = line.split_whitespace();
            let count = parts.next().and_then(|c| c.parse().ok()).expect("a count");
            (
                count,
                parts.next().expect("a code"),
                parts.next().expect("a name"),
            )
        })
        .collect();
    assert!(
        counts.contains(&(2, "S006", "unknown-section")),
        "{}",
        run.stdout
    );
    assert!(
        counts.contains(&(2, "S005", "missing-section")),
        "{}",
        run.stdout
    );
    assert!(
        counts.contains(&(1, "S004", "week-mismatch")),
        "{}",
        run.stdout
    );
    assert!(
        counts.windows(2).all(|w| w[0].0 >= w[1].0),
        "sorted by count: {}",
        run.stdout
    );
    let total: usize = counts.iter().map(|c| c.0).sum();
    assert_eq!(total, plain.findings().len());
    // No finding is listed.
    assert!(!run.stdout.contains("error["), "{}", run.stdout);
}

#[test]
fn json_gets_a_statistics_key_only_when_asked() {
    let tree = tree();
    let plain = tree.run(&["check", "--format", "json"]).json();
    let keys: Vec<&String> = plain.as_object().expect("an object").keys().collect();
    assert!(!keys.iter().any(|k| *k == "statistics"), "{keys:?}");
    let run = tree.run(&["check", "--format", "json", "--statistics"]);
    let with = run.json();
    for key in keys {
        assert_eq!(with[key], plain[key], "`{key}` is unchanged");
    }
    let statistics = with["statistics"].as_array().expect("an array");
    let first = &statistics[0];
    assert_eq!(first["count"], 2);
    assert!(first["code"].is_string() && first["name"].is_string());
    assert_eq!(
        statistics
            .iter()
            .map(|s| s["count"].as_u64().unwrap_or(0))
            .sum::<u64>(),
        with["findings"].as_array().map_or(0, |f| f.len() as u64)
    );
}

#[test]
fn statistics_are_refused_with_a_ci_format() {
    let run = tree().run(&["check", "--statistics", "--format", "sarif"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--statistics"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn output_file_holds_what_stdout_would_and_the_exit_code_stays() {
    let tree = tree();
    let stdout = tree.run(&["check", "--format", "json"]);
    let run = tree.run(&[
        "check",
        "--format",
        "json",
        "--output-file",
        "out/findings.json",
    ]);
    // The folder must exist: nothing is created but the file.
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("out/findings.json"), "{}", run.stderr);
    tree.file("out/.keep", "");
    let run = tree.run(&[
        "check",
        "--format",
        "json",
        "--output-file",
        "out/findings.json",
    ]);
    assert_eq!(run.code, stdout.code);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("checked 2 reports"), "{}", run.stderr);
    let written = std::fs::read_to_string(tree.path().join("out/findings.json")).expect("the file");
    assert_eq!(written, stdout.stdout);
    let names: Vec<String> = std::fs::read_dir(tree.path().join("out"))
        .expect("the folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
}

#[test]
fn output_file_is_plain_text_and_replaced_whole() {
    let tree = tree();
    tree.file("findings.txt", "an old run\n".repeat(1000));
    let run = tree.run(&["check", "--quiet", "--output-file", "findings.txt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let written = std::fs::read_to_string(tree.path().join("findings.txt")).expect("the file");
    assert!(!written.contains("an old run"));
    assert!(written.contains("error[unknown-section]"), "{written}");
    assert!(
        !written.contains('\u{1b}'),
        "no colours in a file unless asked"
    );
}

#[test]
fn output_file_refuses_a_folder_and_leaves_it_alone() {
    let tree = tree();
    tree.file("out/keep.txt", "kept");
    for command in [&["check"][..], &["reports"], &["milestones"]] {
        let mut args = command.to_vec();
        args.extend(["--output-file", "out"]);
        let run = tree.run(&args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains("is a folder"), "{}", run.stderr);
    }
    assert_eq!(
        std::fs::read_to_string(tree.path().join("out/keep.txt")).expect("kept"),
        "kept"
    );
}

#[test]
fn a_run_that_cannot_run_leaves_the_old_file() {
    let tree = tree();
    tree.file("milepost.yaml", "reports: [this is not: valid");
    tree.file("out.txt", "old");
    let run = tree.run(&["check", "--output-file", "out.txt"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(tree.path().join("out.txt")).expect("old"),
        "old"
    );
    assert_eq!(
        std::fs::read_dir(tree.path()).expect("dir").count(),
        3,
        "no temporary file"
    );
}

#[test]
fn reports_and_milestones_write_files_too() {
    let tree = tree();
    let stdout = tree.run(&["reports", "--format", "json"]);
    let run = tree.run(&[
        "reports",
        "--format",
        "json",
        "--output-file",
        "reports.json",
    ]);
    assert_eq!(run.code, stdout.code, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(tree.path().join("reports.json")).expect("the file"),
        stdout.stdout
    );
    tree.file(
        "milestones.yaml",
        "milestones:\n  - id: mitaka\n    title: Oppgradere til mitaka\n    due: 2016-09-30\n    items:\n      - id: upgrade\n        title: Oppgradering til mitaka\n        match: [mitaka]\n",
    );
    let args = [
        "milestones",
        "--as-of",
        "2016-10-01",
        "--format",
        "markdown",
    ];
    let stdout = tree.run(&args);
    assert_eq!(stdout.code, 0, "{}", stdout.stderr);
    let mut with_file = args.to_vec();
    with_file.extend(["--output-file", "milestones.md"]);
    let run = tree.run(&with_file);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(tree.path().join("milestones.md")).expect("the file"),
        stdout.stdout
    );
}
