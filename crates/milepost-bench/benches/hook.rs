//! `cargo bench --bench hook`: the commit hook against git's own answer to
//! "what is staged".
//!
//! Target (issues 3 and 12): `milepost check --staged -q` with one staged
//! report costs at most three times `git diff --cached --name-only` in the
//! same repository. Both are timed as whole processes, **paired and
//! alternating**: each round runs git, then milepost (even rounds) or
//! milepost, then git (odd rounds), and the round's ratio is milepost's time
//! over git's, so a noisy neighbour or a warming cache hurts both sides of
//! a pair alike. Reported: min, median and max of the per-round ratios, and
//! MET or MISSED against the target on the median.
//!
//! The repository: `MILEPOST_BENCH_HOOK_REPORTS` (3000) reports of the
//! benchmark corpus committed with git, then one report edited and staged,
//! one new report staged (judged by the history rules as published today),
//! and one plan document edited but not staged (links are judged against
//! the index). `MILEPOST_BENCH_ROUNDS` (40) rounds; `MILEPOST_BENCH_KEEP`
//! leaves the repository on disk (its folder is printed), for profiling.
//!
//! Measured twice, against the same target: with no config (the built-in
//! schemas), and then once `milepost init` has written the config a team
//! adopting milepost starts from (an entry per folder and template era,
//! some listing file names in braces, and a schema file per era), which
//! the hook reads on every commit.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use milepost_bench::corpus::{self, CorpusOptions};
use milepost_bench::measure::{self, Goal, Scorecard, env_number, pair};

const TARGET_RATIO: f64 = 3.0;

fn main() {
    let milepost = measure::milepost_binary();
    let milepost = milepost.to_str().expect("a UTF-8 path to the binary");
    let reports = env_number("MILEPOST_BENCH_HOOK_REPORTS", 3_000).max(2);
    let rounds = env_number("MILEPOST_BENCH_ROUNDS", 40).max(2);
    let dir = tempfile::Builder::new()
        .prefix("milepost-bench-hook-")
        .tempdir()
        .expect("temporary folder");
    let root = dir.path();
    if std::env::var_os("MILEPOST_BENCH_KEEP").is_some() {
        println!("repository kept at {}", root.display());
    }
    let options = CorpusOptions {
        reports,
        ..CorpusOptions::default()
    };
    let corpus = corpus::generate(root, &options).expect("generate the corpus");
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "reports"]);
    // One report edited and staged, one new report staged.
    let edited = &corpus.files[reports / 2];
    let mut text = std::fs::read_to_string(edited).expect("read a report");
    text.push_str("\n- Ett punkt til.\n");
    std::fs::write(edited, text).expect("edit a report");
    let (relative, new_text) = corpus::report_text(&options, reports);
    let new_path = root.join(&relative);
    std::fs::create_dir_all(new_path.parent().expect("a folder")).expect("mkdir");
    std::fs::write(&new_path, new_text).expect("write the new report");
    git(root, &["add", "-A"]);
    if let Some(plan) = corpus.plans.first() {
        std::fs::write(plan, "changed but not staged\n").expect("edit a plan");
    }
    let staged = git(root, &["diff", "--cached", "--name-only"]);
    println!(
        "hook benchmark: {reports} committed reports, staged: {}; {rounds} paired rounds",
        staged.lines().collect::<Vec<_>>().join(", ")
    );

    let unconfigured = measure_hook(
        root,
        milepost,
        rounds,
        "check --staged -q / git diff --cached --name-only",
    );

    // The config `milepost init` writes (it checks with it too: output
    // dropped, exit 1 for findings).
    let _ = time(root, milepost, &["init"]);
    assert!(
        root.join("milepost.yaml").is_file(),
        "milepost init wrote no config"
    );
    let configured = measure_hook(
        root,
        milepost,
        rounds,
        "check --staged -q / git diff --cached --name-only, configured by milepost init",
    );

    let mut card = Scorecard::default();
    card.add(unconfigured);
    card.add(configured);
    card.print();
    if std::env::var_os("MILEPOST_BENCH_KEEP").is_some() {
        let _ = dir.keep();
    }
}

/// Paired rounds of the hook against `git diff --cached --name-only`.
fn measure_hook(root: &Path, milepost: &str, rounds: usize, name: &str) -> Goal {
    // Warm both.
    let _ = time(root, milepost, &["check", "--staged", "-q"]);
    let _ = time(root, "git", &["diff", "--cached", "--name-only"]);
    let mut goal = Goal::ratio(name, TARGET_RATIO);
    let mut hook_times = Vec::with_capacity(rounds);
    let mut git_times = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let (git_time, hook) = pair(
            round,
            || time(root, "git", &["diff", "--cached", "--name-only"]),
            || time(root, milepost, &["check", "--staged", "-q"]),
        );
        goal.push(hook.as_secs_f64() / git_time.as_secs_f64());
        hook_times.push(hook);
        git_times.push(git_time);
    }
    hook_times.sort();
    git_times.sort();
    println!(
        "{name}: milepost median {:.2} ms, git median {:.2} ms",
        ms(hook_times[rounds / 2]),
        ms(git_times[rounds / 2])
    );
    goal
}

fn time(root: &Path, program: &str, args: &[&str]) -> Duration {
    let start = Instant::now();
    let status = Command::new(program)
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run");
    let elapsed = start.elapsed();
    assert!(
        status.code().is_some_and(|code| code < 2),
        "{program} {args:?} failed: {status}"
    );
    elapsed
}

fn git(root: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Bench",
            "-c",
            "user.email=bench@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(root)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
