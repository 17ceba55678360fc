//! `cargo bench --bench history`: milepost's git history walk against
//! `git log`, on a generated repository of 100,000 commits and 10,000
//! reports.
//!
//! The repository is written with `git fast-import` (the bench may use the
//! git CLI; the product never does). Reports are weekly files of 20 teams,
//! each made by copying the team's previous report and editing it (the old
//! file stays: a new report, not a move); most other commits edit a recent
//! report or a file outside the reports; a few side branches are merged;
//! and at 60% of the history all reports move from `status/` to
//! `docs/status/` in one commit, with 1% of them edited in that commit.
//!
//! Timed, median of the rounds:
//! (a) `git log --name-status -M --diff-filter=AR -- docs/status`, output
//!     discarded: the baseline (target: milepost cold ≤ a); and (a') the
//!     same over `docs/status status`, which reads what milepost has to read
//!     to follow reports across the move (`git log` over the new folder
//!     alone cannot date the moved reports at all);
//! (b) `Repo::history` cold (cache deleted first);
//! (c) `Repo::history` after one new commit, with the cache of the previous
//!     run (target: c within 10% of b);
//! (d) `Repo::staged` with one staged report vs (e) `git diff --cached
//!     --name-only` (target: d ≤ 3 e).
//!
//! Environment: `MILEPOST_BENCH_COMMITS` (100000), `MILEPOST_BENCH_REPORTS`
//! (10000), `MILEPOST_BENCH_ROUNDS` (3), `MILEPOST_BENCH_KEEP` (keep the
//! generated repository and print its folder).

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use milepost::git::{History, Repo};
use tempfile::TempDir;

const TEAMS: usize = 20;
const REPORTS_FOLDER: &str = "docs/status";
/// Where the reports were before the reorganisation.
const OLD_FOLDER: &str = "status";
const CACHE_KEY: &str = "bench: **/*.rst";
/// 2014-01-06, a Monday.
const START: i64 = 1_388_966_400;

