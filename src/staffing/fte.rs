//! Reading the numbers of people (FTE) a text gives: what is needed and
//! what there is.

use super::cues::{List, Span};
use super::tokens::{Kind, Text};
use super::words::Lexicon;

/// No report counts more people than this; a larger number is a year or a
/// quantity of something else.
pub(super) const MAX_COUNT: f64 = 100.0;

/// A share of people working on the project now.
#[derive(Clone, Debug, PartialEq)]
pub struct Allocation {
    /// How many people ("2 x 50%" is 2).
    pub count: f64,
    /// Of a full position, each (0.5 for 50%).
    pub fraction: f64,
    /// Marked as shared with other work ("delt", "shared").
    pub shared: bool,
    /// The words it was read from, lower-case.
    pub text: String,
}

impl Allocation {
    pub fn fte(&self) -> f64 {
        self.count * self.fraction
    }

    /// "100%", or "2 x 50%" for several people.
    pub(super) fn percent(&self) -> String {
        let percent = format!("{}%", (self.fraction * 1000.0).round() / 10.0);
        if (self.count - 1.0).abs() < f64::EPSILON {
            percent
        } else {
            format!("{} x {percent}", self.count)
        }
    }
}

/// The numbers of people a text gives, in full-time equivalents.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fte {
    /// What is needed in all ("vi trenger 4 personer").
    pub need: Option<f64>,
    /// What is needed on top of what there is ("we need 2 more engineers",
    /// "vi mangler 2 utviklere").
    pub more: Option<f64>,
    /// What there is now: the sum of `shares`.
    pub have: Option<f64>,
    /// `have` when every shared allocation counts as half, if any is shared.
    pub have_if_shared_halved: Option<f64>,
    pub shares: Vec<Allocation>,
    /// Shares that change ("fra 100% til 50%", "20% instead of 60%"),
    /// not counted in `have`.
    pub changes: Vec<ShareChange>,
    /// Work counted in person-months ("18 månedsverk", "12 man-months"),
    /// kept apart: without a period it is not a number of people.
    pub months: Option<Effort>,
}

/// A person's share going from one percentage to another.
#[derive(Clone, Debug, PartialEq)]
pub struct ShareChange {
    /// Of a full position, before and after (1.0 and 0.5 for "fra 100%
    /// til 50%").
    pub from: f64,
    pub to: f64,
}

/// Person-months needed and at hand.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Effort {
    pub need: Option<f64>,
    pub have: Option<f64>,
}

/// A noun phrase before a people noun: "4 dedikerte", "to halve", "two
/// full-time".
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Phrase {
    pub(super) count: Option<f64>,
    pub(super) fraction: Option<f64>,
    /// First token of the phrase.
    pub(super) start: usize,
}

/// Per-token flags for each word list, so the reader asks "is token i a
/// people noun?" without matching again.
pub(super) struct Marks {
    pub(super) people: Vec<bool>,
    pub(super) units: Vec<bool>,
    pub(super) shared: Vec<bool>,
    pub(super) progress: Vec<bool>,
    pub(super) of: Vec<bool>,
    pub(super) time: Vec<bool>,
    pub(super) and: Vec<bool>,
    pub(super) contrast: Vec<bool>,
    pub(super) multiply: Vec<bool>,
    pub(super) more: Vec<bool>,
    pub(super) not_staff: Vec<bool>,
    /// The last token of a `need`, `short` or `have` cue.
    pub(super) need_end: Vec<bool>,
    pub(super) short_end: Vec<bool>,
    pub(super) have_end: Vec<bool>,
    pub(super) month_units: Vec<bool>,
    pub(super) have_after: Vec<bool>,
    pub(super) versus: Vec<bool>,
    pub(super) below: Vec<bool>,
    pub(super) change_from: Vec<bool>,
    pub(super) change_to: Vec<bool>,
    pub(super) instead_end: Vec<bool>,
    /// The last token of a `we` ("vi er") or `only` ("bare") cue.
    pub(super) count_end: Vec<bool>,
    pub(super) about: Vec<bool>,
}

