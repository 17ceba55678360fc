//! The git layer against real repositories, built with git2 so that every
//! commit's time is controlled (the `git` CLI is only used to make a
//! shallow clone, which git2 cannot).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use git2::{Index, IndexEntry, IndexTime, Oid, Repository, RepositoryInitOptions, Signature, Time};
use milepost::git::{FileHistory, History, Repo};
use tempfile::TempDir;

const DAY: i64 = 86_400;
/// 2016-09-19 00:00 UTC, a Monday of week 38.
const T0: i64 = 1_474_243_200;

/// A repository whose commits are built from complete file sets.
struct Fixture {
    dir: TempDir,
    repo: Repository,
}

type Files = BTreeMap<String, String>;

fn files(list: &[(&str, &str)]) -> Files {
    list.iter()
        .map(|(p, c)| (p.to_string(), c.to_string()))
        .collect()
}

fn report(week: u32, items: &[&str]) -> String {
    let mut text =
        format!("Statusrapport uke {week}\n======================\n\nFullført\n--------\n\n");
    for item in items {
        text.push_str(&format!("* {item}\n"));
    }
    text
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::Builder::new()
            .prefix("milepost-git-")
            .tempdir()
            .expect("temporary folder");
        let mut options = RepositoryInitOptions::new();
        options.initial_head("main");
        let repo = Repository::init_opts(dir.path(), &options).expect("init");
        Fixture { dir, repo }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn open(&self) -> Repo {
        Repo::discover(self.path())
            .expect("discover")
            .expect("a repository")
    }

    fn tree(&self, files: &Files) -> Oid {
        let mut index = Index::new().expect("index");
        for (path, content) in files {
            let mode = if content.starts_with("submodule:") {
                0o160000
            } else {
                0o100644
            };
            let id = if mode == 0o160000 {
                Oid::from_str(content.trim_start_matches("submodule:")).expect("oid")
            } else {
                self.repo.blob(content.as_bytes()).expect("blob")
            };
            index
                .add(&IndexEntry {
                    ctime: IndexTime::new(0, 0),
                    mtime: IndexTime::new(0, 0),
                    dev: 0,
                    ino: 0,
                    mode,
                    uid: 0,
                    gid: 0,
                    file_size: 0,
                    id,
                    flags: path.len().min(0xfff) as u16,
                    flags_extended: 0,
                    path: path.as_bytes().to_vec(),
                })
                .expect("index add");
        }
        index.write_tree_to(&self.repo).expect("write tree")
    }

    /// Commits `files` (the whole tree) with `parents`, at `time`, and
    /// moves `reference` (e.g. "HEAD" or "refs/heads/side") to it.
    fn commit(&self, reference: &str, parents: &[Oid], time: i64, files: &Files) -> Oid {
        let tree = self.repo.find_tree(self.tree(files)).expect("tree");
        let sig = Signature::new("Ola Nordmann", "ola@example.org", &Time::new(time, 120))
            .expect("signature");
        let parents: Vec<_> = parents
            .iter()
            .map(|p| self.repo.find_commit(*p).expect("parent"))
            .collect();
        let parent_refs: Vec<_> = parents.iter().collect();
        let id = self
            .repo
            .commit(None, &sig, &sig, "commit", &tree, &parent_refs)
            .expect("commit");
        if reference == "HEAD" {
            let head = self.repo.find_reference("HEAD").expect("HEAD");
            match head.symbolic_target().expect("utf-8 target") {
                Some(target) => {
                    self.repo
                        .reference(target, id, true, "commit")
                        .expect("move branch");
                }
                None => {
                    self.repo.set_head_detached(id).expect("detach");
                }
            }
        } else {
            self.repo
                .reference(reference, id, true, "commit")
                .expect("move ref");
        }
        id
    }

    /// Commits on HEAD after `parent` (or as a root).
    fn head(&self, parent: Option<Oid>, day: i64, files: &Files) -> Oid {
        let parents: Vec<Oid> = parent.into_iter().collect();
        self.commit("HEAD", &parents, T0 + day * DAY, files)
    }
}

fn reports(path: &str) -> bool {
    path.ends_with(".rst") || path.ends_with(".md")
}

fn history(repo: &Repo, prefixes: &[&str]) -> History {
    let prefixes: Vec<String> = prefixes.iter().map(|p| p.to_string()).collect();
    let history = repo.history(&reports, &prefixes, None).expect("history");
    assert!(history.notes.is_empty(), "notes: {:?}", history.notes);
    history
}

fn file<'h>(history: &'h History, path: &str) -> &'h FileHistory {
    history
        .files
        .get(path)
        .unwrap_or_else(|| panic!("{path} not in {:?}", history.files.keys()))
}

fn short(id: Oid) -> String {
    id.to_string()[..7].to_owned()
}

