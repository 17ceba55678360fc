//! Counts that say something about the team without a people noun or a
//! shortage word: "vi er fortsatt bare 2" (the team counting itself, and a
//! count held down by "bare"), "fortsatt 2 av 4" (fewer than there should
//! be), "går ned til 40% i prosjektet" (a person's share). The classifier
//! adds these spans to the ones the word lists find.

use super::cues::{List, Span};
use super::tokens::{Kind, Place, Text};
use super::words::Lexicon;

/// No team counts more people than this; a larger number is a year or a
/// quantity of something else.
const MAX_COUNT: f64 = 100.0;
/// How many words may stand between "vi er" and its count ("vi er
/// fortsatt bare 2").
const WE_REACH: usize = 3;

/// The spans the counts of a text add, in word indices.
#[derive(Debug, Default)]
pub(super) struct Figures {
    /// The team counting itself, and percentages that are a person's share.
    pub(super) people: Vec<Span>,
    /// Counts held down by "bare"/"only", and "N av M" with N below M.
    pub(super) shortage: Vec<Span>,
}

pub(super) fn find(text: &Text, lexicon: &Lexicon, places: &[Place]) -> Figures {
    let words = text.word_strs();
    let number = |w: usize| {
        words
            .get(w)
            .and_then(|word| lexicon.number(word, text.language))
            .filter(|n| *n <= MAX_COUNT)
    };
    let same_clause = |a: usize, b: usize| places[a].clause == places[b].clause;
    let mut figures = Figures::default();

    for we in text.spans(List::We) {
        let last = (we.end + WE_REACH).min(words.len());
        let count = |w: usize| !matches!(words[w], "a" | "an") && number(w).is_some();
        if let Some(w) = (we.end..last).find(|&w| same_clause(we.start, w) && count(w)) {
            figures.people.push(Span {
                start: we.start,
                end: w + 1,
            });
        }
    }
    for only in text.spans(List::Only) {
        // "bare 2", "only two", "kun en", "bare 50%", "only work 20%": a
        // count or a percentage, at most one word after.
        let after = text.words[only.end - 1] + 1;
        let count = text.tokens[after.min(text.tokens.len())..]
            .iter()
            .take(2)
            .enumerate()
            .take_while(|(i, token)| *i == 0 || token.kind != Kind::Break)
            .any(|(_, token)| match token.kind {
                Kind::Percent(_) => true,
                Kind::Word => lexicon.number(&token.text, text.language).is_some(),
                _ => false,
            });
        if count {
            figures.shortage.push(*only);
        }
    }
    for versus in text.spans(List::Versus) {
        // "2 av 4", "1,6 stillinger tilgjengelig mot planlagt 3", "2.2 FTE
        // against the 4": up to two words on either side.
        let part = (versus.start.saturating_sub(3)..versus.start)
            .rev()
            .filter(|&w| !matches!(words[w], "a" | "an"))
            .find_map(|w| Some((w, number(w)?)));
        let total =
            (versus.end..(versus.end + 3).min(words.len())).find_map(|w| Some((w, number(w)?)));
        if let (Some((first, part)), Some((last, total))) = (part, total)
            && part < total
            && same_clause(first, last)
        {
            figures.shortage.push(Span {
                start: first,
                end: last + 1,
            });
        }
    }
    // "3 FTE under", "two engineers short".
    for below in text.spans(List::Below) {
        let counted = text
            .spans(List::People)
            .iter()
            .chain(text.spans(List::Units))
            .find(|p| p.end == below.start && p.start > 0 && number(p.start - 1).is_some());
        if let Some(people) = counted {
            figures.shortage.push(Span {
                start: people.start - 1,
                end: below.end,
            });
        }
    }
    for (p, token) in text.tokens.iter().enumerate() {
        if !matches!(token.kind, Kind::Percent(_)) {
            continue;
        }
        // The first word after the percentage.
        let next = text.words.partition_point(|&t| t < p);
        if let Some(share) = text.spans(List::Share).iter().find(|s| s.start == next) {
            figures.people.push(*share);
        }
    }
    figures
}
