//! `cargo bench --bench goals`: the speed and memory goals of issue 13,
//! each judged on paired ratios (see `milepost_bench::measure`), on a git
//! repository whose dates end near today.
//!
//! Two repositories are generated (`milepost_bench::repo`): 10,000 reports
//! in 100,000 commits, and a tenth of both, each with a `milestones.yaml`
//! of three keyword-matched items, and no `milepost.yaml` (the defaults).
//! Every report is dated before today, so every report is tracked. The
//! subjects are the release binary as a user builds it, whole processes,
//! output to `/dev/null`. "Cold" means without the history cache
//! (`.git/milepost/` removed before the run, as in a fresh CI clone);
//! "warm" with it. The page cache is warm for both sides of every pair.
//!
//! Goals:
//! - warm `check` of every report, all tracked: at most 2.5 x `cat` of the
//!   same reports;
//! - cold `reports` (the history walk and reading every report): at most
//!   1.0 x `git log --name-status -M --diff-filter=AR` over the report
//!   folders in wall time, and at most 1.5 x in CPU time;
//! - `reports` after one new commit, with the cache of the run before: at
//!   most 10% of that cold run;
//! - cold `milestones`, 10,000 reports against 1,000: at most 12 x;
//! - peak memory of every command and mode above: at most 200 MB.
//!
//! Printed for reference (no goal): cold `check` against `cat`; and cold
//! `reports` with every rule turned off (a config of its own, outside the
//! repository) against the same `git log`, in wall and CPU time: the least
//! a cold `reports` costs, its history walk and the reading of every
//! report, whatever the rules do.
//!
//! Environment: `MILEPOST_BENCH_REPORTS` (10000), `MILEPOST_BENCH_COMMITS`
//! (100000), `MILEPOST_BENCH_ROUNDS` (5), `MILEPOST_BENCH_KEEP` (keep the
//! repositories and print where).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use milepost_bench::corpus::CorpusOptions;
use milepost_bench::measure::{self, Goal, Sample, Scorecard, env_number, pair};
use milepost_bench::repo::{self, Plan, REPORTS_PATHSPEC, RepoOptions};
use tempfile::TempDir;

const MILESTONES: &str = "milestones:\n  - id: platform\n    due: 2030-01-01\n    items:\n      - id: dns\n        match: [dns]\n      - id: ceph\n        match: [ceph]\n      - id: keystone\n        match: [keystone]\n";

/// milepost's exit codes for "ran, with or without findings".
const RAN: &[i32] = &[0, 1];