#[test]
fn added_reports_are_first_and_last_at_their_commit() {
    let fx = Fixture::new();
    let a = report(38, &["Oppgradere til mitaka"]);
    let b = report(39, &["Felles keystone"]);
    let c1 = fx.head(
        None,
        0,
        &files(&[("status/2016_uke_38.rst", &a), ("conf.py", "x")]),
    );
    let c2 = fx.head(
        Some(c1),
        7,
        &files(&[
            ("status/2016_uke_38.rst", &a),
            ("status/2016_uke_39.rst", &b),
            ("conf.py", "x"),
        ]),
    );
    let h = history(&fx.open(), &[]);
    assert_eq!(h.files.len(), 2, "conf.py is not a report");
    assert!(!h.shallow);
    let w38 = file(&h, "status/2016_uke_38.rst");
    assert_eq!(w38.first.id, c1.to_string());
    assert_eq!(w38.first.short(), short(c1));
    assert_eq!(w38.last.id, c1.to_string());
    assert_eq!(&*w38.first.author, "Ola Nordmann");
    assert_eq!(w38.first.time.to_rfc3339(), "2016-09-19T02:00:00+02:00");
    assert_eq!(w38.versions.len(), 1);
    let w39 = file(&h, "status/2016_uke_39.rst");
    assert_eq!(w39.first.id, c2.to_string());
    assert!(!w39.boundary);
    assert_eq!(h.head.as_deref(), Some(c2.to_string().as_str()));
}

#[test]
fn a_move_into_a_new_folder_keeps_the_first_commit() {
    let fx = Fixture::new();
    let a = report(38, &["Oppgradere til mitaka"]);
    let b = report(39, &["Felles keystone"]);
    let c1 = fx.head(None, 0, &files(&[("status/2016_uke_38.rst", &a)]));
    let c2 = fx.head(
        Some(c1),
        7,
        &files(&[
            ("status/2016_uke_38.rst", &a),
            ("status/2016_uke_39.rst", &b),
        ]),
    );
    // The docs are reorganised: everything moves to docs/status/2016, and
    // one report is edited in the same commit (a link fix).
    let b_fixed = b.replace("keystone", "keystone (se :doc:`plan`)") + "* Ny linje\n";
    let c3 = fx.head(
        Some(c2),
        30,
        &files(&[
            ("docs/status/2016/2016_uke_38.rst", &a),
            ("docs/status/2016/2016_uke_39.rst", &b_fixed),
        ]),
    );
    // Only the new folder is given as a prefix: the walk must still find
    // the sources outside it.
    for prefixes in [&["docs/status"][..], &[][..]] {
        let h = history(&fx.open(), prefixes);
        assert_eq!(h.files.len(), 2);
        let w38 = file(&h, "docs/status/2016/2016_uke_38.rst");
        assert_eq!(w38.first.id, c1.to_string(), "prefixes {prefixes:?}");
        assert_eq!(w38.last.id, c3.to_string(), "a move changes the path");
        assert_eq!(w38.versions.len(), 1, "a pure move is not a new version");
        let w39 = file(&h, "docs/status/2016/2016_uke_39.rst");
        assert_eq!(w39.first.id, c2.to_string());
        assert_eq!(w39.last.id, c3.to_string());
        let ids: Vec<&str> = w39.versions.iter().map(|(c, _)| c.id.as_str()).collect();
        assert_eq!(ids, [c2.to_string(), c3.to_string()]);
    }
}

#[test]
fn a_rename_is_followed_and_history_continues_before_it() {
    let fx = Fixture::new();
    let v1 = report(38, &["a", "b", "c", "d"]);
    let v2 = report(38, &["a", "b", "c", "d", "e"]);
    let c1 = fx.head(None, 0, &files(&[("uke38.rst", &v1)]));
    let c2 = fx.head(Some(c1), 1, &files(&[("uke38.rst", &v2)]));
    let c3 = fx.head(Some(c2), 2, &files(&[("2016_uke_38.rst", &v2)]));
    let h = history(&fx.open(), &[]);
    let f = file(&h, "2016_uke_38.rst");
    assert_eq!(f.first.id, c1.to_string());
    assert_eq!(f.last.id, c3.to_string());
    let ids: Vec<String> = f.versions.iter().map(|(c, _)| c.id.clone()).collect();
    assert_eq!(ids, [c1.to_string(), c2.to_string()]);
    let blob = fx.repo.blob(v2.as_bytes()).expect("blob");
    assert_eq!(f.versions[1].1, blob);
}

#[test]
fn a_copied_and_edited_report_is_new() {
    let fx = Fixture::new();
    let w38 = report(38, &["Oppgradere ceph", "DNS for instanser", "Lansering"]);
    let c1 = fx.head(None, 0, &files(&[("status/2016_uke_38.rst", &w38)]));
    // Next week's report: last week's copied, title changed, one item added.
    let w39 = w38.replace("uke 38", "uke 39") + "* Ny leveranse\n";
    let c2 = fx.head(
        Some(c1),
        7,
        &files(&[
            ("status/2016_uke_38.rst", &w38),
            ("status/2016_uke_39.rst", &w39),
        ]),
    );
    // An exact copy, too, is a new file while the original stays.
    let c3 = fx.head(
        Some(c2),
        14,
        &files(&[
            ("status/2016_uke_38.rst", &w38),
            ("status/2016_uke_39.rst", &w39),
            ("status/2016_uke_40.rst", &w39),
        ]),
    );
    let h = history(&fx.open(), &["status"]);
    assert_eq!(file(&h, "status/2016_uke_39.rst").first.id, c2.to_string());
    assert_eq!(file(&h, "status/2016_uke_40.rst").first.id, c3.to_string());
    let original = file(&h, "status/2016_uke_38.rst");
    assert_eq!(original.first.id, c1.to_string());
    assert_eq!(original.last.id, c1.to_string());
}

