//! `milepost init` on a generated repository that lived through four
//! templates (`eras.rs`): after it, `check` reports the planted defects and
//! nothing else.

use std::collections::BTreeSet;

use crate::eras::{Eras, generate};
use crate::support::{GitTree, good_report};

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// `(path, rule)` of every finding.
fn findings(eras: &Eras) -> BTreeSet<(String, String)> {
    let run = eras
        .git
        .run(&["check", "--format", "json", "--fail-on", "info"]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    run.findings()
        .into_iter()
        .map(|(path, _, rule)| (path, rule))
        .collect()
}

#[test]
fn after_init_check_finds_the_planted_defects_and_nothing_else() {
    let eras = generate(today());
    // `MILEPOST_MEASURE=1 cargo test --test integration init::after -- --nocapture`
    // prints the findings without a config and the time `init` takes.
    if std::env::var_os("MILEPOST_MEASURE").is_some() {
        let before = eras
            .git
            .run(&["check", "--format", "json", "--fail-on", "info"]);
        eprintln!("without a config: {}", before.json()["summary"]);
    }
    let started = std::time::Instant::now();
    let run = eras.git.run(&["init"]);
    if std::env::var_os("MILEPOST_MEASURE").is_some() {
        eprintln!("init took {:?}", started.elapsed());
    }
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected: BTreeSet<(String, String)> = eras
        .defects
        .iter()
        .flat_map(|d| d.rules.iter().map(|r| (d.path.clone(), (*r).to_owned())))
        .collect();
    // The last era differs from the one before only in where Utfordringer
    // is: its schema extends that one and moves one section.
    let schemas: Vec<String> = std::fs::read_dir(eras.git.path().join("schemas"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(schemas.len(), 4);
    assert!(
        schemas.iter().any(|s| s.contains(
            "sections:\n  move:\n    - {title: 'Utfordringer', before: 'Planlagte aktiviteter'}\n"
        ) && s.contains("extends: 'uke-")),
        "{schemas:#?}"
    );
    let found = findings(&eras);
    let missed: Vec<_> = expected.difference(&found).collect();
    let extra: Vec<_> = found.difference(&expected).collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "missed {missed:#?}\nextra {extra:#?}\n{}",
        run.stdout
    );
}

/// A small repository: eleven reports in the seed's format, committed on
/// their Fridays, and an incident write-up named like a report.
fn small() -> GitTree {
    let git = GitTree::new();
    for week in 30..=40 {
        let friday =
            chrono::NaiveDate::from_isoywd_opt(2016, week, chrono::Weekday::Fri).expect("a week");
        git.commit_files(
            &friday.format("%Y-%m-%d").to_string(),
            &[(
                &format!("status/2016_uke_{week}.rst"),
                good_report(week).as_str(),
            )],
        );
    }
    git.commit_files(
        "2016-10-20",
        &[(
            "status/hendelse_uke_41.rst",
            "Hendelse: nedetid\n=================\n\nTidslinje\n---------\n\n- Nede i to timer.\n",
        )],
    );
    git
}

#[test]
fn dry_run_prints_the_files_and_writes_nothing() {
    let git = small();
    let run = git.run(&["init", "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("--- milepost.yaml ---"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("--- schemas/uke-2016.yaml ---"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("nothing was written"), "{}", run.stdout);
    // The files as they would be written, line by line.
    assert!(
        run.stdout.contains("\nreports:\n  # uke-2016: 11 reports"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("\nsections:\n  - title: 'Fullført'\n    kind: done"),
        "{}",
        run.stdout
    );
    assert!(!git.path().join("milepost.yaml").exists());
    assert!(!git.path().join("schemas").exists());
}

#[test]
fn excluded_files_are_listed_with_the_reason_and_not_checked() {
    let git = small();
    let run = git.run(&["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("status/hendelse_uke_41.rst: its title `Hendelse: nedetid` is not shaped like the reports' (`Uke 30`), and it has no dated byline"),
        "{}",
        run.stdout
    );
    let config = std::fs::read_to_string(git.path().join("milepost.yaml")).unwrap();
    assert!(
        config.contains("  # its title `Hendelse: nedetid`"),
        "{config}"
    );
    assert!(
        config.contains("  - 'status/hendelse_uke_41.rst'"),
        "{config}"
    );
    assert!(
        config.starts_with("# yaml-language-server: $schema=https://"),
        "{config}"
    );
    // The check that ends `init` and a check after it agree: the
    // identical items of `good_report` are stale, nothing else is found,
    // and the incident is not a report.
    assert!(
        run.stdout.contains("(0 errors, 2 warnings, 0 infos)"),
        "{}",
        run.stdout
    );
    let check = git.run(&["check", "--format", "json", "--fail-on", "info"]);
    assert_eq!(check.json()["summary"]["files"], 11, "{}", check.stderr);
    assert_eq!(check.rules(), ["stale-item", "stale-item"]);
}

#[test]
fn init_never_overwrites_without_force() {
    let git = small();
    git.write("milepost.yaml", "# mine\n");
    let run = git.run(&["init"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("milepost.yaml"), "{}", run.stderr);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(git.path().join("milepost.yaml")).unwrap(),
        "# mine\n"
    );
    assert!(
        !git.path().join("schemas").join("uke-2016.yaml").exists(),
        "nothing is written when one file would be overwritten"
    );

    let run = git.run(&["init", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let config = std::fs::read_to_string(git.path().join("milepost.yaml")).unwrap();
    assert!(
        config.contains("schema: 'schemas/uke-2016.yaml'"),
        "{config}"
    );
}

/// A write that cannot complete leaves no file behind, not even the ones
/// that could have been written, and no temporary file.
#[test]
fn a_failed_write_leaves_no_partial_files() {
    let git = small();
    std::fs::create_dir_all(git.path().join("schemas/uke-2016.yaml")).unwrap();
    let run = git.run(&["init", "--force"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("uke-2016.yaml"), "{}", run.stderr);
    assert!(!git.path().join("milepost.yaml").exists());
    for folder in [git.path().to_path_buf(), git.path().join("schemas")] {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(!name.contains("milepost-tmp"), "{name} left in {folder:?}");
        }
    }
}

#[test]
fn init_without_reports_says_so_and_writes_nothing() {
    let git = GitTree::new();
    git.commit_files("2016-09-30", &[("docs/index.rst", "Docs\n====\n")]);
    let run = git.run(&["init"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("no weekly reports found"),
        "{}",
        run.stderr
    );
    assert!(!git.path().join("milepost.yaml").exists());
}

/// Run in a docs folder of a larger repository, `init` writes there, with
/// globs relative to it, and the history still dates the reports (a late
/// one is found late).
#[test]
fn init_in_a_docs_folder_writes_there() {
    let git = GitTree::new();
    git.commit_files("2016-01-01", &[("README.md", "code\n")]);
    for week in 30..=36 {
        let friday =
            chrono::NaiveDate::from_isoywd_opt(2016, week, chrono::Weekday::Fri).expect("a week");
        let day = if week == 33 {
            friday + chrono::Duration::days(30)
        } else {
            friday
        };
        git.commit_files(
            &day.format("%Y-%m-%d").to_string(),
            &[(
                &format!("docs/status/2016_uke_{week}.rst"),
                good_report(week).as_str(),
            )],
        );
    }
    let docs = git.path().join("docs");
    let run = crate::support::run_in(&docs, &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(docs.join("milepost.yaml").is_file());
    assert!(docs.join("schemas/uke-2016.yaml").is_file());
    assert!(!git.path().join("milepost.yaml").exists());
    let config = std::fs::read_to_string(docs.join("milepost.yaml")).unwrap();
    assert!(
        config.contains("- glob: 'status/**/*_uke_*.rst'"),
        "{config}"
    );
    let check = crate::support::run_in(&docs, &["check", "--format", "json", "--fail-on", "info"]);
    let late: Vec<_> = check
        .findings()
        .into_iter()
        .filter(|(_, _, rule)| rule == "late-report")
        .map(|(path, _, _)| path)
        .collect();
    assert_eq!(late, ["docs/status/2016_uke_33.rst"], "{}", check.stdout);
}

/// Outside git (no commit dates), with section titles that YAML and globs
/// would misread if written raw (a quote, a `#`, a `*`): what `init`
/// writes loads, and the reports pass with it.
#[test]
fn init_outside_git_with_awkward_titles() {
    let tree = crate::support::Tree::new();
    for week in 10..=16 {
        let report = good_report(week)
            .replace("Fullført\n========", "Team's #1 *ting*\n================")
            .replace(
                "Oppdatert status\n================",
                "Status: 'neste'\n===============",
            );
        tree.file(&format!("rapporter [gamle]/2016_uke_{week}.rst"), report);
    }
    let run = tree.run(&["init"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("(0 errors, 1 warnings, 0 infos)"),
        "{}",
        run.stdout
    );
    let check = tree.run(&["check", "--format", "json", "--fail-on", "info"]);
    assert_eq!(check.json()["summary"]["files"], 7, "{}", check.stderr);
    // Only the planned item that never moves (good_report repeats it).
    assert_eq!(check.rules(), ["stale-item"], "{}", check.stdout);
    let schema = std::fs::read_to_string(tree.path().join("schemas/uke-2016.yaml")).unwrap();
    assert!(schema.contains("- title: 'Team''s #1 *ting*'"), "{schema}");
}

/// `milepost new` on the schemas `init` wrote: the next report of the
/// latest era is written where its pattern puts it, and `check` finds in it
/// only the section left for its author to write (`empty-section`): the
/// latest era has no done section, so that is its free-text section.
#[test]
fn new_writes_the_next_report_of_a_schema_init_wrote() {
    let eras = generate(today());
    let run = eras.git.run(&["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = findings(&eras);
    let listed = |git: &GitTree| {
        git.run(&["reports", "--format", "json"]).json()["reports"]
            .as_array()
            .map_or(0, Vec::len)
    };
    let reports_before = listed(&eras.git);
    let new = eras.git.run(&["new"]);
    assert_eq!(new.code, 0, "{}\n{}", new.stdout, new.stderr);
    let after = findings(&eras);
    let added: Vec<&(String, String)> = after.difference(&before).collect();
    let path = added
        .first()
        .map(|(path, _)| path.clone())
        .unwrap_or_default();
    let written = std::fs::read_to_string(eras.git.path().join(&path)).unwrap_or_default();
    assert!(
        !added.is_empty()
            && added
                .iter()
                .all(|(p, rule)| *p == path && rule == "empty-section"),
        "new findings {added:#?}\n{}\n{written}",
        new.stdout
    );
    assert!(
        new.stdout.contains(&format!("wrote {path}")),
        "{}",
        new.stdout
    );
    // It is one more report of the series, with the carried-over plan.
    assert_eq!(listed(&eras.git), reports_before + 1);
    assert!(written.contains("Planlagte aktiviteter"), "{written}");
}
