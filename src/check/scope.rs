//! What a run reports on.
//!
//! A run given paths, `--staged` or `--changed-since` answers for what it
//! was given, and nothing else: a commit that touches one report must not
//! fail because a milestone elsewhere is overdue. Repository-wide findings
//! (`missing-report` across a series, the milestone rules) belong to a
//! whole `check` and to `milepost milestones`; a scoped run does not even
//! compute them, unless the file they are about is among what it was given
//! (a changed milestones file is judged with its findings).

use super::*;

/// The files a run answers for.
#[derive(Debug)]
pub(super) enum Scope {
    /// Every report of the project, and the repository-wide rules.
    Whole,
    /// Only findings located in these repository-relative paths.
    Files(HashSet<String>),
}

impl Scope {
    /// The scope of a run over `reports`, given `touched`: the
    /// repository-relative paths the run was handed besides them (staged or
    /// changed files), or, for explicit paths, nothing (the given paths
    /// themselves decide).
    pub(super) fn of(
        workspace: &Workspace,
        options: &CheckOptions,
        reports: &[ReportFile],
        touched: &[String],
    ) -> Scope {
        let given: Vec<PathBuf> = options
            .paths
            .iter()
            .map(|p| absolute(&options.cwd, p))
            .map(|p| p.canonicalize().unwrap_or(p))
            .collect();
        let explicit_only = !options.staged && options.changed_since.is_none();
        // No paths, or one that holds the project folder (`check .` at the
        // root): the whole project.
        if explicit_only
            && (given.is_empty() || given.iter().any(|g| workspace.project.starts_with(g)))
        {
            return Scope::Whole;
        }
        let mut files: HashSet<String> = reports.iter().map(|r| r.path.clone()).collect();
        for config_file in workspace.config_files() {
            let handed = if explicit_only {
                let abs = workspace.root.join(&config_file);
                given.iter().any(|g| abs.starts_with(g))
            } else {
                touched.contains(&config_file)
            };
            if handed {
                files.insert(config_file);
            }
        }
        Scope::Files(files)
    }

    pub(super) fn is_whole(&self) -> bool {
        matches!(self, Scope::Whole)
    }

    /// Whether findings located in `path` are reported.
    pub(super) fn covers(&self, path: &str) -> bool {
        match self {
            Scope::Whole => true,
            Scope::Files(files) => files.contains(path),
        }
    }

    /// Drops the findings located outside the scope.
    pub(super) fn retain(&self, diagnostics: &mut Vec<Diagnostic>) {
        if let Scope::Files(files) = self {
            diagnostics.retain(|d| files.contains(&d.path));
        }
    }
}
