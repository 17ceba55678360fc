//! `--staged`: the files of the commit, as git will commit them.
//!
//! One semantics for every hook: the pre-commit framework passes file names
//! (`check --staged FILE…`), a plain git hook passes none (`check
//! --staged`); both read the index, never the working tree:
//!
//! - without paths, the files staged (added, modified, renamed) are checked;
//!   with paths, every file under them as it is in the index, so
//!   `pre-commit run --all-files` checks what is committed;
//! - a staged symbolic link is followed inside the index (its blob is only
//!   the name it points at); one that leads outside the repository is
//!   refused by name;
//! - links are judged against the index: a link to a file that is not
//!   staged fails, a link to a file deleted only in the working tree passes;
//! - a renamed report (`git mv`) keeps its publication: it is not "first
//!   committed today".

use super::*;
use crate::boundary::{Located, Refusal};
use crate::git::{FileMode, IndexSnapshot, StagedFile};
use crate::rules::links::Targets;
use crate::text::nfc;

/// How many symbolic links are followed in a row before giving up (a
/// loop, or a chain nobody means).
const MAX_LINK_HOPS: usize = 8;

/// The files a `--staged` run checks.
pub(super) struct StagedSelection {
    pub(super) files: Vec<ReportFile>,
    /// Every path staged (reports or not), for the run's scope.
    pub(super) touched: Vec<String>,
    /// Staged symbolic links that lead outside the repository.
    pub(super) failures: Vec<Error>,
    pub(super) notes: Vec<Note>,
}

