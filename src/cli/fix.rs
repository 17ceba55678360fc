//! `check --fix` and `check --diff`: the repairs `milepost::fix` can prove,
//! shown as a unified diff or written.
//!
//! `--diff` prints the diff to stdout and changes nothing; its exit code
//! is the check's. `--fix` writes each repaired report (atomically, and
//! only if it did not change since it was read), says what it fixed on
//! stderr, then checks again: the output and the exit code are those of
//! what is left. With `--staged` the repair is computed from the staged
//! content and written to the working tree only when the working tree
//! holds exactly that content (no unstaged changes); otherwise the diff
//! is printed instead, and the file is not touched.

use std::io::Write;

use milepost::check::{self, CheckOptions, CheckOutcome};
use milepost::diagnostic::Diagnostic;
use milepost::fix::{self, FIXABLE, Input, diff, write::NotWritten};
use milepost::render::escape;
use milepost::report::{self, Format};
use milepost::workspace::Workspace;

use super::args::CheckArgs;
use super::output::Output;
use super::{EXIT_CANNOT_RUN, EXIT_FINDINGS, EXIT_OK, cannot_run};
use crate::progress::TerminalProgress;

pub fn run(mut args: CheckArgs, mut out: Output, stderr: &mut dyn Write) -> u8 {
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(err) => return cannot_run(stderr, &format!("cannot read the current folder: {err}")),
    };
    let options = CheckOptions {
        cwd: cwd.clone(),
        paths: args.paths.clone(),
        config: args.config.clone(),
        severities: args.severity.clone(),
        baseline: args.baseline.clone(),
        staged: args.staged,
        changed_since: args.changed_since.clone(),
        as_of: args.as_of,
        ..CheckOptions::default()
    };
    let outcome = match check::run_with_progress(&options, &TerminalProgress::new(!args.quiet)) {
        Ok(outcome) => outcome,
        Err(err) => return cannot_run(stderr, &err.to_string()),
    };
    let (workspace, repo) = match Workspace::open_with_repo(&cwd, args.config.as_deref()) {
        Ok(opened) => opened,
        Err(err) => return cannot_run(stderr, &err.to_string()),
    };
    let snapshot = match (&repo, args.staged) {
        (Some(repo), true) => match repo.index_snapshot() {
            Ok(snapshot) => Some(snapshot),
            Err(err) => return cannot_run(stderr, &err.to_string()),
        },
        _ => None,
    };
    let staged = |path: &str| snapshot.as_ref().and_then(|s| s.content(path));

    let mut failed = false;
    let mut reports: Vec<_> = outcome.reports.iter().collect();
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    for report in reports {
        let findings: Vec<Diagnostic> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.path == report.path && FIXABLE.contains(&d.rule))
            .cloned()
            .collect();
        let (Some(schema), Some(format)) = (&report.schema, Format::from_path(&report.path)) else {
            continue;
        };
        if findings.is_empty() {
            continue;
        }
        let shown = escape::terminal(&report.path).into_owned();
        let abs = workspace.root.join(&report.path);
        let on_disk = workspace.boundary.read(&abs).ok();
        // What the check judged: the staged content with --staged.
        let original = if args.staged {
            staged(&report.path)
        } else {
            on_disk.clone()
        };
        let Some(original) = original else { continue };
        // Only text that decodes to itself (UTF-8, `\n` line ends, no BOM)
        // is edited: a repair must not rewrite every line end.
        let Ok(text) = String::from_utf8(original.clone()) else {
            continue;
        };
        if text.contains('\r') || text.starts_with('\u{feff}') {
            let _ = writeln!(
                stderr,
                "milepost: note: {shown}: not fixed: its line ends or byte-order mark would change"
            );
            continue;
        }
        let document = report::parse(format, &text);
        let input = Input {
            path: &report.path,
            text: &text,
            format,
            document: &document,
            schema,
            byline_date: report.info.date,
        };
        let fixes = match &repo {
            Some(repo) => fix::fixes(&input, &findings, &History(repo)),
            None => fix::fixes(&input, &findings, &fix::NoMoves),
        };
        let (fixed, applied) = fix::apply(&text, &fixes);
        if applied.is_empty() {
            continue;
        }
        let patch = diff::unified(&report.path, &text, &fixed);
        let patch_shown: Vec<_> = patch.split('\n').map(escape::terminal).collect();
        let patch_shown = patch_shown.join("\n");
        if args.diff {
            let _ = out.write_all(patch_shown.as_bytes());
            continue;
        }
        if on_disk.as_deref() != Some(original.as_slice()) {
            // --staged, and the working tree differs from the index.
            let _ = writeln!(
                stderr,
                "milepost: {shown} has unstaged changes: not fixed; the repair of its staged content:"
            );
            let _ = stderr.write_all(patch_shown.as_bytes());
            continue;
        }
        let read_now = |path: &std::path::Path| workspace.boundary.read(path).ok();
        match fix::write::replace_if_unchanged(&abs, &original, fixed.as_bytes(), read_now) {
            Ok(()) => {
                let what: Vec<&str> = applied.iter().map(|f| f.what.as_str()).collect();
                let _ = writeln!(
                    stderr,
                    "milepost: fixed {} in {shown}: {}",
                    plural(applied.len()),
                    escape::terminal(&what.join("; "))
                );
                if args.staged {
                    let _ = writeln!(
                        stderr,
                        "milepost: {shown} was fixed in the working tree: stage it to commit the fix"
                    );
                }
            }
            Err(NotWritten::Changed) => {
                let _ = writeln!(stderr, "milepost: error: {shown}: {}", NotWritten::Changed);
                failed = true;
            }
            Err(err) => {
                let _ = writeln!(stderr, "milepost: error: cannot write {shown}: {err}");
                failed = true;
            }
        }
    }
    if args.diff {
        let code = exit_code(&outcome, &args);
        let _ = out.finish();
        return code;
    }
    drop(outcome);
    // What is left decides the output and the exit code.
    args.fix = false;
    let code = super::check::run(args, out, stderr);
    if failed { EXIT_CANNOT_RUN } else { code }
}

/// git's history of moves, for the `:doc:` link repair.
struct History<'r>(&'r milepost::git::Repo);

impl fix::Moves for History<'_> {
    fn moved_to(&self, olds: &[&str]) -> Option<(usize, String)> {
        self.0.moved_to(olds)
    }
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 finding".to_owned()
    } else {
        format!("{n} findings")
    }
}

fn exit_code(outcome: &CheckOutcome, args: &CheckArgs) -> u8 {
    if !outcome.failures.is_empty() {
        EXIT_CANNOT_RUN
    } else if check::fails(outcome, args.fail_on.severity()) && !args.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_words() {
        assert_eq!(plural(1), "1 finding");
        assert_eq!(plural(3), "3 findings");
    }
}
