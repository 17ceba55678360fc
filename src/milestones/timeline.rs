//! The life of each milestone item, for the timeline picture
//! (`milestones --format html`, `dashboard`): when it was first planned,
//! when work started, when it was done, and which report said so.
//!
//! The tracked items borrow the reports and are freed at the end of the
//! tracking step, so what the picture needs is copied out here as owned
//! data, a few strings per milestone item (the picture shows the plan's
//! items, not every item of every report).
//!
//! Stale and dropped items are not judged again here: an item is marked
//! when a `stale-item` or `dropped-item` finding sits on one of its
//! sightings ([`Marks`]), so the picture and `milepost check` always agree,
//! and a rule turned off in the config marks nothing.

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::tracking::{State, TrackedItem};

/// One stretch of an item's life in one state (planned or in progress).
#[derive(Clone, Debug, PartialEq)]
pub struct Phase {
    pub state: State,
    /// The date of the report that first listed it in this state.
    pub from: NaiveDate,
    /// When the next state began, or its last sighting in this state.
    pub until: NaiveDate,
    /// The report that first listed it in this state.
    pub report: String,
}

/// When an item was done and the report that said so.
#[derive(Clone, Debug, PartialEq)]
pub struct Done {
    pub on: NaiveDate,
    pub report: String,
}

/// A milestone item as the reports tell it, up to the day of the run.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemTimeline {
    /// The open stretches, in order; empty for an item first seen done.
    pub phases: Vec<Phase>,
    pub done: Option<Done>,
    pub last_seen: NaiveDate,
    pub last_report: String,
    /// A `stale-item` finding sits on one of its sightings.
    pub stale: bool,
    /// A `dropped-item` finding sits on one of its sightings.
    pub dropped: bool,
}

/// A milestone's items as the picture draws them, and where the milestone
/// is defined (for the picture's hover text).
#[derive(Clone, Debug, PartialEq)]
pub struct MilestoneTimeline {
    /// Per milestone item, in order: `None` when no report mentions it.
    pub items: Vec<Option<ItemTimeline>>,
    pub path: String,
    pub line: u32,
}

/// The sightings that findings of the marking rules sit on.
#[derive(Debug, Default)]
pub struct Marks {
    stale: HashSet<(String, u32)>,
    dropped: HashSet<(String, u32)>,
}

impl Marks {
    /// Reads the tracking findings of a run. Whoever emits `dropped-item`
    /// needs nothing more than to put its finding on a sighting of the
    /// item (its last, as the rule's explanation says) among these.
    pub fn from_findings<'a>(findings: impl IntoIterator<Item = &'a Diagnostic>) -> Marks {
        let mut marks = Marks::default();
        for finding in findings {
            let at = (finding.path.clone(), finding.line);
            match finding.rule {
                Rule::StaleItem => {
                    marks.stale.insert(at);
                }
                Rule::DroppedItem => {
                    marks.dropped.insert(at);
                }
                _ => {}
            }
        }
        marks
    }

    fn on(set: &HashSet<(String, u32)>, item: &TrackedItem) -> bool {
        !set.is_empty()
            && item
                .sightings
                .iter()
                .any(|s| set.contains(&(s.path.to_string(), s.pos.line)))
    }
}

