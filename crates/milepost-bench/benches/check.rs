//! `cargo bench --bench check`: how `milepost check` compares with merely
//! reading the same files.
//!
//! The target is that checking a docs tree costs at most five times a `cat`
//! of its reports: milepost must stay cheap enough to run on every commit.
//! Both are timed as whole processes (spawn, read, work, exit), paired and
//! alternating round by round so that a noisy neighbour or a warming page
//! cache hurts both alike; the goal is judged on the median of the per-round
//! ratios (`milepost_bench::measure`). The corpus is generated once, before
//! any timing (`milepost_bench::corpus`), outside any git repository, so
//! this is the cost of checking alone; `benches/goals.rs` times it in a
//! repository with its history.
//!
//! Environment:
//!
//! * `MILEPOST_BENCH_REPORTS` — reports in the main corpus (10000); the
//!   scale corpus has a tenth of them.
//! * `MILEPOST_BENCH_ROUNDS` — timed rounds (5).
//! * `MILEPOST_BENCH_LARGE_MB` — size of the big single report (50); the
//!   small one is a tenth of it. `0` skips the single-report check.
//! * `MILEPOST_BENCH_KEEP` — when set, the generated corpora are left on
//!   disk (their folders are printed), for profiling `milepost` by hand.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use std::sync::OnceLock;

use milepost_bench::corpus::{self, Corpus, CorpusOptions};
use milepost_bench::measure::{self, Goal, Scorecard, env_number, pair};
use tempfile::TempDir;

const SEED: u64 = 0x6d69_6c65_706f_7374;
const DRIFT: f64 = 0.05;
const TARGET_RATIO: f64 = 5.0;

/// The release binary, built once (see `measure::milepost_binary`).
fn milepost_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(measure::milepost_binary)
}

fn main() {
    let reports = env_number("MILEPOST_BENCH_REPORTS", 10_000);
    let rounds = env_number("MILEPOST_BENCH_ROUNDS", 5).max(1);
    let large_mb = env_number("MILEPOST_BENCH_LARGE_MB", 50);
    let scale_reports = (reports / 10).max(1);
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    println!("milepost check benchmark: {reports} reports, {rounds} rounds, {cores} cores");

    let big = Fixture::new(reports);
    let small = Fixture::new(scale_reports);
    println!(
        "corpus: {} reports, {:.1} MB (generated in {:.2} s); scale corpus: {} reports, {:.1} MB",
        big.corpus.files.len(),
        mb(big.corpus.bytes),
        big.generated.as_secs_f64(),
        small.corpus.files.len(),
        mb(small.corpus.bytes),
    );

    // One untimed pass of each, which also shows what the checker finds:
    // in a clean corpus only the drifted reports should have findings.
    cat(&big);
    verify_findings(&big);

    let mut card = Scorecard::default();
    let mut json_goal = Goal::ratio(
        format!("check --format json / cat, {reports} reports"),
        TARGET_RATIO,
    );
    let mut human_ratio = Goal::reference("check (human output) / cat");
    let mut structure_ratio = Goal::reference("check, structure rules only / cat");
    let mut scale_ratio = Goal::reference(format!(
        "check --format json / cat, {scale_reports} reports"
    ));
    let mut growth = Goal::ratio(
        format!("check, {reports} / {scale_reports} reports (about 10 if linear)"),
        12.0,
    );
    for round in 0..rounds {
        let (cat_big, json_big) = pair(
            round,
            || cat(&big),
            || check(&big.root(), &["--format", "json"]),
        );
        json_goal.push(json_big / cat_big);
        let (cat_again, human) = pair(round, || cat(&big), || check(&big.root(), &[]));
        human_ratio.push(human / cat_again);
        let (cat_again, structure) =
            pair(round, || cat(&big), || check(&big.root(), STRUCTURE_ONLY));
        structure_ratio.push(structure / cat_again);
        let (cat_small, json_small) = pair(
            round,
            || cat(&small),
            || check(&small.root(), &["--format", "json"]),
        );
        scale_ratio.push(json_small / cat_small);
        growth.push(json_big / json_small);
        eprintln!(
            "round {}/{rounds}: cat {cat_big:.3} s, check --format json {json_big:.3} s",
            round + 1
        );
    }
    println!();
    for goal in [&human_ratio, &structure_ratio, &scale_ratio] {
        println!("{}", goal.line());
    }
    card.add(json_goal);
    card.add(growth);

    let mut memory = Goal::ceiling(
        format!("peak memory of check, {reports} reports"),
        200.0,
        "MB",
    );
    let sample = measure::run(
        Command::new(milepost_binary())
            .args(["check", "--format", "json"])
            .current_dir(big.root()),
        &[0, 1],
    );
    memory.push(sample.max_rss_mb());
    card.add(memory);

    card.add(milestones_scaling(&big, &small, rounds));

    if large_mb > 0 {
        large_report(large_mb, rounds.min(3));
    }
    card.print();
}