pub(super) struct FteReader<'a> {
    pub(super) lexicon: &'a Lexicon,
    pub(super) text: &'a Text<'a>,
    pub(super) marks: Marks,
    pub(super) used: Vec<bool>,
}

impl<'a> FteReader<'a> {
    pub(super) fn new(text: &'a Text, lexicon: &'a Lexicon) -> Self {
        let n = text.tokens.len();
        let spans = |list: List| text.spans(list);
        let covered = |spans: &[Span]| {
            let mut marks = vec![false; n];
            for span in spans {
                for w in span.start..span.end {
                    marks[text.words[w]] = true;
                }
            }
            marks
        };
        let ends = |spans: &[Span]| {
            let mut marks = vec![false; n];
            for span in spans {
                marks[text.words[span.end - 1]] = true;
            }
            marks
        };
        let not_staff = spans(List::NotStaff);
        let people: Vec<Span> = spans(List::People)
            .iter()
            .copied()
            .filter(|p| !not_staff.iter().any(|n| n.contains(p)))
            .collect();
        let marks = Marks {
            people: covered(&people),
            units: covered(spans(List::Units)),
            shared: covered(spans(List::Shared)),
            progress: covered(spans(List::Progress)),
            of: covered(spans(List::Of)),
            time: covered(spans(List::Time)),
            and: covered(spans(List::And)),
            contrast: covered(spans(List::Contrast)),
            multiply: covered(spans(List::Multiply)),
            more: covered(spans(List::More)),
            not_staff: covered(not_staff),
            need_end: ends(spans(List::Need)),
            short_end: ends(spans(List::Short)),
            have_end: ends(spans(List::Have)),
            month_units: covered(spans(List::MonthUnits)),
            have_after: covered(spans(List::HaveAfter)),
            versus: covered(spans(List::Versus)),
            below: covered(spans(List::Below)),
            change_from: covered(spans(List::ChangeFrom)),
            change_to: covered(spans(List::ChangeTo)),
            instead_end: ends(spans(List::Instead)),
            about: covered(spans(List::About)),
            count_end: {
                let mut marks = ends(spans(List::We));
                for (mark, only) in marks.iter_mut().zip(ends(spans(List::Only))) {
                    *mark |= only;
                }
                marks
            },
        };
        FteReader {
            lexicon,
            text,
            marks,
            used: vec![false; n],
        }
    }

    pub(super) fn kind(&self, i: usize) -> &Kind {
        &self.text.tokens[i].kind
    }

    pub(super) fn word(&self, i: usize) -> Option<&str> {
        let token = self.text.tokens.get(i)?;
        (token.kind == Kind::Word).then_some(token.text.as_ref())
    }

    pub(super) fn number(&self, i: usize) -> Option<f64> {
        self.word(i)
            .and_then(|word| self.lexicon.number(word, self.text.language))
            .filter(|n| *n <= MAX_COUNT)
    }

    pub(super) fn fraction(&self, i: usize) -> Option<f64> {
        self.word(i)
            .and_then(|word| self.lexicon.fractions.get(word).copied())
    }

    pub(super) fn is_noun(&self, i: usize) -> bool {
        (self.marks.people[i] || self.marks.units[i]) && !self.used[i]
    }

    pub(super) fn use_range(&mut self, start: usize, end: usize) {
        for used in &mut self.used[start..=end] {
            *used = true;
        }
    }

    pub(super) fn quote(&self, start: usize, end: usize) -> String {
        let mut quoted = String::new();
        for token in &self.text.tokens[start..=end] {
            if matches!(token.kind, Kind::Open | Kind::Close | Kind::Comma) {
                continue;
            }
            if !quoted.is_empty() {
                quoted.push(' ');
            }
            quoted.push_str(&token.text);
            if matches!(token.kind, Kind::Percent(_)) {
                quoted.push('%');
            }
        }
        quoted
    }

