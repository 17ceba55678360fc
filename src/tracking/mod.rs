//! Following items from week to week.
//!
//! The items of the done, in-progress and planned sections of consecutive
//! reports of one series are joined into tracked items, each with a
//! timeline: where it was seen, in which state, and when it was done.
//!
//! - An explicit tag always wins: a comment `milepost: item=ID` just before
//!   an item (`.. milepost: item=dns` in reStructuredText, `<!-- milepost:
//!   item=dns -->` in Markdown) ties it to every other item with that tag.
//! - Otherwise items match on their content words ([`words`]): the share of
//!   the shorter wording's words found in the other, at least half, and at
//!   least two words in common; or one shared host name or version.
//! - Names and versions are identity, not noise ([`identity`]): two
//!   wordings that each name something the other does not ("… Ocata …",
//!   "… Pike …"; "Puppet 4", "Puppet 5") are different items however many
//!   other words they share.
//! - A report is compared only with the items still open before it: not
//!   done, and seen within the forget window ([`Tracking::forget_weeks`],
//!   26 weeks unless the config's `dropped-item: {weeks: N}` says
//!   otherwise), so an item back after three months is the same item.
//! - Done-ness is read from the done section, from an item that says it is
//!   done ("er ferdig", "was completed"), and from the status prose; a
//!   status sentence only ever closes an open item, it never starts one
//!   ([`prose`]).
//! - An item is a standing duty ([`TrackedItem::standing`]) when its wording
//!   says so ("fortsette å hjelpe brukere", "keep helping users"), when it
//!   matches a `standing:` pattern of the config, or when it has been listed
//!   unchanged (one state, nearly always one wording) in most reports for
//!   half a year: neither stale nor dropped.
//!
//! Series are followed in parallel. Inside a series, what each distinct
//! wording says (its names, whether it is done, its words) is read in
//! parallel before the reports are gone through, or taken from what a
//! previous run read ([`readings`]); only the matching of each report
//! against the items still open is sequential, since what is open depends
//! on every report before it.

pub mod identity;
pub mod prose;
mod readings;
pub mod words;

use readings::Readings;
pub use readings::{Wordings, WordingsToKeep};

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

use crate::dates;
use crate::report::{Document, Pos};
use crate::rules::series::series_key;
use crate::schema::{Schema, SectionKind};
use crate::text::ellipsize;

/// How items are followed: the forget window and the standing duties the
/// config lists.
#[derive(Clone, Debug)]
pub struct Tracking {
    /// How long an item may go unmentioned and still be the same item when
    /// it comes back (`dropped-item: {weeks: N}`).
    pub forget_weeks: u32,
    /// Wordings that are standing duties (`standing:` in the config), lower
    /// case: an item any of whose wordings contains one is standing.
    pub standing: Vec<String>,
}

/// The default forget window, in weeks: half a year, longer than a summer
/// break or a quarter's pause ("back after 98 days" is the same item).
pub const FORGET_WEEKS: u32 = 26;

/// How long, and in what share of the reports, an item must be listed in
/// one state to be a standing duty without saying so.
pub const STANDING_WEEKS: i64 = 26;
const STANDING_SHARE: f64 = 0.6;

impl Default for Tracking {
    fn default() -> Tracking {
        Tracking {
            forget_weeks: FORGET_WEEKS,
            standing: Vec::new(),
        }
    }
}

/// The state an item is in, by the section it is listed under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Planned,
    InProgress,
    Done,
}

impl State {
    fn of(kind: SectionKind) -> Option<State> {
        match kind {
            SectionKind::Planned => Some(State::Planned),
            SectionKind::InProgress => Some(State::InProgress),
            SectionKind::Done => Some(State::Done),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            State::Planned => "planned",
            State::InProgress => "in progress",
            State::Done => "done",
        }
    }
}

/// One report, as tracking sees it.
pub struct ReportView<'a> {
    pub path: &'a str,
    /// The report's date: its byline date, else the Sunday of its week.
    pub date: NaiveDate,
    pub document: &'a Document,
    pub schema: &'a Schema,
}

/// An item as listed in one report. Path and text borrow from the
/// reports while they are followed: a large tree has a hundred thousand
/// sightings, and copies of them were a sixth of the peak memory of a
/// check. The few items kept after their reports are let go own theirs
/// ([`TrackedItem::into_owned`]).
#[derive(Clone, Debug)]
pub struct Sighting<'a> {
    pub path: Cow<'a, str>,
    pub date: NaiveDate,
    /// The report's number in its series (0 for the first): consecutive
    /// reports have consecutive numbers, whatever their dates.
    pub report: usize,
    pub state: State,
    pub pos: Pos,
    pub text: Cow<'a, str>,
}