/// Milestones and item tracking over the whole series: the time from the
/// small corpus to the big one must grow no more than 12-fold for 10x the
/// reports (matching compares each report only with the items still open).
fn milestones_scaling(big: &Fixture, small: &Fixture, rounds: usize) -> Goal {
    const MILESTONES: &str = "milestones:\n  - id: platform\n    due: 2030-01-01\n    items:\n      - id: dns\n        match: [dns]\n      - id: ceph\n        match: [ceph]\n      - id: keystone\n        match: [keystone]\n";
    for fixture in [big, small] {
        std::fs::write(fixture.root().join("milestones.yaml"), MILESTONES)
            .expect("cannot write milestones.yaml");
    }
    let args = ["--format", "json", "--as-of", "2030-01-01"];
    let mut growth = Goal::ratio(
        format!(
            "milestones, {} / {} reports (no git)",
            big.corpus.files.len(),
            small.corpus.files.len()
        ),
        12.0,
    );
    for round in 0..rounds {
        let (few, many) = pair(
            round,
            || milestones(&small.root(), &args),
            || milestones(&big.root(), &args),
        );
        growth.push(many.as_secs_f64() / few.as_secs_f64());
    }
    growth
}

fn milestones(root: &Path, args: &[&str]) -> Duration {
    let start = Instant::now();
    let output = Command::new(milepost_binary())
        .arg("milestones")
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .stdout(dev_null())
        .output();
    let elapsed = start.elapsed();
    match output {
        Ok(out) if out.status.success() => elapsed,
        Ok(out) => panic!(
            "milepost milestones failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(err) => panic!("cannot run milepost: {err}"),
    }
}

/// A generated corpus in its own temporary folder.
struct Fixture {
    dir: TempDir,
    corpus: Corpus,
    /// Report paths relative to the root, which keeps `cat`'s argument list
    /// short (10,000 reports take about 400 KB of arguments).
    relative: Vec<PathBuf>,
    generated: Duration,
}

impl Fixture {
    fn new(reports: usize) -> Fixture {
        let dir = TempDir::new().expect("cannot create a temporary folder");
        warn_if_in_git(dir.path());
        let options = CorpusOptions {
            reports,
            seed: SEED,
            drift: DRIFT,
        };
        let start = Instant::now();
        let corpus = corpus::generate(dir.path(), &options).expect("cannot write the corpus");
        Fixture::from_corpus(dir, corpus, start.elapsed())
    }

    fn large(min_bytes: usize) -> Fixture {
        let dir = TempDir::new().expect("cannot create a temporary folder");
        let options = CorpusOptions {
            reports: 1,
            seed: SEED,
            drift: 0.0,
        };
        let start = Instant::now();
        let corpus = corpus::generate_large(dir.path(), &options, min_bytes)
            .expect("cannot write the large report");
        Fixture::from_corpus(dir, corpus, start.elapsed())
    }

    fn from_corpus(mut dir: TempDir, corpus: Corpus, generated: Duration) -> Fixture {
        if std::env::var_os("MILEPOST_BENCH_KEEP").is_some() {
            dir.disable_cleanup(true);
            println!(
                "keeping {} ({} reports)",
                dir.path().display(),
                corpus.files.len()
            );
        }
        let relative = corpus
            .files
            .iter()
            .map(|f| {
                f.strip_prefix(dir.path())
                    .expect("reports are inside the corpus")
                    .to_path_buf()
            })
            .collect();
        Fixture {
            dir,
            corpus,
            relative,
            generated,
        }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }
}

/// milepost takes the enclosing git repository as its root; a temporary
/// folder inside one would make it walk the whole repository.
fn warn_if_in_git(dir: &Path) {
    if let Some(repo) = dir.ancestors().find(|d| d.join(".git").exists()) {
        eprintln!(
            "warning: {} is inside the git repository {}; set TMPDIR elsewhere",
            dir.display(),
            repo.display()
        );
    }
}

fn dev_null() -> Stdio {
    Stdio::from(File::create("/dev/null").expect("cannot open /dev/null"))
}

/// Times `cat` over every report, output discarded: the floor any checker
/// that reads the files has to pay.
fn cat(fixture: &Fixture) -> f64 {
    let start = Instant::now();
    let spawned = Command::new("cat")
        .args(&fixture.relative)
        .current_dir(fixture.dir.path())
        .stdout(dev_null())
        .stderr(Stdio::piped())
        .spawn();
    let output = match spawned {
        Ok(child) => child.wait_with_output().expect("cat did not finish"),
        // E2BIG: too many arguments for one exec; let xargs split them.
        Err(err) if err.raw_os_error() == Some(7) => xargs_cat(fixture),
        Err(err) => panic!("cannot run cat: {err}"),
    };
    let elapsed = start.elapsed();
    assert!(
        output.status.success(),
        "cat failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    elapsed.as_secs_f64()
}

fn xargs_cat(fixture: &Fixture) -> Output {
    use std::io::Write;
    let mut child = Command::new("xargs")
        .args(["-0", "cat"])
        .current_dir(fixture.dir.path())
        .stdin(Stdio::piped())
        .stdout(dev_null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot run xargs");
    {
        let mut stdin = child.stdin.take().expect("xargs has a stdin");
        for path in &fixture.relative {
            stdin
                .write_all(path.as_os_str().as_encoded_bytes())
                .and_then(|()| stdin.write_all(b"\0"))
                .expect("cannot feed xargs");
        }
    }
    child.wait_with_output().expect("xargs did not finish")
}

/// Runs `milepost check ARGS` in `root`, stdout discarded, and times it.
fn check(root: &Path, args: &[&str]) -> f64 {
    let start = Instant::now();
    let output = milepost(root, args).stdout(dev_null()).output();
    let elapsed = start.elapsed();
    expect_checked(output.expect("cannot run milepost"));
    elapsed.as_secs_f64()
}

/// `check` with only the per-report structure rules of the first release
/// (title to encoding): the rules that follow items across the series and
/// read staffing prose turned off, to show what each layer costs.
const STRUCTURE_ONLY: &[&str] = &[
    "--format",
    "json",
    "--severity",
    "staffing-risk=off",
    "--severity",
    "stale-item=off",
    "--severity",
    "overdue-item=off",
    "--severity",
    "milestone-overdue=off",
    "--severity",
    "milestone-at-risk=off",
    "--severity",
    "missing-report=off",
];

fn milepost(root: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(milepost_binary());
    command
        .arg("check")
        .args(args)
        .current_dir(root)
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// Exit 0 (clean) and 1 (findings) are results; anything else means the
/// timing measured a failure, so the bench stops.
fn expect_checked(output: Output) -> Output {
    match output.status.code() {
        Some(0 | 1) => output,
        code => {
            eprintln!("{}", String::from_utf8_lossy(&output.stderr));
            panic!("milepost check exited with {code:?}");
        }
    }
}

/// Runs the JSON check once with its output kept and compares the files
/// with findings against the reports the generator drifted on purpose.
fn verify_findings(fixture: &Fixture) {
    let output = expect_checked(
        milepost(&fixture.root(), &["--format", "json"])
            .stdout(Stdio::piped())
            .output()
            .expect("cannot run milepost"),
    );
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("milepost printed invalid JSON");
    let findings = json["findings"].as_array().cloned().unwrap_or_default();
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    let mut flagged: BTreeSet<String> = BTreeSet::new();
    for finding in &findings {
        *by_rule
            .entry(finding["rule"].as_str().unwrap_or("?").to_owned())
            .or_default() += 1;
        flagged.insert(finding["path"].as_str().unwrap_or("?").to_owned());
    }
    let options = CorpusOptions {
        reports: fixture.corpus.files.len(),
        seed: SEED,
        drift: DRIFT,
    };
    let drifted: BTreeSet<String> = (0..options.reports)
        .filter(|&i| corpus::drift(&options, i).is_some())
        .map(|i| corpus::report_text(&options, i).0)
        .collect();
    let rules: Vec<String> = by_rule.iter().map(|(r, n)| format!("{r} {n}")).collect();
    println!(
        "findings: {} in {} files ({}); {} reports drifted on purpose",
        findings.len(),
        flagged.len(),
        rules.join(", "),
        drifted.len()
    );
    // Planted defects are structure defects (codes S…); the series rules
    // (tracking, staffing, history) find real things in any report.
    let unexpected: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["code"].as_str().is_some_and(|c| c.starts_with('S')))
        .filter(|f| !drifted.contains(f["path"].as_str().unwrap_or("?")))
        .collect();
    let missed = drifted.difference(&flagged).count();
    if !unexpected.is_empty() || missed > 0 {
        println!(
            "warning: {} findings in clean reports, {missed} drifted reports without findings",
            unexpected.len()
        );
        for finding in unexpected.iter().take(5) {
            println!(
                "  {}:{}: {}: {}",
                finding["path"].as_str().unwrap_or("?"),
                finding["line"],
                finding["rule"].as_str().unwrap_or("?"),
                finding["message"].as_str().unwrap_or("?")
            );
        }
    }
}

/// Times one report of a tenth and of the full size: a linear checker
/// takes about ten times as long on the bigger one.
fn large_report(large_mb: usize, rounds: usize) {
    let large_bytes = large_mb * 1_000_000;
    let small = Fixture::large(large_bytes / 10);
    let large = Fixture::large(large_bytes);
    let time = |fixture: &Fixture| {
        median(
            (0..rounds)
                .map(|_| check(&fixture.root(), &["--format", "json"]))
                .collect(),
        )
    };
    let (t_small, t_large) = (time(&small), time(&large));
    println!();
    println!(
        "single report: {:.1} MB in {t_small:.3} s, {:.1} MB in {t_large:.3} s: {:.1}x the time for {:.1}x the size (about the same if linear)",
        mb(small.corpus.bytes),
        mb(large.corpus.bytes),
        t_large / t_small,
        large.corpus.bytes as f64 / small.corpus.bytes as f64,
    );
    let sample = measure::run(
        Command::new(milepost_binary())
            .args(["check", "--format", "json"])
            .current_dir(large.root()),
        &[0, 1],
    );
    println!(
        "peak RSS of check on the {:.1} MB report: {:.1} MB",
        mb(large.corpus.bytes),
        sample.max_rss_mb()
    );
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}
