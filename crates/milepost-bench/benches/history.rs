//! `cargo bench --bench history`: milepost's git history walk, in process,
//! against `git log`, on a generated repository of 100,000 commits and
//! 10,000 reports (`milepost_bench::repo`: the corpus reports committed on
//! their Sundays, fillers, merges, and every team folder moved to `docs/`
//! at 60% of the history).
//!
//! This is the library-level view (the targets of issue 3), for profiling
//! the engine without process start-up or report reading; the
//! whole-process goals are in `benches/goals.rs`. Each round is a pair,
//! in alternating order (`milepost_bench::measure`):
//! (a) `git log --name-status -M --diff-filter=AR` over the report
//!     folders, output discarded, against (b) `Repo::history` cold (cache
//!     deleted first): target b/a <= 1 in wall time, and <= 1.5 in CPU
//!     time (this process's, `getrusage`, for b: the walk's second thread
//!     counts);
//! (b) cold against (c) `Repo::history` after one new commit, with the
//!     cache of that cold run: target c/b <= 0.10;
//! (d) `Repo::discover` + `Repo::staged` with one staged report against
//!     (e) `git diff --cached --name-only`: target d/e <= 3.
//!
//! Environment: `MILEPOST_BENCH_COMMITS` (100000), `MILEPOST_BENCH_REPORTS`
//! (10000), `MILEPOST_BENCH_ROUNDS` (3), `MILEPOST_BENCH_KEEP` (keep the
//! generated repository and print its folder).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use milepost::git::{History, Repo};
use milepost_bench::corpus::CorpusOptions;
use milepost_bench::measure::{self, Goal, Sample, Scorecard, env_number, pair};
use milepost_bench::repo::{self, Plan, REPORTS_PATHSPEC, RepoOptions};
use tempfile::TempDir;

/// The folder the report folders are under at HEAD (the walk's prefix;
/// the moves come from outside it).
const REPORTS_PREFIX: &str = "docs";
const CACHE_KEY: &str = "bench: docs/*/status/**/*.rst";

fn main() {
    let commits = env_number("MILEPOST_BENCH_COMMITS", 100_000).max(10);
    let reports = env_number("MILEPOST_BENCH_REPORTS", 10_000).clamp(1, commits / 2);
    let rounds = env_number("MILEPOST_BENCH_ROUNDS", 3).max(1);
    println!(
        "milepost history benchmark: {commits} commits, {reports} reports, {rounds} paired rounds"
    );

    let mut dir = TempDir::new().expect("cannot create a temporary folder");
    if std::env::var_os("MILEPOST_BENCH_KEEP").is_some() {
        dir.disable_cleanup(true);
        println!("keeping {}", dir.path().display());
    }
    let root = dir.path().join("docs-repo");
    let start = Instant::now();
    let plan = repo::generate(
        &root,
        &RepoOptions {
            reports,
            commits,
            corpus: CorpusOptions::default(),
            extra_files: Vec::new(),
        },
    );
    println!(
        "generated in {:.1} s: {} commits ({} merges), {} reports, reorganisation at commit {}",
        start.elapsed().as_secs_f64(),
        plan.commits,
        plan.merges,
        plan.reports.len(),
        plan.reorganised_at
    );

    let mut card = Scorecard::default();

    // (a) against (b).
    let mut cold_vs_log = Goal::ratio("(b) Repo::history cold / (a) git log", 1.0);
    let mut cold_vs_log_cpu = Goal::ratio("(b) Repo::history cold / (a) git log, CPU time", 1.5);
    let mut cold = None;
    for round in 0..rounds {
        let ((log_wall, log_cpu, _), (elapsed, cpu, history)) = pair(
            round,
            || {
                let log = git_log(&root);
                (log.wall, log.cpu, None)
            },
            || {
                let _ = std::fs::remove_dir_all(root.join(".git/milepost"));
                let cpu_before = process_cpu();
                let (elapsed, history) = timed_history(&root, true);
                (elapsed, process_cpu() - cpu_before, Some(history))
            },
        );
        cold_vs_log.push(elapsed.as_secs_f64() / log_wall.as_secs_f64());
        cold_vs_log_cpu.push(cpu.as_secs_f64() / log_cpu.as_secs_f64().max(0.01));
        cold = history;
    }
    let cold = cold.expect("at least one round");
    check_semantics(&cold, &plan);

    // (b) against (c): each round a cold run at the generated tip, one new
    // commit, and a cached run that walks that one commit.
    let tip = repo::head(&root);
    let edited = plan.reports[0].clone();
    let mut cached_vs_cold = Goal::ratio("(c) Repo::history after one commit / (b) cold", 0.10);
    let mut agrees = true;
    for round in 0..rounds {
        repo::git(&root, &["reset", "-q", "--hard", &tip]);
        let _ = std::fs::remove_dir_all(root.join(".git/milepost"));
        let (cold_time, _) = timed_history(&root, true);
        repo::commit_one_edit(&root, &edited, round);
        let (warm_time, warm) = timed_history(&root, true);
        cached_vs_cold.push(warm_time.as_secs_f64() / cold_time.as_secs_f64());
        agrees &= warm.files == timed_history(&root, false).1.files;
    }

    // (d) against (e).
    repo::git(&root, &["reset", "-q", "--hard", &tip]);
    stage_one_report(&root, &plan.reports[1]);
    let mut staged_vs_git = Goal::ratio("(d) Repo::staged / (e) git diff --cached", 3.0);
    for round in 0..rounds.max(5) {
        let (git, staged) = pair(round, || git_diff_cached(&root), || time_staged(&root));
        staged_vs_git.push(staged.as_secs_f64() / git.as_secs_f64());
    }

    println!();
    card.add(cold_vs_log);
    card.add(cold_vs_log_cpu);
    card.add(cached_vs_cold);
    card.add(staged_vs_git);
    println!(
        "cached result equals a cold run at the same HEAD: {}",
        if agrees { "yes" } else { "NO" }
    );
    card.print();
    if !agrees {
        std::process::exit(1);
    }
}

