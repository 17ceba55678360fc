//! The timeline picture's geometry: where every bar, diamond, line and
//! label of the SVG goes. The template (`templates/dashboard.html`) only
//! writes out what is computed here, so the geometry can be tested
//! without a browser.
//!
//! Layout, left to right: a label column (milestone titles, and their
//! items indented under them), then the plotted range, where a day maps
//! to x linearly ([`Scale`]). Top to bottom: the date axis, one row per
//! milestone (its diamond at the due date, a staffing badge) followed by
//! one row per item of it (a bar from first planned through in progress
//! to done), then the legend.
//!
//! Nothing may leave the viewBox, whatever the dates and texts: every x
//! goes through [`Scale::x`], which clamps to the plotted range, labels are
//! shortened to fit their column, and a text placed after a mark is moved
//! (or anchored at its end) so that its estimated width fits. Text width
//! is estimated from the number of characters ([`CHAR_WIDTH`] of the font
//! size, generous for the sans-serif fonts the page asks for); the
//! browser test checks the result in a real browser.
//!
//! State is never told by colour alone: planned stretches are hatched, in
//! progress solid, done a circle; each milestone's diamond has its status
//! written beside it; stale and dropped items say so in words.

use chrono::{Datelike, Months, NaiveDate};

use crate::check::MilestonesOutcome;
use crate::dates::ymd;
use crate::milestones::timeline::{ItemTimeline, MilestoneTimeline};
use crate::milestones::{MilestoneRow, Status};
use crate::text::ellipsize;
use crate::tracking::State;

/// The picture's width in user units (CSS pixels at 100%).
pub const WIDTH: f64 = 1200.0;
/// Where the plotted range begins and ends.
pub const PLOT_X0: f64 = 330.0;
pub const PLOT_X1: f64 = 1188.0;
/// The height of the date axis above the first row.
const TOP: f64 = 40.0;
const ROW: f64 = 22.0;
const BAR: f64 = 12.0;
const LEGEND: f64 = 34.0;
/// The largest font size of the picture, and the width of one character
/// as a share of it: every text is measured at this size, so the smaller
/// ones (ticks, statuses, the legend, at 90%) have room to spare.
pub const FONT: f64 = 12.0;
pub const CHAR_WIDTH: f64 = 0.62;
/// Days of margin on each side of the dates shown.
const MARGIN_DAYS: i64 = 7;

/// Coordinates are written with one decimal.
fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The estimated width of a text in the label font.
pub fn text_width(text: &str, font: f64) -> f64 {
    text.chars().count() as f64 * font * CHAR_WIDTH
}

/// Where a text of `width` may start so that `[x, x + width]` stays within
/// `[lo, hi]` (at `lo` when it is wider than that).
/// Rounded down to the written decimal, so that rounding never pushes a
/// text past `hi`.
fn fit(x: f64, width: f64, lo: f64, hi: f64) -> f64 {
    ((x.min(hi - width) * 10.0).floor() / 10.0).max(lo)
}

/// Maps days to x, linearly, clamped to the plotted range.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    start: NaiveDate,
    days: i64,
    x0: f64,
    x1: f64,
}

impl Scale {
    /// A scale from `start` to `end` (one day at least) over `[x0, x1]`.
    pub fn new(start: NaiveDate, end: NaiveDate, x0: f64, x1: f64) -> Scale {
        Scale {
            start,
            days: (end - start).num_days().max(1),
            x0,
            x1,
        }
    }

    pub fn x(&self, day: NaiveDate) -> f64 {
        let share = (day - self.start).num_days() as f64 / self.days as f64;
        round((self.x0 + share * (self.x1 - self.x0)).clamp(self.x0, self.x1))
    }

    /// The x and width of a stretch of days, at least `min` wide and
    /// within the range.
    pub fn span(&self, from: NaiveDate, until: NaiveDate, min: f64) -> (f64, f64) {
        let (a, b) = (self.x(from), self.x(until.max(from)));
        let width = (b - a).max(min);
        let x = a.min(self.x1 - width).max(self.x0);
        (round(x), round(width.min(self.x1 - self.x0)))
    }
}

/// A date-axis tick.
#[derive(Clone, Debug)]
pub struct Tick {
    pub x: f64,
    pub label: String,
    /// Where the label starts (kept inside the picture).
    pub label_x: f64,
}

