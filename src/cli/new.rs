//! `milepost new`: finds the latest report of the series, asks git who is
//! writing, and writes the next report beside it (the text comes from
//! `milepost::scaffold`).
//!
//! The file is created, never replaced: a temporary file beside the target
//! is renamed onto the name only if nothing is there (`persist_noclobber`),
//! so a report someone started by hand, even one created a moment before,
//! is never overwritten.

use std::io::Write;

use chrono::{Datelike, NaiveDate, Weekday};

use milepost::check::CheckedReport;
use milepost::git::Repo;
use milepost::render::escape;
use milepost::scaffold::{self, Previous, Request};

use super::args::NewArgs;
use super::output::{Output, temp_beside};
use super::{EXIT_CANNOT_RUN, EXIT_OK, cannot_run};

pub fn run(args: NewArgs, mut out: Output, stderr: &mut dyn Write) -> u8 {
    let outcome = match super::documents_run(args.config.clone(), stderr) {
        Ok(outcome) => outcome,
        Err(code) => return code,
    };
    let Some(previous) = latest(&outcome.reports, args.schema.as_deref()) else {
        let which = args
            .schema
            .as_deref()
            .map_or_else(String::new, |name| format!(" of the {name} schema"));
        return cannot_run(
            stderr,
            &format!(
                "no report{which} with a week to follow: `milepost new` writes the report after the latest one, so write the first by hand"
            ),
        );
    };
    let (year, week) = match args.week {
        Some(week) => week,
        None => next_week(previous.info.year, previous.info.week),
    };
    let date = match args.date.as_deref() {
        None => friday(year, week),
        Some("today") => Some(chrono::Local::now().date_naive()),
        Some(text) => match super::args::parse_day(text) {
            Ok(day) => Some(day),
            Err(err) => return cannot_run(stderr, &format!("--date {err}")),
        },
    };
    let Some(date) = date else {
        return cannot_run(stderr, &format!("{year}-W{week:02} is not a week"));
    };

    let Ok(cwd) = std::env::current_dir() else {
        return cannot_run(stderr, "cannot read the current folder");
    };
    let workspace = match milepost::workspace::Workspace::open(&cwd, args.config.as_deref()) {
        Ok(workspace) => workspace,
        Err(err) => return cannot_run(stderr, &err.to_string()),
    };
    let abs_previous = workspace.root.join(&previous.path);
    let text = match workspace.boundary.read(&abs_previous) {
        Ok(bytes) => match milepost::source::decode(bytes) {
            Ok(text) => text,
            Err(_) => {
                return cannot_run(stderr, &format!("{}: is not UTF-8 text", previous.path));
            }
        },
        Err(refusal) => return cannot_run(stderr, &format!("{}: {refusal}", previous.path)),
    };
    // Reading the latest report's path and schema came from the run: both
    // are there for every report with a document.
    let (Some(document), Some(schema)) = (&previous.document, &previous.schema) else {
        return cannot_run(stderr, &format!("{}: could not be read", previous.path));
    };
    let author = Repo::discover(&workspace.root)
        .ok()
        .flatten()
        .and_then(|repo| repo.user_name());
    if author.is_none() {
        let _ = writeln!(
            stderr,
            "milepost: note: git's user.name is not set: the byline keeps the previous author"
        );
    }
    let request = Request {
        year,
        week,
        date,
        author: author.as_deref(),
    };
    let previous_view = Previous {
        path: &previous.path,
        text: &text,
        document,
        schema,
    };
    let new = match scaffold::scaffold(&previous_view, &request) {
        Ok(new) => new,
        Err(refused) => return cannot_run(stderr, &refused.to_string()),
    };
    let target = workspace.root.join(&new.path);
    let shown = escape::terminal(&new.path);
    if target.exists() || target.is_symlink() {
        return cannot_run(
            stderr,
            &format!("{shown} exists already: milepost new never overwrites a report"),
        );
    }
    if args.dry_run {
        let _ = writeln!(stderr, "milepost: would write {shown}");
        // Control characters copied from the previous report are shown
        // escaped; the text is otherwise as it would be written.
        let shown_text: Vec<_> = new.text.split('\n').map(escape::terminal).collect();
        let result = out
            .write_all(shown_text.join("\n").as_bytes())
            .and_then(|()| out.finish());
        return match result {
            Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
                cannot_run(stderr, &format!("cannot write the output: {err}"))
            }
            _ => EXIT_OK,
        };
    }
    match create_atomically(&target, new.text.as_bytes()) {
        Ok(()) => {
            let _ = writeln!(
                out,
                "wrote {shown} (after {})",
                escape::terminal(&previous.path)
            );
            let _ = out.finish();
            EXIT_OK
        }
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => cannot_run(
            stderr,
            &format!("{shown} exists already: milepost new never overwrites a report"),
        ),
        Err(err) => {
            let _ = writeln!(stderr, "milepost: error: cannot write {shown}: {err}");
            EXIT_CANNOT_RUN
        }
    }
}

/// The latest report (by week, then path) of the schema named, or of any
/// schema, that has a week and a document.
fn latest<'a>(reports: &'a [CheckedReport], schema: Option<&str>) -> Option<&'a CheckedReport> {
    reports
        .iter()
        .filter(|r| r.document.is_some() && r.info.week.is_some() && r.info.year.is_some())
        .filter(|r| {
            r.schema
                .as_ref()
                .is_some_and(|s| schema.is_none_or(|name| s.name == name))
        })
        .max_by(|a, b| {
            (a.info.year, a.info.week, &a.path).cmp(&(b.info.year, b.info.week, &b.path))
        })
}

/// The ISO week after (year, week).
fn next_week(year: Option<i32>, week: Option<u32>) -> (i32, u32) {
    let monday = year
        .zip(week)
        .and_then(|(y, w)| NaiveDate::from_isoywd_opt(y, w, Weekday::Mon));
    match monday.and_then(|m| m.checked_add_days(chrono::Days::new(7))) {
        Some(next) => (next.iso_week().year(), next.iso_week().week()),
        // `latest` only hands over reports with a week.
        None => (year.unwrap_or_default(), week.unwrap_or_default() + 1),
    }
}

fn friday(year: i32, week: u32) -> Option<NaiveDate> {
    NaiveDate::from_isoywd_opt(year, week, Weekday::Fri)
}

/// Creates `path` with `bytes`, atomically and only if nothing is there:
/// the temporary file is renamed onto the name without replacing.
pub(super) fn create_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let (mut file, temp) = temp_beside(path)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    temp.persist_noclobber(path).map_err(|err| err.error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_week_after_the_last_of_a_year_is_the_first_of_the_next() {
        assert_eq!(next_week(Some(2016), Some(38)), (2016, 39));
        assert_eq!(next_week(Some(2016), Some(52)), (2017, 1));
        assert_eq!(next_week(Some(2015), Some(53)), (2016, 1));
    }

    #[test]
    fn creating_never_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2016_uke_39.rst");
        std::fs::write(&path, "by hand").unwrap();
        let err = create_atomically(&path, b"generated").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "by hand");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
