//! Milestones without a config: the plan document the reports link to.
//!
//! A team that writes `:doc:`../plans/production`` in its reports has its
//! milestones in that document's table of deadlines. With no `milestones:`
//! in the config and no `milestones.yaml`, the documents the reports link
//! to (`:doc:` and relative Markdown links, newest report first) are read
//! through the boundary, and the first with a deadline table is used; the
//! run says which one, or, finding none, where it looked.

use std::path::{Path, PathBuf};

use super::{Milestone, plan};
use crate::boundary::Boundary;
use crate::report::{Document, LinkKind};

/// How many linked documents are tried at most: a tree links a few plans,
/// and a report full of links must not make a run read the whole site.
const MAX_TRIED: usize = 20;

/// What the search found.
#[derive(Debug, Default)]
pub struct Found {
    /// The plan document (absolute), and its milestones.
    pub plan: Option<PathBuf>,
    pub milestones: Option<Vec<Milestone>>,
    /// "the plan table of X, linked from Y", when found.
    pub source: Option<String>,
    /// The documents read and found without a deadline table.
    pub looked: Vec<String>,
}

/// Looks for a plan table among the documents `reports` link to:
/// `(report path relative to the root, its document)`, newest first.
pub fn find(
    boundary: &Boundary,
    root: &Path,
    reports: &[(&str, &Document)],
    year: Option<i32>,
) -> Found {
    let mut found = Found::default();
    let mut tried: Vec<PathBuf> = Vec::new();
    for (report, document) in reports {
        let base = root.join(report);
        let base = base.parent().unwrap_or(root);
        for link in &document.links {
            let target = link.target.trim();
            // Sphinx-rooted targets depend on conf.py; relative ones do not.
            if target.is_empty() || target.starts_with('/') || target.contains("://") {
                continue;
            }
            let candidates: Vec<PathBuf> = match link.kind {
                LinkKind::Doc => ["rst", "md"]
                    .iter()
                    .map(|ext| base.join(format!("{target}.{ext}")))
                    .collect(),
                LinkKind::Relative if target.ends_with(".md") || target.ends_with(".rst") => {
                    vec![base.join(target.split('#').next().unwrap_or(target))]
                }
                _ => continue,
            };
            for candidate in candidates {
                let candidate = clean(&candidate);
                if tried.contains(&candidate) || !candidate.starts_with(root) {
                    continue;
                }
                if tried.len() >= MAX_TRIED {
                    return found;
                }
                tried.push(candidate.clone());
                let Ok(bytes) = boundary.read(&candidate) else {
                    continue;
                };
                let shown = candidate
                    .strip_prefix(root)
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                match plan::load(&candidate, &shown, year, bytes) {
                    Ok(milestones) if !milestones.is_empty() => {
                        found.source =
                            Some(format!("the plan table of {shown}, linked from {report}"));
                        found.milestones = Some(milestones);
                        found.plan = Some(candidate);
                        return found;
                    }
                    _ => found.looked.push(shown),
                }
            }
        }
    }
    found
}

/// `a/b/../c` as `a/c`, without touching the file system.
fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}
