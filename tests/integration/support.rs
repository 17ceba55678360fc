//! Fixture helpers: a temporary tree of files and a way to run the real
//! binary in it. Trees live in the system temp folder, never inside this
//! repository, so milepost's own git repository cannot leak into a test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// A temporary folder of files.
pub struct Tree {
    dir: TempDir,
}

impl Tree {
    pub fn new() -> Tree {
        Tree {
            dir: tempfile::Builder::new()
                .prefix("milepost-test-")
                .tempdir()
                .expect("create a temporary folder"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` to `relative`, creating folders.
    pub fn file(&self, relative: &str, contents: impl AsRef<[u8]>) -> &Tree {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("create folders");
        std::fs::write(&path, contents).expect("write a fixture file");
        self
    }

    /// Runs `milepost ARGS` with this tree as the current folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), args)
    }
}

/// What a run of the binary printed and returned.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|err| {
            panic!(
                "stdout is not JSON ({err}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// `(path, line, rule)` of every finding in JSON output.
    pub fn findings(&self) -> Vec<(String, u64, String)> {
        self.json()["findings"]
            .as_array()
            .expect("findings is an array")
            .iter()
            .map(|f| {
                (
                    f["path"].as_str().expect("path").to_owned(),
                    f["line"].as_u64().expect("line"),
                    f["rule"].as_str().expect("rule").to_owned(),
                )
            })
            .collect()
    }

    /// The rule names of every finding in JSON output.
    pub fn rules(&self) -> Vec<String> {
        self.findings()
            .into_iter()
            .map(|(_, _, rule)| rule)
            .collect()
    }
}

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_milepost"))
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output: Output = Command::new(binary())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run the milepost binary");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A clean report in the seed's format for week `week` of 2016, dated on
/// the Friday of that week, optionally with the plan it links to.
pub fn good_report(week: u32) -> String {
    let friday =
        chrono::NaiveDate::from_isoywd_opt(2016, week, chrono::Weekday::Fri).expect("a valid week");
    let months = [
        "jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des",
    ];
    use chrono::Datelike;
    let date = format!(
        "{}. {} {}",
        friday.day(),
        months[friday.month0() as usize],
        friday.year()
    );
    format!(
        "======\nUke {week}\n======\nav Raymond Kristiansen, UH IaaS, {date}\n\n.. contents:: :depth: 2\n\n\
Fullført\n========\n\n- Oppgradering til mitaka i uke {week}.\n\n\
Under arbeid\n============\n\n- Det jobbes med å få på plass en tjeneste for DNS for instanser.\n\n\
Planlagt fremdrift\n==================\n\n- Oppgradere ceph til siste versjon.\n\n\
Utfordringer\n============\n\n- API-tilgang er ikke optimal slik den er satt opp nå.\n\n\
Oppdatert status\n================\n\nArbeidet frem til leveranse 14. november oppdateres fortløpende.\n"
    )
}