#[test]
fn a_copy_does_not_steal_a_move() {
    // One commit moves 38 to a new folder and also adds a copy of it: the
    // file with the same name is the move, the other one is new.
    let fx = Fixture::new();
    let w38 = report(38, &["a", "b"]);
    let c1 = fx.head(None, 0, &files(&[("old/2016_uke_38.rst", &w38)]));
    let c2 = fx.head(
        Some(c1),
        7,
        &files(&[("new/2016_uke_38.rst", &w38), ("new/2016_uke_39.rst", &w38)]),
    );
    let h = history(&fx.open(), &["new"]);
    assert_eq!(file(&h, "new/2016_uke_38.rst").first.id, c1.to_string());
    assert_eq!(file(&h, "new/2016_uke_39.rst").first.id, c2.to_string());
}

#[test]
fn an_edit_after_publication_moves_last_only() {
    let fx = Fixture::new();
    let v1 = report(38, &["a"]);
    let v2 = report(38, &["a", "b"]);
    let c1 = fx.head(None, 0, &files(&[("r.rst", &v1), ("other.rst", "x")]));
    let c2 = fx.head(Some(c1), 40, &files(&[("r.rst", &v2), ("other.rst", "x")]));
    let c3 = fx.head(Some(c2), 41, &files(&[("r.rst", &v2), ("other.rst", "y")]));
    let h = history(&fx.open(), &[]);
    let f = file(&h, "r.rst");
    assert_eq!(f.first.id, c1.to_string());
    assert_eq!(f.last.id, c2.to_string());
    assert_eq!(f.versions.len(), 2);
    assert_eq!(file(&h, "other.rst").last.id, c3.to_string());
}

#[test]
fn a_file_that_came_through_both_parents_takes_the_earliest() {
    let fx = Fixture::new();
    let base = fx.head(None, 0, &files(&[("conf.py", "x")]));
    let w = report(38, &["a", "b"]);
    // Main adds the report on day 5; a side branch had it on day 2
    // (cherry-picked later with a different commit).
    let side = fx.commit(
        "refs/heads/side",
        &[base],
        T0 + 2 * DAY,
        &files(&[("conf.py", "x"), ("r.rst", &w)]),
    );
    let main = fx.head(Some(base), 5, &files(&[("conf.py", "x"), ("r.rst", &w)]));
    let merge = fx.commit(
        "HEAD",
        &[main, side],
        T0 + 6 * DAY,
        &files(&[("conf.py", "x"), ("r.rst", &w)]),
    );
    let h = history(&fx.open(), &[]);
    let f = file(&h, "r.rst");
    assert_eq!(f.first.id, side.to_string());
    assert_ne!(f.last.id, merge.to_string(), "the merge changed nothing");
    // And the other way round: the earlier one on the first parent.
    let side2 = fx.commit(
        "refs/heads/side2",
        &[merge],
        T0 + 9 * DAY,
        &files(&[("conf.py", "x"), ("r.rst", &w), ("s.rst", &w)]),
    );
    let main2 = fx.head(
        Some(merge),
        8,
        &files(&[("conf.py", "x"), ("r.rst", &w), ("s.rst", &w)]),
    );
    fx.commit(
        "HEAD",
        &[main2, side2],
        T0 + 10 * DAY,
        &files(&[("conf.py", "x"), ("r.rst", &w), ("s.rst", &w)]),
    );
    let h = history(&fx.open(), &[]);
    assert_eq!(file(&h, "s.rst").first.id, main2.to_string());
    assert_eq!(file(&h, "r.rst").first.id, side.to_string());
}

#[test]
fn a_report_from_a_merged_branch_is_first_at_its_branch_commit() {
    let fx = Fixture::new();
    let base = fx.head(None, 0, &files(&[("a.rst", "a")]));
    let w = report(39, &["x"]);
    let side = fx.commit(
        "refs/heads/side",
        &[base],
        T0 + DAY,
        &files(&[("a.rst", "a"), ("b.rst", &w)]),
    );
    let main = fx.head(Some(base), 2, &files(&[("a.rst", "a2")]));
    let merge = fx.commit(
        "HEAD",
        &[main, side],
        T0 + 3 * DAY,
        &files(&[("a.rst", "a2"), ("b.rst", &w)]),
    );
    let h = history(&fx.open(), &[]);
    assert_eq!(file(&h, "b.rst").first.id, side.to_string());
    assert_eq!(file(&h, "b.rst").last.id, side.to_string());
    assert_eq!(file(&h, "a.rst").last.id, main.to_string());
    assert_ne!(file(&h, "a.rst").last.id, merge.to_string());
}