impl Sighting<'_> {
    fn into_owned(self) -> Sighting<'static> {
        Sighting {
            path: Cow::Owned(self.path.into_owned()),
            date: self.date,
            report: self.report,
            state: self.state,
            pos: self.pos,
            text: Cow::Owned(self.text.into_owned()),
        }
    }
}

/// One item followed across reports.
#[derive(Clone, Debug)]
pub struct TrackedItem<'a> {
    /// Shared by every item of the series.
    pub series: Arc<str>,
    pub tag: Option<String>,
    /// Its first wording, shortened.
    pub title: String,
    /// Content words of every wording it had, separated by spaces (content
    /// words have none): one allocation per item instead of one per word,
    /// for the hundred thousand items of a large tree. See
    /// [`TrackedItem::words`].
    words: String,
    /// Per word of `words`, in order: the low half of its key and where it
    /// ends in `words` (it starts after the previous one's end and a
    /// space). Whether a word is new to the item is an integer scan, and a
    /// key that matches is checked against that one word: checking it
    /// against the whole text, for every word of every sighting of a
    /// long-lived item, was 3% of a check. Eight bytes a word, as the keys
    /// alone were.
    word_keys: Vec<(u32, u32)>,
    /// Content words of its latest wording, as sorted hashes: what the
    /// next report is compared with (an item's wording drifts slowly, week
    /// by week), in integer compares.
    latest_keys: Vec<u64>,
    /// Names and versions of its latest wording ([`identity`]).
    latest_ids: identity::Ids,
    pub sightings: Vec<Sighting<'a>>,
    /// When it was done: the date or the end of the week its done entry
    /// names, if not after that report; else that report's date.
    pub done_on: Option<NaiveDate>,
    /// A standing duty: neither stale nor dropped.
    pub standing: bool,
    /// How many reports of its series came after its latest sighting,
    /// within the forget window.
    pub reports_since: usize,
}

impl<'a> TrackedItem<'a> {
    /// Content words of every wording it had.
    pub fn words(&self) -> impl Iterator<Item = &str> + Clone {
        // A byte scan: faster than `split(' ')`'s memchr on words this short.
        self.words.split_ascii_whitespace()
    }

    fn add_word(&mut self, word: &str) {
        // The low half of the key: a match is checked against the word.
        let key = words::key(word) as u32;
        let mut start = 0;
        let known = self.word_keys.iter().any(|&(have, end)| {
            let end = end as usize;
            let same = have == key && self.words.get(start..end) == Some(word);
            start = end + 1;
            same
        });
        if !known {
            if !self.words.is_empty() {
                self.words.push(' ');
            }
            self.words.push_str(word);
            // Past 4 GiB of words (never, in practice) a later equal word
            // is not recognised and is kept twice.
            let end = u32::try_from(self.words.len()).unwrap_or(u32::MAX);
            self.word_keys.push((key, end));
        }
    }

    /// The item with its own copies of what it borrowed from the reports,
    /// so that they can be let go.
    pub fn into_owned(self) -> TrackedItem<'static> {
        TrackedItem {
            series: self.series,
            tag: self.tag,
            title: self.title,
            words: self.words,
            word_keys: self.word_keys,
            latest_keys: self.latest_keys,
            latest_ids: self.latest_ids,
            sightings: self
                .sightings
                .into_iter()
                .map(Sighting::into_owned)
                .collect(),
            done_on: self.done_on,
            standing: self.standing,
            reports_since: self.reports_since,
        }
    }

    pub fn first_seen(&self) -> Option<&Sighting<'a>> {
        self.sightings.first()
    }

    pub fn last_seen(&self) -> Option<&Sighting<'a>> {
        self.sightings.last()
    }

    /// Its state as of the latest sighting on or before `day`.
    pub fn state_on(&self, day: NaiveDate) -> Option<State> {
        self.sightings
            .iter()
            .rev()
            .find(|s| s.date <= day)
            .map(|s| s.state)
    }

    /// A new item of `series`, called `title`, not seen yet.
    fn new(series: Arc<str>, title: String) -> TrackedItem<'a> {
        TrackedItem {
            series,
            tag: None,
            title,
            words: String::new(),
            word_keys: Vec::new(),
            latest_keys: Vec::new(),
            latest_ids: identity::Ids::default(),
            sightings: Vec::new(),
            done_on: None,
            standing: false,
            reports_since: 0,
        }
    }

    /// An item with these sightings and no words, for other modules' tests.
    #[cfg(test)]
    pub(crate) fn for_test(sightings: Vec<Sighting<'a>>) -> TrackedItem<'a> {
        TrackedItem {
            sightings,
            ..TrackedItem::new(Arc::from("test"), String::new())
        }
    }
}

