//! `milepost completions SHELL` and `milepost man`: what packagers ship
//! beside the binary, generated from the clap types so that they can never
//! describe another version's flags.

use std::io::Write;
use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;
use milepost::render::escape;

use super::args::Cli;
use super::output::{Output, write_atomically};
use super::{EXIT_OK, cannot_run};

/// Prints the completion script for `shell`. It is generated into memory
/// first: clap_complete panics when its writer fails, and a closed pipe
/// (`milepost completions bash | head`) is not worth a panic.
pub fn completions(shell: Shell, mut out: Output, stderr: &mut dyn Write) -> u8 {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "milepost", &mut script);
    finish(out.write_all(&script), out, stderr)
}

/// The command as the man pages describe it: without clap's `help`
/// subcommand, which has no page of its own.
fn command() -> clap::Command {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    command
}

/// The man page of `command`, in roff.
fn page(command: clap::Command) -> std::io::Result<(String, Vec<u8>)> {
    let man = clap_mangen::Man::new(command);
    let mut roff = Vec::new();
    man.render(&mut roff)?;
    Ok((man.get_filename(), roff))
}

/// Prints the main page; with `--out DIR`, writes `milepost.1` and a page
/// per subcommand into DIR instead, each atomically, and names them on
/// stderr.
pub fn man(dir: Option<&Path>, mut out: Output, stderr: &mut dyn Write) -> u8 {
    let command = command();
    let Some(dir) = dir else {
        let result = page(command).and_then(|(_, roff)| out.write_all(&roff));
        return finish(result, out, stderr);
    };
    if !dir.is_dir() {
        return cannot_run(stderr, &format!("{}: is not a folder", dir.display()));
    }
    let subcommands: Vec<clap::Command> = command
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set())
        .cloned()
        .collect();
    for command in std::iter::once(command).chain(subcommands) {
        let written = page(command).and_then(|(name, roff)| {
            let path = dir.join(&name);
            write_atomically(&path, &roff)?;
            Ok(path)
        });
        match written {
            Ok(path) => {
                let shown = path.display().to_string();
                let _ = writeln!(stderr, "milepost: wrote {}", escape::terminal(&shown));
            }
            Err(err) => return cannot_run(stderr, &format!("cannot write a man page: {err}")),
        }
    }
    EXIT_OK
}

fn finish(result: std::io::Result<()>, out: Output, stderr: &mut dyn Write) -> u8 {
    match result.and_then(|()| out.finish()) {
        Ok(()) => EXIT_OK,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(err) => cannot_run(stderr, &format!("cannot write the output: {err}")),
    }
}
