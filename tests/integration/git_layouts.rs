//! Every repository layout git can hand milepost: the right answer, or a
//! clear failure (exit 2), never a silent skip.
//!
//! Each layout is made with the real `git` command, in a temporary folder,
//! with no system or user configuration (`GIT_CONFIG_NOSYSTEM`, a fresh
//! `HOME`). The table test stages the same reports in each layout (one of
//! them under a folder that a sparse checkout collapses) and compares what
//! `Repo::staged` returns with what git itself says is staged.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use milepost::git::{FileMode, GitEnv, Repo};
use tempfile::TempDir;

use crate::support::binary;

fn git_available() -> bool {
    Command::new("git").arg("--version").output().is_ok()
}

/// A temporary home for one layout, and the environment git runs with.
struct Place {
    dir: TempDir,
    /// Extra variables for git (the layout's GIT_DIR and so on).
    vars: Vec<(&'static str, OsString)>,
}

impl Place {
    fn new() -> Place {
        let dir = tempfile::Builder::new()
            .prefix("milepost-layout-")
            .tempdir()
            .expect("temporary folder");
        std::fs::create_dir_all(dir.path().join("home")).expect("home");
        Place {
            dir,
            vars: Vec::new(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A `git` command with a clean configuration, in `cwd`.
    fn command(&self, cwd: &Path, args: &[&str]) -> Command {
        let mut command = Command::new("git");
        command
            .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
            .args([
                "-c",
                "init.defaultBranch=main",
                "-c",
                "advice.sparseIndexExpanded=false",
            ])
            .args(args)
            .current_dir(cwd)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.path().join("home"))
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE");
        for (name, value) in &self.vars {
            command.env(name, value);
        }
        command
    }

    fn git(&self, cwd: &Path, args: &[&str]) -> Output {
        let output = self.command(cwd, args).output().expect("run git");
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// What git says is staged: added and modified paths (no rename
    /// detection), with their staged content.
    fn git_staged(&self, cwd: &Path) -> Vec<(String, Vec<u8>)> {
        let out = self.git(
            cwd,
            &[
                "-c",
                "core.quotepath=off",
                "diff",
                "--cached",
                "--name-only",
                "--no-renames",
                "--diff-filter=AM",
                "-z",
            ],
        );
        let mut staged: Vec<(String, Vec<u8>)> = out
            .stdout
            .split(|&b| b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| {
                let path = String::from_utf8(p.to_vec()).expect("utf-8 path");
                // `:./path` would be relative to cwd; `:path` is from the top.
                let content = self.git(cwd, &["show", &format!(":{path}")]).stdout;
                (path, content)
            })
            .collect();
        staged.sort();
        staged
    }
}

fn write(root: &Path, path: &str, text: &str) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
    std::fs::write(full, text).expect("write");
}

fn report(week: u32, extra: &str) -> String {
    format!(
        "Statusrapport uke {week}\n======================\n\nFullført\n--------\n\n* ting {week}\n{extra}"
    )
}

/// One repository layout, ready to be asked.
struct Layout {
    name: &'static str,
    place: Place,
    /// The top of the work tree.
    root: PathBuf,
    /// Where milepost (and git) are run from.
    cwd: PathBuf,
    env: GitEnv,
}

impl Layout {
    fn open(&self) -> Repo {
        Repo::discover_with(&self.cwd, &self.env)
            .unwrap_or_else(|err| panic!("{}: {err}", self.name))
            .unwrap_or_else(|| panic!("{}: no repository found", self.name))
    }
}

/// Commits the base reports, lets `prepare` change the layout, stages the
/// week's work (commits it and soft-resets, so that whatever the layout
/// does on commit, e.g. collapsing folders, is in the index), and returns
/// the work tree's root.
fn populate(place: &Place, root: &Path, after_base: &dyn Fn(&Place, &Path)) {
    write(root, "README", "readme\n");
    write(root, "docs/status/2016_uke_37.rst", &report(37, ""));
    write(root, "docs/old/2015_uke_50.rst", &report(50, ""));
    write(root, "docs/old/deep/2015_uke_51.rst", &report(51, ""));
    place.git(root, &["add", "-A"]);
    place.git(root, &["commit", "-q", "-m", "base"]);
    after_base(place, root);
    // The week: a new report, an edited one, one under the folder that a
    // sparse checkout collapses, and one with a non-ASCII name.
    write(root, "docs/status/2016_uke_37.rst", &report(37, "* mer\n"));
    write(root, "docs/status/2016_uke_38.rst", &report(38, ""));
    write(root, "docs/status/2016_uke_39_møte.rst", &report(39, ""));
    let hidden = "new\n";
    let id = {
        let mut command = place.command(root, &["hash-object", "-w", "--stdin"]);
        command
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped());
        let mut child = command.spawn().expect("hash-object");
        use std::io::Write as _;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(format!("{}{hidden}", report(40, "")).as_bytes())
            .expect("write");
        let out = child.wait_with_output().expect("hash-object");
        String::from_utf8(out.stdout).expect("id").trim().to_owned()
    };
    place.git(
        root,
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("100644,{id},docs/old/2016_uke_40.rst"),
        ],
    );
    place.git(
        root,
        &[
            "add",
            "--sparse",
            "docs/status/2016_uke_37.rst",
            "docs/status/2016_uke_38.rst",
            "docs/status/2016_uke_39_møte.rst",
        ],
    );
    place.git(root, &["commit", "-q", "-m", "week"]);
    // Collapses the folders outside the cone again (fails harmlessly
    // outside a sparse checkout).
    let _ = place
        .command(root, &["sparse-checkout", "reapply"])
        .output();
    place.git(root, &["reset", "-q", "--soft", "HEAD~1"]);
}

fn plain_layout(name: &'static str, init: &[&str], after_base: &dyn Fn(&Place, &Path)) -> Layout {
    let place = Place::new();
    let root = place.path().join("repo");
    std::fs::create_dir_all(&root).expect("mkdir");
    let mut args = vec!["init", "-q"];
    args.extend_from_slice(init);
    place.git(&root, &args);
    populate(&place, &root, after_base);
    let cwd = root.join("docs");
    Layout {
        name,
        env: GitEnv {
            cwd: cwd.clone(),
            ..GitEnv::default()
        },
        place,
        root,
        cwd,
    }
}

fn nothing(_: &Place, _: &Path) {}

fn layouts() -> Vec<Layout> {
    let mut all = vec![
        plain_layout("plain", &[], &nothing),
        plain_layout("index v4", &[], &|place, root| {
            place.git(root, &["update-index", "--index-version", "4"]);
        }),
        plain_layout("sparse index", &[], &|place, root| {
            place.git(root, &["sparse-checkout", "init", "--cone"]);
            place.git(root, &["config", "index.sparse", "true"]);
            place.git(root, &["sparse-checkout", "set", "docs/status"]);
        }),
        plain_layout("split index", &[], &|place, root| {
            place.git(root, &["config", "core.splitIndex", "true"]);
            place.git(root, &["update-index", "--split-index"]);
        }),
        plain_layout("sha256", &["--object-format=sha256"], &nothing),
        plain_layout("reftable", &["--ref-format=reftable"], &nothing),
    ];

    // GIT_DIR and GIT_WORK_TREE exported, the git dir outside the work
    // tree, and no core.worktree to find it by.
    let mut place = Place::new();
    let git_dir = place.path().join("store.git");
    let root = place.path().join("work");
    std::fs::create_dir_all(&root).expect("mkdir");
    place.vars = vec![
        ("GIT_DIR", git_dir.clone().into_os_string()),
        ("GIT_WORK_TREE", root.clone().into_os_string()),
    ];
    place.git(&root, &["init", "-q"]);
    place.git(&root, &["config", "--unset", "core.worktree"]);
    populate(&place, &root, &nothing);
    let cwd = root.join("docs");
    all.push(Layout {
        name: "GIT_DIR and GIT_WORK_TREE",
        env: GitEnv {
            git_dir: Some(git_dir),
            work_tree: Some(root.clone()),
            index_file: None,
            cwd: cwd.clone(),
        },
        place,
        root,
        cwd,
    });

    // A relative GIT_INDEX_FILE, run from a subfolder: git takes it from
    // the top of the work tree. The staged work is only in that index.
    let mut layout = plain_layout("relative GIT_INDEX_FILE", &[], &nothing);
    std::fs::copy(
        layout.root.join(".git/index"),
        layout.root.join(".git/hook-index"),
    )
    .expect("copy index");
    layout.place.git(&layout.root, &["reset", "-q"]);
    layout.place.vars = vec![("GIT_INDEX_FILE", ".git/hook-index".into())];
    layout.env.index_file = Some(PathBuf::from(".git/hook-index"));
    all.push(layout);
    all
}

#[test]
fn staged_agrees_with_git_in_every_layout() {
    if !git_available() {
        eprintln!("skipped: no git command");
        return;
    }
    for layout in layouts() {
        let expected = layout.place.git_staged(&layout.cwd);
        assert_eq!(expected.len(), 4, "{}: {expected:?}", layout.name);
        let repo = layout.open();
        assert_eq!(
            repo.workdir(),
            layout.root.canonicalize().expect("root"),
            "{}",
            layout.name
        );
        let staged: Vec<(String, Vec<u8>)> = repo
            .staged()
            .unwrap_or_else(|err| panic!("{}: {err}", layout.name))
            .into_iter()
            .map(|f| (f.path, f.content))
            .collect();
        let names = |list: &[(String, Vec<u8>)]| -> Vec<String> {
            list.iter().map(|(p, _)| p.clone()).collect()
        };
        assert_eq!(names(&staged), names(&expected), "{}", layout.name);
        assert_eq!(staged, expected, "{}: contents", layout.name);

        // The whole index as it will be committed.
        let snapshot = repo
            .index_snapshot()
            .unwrap_or_else(|err| panic!("{}: {err}", layout.name));
        for (path, content) in &expected {
            assert!(snapshot.contains_file(path), "{}: {path}", layout.name);
            assert_eq!(
                snapshot.content(path).as_ref(),
                Some(content),
                "{}: {path}",
                layout.name
            );
        }
        for path in ["docs/old/2015_uke_50.rst", "docs/old/deep/2015_uke_51.rst"] {
            assert!(snapshot.contains_file(path), "{}: {path}", layout.name);
        }
        for dir in ["docs", "docs/old", "docs/old/deep", ""] {
            assert!(snapshot.contains_dir(dir), "{}: {dir}", layout.name);
        }
        assert!(!snapshot.contains_file("docs/old"), "{}", layout.name);
        assert!(
            !snapshot.contains_dir("docs/old/2015_uke_50.rst"),
            "{}",
            layout.name
        );
        assert!(
            !snapshot.contains_file("docs/old/nope.rst"),
            "{}",
            layout.name
        );

        // What HEAD holds, through whichever backend.
        let head = repo
            .read_head("docs/old/2015_uke_50.rst")
            .unwrap_or_else(|err| panic!("{}: {err}", layout.name));
        assert_eq!(head, Some(report(50, "").into_bytes()), "{}", layout.name);
        assert_eq!(
            repo.read_head("docs/status/2016_uke_38.rst").expect("read"),
            None,
            "{}",
            layout.name
        );
    }
}

/// The layouts libgit2 cannot read are read through git, and say so.
#[test]
fn layouts_libgit2_cannot_read_fall_back_to_git() {
    if !git_available() {
        eprintln!("skipped: no git command");
        return;
    }
    for (name, init) in [
        ("sha256", "--object-format=sha256"),
        ("reftable", "--ref-format=reftable"),
    ] {
        let layout = plain_layout(name, &[init], &nothing);
        let repo = layout.open();
        assert!(repo.fallback_reason().is_some(), "{name}");
        // History needs libgit2: a clear error, not an empty history.
        let err = repo
            .history(&|_| true, &[], None)
            .expect_err("no history through git")
            .to_string();
        assert!(err.contains("late-report"), "{name}: {err}");
        assert!(err.contains("libgit2"), "{name}: {err}");
        // changed_since works through git.
        let changed = repo.changed_since("HEAD").expect("changed since");
        assert!(changed.is_empty(), "{name}: {changed:?}");
    }
}

/// Runs the milepost binary in `cwd` with a clean git environment plus
/// `vars`.
fn milepost(place: &Place, cwd: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(binary());
    command
        .args(args)
        .current_dir(cwd)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", place.path().join("home"))
        .env("NO_COLOR", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    for (name, value) in &place.vars {
        command.env(name, value);
    }
    command.output().expect("run milepost")
}

fn staged_paths_of(output: &Output) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "{err}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let mut paths: Vec<String> = json["findings"]
        .as_array()
        .map(|findings| {
            findings
                .iter()
                .filter_map(|f| f["path"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    paths.dedup();
    assert_eq!(json["summary"]["files"], paths.len(), "{json}");
    paths
}

/// The hook, run as git would run it in each layout, checks the staged
/// reports (it used to check nothing, or fail, in several of them).
#[test]
fn the_hook_checks_the_staged_reports_in_every_layout() {
    if !git_available() {
        eprintln!("skipped: no git command");
        return;
    }
    for layout in layouts() {
        let output = milepost(
            &layout.place,
            &layout.cwd,
            &["check", "--staged", "--format", "json"],
        );
        assert_ne!(
            output.status.code(),
            Some(2),
            "{}: {}",
            layout.name,
            String::from_utf8_lossy(&output.stderr)
        );
        let paths = staged_paths_of(&output);
        assert_eq!(
            paths,
            [
                "docs/old/2016_uke_40.rst",
                "docs/status/2016_uke_37.rst",
                "docs/status/2016_uke_38.rst",
                "docs/status/2016_uke_39_møte.rst"
            ],
            "{}",
            layout.name
        );
    }
}

/// Repositories git itself refuses: exit 2 with git's reason, not "not a
/// git repository" and the history rules silently off.
#[test]
fn repositories_git_refuses_fail_clearly() {
    if !git_available() {
        eprintln!("skipped: no git command");
        return;
    }
    let place = Place::new();
    let root = place.path().join("repo");
    std::fs::create_dir_all(&root).expect("mkdir");
    place.git(&root, &["init", "-q"]);
    write(&root, "docs/2016_uke_38.rst", &report(38, ""));
    place.git(&root, &["config", "core.repositoryformatversion", "1"]);
    place.git(&root, &["config", "extensions.foo", "true"]);
    let err = Repo::discover_with(
        &root.join("docs"),
        &GitEnv {
            cwd: root.clone(),
            ..GitEnv::default()
        },
    )
    .expect_err("unknown extension")
    .to_string();
    assert!(err.contains("unknown repository extension"), "{err}");
    let output = milepost(&place, &root.join("docs"), &["check"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("foo"), "{stderr}");

    // "Dubious ownership": a repository owned by another user. Only root
    // can make one (chown); elsewhere this part is skipped.
    let owned = place.path().join("owned");
    std::fs::create_dir_all(&owned).expect("mkdir");
    place.git(&owned, &["init", "-q"]);
    let chowned = Command::new("chown")
        .args(["-R", "12345:12345"])
        .arg(&owned)
        .status()
        .is_ok_and(|s| s.success());
    let refused = place
        .command(&owned, &["status"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stderr).contains("dubious ownership"));
    if chowned && refused {
        let err = Repo::discover_with(
            &owned,
            &GitEnv {
                cwd: owned.clone(),
                ..GitEnv::default()
            },
        )
        .expect_err("dubious ownership")
        .to_string();
        assert!(err.contains("dubious ownership"), "{err}");
        assert!(err.contains("safe.directory"), "{err}");
        let output = milepost(&place, &owned, &["check"]);
        assert_eq!(output.status.code(), Some(2));
    } else {
        eprintln!("dubious ownership not simulated: not root, or git does not refuse");
    }
}

/// A `git mv` of a report is staged as a rename: the new path says where
/// it came from; a symbolic link and an executable say what they are.
#[test]
fn staged_renames_and_modes() {
    if !git_available() {
        eprintln!("skipped: no git command");
        return;
    }
    let place = Place::new();
    let root = place.path().join("repo");
    std::fs::create_dir_all(&root).expect("mkdir");
    place.git(&root, &["init", "-q"]);
    write(
        &root,
        "status/2016_uke_37.rst",
        &report(37, "* a\n* b\n* c\n"),
    );
    write(
        &root,
        "status/2016_uke_36.rst",
        &report(36, "* a\n* b\n* c\n* d\n"),
    );
    place.git(&root, &["add", "-A"]);
    place.git(&root, &["commit", "-q", "-m", "base"]);
    std::fs::create_dir_all(root.join("docs")).expect("mkdir");
    place.git(
        &root,
        &["mv", "status/2016_uke_37.rst", "docs/2016_uke_37.rst"],
    );
    place.git(&root, &["mv", "status/2016_uke_36.rst", "docs/uke_36.rst"]);
    write(
        &root,
        "docs/uke_36.rst",
        &report(36, "* a\n* b\n* c\n* e\n"),
    );
    place.git(&root, &["add", "docs/uke_36.rst"]);
    std::os::unix::fs::symlink("2016_uke_37.rst", root.join("docs/latest.rst")).expect("symlink");
    write(&root, "tools/run.sh", "#!/bin/sh\n");
    place.git(&root, &["add", "docs/latest.rst", "tools/run.sh"]);
    place.git(&root, &["update-index", "--chmod=+x", "tools/run.sh"]);

    let repo = Repo::discover_with(
        &root,
        &GitEnv {
            cwd: root.clone(),
            ..GitEnv::default()
        },
    )
    .expect("discover")
    .expect("repository");
    let staged = repo.staged().expect("staged");
    let summary: Vec<(&str, FileMode, Option<&str>)> = staged
        .iter()
        .map(|f| (f.path.as_str(), f.mode, f.renamed_from.as_deref()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "docs/2016_uke_37.rst",
                FileMode::Regular,
                Some("status/2016_uke_37.rst")
            ),
            ("docs/latest.rst", FileMode::Symlink, None),
            (
                "docs/uke_36.rst",
                FileMode::Regular,
                Some("status/2016_uke_36.rst")
            ),
            ("tools/run.sh", FileMode::Executable, None),
        ]
    );
    assert_eq!(staged[1].content, b"2016_uke_37.rst");
}

/// A tree `depth` folders deep under `deep/`, beside a report, committed.
fn deep_repository(depth: usize) -> (TempDir, git2::Oid) {
    let dir = tempfile::tempdir().expect("temp");
    let repo = git2::Repository::init(dir.path()).expect("init");
    let blob = repo.blob(report(38, "").as_bytes()).expect("blob");
    let mut tree = {
        let mut builder = repo.treebuilder(None).expect("builder");
        builder.insert("x.rst", blob, 0o100644).expect("insert");
        builder.write().expect("tree")
    };
    for _ in 0..depth {
        let mut builder = repo.treebuilder(None).expect("builder");
        builder.insert("d", tree, 0o040000).expect("insert");
        tree = builder.write().expect("tree");
    }
    let docs = {
        let mut builder = repo.treebuilder(None).expect("builder");
        builder
            .insert("2016_uke_38.rst", blob, 0o100644)
            .expect("insert");
        builder.write().expect("tree")
    };
    let mut root = repo.treebuilder(None).expect("builder");
    root.insert("deep", tree, 0o040000).expect("insert");
    root.insert("docs", docs, 0o040000).expect("insert");
    let root = repo
        .find_tree(root.write().expect("root"))
        .expect("root tree");
    let sig = git2::Signature::new("T", "t@example.org", &git2::Time::new(1_474_300_800, 0))
        .expect("sig");
    let commit = repo
        .commit(Some("HEAD"), &sig, &sig, "deep", &root, &[])
        .expect("commit");
    (dir, commit)
}

/// A history tree nested 10,000 folders deep used to overflow the stack
/// (exit 134): the comparison of trees is iterative now, on a test
/// thread's 2 MiB stack too.
#[test]
fn deep_trees_do_not_overflow_the_stack() {
    let (dir, _) = deep_repository(10_000);
    let repo = Repo::discover_with(
        dir.path(),
        &GitEnv {
            cwd: dir.path().to_path_buf(),
            ..GitEnv::default()
        },
    )
    .expect("discover")
    .expect("repository");
    let history = repo.history(&|_| true, &[], None).expect("history");
    assert_eq!(history.files.len(), 2);
    assert!(history.files.contains_key("docs/2016_uke_38.rst"));
    let deep = format!("deep/{}x.rst", "d/".repeat(10_000));
    assert!(history.files.contains_key(&deep));
    let history = repo
        .history(&|_| true, &["docs".to_string()], None)
        .expect("history");
    assert_eq!(history.files.len(), 1);
}

/// An index whose header claims 2^31 entries used to ask for 85 GB (exit
/// 134); now the hook fails with git's own complaint about the file.
#[test]
fn an_index_claiming_too_many_entries_fails_clearly() {
    if !git_available() {
        eprintln!("skipped: no git command");
        return;
    }
    let place = Place::new();
    let root = place.path().join("repo");
    std::fs::create_dir_all(&root).expect("mkdir");
    place.git(&root, &["init", "-q"]);
    write(&root, "docs/2016_uke_38.rst", &report(38, ""));
    place.git(&root, &["add", "-A"]);
    let index = root.join(".git/index");
    let mut data = std::fs::read(&index).expect("index");
    data[8..12].copy_from_slice(&0x8000_0000u32.to_be_bytes());
    std::fs::write(&index, data).expect("write");
    let output = milepost(&place, &root, &["check", "--staged"]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(".git/index"), "{stderr}");
    assert!(stderr.contains("git says"), "{stderr}");
}

/// Names committed decomposed (NFD, as macOS writes them) or in Latin-1
/// (not UTF-8 at all) are found in the history under the names milepost
/// prints, so late-report fires for them as for any other.
#[test]
fn decomposed_and_latin1_names_have_a_history() {
    if !git_available() {
        eprintln!("skipped: no git command");
        return;
    }
    use std::os::unix::ffi::OsStrExt;
    let mut place = Place::new();
    let root = place.path().join("repo");
    std::fs::create_dir_all(root.join("docs")).expect("mkdir");
    place.git(&root, &["init", "-q"]);
    let nfd = "docs/2016_uke_38_mo\u{0308}te.rst";
    write(&root, nfd, &crate::support::good_report(38));
    let latin1 = root.join(std::ffi::OsStr::from_bytes(b"docs/2016_uke_39_m\xf8te.rst"));
    std::fs::write(&latin1, crate::support::good_report(39)).expect("write");
    place.git(&root, &["add", "-A"]);
    place.vars = vec![
        ("GIT_AUTHOR_DATE", "2017-03-01T12:00:00Z".into()),
        ("GIT_COMMITTER_DATE", "2017-03-01T12:00:00Z".into()),
    ];
    place.git(&root, &["commit", "-q", "-m", "late"]);

    let repo = Repo::discover_with(
        &root,
        &GitEnv {
            cwd: root.clone(),
            ..GitEnv::default()
        },
    )
    .expect("discover")
    .expect("repository");
    let history = repo.history(&|_| true, &[], None).expect("history");
    let mut keys: Vec<&str> = history.files.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "docs/2016_uke_38_m\u{f6}te.rst",
            "docs/2016_uke_39_m\u{fffd}te.rst"
        ]
    );

    let output = milepost(&place, &root, &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let late: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "late-report")
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(
        late,
        [
            "docs/2016_uke_38_m\u{f6}te.rst",
            "docs/2016_uke_39_m\u{fffd}te.rst"
        ],
        "{json}"
    );
}

/// Reports inside a submodule get the submodule's history (the
/// superproject only has a gitlink there): late-report fires for them.
#[test]
fn reports_in_a_submodule_have_its_history() {
    if !git_available() {
        eprintln!("skipped: no git command");
        return;
    }
    let mut place = Place::new();
    let sub = place.path().join("sub");
    let top = place.path().join("top");
    for dir in [&sub, &top] {
        std::fs::create_dir_all(dir).expect("mkdir");
        place.git(dir, &["init", "-q"]);
    }
    write(
        &sub,
        "docs/2016_uke_38.rst",
        &crate::support::good_report(38),
    );
    place.git(&sub, &["add", "-A"]);
    place.vars = vec![
        ("GIT_AUTHOR_DATE", "2017-03-01T12:00:00Z".into()),
        ("GIT_COMMITTER_DATE", "2017-03-01T12:00:00Z".into()),
    ];
    place.git(&sub, &["commit", "-q", "-m", "late"]);
    write(&top, "README", "top\n");
    place.git(
        &top,
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            "../sub",
            "sub",
        ],
    );
    place.git(&top, &["commit", "-q", "-m", "with the submodule"]);

    let repo = Repo::discover_with(
        &top,
        &GitEnv {
            cwd: top.clone(),
            ..GitEnv::default()
        },
    )
    .expect("discover")
    .expect("repository");
    let history = repo
        .history(&|path| path.ends_with(".rst"), &[], None)
        .expect("history");
    let file = history
        .files
        .get("sub/docs/2016_uke_38.rst")
        .unwrap_or_else(|| panic!("{:?}", history.files.keys().collect::<Vec<_>>()));
    assert_eq!(file.first.time.to_rfc3339(), "2017-03-01T12:00:00+00:00");

    let output = milepost(&place, &top, &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let late: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "late-report")
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(late, ["sub/docs/2016_uke_38.rst"], "{json}");
}