/// Reads the `milepost: item=ID` tags of a document: item line → tag.
fn tags(document: &Document) -> HashMap<u32, String> {
    let mut item_lines: Vec<u32> = document
        .sections
        .iter()
        .flat_map(|s| s.items.iter())
        .map(|i| i.pos.line)
        .collect();
    item_lines.sort_unstable();
    let mut tags = HashMap::new();
    for comment in &document.comments {
        let Some(tag) = comment
            .text
            .trim()
            .strip_prefix("milepost:")
            .and_then(|rest| rest.trim().strip_prefix("item="))
            .map(|tag| tag.trim().to_lowercase())
            .filter(|tag| !tag.is_empty())
        else {
            continue;
        };
        if let Some(&line) = item_lines.iter().find(|&&line| line > comment.end_line) {
            tags.insert(line, tag);
        }
    }
    tags
}

/// An item of a report before matching.
struct Listed<'a> {
    state: State,
    pos: Pos,
    text: &'a str,
    /// Content words, separated by spaces (see [`words::content_words_joined`]).
    words: String,
    keys: Vec<u64>,
    ids: identity::Ids,
    tag: Option<String>,
    /// A sentence of the status prose that says something is done: it
    /// closes an open item and never starts one.
    prose: bool,
}

/// The sections of a report that tracking reads, with their state (`None`
/// for the status prose).
fn tracked_sections<'r>(
    report: &'r ReportView,
) -> impl Iterator<Item = (usize, Option<State>)> + 'r {
    report
        .document
        .sections
        .iter()
        .enumerate()
        .filter(|(_, section)| section.depth == 1)
        .filter_map(|(index, section)| {
            let kind = report
                .schema
                .sections
                .get(report.schema.section_index(&section.heading.text)?)?
                .kind;
            match (State::of(kind), kind) {
                (Some(state), _) => Some((index, Some(state))),
                (None, SectionKind::Status) => Some((index, None)),
                _ => None,
            }
        })
}

/// The entries of a tracked section: its items, or for the status prose
/// everything written under it.
fn section_texts(
    document: &Document,
    index: usize,
    section_state: Option<State>,
) -> Vec<&crate::report::Item> {
    match section_state {
        Some(_) => document.items_under(index).collect(),
        None => document.texts_under(index).collect(),
    }
}

/// The state of an entry of a section in `section_state` (`None`: the
/// status prose), given whether its text says it is done; `None` for a
/// status sentence that does not.
fn entry_state(section_state: Option<State>, says_done: bool) -> Option<State> {
    match section_state {
        Some(State::Done) => Some(State::Done),
        // An item that says it is done is done ("… Dette er nå ferdig").
        Some(_) if says_done => Some(State::Done),
        Some(state) => Some(state),
        None if says_done => Some(State::Done),
        None => None,
    }
}

fn listed_items<'a>(
    report: &ReportView<'a>,
    vocabulary: &identity::Vocabulary,
    readings: &mut Readings<'a>,
) -> Vec<Listed<'a>> {
    let tags = tags(report.document);
    let mut listed = Vec::new();
    let document: &'a Document = report.document;
    for (index, section_state) in tracked_sections(report) {
        for item in section_texts(document, index, section_state) {
            let text: &'a str = item.text.as_str();
            let Some((state, reading)) = readings.entry(text, section_state, vocabulary) else {
                continue;
            };
            let readings::Reading { ids, words, keys } = reading.clone();
            listed.push(Listed {
                state,
                pos: item.pos,
                text: &item.text,
                keys,
                ids,
                words,
                tag: tags.get(&item.pos.line).cloned(),
                prose: section_state.is_none(),
            });
        }
    }
    listed
}