/// A stretch of a bar.
#[derive(Clone, Debug)]
pub struct Segment {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// `planned` or `in-progress`.
    pub class: &'static str,
    pub title: String,
}

/// The circle at the day an item was done.
#[derive(Clone, Debug)]
pub struct DoneMark {
    pub cx: f64,
    pub cy: f64,
    pub r: f64,
    pub title: String,
}

/// A few words placed in the picture (a status, "stale", "dropped").
#[derive(Clone, Debug)]
pub struct Label {
    pub x: f64,
    pub y: f64,
    pub text: String,
    pub class: &'static str,
}

/// One tracked item's bar.
#[derive(Clone, Debug)]
pub struct Bar {
    pub item: String,
    pub segments: Vec<Segment>,
    pub done: Option<DoneMark>,
    /// "stale", "dropped" or both, after the end of the bar.
    pub flag: Option<Label>,
    pub stale: bool,
    pub dropped: bool,
}

/// A milestone's diamond at its due date.
#[derive(Clone, Debug)]
pub struct Diamond {
    pub milestone: String,
    pub x: f64,
    pub y: f64,
    /// The polygon's points.
    pub points: String,
    pub class: &'static str,
    pub title: String,
    pub label: Label,
}

/// A staffing shortfall, as a badge on the milestone's row.
#[derive(Clone, Debug)]
pub struct Badge {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub text: String,
    pub text_x: f64,
    pub text_y: f64,
    pub title: String,
}

/// A row: a milestone, or one of its items.
#[derive(Clone, Debug)]
pub struct Row {
    pub y: f64,
    pub milestone: bool,
    /// The title, shortened to fit the label column.
    pub label: String,
    /// The whole title (the hover text of a shortened label).
    pub full_label: String,
    pub label_x: f64,
    pub text_y: f64,
    pub diamond: Option<Diamond>,
    pub badge: Option<Badge>,
    pub bar: Option<Bar>,
    /// Said where an item without a bar would be.
    pub note: Option<Label>,
}

/// The today (or `--as-of`) line.
#[derive(Clone, Debug)]
pub struct Today {
    pub x: f64,
    pub y1: f64,
    pub y2: f64,
    pub label: Label,
}

/// A legend entry: a swatch and its words.
#[derive(Clone, Debug)]
pub struct LegendEntry {
    /// `planned`, `in-progress`, `done`, or a diamond's status class.
    pub class: &'static str,
    /// The swatch: a rectangle, a circle or a diamond.
    pub shape: &'static str,
    pub x: f64,
    pub y: f64,
    pub points: String,
    pub text: Label,
}

/// The whole picture.
#[derive(Clone, Debug)]
pub struct Picture {
    pub width: f64,
    pub height: f64,
    pub plot_x0: f64,
    pub plot_x1: f64,
    pub ticks: Vec<Tick>,
    pub rows: Vec<Row>,
    pub today: Today,
    pub legend: Vec<LegendEntry>,
    /// Between the axis and the legend: where the grid lines run.
    pub grid_y1: f64,
    pub grid_y2: f64,
}

/// The days the picture must show: every stretch, done day and due date,
/// and the day of the run.
fn range(outcome: &MilestonesOutcome) -> (NaiveDate, NaiveDate) {
    let mut days = vec![outcome.as_of];
    for row in &outcome.milestones {
        if let Ok(due) = NaiveDate::parse_from_str(&row.due, "%Y-%m-%d") {
            days.push(due);
        }
    }
    for timeline in outcome
        .timelines
        .iter()
        .flat_map(|m| m.items.iter().flatten())
    {
        days.extend(timeline.phases.iter().flat_map(|p| [p.from, p.until]));
        days.extend(timeline.done.as_ref().map(|d| d.on));
        days.push(timeline.last_seen);
    }
    let min = days.iter().min().copied().unwrap_or(outcome.as_of);
    let max = days.iter().max().copied().unwrap_or(outcome.as_of);
    (
        min - chrono::Duration::days(MARGIN_DAYS),
        max + chrono::Duration::days(MARGIN_DAYS),
    )
}

