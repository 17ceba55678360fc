//! Where each report sits in its series, for `missing-report`.

use super::*;

/// Where each report sits in its series: checked reports by what they say
/// about themselves (and the gaps before them they explain), the others
/// (`context`) by their file names.
pub(super) fn series_entries(
    workspace: &Workspace,
    checked: &[CheckedFile],
    context: &[ReportFile],
) -> Vec<SeriesEntry> {
    let by_name = |path: &str, schema: &SchemaChoice| match schema {
        SchemaChoice::Fixed(schema) => rules::structure::period_from_path(path, schema),
        // Week-numbered built-ins first: a week-named path never compiles
        // the date-named ones.
        SchemaChoice::ByLanguage => workspace
            .config
            .builtins
            .iter()
            .find_map(|schema| rules::structure::period_from_path(path, schema)),
    };
    let mut entries: Vec<SeriesEntry> = checked
        .iter()
        .filter_map(|file| {
            let info = &file.report.info;
            // A report that could not be read still fills its week.
            let (year, week) = match (info.year, info.week) {
                (Some(year), Some(week)) => (year, week),
                _ => by_name(&file.report.path, &file.choice)?,
            };
            let explained = file
                .report
                .document
                .as_ref()
                .map(|doc| rules::excuses::explained(doc, Some(year)))
                .unwrap_or_default();
            Some(SeriesEntry {
                path: file.report.path.clone(),
                year,
                week,
                day: info.named.as_ref().and_then(|named| named.day()),
                anchor: Some(file.report.title_pos()),
                explained,
            })
        })
        .collect();
    let checked_paths: std::collections::HashSet<&str> =
        checked.iter().map(|c| c.report.path.as_str()).collect();
    for file in context {
        if checked_paths.contains(file.path.as_str()) {
            continue;
        }
        if let Some((year, week)) = by_name(&file.path, &file.schema) {
            entries.push(SeriesEntry {
                path: file.path.clone(),
                year,
                week,
                day: None,
                anchor: None,
                explained: Default::default(),
            });
        }
    }
    entries
}

/// The cadence of the series a report (root-relative path) belongs to.
pub(super) fn cadence_of<'w>(workspace: &'w Workspace, path: &str) -> &'w crate::cadence::Cadence {
    let prefix = workspace.project_prefix();
    let relative = match prefix.as_str() {
        "" => path,
        prefix => path
            .strip_prefix(prefix)
            .and_then(|p| p.strip_prefix('/'))
            .unwrap_or(path),
    };
    workspace.config.cadence_at(relative)
}

/// The reports a scoped run needs besides the checked ones to judge their
/// carry-over sections: for each checked report with one, the report just
/// before it in its series (placed by file name), read for its facts. Not
/// in the commit hook (`--staged`), which reads nothing it was not given.
pub(super) fn carry_over_context(
    workspace: &Workspace,
    options: &CheckOptions,
    scope: &Scope,
    checked: &[CheckedFile],
) -> Result<Vec<CheckedFile>> {
    let carries = |file: &CheckedFile| {
        file.report
            .schema
            .as_ref()
            .is_some_and(|s| s.sections.iter().any(|spec| spec.copy_of.is_some()))
    };
    if scope.is_whole() || options.staged || !checked.iter().any(carries) {
        return Ok(Vec::new());
    }
    let checked_paths: std::collections::HashSet<&str> =
        checked.iter().map(|c| c.report.path.as_str()).collect();
    let others = workspace.reports(&options.cwd, &[], &mut Vec::new())?;
    let mut wanted: Vec<&ReportFile> = Vec::new();
    for file in checked.iter().filter(|file| carries(file)) {
        let (Some(year), Some(week)) = (file.report.info.year, file.report.info.week) else {
            continue;
        };
        let series = rules::series::series_key(&file.report.path);
        let before = others
            .iter()
            .filter(|other| {
                !checked_paths.contains(other.path.as_str())
                    && rules::series::series_key(&other.path) == series
            })
            .filter_map(|other| {
                let schema = match &other.schema {
                    SchemaChoice::Fixed(schema) => Arc::clone(schema),
                    SchemaChoice::ByLanguage => Arc::clone(workspace.config.builtins.first()),
                };
                let place = match &other.schema {
                    SchemaChoice::Fixed(_) => {
                        rules::structure::period_from_path(&other.path, &schema)
                    }
                    SchemaChoice::ByLanguage => workspace
                        .config
                        .builtins
                        .iter()
                        .find_map(|s| rules::structure::period_from_path(&other.path, s)),
                }?;
                (place < (year, week)).then_some((place, other))
            })
            .max_by(|a, b| (a.0, &a.1.path).cmp(&(b.0, &b.1.path)));
        if let Some((_, other)) = before
            && !wanted.iter().any(|w| w.path == other.path)
        {
            wanted.push(other);
        }
    }
    Ok(wanted
        .into_iter()
        .filter_map(
            |file| match read_report(workspace, file, Depth::Facts, None) {
                FileResult::Checked(file) => Some(*file),
                _ => None,
            },
        )
        .collect())
}

/// Carry-over sections (`copy_of:`) held against the previous report of
/// their series, among the checked reports and `context` (`dropped-item`,
/// `unplanned-goal`); findings name checked reports only.
pub(super) fn carry_over_findings(
    checked: &[CheckedFile],
    context: &[CheckedFile],
) -> Vec<Diagnostic> {
    let views: Vec<rules::carry_over::CarryView> = checked
        .iter()
        .chain(context)
        .filter_map(|file| {
            let report = &file.report;
            Some(rules::carry_over::CarryView {
                path: &report.path,
                document: report.document.as_ref()?,
                schema: report.schema.as_deref()?,
                order: (
                    report.info.year?,
                    report.info.week?,
                    report.info.named.as_ref().and_then(|named| named.day()),
                ),
            })
        })
        .collect();
    // Only series with a carry-over section are worth the comparison.
    if !views
        .iter()
        .any(|view| view.schema.sections.iter().any(|s| s.copy_of.is_some()))
    {
        return Vec::new();
    }
    rules::carry_over::check(&views)
}