/// The date a done entry names for itself ("utført i uke 41", "14.
/// november"), if it is not after the report.
fn named_done_date(text: &str, report_date: NaiveDate) -> Option<NaiveDate> {
    let year = report_date.year();
    let from_dates = dates::find_dates(text, Some(year))
        .into_iter()
        .filter_map(|m| m.value.ok());
    let from_weeks = dates::find_weeks(text).into_iter().filter_map(|m| {
        let week = m.value.week;
        let year = m.value.year.unwrap_or(year);
        dates::week_bounds(year, week).map(|(_, sunday)| sunday)
    });
    from_dates
        .chain(from_weeks)
        .map(|day| day.min(report_date))
        .filter(|day| *day <= report_date && (report_date - *day).num_days() <= 366)
        .max()
}

/// Follows the items of every series through `reports` (any order), with
/// the default forget window and no configured standing duties.
pub fn track<'a>(reports: &[ReportView<'a>]) -> Vec<TrackedItem<'a>> {
    track_with(reports, &Tracking::default())
}

/// Follows the items of every series through `reports` (any order).
pub fn track_with<'a>(reports: &[ReportView<'a>], tracking: &Tracking) -> Vec<TrackedItem<'a>> {
    let mut by_series: BTreeMap<String, Vec<&ReportView>> = BTreeMap::new();
    for report in reports {
        by_series
            .entry(series_key(report.path))
            .or_default()
            .push(report);
    }
    // Series are independent: followed in parallel, then concatenated in
    // series order so the result does not depend on scheduling.
    let per_series: Vec<Vec<TrackedItem>> = by_series
        .into_par_iter()
        .map(|(_, reports)| track_series(reports, tracking, None, |_| {}))
        .collect();
    per_series.into_iter().flatten().collect()
}

/// [`track_with`] for the reports of one series (any order), with what a
/// previous run read of the series' wordings (`known`, see [`Wordings`]);
/// `keep` is handed the wordings to keep for the next run, unless they are
/// `known`'s.
pub fn track_one_series<'a>(
    reports: &[ReportView<'a>],
    tracking: &Tracking,
    known: Option<&Wordings>,
    keep: impl FnOnce(&WordingsToKeep),
) -> Vec<TrackedItem<'a>> {
    track_series(reports.iter().collect(), tracking, known, keep)
}

/// Follows the items of one series through `reports` (any order).
fn track_series<'a>(
    mut reports: Vec<&ReportView<'a>>,
    tracking: &Tracking,
    known: Option<&Wordings>,
    keep: impl FnOnce(&WordingsToKeep),
) -> Vec<TrackedItem<'a>> {
    reports.sort_by(|a, b| (a.date, a.path).cmp(&(b.date, b.path)));
    let Some(first) = reports.first() else {
        return Vec::new();
    };
    let series: Arc<str> = Arc::from(series_key(first.path));
    let mut items: Vec<TrackedItem<'a>> = Vec::new();
    let (vocabulary, mut readings) = Readings::of_series(&reports, known);
    let forget_days = i64::from(tracking.forget_weeks) * 7;
    // The items still open, kept up to date rather than rebuilt, so a
    // report costs the same however long the series already is.
    let mut open: Vec<usize> = Vec::new();
    let mut by_tag: HashMap<String, usize> = HashMap::new();
    for (number, report) in reports.iter().enumerate() {
        open.retain(|i| {
            let item = &items[*i];
            item.done_on.is_none()
                && item
                    .last_seen()
                    .is_some_and(|s| (report.date - s.date).num_days() <= forget_days)
        });
        let listed = listed_items(report, &vocabulary, &mut readings);
        let assignment = assign(&listed, &open, &by_tag, &items);
        for (entry, matched) in listed.into_iter().zip(assignment) {
            let index = match matched {
                Some(index) => index,
                // A status sentence closes an item; it never starts one.
                None if entry.prose => continue,
                None => {
                    items.push(TrackedItem::new(
                        Arc::clone(&series),
                        ellipsize(entry.text, 80).into_owned(),
                    ));
                    open.push(items.len() - 1);
                    items.len() - 1
                }
            };
            let item = &mut items[index];
            for word in entry.words.split_ascii_whitespace() {
                item.add_word(word);
            }
            if item.tag.is_none()
                && let Some(tag) = &entry.tag
            {
                item.tag = Some(tag.clone());
                by_tag.insert(tag.clone(), index);
            }
            if entry.state == State::Done && item.done_on.is_none() {
                item.done_on =
                    Some(named_done_date(entry.text, report.date).unwrap_or(report.date));
            }
            // A status sentence says it is done; what the item is called
            // stays the item's own wording.
            if !entry.prose {
                item.latest_keys = entry.keys;
                item.latest_ids = entry.ids;
            }
            item.sightings.push(Sighting {
                path: Cow::Borrowed(report.path),
                date: report.date,
                report: number,
                state: entry.state,
                pos: entry.pos,
                text: Cow::Borrowed(entry.text),
            });
        }
    }
    // What is left to say of each item depends on it alone.
    items.par_iter_mut().with_min_len(64).for_each(|item| {
        if let Some(last) = item.last_seen() {
            // Reports past the forget window do not count: a series that
            // pauses for longer says nothing about what became of an item.
            item.reports_since = reports[last.report + 1..]
                .iter()
                .take_while(|r| (r.date - last.date).num_days() <= forget_days)
                .count();
        }
        item.standing = is_standing(item, tracking);
    });
    if let Some(to_keep) = readings.to_keep(&vocabulary) {
        keep(&to_keep);
    }
    items
}

