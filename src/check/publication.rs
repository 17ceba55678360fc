//! The history rules in a run: with `--staged` only for reports in no
//! commit yet, otherwise from one (cached) walk of the commit graph.

use super::*;

/// Runs the history rules: with `--staged`, only on reports that are not in
/// any commit yet (a report renamed in the commit is in one) (they are published today, and nothing else needs the
/// commit graph, which keeps the hook fast); otherwise on every checked
/// report, from one (cached) walk of the history.
pub(super) fn apply_history(
    workspace: &Workspace,
    repo: Option<&Repo>,
    options: &CheckOptions,
    checked: &mut [CheckedFile],
    notes: &mut Vec<Note>,
) -> Result<()> {
    let config = &workspace.config;
    let wanted = [
        Rule::LateReport,
        Rule::BylineVsCommit,
        Rule::EditedAfterPublish,
    ];
    let rules_on = wanted.iter().any(|&rule| config.enabled(rule))
        || (config.enabled(Rule::DateMismatch) && super::dated::any_dated(checked));
    if (!options.wants_history && !rules_on) || checked.is_empty() {
        return Ok(());
    }
    let Some(repo) = repo else {
        notes.push(Note {
            path: None,
            message: "not a git repository: late-report, byline-vs-commit and edited-after-publish were skipped".into(),
        });
        return Ok(());
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
        return Ok(());
    }

    let prefix = workspace.project_prefix();
    let prefixes: Vec<String> = if prefix.is_empty() {
        Vec::new()
    } else {
        vec![prefix]
    };
    let history = repo.history(
        &|path| workspace.is_report_path(path),
        &prefixes,
        Some(&config.selection_key),
    )?;
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
    Ok(())
}

/// The history rules on one report, published as `publication` says.
fn judge(
    file: &mut CheckedFile,
    publication: Publication,
    limits: history::Limits,
    due: Option<(chrono::NaiveDateTime, u32)>,
    read_blob: &dyn Fn(&str) -> Option<Vec<u8>>,
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