fn main() {
    let reports = env_number("MILEPOST_BENCH_REPORTS", 10_000).max(20);
    let commits = env_number("MILEPOST_BENCH_COMMITS", 100_000).max(reports + 2);
    let rounds = env_number("MILEPOST_BENCH_ROUNDS", 5).max(1);
    let milepost = measure::milepost_binary();
    println!(
        "milepost goals benchmark: {reports} reports in {commits} commits (and a tenth of both), {rounds} paired rounds, {} cores; binary {}",
        std::thread::available_parallelism().map_or(1, usize::from),
        milepost.display()
    );

    let big = Fixture::new(reports, commits);
    let small = Fixture::new(reports / 10, commits / 10);
    let runner = Runner { milepost };
    for fixture in [&big, &small] {
        runner.verify(fixture);
    }

    let mut card = Scorecard::default();
    let root = big.root();

    // Warm check against cat.
    runner.check(root);
    let mut warm_check = Goal::ratio("warm check / cat (every report tracked)", 2.5);
    let mut rss_warm_check = Goal::ceiling("peak memory, warm check", 200.0, "MB");
    for round in 0..rounds {
        let (cat, check) = pair(round, || big.cat(), || runner.check(root));
        warm_check.push(check.seconds() / cat.seconds());
        rss_warm_check.push(check.max_rss_mb());
    }

    // Cold check (reference) and its memory.
    let mut cold_check = Goal::reference("cold check / cat");
    let mut rss_cold_check = Goal::ceiling("peak memory, cold check", 200.0, "MB");
    for round in 0..rounds {
        let (cat, check) = pair(
            round,
            || big.cat(),
            || {
                big.forget_history();
                runner.check(root)
            },
        );
        cold_check.push(check.seconds() / cat.seconds());
        rss_cold_check.push(check.max_rss_mb());
    }

    // Cold reports against git log, in wall and CPU time.
    let mut cold_wall = Goal::ratio("cold reports / git log, wall time", 1.0);
    let mut cold_cpu = Goal::ratio("cold reports / git log, CPU time", 1.5);
    let mut rss_cold_reports = Goal::ceiling("peak memory, cold reports", 200.0, "MB");
    let cold_runs = cold_against_log(rounds, &big, &mut cold_wall, &mut cold_cpu, || {
        runner.reports(root)
    });
    for reports in cold_runs {
        rss_cold_reports.push(reports.max_rss_mb());
    }

    // The floor of a cold `reports`: every rule off.
    let rules_off = RulesOff::new();
    runner.verify_rules_off(&big, &rules_off.config());
    let mut floor_wall = Goal::reference("cold reports, every rule off / git log, wall time");
    let mut floor_cpu = Goal::reference("cold reports, every rule off / git log, CPU time");
    cold_against_log(rounds, &big, &mut floor_wall, &mut floor_cpu, || {
        runner.reports_with(root, &rules_off.config())
    });

    // Reports after one new commit, against the cold run before it.
    let tip = repo::head(root);
    let edited = big.plan.reports[0].clone();
    let mut cached = Goal::ratio("reports after one new commit / cold reports", 0.10);
    let mut rss_cached = Goal::ceiling("peak memory, reports after one new commit", 200.0, "MB");
    for round in 0..rounds {
        repo::git(root, &["reset", "-q", "--hard", &tip]);
        big.forget_history();
        let cold = runner.reports(root);
        repo::commit_one_edit(root, &edited, round);
        let warm = runner.reports(root);
        cached.push(warm.seconds() / cold.seconds());
        rss_cached.push(warm.max_rss_mb());
    }
    repo::git(root, &["reset", "-q", "--hard", &tip]);

    // Cold milestones, 10x the reports.
    let mut scaling = Goal::ratio(
        format!(
            "cold milestones, {} / {} reports",
            big.plan.reports.len(),
            small.plan.reports.len()
        ),
        12.0,
    );
    let mut rss_milestones = Goal::ceiling("peak memory, cold milestones", 200.0, "MB");
    for round in 0..rounds {
        let (few, many) = pair(
            round,
            || {
                small.forget_history();
                runner.milestones(small.root())
            },
            || {
                big.forget_history();
                runner.milestones(root)
            },
        );
        scaling.push(many.seconds() / few.seconds());
        rss_milestones.push(many.max_rss_mb());
    }

    println!();
    for goal in [
        warm_check,
        cold_wall,
        cold_cpu,
        cached,
        scaling,
        rss_warm_check,
        rss_cold_check,
        rss_cold_reports,
        rss_cached,
        rss_milestones,
    ] {
        card.add(goal);
    }
    for reference in [cold_check, floor_wall, floor_cpu] {
        println!("{}", reference.line());
    }
    card.print();
}

/// The rows of `milepost reports --format json` as `command` runs it,
/// which must run (with or without findings).
fn report_rows(command: &mut Command) -> Vec<serde_json::Value> {
    let output = command.output().expect("run milepost reports");
    assert!(
        RAN.contains(&output.status.code().unwrap_or(-1)),
        "milepost reports failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("reports JSON");
    match json["reports"].take() {
        serde_json::Value::Array(rows) => rows,
        other => panic!("a reports array, not {other}"),
    }
}

/// Paired rounds of `run` from cold (the history cache removed first)
/// against `git log` on `fixture`: the wall-time and CPU-time ratios go
/// to `wall` and `cpu`; `run`'s samples are returned.
fn cold_against_log(
    rounds: usize,
    fixture: &Fixture,
    wall: &mut Goal,
    cpu: &mut Goal,
    run: impl Fn() -> Sample,
) -> Vec<Sample> {
    let mut samples = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let (log, sample) = pair(
            round,
            || fixture.git_log(),
            || {
                fixture.forget_history();
                run()
            },
        );
        wall.push(sample.seconds() / log.seconds());
        cpu.push(sample.cpu_seconds() / log.cpu_seconds().max(0.01));
        samples.push(sample);
    }
    samples
}

/// Runs the product binary in a repository.
struct Runner {
    milepost: PathBuf,
}

impl Runner {
    fn command(&self, root: &Path, args: &[&str]) -> Command {
        let mut command = Command::new(&self.milepost);
        command.args(args).current_dir(root).env("NO_COLOR", "1");
        command
    }

    fn check(&self, root: &Path) -> Sample {
        measure::run(&mut self.command(root, &["check", "--format", "json"]), RAN)
    }

    fn reports(&self, root: &Path) -> Sample {
        measure::run(
            &mut self.command(root, &["reports", "--format", "json"]),
            RAN,
        )
    }

