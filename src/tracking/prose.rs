//! What an item's wording says about itself, in Norwegian and English:
//! that it is done ("er ferdig", "ble utført", "er satt i drift", "was
//! completed", "is in production"), that it was dropped on purpose
//! ("utgår", "cancelled"), that it is a standing duty ("fortsette å
//! hjelpe", "keep helping"), and the months it names ("planned delivery
//! June 2017").
//!
//! From 2017 a real team's template had no done section: work was reported
//! done in the status prose and in the in-progress items themselves, and
//! tracking that read only the done section saw nothing finish.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use chrono::NaiveDate;

use crate::text::lower_nfc;

/// Phrases that report the thing done. Matched on word boundaries in the
/// lower-case text.
const DONE: &[&str] = &[
    // Norwegian (bokmål and nynorsk)
    "er ferdig",
    "ble ferdig",
    "vart ferdig",
    "er ferdigstilt",
    "ble ferdigstilt",
    "er fullført",
    "ble fullført",
    "er utført",
    "ble utført",
    "vart utført",
    "er gjennomført",
    "ble gjennomført",
    "er satt i drift",
    "ble satt i drift",
    "er i produksjon",
    "er satt i produksjon",
    "er på plass",
    "er levert",
    "ble levert",
    "er publisert",
    "ble publisert",
    "er avsluttet",
    "ble avsluttet",
    // English
    "was completed",
    "were completed",
    "is completed",
    "is complete",
    "is done",
    "was done",
    "is finished",
    "was finished",
    "is in production",
    "are in production",
    "now in production",
    "went live",
    "is live",
    "was delivered",
    "is in place",
    "is published",
    "was published",
    "are published",
    "has been completed",
    "have been completed",
];

/// Words that take the "done" back: partly done, nearly done, not done.
const NOT_YET: &[&str] = &[
    "ikke",
    "nesten",
    "gjenstår",
    "mangler",
    "snart",
    "delvis",
    "men",
    "not",
    "almost",
    "nearly",
    "remaining",
    "remains",
    "partly",
    "but",
    "except",
    "still",
    "soon",
];

/// Phrases that say the work was dropped on purpose.
const DROPPED: &[&str] = &[
    "utgår",
    "droppet",
    "droppes",
    "avlyst",
    "avlyses",
    "kansellert",
    "skrinlagt",
    "lagt på is",
    "prioriteres ikke",
    "dropped",
    "cancelled",
    "canceled",
    "abandoned",
    "on hold",
    "no longer planned",
    "will not be done",
];

/// Phrases of a standing duty: ongoing work that is never done.
const STANDING: &[&str] = &[
    "fortsette å",
    "fortsetter å",
    "fortsette arbeidet med",
    "fortsetter arbeidet med",
    "løpende",
    "kontinuerlig",
    "jevnlig",
    "fortløpende",
    "keep helping",
    "keep supporting",
    "continue supporting",
    "continue helping",
    "continue to",
    "ongoing",
    "day-to-day",
    "as usual",
];

/// The phrases of `list` found in `text` on word boundaries.
fn has_phrase(text: &str, list: &Phrases) -> bool {
    has_phrase_lower(&lower_nfc(text), list)
}

/// [`has_phrase`] of a text already in lower case.
fn has_phrase_lower(lower: &str, list: &Phrases) -> bool {
    list.in_words(lower)
}

/// A phrase list found in one pass over a text. The lists are held against
/// every distinct wording of a tree; one search per phrase (and a searcher
/// built for each) was a quarter of a whole check of 10,000 reports.
struct Phrases {
    phrases: &'static [&'static str],
    automaton: Option<AhoCorasick>,
}

impl Phrases {
    fn new(phrases: &'static [&'static str]) -> Phrases {
        Phrases {
            phrases,
            // Building fails only for patterns far larger than these.
            automaton: AhoCorasick::new(phrases).ok(),
        }
    }

    /// Whether one of the phrases stands in `lower` as whole words.
    fn in_words(&self, lower: &str) -> bool {
        match &self.automaton {
            Some(automaton) => automaton
                .find_overlapping_iter(lower)
                .any(|found| whole_words(lower, found.start(), found.end())),
            None => self
                .phrases
                .iter()
                .any(|phrase| find_word(lower, phrase).is_some()),
        }
    }

    /// Whether one of the phrases occurs in `lower` at all.
    fn anywhere(&self, lower: &str) -> bool {
        match &self.automaton {
            Some(automaton) => automaton.is_match(lower),
            None => self.phrases.iter().any(|phrase| lower.contains(phrase)),
        }
    }
}

