//! Where each report sits in its series, for `missing-report`.

use super::*;

/// Where each report sits in its series: checked reports by what they say
/// about themselves, the others (`context`) by their file names.
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
            Some(SeriesEntry {
                path: file.report.path.clone(),
                year,
                week,
                anchor: Some(file.report.title_pos()),
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
                anchor: None,
            });
        }
    }
    entries
}
