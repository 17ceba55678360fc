//! `milepost init`: a starter config that fits the reports already in the
//! repository. It reads every report-like file (by the default selection:
//! `.rst` and `.md` files whose names hold `uke` or `week`), through the
//! [`Boundary`], with the day git says each was first committed, and
//! proposes which files are weekly reports, their eras (where the template
//! changed and stayed changed) and a schema per era.
//!
//! The work is split so that inference is tested on text, without a
//! folder: [`sample`] reads one file, [`shape`] turns names and titles into
//! patterns, [`roles`] gives sections their roles, [`eras`] finds the
//! change-points, [`infer`] puts it together, [`globs`] selects each era's files, [`mod@write`] renders and writes
//! the files. Only [`gather`] touches the file system and git.

pub mod eras;
pub mod globs;
pub mod infer;
pub mod roles;
pub mod sample;
pub mod shape;
pub mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::boundary::Boundary;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::schema::Schema;

pub use infer::{Excluded, Proposal};
pub use sample::Sample;
pub use write::ProposedFile;

/// What `init` would write, and where.
#[derive(Debug)]
pub struct Plan {
    pub proposal: Proposal,
    pub files: Vec<ProposedFile>,
    /// The folder the files go into (the current folder).
    pub project: PathBuf,
    /// The repository root.
    pub root: PathBuf,
    /// Files that could not be read, with the reason.
    pub unread: Vec<Excluded>,
}

/// Reads the repository under `cwd` and proposes the files.
pub fn plan(cwd: &Path) -> Result<Plan> {
    let project = cwd.canonicalize().map_err(|err| Error::io(cwd, err))?;
    let repo = Repo::discover(&project)?;
    let root = repo
        .as_ref()
        .map_or_else(|| project.clone(), |r| r.workdir().to_path_buf());
    let boundary = Boundary::new(root.clone());
    let (samples, unread) = gather(&project, &root, &boundary, repo.as_ref())?;
    let builtins: Vec<Schema> = crate::schema::BUILTIN
        .iter()
        .map(|(name, _)| Schema::builtin(name).unwrap_or_else(|| Err(missing(name))))
        .collect::<Result<_>>()?;
    let refs: Vec<&Schema> = builtins.iter().collect();
    let proposal = infer::infer(&samples, &refs);
    if proposal.eras.is_empty() {
        return Err(Error::BadPath {
            path: project.clone(),
            reason: format!(
                "no weekly reports found to infer a config from ({} report-like files: .rst and .md files whose names contain `uke` or `week`)",
                samples.len()
            ),
        });
    }
    let files = write::files(&proposal);
    Ok(Plan {
        proposal,
        files,
        project,
        root,
        unread,
    })
}

fn missing(name: &str) -> Error {
    Error::invalid(Path::new(name), None, "built-in schema missing")
}

/// Writes the plan's files (see [`write::write`]).
pub fn write(plan: &Plan, force: bool) -> Result<()> {
    write::write(
        &plan.project,
        &Boundary::new(plan.root.clone()),
        &plan.files,
        force,
    )
}

/// Every report-like file under `project`, read through `boundary`, with
/// its first commit from one walk of the history.
fn gather(
    project: &Path,
    root: &Path,
    boundary: &Boundary,
    repo: Option<&Repo>,
) -> Result<(Vec<Sample>, Vec<Excluded>)> {
    let defaults = Config::default_config()?;
    let mut found: Vec<(String, String, PathBuf)> = Vec::new();
    for entry in ignore::WalkBuilder::new(project).build().flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let (Ok(in_project), Ok(in_root)) = (path.strip_prefix(project), path.strip_prefix(root))
        else {
            continue;
        };
        let slashed =
            |p: &Path| crate::text::nfc(&p.to_string_lossy().replace('\\', "/")).into_owned();
        let relative = slashed(in_project);
        if defaults.select(&relative).is_some() {
            found.push((relative, slashed(in_root), path.to_path_buf()));
        }
    }
    found.sort();
    let committed: HashMap<String, chrono::NaiveDate> = match repo {
        Some(repo) => {
            let wanted: std::collections::HashSet<&str> =
                found.iter().map(|(_, r, _)| r.as_str()).collect();
            repo.history(&|path| wanted.contains(path), &[], None)?
                .files
                .into_iter()
                .filter(|(_, h)| !h.boundary)
                .map(|(path, h)| (path, h.first.time.date_naive()))
                .collect()
        }
        None => HashMap::new(),
    };
    let mut samples = Vec::new();
    let mut unread = Vec::new();
    for (relative, in_root, abs) in found {
        let text = boundary
            .read(&abs)
            .map_err(|refusal| refusal.to_string())
            .and_then(|bytes| {
                crate::source::decode(bytes).map_err(|_| "is not UTF-8 text".to_owned())
            });
        match text {
            Ok(text) => samples.push(Sample::from_text(
                &relative,
                &text,
                committed.get(&in_root).copied(),
            )),
            Err(reason) => unread.push(Excluded {
                path: relative,
                reason,
            }),
        }
    }
    Ok((samples, unread))
}
