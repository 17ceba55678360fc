//! The colours of severities, shared by the renderers that colour them (the
//! human format and its statistics), so they agree and neither imports the
//! other.

use anstyle::{AnsiColor, Style};

use crate::diagnostic::Severity;

/// Errors red, warnings yellow, infos green; bold.
pub(crate) fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Error => AnsiColor::Red.on_default().bold(),
        Severity::Warning => AnsiColor::Yellow.on_default().bold(),
        Severity::Info => AnsiColor::Green.on_default().bold(),
    }
}