    pub(super) fn read(mut self) -> Fte {
        let mut fte = Fte {
            changes: self.read_changes(),
            months: self.read_months(),
            ..Fte::default()
        };
        self.read_needs(&mut fte);
        let mut shares = self.read_percentages();
        shares.extend(self.read_fractions());
        self.read_units(&mut fte, &mut shares);
        shares.extend(self.read_counts_after_have());
        if !shares.is_empty() {
            let have: f64 = shares.iter().map(Allocation::fte).sum();
            let shared: f64 = shares
                .iter()
                .filter(|a| a.shared)
                .map(Allocation::fte)
                .sum();
            fte.have = Some(have);
            fte.have_if_shared_halved =
                shares.iter().any(|a| a.shared).then(|| have - shared / 2.0);
        }
        fte.shares = shares;
        if fte == Fte::default() {
            self.read_bare_counts(&mut fte);
        }
        fte
    }

    /// When nothing else gave numbers: "fortsatt 2 av 4" (2 there, 4
    /// needed) or "vi er fortsatt bare 2" (2 there), counts with no noun.
    fn read_bare_counts(&mut self, fte: &mut Fte) {
        let n = self.text.tokens.len();
        let word_at = |k: usize| *self.kind(k) == Kind::Word;
        for v in 0..n {
            if !self.marks.versus[v] {
                continue;
            }
            // Not the article of "a team of two".
            let part = (v.saturating_sub(3)..v)
                .rev()
                .take_while(|&k| word_at(k))
                .filter(|&k| !matches!(self.word(k), Some("a" | "an")))
                .find_map(|k| self.number(k));
            let whole = (v + 1..(v + 4).min(n))
                .take_while(|&k| word_at(k))
                .find_map(|k| self.number(k));
            if let (Some(part), Some(whole)) = (part, whole)
                && part < whole
            {
                fte.need = Some(whole);
                fte.have = Some(part);
                return;
            }
        }
        for cue in 0..n {
            if !self.marks.count_end[cue] {
                continue;
            }
            let Some(at) = (cue + 1..(cue + 4).min(n))
                .take_while(|&k| word_at(k))
                .filter(|&k| !matches!(self.word(k), Some("a" | "an")))
                .find(|&k| self.number(k).is_some())
            else {
                continue;
            };
            // "vi er 2", "bare tre på prosjektet", not "bare 2 uker".
            let alone = self.text.tokens.get(at + 1).is_none_or(|next| {
                next.kind != Kind::Word
                    || self.marks.people[at + 1]
                    || self.marks.about[at + 1]
                    || self.marks.and[at + 1]
            });
            if alone && let Some(count) = self.number(at) {
                fte.have = Some(count);
                return;
            }
        }
    }

    /// The count and share before people noun `noun`, not looking before
    /// `floor`: "4 dedikerte personer", "to halve stillinger", "two
    /// full-time engineers". One other word may stand between.
    pub(super) fn phrase_before(&self, noun: usize, floor: usize) -> Phrase {
        let mut phrase = Phrase {
            start: noun,
            ..Phrase::default()
        };
        let mut skipped = false;
        let mut k = noun;
        while k > floor {
            k -= 1;
            match self.kind(k) {
                Kind::Open | Kind::Close => continue,
                Kind::Word => {}
                _ => break,
            }
            if self.marks.and[k] || self.used[k] || self.marks.people[k] || self.marks.units[k] {
                break;
            }
            if let Some(count) = self.number(k) {
                phrase.count = Some(count);
                phrase.start = k;
                break;
            }
            if phrase.fraction.is_none()
                && let Some(fraction) = self.fraction(k)
            {
                phrase.fraction = Some(fraction);
                phrase.start = k;
                continue;
            }
            if skipped {
                break;
            }
            skipped = true;
        }
        phrase
    }