#[test]
fn a_moved_folder_on_a_branch_is_followed_through_the_merge() {
    let fx = Fixture::new();
    let w = report(38, &["a", "b"]);
    let c1 = fx.head(None, 0, &files(&[("status/r.rst", &w)]));
    let side = fx.commit(
        "refs/heads/side",
        &[c1],
        T0 + DAY,
        &files(&[("docs/status/r.rst", &w)]),
    );
    let main = fx.head(Some(c1), 2, &files(&[("status/r.rst", &w), ("x.md", "x")]));
    fx.commit(
        "HEAD",
        &[main, side],
        T0 + 3 * DAY,
        &files(&[("docs/status/r.rst", &w), ("x.md", "x")]),
    );
    let h = history(&fx.open(), &["docs"]);
    let f = file(&h, "docs/status/r.rst");
    assert_eq!(f.first.id, c1.to_string());
    assert_eq!(f.last.id, side.to_string());
}

fn git_available() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn a_shallow_clone_is_flagged() {
    if !git_available() {
        eprintln!("skipped: no git command");
        return;
    }
    let fx = Fixture::new();
    let c1 = fx.head(None, 0, &files(&[("r.rst", "one")]));
    let c2 = fx.head(Some(c1), 1, &files(&[("r.rst", "one"), ("s.rst", "two")]));
    fx.head(
        Some(c2),
        2,
        &files(&[("r.rst", "one"), ("s.rst", "two"), ("t.rst", "3")]),
    );
    let clone = TempDir::new().expect("temp");
    let dest = clone.path().join("clone");
    let url = format!("file://{}", fx.path().display());
    let status = Command::new("git")
        .args(["clone", "--quiet", "--depth", "1", &url])
        .arg(&dest)
        .status()
        .expect("git clone");
    assert!(status.success());
    let repo = Repo::discover(&dest).expect("discover").expect("a repo");
    assert!(repo.is_shallow());
    let h = repo
        .history(&reports, &[], Some("reports"))
        .expect("history");
    assert!(h.shallow);
    assert_eq!(h.files.len(), 3);
    assert!(h.files.values().all(|f| f.boundary), "{:?}", h.files);
    assert!(
        !dest.join(".git/milepost").exists(),
        "shallow clones are not cached"
    );
    // The full repository is not shallow.
    let full = fx.open();
    assert!(!full.is_shallow());
    let h = full.history(&reports, &[], None).expect("history");
    assert!(!h.shallow);
    assert_eq!(file(&h, "r.rst").first.id, c1.to_string());
    assert!(!file(&h, "r.rst").boundary);
}

#[test]
fn outside_a_repository_there_is_none() {
    let dir = TempDir::new().expect("temp");
    assert!(Repo::discover(dir.path()).expect("no error").is_none());
}

#[test]
fn a_bare_repository_is_an_error() {
    let dir = TempDir::new().expect("temp");
    Repository::init_bare(dir.path()).expect("bare");
    let err = Repo::discover(dir.path()).expect_err("bare repositories are refused");
    assert!(err.to_string().contains("bare"), "{err}");
}

#[test]
fn before_the_first_commit_history_is_empty_and_the_index_is_staged() {
    let fx = Fixture::new();
    std::fs::write(fx.path().join("r.rst"), "staged").expect("write");
    let mut index = fx.repo.index().expect("index");
    index.add_path(Path::new("r.rst")).expect("add");
    index.write().expect("write index");
    let repo = fx.open();
    let h = repo.history(&reports, &[], Some("k")).expect("history");
    assert!(h.files.is_empty());
    assert_eq!(h.head, None);
    let staged = repo.staged().expect("staged");
    assert_eq!(staged.len(), 1);
    assert_eq!(staged[0].path, "r.rst");
    assert_eq!(staged[0].content, b"staged");
    assert_eq!(repo.read_head("r.rst").expect("read"), None);
    assert!(repo.changed_since("main").is_err());
}

#[test]
fn staged_content_comes_from_the_index() {
    let fx = Fixture::new();
    let c1 = fx.head(
        None,
        0,
        &files(&[
            ("docs/a.rst", "a"),
            ("docs/b.rst", "b"),
            ("docs/gone.rst", "g"),
        ]),
    );
    // Check out HEAD so that the working tree and the index match it.
    let mut checkout = git2::build::CheckoutBuilder::new();
    checkout.force();
    fx.repo
        .checkout_head(Some(&mut checkout))
        .expect("checkout");
    let repo = fx.open();
    assert!(repo.staged().expect("staged").is_empty());

    let write = |path: &str, content: &str| {
        let full = fx.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, content).expect("write");
    };
    let mut index = fx.repo.index().expect("index");
    write("docs/a.rst", "version A");
    write("docs/new/c.rst", "new");
    index.add_path(Path::new("docs/a.rst")).expect("add");
    index.add_path(Path::new("docs/new/c.rst")).expect("add");
    index
        .remove_path(Path::new("docs/gone.rst"))
        .expect("remove");
    index.write().expect("write index");
    write("docs/a.rst", "version B, not staged");
    write("docs/b.rst", "changed but not staged");

    let staged = repo.staged().expect("staged");
    let got: Vec<(&str, &[u8])> = staged
        .iter()
        .map(|f| (f.path.as_str(), f.content.as_slice()))
        .collect();
    assert_eq!(
        got,
        [
            ("docs/a.rst", &b"version A"[..]),
            ("docs/new/c.rst", &b"new"[..])
        ]
    );
    assert_eq!(
        repo.read_head("docs/a.rst").expect("read"),
        Some(b"a".to_vec())
    );
    assert_eq!(repo.read_head("docs/nope.rst").expect("read"), None);
    assert_eq!(repo.read_head("docs").expect("read"), None);
    // Nothing was written to the object store by staged().
    assert!(fx.repo.head().is_ok());
    let _ = c1;
}

