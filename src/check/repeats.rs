//! Findings copied unchanged week after week, reported once.
//!
//! A challenge pasted into every report ("vi trenger 4 personer frem til
//! nyttår") gave one `staffing-risk` per report: 24 warnings on one real
//! repository were 4 distinct risks. A finding of a rule that reads item
//! text (`staffing-risk`, `overdue-item`, `stale-item`) whose line is the
//! same in several reports of one series is kept on the latest of them
//! only, with "also in N earlier reports since DATE".
//!
//! This runs after suppressions and the baseline, which stay per report: a
//! finding silenced or recorded in one report is gone before it is
//! counted here, and `--write-baseline` records the folded findings too.

use crate::hash::FastMap;

use chrono::NaiveDate;

use super::{CheckedReport, report_day};
use crate::dates;
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::rules::series::series_key;

/// The rules whose findings are about text that teams copy forward.
const COPIED: &[Rule] = &[Rule::StaffingRisk, Rule::OverdueItem, Rule::StaleItem];

/// Keeps one finding per rule, series and line text: the one in the latest
/// report, told how many earlier reports had it and since when. Returns the
/// findings folded away (for `--write-baseline`, which records each report's).
pub(super) fn collapse(
    diagnostics: &mut Vec<Diagnostic>,
    reports: &[CheckedReport],
) -> Vec<Diagnostic> {
    // Each report's day and series (numbered): computed per report, not
    // per finding (tens of thousands in a large repository).
    let mut series: FastMap<String, usize> = FastMap::default();
    let placed: FastMap<&str, (NaiveDate, usize)> = reports
        .iter()
        .filter_map(|r| {
            let day = report_day(&r.info)?;
            let next = series.len();
            let number = *series.entry(series_key(&r.path)).or_insert(next);
            Some((r.path.as_str(), (day, number)))
        })
        .collect();
    let day = |finding: &Diagnostic| placed[finding.path.as_str()].0;
    // Per group: the findings' indices.
    let mut groups: FastMap<(Rule, usize, &str), Vec<usize>> = FastMap::default();
    for (i, d) in diagnostics.iter().enumerate() {
        if !COPIED.contains(&d.rule) {
            continue;
        }
        let Some(&(_, series)) = placed.get(d.path.as_str()) else {
            continue;
        };
        let Some(line) = d
            .source_line
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        else {
            continue;
        };
        groups.entry((d.rule, series, line)).or_default().push(i);
    }
    let groups: Vec<Vec<usize>> = groups.into_values().collect();
    let mut gone = vec![false; diagnostics.len()];
    for mut members in groups {
        // One finding per report: two in one report are two things.
        members.sort_by(|&a, &b| {
            let (a, b) = (&diagnostics[a], &diagnostics[b]);
            (day(a), &a.path).cmp(&(day(b), &b.path))
        });
        members.dedup_by(|a, b| diagnostics[*a].path == diagnostics[*b].path);
        let Some((&latest, earlier)) = members.split_last() else {
            continue;
        };
        if earlier.is_empty() {
            continue;
        }
        let since = day(&diagnostics[earlier[0]]);
        for &i in earlier {
            gone[i] = true;
        }
        let finding = &mut diagnostics[latest];
        finding.message = format!(
            "{} (also in {} earlier report{} since {})",
            finding.message,
            earlier.len(),
            if earlier.len() == 1 { "" } else { "s" },
            dates::ymd(since)
        );
    }
    // In place: tens of thousands of findings, copied into a new list,
    // touched megabytes of fresh memory.
    let mut gone = gone.into_iter();
    diagnostics
        .extract_if(.., |_| gone.next().unwrap_or(false))
        .collect()
}