    /// Who a percentage (or "halv") at `at` belongs to: the people noun at
    /// most four words before it in the same clause, or "N x".
    pub(super) fn owner_before(&self, at: usize) -> Option<Phrase> {
        let mut k = at;
        let mut steps = 0;
        while k > 0 && steps < 4 {
            k -= 1;
            match self.kind(k) {
                Kind::Open | Kind::Close => continue,
                Kind::Word => {}
                _ => return None,
            }
            if self.marks.and[k] || self.used[k] {
                return None;
            }
            if self.marks.multiply[k] {
                let count = k.checked_sub(1).and_then(|before| self.number(before))?;
                return Some(Phrase {
                    count: Some(count),
                    fraction: None,
                    start: k - 1,
                });
            }
            if self.is_noun(k) {
                return Some(self.phrase_before(k, 0));
            }
            steps += 1;
        }
        None
    }

    /// Whether the percentage at `p` can be a person's: not "80% ferdig",
    /// not "90 % av diskene", not "90% CPU".
    pub(super) fn is_staffing_percent(&self, p: usize) -> bool {
        let n = self.text.tokens.len();
        let next = (p + 1..n).find(|&i| !matches!(self.kind(i), Kind::Open | Kind::Close));
        if let Some(q) = next.filter(|&q| *self.kind(q) == Kind::Word) {
            if self.marks.progress[q] {
                return false;
            }
            if self.marks.of[q] {
                return q + 1 < n && self.marks.time[q + 1];
            }
        }
        !(p + 1..(p + 4).min(n))
            .take_while(|&i| *self.kind(i) != Kind::Break)
            .any(|i| self.marks.not_staff[i])
    }

    /// After a percentage or a "halv stilling": whether a position noun
    /// follows ("80 % stilling"), whether it is shared ("(100% delt)"), and
    /// the last token that belongs to it.
    pub(super) fn trailing(&self, from: usize) -> (bool, bool, usize) {
        let (mut position, mut shared, mut end) = (false, false, from);
        for i in from + 1..(from + 4).min(self.text.tokens.len()) {
            match self.kind(i) {
                Kind::Open => continue,
                Kind::Word => {}
                _ => break,
            }
            if self.marks.and[i] {
                break;
            }
            if self.marks.shared[i] {
                shared = true;
                end = i;
            } else if self.is_noun(i) {
                position = true;
                end = i;
            }
        }
        (position, shared, end)
    }

    /// A percentage right after a needed noun: "en person i 50 % stilling".
    pub(super) fn percent_after(&self, noun: usize) -> Option<(usize, f64)> {
        for i in noun + 1..(noun + 4).min(self.text.tokens.len()) {
            match self.kind(i) {
                Kind::Percent(value) => return Some((i, *value)),
                Kind::Word if !self.marks.and[i] && !self.is_noun(i) => {}
                Kind::Open => {}
                _ => return None,
            }
        }
        None
    }

    /// "vi trenger 4 personer", "need 3 FTE", "vi mangler 2 utviklere": the
    /// counted people after a need or short cue, to the end of the sentence.
    pub(super) fn read_needs(&mut self, fte: &mut Fte) {
        let n = self.text.tokens.len();
        for cue in 0..n {
            let short = self.marks.short_end[cue];
            if !(self.marks.need_end[cue] || short) {
                continue;
            }
            let (mut sum, mut found, mut more) = (0.0, false, short);
            for j in cue + 1..(cue + 12).min(n) {
                if *self.kind(j) == Kind::Break || self.marks.have_end[j] || self.marks.contrast[j]
                {
                    break;
                }
                more |= self.marks.more[j];
                if !self.is_noun(j) {
                    continue;
                }
                let phrase = self.phrase_before(j, cue + 1);
                if phrase.count.is_none() && phrase.fraction.is_none() {
                    continue;
                }
                let count = phrase.count.unwrap_or(1.0);
                let (value, end) = match self.percent_after(j) {
                    Some((p, percent)) => (count * percent / 100.0, p),
                    None => (count * phrase.fraction.unwrap_or(1.0), j),
                };
                more |= self.marks.more.get(end + 1).copied().unwrap_or(false);
                sum += value;
                found = true;
                self.use_range(phrase.start, end);
            }
            if !found && let Some(count) = self.bare_count_after(cue) {
                (sum, found) = (count, true);
            }
            if found {
                let slot = if more { &mut fte.more } else { &mut fte.need };
                *slot = Some(slot.map_or(sum, |before| before.max(sum)));
            }
        }
    }