fn main() {
    let commits = env_number("MILEPOST_BENCH_COMMITS", 100_000).max(10);
    let reports = env_number("MILEPOST_BENCH_REPORTS", 10_000).clamp(1, commits / 2);
    let rounds = env_number("MILEPOST_BENCH_ROUNDS", 3).max(1);
    println!("milepost history benchmark: {commits} commits, {reports} reports, {rounds} rounds");

    let mut dir = TempDir::new().expect("cannot create a temporary folder");
    if std::env::var_os("MILEPOST_BENCH_KEEP").is_some() {
        dir.disable_cleanup(true);
        println!("keeping {}", dir.path().display());
    }
    let root = dir.path().join("docs-repo");
    let start = Instant::now();
    let plan = generate(&root, commits, reports);
    println!(
        "generated in {:.1} s: {} commits ({} merges), {} reports, reorganisation at commit {}",
        start.elapsed().as_secs_f64(),
        plan.commits,
        plan.merges,
        plan.reports,
        plan.reorganised_at
    );

    // (a) git log, and for reference the same over both report folders
    // (what milepost has to read to follow the reports across the move).
    let git_log_time = median(
        (0..rounds)
            .map(|_| git_log(&root, &[REPORTS_FOLDER]))
            .collect(),
    );
    let git_log_both = median(
        (0..rounds)
            .map(|_| git_log(&root, &[REPORTS_FOLDER, OLD_FOLDER]))
            .collect(),
    );

    // (b) cold
    let mut cold_runs = Vec::new();
    let mut cold = None;
    for _ in 0..rounds {
        let _ = std::fs::remove_dir_all(root.join(".git/milepost"));
        let (elapsed, history) = timed_history(&root, true);
        cold_runs.push(elapsed);
        cold = Some(history);
    }
    let cold_time = median(cold_runs);
    let cold = cold.expect("at least one round");
    check_semantics(&cold, &plan);

    // (c) one new commit above the cached tip, then a cached run. Each
    // round starts again from the tip of the cold run, so each walks one
    // commit (the cache is only rewritten after longer walks).
    let cold_tip = head_id(&root);
    let mut warm_runs = Vec::new();
    let mut warm = None;
    for round in 0..rounds {
        git(&root, &["reset", "-q", "--hard", &cold_tip]);
        commit_one_edit(&root, round);
        let (elapsed, history) = timed_history(&root, true);
        warm_runs.push(elapsed);
        warm = Some(history);
    }
    let warm_time = median(warm_runs);
    let warm = warm.expect("at least one round");
    let truth = timed_history(&root, false).1;
    let agrees = warm.files == truth.files;

    // (d), (e): staged
    stage_one_report(&root);
    let staged = median((0..rounds.max(5)).map(|_| time_staged(&root)).collect());
    let git_cached = median((0..rounds.max(5)).map(|_| git_diff_cached(&root)).collect());

    println!();
    println!("| run | median s |");
    println!("|---|---:|");
    println!(
        "| (a) `git log --name-status -M --diff-filter=AR -- {REPORTS_FOLDER}` | {:.3} |",
        git_log_time.as_secs_f64()
    );
    println!(
        "| (a') the same, `-- {REPORTS_FOLDER} {OLD_FOLDER}` (both folders; reference) | {:.3} |",
        git_log_both.as_secs_f64()
    );
    println!(
        "| (b) `Repo::history`, cold ({} commits walked) | {:.3} |",
        cold.walked,
        cold_time.as_secs_f64()
    );
    println!(
        "| (c) `Repo::history`, cached, after one new commit ({} walked) | {:.3} |",
        warm.walked,
        warm_time.as_secs_f64()
    );
    println!(
        "| (d) `Repo::discover` + `Repo::staged`, one staged report | {:.4} |",
        staged.as_secs_f64()
    );
    println!(
        "| (e) `git diff --cached --name-only` | {:.4} |",
        git_cached.as_secs_f64()
    );
    println!();
    let ratio_ba = cold_time.as_secs_f64() / git_log_time.as_secs_f64();
    let ratio_ba2 = cold_time.as_secs_f64() / git_log_both.as_secs_f64();
    let ratio_cb = warm_time.as_secs_f64() / cold_time.as_secs_f64();
    let ratio_de = staged.as_secs_f64() / git_cached.as_secs_f64();
    println!(
        "b/a = {ratio_ba:.2} (target <= 1): {}",
        verdict(ratio_ba <= 1.0)
    );
    println!("b/a' = {ratio_ba2:.2} (reference: git log over both report folders)");
    println!(
        "c/b = {ratio_cb:.3} (target <= 0.10): {}",
        verdict(ratio_cb <= 0.10)
    );
    println!(
        "d/e = {ratio_de:.2} (target <= 3): {}",
        verdict(ratio_de <= 3.0)
    );
    println!(
        "cached result equals a cold run at the same HEAD: {}",
        if agrees { "yes" } else { "NO" }
    );
    if !agrees {
        std::process::exit(1);
    }
}

fn verdict(met: bool) -> &'static str {
    if met {
        "meets the target"
    } else {
        "MISSES the target"
    }
}

