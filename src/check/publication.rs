//! The history rules in a run: with `--staged` only for reports in no
//! commit yet, otherwise from one (cached) walk of the commit graph.

use super::*;

/// Whether a run may need the history walk, before its reports are read:
/// `milepost reports`, or a history rule on (date-mismatch only matters
/// when a report is named by a date, which is known later; the walk is then
/// made and unused when none is).
fn may_need_history(workspace: &Workspace, options: &CheckOptions) -> bool {
    let config = &workspace.config;
    options.wants_history
        || HISTORY_RULES.iter().any(|&rule| config.enabled(rule))
        || config.enabled(Rule::DateMismatch)
}

const HISTORY_RULES: [Rule; 3] = [
    Rule::LateReport,
    Rule::BylineVsCommit,
    Rule::EditedAfterPublish,
];

/// The one (cached) walk of the history a whole or scoped run judges
/// reports by; `None` for `--staged` (see [`apply_history`]), without a
/// repository, or when no rule needs it. Independent of the reports' text,
/// so it runs while they are being checked.
pub(super) fn read_history(
    workspace: &Workspace,
    repo: Option<&Repo>,
    options: &CheckOptions,
) -> Option<Result<crate::git::History>> {
    let repo = repo?;
    if options.staged || !may_need_history(workspace, options) {
        return None;
    }
    let prefix = workspace.project_prefix();
    let prefixes: Vec<String> = if prefix.is_empty() {
        Vec::new()
    } else {
        vec![prefix]
    };
    Some(repo.history(
        &|path| workspace.is_report_path(path),
        &prefixes,
        Some(&workspace.config.selection_key),
    ))
}

/// Runs the history rules: with `--staged`, only on reports that are not in
/// any commit yet (a report renamed in the commit is in one) (they are
/// published today, and nothing else needs the commit graph, which keeps
/// the hook fast); otherwise on every checked report, from `history`
/// ([`read_history`]). Returns the history, for the outcome to keep.
pub(super) fn apply_history(
    workspace: &Workspace,
    repo: Option<&Repo>,
    options: &CheckOptions,
    checked: &mut [CheckedFile],
    notes: &mut Vec<Note>,
    history: Option<Result<crate::git::History>>,
) -> Result<Option<crate::git::History>> {
    let config = &workspace.config;
    let rules_on = HISTORY_RULES.iter().any(|&rule| config.enabled(rule))
        || (config.enabled(Rule::DateMismatch) && super::dated::any_dated(checked));
    if (!options.wants_history && !rules_on) || checked.is_empty() {
        return Ok(None);
    }
    let Some(repo) = repo else {
        notes.push(Note {
            path: None,
            message: "not a git repository: late-report, byline-vs-commit and edited-after-publish were skipped".into(),
        });
        return Ok(None);
    };
    let days = |rule: Rule| config.rule(rule).days.unwrap_or(rule.default_days());
    let limits = history::Limits {
        late_days: days(Rule::LateReport),
        byline_days: days(Rule::BylineVsCommit),
        edit_days: days(Rule::EditedAfterPublish),
        check_edits: config.enabled(Rule::EditedAfterPublish),
    };

    if options.staged {
        let today = options
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        for file in checked.iter_mut() {
            // Published before: under this name, or under the one it was
            // renamed from in this commit.
            if file.renamed || repo.read_head(&file.report.path)?.is_some() {
                continue;
            }
            file.published_today = Some(today);
            super::dated::settle(file, Some(today));
            let due = due(workspace, file);
            judge(
                file,
                Publication::BeingCommitted(today),
                limits,
                due,
                &|_| None,
            );
        }
        return Ok(None);
    }

    let history = match history {
        Some(history) => history?,
        None => match read_history(workspace, Some(repo), options) {
            Some(history) => history?,
            None => return Ok(None),
        },
    };
    if history.shallow {
        notes.push(Note {
            path: None,
            message: "this clone is shallow: reports first seen at its boundary have no known first commit, so late-report and byline-vs-commit skip them; fetch the full history (`git fetch --unshallow`, or `fetch-depth: 0` with actions/checkout)".into(),
        });
    }
    notes.extend(history.notes.iter().map(|message| Note {
        path: None,
        message: message.clone(),
    }));
    for file in checked.iter_mut() {
        let Some(file_history) = history.files.get(&file.report.path) else {
            continue;
        };
        if !file_history.boundary {
            let first = history::commit_date(&file_history.first);
            super::dated::settle(file, Some(first));
        }
        let due = due(workspace, file);
        judge(
            file,
            Publication::Committed(file_history),
            limits,
            due,
            &|blob| repo.blob(blob),
        );
        if !file_history.boundary {
            file.report.first_commit = Some(CommitInfo::clone(&file_history.first));
        }
        file.report.last_commit = Some(CommitInfo::clone(&file_history.last));
    }
    Ok(Some(history))
}

/// The history rules on one report, published as `publication` says.
fn judge(
    file: &mut CheckedFile,
    publication: Publication,
    limits: history::Limits,
    due: Option<(chrono::NaiveDateTime, u32)>,
    read_blob: &dyn Fn(git2::Oid) -> Option<Vec<u8>>,
) {
    let published = Published {
        path: &file.report.path,
        info: &file.report.info,
        anchor: file.report.title_pos(),
        publication,
        due,
    };
    let findings = history::check(&published, limits, read_blob);
    file.diagnostics.extend(findings);
}

/// When a report is due by its series' cadence, with the days of grace
/// after the deadline (`late-report: days`, none unless configured): a
/// date-named report on or after its date, a week-numbered one on or
/// after the Friday of its week.
fn due(workspace: &Workspace, file: &CheckedFile) -> Option<(chrono::NaiveDateTime, u32)> {
    let cadence = super::series::cadence_of(workspace, &file.report.path);
    // A deadline that names only a time is on the cadence's `on` day.
    let deadline = crate::cadence::Deadline {
        weekday: cadence.deadline?.weekday.or(cadence.on),
        ..cadence.deadline?
    };
    let info = &file.report.info;
    let (day, of_week) = match info.named.as_ref().and_then(|named| named.day()) {
        Some(day) => (day, false),
        None => (dates::week_bounds(info.year?, info.week?)?.0, true),
    };
    let grace = workspace.config.rule(Rule::LateReport).days.unwrap_or(0);
    Some((deadline.due(day, of_week), grace))
}