    /// "1 person 60%", "prosjektleder (100% delt)", "2 x 50%", "two
    /// engineers at 50%", "80 % stilling".
    pub(super) fn read_percentages(&mut self) -> Vec<Allocation> {
        let mut shares = Vec::new();
        for p in 0..self.text.tokens.len() {
            let Kind::Percent(value) = *self.kind(p) else {
                continue;
            };
            if self.used[p] || !self.is_staffing_percent(p) {
                continue;
            }
            let owner = self.owner_before(p);
            let (position, shared, end) = self.trailing(p);
            if owner.is_none() && !position {
                continue;
            }
            let start = owner.map_or(p, |o| o.start);
            shares.push(Allocation {
                count: owner.and_then(|o| o.count).unwrap_or(1.0),
                fraction: value / 100.0,
                shared,
                text: self.quote(start, end),
            });
            self.use_range(start, end);
        }
        shares
    }

    /// "halv stilling", "to halve stillinger", "half-time".
    pub(super) fn read_fractions(&mut self) -> Vec<Allocation> {
        let mut shares = Vec::new();
        for f in 0..self.text.tokens.len() {
            let Some(fraction) = self.fraction(f) else {
                continue;
            };
            let next = f + 1;
            let position = next < self.text.tokens.len()
                && (self.is_noun(next) || (self.marks.time[next] && !self.used[next]));
            if self.used[f] || !position {
                continue;
            }
            let (count, start) = match f.checked_sub(1).and_then(|b| self.number(b)) {
                Some(count) => (count, f - 1),
                None => match self.owner_before(f) {
                    Some(owner) => (owner.count.unwrap_or(1.0), owner.start),
                    None => (1.0, f),
                },
            };
            let (_, shared, end) = self.trailing(next);
            shares.push(Allocation {
                count,
                fraction,
                shared,
                text: self.quote(start, end),
            });
            self.use_range(start, end);
        }
        shares
    }

    /// Whether a `have` cue ends at most five tokens before `start`, in the
    /// same sentence.
    pub(super) fn have_before(&self, start: usize) -> bool {
        (start.saturating_sub(5)..start)
            .rev()
            .take_while(|&k| {
                *self.kind(k) != Kind::Break && !self.marks.versus[k] && !self.marks.contrast[k]
            })
            .any(|k| self.marks.have_end[k])
    }

    /// Whether a `have_after` cue follows `end` within two words ("0.5 FTE
    /// is allocated").
    fn have_after(&self, end: usize) -> bool {
        (end + 1..(end + 4).min(self.text.tokens.len()))
            .take_while(|&k| *self.kind(k) == Kind::Word)
            .any(|k| self.marks.have_after[k])
    }

    /// A count right after a need cue with no noun, when the text counts
    /// people elsewhere: "behovet er minst 3", "mot planlagt 3". Two words
    /// may stand between; the count must end its phrase.
    fn bare_count_after(&self, cue: usize) -> Option<f64> {
        let n = self.text.tokens.len();
        let counts_people = (0..n).any(|i| self.marks.units[i] || self.marks.people[i]);
        if !counts_people {
            return None;
        }
        let at = (cue + 1..(cue + 4).min(n))
            .take_while(|&k| *self.kind(k) == Kind::Word)
            .find(|&k| self.number(k).is_some())?;
        let ends_phrase = self.text.tokens.get(at + 1).is_none_or(|next| {
            next.kind != Kind::Word || self.marks.contrast[at + 1] || self.marks.and[at + 1]
        });
        (ends_phrase && !self.used[at])
            .then(|| self.number(at))
            .flatten()
    }