/// Ticks at the first of every month, or of every 2, 3, 6, 12 … months,
/// so that there are at most a dozen.
fn ticks(scale: &Scale, start: NaiveDate, end: NaiveDate) -> Vec<Tick> {
    let months = (end.year() - start.year()) * 12 + end.month() as i32 - start.month() as i32 + 1;
    let step = [1, 2, 3, 6, 12, 24, 60, 120, 600]
        .into_iter()
        .find(|step| months / step <= 12)
        .unwrap_or(1200);
    let yearly = step >= 12;
    let mut day = NaiveDate::from_ymd_opt(start.year(), if yearly { 1 } else { start.month() }, 1)
        .unwrap_or(start);
    let mut out = Vec::new();
    while day <= end {
        if day >= start {
            let x = scale.x(day);
            let label = if yearly {
                day.year().to_string()
            } else {
                day.format("%Y-%m").to_string()
            };
            let width = text_width(&label, FONT);
            out.push(Tick {
                x,
                label_x: round(fit(x + 3.0, width, 0.0, WIDTH)),
                label,
            });
        }
        match day.checked_add_months(Months::new(step as u32)) {
            Some(next) => day = next,
            None => break,
        }
    }
    out
}

fn diamond_points(x: f64, y: f64, r: f64) -> String {
    let (x, y) = (round(x), round(y));
    format!(
        "{},{} {},{} {},{} {},{}",
        x,
        round(y - r),
        round(x + r),
        y,
        x,
        round(y + r),
        round(x - r),
        y
    )
}

fn status_class(status: Status) -> &'static str {
    match status {
        Status::Done => "ms-done",
        Status::DoneLate => "ms-done-late",
        Status::OnTrack => "ms-on-track",
        Status::AtRisk => "ms-at-risk",
        Status::Overdue => "ms-overdue",
        Status::NotStarted => "ms-not-started",
    }
}

/// The words beside a diamond: the due day and the status, never colour
/// alone.
fn status_words(row: &MilestoneRow) -> String {
    let status = match row.status {
        Status::Done => "done".to_owned(),
        Status::DoneLate => match row.days_late {
            Some(days) => format!("done {days} d late"),
            None => "done late".to_owned(),
        },
        Status::OnTrack => "on track".to_owned(),
        Status::AtRisk => "at risk".to_owned(),
        Status::Overdue => format!("overdue {} d", -row.days_left),
        Status::NotStarted => "not started".to_owned(),
    };
    format!("{} {status}", row.due)
}

/// A label after `x` (or before it, anchored at its end, when it would
/// leave the plotted range), kept inside the picture.
fn label_after(x: f64, y: f64, text: String, class: &'static str) -> Label {
    let width = text_width(&text, FONT);
    let after = x + 9.0;
    let start = if after + width <= PLOT_X1 {
        after
    } else {
        x - 9.0 - width
    };
    Label {
        x: round(fit(start, width, 0.0, WIDTH)),
        y: round(y),
        text,
        class,
    }
}

/// The staffing shortfall of a milestone, when the reports give less than
/// it needs.
fn shortfall(row: &MilestoneRow) -> Option<(f64, f64, f64)> {
    let need = row.staffing.as_ref()?;
    let have = row.staffing_reported?;
    (have < need.fte).then_some((need.fte, have, need.fte - have))
}

fn state_words(state: State) -> &'static str {
    match state {
        State::Planned => "planned",
        State::InProgress => "in progress",
        State::Done => "done",
    }
}