/// The reports of a `--staged` run: the `staged` ones, or with `wanted`
/// (absolute paths from the command line) every file under them.
pub(super) fn select(
    workspace: &Workspace,
    staged: Vec<StagedFile>,
    snapshot: &IndexSnapshot,
    wanted: &[PathBuf],
) -> Result<StagedSelection> {
    let mut touched: Vec<String> = staged.iter().map(|s| s.path.clone()).collect();
    let entries: Vec<StagedFile> = if wanted.is_empty() {
        staged
    } else {
        let mut by_path: HashMap<String, StagedFile> =
            staged.into_iter().map(|s| (s.path.clone(), s)).collect();
        let prefixes: Vec<String> = wanted
            .iter()
            .filter_map(|w| workspace.relative(w))
            .collect();
        let under = |path: &str| {
            prefixes.iter().any(|p| {
                p.is_empty()
                    || path == p
                    || path
                        .strip_prefix(p.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            })
        };
        // Handed: the given paths themselves, and what is staged under them.
        touched.retain(|path| under(path));
        touched.extend(prefixes.iter().cloned());
        let mut paths: Vec<String> = snapshot
            .files()
            .into_iter()
            .filter(|path| under(path))
            .map(str::to_owned)
            .collect();
        // A file inside a collapsed folder of a sparse index is not listed:
        // a path given by name is looked up there.
        for prefix in &prefixes {
            if !paths.contains(prefix) && snapshot.contains_file(prefix) {
                paths.push(prefix.clone());
            }
        }
        paths
            .into_iter()
            .filter(|path| workspace.is_report_path(path))
            .filter_map(|path| match by_path.remove(&path) {
                Some(staged) => Some(staged),
                None => Some(StagedFile {
                    content: snapshot.content(&path)?,
                    mode: snapshot.mode(&path)?,
                    renamed_from: None,
                    path,
                }),
            })
            .collect()
    };

    let mut selection = StagedSelection {
        files: Vec::new(),
        touched,
        failures: Vec::new(),
        notes: Vec::new(),
    };
    for entry in entries {
        let Some(mut file) = workspace.report_at(&entry.path) else {
            continue;
        };
        let content = match entry.mode {
            FileMode::Symlink => match follow(snapshot, &entry.path, &entry.content) {
                Ok(content) => content,
                Err(Refusal::Missing) => {
                    selection.notes.push(Note {
                        path: Some(entry.path.clone()),
                        message: "a symbolic link to nothing in the index, skipped".into(),
                    });
                    continue;
                }
                Err(refusal) => {
                    selection.failures.push(Error::BadPath {
                        path: PathBuf::from(&entry.path),
                        reason: refusal.to_string(),
                    });
                    continue;
                }
            },
            FileMode::Regular | FileMode::Executable => entry.content,
        };
        file.content = Some(content);
        file.renamed_from = entry.renamed_from;
        selection.files.push(file);
    }
    selection.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(selection)
}

/// The staged content a symbolic link at `path` (with link text `text`)
/// leads to, followed inside the index.
fn follow(snapshot: &IndexSnapshot, path: &str, text: &[u8]) -> Result<Vec<u8>, Refusal> {
    let target = join_link(path, text).ok_or(Refusal::Outside)?;
    match resolve(snapshot, &target, 1)? {
        Some(resolved) if snapshot.mode(&resolved).is_some() => {
            snapshot.content(&resolved).ok_or(Refusal::Missing)
        }
        _ => Err(Refusal::Missing),
    }
}

/// `path` with every symbolic link on the way replaced by where it leads in
/// the index; `Ok(None)` when nothing is there; `Refusal::Outside` when a
/// link leads out of the repository.
fn resolve(snapshot: &IndexSnapshot, path: &str, hops: usize) -> Result<Option<String>, Refusal> {
    if hops > MAX_LINK_HOPS {
        return Err(Refusal::NotAFile("a loop of symbolic links"));
    }
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    for end in 1..=parts.len() {
        let prefix = parts[..end].join("/");
        if snapshot.mode(&prefix) == Some(FileMode::Symlink) {
            let text = snapshot.content(&prefix).ok_or(Refusal::Missing)?;
            let mut target = join_link(&prefix, &text).ok_or(Refusal::Outside)?;
            for rest in &parts[end..] {
                target = format!("{target}/{rest}");
            }
            return resolve(snapshot, target.trim_start_matches('/'), hops + 1);
        }
    }
    let exists = snapshot.contains_file(path) || snapshot.contains_dir(path);
    Ok(exists.then(|| path.to_owned()))
}

/// The repository-relative path a link at `link` with text `text` names,
/// cleaned lexically; `None` if it is absolute or climbs out.
fn join_link(link: &str, text: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(text);
    if text.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = link.split('/').collect();
    parts.pop();
    for part in text.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(nfc(&parts.join("/")).into_owned())
}

/// Link targets looked up in the index.
pub(super) struct IndexTargets<'s, 'r> {
    pub(super) root: &'s Path,
    pub(super) snapshot: &'s IndexSnapshot<'r>,
}

impl Targets for IndexTargets<'_, '_> {
    fn locate(&self, path: &Path) -> Located {
        let Ok(relative) = path.strip_prefix(self.root) else {
            return Located::Outside;
        };
        let parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let relative = nfc(&parts.join("/")).into_owned();
        match resolve(self.snapshot, &relative, 0) {
            Ok(Some(resolved)) => Located::Inside {
                is_file: self.snapshot.contains_file(&resolved),
                canonical: self.root.join(&resolved),
            },
            Ok(None) => Located::Missing,
            Err(Refusal::Outside) => Located::Outside,
            Err(_) => Located::Missing,
        }
    }
}

/// Runs `broken-link` on the checked staged reports against the index.
pub(super) fn check_links(
    workspace: &Workspace,
    snapshot: &IndexSnapshot,
    checked: &mut [CheckedFile],
) {
    let targets = IndexTargets {
        root: &workspace.root,
        snapshot,
    };
    for file in checked.iter_mut() {
        let (Some(document), Some(schema)) = (&file.report.document, &file.report.schema) else {
            continue;
        };
        let abs_path = workspace.root.join(&file.report.path);
        let ctx = FileContext {
            path: &file.report.path,
            abs_path: &abs_path,
            doc: document,
            schema,
            root: &workspace.root,
            sphinx_source: workspace.config.sphinx_source.as_deref(),
        };
        rules::links::check(&ctx, &targets, &mut file.diagnostics);
    }
}

#[cfg(test)]
mod tests {
    use super::join_link;

    #[test]
    fn link_text_is_joined_from_the_link_s_folder() {
        assert_eq!(
            join_link("docs/status/a.rst", b"../plans/p.rst").as_deref(),
            Some("docs/plans/p.rst")
        );
        assert_eq!(
            join_link("docs/a.rst", b"./b.rst").as_deref(),
            Some("docs/b.rst")
        );
        assert_eq!(join_link("docs/a.rst", b"../../x"), None);
        assert_eq!(join_link("a.rst", b"/etc/passwd"), None);
    }
}