static DONE_PHRASES: LazyLock<Phrases> = LazyLock::new(|| Phrases::new(DONE));
static NOT_YET_PHRASES: LazyLock<Phrases> = LazyLock::new(|| Phrases::new(NOT_YET));
static DROPPED_PHRASES: LazyLock<Phrases> = LazyLock::new(|| Phrases::new(DROPPED));
static STANDING_PHRASES: LazyLock<Phrases> = LazyLock::new(|| Phrases::new(STANDING));
static DONE_HEAD_WORDS: LazyLock<Phrases> = LazyLock::new(|| Phrases::new(DONE_HEADS));

/// Whether `text[start..end]` has no letter or digit right before or after.
fn whole_words(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// The words every [`DONE`] phrase (and "som planlagt", "as planned") has
/// one of: a text with none of them is not read further, as most items
/// (and nearly every item of a large tree) are not done.
const DONE_HEADS: &[&str] = &[
    "ferdig",
    "fullført",
    "utført",
    "gjennomført",
    "drift",
    "produksjon",
    "plass",
    "levert",
    "avsluttet",
    "publisert",
    "planlagt",
    "complete",
    "done",
    "finished",
    "production",
    "live",
    "delivered",
    "place",
    "published",
    "planned",
];

/// The byte offset of `phrase` in `text`, at word boundaries.
fn find_word(text: &str, phrase: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find(phrase) {
        let at = from + found;
        if whole_words(text, at, at + phrase.len()) {
            return Some(at);
        }
        from = at + phrase.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Words that may stand inside a done phrase ("er nå ferdig", "is now in
/// production") and are left out before matching.
const FILLERS: &[&str] = &[
    "nå", "now", "også", "also", "endelig", "finally", "allerede", "already",
];

/// The sentences of a lower-case text, without [`FILLERS`].
fn sentences(lower: &str) -> Vec<String> {
    lower
        .split(['.', '!', '?', ';'])
        .map(|sentence| {
            sentence
                .split(' ')
                .filter(|word| !FILLERS.contains(word))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Whether a sentence says its work was done as planned ("ble byttet ut
/// som planlagt", "was moved as planned").
fn done_as_planned(sentence: &str) -> bool {
    let past = ["ble", "vart", "was", "were"]
        .iter()
        .any(|w| find_word(sentence, w).is_some());
    past && ["som planlagt", "as planned"]
        .iter()
        .any(|p| find_word(sentence, p).is_some())
}

/// Labels that open an item or a status line to say it is done
/// ("Ferdig: reinstallasjon av `bgo`.", "Done: DNS for instances").
const DONE_LABELS: &[&str] = &[
    "ferdig:",
    "fullført:",
    "utført:",
    "levert:",
    "done:",
    "completed:",
    "finished:",
    "delivered:",
];

/// The text after a [`DONE_LABELS`] label, if the lower-case text opens
/// with one (after list markers and spaces).
fn after_done_label(lower: &str) -> Option<&str> {
    let start = lower.trim_start_matches(|c: char| c == '-' || c == '*' || c.is_whitespace());
    DONE_LABELS
        .iter()
        .find_map(|label| start.strip_prefix(label))
}

/// Whether the wording reports the thing done: a done label in front
/// ("Ferdig: …"), or a done phrase in a sentence without a word that takes
/// it back ("er ferdig i `bgo`, `osl` gjenstår").
pub fn says_done(text: &str) -> bool {
    let lower = lower_nfc(text);
    if after_done_label(&lower).is_some() {
        return true;
    }
    if !DONE_HEAD_WORDS.anywhere(&lower) {
        return false;
    }
    sentences(&lower).iter().any(|sentence| {
        (has_phrase_lower(sentence, &DONE_PHRASES) || done_as_planned(sentence))
            && !has_phrase_lower(sentence, &NOT_YET_PHRASES)
    })
}

/// The words of the done phrases, which a done sentence shares with every
/// other done sentence: left out when matching it with an item.
pub fn without_done_words(text: &str) -> String {
    let lower = lower_nfc(text);
    let rest = after_done_label(&lower).unwrap_or(&lower);
    let Some(automaton) = &*DONE_WORDS else {
        let mut out = rest.to_owned();
        for phrase in DONE.iter().chain(&["som planlagt", "as planned"]) {
            while let Some(at) = find_word(&out, phrase) {
                out.replace_range(at..at + phrase.len(), " ");
            }
        }
        return out;
    };
    // The longest phrase at each place, as whole words, each made a space.
    let mut out = String::with_capacity(rest.len());
    let mut kept = 0;
    for found in automaton.find_iter(rest) {
        if whole_words(rest, found.start(), found.end()) {
            out.push_str(&rest[kept..found.start()]);
            out.push(' ');
            kept = found.end();
        }
    }
    out.push_str(&rest[kept..]);
    out
}

/// The done phrases and "som planlagt", "as planned", longest first at each
/// place, for [`without_done_words`].
static DONE_WORDS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    let phrases: Vec<&str> = DONE
        .iter()
        .copied()
        .chain(["som planlagt", "as planned"])
        .collect();
    AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(phrases)
        .ok()
});

/// Whether the wording says the work was dropped on purpose.
pub fn says_dropped(text: &str) -> bool {
    has_phrase(text, &DROPPED_PHRASES)
}

/// Whether the wording reads as a standing duty.
pub fn says_standing(text: &str) -> bool {
    has_phrase(text, &STANDING_PHRASES)
}

/// The months a wording names with a year ("June 2017", "juni 2017",
/// "i slutten av juni 2017"), as the last day of each, for plans written
/// in prose ("planned delivery June 2017").
pub fn named_months(text: &str) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    for pair in words.windows(2) {
        let (month, year) = (pair[0], pair[1]);
        let Some(month) = crate::dates::month_from_name(month) else {
            continue;
        };
        // Short names ("mar", "may") are words too: only full names or a
        // capital start count.
        if pair[0].len() <= 3 && !pair[0].starts_with(char::is_uppercase) {
            continue;
        }
        let Some(year) = year
            .parse::<i32>()
            .ok()
            .filter(|y| (1990..=2200).contains(y) && year.len() == 4)
        else {
            continue;
        };
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        };
        if let Some(last) = next.and_then(|d| d.pred_opt()) {
            out.push(last);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_done_label_says_done() {
        assert!(says_done("Ferdig: Reinstallasjon av `bgo`."));
        assert!(says_done("- Done: DNS for instances"));
        assert!(!says_done("Ferdigstillelse av DNS planlegges"));
        assert!(!says_done("Pågår: Reinstallasjon av `bgo`."));
        assert_eq!(
            without_done_words("Ferdig: Reinstallasjon av bgo").trim(),
            "reinstallasjon av bgo"
        );
    }

    #[test]
    fn done_in_prose() {
        for text in [
            "Reinstallasjonen av `bgo` er ferdig.",
            "Produksjonssetting ble utført som planlagt 14. november.",
            "DNS for instanser er satt i drift.",
            "The identity service migration was completed.",
            "Grafana dashboards are in production.",
            "Reinstallasjon av `osl` pågår. Dette er nå ferdig.",
            "Svitsjene i `trd` ble byttet ut som planlagt.",
        ] {
            assert!(says_done(text), "{text}");
        }
        for text in [
            "Sensu er på plass i `bgo`, men `osl` gjenstår.",
            "Tjenesten er nesten ferdig.",
            "The migration is not done yet.",
            "Ferdigstille dokumentasjonen.",
            "Arbeidet oppdateres fortløpende på Trello.",
            "Leveransen ble forsinket.",
        ] {
            assert!(!says_done(text), "{text}");
        }
    }

    #[test]
    fn dropped_and_standing() {
        assert!(says_dropped("Oppgradering av ceph utgår."));
        assert!(says_dropped("The chat bot trial was cancelled."));
        assert!(!says_dropped("Oppgradere ceph til siste versjon."));
        assert!(says_standing(
            "Fortsette å hjelpe brukere med å ta i bruk tjenesten."
        ));
        assert!(says_standing("Keep helping users onboard."));
        assert!(!says_standing("Oppgradere til Pike i test."));
    }

    #[test]
    fn months_with_a_year() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            named_months("planned delivery June 2017"),
            [day(2017, 6, 30)]
        );
        assert_eq!(
            named_months("levering i desember 2016."),
            [day(2016, 12, 31)]
        );
        assert!(named_months("may 2017 be good").is_empty());
        assert!(named_months("i juni").is_empty());
    }
}
