//! Milestones: what is due when, and how far the reports say it has come.
//!
//! Definitions come from a YAML file or straight from a plan document's
//! table ([`plan`]). Each milestone item is recognised among the tracked
//! items by an explicit tag, or by keywords and `/regex/` patterns, and the
//! milestone's status follows from the items' timelines as of a day.

pub mod discover;
pub mod matching;
pub mod plan;
pub mod timeline;

use std::path::Path;

use chrono::NaiveDate;
use rayon::prelude::*;
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::boundary::{Boundary, Refusal};
use crate::error::{Error, Result, line_of_key};
use crate::tracking::words::{content_words, stem};
use crate::tracking::{State, TrackedItem};

/// How soon before its due date a milestone counts as at risk when it lags.
pub const AT_RISK_DAYS: i64 = 14;

/// The milestones file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MilestonesFile {
    milestones: Vec<MilestoneSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MilestoneSpec {
    id: String,
    title: Option<String>,
    due: String,
    /// Only reports dated on or after this day count (a plan made in
    /// September is not met by an April report).
    from: Option<String>,
    staffing: Option<Staffing>,
    #[serde(default)]
    items: Vec<ItemSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemSpec {
    id: String,
    title: Option<String>,
    #[serde(default, rename = "match")]
    patterns: Vec<String>,
    tag: Option<String>,
}

/// The staffing a milestone needs.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Staffing {
    pub fte: f64,
    pub until: Option<NaiveDate>,
}

/// How a milestone item is recognised in a tracked item's words or text.
#[derive(Clone, Debug)]
pub enum Matcher {
    /// A word that starts with this stem (after the same normalisation as
    /// item matching: "produksjonsklar" matches "produksjonsklare").
    Keyword(String),
    /// A `/regex/`, matched case-insensitively against the item's texts.
    Pattern(Regex),
    /// These content words (the delivery text of a plan row): all of them
    /// when there are up to three, else at least 60%, so that "bgo og osl"
    /// alone does not make an item part of "Produksjonsklar bgo og osl".
    Words(Vec<String>),
}

#[derive(Clone, Debug)]
pub struct MilestoneItem {
    pub id: String,
    pub title: String,
    pub matchers: Vec<Matcher>,
    pub tag: Option<String>,
}

/// A milestone and where it was defined.
#[derive(Clone, Debug)]
pub struct Milestone {
    pub id: String,
    pub title: String,
    pub due: NaiveDate,
    /// Only reports dated on or after this day count (`from:`).
    pub from: Option<NaiveDate>,
    pub staffing: Option<Staffing>,
    pub items: Vec<MilestoneItem>,
    /// Repository-relative path of the definition, and its line.
    pub path: String,
    pub line: u32,
}

impl Milestone {
    /// Whether [`progress`] may count a tracked item toward this milestone
    /// as of `as_of`: the items to keep for it when the rest are let go.
    pub fn may_count(&self, item: &TrackedItem, as_of: NaiveDate) -> bool {
        matching::seen_from(item, self.from, as_of) && self.items.iter().any(|i| i.matches(item))
    }
}

impl MilestoneItem {
    /// Whether a tracked item is this milestone item.
    pub fn matches(&self, item: &TrackedItem) -> bool {
        if let Some(tag) = &self.tag {
            return item.tag.as_deref() == Some(tag.as_str());
        }
        matching::matches(&self.matchers, item.words(), |regex| {
            item.sightings.iter().any(|s| regex.is_match(&s.text))
        })
    }

    /// Whether a text (a challenges entry) names this milestone item: by
    /// the same matchers, or, for an item known only by its tag, by two
    /// words of its title.
    pub fn named_in(&self, text: &str, title: &str) -> bool {
        let words = content_words(text);
        let words = || words.iter().map(String::as_str);
        if !self.matchers.is_empty() {
            return matching::matches(&self.matchers, words(), |regex| regex.is_match(text));
        }
        let wanted: Vec<String> = content_words(title)
            .into_iter()
            .filter(|w| w.chars().count() >= 3)
            .collect();
        let shared = wanted
            .iter()
            .filter(|w| words().any(|have| have == w.as_str()))
            .count();
        !wanted.is_empty() && shared >= 2.min(wanted.len())
    }
}

