//! `check --diff` and `check --fix`: one test per repair, the staged case,
//! and the exit code after fixing.

use crate::support::{GitTree, Tree, git_ok, good_report};

const PATH: &str = "status/2016_uke_38.rst";

fn read(tree: &std::path::Path) -> String {
    std::fs::read_to_string(tree.join(PATH)).unwrap()
}

/// `--diff` shows `before` → `after` and changes nothing; `--fix` writes
/// `after`, says so, and the check that follows finds nothing.
fn repairs(before: &str, after: &str, rule: &str) {
    let tree = Tree::new();
    tree.file(PATH, before);
    let check = tree.run(&["check", "--format", "json"]);
    assert!(
        check.rules().contains(&rule.to_owned()),
        "{:?}",
        check.rules()
    );

    let diff = tree.run(&["check", "--diff"]);
    assert_eq!(read(tree.path()), before, "--diff changed the file");
    assert!(
        diff.stdout
            .starts_with(&format!("--- a/{PATH}\n+++ b/{PATH}\n")),
        "{}",
        diff.stdout
    );
    assert_ne!(diff.code, 2, "{}", diff.stderr);

    let fix = tree.run(&["check", "--fix", "--fail-on", "info"]);
    assert_eq!(read(tree.path()), after);
    assert!(
        fix.stderr.contains(&format!("fixed 1 finding in {PATH}")),
        "{}",
        fix.stderr
    );
    assert_eq!(fix.code, 0, "{}\n{}", fix.stdout, fix.stderr);
    // Nothing of the rule is left, and nothing more to repair.
    let again = tree.run(&["check", "--diff"]);
    assert_eq!(again.stdout, "");
}

#[test]
fn fix_puts_the_file_name_s_week_in_the_title() {
    let good = good_report(38);
    let before = good.replacen("Uke 38", "Uke 37", 1);
    repairs(&before, &good, "week-mismatch");
}

#[test]
fn fix_renames_a_near_miss_section_and_its_underline_follows() {
    let good = good_report(38);
    let before = good.replace(
        "Planlagt fremdrift\n==================",
        "Planlagt framdrift\n==================",
    );
    repairs(&before, &good, "unknown-section");
    let before = good.replace("Fullført\n========", "Fullfort\n========");
    repairs(&before, &good, "unknown-section");
}

#[test]
fn fix_lengthens_a_short_underline() {
    let good = good_report(38);
    let before = good.replace("Under arbeid\n============", "Under arbeid\n=====");
    repairs(&before, &good, "heading-underline");
}

#[test]
fn the_exit_code_after_fix_is_that_of_what_is_left() {
    let tree = Tree::new();
    let good = good_report(38);
    // Fixable: the title's week. Not fixable: a section nobody can guess.
    let text = good
        .replacen("Uke 38", "Uke 37", 1)
        .replace("Utfordringer\n============", "Budsjett\n========");
    tree.file(PATH, &text);
    let fix = tree.run(&["check", "--fix", "--format", "json"]);
    assert_eq!(fix.code, 1, "{}", fix.stderr);
    let rules = fix.rules();
    assert!(!rules.contains(&"week-mismatch".to_owned()), "{rules:?}");
    assert!(rules.contains(&"unknown-section".to_owned()), "{rules:?}");
    assert!(read(tree.path()).starts_with("======\nUke 38\n======\n"));
    assert!(read(tree.path()).contains("Budsjett\n========"));
}

#[test]
fn a_suppressed_finding_is_not_fixed() {
    let tree = Tree::new();
    let text = good_report(38).replace(
        "Fullført\n========",
        ".. milepost: disable=unknown-section\n\nFullfort\n========",
    );
    tree.file(PATH, &text);
    let fix = tree.run(&["check", "--fix"]);
    assert_eq!(read(tree.path()), text, "{}", fix.stderr);
}

