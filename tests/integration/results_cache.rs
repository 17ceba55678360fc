//! The results cache (`.git/milepost/results.bin`, issue 13): a run that
//! takes results from it prints byte for byte what a run without it
//! prints, after every kind of change a repository sees; and an unchanged
//! tree is answered from it whole (the file is not even rewritten).

use std::path::PathBuf;

use crate::support::{GitTree, Run, run_bounded};

/// A `uke` report of 2016 week `week` in series `team`: the same item in
/// progress every week (stale soon), a `:doc:` link to the team's plan,
/// and, in some weeks, a suppression or a note on a week without a report.
fn report(team: &str, week: u32) -> String {
    let friday =
        chrono::NaiveDate::from_isoywd_opt(2016, week, chrono::Weekday::Fri).expect("a valid week");
    let suppression = if week == 36 {
        ".. milepost: disable=stale-item\n\n"
    } else {
        ""
    };
    let gap = if week == 40 {
        "- Ingen rapport forrige uke på grunn av ferie.\n\n"
    } else {
        ""
    };
    format!(
        "======\nUke {week}\n======\nav Kari Nordmann, UH IaaS, {day}\n\n\
         Fullført\n========\n\n- Rapport for uke {week} skrevet, se :doc:`planen <../plan>`.\n\n\
         Under arbeid\n============\n\n{suppression}- Oppgradere {team} til mitaka.\n\n\
         - Felles keystone database for {team}, se :doc:`oppsettet <../oppsett>`.\n\n\
         Planlagt fremdrift\n==================\n\n- DNS for instanser i {team}.\n\n\
         Utfordringer\n============\n\n{gap}- Vi er to personer, trenger tre.\n\n\
         Oppdatert status\n================\n\nArbeidet går som normalt.\n",
        day = friday.format("%d.%m.%Y"),
    )
}

fn report_path(team: &str, week: u32) -> String {
    format!("docs/{team}/status/2016_uke_{week}.rst")
}

const MILESTONES: &str = "milestones:
  - id: mitaka
    title: Oppgradere til mitaka
    due: 2016-09-30
    items:
      - id: upgrade
        match: [mitaka]
  - id: produksjonsklar
    title: Produksjonsklar
    due: 2016-11-01
    staffing: {fte: 3}
    items:
      - id: keystone
        match: [keystone]
";

/// Two series of weekly reports (week 39 missing from one), their plans,
/// and milestones, committed week by week.
fn repository() -> GitTree {
    let git = GitTree::new();
    git.commit_files(
        "2016-08-01",
        &[
            ("milestones.yaml", MILESTONES),
            ("docs/nord/plan.rst", "Plan\n====\n\nTekst.\n"),
            ("docs/sor/plan.rst", "Plan\n====\n\nTekst.\n"),
        ],
    );
    for week in 33..=44 {
        let friday = chrono::NaiveDate::from_isoywd_opt(2016, week, chrono::Weekday::Fri)
            .expect("a valid week");
        let mut files = vec![(report_path("nord", week), report("nord", week))];
        if week != 39 {
            files.push((report_path("sor", week), report("sor", week)));
        }
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(path, text)| (path.as_str(), text.as_str()))
            .collect();
        git.commit_files(&friday.format("%Y-%m-%d").to_string(), &files);
    }
    git
}

fn results_file(git: &GitTree) -> PathBuf {
    git.path().join(".git/milepost/results.bin")
}

fn wordings_dir(git: &GitTree) -> PathBuf {
    git.path().join(".git/milepost/wordings")
}

/// Runs `args` with the results cache and the series' wordings as the last
/// run left them, then without either, and requires the same exit code
/// and output; returns the first run.
fn same_warm_and_cold(git: &GitTree, args: &[&str]) -> Run {
    let warm = git.run(args);
    let kept = std::fs::read(results_file(git)).ok();
    let _ = std::fs::remove_file(results_file(git));
    let stash = git.path().join(".git/wordings-kept");
    let _ = std::fs::remove_dir_all(&stash);
    let _ = std::fs::rename(wordings_dir(git), &stash);
    let cold = git.run(args);
    assert_eq!(
        (warm.code, &warm.stdout),
        (cold.code, &cold.stdout),
        "`milepost {}` with the results cache differs from without it; stderr: {}",
        args.join(" "),
        warm.stderr
    );
    // Put the warm caches back, so the next step starts from them.
    if let Some(kept) = kept {
        std::fs::write(results_file(git), kept).expect("restore the cache");
    }
    if stash.exists() {
        let _ = std::fs::remove_dir_all(wordings_dir(git));
        std::fs::rename(&stash, wordings_dir(git)).expect("restore the wordings");
    }
    warm
}

