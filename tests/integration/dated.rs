//! Date-named report series: generated series in Markdown and
//! reStructuredText, several templates, committed with real git at chosen
//! dates; cadence gaps (explained, excused by breaks, and not), a copied
//! title, a late report by the series' deadline, and ambiguous dates.

use chrono::{Datelike, NaiveDate};

use milepost::dates::NB_MONTHS as NORWEGIAN_MONTHS;

use crate::support::{GitTree, Run};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test date")
}

/// `(path, rule, message)` of every finding, in output order.
fn messages(run: &Run) -> Vec<(String, String, String)> {
    run.json()["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["rule"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn hint_of(run: &Run, rule: &str) -> String {
    run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .and_then(|f| f["hint"].as_str())
        .unwrap_or_default()
        .to_owned()
}

/// A Markdown report: a title, an optional note, then `sections` of bullets.
fn markdown(title: &str, note: Option<&str>, sections: &[(&str, &[&str])]) -> String {
    let mut text = format!("# {title}\n\n");
    if let Some(note) = note {
        text.push_str(&format!("{note}\n\n"));
    }
    for (heading, items) in sections {
        text.push_str(&format!("## {heading}\n\n"));
        for item in *items {
            text.push_str(&format!("- {item}\n"));
        }
        text.push('\n');
    }
    text
}

/// A reStructuredText report with a byline and `sections` of bullets.
fn rst(title: &str, byline: &str, sections: &[(&str, &[&str])]) -> String {
    let bar = "=".repeat(title.chars().count());
    let mut text = format!("{bar}\n{title}\n{bar}\n{byline}\n\n");
    for (heading, items) in sections {
        let under = "=".repeat(heading.chars().count());
        text.push_str(&format!("{heading}\n{under}\n\n"));
        for item in *items {
            text.push_str(&format!("- {item}\n"));
        }
        text.push('\n');
    }
    text
}

/// The YAML block after the `date-schema-example` marker in the README:
/// the issue's template, `projectname-YYMMDD.md`, `# Projectname DD/MM/YY`.
pub(crate) fn readme_date_schema() -> String {
    let readme = include_str!("../../README.md");
    let after = readme
        .split("<!-- date-schema-example")
        .nth(1)
        .expect("the README has a date-schema-example block");
    let block = after
        .split("```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a yaml block after the marker");
    block.to_owned()
}

fn projectname_report(title_day: NaiveDate, note: Option<&str>) -> String {
    markdown(
        &format!(
            "Projectname {:02}/{:02}/{:02}",
            title_day.day(),
            title_day.month(),
            title_day.year() % 100
        ),
        note,
        &[
            (
                "High Level Goal",
                &["Run the service for the whole faculty."],
            ),
            ("Original Goals", &["Set up monitoring."]),
            ("Progress and Issues", &["Monitoring is half done."]),
            ("Goals for Next Week", &["Set up monitoring."]),
        ],
    )
}

fn commit_projectname(git: &GitTree, file_day: &str, committed: &str, text: &str) {
    let d = day(file_day);
    let path = format!(
        "Status-Reports/projectname-{:02}{:02}{:02}.md",
        d.year() % 100,
        d.month(),
        d.day()
    );
    git.commit_files(committed, &[(&path, text)]);
}

#[test]
fn markdown_series_named_by_date_with_copied_title_gaps_and_deadline() {
    let git = GitTree::new();
    git.write(
        "milepost.yaml",
        "reports:\n  - glob: 'Status-Reports/*.md'\n    schema: projectname.yaml\n    cadence:\n      every: weekly\n      on: wednesday\n      deadline: '23:59'\nrules:\n  stale-item: off\n",
    )
    .write("projectname.yaml", &readme_date_schema())
    .stage("milepost.yaml")
    .stage("projectname.yaml");
    let wednesdays = ["2017-03-01", "2017-03-08"];
    for wednesday in wednesdays {
        commit_projectname(
            &git,
            wednesday,
            wednesday,
            &projectname_report(day(wednesday), None),
        );
    }
    // Copied from the report of 5 March: its title is ten days old.
    commit_projectname(
        &git,
        "2017-03-15",
        "2017-03-15",
        &projectname_report(day("2017-03-05"), None),
    );
    // Weeks 12 and 13 skipped, and said so.
    commit_projectname(
        &git,
        "2017-04-05",
        "2017-04-05",
        &projectname_report(
            day("2017-04-05"),
            Some("No report for weeks 12 and 13 because of holidays."),
        ),
    );
    // Committed the day after its deadline.
    commit_projectname(
        &git,
        "2017-04-12",
        "2017-04-13",
        &projectname_report(day("2017-04-12"), None),
    );
    // Week 16 skipped without a word.
    commit_projectname(
        &git,
        "2017-04-26",
        "2017-04-26",
        &projectname_report(day("2017-04-26"), None),
    );

    let run = git.run(&["check", "--format", "json"]);
    let found = messages(&run);
    let placed: Vec<(&str, &str)> = found
        .iter()
        .map(|(path, rule, _)| (path.as_str(), rule.as_str()))
        .collect();
    assert_eq!(
        placed,
        [
            ("Status-Reports/projectname-170315.md", "date-mismatch"),
            ("Status-Reports/projectname-170412.md", "late-report"),
            ("Status-Reports/projectname-170426.md", "missing-report"),
        ],
        "{}",
        run.stdout
    );
    assert_eq!(
        found[0].2,
        "the title says 2017-03-05, 10 days before the file name and first commit (2017-03-15): the title is the odd one out"
    );
    assert_eq!(
        found[2].2,
        "no report for week 16 of 2017 since `projectname-170412.md`"
    );
    let late = &found[1].2;
    assert!(
        late.starts_with("first committed 2017-04-13 (")
            && late.ends_with(", 12 hours after its deadline (Wednesday 2017-04-12 23:59)"),
        "{late}"
    );
    // The finding points at the title's date.
    let mismatch = &run.json()["findings"][0];
    assert_eq!(
        (
            mismatch["line"].as_u64(),
            mismatch["column"].as_u64(),
            mismatch["end_column"].as_u64()
        ),
        (Some(1), Some(15), Some(23)),
        "{mismatch}"
    );
    // The ambiguous `05/03/17` was read by the file name's date, and says so.
    let hint = hint_of(&run, "date-mismatch");
    assert!(
        hint.contains("`05/03/17` read as 2017-03-05 (day/month/year), the reading nearest the file name (2017-03-15); also possible: 2005-03-17 (year/month/day)"),
        "{hint}"
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
}

/// The Norwegian template in reStructuredText, one folder per year and
/// month (`2017/03/08.rst`), titles with month names.
const FOLDER_SCHEMA: &str = r#"extends: uke
name: status-dato
file_name: '(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})'
title: '^Status (?P<date>.+)$'
grace_days: 2
"#;

fn norwegian(d: NaiveDate) -> String {
    format!(
        "{}. {} {}",
        d.day(),
        NORWEGIAN_MONTHS[d.month0() as usize],
        d.year()
    )
}

fn folder_report(d: NaiveDate, byline_day: NaiveDate, extra: &[&str]) -> String {
    let mut done: Vec<&str> = vec!["Oppgradert til mitaka."];
    done.extend_from_slice(extra);
    rst(
        &format!("Status {}", norwegian(d)),
        &format!("av Kari Nordmann, UH IaaS, {}", norwegian(byline_day)),
        &[
            ("Fullført", &done),
            ("Under arbeid", &["DNS for instanser."]),
            ("Planlagt fremdrift", &["Oppgradere ceph."]),
            ("Utfordringer", &["API-tilgang."]),
            ("Oppdatert status", &["Alt går etter planen."]),
        ],
    )
}

#[test]
fn rst_series_in_date_folders_with_summer_break_and_norwegian_explanation() {
    let git = GitTree::new();
    git.write(
        "milepost.yaml",
        "reports:\n  - glob: 'status/**/*.rst'\n    schema: status.yaml\ncadence:\n  every: weekly\n  breaks: [W28..W31]\nrules:\n  stale-item: off\n",
    )
    .write("status.yaml", FOLDER_SCHEMA)
    .stage("milepost.yaml")
    .stage("status.yaml");
    let plain = ["2017-06-28", "2017-07-05", "2017-08-09", "2017-08-16"];
    for date in plain {
        let d = day(date);
        git.commit_files(
            date,
            &[(
                &format!("status/{}.rst", d.format("%Y/%m/%d")),
                &folder_report(d, d, &[]),
            )],
        );
    }
    // Weeks 34 and 35 skipped, explained in Norwegian.
    let d = day("2017-09-06");
    git.commit_files(
        "2017-09-06",
        &[(
            "status/2017/09/06.rst",
            &folder_report(d, d, &["Ingen rapport uke 34–35 pga ferie."]),
        )],
    );
    // The byline kept last report's date.
    let d = day("2017-09-13");
    git.commit_files(
        "2017-09-13",
        &[(
            "status/2017/09/13.rst",
            &folder_report(d, day("2017-09-06"), &[]),
        )],
    );

    let run = git.run(&["check", "--format", "json"]);
    assert_eq!(
        messages(&run),
        [(
            "status/2017/09/13.rst".to_owned(),
            "date-mismatch".to_owned(),
            "the byline says 2017-09-06, 7 days before the file name, title and first commit (2017-09-13): the byline is the odd one out".to_owned()
        )],
        "{}",
        run.stdout
    );
    // Without the summer break, its weeks are missing; the folders of
    // months are one series.
    git.write(
        "milepost.yaml",
        "reports:\n  - glob: 'status/**/*.rst'\n    schema: status.yaml\nrules:\n  stale-item: off\n  date-mismatch: off\n",
    );
    let run = git.run(&["check", "--format", "json"]);
    assert_eq!(
        messages(&run),
        [(
            "status/2017/08/09.rst".to_owned(),
            "missing-report".to_owned(),
            "no report for 4 weeks, 28–31 of 2017 since `2017/07/05.rst`".to_owned()
        )],
        "{}",
        run.stdout
    );
    // byline-vs-commit allows 7 days, so only date-mismatch (grace 2) says it.
    let reports = git.run(&["reports", "--format", "json"]);
    let rows = reports.json()["reports"].as_array().unwrap().clone();
    let row = rows
        .iter()
        .find(|r| r["path"] == "status/2017/09/06.rst")
        .unwrap();
    assert_eq!(row["named_date"], "2017-09-06");
    assert_eq!(
        (row["year"].as_i64(), row["week"].as_i64()),
        (Some(2017), Some(36))
    );
}

#[test]
fn monthly_and_biweekly_cadences() {
    let git = GitTree::new();
    git.write(
        "milepost.yaml",
        "reports:\n  - glob: 'monthly/*.md'\n    schema: monthly.yaml\n    cadence: {every: monthly, breaks: [W27..W31]}\n  - glob: 'biweekly/*.md'\n    schema: monthly.yaml\n    cadence: {every: biweekly}\nrules:\n  stale-item: off\n",
    )
    .write(
        "monthly.yaml",
        "extends: weekly\nname: monthly\nfile_name: '^(?P<date>\\d{4}-\\d{2}-\\d{2})$'\ntitle: '^Status (?P<date>.+)$'\nbyline: null\n",
    )
    .stage("milepost.yaml")
    .stage("monthly.yaml");
    let english = |d: NaiveDate| {
        markdown(
            &format!("Status {}", d.format("%B %-d, %Y")),
            None,
            &[
                ("Completed", &["Monitoring."]),
                ("In progress", &["Backups."]),
                ("Planned", &["Upgrade."]),
                ("Challenges", &["None."]),
                ("Status update", &["On track."]),
            ],
        )
    };
    // July is a break (weeks 27–31 cover most of it); August is missing.
    for date in ["2017-05-31", "2017-06-30", "2017-09-01"] {
        git.commit_files(
            date,
            &[(&format!("monthly/{date}.md"), &english(day(date)))],
        );
    }
    // Fortnights from the week of 4 January: the one of 30 January is missing.
    for date in ["2017-01-04", "2017-01-18", "2017-02-15"] {
        git.commit_files(
            date,
            &[(&format!("biweekly/{date}.md"), &english(day(date)))],
        );
    }
    let run = git.run(&["check", "--format", "json"]);
    assert_eq!(
        messages(&run),
        [
            (
                "biweekly/2017-02-15.md".to_owned(),
                "missing-report".to_owned(),
                "no report for the fortnight 2017-01-30 to 2017-02-12 since `2017-01-18.md`"
                    .to_owned()
            ),
            (
                "monthly/2017-09-01.md".to_owned(),
                "missing-report".to_owned(),
                "no report for August 2017 since `2017-06-30.md`".to_owned()
            ),
        ],
        "{}",
        run.stdout
    );
}

#[test]
fn an_ambiguous_title_alone_is_resolved_by_the_first_commit_and_stated() {
    let git = GitTree::new();
    git.write(
        "milepost.yaml",
        "reports:\n  - glob: 'notes/*.md'\n    schema: s.yaml\n",
    )
    .write(
        "s.yaml",
        "extends: weekly\ntitle: '^Projectname (?P<date>\\d{1,2}/\\d{1,2}/\\d{2})$'\nbyline: null\nsections:\n  - {title: Progress, kind: in_progress}\n",
    )
    .stage("milepost.yaml")
    .stage("s.yaml");
    // 26/02/17: 26 February 2017, or 17 February 2026; committed in 2026.
    git.commit_files(
        "2026-02-17",
        &[(
            "notes/latest.md",
            "# Projectname 26/02/17\n\n## Progress\n\n- Done.\n",
        )],
    );
    let run = git.run(&["reports", "--format", "json"]);
    let row = &run.json()["reports"][0];
    assert_eq!(row["named_date"], "2026-02-17", "{}", run.stdout);
    assert_eq!(
        (row["year"].as_i64(), row["week"].as_i64()),
        (Some(2026), Some(8))
    );
    let statement = row["resolutions"][0].as_str().unwrap_or_default();
    assert!(
        statement.contains("`26/02/17` read as 2026-02-17 (year/month/day), the reading nearest the first commit (2026-02-17); also possible: 2017-02-26 (day/month/year)"),
        "{statement}"
    );
    let check = git.run(&["check", "--format", "json"]);
    assert!(messages(&check).is_empty(), "{}", check.stdout);
    let table = git.run(&["reports"]);
    assert!(
        table.stdout.contains(
            "1 date could be read more than one way and was read by the report's other dates"
        ),
        "{}",
        table.stdout
    );
    // Without git nothing decides: the table says how it was read.
    let tree = crate::support::Tree::new();
    tree.file(
        "milepost.yaml",
        "reports:\n  - glob: 'notes/*.md'\n    schema: s.yaml\n",
    )
    .file(
        "s.yaml",
        "extends: weekly\ntitle: '^Projectname (?P<date>\\d{1,2}/\\d{1,2}/\\d{2})$'\nbyline: null\nsections:\n  - {title: Progress, kind: in_progress}\n",
    )
    .file("notes/latest.md", "# Projectname 26/02/17\n\n## Progress\n\n- Done.\n");
    let table = tree.run(&["reports"]);
    assert!(
        table.stdout.contains("notes/latest.md: `26/02/17` read as 2017-02-26 (day/month/year), no other date of the report to decide by; also possible: 2026-02-17 (year/month/day)"),
        "{}",
        table.stdout
    );
}

#[test]
fn a_date_that_is_no_day_and_bad_cadence_values_are_located() {
    let git = GitTree::new();
    git.write(
        "milepost.yaml",
        "reports:\n  - glob: '*.md'\n    schema: s.yaml\n",
    )
    .write(
        "s.yaml",
        "extends: weekly\nfile_name: '^p-(?P<date>\\d{8})$'\ntitle: '^(?P<date>.+)$'\nbyline: null\nsections:\n  - {title: Progress, kind: in_progress}\n",
    );
    git.write("p-20170231.md", "# 2017-02-28\n\n## Progress\n\n- Done.\n");
    let run = git.run(&["check", "--format", "json"]);
    let found = messages(&run);
    assert_eq!(found.len(), 1, "{}", run.stdout);
    assert_eq!(found[0].1, "date-format");
    assert!(
        found[0].2.contains("the file name names no real day"),
        "{:?}",
        found[0]
    );

    git.write(
        "milepost.yaml",
        "reports:\n  - glob: '*.md'\n    schema: s.yaml\n    cadence:\n      every: weekly\n      deadline: someday\n",
    );
    let run = git.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("milepost.yaml:6:17: ")
            && run
                .stderr
                .contains("`deadline: someday` is not a weekday and a time like `wednesday 23:59`"),
        "{}",
        run.stderr
    );
}

#[test]
fn cadence_configs_validate_against_the_json_schema() {
    use crate::config::validate;
    let good = "cadence:\n  every: weekly\n  breaks: [W28..W31, 12-22..01-02]\nreports:\n  - glob: 'a/*.md'\n    schema: s.yaml\n    cadence: {every: biweekly, on: onsdag, deadline: wednesday 23:59, breaks: [2017-W10, 2017-03-01..2017-03-14]}\n";
    assert_eq!(validate(good), Vec::<String>::new());
    assert!(!validate("cadence: {every: daily}\n").is_empty());
    assert!(!validate("cadence: {breaks: [summer]}\n").is_empty());
    assert!(!validate("cadence: {often: true}\n").is_empty());
}

/// A week-numbered series has a cadence too: a recurring summer break,
/// a gap the next report explains in Norwegian, and a deadline.
#[test]
fn week_numbered_series_use_the_cadence() {
    use crate::support::good_report;
    let git = GitTree::new();
    git.write(
        "milepost.yaml",
        "cadence:\n  breaks: [W28..W31]\n  deadline: monday 12:00\nrules:\n  stale-item: off\n",
    )
    .stage("milepost.yaml");
    // Weeks 27, then 32 (summer), 33, then 36 explaining 34–35, 38 not.
    for (week, committed) in [(27, "2016-07-11"), (32, "2016-08-15"), (33, "2016-08-22")] {
        git.commit_files(
            committed,
            &[(&format!("status/2016_uke_{week}.rst"), &good_report(week))],
        );
    }
    let explained = good_report(36).replace(
        "- Oppgradering til mitaka i uke 36.",
        "- Oppgradering til mitaka i uke 36.\n- Ingen rapport uke 34–35 pga ferie.",
    );
    git.commit_files("2016-09-12", &[("status/2016_uke_36.rst", &explained)]);
    // Week 38 committed Tuesday of week 39: after Monday 12:00.
    git.commit_files(
        "2016-09-27",
        &[("status/2016_uke_38.rst", &good_report(38))],
    );
    let run = git.run(&["check", "--format", "json"]);
    let found = messages(&run);
    let placed: Vec<(&str, &str)> = found
        .iter()
        .map(|(path, rule, _)| (path.as_str(), rule.as_str()))
        .collect();
    assert_eq!(
        placed,
        [
            ("status/2016_uke_38.rst", "late-report"),
            ("status/2016_uke_38.rst", "missing-report"),
        ],
        "{}",
        run.stdout
    );
    assert!(
        found[0]
            .2
            .ends_with("1 day after its deadline (Monday 2016-09-26 12:00)"),
        "{}",
        found[0].2
    );
    assert_eq!(
        found[1].2,
        "no report for week 37 of 2016 since `2016_uke_36.rst`"
    );
}

/// The built-in English templates, chosen without any config for
/// date-named reports in status folders; week-numbered reports beside
/// them keep their Norwegian schema; section roles feed tracking and
/// staffing.
#[test]
fn built_in_english_templates_work_without_config() {
    use crate::support::{Tree, good_report};
    let tree = Tree::new();
    tree.file(
        "team/status/2017-03-01.md",
        markdown(
            "Team update 2017-03-01",
            None,
            &[
                ("Done", &["Backups."]),
                ("Doing", &["Monitoring."]),
                ("Next", &["Finish the migration by 1 February 2017."]),
                ("Blockers", &["We need 2 more people to run the service."]),
            ],
        ),
    )
    .file(
        "team/weekly-reports/report-20170301.md",
        markdown(
            "Weekly report March 1, 2017",
            None,
            &[
                ("Accomplishments", &["Backups."]),
                ("Next week", &["Alerting."]),
            ],
        ),
    )
    .file(
        "Status-Reports/projectname-170301.md",
        projectname_report(day("2017-03-01"), None),
    )
    .file("docs/status/2016_uke_38.rst", good_report(38))
    .file("blog/2017-03-01.md", "# A post\n\nNot a report.\n");
    let run = tree.run(&["check", "--format", "json"]);
    let found = messages(&run);
    let placed: Vec<(&str, &str)> = found
        .iter()
        .map(|(path, rule, _)| (path.as_str(), rule.as_str()))
        .collect();
    assert_eq!(
        placed,
        [
            ("team/status/2017-03-01.md", "overdue-item"),
            ("team/status/2017-03-01.md", "staffing-risk"),
            ("team/weekly-reports/report-20170301.md", "missing-section"),
        ],
        "{}",
        run.stdout
    );
    assert!(
        found[2].2.starts_with("missing section `Risks`"),
        "{}",
        found[2].2
    );
    assert_eq!(run.json()["summary"]["files"], 4, "{}", run.stdout);
}

/// The goals template's *Original Goals* against the previous report's
/// *Goals for Next Week*: a goal dropped silently, one that appeared
/// without being planned, and copies that differ only in form.
#[test]
fn carry_over_sections_find_dropped_and_unplanned_goals() {
    let git = GitTree::new();
    let report = |title: &str, original: &[&str], next: &[&str]| {
        markdown(
            &format!("Projectname {title}"),
            None,
            &[
                ("High Level Goal", &["Run the service."]),
                ("Original Goals", original),
                ("Progress and Issues", &["Going well."]),
                ("Goals for Next Week", next),
            ],
        )
    };
    let reports = [
        (
            "2017-03-01",
            report(
                "01/03/17",
                &["Plan the year."],
                &["Set up monitoring.", "Write *the* docs"],
            ),
        ),
        (
            "2017-03-08",
            report(
                "08/03/17",
                &["set up   monitoring", "Write the docs."],
                &["Buy servers.", "Hire an operator."],
            ),
        ),
        (
            "2017-03-15",
            report(
                "15/03/17",
                &["Buy servers.", "Move to the cloud."],
                &["Rest."],
            ),
        ),
    ];
    for (date, text) in &reports {
        commit_projectname(&git, date, date, text);
    }
    let run = git.run(&["check", "--format", "json"]);
    let found = messages(&run);
    assert_eq!(
        found,
        [
            (
                "Status-Reports/projectname-170315.md".to_owned(),
                "dropped-item".to_owned(),
                "`Hire an operator.` was planned in `projectname-170308.md` but is missing from Original Goals".to_owned()
            ),
            (
                "Status-Reports/projectname-170315.md".to_owned(),
                "unplanned-goal".to_owned(),
                "`Move to the cloud.` is under Original Goals but was not planned in `projectname-170308.md`".to_owned()
            ),
        ],
        "{}",
        run.stdout
    );
    // A run given only the last report (as CI with --changed-since) reads
    // the report before it to judge the copy.
    for args in [
        &[
            "check",
            "Status-Reports/projectname-170315.md",
            "--format",
            "json",
        ][..],
        &["check", "--changed-since", "HEAD~1", "--format", "json"][..],
    ] {
        let scoped = git.run(args);
        assert_eq!(messages(&scoped), found, "{args:?}: {}", scoped.stdout);
    }
}

/// A carry-over section in a schema of one's own, in reStructuredText: a
/// goal reported done instead of copied is not dropped.
#[test]
fn carry_over_in_rst_with_a_schema_of_ones_own() {
    let git = GitTree::new();
    git.write(
        "milepost.yaml",
        "reports:\n  - glob: 'status/*.rst'\n    schema: s.yaml\nrules:\n  stale-item: off\n",
    )
    .write(
        "s.yaml",
        "extends: uke\nsections:\n  - {title: Forrige ukes plan, kind: notes, copy_of: planned}\n  - {title: Fullført, kind: done}\n  - {title: Planlagt fremdrift, kind: planned}\n",
    )
    .stage("milepost.yaml")
    .stage("s.yaml");
    let report = |week: u32, previous: &[&str], done: &[&str], planned: &[&str]| {
        let friday = NaiveDate::from_isoywd_opt(2016, week, chrono::Weekday::Fri).unwrap();
        rst(
            &format!("Uke {week}"),
            &format!("av Kari Nordmann, UH IaaS, {}", norwegian(friday)),
            &[
                ("Forrige ukes plan", previous),
                ("Fullført", done),
                ("Planlagt fremdrift", planned),
            ],
        )
    };
    git.commit_files(
        "2016-09-16",
        &[(
            "status/2016_uke_37.rst",
            &report(
                37,
                &["Ingenting."],
                &["Ceph."],
                &["Oppgradere ceph.", "DNS for instanser."],
            ),
        )],
    );
    git.commit_files(
        "2016-09-23",
        &[(
            "status/2016_uke_38.rst",
            &report(
                38,
                &["Oppgradere ceph."],
                &["DNS for instanser."],
                &["Mer lagring."],
            ),
        )],
    );
    let run = git.run(&["check", "--format", "json"]);
    assert!(messages(&run).is_empty(), "{}", run.stdout);
    git.commit_files(
        "2016-09-30",
        &[(
            "status/2016_uke_39.rst",
            &report(39, &[], &["Ingenting."], &["Hvile."]),
        )],
    );
    let run = git.run(&["check", "--format", "json"]);
    let found = messages(&run);
    let rules: Vec<&str> = found.iter().map(|f| f.1.as_str()).collect();
    // The copy is empty (empty-section), and the plan's goal is gone.
    assert_eq!(rules, ["dropped-item", "empty-section"], "{}", run.stdout);
    assert!(
        found[0]
            .2
            .starts_with("`Mer lagring.` was planned in `2016_uke_38.rst`")
    );
}

/// In the commit hook, a new report is published today: today is the
/// third date that shows which of file name and title is the odd one.
#[test]
fn the_commit_hook_holds_a_new_report_to_today() {
    let git = GitTree::new();
    git.write(
        "milepost.yaml",
        "reports:\n  - glob: 'status/*.md'\n    schema: s.yaml\n",
    )
    .write(
        "s.yaml",
        "extends: weekly\nfile_name: '^(?P<date>\\d{4}-\\d{2}-\\d{2})$'\ntitle: '^Status (?P<date>.+)$'\nbyline: null\nsections:\n  - {title: Progress, kind: in_progress}\n",
    );
    git.commit_files(
        "2017-01-04",
        &[(
            "milepost.yaml",
            "reports:\n  - glob: 'status/*.md'\n    schema: s.yaml\n",
        )],
    );
    let today = chrono::Local::now().date_naive();
    let copied_from = today - chrono::Duration::days(10);
    git.write(
        &format!("status/{}.md", today.format("%Y-%m-%d")),
        &format!(
            "# Status {}\n\n## Progress\n\n- Done.\n",
            copied_from.format("%Y-%m-%d")
        ),
    )
    .stage(&format!("status/{}.md", today.format("%Y-%m-%d")))
    .stage("s.yaml");
    let run = git.run(&["check", "--staged", "--format", "json"]);
    let found = messages(&run);
    assert_eq!(found.len(), 1, "{}", run.stdout);
    assert_eq!(found[0].1, "date-mismatch");
    let expected = format!(
        "10 days before the file name and first commit ({}): the title is the odd one out",
        today.format("%Y-%m-%d")
    );
    assert!(found[0].2.ends_with(&expected), "{}", found[0].2);
}

mod properties {
    use milepost::cadence::{Break, Deadline};
    use milepost::dated::{Captured, read_text, resolve};
    use proptest::prelude::*;
    use proptest::test_runner::Config;

    fn config() -> Config {
        Config {
            cases: 512,
            failure_persistence: None,
            ..Config::default()
        }
    }

    proptest! {
        #![proptest_config(config())]

        /// Whatever a title or file name holds, reading it as a date never
        /// panics, every reading is a real day, and resolution picks one
        /// of them.
        #[test]
        fn date_texts_never_panic(text in "[0-9./ -]{0,12}|\\PC{0,24}") {
            if let Captured::Readings(readings) = read_text(&text) {
                prop_assert!(!readings.is_empty());
                let chosen = resolve(&text, &readings, &[("file name", None)]).unwrap();
                prop_assert!(readings.iter().any(|r| r.date == chosen.date));
            }
        }

        /// Cadence values are parsed or refused with a message, never a panic.
        #[test]
        fn cadence_values_never_panic(text in "\\PC{0,30}") {
            let _ = Deadline::parse(&text);
            let _ = Break::parse(&text);
        }
    }
}

#[test]
fn cadence_errors_point_at_the_value() {
    let tree = crate::support::Tree::new();
    tree.file(
        "milepost.yaml",
        "cadence:\n  every: weekly\n  breaks:\n    - W28..W31\n    - summer\n",
    );
    let run = tree.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("milepost.yaml:5:7: ") && run.stderr.contains("break `summer`"),
        "{}",
        run.stderr
    );
    tree.file("milepost.yaml", "cadence: {every: daily}\n");
    let run = tree.run(&["check"]);
    assert!(
        run.stderr.contains("milepost.yaml:1:") && run.stderr.contains("unknown variant `daily`"),
        "{}",
        run.stderr
    );
}