    /// `reports` with the config at `config` instead of the repository's.
    fn reports_with(&self, root: &Path, config: &Path) -> Sample {
        let mut command = self.command(root, &["reports", "--format", "json", "--config"]);
        measure::run(command.arg(config), RAN)
    }

    fn milestones(&self, root: &Path) -> Sample {
        measure::run(
            &mut self.command(root, &["milestones", "--format", "json"]),
            RAN,
        )
    }

    /// With every rule off, every report is still listed, with its first
    /// commit, and none has a finding: the floor measures the reading and
    /// the walk, and nothing was skipped.
    fn verify_rules_off(&self, fixture: &Fixture, config: &Path) {
        let mut command =
            self.command(fixture.root(), &["reports", "--format", "json", "--config"]);
        let rows = report_rows(command.arg(config));
        assert_eq!(rows.len(), fixture.plan.reports.len());
        for row in rows {
            assert!(row["first_committed"]["commit"].is_string(), "{row}");
            for level in ["errors", "warnings", "infos"] {
                assert_eq!(row["findings"][level], 0, "{row}");
            }
        }
    }

    /// The results must be right, not only fast: every report listed, each
    /// first committed on the day the generator committed it (through the
    /// move of the team folders), and the milestones found.
    fn verify(&self, fixture: &Fixture) {
        let rows = report_rows(&mut self.command(fixture.root(), &["reports", "--format", "json"]));
        let mut wrong = 0;
        for row in &rows {
            let path = row["path"].as_str().unwrap_or("");
            let Some(&added) = fixture.plan.first_added.get(path) else {
                continue;
            };
            let expected = chrono::DateTime::from_timestamp(added + 2 * 3600, 0)
                .map(|at| at.date_naive().to_string())
                .unwrap_or_default();
            if row["first_committed"]["date"].as_str() != Some(expected.as_str()) {
                wrong += 1;
            }
        }
        println!(
            "verified {}: {} reports listed of {}, {wrong} with a wrong first commit",
            fixture.root().display(),
            rows.len(),
            fixture.plan.reports.len()
        );
        assert_eq!(rows.len(), fixture.plan.reports.len());
        assert_eq!(wrong, 0);
        let milestones = self
            .command(fixture.root(), &["milestones", "--format", "json"])
            .output()
            .expect("run milepost milestones");
        assert!(
            RAN.contains(&milestones.status.code().unwrap_or(-1)),
            "milepost milestones failed: {}",
            String::from_utf8_lossy(&milestones.stderr)
        );
    }
}

/// A config that turns every rule off, in a folder of its own: outside
/// the generated repositories, which it would otherwise become part of.
struct RulesOff {
    dir: TempDir,
}

impl RulesOff {
    fn new() -> RulesOff {
        let dir = TempDir::new().expect("a temporary folder");
        let mut yaml = String::from("rules:\n");
        for rule in milepost::registry::Rule::ALL {
            yaml.push_str(&format!("  {}: off\n", rule.name()));
        }
        std::fs::write(dir.path().join("milepost.yaml"), yaml).expect("write the config");
        RulesOff { dir }
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("milepost.yaml")
    }
}

/// A generated repository in its own temporary folder.
struct Fixture {
    dir: TempDir,
    plan: Plan,
}

impl Fixture {
    fn new(reports: usize, commits: usize) -> Fixture {
        let mut dir = TempDir::new().expect("a temporary folder");
        if std::env::var_os("MILEPOST_BENCH_KEEP").is_some() {
            dir.disable_cleanup(true);
            println!("keeping {}", dir.path().display());
        }
        let start = Instant::now();
        let options = RepoOptions {
            reports,
            commits,
            corpus: CorpusOptions::default(),
            extra_files: vec![("milestones.yaml".into(), MILESTONES.into())],
        };
        let plan = repo::generate(dir.path(), &options);
        println!(
            "generated {reports} reports in {} commits ({} merges) in {:.1} s",
            plan.commits,
            plan.merges,
            start.elapsed().as_secs_f64()
        );
        Fixture { dir, plan }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn forget_history(&self) {
        let _ = std::fs::remove_dir_all(self.root().join(".git/milepost"));
    }

    fn cat(&self) -> Sample {
        measure::run(
            Command::new("cat")
                .args(&self.plan.reports)
                .current_dir(self.root()),
            &[0],
        )
    }

    fn git_log(&self) -> Sample {
        measure::run(
            Command::new("git")
                .args(["log", "--name-status", "-M", "--diff-filter=AR", "--"])
                .arg(REPORTS_PATHSPEC)
                .current_dir(self.root()),
            &[0],
        )
    }
}