/// Compiles a milestones YAML file's `text` (`file` names it in errors,
/// `path` is its repository-relative name in findings).
pub fn load_yaml(file: &Path, path: &str, text: &str) -> Result<Vec<Milestone>> {
    let parsed: MilestonesFile = crate::yaml::from_str(text, file)?;
    // Every mistake at once, each at its value (a bad due date at the
    // date, a bad pattern at the pattern), in the order written.
    let positions = crate::yaml_pos::Positions::of(text);
    let mut errors: Vec<Error> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut milestones = Vec::new();
    for (index, spec) in parsed.milestones.iter().enumerate() {
        let base = format!("milestones.{index}");
        let at = positions
            .at(&format!("{base}.id"))
            .or_else(|| line_of_id(text, &spec.id).map(|l| (l, 1)));
        if seen.contains(&spec.id.as_str()) {
            errors.push(Error::invalid(
                file,
                at,
                format!(
                    "milestone id `{}` is used twice: ids must be unique",
                    spec.id
                ),
            ));
        }
        seen.push(&spec.id);
        let due = match crate::dates::parse_date(&spec.due, None) {
            Ok(due) => Some(due),
            Err(err) => {
                errors.push(Error::invalid(
                    file,
                    positions.at(&format!("{base}.due")).or(at),
                    format!("milestone `{}`: due date `{}`: {err}", spec.id, spec.due),
                ));
                None
            }
        };
        let from = match &spec.from {
            Some(from) => match crate::dates::parse_date(from, None) {
                Ok(from) => Some(from),
                Err(err) => {
                    errors.push(Error::invalid(
                        file,
                        positions.at(&format!("{base}.from")).or(at),
                        format!("milestone `{}`: from date `{from}`: {err}", spec.id),
                    ));
                    None
                }
            },
            None => None,
        };
        let mut items = Vec::new();
        for (item_index, item) in spec.items.iter().enumerate() {
            let mut matchers = Vec::new();
            for (pattern_index, pattern) in item.patterns.iter().enumerate() {
                match matcher(pattern) {
                    Ok(found) => matchers.push(found),
                    Err(message) => errors.push(Error::invalid(
                        file,
                        positions
                            .at(&format!("{base}.items.{item_index}.match.{pattern_index}"))
                            .or_else(|| line_of_key(text, "match").map(|l| (l, 1))),
                        format!("item `{}`: {message}", item.id),
                    )),
                }
            }
            if matchers.is_empty() && item.tag.is_none() {
                let words = content_words(item.title.as_deref().unwrap_or(&item.id));
                matchers.push(Matcher::Words(words));
            }
            items.push(MilestoneItem {
                title: item.title.clone().unwrap_or_else(|| item.id.clone()),
                id: item.id.clone(),
                matchers,
                tag: item.tag.as_ref().map(|t| t.to_lowercase()),
            });
        }
        let Some(due) = due else { continue };
        milestones.push(Milestone {
            title: spec.title.clone().unwrap_or_else(|| spec.id.clone()),
            id: spec.id.clone(),
            due,
            from,
            staffing: spec.staffing.clone(),
            items,
            path: path.to_owned(),
            line: at.map_or(1, |(l, _)| u32::try_from(l).unwrap_or(u32::MAX)),
        });
    }
    if !errors.is_empty() {
        return Err(Error::several(errors));
    }
    Ok(milestones)
}

fn line_of_id(text: &str, id: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim_start().trim_start_matches("- ").trim();
            line.strip_prefix("id:")
                .is_some_and(|rest| rest.trim().trim_matches(['"', '\'']) == id)
        })
        .map(|i| i + 1)
}

