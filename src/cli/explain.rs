//! `milepost explain [RULE]`: a rule's explanation rendered for a
//! terminal, or as Markdown or JSON; without a rule, all of them.

use std::io::Write;

use milepost::render::explain;
use milepost::rules::Rule;

use super::args::{ExplainArgs, ExplainFormat};
use super::output::Output;
use super::{EXIT_OK, cannot_run};

pub fn run(args: &ExplainArgs, mut out: Output, stderr: &mut dyn Write) -> u8 {
    let rule = match args.rule.as_deref().map(str::parse::<Rule>) {
        Some(Ok(rule)) => Some(rule),
        Some(Err(message)) => return cannot_run(stderr, &message),
        None => None,
    };
    let style = out.table_style();
    let result = match (args.format, rule) {
        (ExplainFormat::Human, Some(rule)) => explain::terminal(&mut out, rule, style),
        (ExplainFormat::Human, None) => explain::listing(&mut out, style),
        (ExplainFormat::Markdown, rule) => explain::markdown(&mut out, rule),
        (ExplainFormat::Json, rule) => explain::json(&mut out, rule),
    };
    match result.and_then(|()| out.finish()) {
        Ok(()) => EXIT_OK,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(err) => cannot_run(stderr, &format!("cannot write the output: {err}")),
    }
}