const CHECK: &[&str] = &["check", "--format", "json"];

#[test]
fn an_unchanged_tree_is_answered_from_the_cache_alone() {
    let git = repository();
    let first = git.run(CHECK);
    let cache = std::fs::read(results_file(&git)).expect("a whole run writes the cache");
    let second = git.run(CHECK);
    assert_eq!((first.code, &first.stdout), (second.code, &second.stdout));
    // Nothing was computed afresh, so nothing was written.
    assert_eq!(
        std::fs::read(results_file(&git)).unwrap(),
        cache,
        "a run over an unchanged tree rewrote the cache: something missed"
    );
    // The run found what a run finds here: tracking, milestones, links,
    // suppressions and gap notes all had something to say.
    let rules = first.rules();
    for rule in [
        "stale-item",
        "broken-link",
        "milestone-overdue",
        "staffing-risk",
    ] {
        assert!(rules.iter().any(|r| r == rule), "no {rule}: {rules:?}");
    }
}

#[test]
fn every_change_gives_what_a_run_without_the_cache_gives() {
    let git = repository();
    git.run(CHECK);
    let kept = std::fs::read_dir(wordings_dir(&git)).map_or(0, Iterator::count);
    assert_eq!(kept, 2, "each series' wordings are kept");
    same_warm_and_cold(&git, CHECK);

    // A linked file appears: the unchanged reports' links are judged again.
    git.write("docs/nord/oppsett.rst", "Oppsett\n=======\n\nTekst.\n");
    let run = same_warm_and_cold(&git, CHECK);
    assert!(!run.stdout.contains("no document `docs/nord/oppsett`"));
    assert!(run.stdout.contains("no document `docs/sor/oppsett`"));

    // One report of one series changes: its item is done.
    let edited = report("nord", 44).replace(
        "Under arbeid\n============\n\n- Oppgradere nord til mitaka.",
        "Under arbeid\n============\n\n- Ferdig: Oppgradere nord til mitaka.",
    );
    git.write(&report_path("nord", 44), &edited);
    same_warm_and_cold(&git, CHECK);

    // A report writes a word as a name that the series wrote before at
    // the start of a sentence ("Felles keystone database"): the names read
    // from the kept wordings are read again. And a new item.
    let named = report("nord", 43).replace(
        "- DNS for instanser i nord.",
        "- DNS for instanser i nord.\n\n- Ta i bruk Felles oppsett for Ceph 10.2.",
    );
    git.write(&report_path("nord", 43), &named);
    same_warm_and_cold(&git, CHECK);

    // A suppression is added to a report whose results were kept.
    let suppressed = report("sor", 43).replace(
        "- Oppgradere sor",
        ".. milepost: disable=stale-item\n\n- Oppgradere sor",
    );
    git.write(&report_path("sor", 43), &suppressed);
    same_warm_and_cold(&git, CHECK);

    // A report is deleted, and the week it leaves is a gap.
    std::fs::remove_file(git.path().join(report_path("sor", 41))).unwrap();
    same_warm_and_cold(&git, CHECK);

    // The config changes what a rule says; then a flag does.
    git.write(
        "milepost.yaml",
        "rules:\n  stale-item: {weeks: 3, reports: 2}\n  broken-link: warning\n",
    );
    same_warm_and_cold(&git, CHECK);
    same_warm_and_cold(
        &git,
        &["check", "--format", "json", "--severity", "stale-item=off"],
    );

    // Another day, and a replay.
    same_warm_and_cold(
        &git,
        &["check", "--format", "json", "--as-of", "2016-10-01"],
    );

    // The other commands that check every report.
    same_warm_and_cold(
        &git,
        &["milestones", "--format", "json", "--as-of", "2016-10-20"],
    );
    same_warm_and_cold(&git, &["reports", "--format", "json"]);
    // The commands that read the reports' documents, which a warm run
    // leaves unparsed otherwise.
    let log = same_warm_and_cold(&git, &["changelog", "--format", "json"]);
    assert!(log.stdout.contains("Rapport for uke"), "{}", log.stdout);
    let next = same_warm_and_cold(&git, &["new", "--dry-run"]);
    assert!(
        next.stdout.contains("Uke 45"),
        "{}{}",
        next.stdout,
        next.stderr
    );

    // A run over some reports uses the cache for the rest, as context.
    let some = ["check", "--format", "json", "docs/nord"];
    same_warm_and_cold(&git, &some);
}