#[test]
fn changed_since_uses_the_merge_base() {
    let fx = Fixture::new();
    let base = fx.head(
        None,
        0,
        &files(&[("a.rst", "a"), ("old.rst", "o"), ("c.rst", "c")]),
    );
    // main moves on after the fork...
    fx.commit(
        "refs/heads/main",
        &[base],
        T0 + 2 * DAY,
        &files(&[
            ("a.rst", "a"),
            ("old.rst", "o"),
            ("c.rst", "c"),
            ("x.rst", "x"),
        ]),
    );
    // ...and HEAD is a feature branch from the base.
    fx.repo.set_head_detached(base).expect("detach");
    fx.commit(
        "refs/heads/feature",
        &[base],
        T0 + DAY,
        &files(&[
            ("a.rst", "a changed"),
            ("new.rst", "o"),
            ("c.rst", "c"),
            ("b.rst", "b"),
        ]),
    );
    fx.repo.set_head("refs/heads/feature").expect("switch");
    let repo = fx.open();
    assert_eq!(
        repo.changed_since("main").expect("changed"),
        ["a.rst", "b.rst", "new.rst"]
    );
    let base_sha = base.to_string();
    assert_eq!(
        repo.changed_since(&base_sha).expect("changed"),
        ["a.rst", "b.rst", "new.rst"]
    );
    assert!(repo.changed_since("HEAD").expect("changed").is_empty());
    let err = repo.changed_since("origin/nope").expect_err("unknown");
    assert!(
        err.to_string().contains("unknown revision 'origin/nope'"),
        "{err}"
    );
}

#[test]
fn detached_head_works() {
    let fx = Fixture::new();
    let c1 = fx.head(None, 0, &files(&[("r.rst", "1")]));
    let c2 = fx.head(Some(c1), 1, &files(&[("r.rst", "2")]));
    fx.repo.set_head_detached(c2).expect("detach");
    let h = history(&fx.open(), &[]);
    assert_eq!(file(&h, "r.rst").last.id, c2.to_string());
}

#[test]
fn worktrees_work_and_share_the_cache() {
    let fx = Fixture::new();
    let c1 = fx.head(None, 0, &files(&[("docs/r.rst", "1")]));
    let c2 = fx.head(
        Some(c1),
        1,
        &files(&[("docs/r.rst", "2"), ("docs/s.rst", "s")]),
    );
    let wt_parent = TempDir::new().expect("temp");
    let wt_path = wt_parent.path().join("wt");
    fx.repo
        .worktree("wt", &wt_path, None)
        .expect("add worktree");
    let repo = Repo::discover(&wt_path.join("docs"))
        .expect("discover")
        .expect("a repository");
    assert_eq!(repo.workdir(), wt_path.canonicalize().expect("canonical"));
    let h = repo
        .history(&reports, &["docs".to_string()], Some("k"))
        .expect("history");
    assert_eq!(file(&h, "docs/r.rst").first.id, c1.to_string());
    assert_eq!(file(&h, "docs/r.rst").last.id, c2.to_string());
    assert!(
        fx.path().join(".git/milepost").is_dir(),
        "cache in the common dir"
    );
    // The main working tree reads the worktree's cache.
    let again = fx
        .open()
        .history(&reports, &["docs".to_string()], Some("k"))
        .expect("history");
    assert_eq!(again.walked, 0);
    assert_eq!(again.files, h.files);
    // staged works in a worktree too.
    std::fs::write(wt_path.join("docs/s.rst"), "staged").expect("write");
    let wt_repo = Repository::open(&wt_path).expect("open worktree");
    let mut index = wt_repo.index().expect("index");
    index.add_path(Path::new("docs/s.rst")).expect("add");
    index.write().expect("write");
    let staged = repo.staged().expect("staged");
    assert_eq!(staged.len(), 1);
    assert_eq!(staged[0].content, b"staged");
}

#[test]
fn submodules_are_ignored() {
    let fx = Fixture::new();
    let sub = "submodule:0123456789abcdef0123456789abcdef01234567";
    let c1 = fx.head(
        None,
        0,
        &files(&[
            ("r.rst", "1"),
            ("vendor/theme.rst", sub),
            (".gitmodules", ""),
        ]),
    );
    let h = history(&fx.open(), &[]);
    assert_eq!(h.files.len(), 1);
    assert_eq!(file(&h, "r.rst").first.id, c1.to_string());
}

