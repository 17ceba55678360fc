//! `date-mismatch` in a run: after the history is read, so that the first
//! commit both resolves dates that are still ambiguous and is one of the
//! dates that must agree.

use super::*;

/// Whether any checked report is named by a date (the history is then
/// read for `date-mismatch` even when the history rules are off).
pub(super) fn any_dated(checked: &[CheckedFile]) -> bool {
    checked.iter().any(|file| file.report.info.named.is_some())
}

/// Resolves the dates of date-named reports with their first commits and
/// runs `date-mismatch` on each.
pub(super) fn apply_date_mismatch(workspace: &Workspace, checked: &mut [CheckedFile]) {
    let on = workspace.config.enabled(Rule::DateMismatch);
    for file in checked.iter_mut() {
        let commit = file.report.first_commit.as_ref().map(history::commit_date);
        let anchor = file.report.title_pos();
        let grace = file.report.schema.as_ref().map_or(7, |s| s.grace_days);
        let Some(named) = file.report.info.named.as_mut() else {
            continue;
        };
        named.resolve_with_commit(commit);
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