/// Whether an item is a standing duty: its wording says so, the config
/// lists it, or it has been listed in one state, never done, in most
/// reports of at least [`STANDING_WEEKS`].
fn is_standing(item: &TrackedItem, tracking: &Tracking) -> bool {
    let (Some(first), Some(last)) = (item.first_seen(), item.last_seen()) else {
        return false;
    };
    if item.done_on.is_some() {
        return false;
    }
    let listed = || item.sightings.iter().map(|s| s.text.as_ref());
    if !tracking.standing.is_empty()
        && listed().any(|text| {
            let lower = crate::text::lower_nfc(text);
            tracking.standing.iter().any(|p| lower.contains(p.as_str()))
        })
    {
        return true;
    }
    if prose::says_standing(&first.text) {
        return true;
    }
    let span_weeks = (last.date - first.date).num_days() / 7;
    let reports = last.report - first.report + 1;
    // "No change": one state throughout, and nearly always one wording (an
    // item reworded week by week is work going on, however long).
    let mut texts: HashMap<&str, usize> = HashMap::new();
    for s in &item.sightings {
        *texts.entry(s.text.as_ref()).or_default() += 1;
    }
    let usual = texts.values().copied().max().unwrap_or(0);
    span_weeks >= STANDING_WEEKS
        && item.sightings.len() as f64 >= STANDING_SHARE * reports as f64
        && usual as f64 >= 0.8 * item.sightings.len() as f64
        && item.sightings.iter().all(|s| s.state == first.state)
}

/// Pairs a report's items with open tracked items: tags first (a tag finds
/// its item even if closed), then the most similar pairs greedily.
fn assign(
    listed: &[Listed],
    open: &[usize],
    by_tag: &HashMap<String, usize>,
    items: &[TrackedItem],
) -> Vec<Option<usize>> {
    let mut assignment: Vec<Option<usize>> = vec![None; listed.len()];
    let mut taken: Vec<usize> = Vec::new();
    for (i, entry) in listed.iter().enumerate() {
        if let Some(tag) = &entry.tag
            && let Some(&index) = by_tag.get(tag)
            && !taken.contains(&index)
        {
            assignment[i] = Some(index);
            taken.push(index);
        }
    }
    let mut pairs: Vec<(f64, usize, usize, usize)> = Vec::new();
    let bits = KeyBits::new(listed);
    let candidates: Vec<(usize, Vec<u64>)> = open
        .iter()
        .filter(|&&index| items[index].tag.is_none())
        .map(|&index| (index, bits.of(&items[index].latest_keys)))
        .collect();
    // A status sentence is compared with what is still planned or going on.
    for (i, entry) in listed.iter().enumerate() {
        if assignment[i].is_some() || entry.tag.is_some() {
            continue;
        }
        let entry_bits = bits.of(&entry.keys);
        for (index, item_bits) in &candidates {
            let item = &items[*index];
            let shared = KeyBits::shared(&entry_bits, item_bits);
            let short = entry.keys.len().min(item.latest_keys.len());
            let mut share = if short == 0 {
                0.0
            } else {
                shared as f64 / short as f64
            };
            let alike = (shared >= 2 && share >= 0.5) || (short == 1 && shared == 1);
            // One host name or version in common follows a rewording that
            // shares nothing else ("`dev03` venter på nettverk").
            let same_host = shared >= 1 && identity::share_strong(&entry.ids, &item.latest_ids);
            if !(alike || same_host)
                || identity::vetoed(&entry.ids, &entry.keys, &item.latest_ids, &item.latest_keys)
            {
                continue;
            }
            if same_host {
                share = share.max(0.5);
            }
            pairs.push((share, shared, i, *index));
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
    for (_, _, i, index) in pairs {
        if assignment[i].is_none() && !taken.contains(&index) {
            assignment[i] = Some(index);
            taken.push(index);
        }
    }
    assignment
}

/// The content-word keys of one report's entries, numbered. Each side of a
/// comparison becomes a bitset over those numbers (a key no entry has
/// cannot be shared), and the words two wordings share are a popcount: a
/// report meets every open item of its series, and a merge of two sorted
/// key lists per pair, with a hard-to-predict branch per key, was the
/// slowest part of a whole check.
struct KeyBits {
    ids: HashMap<u64, usize, BuildHasherDefault<KeyHasher>>,
    words: usize,
}

/// Keys are FNV hashes already: hashing them again is wasted work.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, key: u64) {
        self.0 = key;
    }
}

