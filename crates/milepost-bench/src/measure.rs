//! Timing whole processes, and goals stated as paired ratios.
//!
//! This machine's speed moves from minute to minute, so a goal is never
//! judged on two medians taken at different times: each round runs the
//! subject and its baseline back to back, in alternating order (baseline
//! first in even rounds, subject first in odd ones), and the goal is judged
//! on the ratios of the pairs: min, median and max are reported, and MET
//! or MISSED on the median (on the maximum for a ceiling such as memory,
//! which every run must stay under).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The product binary, built as a user builds it (`cargo build --release`
/// of the milepost package alone). `cargo bench` compiles the product with
/// the dev-dependencies' features for its own targets; building it here
/// instead keeps `target/release/milepost` the binary a user would get,
/// and relinks it only when the sources changed.
pub fn milepost_binary() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.toml");
    let output = Command::new(env!("CARGO"))
        .args(["build", "--release", "--locked", "--package", "milepost"])
        .args([
            "--bin",
            "milepost",
            "--message-format=json-render-diagnostics",
        ])
        .arg("--manifest-path")
        .arg(&manifest)
        .stderr(Stdio::inherit())
        .output()
        .expect("cannot run cargo build");
    assert!(output.status.success(), "cargo build --release failed");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| {
            message["reason"] == "compiler-artifact" && message["target"]["name"] == "milepost"
        })
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .expect("cargo build named no milepost executable")
}

/// One run of a process.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sample {
    /// Wall-clock time, start to exit, measured here.
    pub wall: Duration,
    /// User plus system CPU time, from `/usr/bin/time` (10 ms steps).
    pub cpu: Duration,
    /// Peak resident set size in KiB, from `/usr/bin/time`.
    pub max_rss_kb: u64,
}

impl Sample {
    pub fn seconds(&self) -> f64 {
        self.wall.as_secs_f64()
    }

    pub fn cpu_seconds(&self) -> f64 {
        self.cpu.as_secs_f64()
    }

    pub fn max_rss_mb(&self) -> f64 {
        self.max_rss_kb as f64 / 1024.0
    }
}

/// Runs `command` under GNU `/usr/bin/time` (for CPU time and peak memory,
/// which `std` cannot give for a child), stdout discarded, and panics with
/// its stderr unless it exits with one of `ok_codes`.
pub fn run(command: &mut Command, ok_codes: &[i32]) -> Sample {
    static RUN: AtomicUsize = AtomicUsize::new(0);
    let report = std::env::temp_dir().join(format!(
        "milepost-bench-time-{}-{}",
        std::process::id(),
        RUN.fetch_add(1, Ordering::Relaxed)
    ));
    let program = command.get_program().to_owned();
    let mut timed = Command::new("/usr/bin/time");
    timed
        .arg("-o")
        .arg(&report)
        .args(["-f", "%U %S %M"])
        .arg(&program)
        .args(command.get_args());
    if let Some(dir) = command.get_current_dir() {
        timed.current_dir(dir);
    }
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => timed.env(key, value),
            None => timed.env_remove(key),
        };
    }
    let start = Instant::now();
    let output = timed
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("cannot run /usr/bin/time (GNU time is needed for CPU time and memory)");
    let wall = start.elapsed();
    let code = output.status.code().unwrap_or(-1);
    assert!(
        ok_codes.contains(&code),
        "{} {:?} exited with {code}: {}",
        program.to_string_lossy(),
        command.get_args().collect::<Vec<_>>(),
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&report).expect("read /usr/bin/time's report");
    let _ = std::fs::remove_file(&report);
    // The last line: a command's own failure message may come first.
    let fields: Vec<f64> = text
        .lines()
        .last()
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|field| field.parse().ok())
        .collect();
    let [user, system, rss] = fields[..] else {
        panic!("cannot read /usr/bin/time's report: {text:?}");
    };
    Sample {
        wall,
        cpu: Duration::from_secs_f64(user + system),
        max_rss_kb: rss as u64,
    }
}

/// Runs `baseline` and `subject` once each, in the order of the round:
/// baseline first in even rounds, subject first in odd ones. Returns
/// (baseline, subject).
pub fn pair<T>(
    round: usize,
    mut baseline: impl FnMut() -> T,
    mut subject: impl FnMut() -> T,
) -> (T, T) {
    if round.is_multiple_of(2) {
        let b = baseline();
        (b, subject())
    } else {
        let s = subject();
        (baseline(), s)
    }
}

/// How a goal's values are judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Judge {
    /// The median must be at most the target (ratios).
    Median,
    /// Every value must be at most the target (ceilings, such as memory).
    Max,
    /// No target: a figure printed for reference beside the goals.
    Reference,
}

/// A goal: a value per round (a paired ratio, or a measurement held to a
/// ceiling) and the target it must stay at or under.
#[derive(Clone, Debug)]
pub struct Goal {
    pub name: String,
    pub target: f64,
    pub unit: &'static str,
    pub judge: Judge,
    pub values: Vec<f64>,
}

