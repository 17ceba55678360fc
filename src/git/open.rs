//! Finding and opening the repository: one policy for every caller.
//!
//! git tells a hook where the repository is through the environment as
//! much as through the current folder: `git --git-dir=X --work-tree=Y
//! commit` exports `GIT_DIR` and `GIT_WORK_TREE` (the git dir need not be
//! inside the work tree), and `GIT_INDEX_FILE` names the index to check
//! (relative to the top of the work tree, as git resolves it). These are
//! honoured here, read once into a [`GitEnv`].
//!
//! libgit2 opens the repository when it can. When it cannot but git can (a
//! SHA-256 or reftable repository, which this build of libgit2 does not
//! read), the repository is opened through git's plumbing instead (see
//! `plumbing.rs`). When git cannot either (unknown repository extensions,
//! "dubious ownership"), the run stops with git's own message: a
//! repository that is there but unreadable is never taken for "no
//! repository", which would switch the history rules off silently.

use std::path::{Path, PathBuf};

use git2::{ErrorCode, Repository};

use crate::error::{Error, Result};

use super::plumbing::{self, Git};

/// What git's environment says about the repository, as a hook sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GitEnv {
    /// `GIT_DIR`: the git dir, without discovery.
    pub git_dir: Option<PathBuf>,
    /// `GIT_WORK_TREE`: the top of the work tree.
    pub work_tree: Option<PathBuf>,
    /// `GIT_INDEX_FILE`: the index to read; relative to the top of the work
    /// tree.
    pub index_file: Option<PathBuf>,
    /// The folder relative `GIT_DIR` and `GIT_WORK_TREE` are taken from,
    /// and the work tree when `GIT_DIR` is set alone (git's rule): the
    /// process's current folder.
    pub cwd: PathBuf,
}

impl GitEnv {
    /// The variables of this process (an empty value counts as unset).
    pub fn from_process() -> GitEnv {
        let var = |name: &str| {
            std::env::var_os(name)
                .filter(|value| !value.is_empty())
                .map(PathBuf::from)
        };
        GitEnv {
            git_dir: var("GIT_DIR"),
            work_tree: var("GIT_WORK_TREE"),
            index_file: var("GIT_INDEX_FILE"),
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        }
    }

    fn absolute(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.cwd.join(path)
        }
    }
}

/// How a repository was opened.
pub(crate) enum Backend {
    Libgit2(Repository),
    /// libgit2 cannot read this repository: git's plumbing answers.
    /// `why` is what libgit2 said.
    Plumbing {
        git: Git,
        why: String,
    },
}

/// An opened repository: how, and its folders (canonical where they
/// exist).
pub(crate) struct Opened {
    pub(crate) backend: Backend,
    pub(crate) workdir: PathBuf,
    pub(crate) index_file: PathBuf,
}

fn repository_error(path: &Path, message: impl Into<String>) -> Error {
    Error::Repository {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn bare(path: &Path) -> Error {
    repository_error(
        path,
        "is a bare repository: run milepost in a working tree (a clone or a worktree)",
    )
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// The index git would use: `GIT_INDEX_FILE` (relative to the top of the
/// work tree), else the git dir's (a worktree's own).
fn index_file(env: &GitEnv, workdir: &Path, git_dir: &Path) -> PathBuf {
    match &env.index_file {
        Some(path) if path.is_absolute() => path.clone(),
        Some(path) => workdir.join(path),
        None => git_dir.join("index"),
    }
}

/// Opens the repository whose work tree contains `dir` (or the one the
/// environment names); `Ok(None)` if there is none.
pub(crate) fn open(dir: &Path, env: &GitEnv) -> Result<Option<Opened>> {
    let git_dir = env.git_dir.as_deref().map(|path| env.absolute(path));
    let work_tree = env.work_tree.as_deref().map(|path| env.absolute(path));
    let attempt = match &git_dir {
        Some(git_dir) => Repository::open_ext(
            git_dir,
            git2::RepositoryOpenFlags::NO_SEARCH,
            std::iter::empty::<&std::ffi::OsStr>(),
        ),
        None => Repository::discover(dir),
    };
    let repo = match attempt {
        Ok(repo) => repo,
        Err(err) => return open_with_git(dir, env, git_dir, work_tree, &err),
    };
    let workdir = match (&work_tree, &git_dir) {
        (Some(work_tree), _) => work_tree.clone(),
        // `GIT_DIR` alone: the configured work tree, else (git's rule) the
        // current folder, unless the repository is bare.
        (None, Some(_)) => {
            let configured = repo
                .config()
                .ok()
                .and_then(|config| config.get_path("core.worktree").ok());
            match configured {
                Some(_) => match repo.workdir() {
                    Some(workdir) => workdir.to_path_buf(),
                    None => return Err(bare(repo.path())),
                },
                None if repo.is_bare() => return Err(bare(repo.path())),
                None => env.cwd.clone(),
            }
        }
        (None, None) => match repo.workdir() {
            Some(workdir) => workdir.to_path_buf(),
            None => return Err(bare(repo.path())),
        },
    };
    let workdir = canonical(&workdir);
    if repo.workdir().map(canonical).as_deref() != Some(workdir.as_path()) {
        repo.set_workdir(&workdir, false).map_err(|err| {
            repository_error(
                &workdir,
                format!("cannot use as the work tree: {}", err.message()),
            )
        })?;
    }
    let index_file = index_file(env, &workdir, repo.path());
    Ok(Some(Opened {
        backend: Backend::Libgit2(repo),
        workdir,
        index_file,
    }))
}

/// libgit2 could not open a repository: asks git. Where git finds one,
/// its plumbing serves; where git refuses it too, git's message is the
/// error; where neither finds one, there is none.
fn open_with_git(
    dir: &Path,
    env: &GitEnv,
    git_dir: Option<PathBuf>,
    work_tree: Option<PathBuf>,
    err: &git2::Error,
) -> Result<Option<Opened>> {
    let mut vars: Vec<(&str, &Path)> = Vec::new();
    if let Some(path) = &git_dir {
        vars.push(("GIT_DIR", path));
    }
    if let Some(path) = &work_tree {
        vars.push(("GIT_WORK_TREE", path));
    }
    let not_found = err.code() == ErrorCode::NotFound && git_dir.is_none();
    let found = match plumbing::discover(dir, &vars) {
        Ok(Some(found)) => found,
        Ok(None) if not_found => return Ok(None),
        // No git to ask: libgit2's answer stands.
        Err(_) if not_found => return Ok(None),
        Ok(None) => {
            return Err(repository_error(
                git_dir.as_deref().unwrap_or(dir),
                format!("cannot open the git repository: {}", err.message()),
            ));
        }
        Err(failure) => {
            return Err(repository_error(
                git_dir.as_deref().unwrap_or(dir),
                format!("git cannot use this repository: {failure}"),
            ));
        }
    };
    let Some(workdir) = found.work_tree else {
        return Err(bare(&found.git_dir));
    };
    let workdir = canonical(&workdir);
    let git_dir = canonical(&found.git_dir);
    let index_file = index_file(env, &workdir, &git_dir);
    let git = Git {
        git_dir,
        work_tree: workdir.clone(),
        index_file: index_file.clone(),
    };
    Ok(Some(Opened {
        backend: Backend::Plumbing {
            git,
            why: err.message().to_owned(),
        },
        workdir,
        index_file,
    }))
}
