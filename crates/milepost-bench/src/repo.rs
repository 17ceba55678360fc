//! A git repository of weekly reports with a long, realistic history: the
//! input of the history and goal benchmarks.
//!
//! The reports are the [`crate::corpus`] reports (the `uke` template, 20
//! teams of 500 weeks ending 2026-W26), each committed on the Sunday of its
//! week, so the commit dates, the byline dates and today agree as in a real
//! docs repository: every report is recent enough to be tracked, and the
//! history rules judge real gaps, not a 1970 epoch. Between the reports,
//! filler commits edit a team's latest report (two in three: a comment line
//! appended) or a file outside the reports; in the second half of every
//! 1,000 commits one filler is made on a side branch and merged by the
//! next; and at 60% of the history every team folder moves from `team-NN/`
//! to `docs/team-NN/` in one commit, 1% of the reports edited on the way,
//! so that following reports across a move is part of the cost.
//!
//! Written with `git fast-import` (a benchmark may use the git CLI; the
//! product never does): 100,000 commits take about ten seconds. A pure
//! function of the options, like the corpus.

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use chrono::{Duration, NaiveTime};

use crate::corpus::{self, CorpusOptions, WEEKS_PER_TEAM};

/// What to generate.
#[derive(Clone, Debug)]
pub struct RepoOptions {
    /// Weekly reports (the corpus's first `reports`).
    pub reports: usize,
    /// Commits in all, at least one per report and two more.
    pub commits: usize,
    /// The corpus options (seed and drift); `reports` there is ignored.
    pub corpus: CorpusOptions,
    /// Extra files committed in the first commit (a config, a milestones
    /// file), relative to the root.
    pub extra_files: Vec<(String, String)>,
}

/// What [`generate`] made, to check results against.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub commits: usize,
    pub merges: usize,
    /// The commit that moved the team folders, counted from 0.
    pub reorganised_at: usize,
    /// Its commit time (seconds since the epoch).
    pub reorganised_time: i64,
    /// Every report at HEAD (relative path) → the time of the commit that
    /// first added it, under its old or its new name.
    pub first_added: HashMap<String, i64>,
    /// The reports at HEAD, in report-number order.
    pub reports: Vec<String>,
}

/// Before the reorganisation, `docs/team-NN/…` lived at `team-NN/…`.
fn before_move(path: &str) -> &str {
    path.strip_prefix("docs/").unwrap_or(path)
}

/// The commit time of report `index`: 18:00 on the Sunday of its week.
fn report_time(index: usize) -> i64 {
    let (_, _, monday) = corpus::report_week(index);
    let sunday = monday + Duration::days(6);
    let at = sunday.and_time(NaiveTime::from_hms_opt(18, 0, 0).unwrap_or(NaiveTime::MIN));
    at.and_utc().timestamp()
}

enum Event {
    Report(usize),
    Filler,
}

enum Op {
    Write(String, String),
    Rename(String, String),
}