/// A history of `n` commits with moves, copies and edits.
fn busy_history(fx: &Fixture, n: usize) -> Oid {
    let mut state = Files::new();
    let mut parent = None;
    for i in 0..n {
        let week = 30 + i as u32;
        let name = format!("status/2016_uke_{week}.rst");
        let body = match state.values().last() {
            Some(previous) => previous.replace("uke", "uke ") + &format!("* item {i}\n"),
            None => report(week, &["start"]),
        };
        state.insert(name, body);
        if i % 4 == 3 {
            let old = format!("2016_uke_{}.rst", week - 2);
            if let Some((_, text)) = state.iter_mut().find(|(p, _)| p.ends_with(&old)) {
                text.push_str("* later edit\n");
            }
        }
        if i == n / 2 {
            state = state
                .into_iter()
                .map(|(p, c)| (p.replace("status/", "docs/status/2016/"), c))
                .collect();
        }
        let current = state.clone();
        let renamed: Files = current
            .into_iter()
            .map(|(p, c)| {
                if i > n / 2 && !p.starts_with("docs/") {
                    (
                        format!("docs/status/2016/{}", p.trim_start_matches("status/")),
                        c,
                    )
                } else {
                    (p, c)
                }
            })
            .collect();
        state = renamed;
        parent = Some(fx.head(parent, i as i64, &state));
    }
    parent.expect("at least one commit")
}

