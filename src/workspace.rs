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

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use ignore::WalkBuilder;
use rayon::prelude::*;

use crate::config::{Config, FILE_NAME, SchemaChoice};
use crate::diagnostic::Note;
use crate::error::{Error, Result};
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
    /// Folders already canonicalised, see [`Workspace::canonical`].
    canonical_dirs: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    /// Link targets already looked up, see [`Workspace::target`].
    targets: Mutex<HashMap<PathBuf, Option<Target>>>,
}

/// An existing path a link points at.
#[derive(Clone, Debug)]
pub struct Target {
    pub canonical: PathBuf,
    pub is_file: bool,
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
}

impl Workspace {
    /// Finds the root and the config from `cwd`; `config_path` (from
    /// `--config`) replaces discovery.
    pub fn open(cwd: &Path, config_path: Option<&Path>) -> Result<Workspace> {
        let cwd = cwd.canonicalize().map_err(|err| Error::io(cwd, err))?;
        let git_root = git_root(&cwd)?;
        let (config_path, discovered) = match config_path {
            Some(path) => (Some(absolute(&cwd, path)), false),
            None => (discover_config(&cwd, git_root.as_deref()), true),
        };
        let config = match &config_path {
            Some(path) => Config::load(path)?,
            None => Config::default_config()?,
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
        let project = config_dir
            .filter(|dir| dir.starts_with(&root))
            .unwrap_or_else(|| root.clone());
        Ok(Workspace {
            root,
            project,
            is_git,
            config,
            canonical_dirs: Mutex::default(),
            targets: Mutex::default(),
        })
    }

    /// The reports under `paths` (files or folders, relative to `cwd`), or
    /// every report in the repository when `paths` is empty. Problems met
    /// while walking (an unreadable folder) become notes.
    pub fn reports(
        &self,
        cwd: &Path,
        paths: &[PathBuf],
        notes: &mut Vec<Note>,
    ) -> Result<Vec<ReportFile>> {
        let mut files = Vec::new();
        if paths.is_empty() {
            self.walk(&self.project, &mut files, notes);
        }
        for path in paths {
            let given = absolute(cwd, path);
            let resolved = given.canonicalize().map_err(|err| Error::BadPath {
                path: path.clone(),
                reason: format!("cannot read: {}", io_reason(&err)),
            })?;
            if !resolved.starts_with(&self.root) {
                return Err(Error::BadPath {
                    path: path.clone(),
                    reason: format!("is outside the repository ({})", self.root.display()),
                });
            }
            if resolved.is_dir() {
                self.walk(&resolved, &mut files, notes);
            } else if let Some(file) = self.report_file(&resolved) {
                files.push(file);
            }
        }
        // Sorted by the printed name; two files may print alike (the NFC and
        // NFD spellings of one name are two files on Linux), so duplicates
        // are judged by the real path.
        files.sort_by(|a, b| {
            a.path
                .cmp(&b.path)
                .then_with(|| a.abs_path.cmp(&b.abs_path))
        });
        files.dedup_by(|a, b| a.abs_path == b.abs_path);
        Ok(files)
    }

    /// The canonical form of an existing path, or `None` if it does not
    /// exist. Folders are canonicalised once per run and remembered: link
    /// checks resolve tens of thousands of targets in a few folders, and a
    /// full `canonicalize` per target costs a `readlink` per component.
    fn canonical(&self, path: &Path) -> Option<PathBuf> {
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return path.canonicalize().ok();
        };
        let cached = self
            .canonical_dirs
            .lock()
            .ok()
            .and_then(|dirs| dirs.get(dir).cloned());
        let dir = match cached {
            Some(dir) => dir?,
            None => {
                let canonical = dir.canonicalize().ok();
                if let Ok(mut dirs) = self.canonical_dirs.lock() {
                    dirs.insert(dir.to_path_buf(), canonical.clone());
                }
                canonical?
            }
        };
        let joined = dir.join(name);
        match std::fs::symlink_metadata(&joined) {
            Ok(meta) if meta.file_type().is_symlink() => joined.canonicalize().ok(),
            Ok(_) => Some(joined),
            Err(_) => None,
        }
    }

    /// What `path` is, if it exists, remembered for the run: thousands of
    /// reports link the same few plan documents, and each lookup costs two
    /// or three system calls. The tree is not expected to change while one
    /// check runs.
    pub fn target(&self, path: &Path) -> Option<Target> {
        if let Some(known) = self
            .targets
            .lock()
            .ok()
            .and_then(|targets| targets.get(path).cloned())
        {
            return known;
        }
        let target = self.canonical(path).map(|canonical| Target {
            is_file: canonical.is_file(),
            canonical,
        });
        if let Ok(mut targets) = self.targets.lock() {
            targets.insert(path.to_path_buf(), target.clone());
        }
        target
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
        })
    }

    fn walk(&self, dir: &Path, files: &mut Vec<ReportFile>, notes: &mut Vec<Note>) {
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
        let mut plain: Vec<PathBuf> = Vec::new();
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                    plain.push(entry.into_path());
                }
                // Links to folders are not followed (no loops); a link to a
                // file is a report like any other, and a dangling one is
                // said so, if it is named like a report.
                Ok(entry) if entry.path_is_symlink() => {
                    if let Some(file) = self.report_file(entry.path()) {
                        if entry.path().is_file() {
                            files.push(file);
                        } else if !entry.path().exists() {
                            notes.push(Note {
                                path: Some(file.path),
                                message: "a symbolic link to nothing, skipped".into(),
                            });
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
        files.par_extend(plain.par_iter().filter_map(|path| self.report_file(path)));
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
fn git_root(cwd: &Path) -> Result<Option<PathBuf>> {
    Ok(crate::git::Repo::discover(cwd)?.map(|repo| repo.workdir().to_path_buf()))
}

/// The nearest `milepost.yaml` from `cwd` upwards, stopping at the
/// repository root (or at the file system root outside a repository).
fn discover_config(cwd: &Path, root: Option<&Path>) -> Option<PathBuf> {
    for dir in cwd.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if candidate.exists() {
            return Some(candidate);
        }
        if Some(dir) == root {
            break;
        }
    }
    None
}

/// `path` made absolute against `base` and cleaned of `.` and `..`
/// lexically, so that a path leaving the root is caught even when it does
/// not exist.
pub fn absolute(base: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    let mut clean = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other.as_os_str()),
        }
    }
    clean
}

fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => err.to_string(),
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
}