/// Writes the repository into `root` (created if needed) and checks out
/// `main`. Panics with a message when git fails: a benchmark cannot go on.
pub fn generate(root: &Path, options: &RepoOptions) -> Plan {
    let reports = options.reports.max(1);
    let commits = options.commits.max(reports + 2);
    std::fs::create_dir_all(root).expect("cannot create the repository folder");
    git(root, &["init", "-q", "-b", "main"]);
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet", "--done"])
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("cannot run git fast-import");
    let stdin = child.stdin.take().expect("fast-import stdin");
    let mut stream = Stream {
        out: BufWriter::with_capacity(1 << 20, stdin),
        mark: 0,
    };

    // The reports in time order, and the fillers spread evenly between
    // the first report and the last.
    let mut order: Vec<usize> = (0..reports).collect();
    order.sort_by_key(|&i| (report_time(i), i));
    let first_time = report_time(order[0]);
    let last_time = report_time(order[reports - 1]);
    let fillers = commits - reports - 2;
    let mut events: Vec<(i64, Event)> = order
        .iter()
        .map(|&i| (report_time(i), Event::Report(i)))
        .collect();
    let span = (last_time - first_time).max(1);
    for k in 0..fillers {
        let at = first_time + (span as i128 * (k as i128 + 1) / (fillers as i128 + 1)) as i64;
        events.push((at, Event::Filler));
    }
    // Stable: at equal times a report comes before a filler.
    events.sort_by_key(|(at, event)| (*at, matches!(event, Event::Filler)));

    let teams = reports.div_ceil(WEEKS_PER_TEAM);
    let mut plan = Plan {
        commits,
        ..Plan::default()
    };
    let mut rng = Rng(options.corpus.seed | 1);
    // Path at HEAD (new name) → content; the latest report of each team.
    let mut contents: HashMap<String, String> = HashMap::new();
    let mut latest: Vec<Option<String>> = vec![None; teams];
    let mut moved = false;
    let where_now = |path: &str, moved: bool| -> String {
        if moved {
            path.to_owned()
        } else {
            before_move(path).to_owned()
        }
    };

    // Commit 0: the plans and the extra files, a day before the first report.
    let mut ops = Vec::new();
    for team in 0..teams {
        for (path, text) in corpus::plan_texts(team) {
            ops.push(Op::Write(before_move(&path).to_owned(), text));
        }
    }
    for (path, text) in &options.extra_files {
        ops.push(Op::Write(path.clone(), text.clone()));
    }
    let mut main_tip = Some(stream.commit("main", first_time - 86_400, None, None, &ops));
    let mut made = 1usize;

    let reorganise_at = events.len() * 6 / 10;
    let mut side: Option<(usize, Vec<Op>)> = None;
    let mut side_block = usize::MAX;
    for (n, (at, event)) in events.into_iter().enumerate() {
        if n == reorganise_at {
            let mut ops = Vec::new();
            let mut paths: Vec<String> = contents.keys().cloned().collect();
            paths.sort();
            for team in 0..teams {
                ops.push(Op::Rename(
                    format!("team-{team:02}"),
                    format!("docs/team-{team:02}"),
                ));
            }
            for path in paths {
                if rng.below(100) == 0 {
                    let content = contents.get_mut(&path).expect("a known report");
                    content.push_str("\n.. flyttet til docs/\n");
                    ops.push(Op::Write(path.clone(), content.clone()));
                }
            }
            plan.reorganised_at = made;
            plan.reorganised_time = at - 1;
            main_tip = Some(stream.commit("main", at - 1, main_tip, None, &ops));
            made += 1;
            moved = true;
        }
        let mut ops = Vec::new();
        let mut merge = None;
        match event {
            Event::Report(index) => {
                let (path, text) = corpus::report_text(&options.corpus, index);
                ops.push(Op::Write(where_now(&path, moved), text.clone()));
                plan.first_added.insert(path.clone(), at);
                latest[index / WEEKS_PER_TEAM] = Some(path.clone());
                contents.insert(path, text);
            }
            Event::Filler => {
                let team = rng.below(teams);
                match (&latest[team], rng.below(3)) {
                    (Some(path), 0 | 1) => {
                        let content = contents.get_mut(path).expect("a known report");
                        content.push_str(&format!("\n.. oppdatert {n}\n"));
                        ops.push(Op::Write(where_now(path, moved), content.clone()));
                    }
                    _ => ops.push(Op::Write(
                        format!("src/module{}.py", rng.below(50)),
                        format!("VERSION = {n}\n"),
                    )),
                }
                // In the second half of every 1,000 commits, one filler is
                // made on a side branch and the next one merges it.
                if side.is_none() && n % 1000 >= 500 && n / 1000 != side_block {
                    let tip = stream.commit("side", at, main_tip, None, &ops);
                    side = Some((tip, ops));
                    side_block = n / 1000;
                    made += 1;
                    continue;
                }
                if let Some((tip, side_ops)) = side.take() {
                    merge = Some(tip);
                    plan.merges += 1;
                    ops.extend(side_ops);
                }
            }
        }
        main_tip = Some(stream.commit("main", at, main_tip, merge, &ops));
        made += 1;
    }
    // A side commit not merged yet would be out of HEAD's history.
    if let Some((tip, _)) = side.take() {
        plan.merges += 1;
        main_tip = Some(stream.commit("main", last_time + 60, main_tip, Some(tip), &[]));
        made += 1;
    }
    let _ = main_tip;
    stream.out.write_all(b"done\n").expect("fast-import stdin");
    drop(stream);
    let status = child.wait().expect("fast-import did not finish");
    assert!(status.success(), "git fast-import failed");
    git(root, &["reset", "-q", "--hard", "main"]);
    plan.commits = made;
    plan.reports = (0..reports)
        .map(|i| corpus::report_text(&options.corpus, i).0)
        .collect();
    plan
}

