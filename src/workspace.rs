//! Where milepost runs: the repository root, the config that applies, and
//! which files are reports.
//!
//! Two folders matter. The *root* is the git working tree when there is one
//! (found with git2), else the project folder: every path milepost prints is
//! relative to it (with `/` and in NFC, so CI annotations land on the right
//! file on every platform), and no link may leave it. The *project* folder is
//! the folder of `milepost.yaml`, else the root: reports are looked for under
//! it, and config globs are relative to it, so a docs folder in a larger
//! repository can carry its own config.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use ignore::WalkBuilder;
use rayon::prelude::*;

pub use crate::boundary::absolute;
use crate::boundary::{Boundary, Located, Refusal};
use crate::config::{Config, FILE_NAMES, SchemaChoice};
use crate::diagnostic::Note;
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::hash::FastSet;
use crate::text::nfc;

/// The repository and its configuration.
#[derive(Debug)]
pub struct Workspace {
    /// Canonical path of the root.
    pub root: PathBuf,
    /// Canonical path of the project folder (inside the root).
    pub project: PathBuf,
    /// Whether the root is a git working tree.
    pub is_git: bool,
    pub config: Config,
    /// Decides what may be read: every file milepost opens goes through it.
    pub boundary: Boundary,
    /// The links judged so far ([`crate::rules::links::Verdicts`]).
    verdicts: crate::rules::links::Verdicts,
    /// Every report of the tree and the notes of the walk that found them,
    /// walked once and then kept: a run may need the whole list for its
    /// selection, for a plan to show (`milestones` with none configured) and
    /// as the context of a scoped run, twice (carry-over sections, item
    /// tracking), and on ten thousand reports a walk takes 20 ms. What is
    /// a report never changes once the workspace is open: the selection
    /// patterns are read with the config.
    listed: OnceLock<Listing>,
}

/// What the walk of the whole tree found.
#[derive(Debug)]
struct Listing {
    reports: Arc<[ReportFile]>,
    notes: Vec<Note>,
    /// Every regular file it met (reports or not), by its path's bytes: a
    /// run looks up thousands of link targets and report files that the
    /// walk has just seen, and asking the file system again cost a warm
    /// run a tenth of its time. Empty in a tree of more than
    /// [`KNOWN_FILES_MAX`] files.
    regular: FastSet<Vec<u8>>,
}

/// The most regular files a walk keeps the names of (see
/// [`Listing::regular`]): about 15 MB of them. A larger tree (a monorepo
/// whose docs are a corner of it) is looked up in the file system, as a
/// file the walk did not meet is.
const KNOWN_FILES_MAX: usize = 100_000;

/// The names of `files` to keep, none if there are more than `max`.
fn known_files(files: Vec<PathBuf>, max: usize) -> FastSet<Vec<u8>> {
    if files.len() > max {
        return FastSet::default();
    }
    files
        .into_iter()
        .map(|path| path.into_os_string().into_encoded_bytes())
        .collect()
}

/// A file selected as a report.
#[derive(Clone, Debug)]
pub struct ReportFile {
    pub abs_path: PathBuf,
    /// Repository-relative, `/`-separated, NFC.
    pub path: String,
    pub schema: SchemaChoice,
    /// The content to check instead of the working tree's (the staged
    /// version, for `--staged`).
    pub content: Option<Vec<u8>>,
    /// The path at HEAD a staged report was renamed from: it was published
    /// then, not now.
    pub renamed_from: Option<String>,
}

impl Workspace {
    /// Finds the root and the config from `cwd`; `config_path` (from
    /// `--config`) replaces discovery.
    pub fn open(cwd: &Path, config_path: Option<&Path>) -> Result<Workspace> {
        Ok(Workspace::open_with_repo(cwd, config_path)?.0)
    }