#[test]
fn staged_fix_leaves_a_file_with_unstaged_changes_alone_and_prints_the_diff() {
    let repo = GitTree::new();
    let bad = good_report(38).replacen("Uke 38", "Uke 37", 1);
    repo.write(PATH, &bad);
    repo.stage(PATH);
    // Edited again after staging.
    let edited = format!("{bad}\nMer tekst.\n");
    repo.write(PATH, &edited);
    let run = repo.run(&["check", "--staged", "--fix"]);
    assert_eq!(read(repo.path()), edited);
    assert!(
        run.stderr.contains("has unstaged changes: not fixed"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("-Uke 37\n+Uke 38"), "{}", run.stderr);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn staged_fix_writes_a_file_without_unstaged_changes_and_asks_to_stage_it() {
    let repo = GitTree::new();
    let bad = good_report(38).replacen("Uke 38", "Uke 37", 1);
    repo.write(PATH, &bad);
    repo.stage(PATH);
    let run = repo.run(&["check", "--staged", "--fix"]);
    assert_eq!(read(repo.path()), good_report(38));
    assert!(
        run.stderr.contains("stage it to commit the fix"),
        "{}",
        run.stderr
    );
    // The index still holds the mistake until it is staged.
    assert_eq!(run.code, 1, "{}", run.stderr);
    git_ok(repo.path(), &["add", PATH]);
    assert_eq!(repo.run(&["check", "--staged"]).code, 0);
}

#[test]
fn a_file_with_crlf_line_ends_is_not_rewritten() {
    let tree = Tree::new();
    let text = good_report(38)
        .replacen("Uke 38", "Uke 37", 1)
        .replace('\n', "\r\n");
    tree.file(PATH, &text);
    let run = tree.run(&["check", "--fix"]);
    assert_eq!(
        std::fs::read(tree.path().join(PATH)).unwrap(),
        text.as_bytes()
    );
    assert!(run.stderr.contains("not fixed"), "{}", run.stderr);
}

const PLAN: &str = "Plan\n====\n\nVi trenger 4 personer.\n\nLevert i november.\n";

/// A report that links to the plan, and a later commit that moved the
/// plans folder (with `git mv`, and the plan edited a little on the way).
fn moved_plan(edit: bool) -> GitTree {
    let repo = GitTree::new();
    let report = good_report(38).replace(
        "- API-tilgang er ikke optimal slik den er satt opp nå.",
        "- Se :doc:`planen <../plans/production>` og :doc:`../plans/production`.",
    );
    repo.commit_files(
        "2016-09-23",
        &[
            ("docs/plans/production.rst", PLAN),
            ("docs/status/2016_uke_38.rst", &report),
        ],
    );
    git_ok(repo.path(), &["mv", "docs/plans", "docs/planning"]);
    if edit {
        repo.write(
            "docs/planning/production.rst",
            &format!("{PLAN}\nOppdatert.\n"),
        );
        git_ok(repo.path(), &["add", "docs/planning/production.rst"]);
    }
    // git's own commit: the index was changed by git, not through git2.
    git_ok(
        repo.path(),
        &["commit", "-qm", "docs: plans/ is now planning/"],
    );
    repo
}

#[test]
fn fix_follows_a_doc_link_to_where_git_moved_its_target() {
    for edit in [false, true] {
        let repo = moved_plan(edit);
        let report = "docs/status/2016_uke_38.rst";
        let check = repo.run(&["check", "--format", "json"]);
        assert!(check.rules().contains(&"broken-link".to_owned()));
        let run = repo.run(&["check", "--fix"]);
        let text = std::fs::read_to_string(repo.path().join(report)).unwrap();
        assert!(
            text.contains(
                "- Se :doc:`planen <../planning/production>` og :doc:`../planning/production`."
            ),
            "{text}\n{}",
            run.stderr
        );
        assert!(run.stderr.contains("fixed 2 findings"), "{}", run.stderr);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    }
}

#[test]
fn a_doc_link_whose_target_went_two_places_is_left_alone() {
    let repo = GitTree::new();
    let report = good_report(38).replace(
        "- API-tilgang er ikke optimal slik den er satt opp nå.",
        "- Se :doc:`../plans/production`.",
    );
    repo.commit_files(
        "2016-09-23",
        &[
            ("docs/plans/production.rst", PLAN),
            ("docs/status/2016_uke_38.rst", &report),
        ],
    );
    // Removed, and two identical copies added: no one place.
    std::fs::remove_file(repo.path().join("docs/plans/production.rst")).unwrap();
    repo.stage("docs/plans/production.rst");
    repo.commit_files(
        "2016-10-01",
        &[
            ("docs/a/production.rst", PLAN),
            ("docs/b/production.rst", PLAN),
        ],
    );
    let run = repo.run(&["check", "--fix"]);
    let text = std::fs::read_to_string(repo.path().join("docs/status/2016_uke_38.rst")).unwrap();
    assert_eq!(text, report);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

mod never_panic {
    //! Repairs and scaffolds of any report: no panic, and every applied
    //! edit leaves text that reads again.

    use milepost::fix::{self, Input, NoMoves};
    use milepost::report::{Format, parse};
    use milepost::rules::Rule;
    use milepost::scaffold::{Previous, Request, scaffold};
    use milepost::schema::Schema;
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "Uke 38",
            "Uke 9",
            "Week 37",
            "======",
            "=====",
            "==",
            "---",
            "# ",
            "## ",
            "Fullfort",
            "Fullført",
            "Under Arbeid",
            "Planlagt framdrift",
            "In Progres",
            "- ",
            "  ",
            "* ",
            ".. ",
            "milepost: item=dns",
            "<!-- ",
            " -->",
            "av A, B, 23. sep 2016",
            "by A, B, September 23, 2016",
            ":doc:`../x`",
            "æøå",
            "\t",
            "\r",
            "",
        ])
    }

    fn soup() -> impl Strategy<Value = String> {
        let line = prop::collection::vec(piece(), 0..5).prop_map(|p| p.concat());
        prop::collection::vec(line, 0..40).prop_map(|lines| lines.join("\n"))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn repairs_and_scaffolds_never_panic(text in soup(), markdown in any::<bool>()) {
            let (path, schema) = if markdown {
                ("s/2016_week_38.md", Schema::builtin("weekly").unwrap().unwrap())
            } else {
                ("s/2016_uke_38.rst", Schema::builtin("uke").unwrap().unwrap())
            };
            let format = Format::from_path(path).unwrap();
            let document = parse(format, &text);
            let input = Input {
                path,
                text: &text,
                format,
                document: &document,
                schema: &schema,
                byline_date: chrono::NaiveDate::from_ymd_opt(2016, 9, 23),
            };
            // Every line has every fixable finding: the fixes decide.
            let lines = u32::try_from(text.lines().count() + 1).unwrap();
            let findings: Vec<_> = (1..=lines)
                .flat_map(|line| {
                    fix::FIXABLE.iter().map(move |&rule| {
                        milepost::diagnostic::Diagnostic::new(
                            rule,
                            path,
                            milepost::report::Pos::new(line, 1),
                            "x",
                        )
                    })
                })
                .collect();
            let fixes = fix::fixes(&input, &findings, &NoMoves);
            let (fixed, _) = fix::apply(&text, &fixes);
            let _ = parse(format, &fixed);
            prop_assert!(fixes.iter().all(|f| f.rule != Rule::BrokenLink));

            let request = Request {
                year: 2016,
                week: 39,
                date: chrono::NaiveDate::from_ymd_opt(2016, 9, 30).unwrap(),
                author: Some("Kari"),
            };
            let previous = Previous { path, text: &text, document: &document, schema: &schema };
            if let Ok(new) = scaffold(&previous, &request) {
                let _ = parse(format, &new.text);
            }
        }
    }
}
