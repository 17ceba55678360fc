//! The `git` executable's plumbing: the only place milepost starts a
//! process.
//!
//! It is used only where libgit2 cannot read a layout that git supports
//! (SHA-256 objects, reftable, a split index, an environment libgit2
//! misreads): a hook always runs under git, so git is there, and its answer
//! is the right one. Every command runs with `core.quotepath=off` and `-z`
//! output where git has it (paths arrive as raw bytes, NUL-separated), no
//! shell, the repository named explicitly (`--git-dir`, `--work-tree`,
//! `GIT_INDEX_FILE` absolute) so that neither the caller's environment nor
//! its current folder can point git elsewhere, and standard input closed
//! (git never waits for a terminal).

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Variables that would redirect git away from the repository named on
/// the command line; they are removed from each child's environment.
const REDIRECTS: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_COMMON_DIR",
    "GIT_PREFIX",
];

/// A failure of a git command: what was run and what git said.
#[derive(Debug)]
pub(crate) struct Failure(pub(crate) String);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `git` plus the arguments that make its output safe to parse.
fn base() -> Command {
    let mut command = Command::new("git");
    command.args(["-c", "core.quotepath=off"]);
    for name in REDIRECTS {
        command.env_remove(name);
    }
    command.stdin(Stdio::null());
    command
}

/// Runs `command` and returns its standard output, or what went wrong
/// (git missing, or its own message).
fn output(mut command: Command, what: &str) -> Result<Vec<u8>, Failure> {
    let output = command.output().map_err(|err| {
        Failure(if err.kind() == std::io::ErrorKind::NotFound {
            format!("`git {what}` could not run: no `git` executable on PATH")
        } else {
            format!("`git {what}` could not run: {err}")
        })
    })?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(Failure(git_message(&output.stderr, what)))
    }
}

/// git's own message (its `fatal:` lines, hints included), on one line.
fn git_message(stderr: &[u8], what: &str) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    if lines.is_empty() {
        format!("`git {what}` failed")
    } else {
        lines.join(" ")
    }
}

/// What `git rev-parse` says about the repository around a folder.
#[derive(Debug)]
pub(crate) struct Found {
    pub(crate) git_dir: PathBuf,
    /// `None` for a bare repository.
    pub(crate) work_tree: Option<PathBuf>,
}

/// Asks git for the repository around `dir`, with `env` (`GIT_DIR`,
/// `GIT_WORK_TREE`, absolute) as the caller's environment gives them.
/// `Ok(None)`: git finds no repository there.
pub(crate) fn discover(dir: &Path, env: &[(&str, &Path)]) -> Result<Option<Found>, Failure> {
    let mut command = base();
    command.current_dir(dir);
    for (name, value) in env {
        command.env(name, value);
    }
    command.args(["rev-parse", "--absolute-git-dir", "--is-bare-repository"]);
    let text = match output(command, "rev-parse") {
        Ok(text) => text,
        Err(Failure(message)) if message.contains("not a git repository") => return Ok(None),
        Err(failure) => return Err(failure),
    };
    let text = String::from_utf8_lossy(&text);
    let mut lines = text.lines();
    let git_dir = PathBuf::from(lines.next().unwrap_or_default());
    let bare = lines.next() == Some("true");
    if bare {
        return Ok(Some(Found {
            git_dir,
            work_tree: None,
        }));
    }
    let mut command = base();
    command.current_dir(dir);
    for (name, value) in env {
        command.env(name, value);
    }
    command.args(["rev-parse", "--show-toplevel"]);
    let top = output(command, "rev-parse --show-toplevel")?;
    let top = String::from_utf8_lossy(&top);
    let work_tree = top.lines().next().map(PathBuf::from);
    Ok(Some(Found { git_dir, work_tree }))
}

/// One repository, named explicitly for every command.
#[derive(Clone, Debug)]
pub(crate) struct Git {
    pub(crate) git_dir: PathBuf,
    pub(crate) work_tree: PathBuf,
    pub(crate) index_file: PathBuf,
}

/// A raw `git diff-index` / `diff-tree` record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawChange {
    pub(crate) old_mode: u32,
    pub(crate) new_mode: u32,
    /// Hex ids; all zeros for a missing side.
    pub(crate) old_id: String,
    pub(crate) new_id: String,
    /// `A`, `M`, `D`, `T` (no renames: they are paired by the caller).
    pub(crate) status: u8,
    pub(crate) path: String,
}

/// One index entry as `git ls-files --stage` lists it.
#[derive(Clone, Debug)]
pub(crate) struct StageEntry {
    pub(crate) mode: u32,
    pub(crate) id: String,
    pub(crate) stage: u8,
    pub(crate) path: String,
}

impl Git {
    fn command(&self, args: &[&str]) -> Command {
        let mut command = base();
        command
            .arg(concat_arg("--git-dir=", &self.git_dir))
            .arg(concat_arg("--work-tree=", &self.work_tree))
            .env("GIT_INDEX_FILE", &self.index_file)
            .current_dir(&self.work_tree)
            .args(args);
        command
    }