    /// [`Workspace::open`], also handing back the repository it found, so
    /// that a run opens git once. The two travel apart: the workspace is
    /// shared by the threads that check reports, and a libgit2 handle may
    /// not be.
    pub fn open_with_repo(
        cwd: &Path,
        config_path: Option<&Path>,
    ) -> Result<(Workspace, Option<Repo>)> {
        let cwd = cwd.canonicalize().map_err(|err| Error::io(cwd, err))?;
        let repo = Repo::discover(&cwd)?;
        let git_root = repo.as_ref().map(|repo| repo.workdir().to_path_buf());
        let (config_path, discovered) = match config_path {
            Some(path) => (Some(absolute(&cwd, path)), false),
            None => (discover_config(&cwd, git_root.as_deref())?, true),
        };
        let config_dir = config_path
            .as_deref()
            .and_then(Path::parent)
            .and_then(|dir| dir.canonicalize().ok());
        let (root, is_git) = match git_root {
            Some(root) => (root, true),
            // Outside a repository a discovered config marks the root; one
            // given with `--config` leaves the root at `cwd`.
            None => match config_dir.as_ref().filter(|_| discovered) {
                Some(dir) => (dir.clone(), false),
                None => (cwd.clone(), false),
            },
        };
        let boundary = Boundary::new(root.clone());
        let config = match &config_path {
            Some(path) => Config::load(path, &boundary, !discovered)?,
            None => Config::default_config()?,
        };
        let project = config_dir
            .filter(|dir| dir.starts_with(&root))
            .unwrap_or_else(|| root.clone());
        let workspace = Workspace {
            root,
            project,
            is_git,
            config,
            boundary,
            verdicts: crate::rules::links::Verdicts::default(),
            listed: OnceLock::new(),
        };
        Ok((workspace, repo))
    }

    /// The reports under `paths` (files or folders, relative to `cwd`), or
    /// every report in the repository when `paths` is empty (walked once
    /// per workspace). Problems met while walking (an unreadable folder)
    /// become notes.
    pub fn reports(
        &self,
        cwd: &Path,
        paths: &[PathBuf],
        notes: &mut Vec<Note>,
    ) -> Result<Arc<[ReportFile]>> {
        if paths.is_empty() {
            let listing = self.listed.get_or_init(|| {
                let mut files = Vec::new();
                let mut notes = Vec::new();
                let regular = self.walk(&self.project, &mut files, &mut notes);
                Listing {
                    reports: sorted(files).into(),
                    notes,
                    regular: known_files(regular, KNOWN_FILES_MAX),
                }
            });
            notes.extend(listing.notes.iter().cloned());
            return Ok(Arc::clone(&listing.reports));
        }
        let mut files = Vec::new();
        for path in paths {
            let given = absolute(cwd, path);
            let refuse = |reason: String| Error::BadPath {
                path: path.clone(),
                reason,
            };
            let resolved = match self.boundary.locate(&given) {
                Located::Inside { canonical, .. } => canonical,
                Located::Outside => return Err(refuse(Refusal::Outside.to_string())),
                Located::Missing => {
                    return Err(refuse("cannot read: no such file or folder".into()));
                }
            };
            let meta = std::fs::metadata(&resolved)
                .map_err(|err| refuse(format!("cannot read: {}", io_reason(&err))))?;
            if meta.is_dir() {
                let _ = self.walk(&resolved, &mut files, notes);
            } else if !meta.is_file() {
                // A pipe or a device would hang or flood the run: refused
                // before anything opens it, whatever its name.
                return Err(refuse(
                    "is not a regular file (a pipe, device or socket), so it is not read".into(),
                ));
            } else if let Some(file) = self.report_file(&resolved) {
                files.push(file);
            }
        }
        Ok(sorted(files).into())
    }

    /// Whether the walk of the whole tree, if this workspace made one, met
    /// `abs_path` (absolute and lexically clean) as a regular file. The
    /// walk follows no symbolic link, so such a path leads to a file inside
    /// the project by its own name: the boundary's checks hold for it
    /// without asking the file system again. (A file created since the
    /// walk, or one it skipped as ignored, is not known: the caller asks.)
    pub(crate) fn walked_regular_file(&self, abs_path: &Path) -> bool {
        self.listed.get().is_some_and(|listing| {
            listing
                .regular
                .contains(abs_path.as_os_str().as_encoded_bytes())
        })
    }

    /// The repository-relative name of an absolute path inside the root.
    pub fn relative(&self, abs_path: &Path) -> Option<String> {
        Some(slash_path(abs_path.strip_prefix(&self.root).ok()?))
    }

