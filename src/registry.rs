//! The rule table: every rule's stable name, code, default severity,
//! summary and explanation, and the severities themselves.
//!
//! A leaf: it imports nothing from the crate, so that config (which names
//! rules), findings (which carry them) and the rules themselves can all
//! depend on it without depending on each other.
//!
//! Names and codes are public interface (configs, suppressions and baselines
//! refer to them), so a rule is never renamed; a retired rule keeps its code.
//! Explanations live as Markdown under `src/rules/docs/`, one file per rule,
//! so that `milepost explain` and the docs stay one text.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize, Serializer};

/// How serious a finding is. Ordered so that `Error > Warning > Info`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! rules {
    ($( $variant:ident => $name:literal, $code:literal, $severity:ident, $summary:literal; )*) => {
        /// Every rule milepost knows.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $( $variant, )*
        }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$( Rule::$variant, )*];

            /// The kebab-case name used in configs, output and suppressions.
            pub fn name(self) -> &'static str {
                match self { $( Rule::$variant => $name, )* }
            }

            /// The short stable code.
            pub fn code(self) -> &'static str {
                match self { $( Rule::$variant => $code, )* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $( Rule::$variant => Severity::$severity, )* }
            }

            /// One line for listings.
            pub fn summary(self) -> &'static str {
                match self { $( Rule::$variant => $summary, )* }
            }

            /// The full explanation: what it checks, why, an example.
            pub fn explain(self) -> &'static str {
                match self { $( Rule::$variant => include_str!(concat!("rules/docs/", $name, ".md")), )* }
            }
        }
    };
}

rules! {
    Title => "title", "S001", Error, "the report has a title matching the schema";
    Byline => "byline", "S002", Error, "the report has a byline with author, organisation and date";
    DateFormat => "date-format", "S003", Error, "dates can be read and exist";
    WeekMismatch => "week-mismatch", "S004", Error, "file name, title, date and folder agree on the week";
    MissingSection => "missing-section", "S005", Error, "every required section is present";
    UnknownSection => "unknown-section", "S006", Error, "every section is one the schema knows";
    DuplicateSection => "duplicate-section", "S007", Error, "no section appears twice";
    SectionOrder => "section-order", "S008", Warning, "sections appear in the schema's order";
    EmptySection => "empty-section", "S009", Warning, "no section is empty";
    BrokenLink => "broken-link", "S010", Error, "local links point at files inside the repository";
    Encoding => "encoding", "S011", Error, "the report is UTF-8";
    DateMismatch => "date-mismatch", "S012", Error, "a date-named report's file name, title, byline and first commit agree on its date";
    HeadingUnderline => "heading-underline", "S013", Warning, "a reStructuredText heading's underline and overline are at least as long as its title";
    LateReport => "late-report", "H001", Warning, "a report was first committed soon after its week ended";
    BylineVsCommit => "byline-vs-commit", "H002", Warning, "the byline date agrees with the date the report was first committed";
    EditedAfterPublish => "edited-after-publish", "H003", Warning, "a report's items did not change long after it was published (off by default)";
    MissingReport => "missing-report", "H004", Info, "no week is missing between the first and the last report of a series";
    StaleItem => "stale-item", "T001", Warning, "no item stays in progress or planned for long without moving";
    OverdueItem => "overdue-item", "T002", Warning, "no planned or in-progress item names a date or week already past";
    DroppedItem => "dropped-item", "T005", Info, "no planned or in-progress item vanishes without being reported done";
    UnplannedGoal => "unplanned-goal", "T006", Info, "goals in a copy of the previous report's plan were planned there";
    MilestoneOverdue => "milestone-overdue", "T003", Error, "no milestone is past due with items not done";
    MilestoneAtRisk => "milestone-at-risk", "T004", Warning, "no milestone due soon lags behind, or has an item named in the challenges";
    StaffingRisk => "staffing-risk", "P001", Warning, "staffing trouble written in prose is flagged, with the shortfall where the numbers are given";
    UnusedSuppression => "unused-suppression", "M001", Info, "every suppression comment silences something";
}

/// A parameter a rule takes in the config (`late-report: {days: 10}`):
/// declared here, beside the rule, so that the config is validated against
/// it and the docs are written from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    /// The key in the rule's map.
    pub key: &'static str,
    /// What the value is, in the words an error message uses.
    pub what: &'static str,
    /// The smallest and largest value allowed (numbers only).
    pub range: Option<(u32, u32)>,
    /// The value when the config does not give one, as written in docs.
    pub default: &'static str,
    pub meaning: &'static str,
}

const DAYS_LATE: Param = Param {
    key: "days",
    what: "a whole number of days",
    range: Some((0, 365)),
    default: "7",
    meaning: "how many days after its week a report may be first committed",
};

