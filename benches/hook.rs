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

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use milepost_corpus::{self as corpus, CorpusOptions};

const MILEPOST: &str = env!("CARGO_BIN_EXE_milepost");
const TARGET_RATIO: f64 = 3.0;

fn main() {
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

    // Warm both, and show what the hook says.
    let _ = time(root, MILEPOST, &["check", "--staged", "-q"]);
    let _ = time(root, "git", &["diff", "--cached", "--name-only"]);

    let mut ratios = Vec::with_capacity(rounds);
    let mut hook_times = Vec::with_capacity(rounds);
    let mut git_times = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let (hook, git_time) = if round % 2 == 0 {
            let g = time(root, "git", &["diff", "--cached", "--name-only"]);
            let h = time(root, MILEPOST, &["check", "--staged", "-q"]);
            (h, g)
        } else {
            let h = time(root, MILEPOST, &["check", "--staged", "-q"]);
            let g = time(root, "git", &["diff", "--cached", "--name-only"]);
            (h, g)
        };
        ratios.push(hook.as_secs_f64() / git_time.as_secs_f64());
        hook_times.push(hook);
        git_times.push(git_time);
    }
    ratios.sort_by(f64::total_cmp);
    hook_times.sort();
    git_times.sort();
    let median = ratios[ratios.len() / 2];
    println!(
        "milepost check --staged -q: median {:.2} ms; git diff --cached --name-only: median {:.2} ms",
        ms(hook_times[rounds / 2]),
        ms(git_times[rounds / 2])
    );
    println!(
        "paired ratio hook/git: min {:.2}, median {:.2}, max {:.2} (target <= {TARGET_RATIO}): {}",
        ratios[0],
        median,
        ratios[ratios.len() - 1],
        if median <= TARGET_RATIO {
            "MET"
        } else {
            "MISSED"
        }
    );
    if std::env::var_os("MILEPOST_BENCH_KEEP").is_some() {
        let _ = dir.keep();
    }
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

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