/// A `match:` entry: `/regex/` or a keyword.
fn matcher(pattern: &str) -> std::result::Result<Matcher, String> {
    if let Some(body) = pattern.strip_prefix('/').and_then(|p| p.strip_suffix('/')) {
        return Regex::new(&format!("(?i){body}"))
            .map(Matcher::Pattern)
            .map_err(|err| format!("invalid regex `{pattern}`: {err}"));
    }
    let lowered = crate::text::lower_nfc(pattern.trim());
    if lowered.is_empty() {
        return Err("an empty keyword".into());
    }
    // "object storage": both words, wherever they stand.
    if lowered.contains(char::is_whitespace) {
        let words = content_words(&lowered);
        if words.is_empty() {
            return Err(format!("`{pattern}` has only stop words"));
        }
        return Ok(Matcher::Words(words));
    }
    Ok(Matcher::Keyword(stem(&lowered).to_owned()))
}

/// Where a milestone stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Done,
    DoneLate,
    OnTrack,
    AtRisk,
    Overdue,
    NotStarted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::DoneLate => "done-late",
            Status::OnTrack => "on-track",
            Status::AtRisk => "at-risk",
            Status::Overdue => "overdue",
            Status::NotStarted => "not-started",
        }
    }
}

/// A milestone item's state as of a day, and the tracked item behind it.
#[derive(Clone, Debug)]
pub struct ItemProgress<'a> {
    pub item: &'a MilestoneItem,
    pub tracked: Option<&'a TrackedItem<'a>>,
    /// `None`: not seen in any report yet.
    pub state: Option<State>,
    pub completed_on: Option<NaiveDate>,
}

/// A milestone as of a day.
#[derive(Clone, Debug)]
pub struct Progress<'a> {
    pub milestone: &'a Milestone,
    pub status: Status,
    pub items: Vec<ItemProgress<'a>>,
    pub done: usize,
    pub in_progress: usize,
    pub planned: usize,
    pub not_started: usize,
    /// Negative when overdue.
    pub days_left: i64,
    pub completed_on: Option<NaiveDate>,
    /// Items named in a challenges entry (by their words).
    pub named_in_risks: Vec<String>,
}

/// The progress of `milestone` as of `as_of`, from tracked items (already
/// limited to reports dated on or before `as_of`). `risks` are the texts
/// of the challenges entries of the reports up to `as_of`.
pub fn progress<'a>(
    milestone: &'a Milestone,
    tracked: &'a [TrackedItem<'a>],
    risks: &[String],
    as_of: NaiveDate,
) -> Progress<'a> {
    let items: Vec<ItemProgress> = milestone
        .items
        .iter()
        .map(|item| {
            // The most advanced tracked item that is this milestone item.
            // Every tracked item of the tree is asked, on every core; the
            // order is kept, so ties go as in a plain scan.
            // Only what was reported from the milestone's `from:` counts.
            let from = milestone.from;
            let candidates: Vec<&TrackedItem> = tracked
                .par_iter()
                .filter(|t| matching::seen_from(t, from, as_of) && item.matches(t))
                .collect();
            let best = candidates.into_iter().max_by_key(|t| {
                (
                    matching::state_from(t, from, as_of),
                    t.last_seen().map(|s| s.date),
                )
            });
            let state = best.and_then(|t| matching::state_from(t, from, as_of));
            let completed_on = best
                .and_then(|t| t.done_on)
                .filter(|_| state == Some(State::Done));
            ItemProgress {
                item,
                tracked: best,
                state,
                completed_on,
            }
        })
        .collect();
    let count = |wanted: Option<State>| items.iter().filter(|i| i.state == wanted).count();
    let (done, in_progress, planned, not_started) = (
        count(Some(State::Done)),
        count(Some(State::InProgress)),
        count(Some(State::Planned)),
        count(None),
    );
    let total = items.len();
    let completed_on = if total > 0 && done == total {
        items.iter().filter_map(|i| i.completed_on).max()
    } else {
        None
    };
    // The same matching as for the tracked items ("object storage" in a
    // challenge names an item whose `match:` has it, whatever its title).
    let named_in_risks: Vec<String> = items
        .iter()
        .filter(|i| {
            let title = i
                .tracked
                .map_or(i.item.title.as_str(), |t| t.title.as_str());
            risks.iter().any(|risk| i.item.named_in(risk, title))
        })
        .map(|i| i.item.id.clone())
        .collect();

    let days_left = (milestone.due - as_of).num_days();
    let status = if total > 0 && done == total {
        match completed_on {
            Some(day) if day > milestone.due => Status::DoneLate,
            _ => Status::Done,
        }
    } else if days_left < 0 {
        Status::Overdue
    } else if !named_in_risks.is_empty()
        || (days_left <= AT_RISK_DAYS && lags(&items, milestone, as_of))
    {
        // Due soon and behind (not started at all is behind), or named in
        // the challenges.
        Status::AtRisk
    } else if done == 0 && in_progress == 0 {
        Status::NotStarted
    } else {
        Status::OnTrack
    };
    Progress {
        milestone,
        status,
        items,
        done,
        in_progress,
        planned,
        not_started,
        days_left,
        completed_on,
        named_in_risks,
    }
}