    /// The report at a repository-relative path (as git names it), if the
    /// config selects it; the file need not exist in the working tree.
    pub fn report_at(&self, relative: &str) -> Option<ReportFile> {
        self.report_file(&self.root.join(relative))
    }

    /// Whether a repository-relative path is a report, by name only.
    pub fn is_report_path(&self, relative: &str) -> bool {
        let abs = self.root.join(relative);
        abs.strip_prefix(&self.project)
            .is_ok_and(|in_project| self.config.select(&slash_path(in_project)).is_some())
    }

    /// The repository-relative paths of the files that configure the run:
    /// the config file, the schema files it names (with their `extends`
    /// parents) and the milestones file. A scoped run that is given one of
    /// them validates it and reports on it.
    pub fn config_files(&self) -> Vec<String> {
        let mut files: Vec<String> = self
            .config
            .path
            .iter()
            .chain(&self.config.schema_files)
            .cloned()
            .chain(std::iter::once(self.milestones_file()))
            .filter_map(|path| {
                let path = path.canonicalize().unwrap_or(path);
                self.relative(&path)
            })
            .collect();
        files.sort();
        files.dedup();
        files
    }

    /// Where the milestones are defined: the configured file, else
    /// `milestones.yaml` in the project folder (which may not exist).
    pub fn milestones_file(&self) -> PathBuf {
        let configured = self.config.milestones.as_deref();
        self.project
            .join(configured.unwrap_or(Path::new("milestones.yaml")))
    }

    /// The project folder relative to the root (`""` when they are one).
    pub fn project_prefix(&self) -> String {
        self.project
            .strip_prefix(&self.root)
            .map(slash_path)
            .unwrap_or_default()
    }

    /// A report file, if config selects it; globs match paths relative to
    /// the project folder.
    fn report_file(&self, abs_path: &Path) -> Option<ReportFile> {
        let path = self.relative(abs_path)?;
        let in_project = slash_path(abs_path.strip_prefix(&self.project).ok()?);
        let schema = self.config.select(&in_project)?;
        Some(ReportFile {
            abs_path: abs_path.to_path_buf(),
            path,
            schema,
            content: None,
            renamed_from: None,
        })
    }

    /// Adds the reports under `dir` to `files`, and gives back every
    /// regular file it met.
    fn walk(&self, dir: &Path, files: &mut Vec<ReportFile>, notes: &mut Vec<Note>) -> Vec<PathBuf> {
        let walker = WalkBuilder::new(dir)
            .hidden(true)
            .git_ignore(true)
            .git_exclude(true)
            .git_global(false)
            .require_git(false)
            .follow_links(false)
            .build();
        // Deciding whether a file is a report (its name against the config's
        // globs) costs more than listing it: done on every core afterwards.
        let mut regular: Vec<PathBuf> = Vec::new();
        let mut special: Vec<PathBuf> = Vec::new();
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                    regular.push(entry.into_path());
                }
                // A pipe or a device named like a report is selected, so
                // that reading it is refused by name (never opened).
                Ok(entry)
                    if entry
                        .file_type()
                        .is_some_and(|t| !t.is_dir() && !t.is_symlink()) =>
                {
                    special.push(entry.into_path());
                }
                // Links to folders are not followed (no loops); a link to a
                // file is a report like any other (read through the
                // boundary, so one that leads outside is refused, naming
                // it), and a dangling one is said so, if it is named like a
                // report.
                Ok(entry) if entry.path_is_symlink() => {
                    if let Some(file) = self.report_file(entry.path()) {
                        match self.boundary.locate(entry.path()) {
                            Located::Missing => notes.push(Note {
                                path: Some(file.path),
                                message: "a symbolic link to nothing, skipped".into(),
                            }),
                            Located::Inside { is_file: false, .. } => {}
                            _ => files.push(file),
                        }
                    }
                }
                Ok(_) => {}
                Err(err) => notes.push(Note {
                    path: None,
                    message: format!("skipped while listing files: {err}"),
                }),
            }
        }
        files.par_extend(
            regular
                .par_iter()
                .chain(special.par_iter())
                .filter_map(|path| self.report_file(path)),
        );
        regular
    }
}