    /// "fra 100% til 50%", "20% instead of 60%": each marked used so that
    /// neither counts as a current allocation.
    fn read_changes(&mut self) -> Vec<ShareChange> {
        let n = self.text.tokens.len();
        let percent = |i: usize| match self.text.tokens.get(i).map(|t| &t.kind) {
            Some(Kind::Percent(value)) => Some(*value / 100.0),
            _ => None,
        };
        let mut changes = Vec::new();
        for p in 0..n {
            let Some(first) = percent(p) else { continue };
            if p > 0 && self.marks.change_from[p - 1] && p + 2 < n && self.marks.change_to[p + 1] {
                if let Some(second) = percent(p + 2) {
                    changes.push(ShareChange {
                        from: first,
                        to: second,
                    });
                    self.use_range(p, p + 2);
                }
                continue;
            }
            // "20% on the project instead of 60%": up to four words between.
            let instead = (p + 1..(p + 6).min(n))
                .take_while(|&k| *self.kind(k) == Kind::Word)
                .find(|&k| self.marks.instead_end[k]);
            if let Some(second) = instead.and_then(|k| percent(k + 1)) {
                changes.push(ShareChange {
                    from: second,
                    to: first,
                });
                self.use_range(p, p);
                if let Some(k) = instead {
                    self.use_range(k + 1, k + 1);
                }
            }
        }
        changes
    }

    /// Counts of person-months: what is at hand after a `have` cue, what
    /// is needed otherwise.
    fn read_months(&mut self) -> Option<Effort> {
        let mut effort = Effort::default();
        for u in 0..self.text.tokens.len() {
            if !self.marks.month_units[u] || self.used[u] {
                continue;
            }
            let phrase = self.phrase_before(u, 0);
            let Some(count) = phrase.count else { continue };
            let slot = if self.have_before(phrase.start) || self.have_after(u) {
                &mut effort.have
            } else {
                &mut effort.need
            };
            slot.get_or_insert(count);
            self.use_range(phrase.start, u);
        }
        (effort != Effort::default()).then_some(effort)
    }

    /// "4 årsverk ut året" (a need) or "vi har 3 årsverk" (what there is).
    pub(super) fn read_units(&mut self, fte: &mut Fte, shares: &mut Vec<Allocation>) {
        for u in 0..self.text.tokens.len() {
            if !self.marks.units[u] || self.used[u] {
                continue;
            }
            let phrase = self.phrase_before(u, 0);
            let Some(count) = phrase.count else { continue };
            let value = count * phrase.fraction.unwrap_or(1.0);
            // "3 FTE under det som er budsjettert": short by that much.
            if self.text.tokens.get(u + 1).is_some() && self.marks.below[u + 1] {
                fte.more = Some(fte.more.map_or(value, |before| before.max(value)));
                self.use_range(phrase.start, u + 1);
                continue;
            }
            if self.have_before(phrase.start) || self.have_after(u) {
                shares.push(Allocation {
                    count,
                    fraction: phrase.fraction.unwrap_or(1.0),
                    shared: false,
                    text: self.quote(phrase.start, u),
                });
            } else {
                fte.need = Some(fte.need.map_or(value, |before| before.max(value)));
            }
            self.use_range(phrase.start, u);
        }
    }

