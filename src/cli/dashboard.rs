//! `milepost dashboard --out DIR`: the milestones page written to
//! `DIR/index.html`, and nothing else.
//!
//! DIR is the operator's choice and may be outside the repository (a web
//! server's folder); nothing is read from it. It is created when missing,
//! but only DIR itself: a mistyped parent is an error, not a new tree. The
//! page is written atomically (a temporary file beside it, then a rename),
//! and an existing `index.html` is replaced only with `--force`: it may be
//! someone's own page, and telling ours apart would mean reading it.

use std::io::Write;
use std::path::{Path, PathBuf};

use milepost::render::{self, escape};

use super::args::DashboardArgs;
use super::output::write_atomically;
use super::{EXIT_OK, cannot_run};

/// The folder a page is written to, absolute: links from the page to the
/// reports are relative to it. `--output-file`'s folder, else the current
/// one.
pub fn page_dir(output_file: Option<&Path>) -> std::io::Result<PathBuf> {
    let cwd = std::env::current_dir()?;
    let dir = match output_file.and_then(Path::parent) {
        Some(parent) if !parent.as_os_str().is_empty() => cwd.join(parent),
        _ => cwd,
    };
    // The real folder, so that `..` and symbolic links do not skew the
    // relative links; as given when it cannot be resolved.
    Ok(dir.canonicalize().unwrap_or(dir))
}

pub fn run(args: DashboardArgs, stderr: &mut dyn Write) -> u8 {
    let outcome = match super::milestones_run(args.config, args.as_of, stderr) {
        Ok(outcome) => outcome,
        Err(code) => return code,
    };
    let Some(milestones) = &outcome.milestones else {
        return super::EXIT_CANNOT_RUN;
    };
    let dir = match prepare(&args.out) {
        Ok(dir) => dir,
        Err(message) => return cannot_run(stderr, &message),
    };
    let target = dir.join("index.html");
    if let Ok(meta) = target.symlink_metadata() {
        let shown = escape::terminal(&target.display().to_string()).into_owned();
        if meta.is_dir() {
            return cannot_run(stderr, &format!("{shown}: is a folder"));
        }
        if !args.force {
            return cannot_run(stderr, &format!("{shown} exists; --force replaces it"));
        }
    }
    let mut page = Vec::new();
    let links = render::html::Links {
        page_dir: dir.clone(),
    };
    if let Err(err) = render::html::page(&mut page, milestones, &links) {
        return cannot_run(stderr, &format!("cannot render the page: {err}"));
    }
    if let Err(err) = write_atomically(&target, &page) {
        let shown = target.display().to_string();
        return cannot_run(stderr, &format!("{shown}: cannot write: {err}"));
    }
    let shown = target.display().to_string();
    let _ = writeln!(stderr, "milepost: wrote {}", escape::terminal(&shown));
    if outcome.failures.is_empty() {
        EXIT_OK
    } else {
        for failure in &outcome.failures {
            let failure = escape::terminal_line(&failure.to_string());
            let _ = writeln!(stderr, "milepost: error: {failure}");
        }
        super::EXIT_CANNOT_RUN
    }
}

/// DIR, absolute and real, created if missing (its parent must exist).
fn prepare(dir: &Path) -> Result<PathBuf, String> {
    let shown = escape::terminal(&dir.display().to_string()).into_owned();
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => return Err(format!("{shown}: is not a folder")),
        Err(_) => std::fs::create_dir(dir)
            .map_err(|err| format!("{shown}: cannot create the folder: {err}"))?,
    }
    dir.canonicalize()
        .map_err(|err| format!("{shown}: cannot resolve the folder: {err}"))
}