/// Whether the share of items done is behind the share of time used since
/// the milestone's first item was first seen.
fn lags(items: &[ItemProgress], milestone: &Milestone, as_of: NaiveDate) -> bool {
    let Some(start) = items
        .iter()
        .filter_map(|i| i.tracked.and_then(|t| t.first_seen()).map(|s| s.date))
        .min()
    else {
        return true;
    };
    let span = (milestone.due - start).num_days().max(1) as f64;
    let used = ((as_of - start).num_days() as f64 / span).clamp(0.0, 1.0);
    let done = items
        .iter()
        .filter(|i| i.state == Some(State::Done))
        .count() as f64;
    let share_done = done / items.len().max(1) as f64;
    share_done < used
}

/// A text progress bar: `[#####-----]`.
pub fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0);
    format!(
        "[{}{}]",
        "#".repeat(filled),
        "-".repeat(width - filled.min(width))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_and_regex_matchers() {
        assert!(
            matches!(matcher("produksjonsklar"), Ok(Matcher::Keyword(k)) if k == "produksjonsklar")
        );
        assert!(matches!(
            matcher("/navn(e)?tjeneste/"),
            Ok(Matcher::Pattern(_))
        ));
        assert!(
            matcher("/(unclosed/")
                .unwrap_err()
                .contains("invalid regex")
        );
        assert_eq!(bar(1, 4, 8), "[##------]");
        assert_eq!(bar(0, 0, 4), "[----]");
    }

    #[test]
    fn yaml_definitions_load_and_locate_errors() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("milestones.yaml");
        std::fs::write(
            &file,
            "milestones:\n  - id: lansering\n    title: Lansering\n    due: 2016-11-14\n    staffing: {fte: 4, until: 2016-12-31}\n    items:\n      - id: dns\n        title: DNS for instanser\n        match: [dns, \"/navn(e)?tjeneste/\"]\n        tag: dns\n",
        )
        .unwrap();
        let milestones = load_yaml(
            &file,
            "milestones.yaml",
            &std::fs::read_to_string(&file).unwrap(),
        )
        .unwrap();
        assert_eq!(
            milestones[0].due,
            NaiveDate::from_ymd_opt(2016, 11, 14).unwrap()
        );
        assert_eq!(milestones[0].line, 2);
        assert_eq!(milestones[0].staffing.as_ref().map(|s| s.fte), Some(4.0));
        assert_eq!(milestones[0].items[0].matchers.len(), 2);
        std::fs::write(&file, "milestones:\n  - id: x\n    due: 31. feb 2016\n").unwrap();
        let err = load_yaml(
            &file,
            "milestones.yaml",
            &std::fs::read_to_string(&file).unwrap(),
        )
        .unwrap_err()
        .to_string();
        // At the date, not at the `- id:` line.
        assert!(
            err.contains("milestones.yaml:3:10: milestone `x`: due date"),
            "{err}"
        );
        // Every mistake at once: a duplicate id, a bad date, a bad pattern.
        let text = "milestones:\n  - id: a\n    due: 2016-11-14\n  - id: a\n    due: 2016-13-01\n    items:\n      - id: i\n        match: [ok, '/(/']\n";
        let err = load_yaml(&file, "milestones.yaml", text)
            .unwrap_err()
            .to_string();
        // (A regex error draws its caret on lines of its own.)
        let lines: Vec<&str> = err.lines().collect();
        assert!(
            lines[0].contains(":4:9: milestone id `a` is used twice"),
            "{err}"
        );
        assert!(
            lines[1].contains(":5:10: milestone `a`: due date `2016-13-01`"),
            "{err}"
        );
        assert!(
            lines[2].contains(":8:21: item `i`: invalid regex `/(/`"),
            "{err}"
        );
    }
}

