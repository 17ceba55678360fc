//! `milepost config`: the resolved configuration, each value with where it
//! came from (a line of the config file, the command line, a built-in
//! default).

use std::io::Write;

use milepost::provenance::{self, Setting};
use milepost::render::escape;
use milepost::render::table::{Fit, TableStyle, fitted};
use milepost::workspace::Workspace;

use super::args::{ConfigArgs, TableFormat};
use super::output::Output;
use super::{EXIT_OK, cannot_run};

pub fn run(args: ConfigArgs, mut out: Output, stderr: &mut dyn Write) -> u8 {
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(err) => return cannot_run(stderr, &format!("cannot read the current folder: {err}")),
    };
    let mut workspace = match Workspace::open(&cwd, args.config.as_deref()) {
        Ok(workspace) => workspace,
        Err(err) => return cannot_run(stderr, &err.to_string()),
    };
    for (rule, level) in &args.severity {
        workspace.config.override_severity(*rule, *level);
    }
    let settings = match provenance::settings(&workspace, args.config.is_some(), &args.severity) {
        Ok(settings) => settings,
        Err(err) => return cannot_run(stderr, &err.to_string()),
    };
    let result = match args.format {
        TableFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "settings": settings }))
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(out))
        }
        TableFormat::Human => human(&mut out, &settings),
    };
    match result.and_then(|()| out.finish()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            cannot_run(stderr, &format!("cannot write the output: {err}"))
        }
        _ => EXIT_OK,
    }
}

fn human(out: &mut Output, settings: &[Setting]) -> std::io::Result<()> {
    let style = TableStyle {
        width: out.width,
        color: false,
    };
    let rows = settings
        .iter()
        .map(|s| {
            vec![
                escape::terminal(&s.key).into_owned().into(),
                escape::terminal(&s.value).into_owned().into(),
                escape::terminal(&s.origin.to_string()).into_owned().into(),
            ]
        })
        .collect();
    writeln!(
        out,
        "{}",
        fitted(
            &["setting", "value", "from"],
            rows,
            &[Fit::Keep, Fit::Words, Fit::Path],
            style
        )
    )
}
