//! Fixture helpers: a temporary tree of files and a way to run the real
//! binary in it. Trees live in the system temp folder, never inside this
//! repository, so milepost's own git repository cannot leak into a test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// A temporary folder of files.
pub struct Tree {
    dir: TempDir,
}

impl Tree {
    pub fn new() -> Tree {
        Tree {
            dir: tempfile::Builder::new()
                .prefix("milepost-test-")
                .tempdir()
                .expect("create a temporary folder"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` to `relative`, creating folders.
    pub fn file(&self, relative: &str, contents: impl AsRef<[u8]>) -> &Tree {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("create folders");
        std::fs::write(&path, contents).expect("write a fixture file");
        self
    }

    /// Runs `milepost ARGS` with this tree as the current folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), args)
    }
}

/// What a run of the binary printed and returned.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|err| {
            panic!(
                "stdout is not JSON ({err}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// `(path, line, rule)` of every finding in JSON output.
    pub fn findings(&self) -> Vec<(String, u64, String)> {
        self.json()["findings"]
            .as_array()
            .expect("findings is an array")
            .iter()
            .map(|f| {
                (
                    f["path"].as_str().expect("path").to_owned(),
                    f["line"].as_u64().expect("line"),
                    f["rule"].as_str().expect("rule").to_owned(),
                )
            })
            .collect()
    }

    /// The rule names of every finding in JSON output.
    pub fn rules(&self) -> Vec<String> {
        self.findings()
            .into_iter()
            .map(|(_, _, rule)| rule)
            .collect()
    }
}

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_milepost"))
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output: Output = Command::new(binary())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run the milepost binary");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A clean report in the seed's format for week `week` of 2016, dated on
/// the Friday of that week, optionally with the plan it links to.
pub fn good_report(week: u32) -> String {
    let friday =
        chrono::NaiveDate::from_isoywd_opt(2016, week, chrono::Weekday::Fri).expect("a valid week");
    let months = [
        "jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des",
    ];
    use chrono::Datelike;
    let date = format!(
        "{}. {} {}",
        friday.day(),
        months[friday.month0() as usize],
        friday.year()
    );
    format!(
        "======\nUke {week}\n======\nav Raymond Kristiansen, UH IaaS, {date}\n\n.. contents:: :depth: 2\n\n\
Fullført\n========\n\n- Oppgradering til mitaka i uke {week}.\n\n\
Under arbeid\n============\n\n- Det jobbes med å få på plass en tjeneste for DNS for instanser.\n\n\
Planlagt fremdrift\n==================\n\n- Oppgradere ceph til siste versjon.\n\n\
Utfordringer\n============\n\n- API-tilgang er ikke optimal slik den er satt opp nå.\n\n\
Oppdatert status\n================\n\nArbeidet frem til leveranse 14. november oppdateres fortløpende.\n"
    )
}

/// A git repository in a temporary folder, with commits at chosen times.
pub struct GitTree {
    pub tree: Tree,
    pub repo: git2::Repository,
}

impl GitTree {
    pub fn new() -> GitTree {
        let tree = Tree::new();
        let repo = git2::Repository::init(tree.path()).expect("git init");
        GitTree { tree, repo }
    }

    pub fn path(&self) -> &Path {
        self.tree.path()
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.tree.run(args)
    }

    /// Writes files into the working tree (not staged).
    pub fn write(&self, relative: &str, contents: &str) -> &GitTree {
        self.tree.file(relative, contents);
        self
    }

    /// Stages a path (added, changed or deleted) as it is in the working tree.
    pub fn stage(&self, relative: &str) -> &GitTree {
        let mut index = self.repo.index().expect("index");
        if self.path().join(relative).exists() {
            index.add_path(Path::new(relative)).expect("git add");
        } else {
            index.remove_path(Path::new(relative)).expect("git rm");
        }
        index.write().expect("write index");
        self
    }

    /// Commits the index with author and committer time `date` (YYYY-MM-DD, noon UTC).
    pub fn commit(&self, date: &str, message: &str) -> git2::Oid {
        let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("a date");
        let seconds = day
            .and_hms_opt(12, 0, 0)
            .expect("noon")
            .and_utc()
            .timestamp();
        let signature =
            git2::Signature::new("Raymond", "r@example.org", &git2::Time::new(seconds, 0))
                .expect("signature");
        let mut index = self.repo.index().expect("index");
        let tree_id = index.write_tree().expect("write tree");
        let tree = self.repo.find_tree(tree_id).expect("tree");
        let parents: Vec<git2::Commit> = self
            .repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let parents: Vec<&git2::Commit> = parents.iter().collect();
        self.repo
            .commit(
                Some("HEAD"),
                &signature,
                &signature,
                message,
                &tree,
                &parents,
            )
            .expect("commit")
    }

    /// Writes, stages and commits files in one go.
    pub fn commit_files(&self, date: &str, files: &[(&str, &str)]) -> git2::Oid {
        for (path, contents) in files {
            self.write(path, contents).stage(path);
        }
        self.commit(date, &format!("reports of {date}"))
    }
}

/// [`run_in`] that fails the test instead of hanging when the binary does
/// not finish within `seconds` (for inputs that used to hang it: pipes,
/// devices), with standard input an open pipe nobody writes to.
pub fn run_bounded(dir: &Path, args: &[&str], seconds: u64) -> Run {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(binary())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the milepost binary");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for milepost") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("milepost {args:?} did not finish within {seconds} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_string(&mut stdout).expect("stdout");
    }
    if let Some(mut err) = child.stderr.take() {
        err.read_to_string(&mut stderr).expect("stderr");
    }
    Run {
        code: status.code().unwrap_or(-1),
        stdout,
        stderr,
    }
}

/// Runs the real `git` in `dir` with a fixed identity and no signing, so
/// tests do not depend on the machine's git config.
pub fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("run git")
}

/// [`git`] that must succeed.
pub fn git_ok(dir: &Path, args: &[&str]) -> String {
    let out = git(dir, args);
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Enough of RFC 3986 percent-decoding to read SARIF URIs back.
pub fn percent_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii");
            out.push(u8::from_str_radix(hex, 16).expect("two hex digits"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8")
}