#[test]
fn a_damaged_cache_is_ignored_and_replaced() {
    let git = repository();
    let first = git.run(CHECK);
    let path = results_file(&git);
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x5a;
    std::fs::write(&path, &bytes).unwrap();
    let second = git.run(CHECK);
    assert_eq!((first.code, &first.stdout), (second.code, &second.stdout));
    assert_ne!(
        std::fs::read(&path).unwrap(),
        bytes,
        "replaced by a good one"
    );
    // Garbage of any kind, and a folder where the file should be.
    std::fs::write(&path, b"not a cache").unwrap();
    assert_eq!(git.run(CHECK).stdout, first.stdout);
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
    let run = git.run(CHECK);
    assert_eq!((run.code, &run.stdout), (first.code, &first.stdout));
    // A pipe where the file should be is not opened (it would block).
    std::fs::remove_dir(&path).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&path).status();
    assert!(made.is_ok_and(|status| status.success()), "mkfifo");
    let run = run_bounded(git.path(), CHECK, 60);
    assert_eq!((run.code, &run.stdout), (first.code, &first.stdout));
}

#[test]
fn a_commit_hook_run_neither_reads_nor_writes_the_cache() {
    let git = repository();
    git.write(&report_path("nord", 45), &report("nord", 45))
        .stage(&report_path("nord", 45));
    let run = git.run(&["check", "--staged", "--format", "json"]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert!(!results_file(&git).exists());
}

/// Reports that were still for a few seconds before a run are taken back
/// the next time by their file metadata, unread; an edit is seen all the
/// same, even one that keeps the size and the modification time.
#[test]
fn settled_reports_are_taken_back_unread_and_an_edit_is_still_seen() {
    let git = repository();
    // Let every file settle (see `Stat::settled`): its change time must
    // lie more than two seconds before the run that keeps its metadata.
    std::thread::sleep(std::time::Duration::from_millis(3100));
    let first = git.run(CHECK);
    let second = same_warm_and_cold(&git, CHECK);
    assert_eq!((first.code, &first.stdout), (second.code, &second.stdout));
    let human = same_warm_and_cold(&git, &["check"]);
    assert!(human.stdout.contains("trenger tre"), "{}", human.stdout);
    // The commands that need the documents read the texts they were not
    // given.
    let log = same_warm_and_cold(&git, &["changelog", "--format", "json"]);
    assert!(log.stdout.contains("Rapport for uke"), "{}", log.stdout);
    let next = same_warm_and_cold(&git, &["new", "--dry-run"]);
    assert!(next.stdout.contains("Uke 45"), "{}", next.stdout);

    // "tre" becomes "fem": the same size, and the old modification time
    // put back.
    let path = git.path().join(report_path("nord", 44));
    let before = std::fs::metadata(&path).expect("the report");
    let edited = report("nord", 44).replace("trenger tre", "trenger fem");
    git.write(&report_path("nord", 44), &edited);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .and_then(|file| file.set_modified(before.modified()?))
        .expect("put the modification time back");
    let after = std::fs::metadata(&path).expect("the report");
    assert_eq!(
        (after.len(), after.modified().ok()),
        (before.len(), before.modified().ok())
    );
    let run = same_warm_and_cold(&git, CHECK);
    assert_ne!(run.stdout, first.stdout, "the edit was not seen");
    let human = same_warm_and_cold(&git, &["check"]);
    assert!(human.stdout.contains("trenger fem"), "{}", human.stdout);
}