/// A milestone's progress as owned data, for output (table, Markdown,
/// reStructuredText, JSON).
#[derive(Clone, Debug, Serialize)]
pub struct MilestoneRow {
    pub id: String,
    pub title: String,
    pub due: String,
    pub status: Status,
    pub items_done: usize,
    pub items_total: usize,
    pub items_in_progress: usize,
    pub items_planned: usize,
    pub items_not_started: usize,
    pub days_left: i64,
    /// For a done milestone: its completion day minus its due day (0 or
    /// less: on time). A finished milestone is not "20 days overdue".
    pub days_late: Option<i64>,
    pub completed_on: Option<String>,
    pub staffing: Option<Staffing>,
    /// The latest allocation the reports give (FTE), when the milestone
    /// states a staffing need.
    pub staffing_reported: Option<f64>,
    pub items: Vec<ItemRow>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ItemRow {
    pub id: String,
    pub title: String,
    /// `done`, `in_progress`, `planned` or `not_started`.
    pub state: &'static str,
    pub completed_on: Option<String>,
    /// The report that last mentioned it.
    pub last_report: Option<String>,
}

impl From<&Progress<'_>> for MilestoneRow {
    fn from(p: &Progress<'_>) -> Self {
        let m = p.milestone;
        MilestoneRow {
            id: m.id.clone(),
            title: m.title.clone(),
            due: crate::dates::ymd(m.due),
            status: p.status,
            items_done: p.done,
            items_total: m.items.len(),
            items_in_progress: p.in_progress,
            items_planned: p.planned,
            items_not_started: p.not_started,
            days_left: p.days_left,
            days_late: match p.status {
                Status::Done | Status::DoneLate => {
                    p.completed_on.map(|day| (day - m.due).num_days())
                }
                _ => None,
            },
            completed_on: p.completed_on.map(crate::dates::ymd),
            staffing: m.staffing.clone(),
            staffing_reported: None,
            items: p
                .items
                .iter()
                .map(|i| ItemRow {
                    id: i.item.id.clone(),
                    title: i.item.title.clone(),
                    state: match i.state {
                        Some(State::Done) => "done",
                        Some(State::InProgress) => "in_progress",
                        Some(State::Planned) => "planned",
                        None => "not_started",
                    },
                    completed_on: i.completed_on.map(crate::dates::ymd),
                    last_report: i
                        .tracked
                        .and_then(|t| t.last_seen())
                        .map(|s| s.path.to_string()),
                })
                .collect(),
        }
    }
}

/// Loads the milestones the config names (a YAML file or a plan document),
/// or `milestones.yaml` in the project folder; `None` when there are none.
pub fn load_configured(
    boundary: &Boundary,
    project: &Path,
    configured: Option<&Path>,
    year: Option<i32>,
    relative: impl Fn(&Path) -> Option<String>,
) -> Result<Option<Vec<Milestone>>> {
    let file = match configured {
        Some(path) => project.join(path),
        None => {
            let default = project.join("milestones.yaml");
            if !default.is_file() {
                return Ok(None);
            }
            default
        }
    };
    let bytes = boundary.read(&file).map_err(|refusal| match refusal {
        Refusal::NotAFile("a folder") => {
            Error::invalid(&file, None, "is a folder, not a milestones file")
        }
        Refusal::Missing => Error::invalid(
            &file,
            None,
            "no such file (named by `milestones:` in the config)",
        ),
        other => Error::invalid(&file, None, format!("milestones file {other}")),
    })?;
    let shown = relative(&file).unwrap_or_else(|| file.display().to_string());
    let yaml = shown.ends_with(".yaml") || shown.ends_with(".yml");
    let milestones = if yaml {
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::invalid(&file, None, "is not UTF-8 text"))?;
        load_yaml(&file, &shown, &text)?
    } else {
        plan::load(&file, &shown, year, bytes)?
    };
    Ok(Some(milestones))
}
