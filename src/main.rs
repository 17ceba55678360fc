//! The `milepost` binary: argument parsing and exit codes live in `cli`;
//! everything else is the library.

#![forbid(unsafe_code)]

mod cli;
mod progress;

fn main() -> std::process::ExitCode {
    cli::main()
}
