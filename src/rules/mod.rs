//! The rule families that produce findings. The table of rules (names,
//! codes, severities, explanations) is the leaf module [`crate::registry`].

pub mod headings;
pub mod history;
pub mod links;
pub mod sections;
pub mod series;
pub mod staffing;
pub mod structure;
pub mod tracking;

use std::path::Path;

pub use crate::registry::Rule;
use crate::report::Document;
use crate::schema::Schema;

/// What a per-file rule gets to look at: the report and the little it needs
/// to know about where it lives, not the whole workspace, so that a rule's
/// unit test needs no folder on disk.
pub struct FileContext<'a> {
    /// Repository-relative path, as printed.
    pub path: &'a str,
    pub abs_path: &'a Path,
    pub doc: &'a Document,
    pub schema: &'a Schema,
    /// The repository root (canonical): no link may leave it.
    pub root: &'a Path,
    /// Where `:doc:` targets starting with `/` are resolved, when the config
    /// says (relative to the root).
    pub sphinx_source: Option<&'a Path>,
}