impl Goal {
    /// A paired ratio, judged on its median.
    pub fn ratio(name: impl Into<String>, target: f64) -> Goal {
        Goal {
            name: name.into(),
            target,
            unit: "x",
            judge: Judge::Median,
            values: Vec::new(),
        }
    }

    /// A paired ratio printed for reference, with no verdict.
    pub fn reference(name: impl Into<String>) -> Goal {
        Goal {
            name: name.into(),
            target: f64::INFINITY,
            unit: "x",
            judge: Judge::Reference,
            values: Vec::new(),
        }
    }

    /// A ceiling every run must stay under (`unit` as printed, e.g. "MB").
    pub fn ceiling(name: impl Into<String>, target: f64, unit: &'static str) -> Goal {
        Goal {
            name: name.into(),
            target,
            unit,
            judge: Judge::Max,
            values: Vec::new(),
        }
    }

    pub fn push(&mut self, value: f64) {
        self.values.push(value);
    }

    /// (min, median, max); zeros before any value.
    pub fn spread(&self) -> (f64, f64, f64) {
        let mut sorted = self.values.clone();
        sorted.sort_by(f64::total_cmp);
        match sorted.len() {
            0 => (0.0, 0.0, 0.0),
            n => (sorted[0], sorted[n / 2], sorted[n - 1]),
        }
    }

    pub fn met(&self) -> bool {
        let (_, median, max) = self.spread();
        !self.values.is_empty()
            && match self.judge {
                Judge::Median => median <= self.target,
                Judge::Max => max <= self.target,
                Judge::Reference => true,
            }
    }

    /// One line: name, min/median/max, target, verdict (no target and no
    /// verdict for a reference).
    pub fn line(&self) -> String {
        let (min, median, max) = self.spread();
        let on = match self.judge {
            Judge::Median => "median",
            Judge::Max => "every run",
            Judge::Reference => {
                return format!(
                    "{}: min {min:.3}, median {median:.3}, max {max:.3} {} over {} rounds (reference)",
                    self.name,
                    self.unit,
                    self.values.len()
                );
            }
        };
        format!(
            "{}: min {min:.3}, median {median:.3}, max {max:.3} {unit} over {} rounds (target: {on} <= {} {unit}): {}",
            self.name,
            self.values.len(),
            self.target,
            if self.met() { "MET" } else { "MISSED" },
            unit = self.unit,
        )
    }
}

/// The goals of one benchmark, printed together at its end as a Markdown
/// table (for BENCHMARKS.md).
#[derive(Debug, Default)]
pub struct Scorecard {
    pub goals: Vec<Goal>,
}

impl Scorecard {
    pub fn add(&mut self, goal: Goal) {
        println!("{}", goal.line());
        self.goals.push(goal);
    }

    pub fn table(&self) -> String {
        let mut out = String::from(
            "| goal | min | median | max | target | verdict |\n|---|---:|---:|---:|---:|---|\n",
        );
        for goal in &self.goals {
            let (min, median, max) = goal.spread();
            let judged = match goal.judge {
                Judge::Median => "median",
                Judge::Max | Judge::Reference => "max",
            };
            let _ = writeln!(
                out,
                "| {} | {min:.3} | {median:.3} | {max:.3} | {judged} <= {} {} | {} |",
                goal.name,
                goal.target,
                goal.unit,
                if goal.met() { "MET" } else { "MISSED" }
            );
        }
        out
    }

    /// Prints the table.
    pub fn print(&self) {
        println!();
        print!("{}", self.table());
    }
}

/// A number from the environment, or `default`.
pub fn env_number(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(value) => value
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not {value:?}")),
        Err(_) => default,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_are_judged_on_the_median_and_ceilings_on_every_run() {
        let mut ratio = Goal::ratio("r", 2.0);
        for value in [1.0, 3.0, 1.5] {
            ratio.push(value);
        }
        assert_eq!(ratio.spread(), (1.0, 1.5, 3.0));
        assert!(ratio.met(), "the median 1.5 is under 2");
        let mut ceiling = Goal::ceiling("m", 2.0, "MB");
        for value in [1.0, 3.0, 1.5] {
            ceiling.push(value);
        }
        assert!(!ceiling.met(), "one run of 3 is over 2");
        assert!(!Goal::ratio("empty", 1.0).met(), "no rounds, no verdict");
        assert!(ceiling.line().ends_with("MISSED"));
        let mut reference = Goal::reference("r");
        reference.push(9.0);
        assert!(
            reference.line().ends_with("(reference)"),
            "{}",
            reference.line()
        );
    }

    #[test]
    fn pairs_alternate_their_order() {
        let mut order = Vec::new();
        for round in 0..2 {
            let order = std::cell::RefCell::new(&mut order);
            pair(
                round,
                || order.borrow_mut().push("baseline"),
                || order.borrow_mut().push("subject"),
            );
        }
        assert_eq!(order, ["baseline", "subject", "subject", "baseline"]);
    }

    #[test]
    fn run_reports_cpu_and_memory() {
        let sample = run(Command::new("sh").args(["-c", "exit 3"]), &[3]);
        assert!(sample.max_rss_kb > 0);
        assert!(sample.wall > Duration::ZERO);
    }
}