fn bar(item: &str, timeline: &ItemTimeline, scale: &Scale, y: f64) -> Bar {
    let top = round(y + (ROW - BAR) / 2.0);
    let segments = timeline
        .phases
        .iter()
        .map(|phase| {
            let (x, width) = scale.span(phase.from, phase.until, 3.0);
            Segment {
                x,
                y: top,
                width,
                height: BAR,
                class: match phase.state {
                    State::InProgress => "in-progress",
                    _ => "planned",
                },
                title: format!(
                    "{} from {} ({}) until {}",
                    state_words(phase.state),
                    ymd(phase.from),
                    phase.report,
                    ymd(phase.until)
                ),
            }
        })
        .collect::<Vec<_>>();
    let r = BAR / 2.0;
    let done = timeline.done.as_ref().map(|done| DoneMark {
        cx: round(scale.x(done.on).clamp(PLOT_X0 + r, PLOT_X1 - r)),
        cy: round(y + ROW / 2.0),
        r,
        title: format!("done {} ({})", ymd(done.on), done.report),
    });
    let words: Vec<&str> = [(timeline.stale, "stale"), (timeline.dropped, "dropped")]
        .into_iter()
        .filter_map(|(on, word)| on.then_some(word))
        .collect();
    let end = segments
        .iter()
        .map(|s| s.x + s.width)
        .chain(done.as_ref().map(|d| d.cx + d.r))
        .fold(PLOT_X0, f64::max);
    let flag = (!words.is_empty()).then(|| {
        let text = format!(
            "{} (last seen {})",
            words.join(", "),
            ymd(timeline.last_seen)
        );
        label_after(end - 6.0, y + ROW / 2.0 + 4.0, text, "flag")
    });
    Bar {
        item: item.to_owned(),
        segments,
        done,
        flag,
        stale: timeline.stale,
        dropped: timeline.dropped,
    }
}

/// Shortens `text` to fit `width` in the label font.
/// Text from the repository is measured as it will be shown: with control
/// characters written out ([`super::escape::terminal`]).
fn fitted_label(text: &str, width: f64, font: f64) -> String {
    let text = super::escape::terminal(text);
    let chars = ((width / (font * CHAR_WIDTH)).floor() as usize).max(2);
    ellipsize(&text, chars - 1).into_owned()
}

fn milestone_row(row: &MilestoneRow, timeline: &MilestoneTimeline, scale: &Scale, y: f64) -> Row {
    let mid = y + ROW / 2.0;
    let due = NaiveDate::parse_from_str(&row.due, "%Y-%m-%d").ok();
    let diamond = due.map(|due| {
        let r = 7.0;
        let x = scale.x(due).clamp(PLOT_X0 + r, PLOT_X1 - r);
        Diamond {
            milestone: row.id.clone(),
            x: round(x),
            y: round(mid),
            points: diamond_points(x, mid, r),
            class: status_class(row.status),
            title: format!(
                "{}: due {}, {} ({} done of {}); defined in {} line {}",
                row.title,
                row.due,
                row.status.as_str(),
                row.items_done,
                row.items_total,
                timeline.path,
                timeline.line
            ),
            label: label_after(x, mid + 4.0, status_words(row), "status"),
        }
    });
    let badge = shortfall(row).map(|(need, have, short)| {
        let text = format!("short {short:.1} FTE");
        let width = round(text_width(&text, FONT) + 10.0);
        let height = 16.0;
        // At the right end of the label column, clear of the title.
        let x = round(PLOT_X0 - 8.0 - width);
        Badge {
            x,
            y: round(mid - height / 2.0),
            width,
            height,
            text_x: round(x + 5.0),
            text_y: round(mid + 4.0),
            text,
            title: format!("needs {need:.1} FTE, the latest report gives {have:.1}"),
        }
    });
    let room = match &badge {
        Some(badge) => badge.x - 14.0,
        None => PLOT_X0 - 14.0,
    };
    Row {
        y: round(y),
        milestone: true,
        label: fitted_label(&row.title, room - 8.0, FONT),
        full_label: row.title.clone(),
        label_x: 8.0,
        text_y: round(mid + 4.0),
        diamond,
        badge,
        bar: None,
        note: None,
    }
}