/// A relative path as `/`-separated NFC text.
fn slash_path(relative: &Path) -> String {
    let parts: Vec<_> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    nfc(&parts.join("/")).into_owned()
}

/// The working tree of the git repository around `cwd`, if any, found as
/// every git access finds it ([`crate::git::Repo::discover`]: the git
/// environment honoured, and a repository that is there but cannot be read
/// an error rather than "no repository").
/// The nearest config file (any of [`FILE_NAMES`]) from `cwd` upwards,
/// stopping at the repository root (or at the file system root outside a
/// repository). Two config files in one folder are an error.
fn discover_config(cwd: &Path, root: Option<&Path>) -> Result<Option<PathBuf>> {
    for dir in cwd.ancestors() {
        let found: Vec<PathBuf> = FILE_NAMES
            .iter()
            .map(|name| dir.join(name))
            .filter(|candidate| candidate.exists())
            .collect();
        match found.as_slice() {
            [] => {}
            [one] => return Ok(Some(one.clone())),
            [first, second, ..] => {
                return Err(Error::invalid(
                    second,
                    None,
                    format!(
                        "two config files in one folder ({} and {}): keep one",
                        file_name(first),
                        file_name(second)
                    ),
                ));
            }
        }
        if Some(dir) == root {
            break;
        }
    }
    Ok(None)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Sorted by the printed name; two files may print alike (the NFC and NFD
/// spellings of one name are two files on Linux), so duplicates are judged
/// by the real path.
fn sorted(mut files: Vec<ReportFile>) -> Vec<ReportFile> {
    // Unstable: two entries equal in both are one file, and one is dropped.
    files.sort_unstable_by(|a, b| {
        a.path
            .cmp(&b.path)
            .then_with(|| a.abs_path.cmp(&b.abs_path))
    });
    files.dedup_by(|a, b| a.abs_path == b.abs_path);
    files
}

fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => err.to_string(),
    }
}

/// Link targets in the working tree (a normal run; `--staged` looks in the
/// index instead).
impl crate::rules::links::Targets for Workspace {
    /// A file the walk met is known to be one (most links point at other
    /// reports); anything else is looked up through the boundary. Not
    /// remembered per path: the verdicts on links are
    /// ([`Self::verdicts`]), and the paths looked up beyond those are
    /// nearly all different.
    fn locate(&self, path: &Path) -> Located {
        if self.walked_regular_file(path) {
            return Located::Inside {
                canonical: path.to_path_buf(),
                is_file: true,
            };
        }
        self.boundary.locate(path)
    }