    /// "vi er nå 3 personer": a bare count of people after a `have` cue.
    pub(super) fn read_counts_after_have(&mut self) -> Vec<Allocation> {
        let mut shares = Vec::new();
        for j in 0..self.text.tokens.len() {
            if !self.marks.people[j] || self.used[j] {
                continue;
            }
            let phrase = self.phrase_before(j, 0);
            let Some(count) = phrase.count else { continue };
            if !self.have_before(phrase.start) {
                continue;
            }
            shares.push(Allocation {
                count,
                fraction: phrase.fraction.unwrap_or(1.0),
                shared: false,
                text: self.quote(phrase.start, j),
            });
            self.use_range(phrase.start, j);
        }
        shares
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staffing::describe::describe;
    use crate::staffing::fixtures::SEED_ITEM;
    use crate::staffing::read_fte;

    fn fte(text: &str) -> Fte {
        read_fte(text)
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn reads_the_seed_item() {
        let fte = fte(SEED_ITEM);
        assert!(close(fte.need, 4.0), "{fte:?}");
        assert!(close(fte.have, 3.0), "{fte:?}");
        assert!(close(fte.have_if_shared_halved, 2.5), "{fte:?}");
        let shares: Vec<(&str, f64, bool)> = fte
            .shares
            .iter()
            .map(|a| (a.text.as_str(), a.fte(), a.shared))
            .collect();
        assert_eq!(
            shares,
            [
                ("prosjektleder 100% delt", 1.0, true),
                ("1 person 100%", 1.0, false),
                ("1 person 60%", 0.6, false),
                ("en person 40%", 0.4, false),
            ]
        );
        assert_eq!(
            describe(&fte).as_deref(),
            Some(
                "needs 4.0 FTE, reported 3.0 (2.5 if the shared 100% counts as half): short 1.0 to 1.5"
            )
        );
    }

    #[test]
    fn reads_needs() {
        for (text, need) in [
            ("vi trenger 4 personer frem til nyttår", 4.0),
            ("4 årsverk ut året", 4.0),
            ("Vi vil trenge 4 årsverk ut året", 4.0),
            ("We need 3 FTE until launch", 3.0),
            ("vi trenger fire personer", 4.0),
            ("Vi trenger to utviklere og en prosjektleder", 3.0),
            ("We need to hire two engineers", 2.0),
            ("Behov for 1,5 årsverk", 1.5),
            ("Vi trenger en person i 50 % stilling til drift", 0.5),
            ("Vi trenger en halv stilling", 0.5),
        ] {
            let fte = fte(text);
            assert!(close(fte.need, need), "{text}: {fte:?}");
            assert_eq!(fte.have, None, "{text}: {fte:?}");
        }
    }

    #[test]
    fn reads_additional_needs() {
        for (text, more) in [
            ("We need 2 more developers", 2.0),
            ("Vi trenger 2 ekstra utviklere", 2.0),
            ("Vi mangler 2 utviklere", 2.0),
            ("We are short of one engineer", 1.0),
        ] {
            let fte = fte(text);
            assert!(close(fte.more, more), "{text}: {fte:?}");
            assert_eq!(fte.need, None, "{text}: {fte:?}");
        }
    }

    #[test]
    fn reads_allocations() {
        for (text, have) in [
            ("prosjektleder (100% delt)", 1.0),
            ("UiB (1 person 100%)", 1.0),
            ("1 person 60% og en person 40%", 1.0),
            ("2 x 50%", 1.0),
            ("2×50%", 1.0),
            ("halv stilling", 0.5),
            ("to halve stillinger", 1.0),
            ("two engineers at 50%", 1.0),
            ("en person i 80 % stilling", 0.8),
            ("en utvikler i halv stilling", 0.5),
            ("1 person 60 prosent", 0.6),
            ("Vi er nå 3 personer", 3.0),
            ("We have 2 developers", 2.0),
            ("Vi har 2 årsverk", 2.0),
            ("Ola jobber 60 % av tiden i prosjektet", 0.0),
        ] {
            let fte = fte(text);
            if have == 0.0 {
                assert_eq!(fte.have, None, "{text}: {fte:?}");
            } else {
                assert!(close(fte.have, have), "{text}: {fte:?}");
            }
            assert_eq!(fte.need, None, "{text}: {fte:?}");
        }
        let shared = fte("prosjektleder (100% delt), utvikler (60% shared) og 1 person 100%");
        assert!(close(shared.have, 2.6), "{shared:?}");
        assert!(close(shared.have_if_shared_halved, 1.8), "{shared:?}");
        assert_eq!(
            describe(&shared).as_deref(),
            Some(
                "reported 2.6 FTE (1.8 if the shared 100% and 60% count as half); the need is not given"
            )
        );
    }

    #[test]
    fn percentages_that_are_not_people_do_not_count() {
        for text in [
            "Oppgraderingen er 80% ferdig",
            "80% ferdig, men vi trenger flere folk",
            "Kapasiteten i osl er snart brukt opp: 90 % av diskene er fulle.",
            "90 % av diskene er fulle, og en person må bytte dem",
            "CPU-bruken er 90%",
            "Ceph er 75 % full",
            "Vi er 90% ferdig med oppgraderingen",
            "Tok ca 60 min i bgo og osl",
            "Arbeidet frem til leveranse 14. november",
            "I uke 38 var prosjektleder på ferie",
        ] {
            let fte = fte(text);
            assert_eq!(fte.have, None, "{text}: {fte:?}");
            assert_eq!(fte.need, None, "{text}: {fte:?}");
            assert!(fte.shares.is_empty(), "{text}: {fte:?}");
        }
    }

    #[test]
    fn text_without_numbers_gives_no_numbers() {
        for text in [
            "Hovedgrunnen er mangel på dedikert personer i prosjekt",
            "Pga ferie og konferanser blir det begrenset bemanning i mai",
            "We lack people with Ceph experience",
            "",
            "%%% ((( ,,, ...",
        ] {
            let fte = fte(text);
            assert_eq!(fte, Fte::default(), "{text}");
            assert_eq!(describe(&fte), None, "{text}");
        }
    }

    #[test]
    fn reads_every_unit_of_issue_16() {
        for (text, expected) in [
            (
                "Prosjektet trenger 4 årsverk ut året, men har i dag bare 2,5 årsverk.",
                "needs 4.0 FTE, reported 2.5: short 1.5",
            ),
            (
                "Vi har 1,6 stillinger tilgjengelig mot planlagt 3.",
                "needs 3.0 FTE, reported 1.6: short 1.4",
            ),
            (
                "We are at 2.2 FTE against the 4 FTE the plan assumes.",
                "needs 4.0 FTE, reported 2.2: short 1.8",
            ),
            (
                "Bemanningen tilsvarer i dag 1,5 årsverk, mens behovet er minst 3.",
                "needs 3.0 FTE, reported 1.5: short 1.5",
            ),
            (
                "Vi er 3 FTE under det som er budsjettert.",
                "needs 3.0 more FTE",
            ),
            (
                "Only 0.5 FTE is allocated to operations.",
                "reported 0.5 FTE; the need is not given",
            ),
            (
                "Med kun en 50% stilling på drift blir det vanskelig.",
                "reported 0.5 FTE; the need is not given",
            ),
            (
                "The work needs about 12 man-months before launch.",
                "needs 12.0 person-months; the effort at hand is not given",
            ),
            (
                "Vi trenger 18 månedsverk, men har 7 månedsverk igjen.",
                "needs 18.0 person-months, has 7.0: short 11.0",
            ),
            (
                "Andelen til UiB-personen reduseres fra 100% til 50% etter nyttår.",
                "a share drops from 100% to 50% (-0.5 FTE)",
            ),
            (
                "Lars will only work 20% on the project instead of 60%.",
                "a share drops from 60% to 20% (-0.4 FTE)",
            ),
            (
                "Vi er fortsatt bare 2.",
                "reported 2.0 FTE; the need is not given",
            ),
            (
                "Still just three of us.",
                "reported 3.0 FTE; the need is not given",
            ),
            (
                "We remain a team of two.",
                "reported 2.0 FTE; the need is not given",
            ),
            (
                "Status bemanning: fortsatt 2 av 4.",
                "needs 4.0 FTE, reported 2.0: short 2.0",
            ),
        ] {
            assert_eq!(describe(&fte(text)).as_deref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn bare_counts_are_not_read_beside_other_nouns() {
        for text in [
            "Det er bare 2 dager igjen til fristen.",
            "Vi er 2 uker forsinket.",
        ] {
            assert_eq!(fte(text), Fte::default(), "{text}");
        }
    }
}