impl KeyBits {
    fn new(listed: &[Listed]) -> KeyBits {
        let mut ids: HashMap<u64, usize, BuildHasherDefault<KeyHasher>> = HashMap::default();
        for key in listed.iter().flat_map(|entry| &entry.keys) {
            let next = ids.len();
            ids.entry(*key).or_insert(next);
        }
        KeyBits {
            words: ids.len().div_ceil(64),
            ids,
        }
    }

    fn of(&self, keys: &[u64]) -> Vec<u64> {
        let mut bits = vec![0; self.words];
        for id in keys.iter().filter_map(|key| self.ids.get(key)) {
            bits[id / 64] |= 1 << (id % 64);
        }
        bits
    }

    /// How many keys two bitsets share; each list's keys are distinct.
    fn shared(a: &[u64], b: &[u64]) -> usize {
        a.iter()
            .zip(b)
            .map(|(a, b)| (a & b).count_ones() as usize)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Format, parse};

    #[test]
    fn an_item_keeps_each_word_once_in_first_seen_order() {
        let mut item = TrackedItem::new(Arc::from("s"), String::new());
        for wording in [
            "nettverk nett dns",
            "dns nett nettverket",
            "nett",
            "ne nettverk",
        ] {
            for word in wording.split(' ') {
                item.add_word(word);
            }
        }
        let words: Vec<&str> = item.words().collect();
        assert_eq!(words, ["nettverk", "nett", "dns", "nettverket", "ne"]);
        assert_eq!(item.word_keys.len(), words.len());
    }

    fn report(week: u32, body: &str) -> (String, NaiveDate, Document) {
        let text = format!("Uke {week}\n======\n\nav A, B, 1. jan 2016\n\n{body}");
        let sunday = dates::week_bounds(2016, week).unwrap().1;
        (
            format!("s/2016_uke_{week}.rst"),
            sunday,
            parse(Format::Rst, &text),
        )
    }

    fn section(title: &str, items: &[&str]) -> String {
        let mut text = format!("{title}\n{}\n\n", "-".repeat(title.chars().count()));
        for item in items {
            text.push_str(&format!("- {item}\n\n"));
        }
        text
    }

    #[test]
    fn key_bits_share_what_the_words_share() {
        let wordings = [
            "tjeneste for DNS for instanser",
            "tjenesten for DNS til instansene, snart klar",
            "Oppgradere ceph til siste versjon.",
            "Oppgradering til mitaka i uke 38.",
            "",
        ];
        let listed: Vec<Listed> = wordings
            .iter()
            .map(|text| {
                let (words, keys) = words::content_words_joined(text);
                Listed {
                    state: State::Planned,
                    pos: Pos::new(1, 1),
                    text,
                    keys,
                    ids: identity::Ids::default(),
                    words,
                    tag: None,
                    prose: false,
                }
            })
            .collect();
        // Built from the first two only: the others' keys are partly
        // unknown to it, as an open item's are.
        let bits = KeyBits::new(&listed[..2]);
        let mut sharing = 0;
        for a in &listed[..2] {
            for b in &listed {
                let shared = KeyBits::shared(&bits.of(&a.keys), &bits.of(&b.keys));
                let (a_words, b_words) =
                    (words::content_words(a.text), words::content_words(b.text));
                assert_eq!(
                    shared,
                    words::overlap(&a_words, &b_words).1,
                    "{} / {}",
                    a.text,
                    b.text
                );
                sharing += usize::from(shared > 0);
            }
        }
        assert!(
            sharing >= 4,
            "the wordings share too little to test anything"
        );
    }