/// The picture of a run's milestones.
pub fn picture(outcome: &MilestonesOutcome) -> Picture {
    let (start, end) = range(outcome);
    let scale = Scale::new(start, end, PLOT_X0, PLOT_X1);
    let mut rows = Vec::new();
    let mut y = TOP;
    for (row, timeline) in outcome.milestones.iter().zip(&outcome.timelines) {
        rows.push(milestone_row(row, timeline, &scale, y));
        y += ROW;
        for (item, life) in row.items.iter().zip(&timeline.items) {
            let mid = y + ROW / 2.0;
            let (bar, note) = match life {
                Some(life) => (Some(bar(&item.id, life, &scale, y)), None),
                None => (
                    None,
                    Some(Label {
                        x: PLOT_X0 + 4.0,
                        y: round(mid + 4.0),
                        text: "not in any report yet".into(),
                        class: "note",
                    }),
                ),
            };
            rows.push(Row {
                y: round(y),
                milestone: false,
                label: fitted_label(&item.title, PLOT_X0 - 14.0 - 24.0, FONT),
                full_label: item.title.clone(),
                label_x: 24.0,
                text_y: round(mid + 4.0),
                diamond: None,
                badge: None,
                bar,
                note,
            });
            y += ROW;
        }
    }
    let grid_y2 = y.max(TOP + ROW);
    let today_x = scale.x(outcome.as_of);
    let today_label = format!("as of {}", ymd(outcome.as_of));
    let width = text_width(&today_label, FONT);
    let today = Today {
        x: today_x,
        y1: round(TOP - 12.0),
        y2: round(grid_y2),
        label: Label {
            x: round(fit(today_x - width / 2.0, width, 0.0, WIDTH)),
            y: round(TOP - 16.0),
            text: today_label,
            class: "today-label",
        },
    };
    let legend = legend(grid_y2 + 12.0);
    Picture {
        width: WIDTH,
        height: round(grid_y2 + LEGEND),
        plot_x0: PLOT_X0,
        plot_x1: PLOT_X1,
        ticks: ticks(&scale, start, end),
        rows,
        today,
        legend,
        grid_y1: TOP,
        grid_y2: round(grid_y2),
    }
}

