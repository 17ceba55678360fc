//! `date-mismatch` in a run: after the history is read, so that the first
//! commit both resolves dates that are still ambiguous and is one of the
//! dates that must agree.

use super::*;

/// Whether any checked report is named by a date (the history is then
/// read for `date-mismatch` even when the history rules are off).
pub(super) fn any_dated(checked: &[CheckedFile]) -> bool {
    checked.iter().any(|file| file.report.info.named.is_some())
}

/// Resolves a date-named report's ambiguous dates with its first commit,
/// and takes its week from the day they settle on. Called before the
/// history rules judge the report (`late-report` needs its week).
pub(super) fn settle(file: &mut CheckedFile, commit: Option<NaiveDate>) {
    let Some(named) = file.report.info.named.as_mut() else {
        return;
    };
    named.resolve_with_commit(commit);
    if let Some(day) = named.day() {
        let (year, week) = dates::iso_week(day);
        file.report.info.year = Some(year);
        file.report.info.week = Some(week);
    }
}

/// Runs `date-mismatch` on each date-named report (settling its dates
/// first, for runs that read no history).
pub(super) fn apply_date_mismatch(workspace: &Workspace, checked: &mut [CheckedFile]) {
    let on = workspace.config.enabled(Rule::DateMismatch);
    for file in checked.iter_mut() {
        let commit = file
            .report
            .first_commit
            .as_ref()
            .map(history::commit_date)
            .or(file.published_today);
        settle(file, commit);
        let anchor = file.report.title_pos();
        let grace = file.report.schema.as_ref().map_or(7, |s| s.grace_days);
        let Some(named) = file.report.info.named.as_ref() else {
            continue;
        };
        if !on {
            continue;
        }
        if let Some(finding) =
            rules::dated::date_mismatch(&file.report.path, named, commit, grace, anchor)
        {
            file.diagnostics.push(finding);
        }
    }
}