/// The timeline of a tracked item; `None` for one never seen (it has no
/// sightings).
pub fn of(item: &TrackedItem, marks: &Marks) -> Option<ItemTimeline> {
    let last = item.last_seen()?;
    let mut phases: Vec<Phase> = Vec::new();
    let mut done: Option<Done> = None;
    for sighting in &item.sightings {
        if sighting.state == State::Done {
            if done.is_none() {
                // `done_on` is the day its done entry names, when it names
                // one no later than the report; else the report's date.
                let on = item.done_on.unwrap_or(sighting.date);
                done = Some(Done {
                    on,
                    report: sighting.path.to_string(),
                });
            }
            continue;
        }
        match phases.last_mut() {
            Some(phase) if phase.state == sighting.state => phase.until = sighting.date,
            _ => {
                if let Some(phase) = phases.last_mut() {
                    phase.until = sighting.date;
                }
                phases.push(Phase {
                    state: sighting.state,
                    from: sighting.date,
                    until: sighting.date,
                    report: sighting.path.to_string(),
                });
            }
        }
    }
    if let (Some(done), Some(phase)) = (&done, phases.last_mut()) {
        // The last open stretch runs until the work was done, which may be
        // before the report that said so, never before the stretch began.
        phase.until = done.on.max(phase.from);
    }
    Some(ItemTimeline {
        phases,
        done,
        last_seen: last.date,
        last_report: last.path.to_string(),
        stale: Marks::on(&marks.stale, item),
        dropped: Marks::on(&marks.dropped, item),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Pos;
    use crate::tracking::Sighting;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2016, 9, d).unwrap()
    }

    fn sighting(path: &'static str, d: u32, state: State, line: u32) -> Sighting<'static> {
        Sighting {
            path: path.into(),
            date: day(d),
            // Weekly reports: the day of the month stands for the number.
            report: d as usize,
            state,
            pos: Pos::new(line, 1),
            text: "Oppgradere til mitaka".into(),
        }
    }

    fn item(sightings: Vec<Sighting<'static>>, done_on: Option<NaiveDate>) -> TrackedItem<'static> {
        let mut item = TrackedItem::for_test(sightings);
        item.done_on = done_on;
        item
    }

    #[test]
    fn phases_follow_the_states_and_end_when_the_work_was_done() {
        let tracked = item(
            vec![
                sighting("a.rst", 2, State::Planned, 10),
                sighting("b.rst", 9, State::Planned, 10),
                sighting("c.rst", 16, State::InProgress, 8),
                sighting("d.rst", 23, State::Done, 5),
            ],
            Some(day(20)),
        );
        let timeline = of(&tracked, &Marks::default()).unwrap();
        assert_eq!(timeline.phases.len(), 2);
        assert_eq!(timeline.phases[0].state, State::Planned);
        assert_eq!(
            (timeline.phases[0].from, timeline.phases[0].until),
            (day(2), day(16))
        );
        assert_eq!(timeline.phases[0].report, "a.rst");
        assert_eq!(timeline.phases[1].report, "c.rst");
        // Done "i uke 38" in a later report: the bar ends when it was done.
        assert_eq!(timeline.phases[1].until, day(20));
        assert_eq!(
            timeline.done,
            Some(Done {
                on: day(20),
                report: "d.rst".into()
            })
        );
        assert_eq!(timeline.last_report, "d.rst");
        assert!(!timeline.stale && !timeline.dropped);
    }

    #[test]
    fn findings_on_a_sighting_mark_the_item() {
        let tracked = item(
            vec![
                sighting("a.rst", 2, State::InProgress, 10),
                sighting("b.rst", 9, State::InProgress, 12),
            ],
            None,
        );
        let stale = Diagnostic::new(Rule::StaleItem, "b.rst", Pos::new(12, 1), "stale");
        let dropped = Diagnostic::new(Rule::DroppedItem, "b.rst", Pos::new(12, 1), "gone");
        let elsewhere = Diagnostic::new(Rule::StaleItem, "b.rst", Pos::new(13, 1), "other");
        let marked = of(&tracked, &Marks::from_findings([&stale, &dropped])).unwrap();
        assert!(marked.stale && marked.dropped);
        let unmarked = of(&tracked, &Marks::from_findings([&elsewhere])).unwrap();
        assert!(!unmarked.stale && !unmarked.dropped);
        assert!(marked.done.is_none());
        assert_eq!(marked.phases[0].until, day(9));
    }

    #[test]
    fn an_item_never_seen_has_no_timeline() {
        assert!(of(&item(Vec::new(), None), &Marks::default()).is_none());
    }
}