/// One more commit on `main`, an edit of `path` (a comment appended), an
/// hour after HEAD; the working tree follows. Not meant to be timed.
pub fn commit_one_edit(root: &Path, path: &str, round: usize) {
    let full = root.join(path);
    let mut text = std::fs::read_to_string(&full).expect("read the report to edit");
    text.push_str(&format!("\n.. endret i runde {round}\n"));
    std::fs::write(&full, text).expect("edit the report");
    let head_time = git_output(root, &["log", "-1", "--format=%ct"]);
    let when = format!(
        "{} +0000",
        head_time.trim().parse::<i64>().unwrap_or(0) + 3_600
    );
    let status = Command::new("git")
        .args(["commit", "-q", "-a", "-m", "edit"])
        .env("GIT_AUTHOR_NAME", "Kari Nordmann")
        .env("GIT_AUTHOR_EMAIL", "kari@example.org")
        .env("GIT_COMMITTER_NAME", "Kari Nordmann")
        .env("GIT_COMMITTER_EMAIL", "kari@example.org")
        .env("GIT_AUTHOR_DATE", &when)
        .env("GIT_COMMITTER_DATE", &when)
        .current_dir(root)
        .status()
        .expect("cannot run git commit");
    assert!(status.success(), "git commit failed");
}

/// The id of HEAD.
pub fn head(root: &Path) -> String {
    git_output(root, &["rev-parse", "HEAD"]).trim().to_owned()
}

/// Runs git in `root`, output discarded; panics when it fails.
pub fn git(root: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(root)
        .stdout(Stdio::null())
        .status()
        .expect("cannot run git");
    assert!(status.success(), "git {args:?} failed");
}

fn git_output(root: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .expect("cannot run git");
    assert!(output.status.success(), "git {args:?} failed");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The folders reports live in at HEAD, as a git pathspec: what `git log`
/// is asked about in the baselines.
pub const REPORTS_PATHSPEC: &str = ":(glob)docs/*/status";

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

struct Stream<W: Write> {
    out: W,
    mark: usize,
}

impl<W: Write> Stream<W> {
    fn commit(
        &mut self,
        branch: &str,
        time: i64,
        from: Option<usize>,
        merge: Option<usize>,
        ops: &[Op],
    ) -> usize {
        self.mark += 1;
        let message = format!("commit {}", self.mark);
        let out = &mut self.out;
        let mut text = format!(
            "commit refs/heads/{branch}\nmark :{}\nauthor Ola Nordmann <ola@example.org> {time} +0200\n\
             committer Ola Nordmann <ola@example.org> {time} +0200\ndata {}\n{message}\n",
            self.mark,
            message.len()
        );
        if let Some(from) = from {
            text.push_str(&format!("from :{from}\n"));
        }
        if let Some(merge) = merge {
            text.push_str(&format!("merge :{merge}\n"));
        }
        out.write_all(text.as_bytes()).expect("fast-import stdin");
        for op in ops {
            match op {
                Op::Write(path, content) => {
                    write!(out, "M 100644 inline {path}\ndata {}\n", content.len())
                        .and_then(|()| out.write_all(content.as_bytes()))
                        .and_then(|()| out.write_all(b"\n"))
                        .expect("fast-import stdin");
                }
                Op::Rename(from, to) => {
                    writeln!(out, "R {from} {to}").expect("fast-import stdin");
                }
            }
        }
        out.write_all(b"\n").expect("fast-import stdin");
        self.mark
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    /// A small repository: every report at HEAD under its new name, first
    /// added at its own Sunday (not at the move), a merge, and the dates
    /// in the corpus's years.
    #[test]
    fn small_repository_has_the_planned_history() {
        let dir = tempfile::tempdir().expect("temp");
        let options = RepoOptions {
            reports: 30,
            commits: 3_000,
            corpus: CorpusOptions::default(),
            extra_files: vec![("milepost.yaml".into(), "reports: []\n".into())],
        };
        let plan = generate(dir.path(), &options);
        assert_eq!(plan.reports.len(), 30);
        assert!(plan.merges >= 1, "merges: {}", plan.merges);
        assert!((3_000..=3_001).contains(&plan.commits), "{}", plan.commits);
        for path in &plan.reports {
            assert!(dir.path().join(path).is_file(), "{path} at HEAD");
            let added = plan.first_added[path];
            assert_ne!(added, plan.reorganised_time, "{path}");
            let year = chrono::DateTime::from_timestamp(added, 0)
                .expect("a time")
                .year();
            assert!((2016..=2026).contains(&year), "{path}: {year}");
        }
        assert!(dir.path().join("milepost.yaml").is_file());
        let count = git_output(dir.path(), &["rev-list", "--count", "HEAD"]);
        assert_eq!(
            count.trim().parse::<usize>().expect("a count"),
            plan.commits
        );
        // The first report was added before the move, under the old name.
        let first = &plan.reports[0];
        let log = git_output(
            dir.path(),
            &[
                "log",
                "--format=%ct",
                "--diff-filter=A",
                "--",
                before_move(first),
            ],
        );
        assert_eq!(log.trim(), plan.first_added[first].to_string());
    }
}