#[test]
fn writing_the_cache_removes_caches_of_older_formats_only() {
    let fx = Fixture::new();
    fx.head(None, 0, &files(&[("docs/r.rst", "1")]));
    let cache_dir = fx.path().join(".git/milepost");
    std::fs::create_dir_all(&cache_dir).expect("cache dir");
    let old = cache_dir.join("history-0123456789abcdef.json");
    std::fs::write(&old, "{\"format\":2}").expect("old cache");
    let other = cache_dir.join("notes.txt");
    std::fs::write(&other, "not a cache").expect("other file");
    // A file of the layout before the checksum, and sealed ones of an
    // older and of a newer format (the magic, a checksum, the format).
    let unsealed = cache_dir.join("history-1111111111111111.bin");
    std::fs::write(&unsealed, "milepost history cache\n\x05").expect("unsealed cache");
    let sealed = |format: u8| {
        let mut bytes = b"milepost history cache, checksummed\n".to_vec();
        bytes.extend_from_slice(&[0; 8]);
        bytes.push(format);
        bytes
    };
    let older = cache_dir.join("history-2222222222222222.bin");
    std::fs::write(&older, sealed(5)).expect("older cache");
    let newer = cache_dir.join("history-3333333333333333.bin");
    std::fs::write(&newer, sealed(120)).expect("newer cache");
    // A pipe named like a cache is not opened (it would hang the run).
    let pipe = cache_dir.join("history-4444444444444444.bin");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let h = fx
        .open()
        .history(&reports, &["docs".to_string()], Some("k"))
        .expect("history");
    assert_eq!(h.files.len(), 1);
    assert!(!old.exists(), "the old JSON cache is removed");
    assert!(!unsealed.exists(), "the unsealed cache is removed");
    assert!(!older.exists(), "the cache of an older format is removed");
    assert!(newer.exists(), "a newer milepost's cache is left alone");
    assert!(other.exists(), "other files are left alone");
    let names: Vec<String> = std::fs::read_dir(&cache_dir)
        .expect("cache dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let sealed_files = names
        .iter()
        .filter(|n| n.starts_with("history-") && n.ends_with(".bin"))
        .count();
    assert_eq!(
        sealed_files, 3,
        "this run's, the newer one, the pipe: {names:?}"
    );
}

#[test]
fn a_cached_run_walks_only_new_commits_and_agrees_with_a_cold_run() {
    let fx = Fixture::new();
    let tip = busy_history(&fx, 24);
    let repo = fx.open();
    let prefixes = vec!["docs/status".to_string()];
    let cold = repo
        .history(&reports, &prefixes, Some("globs: **/*.rst"))
        .expect("history");
    assert!(cold.notes.is_empty(), "{:?}", cold.notes);
    assert_eq!(cold.walked, 24);
    let cache_dir = fx.path().join(".git/milepost");
    assert_eq!(std::fs::read_dir(&cache_dir).expect("cache dir").count(), 1);

    // Nothing new: nothing walked, same answer.
    let same = repo
        .history(&reports, &prefixes, Some("globs: **/*.rst"))
        .expect("history");
    assert_eq!(same.walked, 0);
    assert_eq!(same.files, cold.files);

    // One new commit: an edit and a new report.
    let mut files_now: Files = cold
        .files
        .keys()
        .map(|p| {
            let text = repo.read_head(p).expect("read").expect("at HEAD");
            (p.clone(), String::from_utf8(text).expect("utf-8"))
        })
        .collect();
    files_now
        .entry("docs/status/2016/2016_uke_31.rst".into())
        .and_modify(|t| t.push_str("* edited again\n"));
    files_now.insert(
        "docs/status/2016/2016_uke_99.rst".into(),
        report(99, &["new"]),
    );
    let new = fx.head(Some(tip), 100, &files_now);
    let warm = repo
        .history(&reports, &prefixes, Some("globs: **/*.rst"))
        .expect("history");
    assert_eq!(warm.walked, 1);
    let cold_again = repo.history(&reports, &prefixes, None).expect("history");
    assert_eq!(cold_again.walked, 25);
    assert_eq!(warm.files, cold_again.files);
    assert_eq!(
        file(&warm, "docs/status/2016/2016_uke_31.rst").last.id,
        new.to_string()
    );
    assert_eq!(
        file(&warm, "docs/status/2016/2016_uke_99.rst").first.id,
        new.to_string()
    );
    // The reorganised reports still carry their first commits.
    let w30 = file(&warm, "docs/status/2016/2016_uke_30.rst");
    assert_eq!(w30.first.committed.timestamp(), T0);

    // A different key is a different cache.
    let other = repo
        .history(&reports, &prefixes, Some("other"))
        .expect("history");
    assert_eq!(other.walked, 25);
    assert_eq!(std::fs::read_dir(&cache_dir).expect("cache dir").count(), 2);

    // A second new commit: the cache (still at `tip`: one commit was not
    // worth rewriting it) gives the two new commits.
    let mut more = files_now.clone();
    more.insert(
        "docs/status/2016/2016_uke_97.rst".into(),
        report(97, &["y"]),
    );
    fx.head(Some(new), 101, &more);
    let warm2 = repo
        .history(&reports, &prefixes, Some("globs: **/*.rst"))
        .expect("history");
    assert_eq!(warm2.walked, 2);
    let truth2 = repo.history(&reports, &prefixes, None).expect("history");
    assert_eq!(warm2.files, truth2.files);

    // After a reset (HEAD no longer descends from the cached tip), the
    // cache is ignored.
    let before_tip = fx
        .repo
        .find_commit(tip)
        .expect("tip")
        .parent_id(0)
        .expect("a parent");
    let mut rewritten = files_now.clone();
    rewritten.insert(
        "docs/status/2016/2016_uke_98.rst".into(),
        report(98, &["x"]),
    );
    rewritten.remove("docs/status/2016/2016_uke_99.rst");
    fx.head(Some(before_tip), 102, &rewritten);
    let after_reset = repo
        .history(&reports, &prefixes, Some("globs: **/*.rst"))
        .expect("history");
    assert_eq!(after_reset.walked, 24);
    let truth = repo.history(&reports, &prefixes, None).expect("history");
    assert_eq!(after_reset.files, truth.files);

    // A corrupt cache is ignored and replaced: text, a file cut short, and
    // the right header before bytes of another shape.
    std::fs::remove_dir_all(&cache_dir).expect("remove the caches");
    repo.history(&reports, &prefixes, Some("globs: **/*.rst"))
        .expect("history");
    let mut files = std::fs::read_dir(&cache_dir).expect("cache dir");
    let cache_file = files.next().expect("one cache").expect("entry").path();
    assert!(files.next().is_none());
    let good = std::fs::read(&cache_file).expect("cache");
    let mut wrong_shape = b"milepost history cache\n".to_vec();
    wrong_shape.extend([0xff; 64]);
    for corrupt in [
        b"{ not json".to_vec(),
        good[..good.len() / 2].to_vec(),
        wrong_shape,
    ] {
        std::fs::write(&cache_file, &corrupt).expect("corrupt");
        let recovered = repo
            .history(&reports, &prefixes, Some("globs: **/*.rst"))
            .expect("history");
        assert_eq!(recovered.files, truth.files);
        assert!(recovered.walked > 0, "a corrupt cache is not used");
        let reread = repo
            .history(&reports, &prefixes, Some("globs: **/*.rst"))
            .expect("history");
        assert_eq!(reread.walked, 0);
        assert_eq!(reread.files, truth.files);
    }
}

#[test]
fn a_cached_run_survives_a_merge_of_an_older_branch() {
    let fx = Fixture::new();
    let c1 = fx.head(None, 0, &files(&[("r.rst", "1")]));
    let c2 = fx.head(Some(c1), 1, &files(&[("r.rst", "2")]));
    let repo = fx.open();
    let first = repo.history(&reports, &[], Some("k")).expect("history");
    assert_eq!(first.walked, 2);
    // A branch that forked before the cached tip is merged.
    let side = fx.commit(
        "refs/heads/side",
        &[c1],
        T0 + 2 * DAY,
        &files(&[("r.rst", "1"), ("s.rst", "s")]),
    );
    fx.commit(
        "HEAD",
        &[c2, side],
        T0 + 3 * DAY,
        &files(&[("r.rst", "2"), ("s.rst", "s")]),
    );
    let warm = repo.history(&reports, &[], Some("k")).expect("history");
    let cold = repo.history(&reports, &[], None).expect("history");
    assert_eq!(warm.files, cold.files);
    assert_eq!(file(&warm, "s.rst").first.id, side.to_string());
}

#[test]
fn missing_objects_become_notes() {
    let fx = Fixture::new();
    let c1 = fx.head(
        None,
        0,
        &files(&[("docs/r.rst", "1"), ("docs/old/x.rst", "x")]),
    );
    let c2 = fx.head(
        Some(c1),
        1,
        &files(&[("docs/r.rst", "2"), ("docs/old/x.rst", "x")]),
    );
    let c3 = fx.head(
        Some(c2),
        2,
        &files(&[("docs/r.rst", "3"), ("docs/old/x.rst", "x")]),
    );
    // Remove the `docs` tree of the first commit from the (loose) store.
    let tree = fx.repo.find_commit(c1).expect("c1").tree().expect("tree");
    let docs = tree.get_name("docs").expect("docs").id();
    let hex = docs.to_string();
    let object = fx
        .path()
        .join(".git/objects")
        .join(&hex[..2])
        .join(&hex[2..]);
    std::fs::remove_file(&object).expect("remove the object");
    let repo = fx.open();
    let h = repo
        .history(&reports, &["docs".into()], Some("k"))
        .expect("no error");
    assert!(!h.notes.is_empty(), "a note about the missing tree");
    assert!(h.notes.iter().any(|n| n.contains(&hex)), "{:?}", h.notes);
    assert!(
        !fx.path().join(".git/milepost").exists(),
        "incomplete: not cached"
    );
    // What could be read is still there, flagged as uncertain.
    let r = file(&h, "docs/r.rst");
    assert!(r.boundary);
    assert_eq!(r.first.id, c2.to_string());
    assert_eq!(r.last.id, c3.to_string());
}

fn git_in(dir: &Path, args: &[&str]) -> std::process::Output {
    let output = Command::new("git")
        .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run git");
    assert!(
        output.status.success() || args[0] == "merge",
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[test]
fn staged_agrees_with_git_on_index_versions_and_conflicts() {
    if !git_available() {
        eprintln!("skipped: no git command");
        return;
    }
    let dir = TempDir::new().expect("temp");
    let root = dir.path();
    git_in(root, &["init", "-q", "-b", "main"]);
    for (path, text) in [
        ("docs/status/2016/a.rst", "a"),
        ("docs/status/2016/b.rst", "b"),
        ("docs/status/2017/c.rst", "c"),
        ("docs/conf.py", "x"),
        ("README.md", "r"),
    ] {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, text).expect("write");
    }
    git_in(root, &["add", "."]);
    git_in(root, &["commit", "-q", "-m", "one"]);
    // A conflict on b.rst, then more staged changes.
    git_in(root, &["checkout", "-q", "-b", "side"]);
    std::fs::write(root.join("docs/status/2016/b.rst"), "side").expect("write");
    git_in(root, &["commit", "-q", "-am", "side"]);
    git_in(root, &["checkout", "-q", "main"]);
    std::fs::write(root.join("docs/status/2016/b.rst"), "main").expect("write");
    git_in(root, &["commit", "-q", "-am", "main"]);
    git_in(root, &["merge", "-q", "side"]);
    std::fs::write(root.join("docs/status/2017/c.rst"), "c staged").expect("write");
    std::fs::write(root.join("docs/status/2017/new.rst"), "new").expect("write");
    std::fs::write(root.join("README.md"), "r changed, not staged").expect("write");
    git_in(root, &["add", "docs/status/2017"]);
    let expected = |repo: &Repo| {
        let staged = repo.staged().expect("staged");
        staged.iter().map(|f| f.path.clone()).collect::<Vec<_>>()
    };
    let repo = Repo::discover(root).expect("discover").expect("a repo");
    let git_says = String::from_utf8(
        git_in(
            root,
            &["diff", "--cached", "--name-only", "--diff-filter=AM"],
        )
        .stdout,
    )
    .expect("utf-8");
    let git_says: Vec<&str> = git_says.lines().filter(|p| !p.ends_with("b.rst")).collect();
    assert_eq!(expected(&repo), git_says);
    assert_eq!(
        expected(&repo),
        ["docs/status/2017/c.rst", "docs/status/2017/new.rst"]
    );
    for version in ["2", "3", "4"] {
        git_in(root, &["update-index", "--index-version", version]);
        assert_eq!(
            expected(&repo),
            ["docs/status/2017/c.rst", "docs/status/2017/new.rst"],
            "index version {version}"
        );
    }
    let contents: Vec<Vec<u8>> = repo
        .staged()
        .expect("staged")
        .into_iter()
        .map(|f| f.content)
        .collect();
    assert_eq!(contents, [b"c staged".to_vec(), b"new".to_vec()]);
}

#[test]
fn a_missing_commit_becomes_a_note() {
    let fx = Fixture::new();
    let c1 = fx.head(None, 0, &files(&[("r.rst", "1")]));
    let c2 = fx.head(Some(c1), 1, &files(&[("r.rst", "1"), ("s.rst", "2")]));
    let hex = c1.to_string();
    std::fs::remove_file(
        fx.path()
            .join(".git/objects")
            .join(&hex[..2])
            .join(&hex[2..]),
    )
    .expect("remove the commit");
    let h = fx
        .open()
        .history(&reports, &[], Some("k"))
        .expect("no error");
    assert!(h.notes.iter().any(|n| n.contains(&hex)), "{:?}", h.notes);
    let r = file(&h, "r.rst");
    assert!(r.boundary, "what came before c2 is unknown");
    assert_eq!(r.first.id, c2.to_string());
    // Whether s.rst was in c1 cannot be known either.
    assert!(file(&h, "s.rst").boundary);
    assert!(
        !fx.path().join(".git/milepost").exists(),
        "incomplete: not cached"
    );
}