    fn run(&self, args: &[&str]) -> Result<Vec<u8>, Failure> {
        output(self.command(args), &args.join(" "))
    }

    /// The HEAD commit's id; `None` before the first commit.
    pub(crate) fn head(&self) -> Result<Option<String>, Failure> {
        match self.run(&["rev-parse", "-q", "--verify", "HEAD^{commit}"]) {
            Ok(out) => Ok(Some(String::from_utf8_lossy(&out).trim().to_owned())),
            // `-q --verify` fails quietly on an unborn branch.
            Err(Failure(message)) if message.ends_with("failed") => Ok(None),
            Err(failure) => Err(failure),
        }
    }

    /// A config value as git reads it for this repository; `None` when it
    /// is not set.
    pub(crate) fn config_value(&self, key: &str) -> Option<String> {
        let out = self.run(&["config", "--get", key]).ok()?;
        Some(String::from_utf8_lossy(&out).trim_end().to_owned())
    }

    /// Whether the repository is a shallow clone.
    pub(crate) fn is_shallow(&self) -> bool {
        self.run(&["rev-parse", "--is-shallow-repository"])
            .is_ok_and(|out| out.starts_with(b"true"))
    }

    /// The index compared with `tree` (HEAD's commit; `None`: the empty
    /// tree), every path, without rename detection.
    pub(crate) fn diff_index(&self, head: Option<&str>) -> Result<Vec<RawChange>, Failure> {
        let empty;
        let base = match head {
            Some(head) => head,
            None => {
                empty = self.empty_tree()?;
                &empty
            }
        };
        let out = self.run(&[
            "diff-index",
            "--cached",
            "-z",
            "--raw",
            "--no-renames",
            "--ignore-submodules=all",
            base,
            "--",
        ])?;
        parse_raw(&out)
    }

    /// The differences between two commits (`old..new` trees), no renames.
    pub(crate) fn diff_tree(&self, old: &str, new: &str) -> Result<Vec<RawChange>, Failure> {
        let out = self.run(&[
            "diff-tree",
            "-r",
            "-z",
            "--raw",
            "--no-renames",
            old,
            new,
            "--",
        ])?;
        parse_raw(&out)
    }