fn env_number(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(value) => value
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {value:?}")),
        Err(_) => default,
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn dev_null() -> Stdio {
    Stdio::from(File::create("/dev/null").expect("cannot open /dev/null"))
}

fn git(root: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(root)
        .stdout(dev_null())
        .status()
        .expect("cannot run git");
    assert!(status.success(), "git {args:?} failed");
}

fn is_report(path: &str) -> bool {
    path.ends_with(".rst")
}

fn timed_history(root: &Path, cache: bool) -> (Duration, History) {
    let start = Instant::now();
    let repo = Repo::discover(root)
        .expect("cannot open the repository")
        .expect("a repository");
    let history = repo
        .history(
            &is_report,
            &[REPORTS_FOLDER.to_string()],
            cache.then_some(CACHE_KEY),
        )
        .expect("history failed");
    let elapsed = start.elapsed();
    assert!(history.notes.is_empty(), "notes: {:?}", history.notes);
    (elapsed, history)
}

fn git_log(root: &Path, folders: &[&str]) -> Duration {
    let start = Instant::now();
    let status = Command::new("git")
        .args(["log", "--name-status", "-M", "--diff-filter=AR", "--"])
        .args(folders)
        .current_dir(root)
        .stdout(dev_null())
        .status()
        .expect("cannot run git log");
    let elapsed = start.elapsed();
    assert!(status.success());
    elapsed
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

/// What the generator made, to check the results against.
struct Plan {
    commits: usize,
    merges: usize,
    reports: usize,
    reorganised_at: usize,
    /// The commit time of the reorganisation.
    reorganised_time: i64,
    /// Report path at HEAD → commit time of its first addition.
    first_added: HashMap<String, i64>,
}

/// One team's series of weekly reports.
struct Team {
    name: String,
    week: usize,
    items: Vec<String>,
    latest: Option<String>,
}

fn render(team: &str, week: usize, items: &[String]) -> String {
    let year = 2014 + week / 52;
    let number = week % 52 + 1;
    let title = format!("Statusrapport {team} uke {number} {year}");
    let mut text = format!("{title}\n{}\n\n", "=".repeat(title.chars().count()));
    text.push_str(&format!(
        "Skrevet av Ola Nordmann, {}. september {year}\n\n",
        number % 28 + 1
    ));
    let sections = ["Fullført", "Under arbeid", "Planlagt fremdrift"];
    for (s, section) in sections.iter().enumerate() {
        text.push_str(&format!(
            "{section}\n{}\n\n",
            "-".repeat(section.chars().count())
        ));
        for item in items.iter().skip(s).step_by(sections.len()) {
            text.push_str(&format!("* {item}\n"));
        }
        text.push('\n');
    }
    text
}

fn report_path(root_folder: &str, team: &str, week: usize) -> String {
    let year = 2014 + week / 52;
    let number = week % 52 + 1;
    format!("{root_folder}/{team}/{year}/{year}_uke_{number:02}.rst")
}

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
        (self.next() % n as u64) as usize
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

enum Op {
    Write(String, String),
    Rename(String, String),
}

/// Writes the repository with `git fast-import` and checks it out.
fn generate(root: &Path, commits: usize, reports: usize) -> Plan {
    std::fs::create_dir_all(root).expect("cannot create the repository folder");
    git(root, &["init", "-q", "-b", "main"]);
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet", "--done"])
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(dev_null())
        .spawn()
        .expect("cannot run git fast-import");
    let stdin = child.stdin.take().expect("fast-import stdin");
    let mut stream = Stream {
        out: BufWriter::with_capacity(1 << 20, stdin),
        mark: 0,
    };

    let mut rng = Rng(0x6d69_6c65_706f_7374);
    let mut teams: Vec<Team> = (0..TEAMS.min(reports))
        .map(|t| Team {
            name: format!("team{t:02}"),
            week: 0,
            items: (0..9)
                .map(|i| format!("Oppgave {i} for team{t:02}"))
                .collect(),
            latest: None,
        })
        .collect();
    let mut contents: HashMap<String, String> = HashMap::new();
    let mut first_added: HashMap<String, i64> = HashMap::new();
    let reorganised_at = commits * 6 / 10;
    let mut reorganised_time = 0;
    let mut folder = OLD_FOLDER;
    let mut added = 0usize;
    let mut merges = 0usize;
    let mut main_tip: Option<usize> = None;
    let mut side: Option<(usize, Vec<Op>)> = None;
    let mut side_block = usize::MAX;
    for i in 0..commits {
        let time = START + i as i64 * 600;
        let remaining = commits - i;
        let due = added * commits / reports;
        let mut ops = Vec::new();
        let mut merge = None;
        if i == reorganised_at {
            // Everything moves to docs/status; 1% is edited on the way.
            let mut paths: Vec<String> = contents.keys().cloned().collect();
            paths.sort();
            let mut moved = HashMap::new();
            for path in paths {
                let new_path = format!("docs/{path}");
                ops.push(Op::Rename(path.clone(), new_path.clone()));
                let mut content = contents.remove(&path).unwrap_or_default();
                if rng.below(100) == 0 {
                    content = content.replace("Skrevet av", "Skrevet (flyttet) av");
                    content.push_str("* Se :doc:`../plan`\n");
                    ops.push(Op::Write(new_path.clone(), content.clone()));
                }
                if let Some(first) = first_added.remove(&path) {
                    first_added.insert(new_path.clone(), first);
                }
                moved.insert(new_path, content);
            }
            contents = moved;
            for team in &mut teams {
                team.latest = team.latest.take().map(|p| format!("docs/{p}"));
            }
            folder = REPORTS_FOLDER;
            reorganised_time = time;
        } else if added < reports && (i >= due || remaining <= reports - added + 1) {
            // Next week's report of one team: last week's copied and edited.
            let team = &mut teams[added % TEAMS.min(reports)];
            team.items.remove(0);
            team.items.push(format!("Leveranse {added}"));
            team.week += 1;
            let path = report_path(folder, &team.name, team.week);
            let content = render(&team.name, team.week, &team.items);
            ops.push(Op::Write(path.clone(), content.clone()));
            contents.insert(path.clone(), content);
            first_added.insert(path.clone(), time);
            team.latest = Some(path);
            added += 1;
        } else {
            let team = &teams[rng.below(teams.len())];
            match (&team.latest, rng.below(3)) {
                (Some(path), 0 | 1) => {
                    let content = contents.entry(path.clone()).or_default();
                    content.push_str(&format!("* Oppdatering {i}\n"));
                    ops.push(Op::Write(path.clone(), content.clone()));
                }
                _ => ops.push(Op::Write(
                    format!("src/module{}.py", rng.below(50)),
                    format!("VERSION = {i}\n"),
                )),
            }
            // In the second half of every 1,000 commits, one edit is made
            // on a side branch, and the next edit on main merges it,
            // bringing the side's change in.
            if side.is_none() && i % 1000 >= 500 && i / 1000 != side_block {
                let tip = stream.commit("side", time, main_tip, None, &ops);
                side = Some((tip, ops));
                side_block = i / 1000;
                continue;
            }
            if let Some((tip, side_ops)) = side.take() {
                merge = Some(tip);
                merges += 1;
                ops.extend(side_ops);
            }
        }
        let from = if i == 0 { None } else { main_tip };
        main_tip = Some(stream.commit("main", time, from, merge, &ops));
    }
    stream.out.write_all(b"done\n").expect("fast-import stdin");
    drop(stream);
    let status = child.wait().expect("fast-import did not finish");
    assert!(status.success(), "git fast-import failed");
    git(root, &["reset", "-q", "--hard", "main"]);
    Plan {
        commits,
        merges,
        reports: added,
        reorganised_at,
        reorganised_time,
        first_added,
    }
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

fn head_id(root: &Path) -> String {
    let repo = git2::Repository::open(root).expect("open");
    let id = repo.refname_to_id("HEAD").expect("HEAD");
    id.to_string()
}

/// One more commit on HEAD, made with git2 directly: an edit of one report.
fn commit_one_edit(root: &Path, round: usize) {
    let repo = git2::Repository::open(root).expect("open");
    let head = repo
        .head()
        .and_then(|h| h.peel_to_commit())
        .expect("HEAD commit");
    let tree = head.tree().expect("tree");
    let path = "docs/status/team00/2014/2014_uke_02.rst";
    let entry = tree.get_path(Path::new(path)).expect("the report to edit");
    let blob = repo.find_blob(entry.id()).expect("blob");
    let mut content = blob.content().to_vec();
    content.extend(format!("* Endret i runde {round}\n").as_bytes());
    let new_blob = repo.blob(&content).expect("write blob");
    let mut index = git2::Index::new().expect("index");
    index.read_tree(&tree).expect("read tree");
    let mut entry = index.get_path(Path::new(path), 0).expect("index entry");
    entry.id = new_blob;
    index.add(&entry).expect("index add");
    let new_tree = repo
        .find_tree(index.write_tree_to(&repo).expect("write tree"))
        .expect("tree");
    let time = head.time().seconds() + 600;
    let sig = git2::Signature::new("Kari", "kari@example.org", &git2::Time::new(time, 0))
        .expect("signature");
    repo.commit(Some("HEAD"), &sig, &sig, "edit", &new_tree, &[&head])
        .expect("commit");
    // Keep the working tree and index in step with HEAD (not timed).
    git(root, &["reset", "-q", "--hard"]);
}

fn stage_one_report(root: &Path) {
    let path = "docs/status/team01/2014/2014_uke_03.rst";
    let full = root.join(path);
    let mut content = std::fs::read(&full).expect("read the report");
    content.extend(b"* Staged change\n");
    std::fs::write(&full, content).expect("write the report");
    git(root, &["add", path]);
}