    fn verdicts(&self) -> Option<&crate::rules::links::Verdicts> {
        Some(&self.verdicts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_cleans_dot_dot() {
        assert_eq!(
            absolute(Path::new("/repo/docs"), Path::new("../plans/./x.rst")),
            PathBuf::from("/repo/plans/x.rst")
        );
        assert_eq!(
            absolute(Path::new("/repo"), Path::new("/etc/passwd")),
            PathBuf::from("/etc/passwd")
        );
    }

    #[test]
    fn the_tree_is_walked_once_per_workspace_and_its_notes_given_to_every_caller() {
        let dir = tempfile::tempdir().unwrap();
        let status = dir.path().join("docs/status");
        std::fs::create_dir_all(&status).unwrap();
        std::fs::write(status.join("2016_uke_38.rst"), "Uke 38\n======\n").unwrap();
        std::os::unix::fs::symlink("nowhere.rst", status.join("2016_uke_39.rst")).unwrap();
        let workspace = Workspace::open(dir.path(), None).unwrap();
        let names = |files: &[ReportFile]| -> Vec<String> {
            files.iter().map(|file| file.path.clone()).collect()
        };

        let mut first_notes = Vec::new();
        let first = workspace
            .reports(dir.path(), &[], &mut first_notes)
            .unwrap();
        assert_eq!(names(&first), ["docs/status/2016_uke_38.rst"]);
        assert_eq!(first_notes.len(), 1, "{first_notes:?}");
        assert!(first_notes[0].message.contains("symbolic link to nothing"));

        // A report written since is not in the list this workspace walked,
        // and the second caller is told what the walk met too.
        std::fs::write(status.join("2016_uke_40.rst"), "Uke 40\n======\n").unwrap();
        let mut second_notes = Vec::new();
        let second = workspace
            .reports(dir.path(), &[], &mut second_notes)
            .unwrap();
        assert!(Arc::ptr_eq(&first, &second));
        assert_eq!(second_notes, first_notes);

        // Given paths are listed afresh, and a new workspace walks again.
        let given = workspace
            .reports(dir.path(), &[PathBuf::from("docs")], &mut Vec::new())
            .unwrap();
        assert_eq!(names(&given).len(), 2);
        let reopened = Workspace::open(dir.path(), None).unwrap();
        let again = reopened.reports(dir.path(), &[], &mut Vec::new()).unwrap();
        assert_eq!(
            names(&again),
            ["docs/status/2016_uke_38.rst", "docs/status/2016_uke_40.rst"]
        );
    }

    #[test]
    fn a_tree_of_too_many_files_keeps_no_names() {
        let files = |n: usize| {
            (0..n)
                .map(|i| PathBuf::from(format!("/r/{i}.rst")))
                .collect()
        };
        assert_eq!(known_files(files(3), 3).len(), 3);
        assert!(known_files(files(4), 3).is_empty());
    }

    #[test]
    fn the_walk_answers_for_the_regular_files_it_met_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let status = root.join("docs/status");
        std::fs::create_dir_all(&status).unwrap();
        std::fs::create_dir_all(root.join("docs/plans")).unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let outside = elsewhere.path().canonicalize().unwrap();
        std::fs::write(status.join("2016_uke_38.rst"), "Uke 38\n======\n").unwrap();
        std::fs::write(root.join("docs/plans/plan.rst"), "Plan\n").unwrap();
        std::fs::write(root.join("docs/.gitignore"), "ignored.rst\n").unwrap();
        std::fs::write(root.join("docs/ignored.rst"), "x\n").unwrap();
        std::fs::write(outside.join("secret.rst"), "x\n").unwrap();
        std::os::unix::fs::symlink(outside.join("secret.rst"), status.join("linked.rst")).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("docs/folder")).unwrap();
        let workspace = Workspace::open(&root, None).unwrap();
        let report = status.join("2016_uke_38.rst");

        // Nothing is known before the whole tree is walked, nor after a
        // walk of given paths only.
        assert!(!workspace.walked_regular_file(&report));
        workspace
            .reports(&root, &[PathBuf::from("docs")], &mut Vec::new())
            .unwrap();
        assert!(!workspace.walked_regular_file(&report));

        workspace.reports(&root, &[], &mut Vec::new()).unwrap();
        assert!(workspace.walked_regular_file(&report));
        assert!(workspace.walked_regular_file(&root.join("docs/plans/plan.rst")));
        for unknown in [
            // a symbolic link, a file behind a linked folder, an ignored one
            status.join("linked.rst"),
            root.join("docs/folder/secret.rst"),
            root.join("docs/ignored.rst"),
            // a folder, a path not written plainly, one created since
            root.join("docs/plans"),
            status.join("../plans/plan.rst"),
            status.join("2016_uke_39.rst"),
        ] {
            assert!(!workspace.walked_regular_file(&unknown), "{unknown:?}");
        }
        std::fs::write(status.join("2016_uke_39.rst"), "Uke 39\n").unwrap();
        assert!(!workspace.walked_regular_file(&status.join("2016_uke_39.rst")));

        // A link target the walk met is found; one it did not is looked up.
        use crate::rules::links::Targets;
        assert!(matches!(
            workspace.locate(&root.join("docs/plans/plan.rst")),
            Located::Inside { is_file: true, .. }
        ));
        assert!(matches!(
            workspace.locate(&root.join("docs/folder/secret.rst")),
            Located::Outside
        ));
        assert!(matches!(
            workspace.locate(&status.join("2016_uke_39.rst")),
            Located::Inside { is_file: true, .. }
        ));
    }
}
