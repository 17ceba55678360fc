//! How a milestone item is found in text: one matching for the tracked
//! items and for the challenges that put a milestone at risk.
//!
//! A plan's words are not the reports' words: "Produksjonsklar bgo og osl"
//! is announced as "klar til å gå i produksjon". A wanted word is found when
//! a word of the text starts with it (inflections: "produksjonsklare"), or,
//! for a compound, when the text has both of its parts
//! ("produksjons|klar" ↔ "klar … produksjon"; a linking s is dropped).

use chrono::NaiveDate;

use super::Matcher;
use crate::tracking::words::stem;
use crate::tracking::{State, TrackedItem};

/// Parts of a compound must be this long: "produksjon|klar", not "pro|duksjon".
const PART: usize = 4;

/// Whether `words` (content words, stemmed) have `wanted`: a word that
/// starts with it, or both parts of it as a compound.
pub fn has_word<'w>(wanted: &str, words: impl Iterator<Item = &'w str> + Clone) -> bool {
    if words.clone().any(|have| have.starts_with(wanted)) {
        return true;
    }
    let chars: Vec<(usize, char)> = wanted.char_indices().collect();
    (PART..chars.len().saturating_sub(PART - 1)).any(|split| {
        let at = chars[split].0;
        let (left, right) = (&wanted[..at], &wanted[at..]);
        // "produksjons" + "klar": the linking s belongs to neither part.
        let left = left
            .strip_suffix('s')
            .filter(|l| l.chars().count() >= PART)
            .unwrap_or(left);
        let (left, right) = (stem(left), stem(right));
        left.chars().count() >= PART
            && right.chars().count() >= PART
            && words.clone().any(|have| have.starts_with(left))
            && words.clone().any(|have| have.starts_with(right))
    })
}

/// Whether any matcher finds its item in these words (and texts, for
/// `/regex/` patterns).
pub fn matches<'w>(
    matchers: &[Matcher],
    words: impl Iterator<Item = &'w str> + Clone,
    mut texts: impl FnMut(&regex::Regex) -> bool,
) -> bool {
    matchers.iter().any(|matcher| match matcher {
        Matcher::Keyword(stem) => has_word(stem, words.clone()),
        Matcher::Pattern(regex) => texts(regex),
        Matcher::Words(wanted) => {
            let found = wanted.iter().filter(|w| has_word(w, words.clone())).count();
            match wanted.len() {
                0 => false,
                1..=3 => found == wanted.len(),
                n => found * 5 >= n * 3,
            }
        }
    })
}

/// Whether a tracked item was listed on or after `from` (and by `as_of`).
pub fn seen_from(item: &TrackedItem, from: Option<NaiveDate>, as_of: NaiveDate) -> bool {
    item.sightings
        .iter()
        .any(|s| s.date <= as_of && from.is_none_or(|from| s.date >= from))
}

/// An item's state as of `as_of`, from its sightings on or after `from`.
pub fn state_from(item: &TrackedItem, from: Option<NaiveDate>, as_of: NaiveDate) -> Option<State> {
    item.sightings
        .iter()
        .rev()
        .find(|s| s.date <= as_of && from.is_none_or(|from| s.date >= from))
        .map(|s| s.state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tracking::words::content_words;

    fn found(wanted: &str, text: &str) -> bool {
        let words = content_words(text);
        has_word(stem(wanted), words.iter().map(String::as_str))
    }

    #[test]
    fn compounds_and_inflections() {
        assert!(found(
            "produksjonsklar",
            "bgo og osl er klar til å gå i produksjon"
        ));
        assert!(found("produksjonsklar", "Produksjonsklare regioner"));
        assert!(found("produksjonssetting", "Setting i produksjon av osl"));
        assert!(!found("produksjonsklar", "klar for test"));
        assert!(!found("produksjonsklar", "produksjon av rapporter"));
        assert!(!found(
            "lansering",
            "Produksjonssetting ble utført som planlagt"
        ));
    }
}
