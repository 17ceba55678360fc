//! `milepost new`: the next report, written where the series puts it, in
//! the series' style, passing `check` but for its empty done section.

use crate::support::{GitTree, git_ok};

/// A report of the `uke` or `weekly` schema in reStructuredText or
/// Markdown, for week `week` of 2016, with a tagged item in progress.
fn report(schema: &str, markdown: bool, week: u32, date: &str) -> String {
    let (title, by, org, sections) = match schema {
        "uke" => (
            format!("Uke {week}"),
            "av Raymond Kristiansen",
            "UH IaaS",
            [
                ("Fullført", "Oppgradering til mitaka."),
                ("Under arbeid", "Det jobbes med DNS for instanser."),
                ("Planlagt fremdrift", "Oppgradere ceph til siste versjon."),
                ("Utfordringer", "API-tilgang er ikke optimal."),
                ("Oppdatert status", "Oppdateres fortløpende på Trello."),
            ],
        ),
        _ => (
            format!("Week {week}"),
            "by Raymond Kristiansen",
            "UH IaaS",
            [
                ("Completed", "Upgraded to mitaka."),
                ("In progress", "Working on DNS for instances."),
                ("Planned", "Upgrade ceph to the latest version."),
                ("Challenges", "API access is not optimal."),
                ("Status update", "Updated continuously on Trello."),
            ],
        ),
    };
    let mut text = if markdown {
        format!("# {title}\n\n{by}, {org}, {date}\n")
    } else {
        let bar = "=".repeat(title.chars().count());
        format!("{bar}\n{title}\n{bar}\n{by}, {org}, {date}\n")
    };
    for (i, (heading, body)) in sections.iter().enumerate() {
        if markdown {
            text.push_str(&format!("\n## {heading}\n\n"));
        } else {
            let bar = "=".repeat(heading.chars().count());
            text.push_str(&format!("\n{heading}\n{bar}\n\n"));
        }
        if i == 1 {
            text.push_str(if markdown {
                "<!-- milepost: item=dns -->\n"
            } else {
                ".. milepost: item=dns\n\n"
            });
        }
        if i == 4 {
            text.push_str(&format!("{body}\n"));
        } else {
            text.push_str(&format!("- {body}\n"));
        }
    }
    text
}

fn series(schema: &str, markdown: bool) -> (GitTree, String) {
    let tree = GitTree::new();
    let ext = if markdown { "md" } else { "rst" };
    let word = if schema == "uke" { "uke" } else { "week" };
    let dates = if schema == "uke" {
        ["16. sep 2016", "23. sep 2016"]
    } else {
        ["September 16, 2016", "September 23, 2016"]
    };
    for (week, date) in [37, 38].into_iter().zip(dates) {
        tree.write(
            &format!("reports/2016_{word}_{week}.{ext}"),
            &report(schema, markdown, week, date),
        );
    }
    git_ok(tree.path(), &["config", "user.name", "Kari Nordmann"]);
    (tree, format!("reports/2016_{word}_39.{ext}"))
}

#[test]
fn the_new_report_passes_check_but_for_its_empty_done_section() {
    for schema in ["uke", "weekly"] {
        for markdown in [false, true] {
            let (tree, expected) = series(schema, markdown);
            let run = tree.run(&["new"]);
            assert_eq!(run.code, 0, "{schema} md={markdown}: {}", run.stderr);
            assert!(run.stdout.contains(&expected), "{}", run.stdout);
            let text = std::fs::read_to_string(tree.path().join(&expected)).unwrap();
            let (title, byline) = if schema == "uke" {
                ("Uke 39", "av Kari Nordmann, UH IaaS, 30. sep 2016")
            } else {
                ("Week 39", "by Kari Nordmann, UH IaaS, September 30, 2016")
            };
            assert!(text.contains(title), "{text}");
            assert!(text.contains(byline), "{text}");
            assert!(text.contains("milepost: item=dns"), "{text}");
            // Done starts empty; the status text is copied (the built-in
            // schemas say `copy_to_next`).
            assert!(
                !text.contains("mitaka") && !text.contains("Upgraded"),
                "{text}"
            );
            assert!(text.contains("Trello"), "{text}");

            let check = tree.run(&["check", "--format", "json", "--fail-on", "info"]);
            let findings: Vec<_> = check
                .findings()
                .into_iter()
                .filter(|(path, _, _)| *path == expected)
                .collect();
            assert_eq!(
                findings.len(),
                1,
                "{schema} md={markdown}: {findings:?}\n{text}"
            );
            assert_eq!(findings[0].2, "empty-section");
            let done_line = text
                .lines()
                .position(|l| l.contains("Fullført") || l.contains("Completed"))
                .unwrap() as u64
                + 1;
            assert_eq!(findings[0].1, done_line, "{text}");
        }
    }
}

