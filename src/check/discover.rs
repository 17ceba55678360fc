//! `milestones` with none configured: before checking anything, the newest
//! reports are read for links to a plan document with a deadline table
//! (see [`crate::milestones::discover`]).

use std::path::Path;

use super::CheckOptions;
use crate::milestones::discover::{Found, find};
use crate::report::{self, Document, Format};
use crate::source;
use crate::workspace::{ReportFile, Workspace};

/// How many reports are read for links, newest names first: the plan of
/// the current work is linked from the current reports, and a tree of ten
/// thousand reports must not be parsed twice for it.
const NEWEST: usize = 20;

/// The plan the newest reports link to, as a path relative to the project
/// folder (what `milestones:` in the config would say).
pub(super) fn plan(workspace: &Workspace, options: &CheckOptions) -> Found {
    let listed = workspace
        .reports(&options.cwd, &[], &mut Vec::new())
        .unwrap_or_else(|_| Vec::new().into());
    // Year and week in the names: the newest sort last (zero-padded or
    // not, the year comes first).
    let mut files: Vec<&ReportFile> = listed.iter().collect();
    files.sort_by(|a, b| b.path.cmp(&a.path));
    let documents: Vec<(String, Document)> = files
        .iter()
        .take(NEWEST)
        .filter_map(|file| {
            let bytes = workspace.boundary.read(&file.abs_path).ok()?;
            let text = source::decode(bytes).ok()?;
            let format = Format::from_path(&file.path)?;
            Some((file.path.clone(), report::parse(format, &text)))
        })
        .collect();
    let reports: Vec<(&str, &Document)> = documents
        .iter()
        .map(|(path, document)| (path.as_str(), document))
        .collect();
    let mut found = find(
        &workspace.boundary,
        &workspace.root,
        &reports,
        workspace.config.milestones_year,
    );
    found.plan = found.plan.and_then(|abs| {
        abs.strip_prefix(&workspace.project)
            .ok()
            .map(Path::to_path_buf)
    });
    found
}
