//! `milepost init`: print what was inferred, write the files (or with
//! `--dry-run` print them), then check with them and print what still
//! fails, so the first thing a team sees is its real problems.

use std::io::Write;

use milepost::check::{self, CheckOptions};
use milepost::init::{self, Plan};
use milepost::render::{self, OutputFormat, RenderOptions, escape};

use super::args::InitArgs;
use super::output::Output;
use super::{EXIT_OK, cannot_run};

pub fn run(args: &InitArgs, mut out: Output, stderr: &mut dyn Write) -> u8 {
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(err) => return cannot_run(stderr, &format!("cannot read the current folder: {err}")),
    };
    let plan = match init::plan(&cwd) {
        Ok(plan) => plan,
        Err(err) => return cannot_run(stderr, &err.to_string()),
    };
    let result = summary(&mut out, &plan).and_then(|()| {
        if args.dry_run {
            for file in &plan.files {
                writeln!(out, "\n--- {} ---", file.path)?;
                write!(out, "{}", escape::terminal_lines(&file.text))?;
            }
            writeln!(out, "\n(dry run: nothing was written)")?;
        }
        Ok(())
    });
    if let Err(err) = result.and_then(|()| out.flush()) {
        return cannot_run(stderr, &format!("cannot write the output: {err}"));
    }
    if args.dry_run {
        return finish(out, stderr, EXIT_OK);
    }
    if let Err(err) = init::write(&plan, args.force) {
        let _ = out.finish();
        return cannot_run(stderr, &err.to_string());
    }
    let mut result = Ok(());
    for file in &plan.files {
        result = result.and_then(|()| writeln!(out, "wrote {}", escape::terminal(&file.path)));
    }
    let options = CheckOptions {
        cwd,
        ..CheckOptions::default()
    };
    let outcome = match check::run(&options) {
        Ok(outcome) => outcome,
        Err(err) => {
            // The files are written; that they cannot be used is init's
            // failure, and must not pass for success.
            let _ = out.finish();
            return cannot_run(
                stderr,
                &format!("the written files cannot be used by `milepost check`: {err}"),
            );
        }
    };
    let result = result.and_then(|()| {
        let summary = outcome.summary();
        writeln!(
            out,
            "\nmilepost check with these files: what still fails ({} errors, {} warnings, {} infos):",
            summary.errors, summary.warnings, summary.infos
        )?;
        render::render(
            &mut out,
            &outcome,
            OutputFormat::Human,
            RenderOptions {
                quiet: true,
                statistics: false,
            },
        )
    });
    if let Err(err) = result {
        return cannot_run(stderr, &format!("cannot write the output: {err}"));
    }
    finish(out, stderr, EXIT_OK)
}

fn finish(out: Output, stderr: &mut dyn Write, code: u8) -> u8 {
    match out.finish() {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            cannot_run(stderr, &format!("cannot write the output: {err}"))
        }
        _ => code,
    }
}

/// What was inferred: the eras with their sections, the roles, the
/// excluded files with the reason.
fn summary(out: &mut Output, plan: &Plan) -> std::io::Result<()> {
    let proposal = &plan.proposal;
    let reports: usize = proposal.eras.iter().map(|e| e.files.len()).sum();
    writeln!(
        out,
        "Read {} report-like files: {} weekly reports in {} era(s), {} excluded.",
        proposal.read,
        reports,
        proposal.eras.len(),
        proposal.excluded.len()
    )?;
    for era in &proposal.eras {
        let span = match (era.first, era.last) {
            (Some(first), Some(last)) => format!(", {first} to {last}"),
            _ => String::new(),
        };
        writeln!(
            out,
            "\nera {}: {} reports{span}",
            escape::terminal(&era.name),
            era.files.len()
        )?;
        writeln!(out, "  title     {}", escape::terminal(&era.examples.1))?;
        match &era.examples.2 {
            Some(byline) if era.byline.is_some() => writeln!(
                out,
                "  byline    {} ({} of {})",
                escape::terminal(byline),
                era.bylines,
                era.files.len()
            )?,
            _ => writeln!(
                out,
                "  byline    none asked for ({} of {} have one)",
                era.bylines,
                era.files.len()
            )?,
        }
        writeln!(
            out,
            "  sections  {}",
            if era.order {
                "in this order:"
            } else {
                "in any order:"
            }
        )?;
        for section in &era.sections {
            let aliases = if section.aliases.is_empty() {
                String::new()
            } else {
                format!(" (also written {})", section.aliases.join(", "))
            };
            writeln!(
                out,
                "    {:<28} {:<12} {:>4}/{:<4} {}{}",
                escape::terminal(&section.title),
                milepost::init::roles::kind_name(section.kind),
                section.count,
                era.files.len(),
                if section.required {
                    "required"
                } else {
                    "optional"
                },
                escape::terminal(&aliases)
            )?;
        }
    }
    if !proposal.roles.is_empty() {
        writeln!(out, "\nroles:")?;
        for statement in &proposal.roles {
            writeln!(out, "  {}", escape::terminal(statement))?;
        }
    }
    if !proposal.excluded.is_empty() {
        writeln!(out, "\nexcluded (not weekly reports):")?;
        for excluded in &proposal.excluded {
            writeln!(
                out,
                "  {}: {}",
                escape::terminal(&excluded.path),
                escape::terminal(&excluded.reason)
            )?;
        }
    }
    for unread in &plan.unread {
        writeln!(
            out,
            "  {}: not read: {}",
            escape::terminal(&unread.path),
            escape::terminal(&unread.reason)
        )?;
    }
    Ok(())
}