fn is_report(path: &str) -> bool {
    path.ends_with(".rst") && path.contains("/status/")
}

fn timed_history(root: &Path, cache: bool) -> (Duration, History) {
    let start = Instant::now();
    let repo = Repo::discover(root)
        .expect("cannot open the repository")
        .expect("a repository");
    let history = repo
        .history(
            &is_report,
            &[REPORTS_PREFIX.to_string()],
            cache.then_some(CACHE_KEY),
        )
        .expect("history failed");
    let elapsed = start.elapsed();
    assert!(history.notes.is_empty(), "notes: {:?}", history.notes);
    (elapsed, history)
}

/// `git log`'s wall and CPU time (through GNU time, as the goals
/// benchmark measures it).
fn git_log(root: &Path) -> Sample {
    measure::run(
        Command::new("git")
            .args([
                "log",
                "--name-status",
                "-M",
                "--diff-filter=AR",
                "--",
                REPORTS_PATHSPEC,
            ])
            .current_dir(root),
        &[0],
    )
}

/// The CPU time this process has used so far, all its threads (those that
/// ended too), user and system.
fn process_cpu() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a whole `rusage` into the pointer it is
    // given, which points at one; RUSAGE_SELF is always valid.
    let usage = unsafe {
        assert_eq!(libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()), 0);
        usage.assume_init()
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

fn time_staged(root: &Path) -> Duration {
    let start = Instant::now();
    let repo = Repo::discover(root).expect("open").expect("a repository");
    let staged = repo.staged().expect("staged");
    let elapsed = start.elapsed();
    assert_eq!(staged.len(), 1, "one staged report");
    elapsed
}

fn git_diff_cached(root: &Path) -> Duration {
    let start = Instant::now();
    let output = Command::new("git")
        .args(["diff", "--cached", "--name-only"])
        .current_dir(root)
        .output()
        .expect("cannot run git diff");
    let elapsed = start.elapsed();
    assert!(output.status.success());
    assert_eq!(output.stdout.iter().filter(|&&b| b == b'\n').count(), 1);
    elapsed
}

/// The results must be right, not only fast: every report keeps the time
/// of its first addition through the reorganisation.
fn check_semantics(history: &History, plan: &Plan) {
    let mut wrong = 0;
    let mut at_reorganisation = 0;
    for (path, expected) in &plan.first_added {
        match history.files.get(path) {
            Some(file) => {
                let first = file.first.committed.timestamp();
                if first != *expected {
                    wrong += 1;
                }
                if first == plan.reorganised_time {
                    at_reorganisation += 1;
                }
            }
            None => wrong += 1,
        }
    }
    println!(
        "semantics: {} reports at HEAD, {} with the wrong first commit, {} dated at the reorganisation (expected 0, 0)",
        history.files.len(),
        wrong,
        at_reorganisation
    );
    assert_eq!(history.files.len(), plan.first_added.len());
    assert_eq!(wrong, 0);
}

fn stage_one_report(root: &Path, path: &str) {
    let full = root.join(path);
    let mut content = std::fs::read(&full).expect("read the report");
    content.extend(b"\n.. staged change\n");
    std::fs::write(&full, content).expect("write the report");
    repo::git(root, &["add", path]);
}