#[test]
fn a_tagged_item_is_tracked_into_the_new_report() {
    let (tree, expected) = series("uke", false);
    assert_eq!(tree.run(&["new"]).code, 0);
    let text = std::fs::read_to_string(tree.path().join(&expected)).unwrap();
    let tag = text.find(".. milepost: item=dns").unwrap();
    let item = text.find("- Det jobbes med DNS").unwrap();
    assert!(tag < item, "{text}");
    // Under arbeid, not elsewhere.
    let in_progress = text.find("Under arbeid").unwrap();
    let planned = text.find("Planlagt fremdrift").unwrap();
    assert!(in_progress < tag && item < planned, "{text}");
}

#[test]
fn an_existing_report_is_never_overwritten() {
    let (tree, _) = series("uke", false);
    let before = std::fs::read_to_string(tree.path().join("reports/2016_uke_38.rst")).unwrap();
    let run = tree.run(&["new", "--week", "2016-W38"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("reports/2016_uke_38.rst exists already"),
        "{}",
        run.stderr
    );
    let after = std::fs::read_to_string(tree.path().join("reports/2016_uke_38.rst")).unwrap();
    assert_eq!(before, after);
    let leftovers: Vec<_> = std::fs::read_dir(tree.path().join("reports"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("milepost-tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn dry_run_prints_and_writes_nothing() {
    let (tree, expected) = series("weekly", true);
    let run = tree.run(&["new", "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("# Week 39\n"), "{}", run.stdout);
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
    assert!(!tree.path().join(&expected).exists());
}

#[test]
fn week_and_date_can_be_given_and_the_date_keeps_the_series_style() {
    let tree = GitTree::new();
    let text = report("uke", false, 38, "23.09.2016");
    tree.write("2016_uke_38.rst", &text);
    git_ok(tree.path(), &["config", "user.name", "Kari Nordmann"]);
    let run = tree.run(&["new", "--week", "2016-W41", "--date", "2016-10-13"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let new = std::fs::read_to_string(tree.path().join("2016_uke_41.rst")).unwrap();
    assert!(new.contains("Uke 41"), "{new}");
    assert!(
        new.contains("av Kari Nordmann, UH IaaS, 13.10.2016"),
        "{new}"
    );
    assert!(new.contains("i uke 41") || new.contains("week 41"), "{new}");

    let today = chrono::Local::now().date_naive();
    let run = tree.run(&["new", "--week", "2016-W42", "--date", "today"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let new = std::fs::read_to_string(tree.path().join("2016_uke_42.rst")).unwrap();
    assert!(new.contains(&today.format("%d.%m.%Y").to_string()), "{new}");
}

#[test]
fn the_schema_can_be_chosen_and_a_series_with_none_is_refused() {
    let (tree, _) = series("uke", false);
    let run = tree.run(&["new", "--schema", "weekly"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("weekly schema"), "{}", run.stderr);
    let run = tree.run(&["new", "--schema", "uke", "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn without_user_name_the_previous_author_stays_with_a_note() {
    let tree = GitTree::new();
    tree.write("2016_uke_38.rst", &report("uke", false, 38, "23. sep 2016"));
    // No global or system config either.
    let home = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(crate::support::binary())
        .args(["new", "--dry-run"])
        .current_dir(tree.path())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_CONFIG_GLOBAL")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("av Raymond Kristiansen, UH IaaS, 30. sep 2016"),
        "{stdout}"
    );
    assert!(stderr.contains("user.name is not set"), "{stderr}");
}