impl Rule {
    /// Whether the rule runs when the config says nothing about it; a rule
    /// that is noisy on most repositories is opt-in.
    pub fn enabled_by_default(self) -> bool {
        !matches!(self, Rule::EditedAfterPublish)
    }

    /// The parameters the rule takes in the config, besides its level.
    pub fn params(self) -> &'static [Param] {
        match self {
            Rule::LateReport => &[DAYS_LATE],
            Rule::BylineVsCommit => &[Param {
                meaning: "how many days the byline date and the first commit may differ",
                ..DAYS_LATE
            }],
            Rule::EditedAfterPublish => &[Param {
                default: "14",
                meaning: "how many days after publication an edit of the items counts as rewriting",
                ..DAYS_LATE
            }],
            Rule::StaleItem => &[
                Param {
                    key: "weeks",
                    what: "a whole number of weeks, at least 1",
                    range: Some((1, 520)),
                    default: "6",
                    meaning: "how long an item may stay planned or in progress",
                },
                Param {
                    key: "reports",
                    what: "a whole number of reports, at least 1",
                    range: Some((1, 1000)),
                    default: "4",
                    meaning: "in how many consecutive reports it must appear unchanged",
                },
            ],
            Rule::DroppedItem => &[
                Param {
                    key: "reports",
                    what: "a whole number of reports, at least 1",
                    range: Some((1, 1000)),
                    default: "4",
                    meaning: "how many later reports must leave an item out before it counts as dropped",
                },
                Param {
                    key: "weeks",
                    what: "a whole number of weeks, at least 1",
                    range: Some((1, 520)),
                    default: "26",
                    meaning: "the forget window of item tracking: how long an item may go unmentioned and still be the same item when it comes back",
                },
            ],
            Rule::MissingReport => &[Param {
                key: "breaks",
                what: "a list of weeks (`2016-W29`) or ranges (`2016-W28..2016-W31`)",
                range: None,
                default: "none",
                meaning: "weeks with no report on purpose (holidays)",
            }],
            _ => &[],
        }
    }

    /// The default of the rule's `days` parameter, for rules that take one.
    pub fn default_days(self) -> u32 {
        match self {
            Rule::EditedAfterPublish => 14,
            _ => 7,
        }
    }

    /// Finds a rule by name or code, as a user may write either.
    pub fn lookup(name_or_code: &str) -> Option<Rule> {
        let wanted = name_or_code.trim();
        Rule::ALL
            .iter()
            .copied()
            .find(|rule| rule.name() == wanted || rule.code().eq_ignore_ascii_case(wanted))
    }

    /// The closest rule name, for "did you mean" in config errors.
    pub fn suggest(name: &str) -> Option<&'static str> {
        crate::text::closest(name, Rule::ALL.iter().map(|rule| rule.name()))
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Rule {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Rule::lookup(s).ok_or_else(|| match Rule::suggest(s) {
            Some(near) => format!("unknown rule `{s}` (did you mean `{near}`?)"),
            None => format!("unknown rule `{s}` (`milepost explain` lists them)"),
        })
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_and_codes_are_unique() {
        let names: HashSet<_> = Rule::ALL.iter().map(|r| r.name()).collect();
        let codes: HashSet<_> = Rule::ALL.iter().map(|r| r.code()).collect();
        assert_eq!(names.len(), Rule::ALL.len());
        assert_eq!(codes.len(), Rule::ALL.len());
    }

    #[test]
    fn every_explanation_has_the_three_parts() {
        for rule in Rule::ALL {
            let text = rule.explain();
            for heading in ["## What it checks", "## Why it matters", "## Example"] {
                assert!(text.contains(heading), "{rule} lacks {heading}");
            }
        }
    }

    #[test]
    fn parameters_are_declared_once_with_sane_defaults() {
        for rule in Rule::ALL {
            for param in rule.params() {
                if let (Some((low, high)), Ok(default)) =
                    (param.range, param.default.parse::<u32>())
                {
                    assert!((low..=high).contains(&default), "{rule}.{}", param.key);
                }
            }
        }
        assert_eq!(
            Rule::LateReport.params()[0].default,
            Rule::LateReport.default_days().to_string()
        );
        assert_eq!(
            Rule::EditedAfterPublish.params()[0].default,
            Rule::EditedAfterPublish.default_days().to_string()
        );
        assert!(Rule::EmptySection.params().is_empty());
    }

    #[test]
    fn lookup_by_name_or_code() {
        assert_eq!(Rule::lookup("unknown-section"), Some(Rule::UnknownSection));
        assert_eq!(Rule::lookup("s006"), Some(Rule::UnknownSection));
        assert_eq!(Rule::lookup("nope"), None);
        let err = "unknown-sektion".parse::<Rule>().unwrap_err();
        assert!(err.contains("did you mean `unknown-section`"), "{err}");
    }
}
