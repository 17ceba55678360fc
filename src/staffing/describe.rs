//! The numbers of a reading as one line of a finding.

use std::fmt::Write as _;

use super::fte::{Allocation, Effort, Fte, ShareChange};

/// The numbers of `fte` as one line for a finding, ambiguity shown: "needs
/// 4.0 FTE, reported 3.0 (2.5 if the shared 100% counts as half): short 1.0
/// to 1.5". Person-months and changing shares follow, each as its own
/// part. `None` when the text gave no numbers.
pub fn describe(fte: &Fte) -> Option<String> {
    let shared: Vec<String> = fte
        .shares
        .iter()
        .filter(|a| a.shared)
        .map(Allocation::percent)
        .collect();
    let note = match fte.have_if_shared_halved {
        Some(halved) if !shared.is_empty() => {
            let verb = if shared.len() == 1 { "counts" } else { "count" };
            format!(
                " ({halved:.1} if the shared {} {verb} as half)",
                shared.join(" and ")
            )
        }
        _ => String::new(),
    };
    let mut parts: Vec<String> = Vec::new();
    if let Some(text) = people(fte, &note) {
        parts.push(text);
    }
    parts.extend(fte.changes.iter().map(change));
    if let Some(effort) = &fte.months {
        parts.push(months(effort));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The FTE part: need, more and have, whichever the text gave.
fn people(fte: &Fte, note: &str) -> Option<String> {
    let mut text = String::new();
    match (fte.need, fte.more, fte.have) {
        (Some(need), more, have) => {
            let _ = write!(text, "needs {need:.1} FTE");
            if let Some(more) = more {
                let _ = write!(text, " ({more:.1} more)");
            }
            match have {
                Some(have) => {
                    let short = shortfall(need, have, fte.have_if_shared_halved);
                    let _ = write!(text, ", reported {have:.1}{note}: {short}");
                }
                None => text.push_str("; current staffing not given"),
            }
        }
        (None, Some(more), have) => {
            let _ = write!(text, "needs {more:.1} more FTE");
            if let Some(have) = have {
                let _ = write!(text, ", reported {have:.1}{note}");
            }
        }
        (None, None, Some(have)) => {
            let _ = write!(text, "reported {have:.1} FTE{note}; the need is not given");
        }
        (None, None, None) => return None,
    }
    Some(text)
}

/// "a share drops from 100% to 50% (-0.5 FTE)".
fn change(change: &ShareChange) -> String {
    let percent = |x: f64| (x * 1000.0).round() / 10.0;
    let verb = if change.to < change.from {
        "drops"
    } else {
        "rises"
    };
    format!(
        "a share {verb} from {}% to {}% ({:+.1} FTE)",
        percent(change.from),
        percent(change.to),
        change.to - change.from
    )
}

/// Person-months are not a number of people without a period, so they are
/// compared only with each other.
fn months(effort: &Effort) -> String {
    match (effort.need, effort.have) {
        (Some(need), Some(have)) => {
            let short = (need - have).max(0.0);
            if short > 0.0 {
                format!("needs {need:.1} person-months, has {have:.1}: short {short:.1}")
            } else {
                format!("needs {need:.1} person-months, has {have:.1}: no shortfall")
            }
        }
        (Some(need), None) => {
            format!("needs {need:.1} person-months; the effort at hand is not given")
        }
        (None, Some(have)) => format!("has {have:.1} person-months; the need is not given"),
        (None, None) => String::new(),
    }
}

/// "short 1.0", "short 1.0 to 1.5" or "no shortfall", to a tenth.
pub(super) fn shortfall(need: f64, have: f64, halved: Option<f64>) -> String {
    let tenth = |x: f64| (x * 10.0).round() / 10.0;
    let low = tenth(need - have).max(0.0);
    let high = tenth(need - halved.unwrap_or(have));
    if high <= 0.0 {
        "no shortfall".into()
    } else if (high - low).abs() < 0.05 {
        format!("short {low:.1}")
    } else {
        format!("short {low:.1} to {high:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staffing::read_fte;

    #[test]
    fn describe_shapes() {
        let need = Fte {
            need: Some(4.0),
            ..Fte::default()
        };
        assert_eq!(
            describe(&need).as_deref(),
            Some("needs 4.0 FTE; current staffing not given")
        );
        let covered = read_fte("Vi trenger 2 personer. Vi er nå 1 person 100% og 1 person 100%");
        assert_eq!(
            describe(&covered).as_deref(),
            Some("needs 2.0 FTE, reported 2.0: no shortfall")
        );
        let short = read_fte("need 3 FTE; we have 1 person 100%, 2 x 50%");
        assert_eq!(
            describe(&short).as_deref(),
            Some("needs 3.0 FTE, reported 2.0: short 1.0")
        );
        let more = read_fte("We need 2 more developers; we have 1 developer at 100%");
        assert_eq!(
            describe(&more).as_deref(),
            Some("needs 2.0 more FTE, reported 1.0")
        );
    }
}
