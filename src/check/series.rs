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
    let by_name = |path: &str, schema: &SchemaChoice| {
        let schemas: Vec<&Schema> = match schema {
            SchemaChoice::Fixed(schema) => vec![schema.as_ref()],
            SchemaChoice::ByLanguage => workspace.config.builtins.iter().map(Arc::as_ref).collect(),
        };
        schemas
            .into_iter()
            .find_map(|schema| rules::structure::period_from_path(path, schema))
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

/// Carry-over sections (`copy_of:`) held against the previous report of
/// their series, among the checked reports (`dropped-item`,
/// `unplanned-goal`).
pub(super) fn carry_over_findings(checked: &[CheckedFile]) -> Vec<Diagnostic> {
    let views: Vec<rules::carry_over::CarryView> = checked
        .iter()
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