/// The legend, one line under the rows.
fn legend(y: f64) -> Vec<LegendEntry> {
    let entries: [(&str, &str, &str); 10] = [
        ("planned", "rect", "planned"),
        ("in-progress", "rect", "in progress"),
        ("done", "circle", "done"),
        ("ms-on-track", "diamond", "on track"),
        ("ms-done", "diamond", "milestone done"),
        ("ms-done-late", "diamond", "done late"),
        ("ms-at-risk", "diamond", "at risk"),
        ("ms-overdue", "diamond", "overdue"),
        ("ms-not-started", "diamond", "not started"),
        ("today", "line", "today / --as-of"),
    ];
    let mut x = 8.0;
    let mut out = Vec::new();
    for (class, shape, words) in entries {
        let text_x = x + 16.0;
        out.push(LegendEntry {
            class,
            shape,
            x: round(x),
            y: round(y),
            points: diamond_points(x + 6.0, y + 6.0, 6.0),
            text: Label {
                x: round(text_x),
                y: round(y + 10.0),
                text: words.to_owned(),
                class: "legend",
            },
        });
        x = text_x + text_width(words, FONT) + 14.0;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::milestones::ItemRow;
    use crate::milestones::timeline::{Done, Phase};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn days_map_to_x_linearly_and_clamp_to_the_range() {
        let scale = Scale::new(day(2016, 1, 1), day(2016, 1, 11), 100.0, 200.0);
        assert_eq!(scale.x(day(2016, 1, 1)), 100.0);
        assert_eq!(scale.x(day(2016, 1, 6)), 150.0);
        assert_eq!(scale.x(day(2016, 1, 11)), 200.0);
        assert_eq!(scale.x(day(2015, 6, 1)), 100.0);
        assert_eq!(scale.x(day(2030, 6, 1)), 200.0);
        // One day is never a zero-width range.
        let point = Scale::new(day(2016, 1, 1), day(2016, 1, 1), 0.0, 10.0);
        assert_eq!(point.x(day(2016, 1, 2)), 10.0);
    }

    #[test]
    fn spans_have_a_minimum_width_and_stay_in_range() {
        let scale = Scale::new(day(2016, 1, 1), day(2016, 1, 11), 100.0, 200.0);
        assert_eq!(
            scale.span(day(2016, 1, 2), day(2016, 1, 4), 3.0),
            (110.0, 20.0)
        );
        assert_eq!(
            scale.span(day(2016, 1, 5), day(2016, 1, 5), 3.0),
            (140.0, 3.0)
        );
        // At the right edge, a minimum-width span moves left to fit.
        assert_eq!(
            scale.span(day(2016, 1, 11), day(2016, 1, 11), 3.0),
            (197.0, 3.0)
        );
        // Reversed and far-out days are clamped.
        let (x, w) = scale.span(day(2020, 1, 1), day(2010, 1, 1), 3.0);
        assert!(x >= 100.0 && x + w <= 200.0, "{x} {w}");
    }

    fn row(id: &str, title: &str, due: &str, status: Status, items: usize) -> MilestoneRow {
        MilestoneRow {
            id: id.into(),
            title: title.into(),
            due: due.into(),
            status,
            items_done: 0,
            items_total: items,
            items_in_progress: 0,
            items_planned: 0,
            items_not_started: 0,
            days_left: -20,
            days_late: None,
            completed_on: None,
            staffing: Some(crate::milestones::Staffing {
                fte: 4.0,
                until: None,
            }),
            staffing_reported: Some(1.6),
            items: (0..items)
                .map(|i| ItemRow {
                    id: format!("{id}-{i}"),
                    title: "Et veldig langt punkt ".repeat(i + 1),
                    state: "planned",
                    completed_on: None,
                    last_report: None,
                })
                .collect(),
        }
    }

    fn life(from: NaiveDate, until: NaiveDate, done: bool, marked: bool) -> ItemTimeline {
        ItemTimeline {
            phases: vec![
                Phase {
                    state: State::Planned,
                    from,
                    until: from + chrono::Duration::days(10),
                    report: "docs/a.rst".into(),
                },
                Phase {
                    state: State::InProgress,
                    from: from + chrono::Duration::days(10),
                    until,
                    report: "docs/b.rst".into(),
                },
            ],
            done: done.then(|| Done {
                on: until,
                report: "docs/c.rst".into(),
            }),
            last_seen: until,
            last_report: "docs/c.rst".into(),
            stale: marked,
            dropped: marked,
        }
    }

    /// A run with a long title, a milestone due long after everything
    /// else, items at the very edges, marks, a badge and an item never seen.
    fn outcome(as_of: NaiveDate) -> MilestonesOutcome {
        let rows = vec![
            row(
                "a",
                &"Lansering ".repeat(20),
                "2016-11-14",
                Status::Overdue,
                3,
            ),
            row("b", "Produksjonsklar", "2019-01-01", Status::DoneLate, 1),
        ];
        let timelines = vec![
            MilestoneTimeline {
                items: vec![
                    Some(life(day(2016, 8, 1), day(2016, 9, 30), true, false)),
                    Some(life(day(2016, 9, 1), day(2018, 12, 31), false, true)),
                    None,
                ],
                path: "docs/plan.rst".into(),
                line: 3,
            },
            MilestoneTimeline {
                items: vec![Some(life(day(2018, 12, 1), day(2019, 1, 1), true, true))],
                path: "docs/plan.rst".into(),
                line: 4,
            },
        ];
        MilestonesOutcome {
            as_of,
            milestones: rows,
            timelines,
            root: std::path::PathBuf::from("/repo"),
            sphinx_source: None,
        }
    }

    /// Every shape's extent, with text by its estimated width.
    fn extents(picture: &Picture) -> Vec<(String, f64, f64, f64, f64)> {
        type Extent = (String, f64, f64, f64, f64);
        let mut out: Vec<Extent> = Vec::new();
        fn text(out: &mut Vec<Extent>, what: &str, label: &Label, font: f64) {
            out.push((
                format!("{what} `{}`", label.text),
                label.x,
                label.y - font,
                label.x + text_width(&label.text, font),
                label.y,
            ));
        }
        for tick in &picture.ticks {
            text(
                &mut out,
                "tick",
                &Label {
                    x: tick.label_x,
                    y: 20.0,
                    text: tick.label.clone(),
                    class: "",
                },
                FONT,
            );
        }
        text(&mut out, "today", &picture.today.label, FONT);
        for row in &picture.rows {
            text(
                &mut out,
                "row label",
                &Label {
                    x: row.label_x,
                    y: row.text_y,
                    text: row.label.clone(),
                    class: "",
                },
                FONT,
            );
            if let Some(d) = &row.diamond {
                out.push(("diamond".into(), d.x - 7.0, d.y - 7.0, d.x + 7.0, d.y + 7.0));
                text(&mut out, "status", &d.label, FONT);
            }
            if let Some(b) = &row.badge {
                out.push(("badge".into(), b.x, b.y, b.x + b.width, b.y + b.height));
            }
            if let Some(bar) = &row.bar {
                for s in &bar.segments {
                    out.push(("segment".into(), s.x, s.y, s.x + s.width, s.y + s.height));
                }
                if let Some(d) = &bar.done {
                    out.push((
                        "done".into(),
                        d.cx - d.r,
                        d.cy - d.r,
                        d.cx + d.r,
                        d.cy + d.r,
                    ));
                }
                if let Some(flag) = &bar.flag {
                    text(&mut out, "flag", flag, FONT);
                }
            }
        }
        for entry in &picture.legend {
            text(&mut out, "legend", &entry.text, FONT);
        }
        out
    }

    #[test]
    fn nothing_leaves_the_view_box() {
        for as_of in [day(2016, 10, 1), day(2010, 1, 1), day(2030, 1, 1)] {
            let picture = picture(&outcome(as_of));
            for (what, x0, y0, x1, y1) in extents(&picture) {
                assert!(
                    x0 >= 0.0 && y0 >= 0.0 && x1 <= picture.width && y1 <= picture.height,
                    "{what} at ({x0}, {y0})–({x1}, {y1}) leaves 0 0 {} {}",
                    picture.width,
                    picture.height
                );
            }
            let today = &picture.today;
            assert!((PLOT_X0..=PLOT_X1).contains(&today.x), "{}", today.x);
        }
    }

    #[test]
    fn rows_bars_and_diamonds_follow_the_milestones() {
        let picture = picture(&outcome(day(2016, 10, 1)));
        // Two milestones, four items: six rows, one under the other.
        assert_eq!(picture.rows.len(), 6);
        for pair in picture.rows.windows(2) {
            assert_eq!(pair[1].y - pair[0].y, ROW);
        }
        let bars = picture.rows.iter().filter(|r| r.bar.is_some()).count();
        let diamonds = picture.rows.iter().filter(|r| r.diamond.is_some()).count();
        assert_eq!((bars, diamonds), (3, 2));
        // The item never seen says so instead of a bar.
        assert_eq!(
            picture.rows[3].note.as_ref().map(|n| n.text.as_str()),
            Some("not in any report yet")
        );
        // Planned before in progress, left to right, and each names its report.
        let bar = picture.rows[1].bar.as_ref().unwrap();
        assert_eq!(bar.segments[0].class, "planned");
        assert_eq!(bar.segments[1].class, "in-progress");
        assert!(bar.segments[0].x < bar.segments[1].x);
        assert!(bar.segments[1].title.contains("docs/b.rst"));
        assert!(bar.done.as_ref().unwrap().title.contains("docs/c.rst"));
        // Marks in words, status in words, shortfall on a badge.
        let marked = picture.rows[2].bar.as_ref().unwrap();
        assert!(
            marked
                .flag
                .as_ref()
                .unwrap()
                .text
                .starts_with("stale, dropped")
        );
        let diamond = picture.rows[0].diamond.as_ref().unwrap();
        assert_eq!(diamond.class, "ms-overdue");
        assert_eq!(diamond.label.text, "2016-11-14 overdue 20 d");
        assert_eq!(
            picture.rows[0].badge.as_ref().map(|b| b.text.as_str()),
            Some("short 2.4 FTE")
        );
        // The long title was shortened to its column, the whole kept.
        assert!(picture.rows[0].label.ends_with('…'));
        assert_eq!(picture.rows[0].full_label, "Lansering ".repeat(20));
    }

    #[test]
    fn ticks_stay_few_over_long_ranges() {
        let short = Scale::new(day(2016, 8, 1), day(2016, 12, 1), PLOT_X0, PLOT_X1);
        let ticks_short = ticks(&short, day(2016, 8, 1), day(2016, 12, 1));
        assert_eq!(
            ticks_short
                .iter()
                .map(|t| t.label.as_str())
                .collect::<Vec<_>>(),
            ["2016-08", "2016-09", "2016-10", "2016-11", "2016-12"]
        );
        let long = Scale::new(day(2007, 3, 1), day(2016, 12, 1), PLOT_X0, PLOT_X1);
        let ticks_long = ticks(&long, day(2007, 3, 1), day(2016, 12, 1));
        assert!(
            ticks_long.len() <= 12 && ticks_long.len() >= 5,
            "{ticks_long:?}"
        );
        assert_eq!(ticks_long[0].label, "2008");
    }
}