    #[test]
    fn follows_reworded_items_and_dates_their_completion() {
        let schema = Schema::builtin("uke").unwrap().unwrap();
        let weeks = [
            report(
                36,
                &(section(
                    "Under arbeid",
                    &["Det jobbes med å få på plass en tjeneste for DNS for instanser."],
                ) + &section(
                    "Planlagt fremdrift",
                    &["Vi vil i uke 41 ta en full reinstallasjon av bgo."],
                )),
            ),
            report(
                37,
                &(section(
                    "Under arbeid",
                    &[
                        "Det jobbes med å få på plass en tjeneste for DNS til instanser. Denne vil forhåpentligvis være på plass i løpet av året.",
                    ],
                ) + &section(
                    "Planlagt fremdrift",
                    &["Vi vil i uke 41 ta en full reinstallasjon av bgo."],
                )),
            ),
            report(
                42,
                &(section(
                    "Fullført",
                    &["Full reinstallasjon av bgo ble utført i uke 41."],
                ) + &section(
                    "Under arbeid",
                    &["Tjeneste for DNS til instansene er nesten klar."],
                )),
            ),
        ];
        let views: Vec<ReportView> = weeks
            .iter()
            .map(|(path, date, doc)| ReportView {
                path,
                date: *date,
                document: doc,
                schema: &schema,
            })
            .collect();
        let items = track(&views);
        assert_eq!(items.len(), 2, "{items:#?}");
        let dns = items
            .iter()
            .find(|i| i.words().any(|w| w == "dns"))
            .unwrap();
        assert_eq!(dns.sightings.len(), 3);
        let started = dns
            .sightings
            .iter()
            .find(|s| s.state == State::InProgress)
            .map(|s| s.date);
        assert_eq!(started, dates::week_bounds(2016, 36).map(|w| w.1));
        let reinstall = items
            .iter()
            .find(|i| i.words().any(|w| w == "bgo"))
            .unwrap();
        assert_eq!(reinstall.done_on, dates::week_bounds(2016, 41).map(|w| w.1));
        assert_eq!(
            reinstall
                .sightings
                .iter()
                .map(|s| s.state)
                .collect::<Vec<_>>(),
            [State::Planned, State::Planned, State::Done]
        );
    }

    #[test]
    fn tags_win_over_wording() {
        let schema = Schema::builtin("uke").unwrap().unwrap();
        let weeks = [
            report(
                36,
                &section(
                    "Planlagt fremdrift",
                    &["Navnetjeneste for virtuelle maskiner."],
                ),
            ),
            report(
                37,
                "Fullført\n--------\n\n.. milepost: item=dns\n\n- Alt på plass.\n",
            ),
            report(
                38,
                "Planlagt fremdrift\n------------------\n\n.. milepost: item=dns\n\n- Noe helt annet.\n",
            ),
        ];
        let views: Vec<ReportView> = weeks
            .iter()
            .map(|(path, date, doc)| ReportView {
                path,
                date: *date,
                document: doc,
                schema: &schema,
            })
            .collect();
        let items = track(&views);
        let tagged: Vec<&TrackedItem> = items
            .iter()
            .filter(|i| i.tag.as_deref() == Some("dns"))
            .collect();
        assert_eq!(tagged.len(), 1, "{items:#?}");
        assert_eq!(tagged[0].sightings.len(), 2);
    }

    #[test]
    fn done_date_is_never_after_the_report() {
        let report_date = NaiveDate::from_ymd_opt(2016, 11, 18).unwrap();
        assert_eq!(
            named_done_date("utført som planlagt 14. november", report_date),
            NaiveDate::from_ymd_opt(2016, 11, 14)
        );
        assert_eq!(
            named_done_date("i uke 31 og 32", report_date),
            dates::week_bounds(2016, 32).map(|w| w.1)
        );
        assert_eq!(
            named_done_date("ferdig 30. november", report_date),
            Some(report_date)
        );
        assert_eq!(named_done_date("ferdig", report_date), None);
    }
}