    fn empty_tree(&self) -> Result<String, Failure> {
        let mut command = self.command(&["hash-object", "-t", "tree", "--stdin"]);
        command.stdin(Stdio::piped()).stdout(Stdio::piped());
        let child = command
            .spawn()
            .map_err(|err| Failure(format!("`git hash-object` could not run: {err}")))?;
        // Closing standard input at once: the empty tree is no bytes.
        let out = child
            .wait_with_output()
            .map_err(|err| Failure(format!("`git hash-object` failed: {err}")))?;
        if !out.status.success() {
            return Err(Failure(git_message(&out.stderr, "hash-object")));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    }

    /// Resolves a revision to a commit id.
    pub(crate) fn commit_of(&self, revision: &str) -> Result<String, Failure> {
        let spec = format!("{revision}^{{commit}}");
        let out = self.run(&["rev-parse", "--verify", "--end-of-options", &spec])?;
        Ok(String::from_utf8_lossy(&out).trim().to_owned())
    }

    pub(crate) fn merge_base(&self, a: &str, b: &str) -> Result<String, Failure> {
        let out = self.run(&["merge-base", a, b])?;
        Ok(String::from_utf8_lossy(&out).trim().to_owned())
    }

    /// Every entry of the index, as git sees it (a sparse index expanded).
    pub(crate) fn ls_files(&self) -> Result<Vec<StageEntry>, Failure> {
        let out = self.run(&["ls-files", "--stage", "-z"])?;
        let mut entries = Vec::new();
        for record in out.split(|&b| b == 0).filter(|r| !r.is_empty()) {
            let bad = || Failure("`git ls-files` gave output milepost cannot read".into());
            let tab = record.iter().position(|&b| b == b'\t').ok_or_else(bad)?;
            let head = std::str::from_utf8(&record[..tab]).map_err(|_| bad())?;
            let mut fields = head.split(' ');
            let mode = fields
                .next()
                .and_then(|m| u32::from_str_radix(m, 8).ok())
                .ok_or_else(bad)?;
            let id = fields.next().ok_or_else(bad)?.to_owned();
            let stage = fields.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
            entries.push(StageEntry {
                mode,
                id,
                stage,
                path: String::from_utf8_lossy(&record[tab + 1..]).into_owned(),
            });
        }
        Ok(entries)
    }

    /// The contents of objects named by `specs` (ids, or `HEAD:path`), in
    /// order; `None` for one that is missing or not a blob. One process
    /// for all of them.
    pub(crate) fn blobs(&self, specs: &[String]) -> Result<Vec<Option<Vec<u8>>>, Failure> {
        if specs.is_empty() {
            return Ok(Vec::new());
        }
        let mut command = self.command(&["cat-file", "--batch"]);
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .map_err(|err| Failure(format!("`git cat-file` could not run: {err}")))?;
        let mut input = Vec::new();
        for spec in specs {
            // A name with a newline cannot be asked for on this protocol.
            if spec.contains('\n') {
                input.extend_from_slice(b"\n");
            } else {
                input.extend_from_slice(spec.as_bytes());
                input.push(b'\n');
            }
        }
        let stdin = child.stdin.take();
        // Written from a thread: git answers while it reads, and both pipes
        // filling up would block both processes.
        let writer = std::thread::spawn(move || {
            if let Some(mut stdin) = stdin {
                let _ = stdin.write_all(&input);
            }
        });
        let mut results = Vec::with_capacity(specs.len());
        let read = child.stdout.take().map(|stdout| {
            let mut reader = BufReader::new(stdout);
            for _ in specs {
                results.push(read_batch_record(&mut reader)?);
            }
            Ok::<(), Failure>(())
        });
        let _ = writer.join();
        let status = child.wait();
        match read {
            Some(Ok(())) => Ok(results),
            Some(Err(failure)) => Err(failure),
            None => Err(Failure("`git cat-file` gave no output".into())),
        }
        .and_then(|results| match status {
            Ok(status) if status.success() => Ok(results),
            _ => Err(Failure("`git cat-file --batch` failed".into())),
        })
    }
}

/// One answer of `git cat-file --batch`.
fn read_batch_record(reader: &mut impl BufRead) -> Result<Option<Vec<u8>>, Failure> {
    let bad = || Failure("`git cat-file` gave output milepost cannot read".into());
    let mut header = Vec::new();
    reader.read_until(b'\n', &mut header).map_err(|_| bad())?;
    let header = String::from_utf8_lossy(&header);
    let fields: Vec<&str> = header.trim_end().split(' ').collect();
    match fields.as_slice() {
        [_, kind, size] if !kind.is_empty() => {
            let size: u64 = size.parse().map_err(|_| bad())?;
            let mut data = Vec::new();
            reader
                .by_ref()
                .take(size)
                .read_to_end(&mut data)
                .map_err(|_| bad())?;
            if data.len() as u64 != size {
                return Err(bad());
            }
            let mut newline = [0u8; 1];
            reader.read_exact(&mut newline).map_err(|_| bad())?;
            Ok((*kind == "blob").then_some(data))
        }
        // `<name> missing`, `<name> ambiguous`, and the empty line asked
        // for a name that cannot be sent.
        _ => Ok(None),
    }
}

/// Parses `--raw -z` output: `:old new oldid newid S\0path\0` records.
fn parse_raw(out: &[u8]) -> Result<Vec<RawChange>, Failure> {
    let bad = || Failure("`git diff` gave output milepost cannot read".into());
    let mut changes = Vec::new();
    let mut fields = out.split(|&b| b == 0);
    while let Some(head) = fields.next() {
        if head.is_empty() {
            continue;
        }
        let head =
            std::str::from_utf8(head.strip_prefix(b":").ok_or_else(bad)?).map_err(|_| bad())?;
        let parts: Vec<&str> = head.split(' ').collect();
        let [old_mode, new_mode, old_id, new_id, status] = parts.as_slice() else {
            return Err(bad());
        };
        let path = fields.next().ok_or_else(bad)?;
        let mode = |m: &str| u32::from_str_radix(m, 8).map_err(|_| bad());
        changes.push(RawChange {
            old_mode: mode(old_mode)?,
            new_mode: mode(new_mode)?,
            old_id: (*old_id).to_owned(),
            new_id: (*new_id).to_owned(),
            status: status.bytes().next().ok_or_else(bad)?,
            path: String::from_utf8_lossy(path).into_owned(),
        });
    }
    Ok(changes)
}

fn concat_arg(flag: &str, path: &Path) -> std::ffi::OsString {
    let mut arg = std::ffi::OsString::from(flag);
    arg.push(OsStr::new(path));
    arg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_raw_records() {
        let out = b":000000 100644 0000 abcd A\0docs/a b.rst\0:100755 100644 1111 2222 M\0x\0";
        let changes = parse_raw(out).expect("parses");
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].path, "docs/a b.rst");
        assert_eq!(changes[0].status, b'A');
        assert_eq!(changes[1].old_mode, 0o100755);
        assert!(parse_raw(b":100644 broken\0x\0").is_err());
    }

    #[test]
    fn reads_batch_records() {
        let mut input: &[u8] = b"abc blob 3\nxyz\nHEAD:nope missing\nabd tree 0\n\n";
        assert_eq!(
            read_batch_record(&mut input).expect("one"),
            Some(b"xyz".to_vec())
        );
        assert_eq!(read_batch_record(&mut input).expect("two"), None);
        assert_eq!(read_batch_record(&mut input).expect("three"), None);
    }
}