/// `milepost new` writes week-numbered reports; for a series named by date
/// it says so instead of blaming the file name.
#[test]
fn new_says_it_does_not_write_date_named_reports_yet() {
    let tree = crate::support::Tree::new();
    tree.file(
        "Status-Reports/projectname-170301.md",
        projectname_report(day("2017-03-01"), None),
    );
    let run = tree.run(&["new", "--dry-run"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("the goals schema names its reports by date; `milepost new` writes week-numbered reports only"),
        "{}",
        run.stderr
    );
}

/// The built-in date-named templates allow 3 days between a report's
/// dates, so a title copied from last week's report is caught.
#[test]
fn a_title_copied_from_last_week_is_caught_without_config() {
    let tree = crate::support::Tree::new();
    tree.file(
        "Status-Reports/projectname-170308.md",
        projectname_report(day("2017-03-01"), None),
    );
    let run = tree.run(&["check", "--format", "json"]);
    let found = messages(&run);
    assert_eq!(
        found,
        [(
            "Status-Reports/projectname-170308.md".to_owned(),
            "date-mismatch".to_owned(),
            "the report's dates disagree by more than 3 days: the file name says 2017-03-08, the title says 2017-03-01".to_owned()
        )],
        "{}",
        run.stdout
    );
}

/// Tracking follows a date-named series by its own reports and dates, not
/// by ISO weeks: in a monthly series an item planned in five reports in a
/// row is stale (`reports`, 4 by default, counts reports of the series),
/// and an item that vanishes is dropped after four later reports, four
/// months on.
#[test]
fn tracking_follows_a_monthly_series_by_its_reports() {
    let git = GitTree::new();
    git.write(
        "milepost.yaml",
        "reports:\n  - glob: 'monthly/*.md'\n    schema: monthly.yaml\n    cadence: {every: monthly}\n",
    )
    .write(
        "monthly.yaml",
        "extends: weekly\nname: monthly\nfile_name: '^(?P<date>\\d{4}-\\d{2}-\\d{2})$'\ntitle: '^Status (?P<date>.+)$'\nbyline: null\n",
    )
    .stage("milepost.yaml")
    .stage("monthly.yaml");
    let dates = [
        "2017-01-31",
        "2017-02-28",
        "2017-03-31",
        "2017-04-28",
        "2017-05-31",
        "2017-06-30",
    ];
    for (month, date) in dates.iter().enumerate() {
        let planned: Vec<&str> = if month == 0 {
            vec![
                "Migrate the ticket system to Zammad.",
                "Upgrade Keycloak to 21.",
            ]
        } else {
            vec!["Upgrade Keycloak to 21."]
        };
        let text = markdown(
            &format!("Status {}", day(date).format("%B %-d, %Y")),
            None,
            &[
                ("Completed", &["Monthly patching."]),
                ("In progress", &["Backups."]),
                ("Planned", &planned),
                ("Challenges", &["None."]),
                ("Status update", &["On track."]),
            ],
        );
        git.commit_files(date, &[(&format!("monthly/{date}.md"), &text)]);
    }
    let run = git.run(&["check", "--format", "json", "--as-of", "2017-07-15"]);
    let found = messages(&run);
    // The plan counted in reports of the series (six monthly reports, not
    // weeks); the backups in progress since January are stale by time.
    let stale: Vec<&str> = found
        .iter()
        .filter(|(path, rule, _)| rule == "stale-item" && path == "monthly/2017-06-30.md")
        .map(|(_, _, message)| message.as_str())
        .collect();
    assert_eq!(
        stale,
        [
            "in progress for 21 weeks, since 2017-01-31 (`2017-01-31.md`)",
            "planned in 6 reports in a row without moving, since 2017-01-31 (`2017-01-31.md`)"
        ],
        "{found:#?}"
    );
    let dropped: Vec<_> = found
        .iter()
        .filter(|(_, rule, _)| rule == "dropped-item")
        .collect();
    assert_eq!(dropped.len(), 1, "{found:#?}");
    assert_eq!(dropped[0].0, "monthly/2017-01-31.md");
    assert!(
        dropped[0].2.contains("left out of the 5 reports since") && dropped[0].2.contains("Zammad"),
        "{found:#?}"
    );
}
