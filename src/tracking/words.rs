//! Content words: what two wordings of one item have in common.
//!
//! Lower case (æøå kept), Norwegian and English stop words dropped, and a
//! light stemming that strips common inflections, so that "tjeneste for DNS
//! for instanser" and "tjenesten for DNS til instansene" share
//! {tjenest, dns, instans}. The word lists are data (`schema/stopwords.yaml`).

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use serde::Deserialize;

use crate::text::lower_nfc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StopWords {
    norwegian: Vec<String>,
    english: Vec<String>,
}

/// FNV-1a: word lookups and keys hash short strings millions of times per
/// run, where std's SipHash (built against hash flooding, which word lists
/// compiled into the binary do not need) costs several times more.
#[derive(Default)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let start = if self.0 == 0 {
            crate::hash::OFFSET_BASIS
        } else {
            self.0
        };
        self.0 = crate::hash::fnv1a_extend(start, bytes);
    }
}

pub type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

static STOP_WORDS: LazyLock<HashSet<String, FnvBuild>> = LazyLock::new(|| {
    let words: StopWords = serde_yaml::from_str(include_str!("../../schema/stopwords.yaml"))
        .unwrap_or(StopWords {
            norwegian: Vec::new(),
            english: Vec::new(),
        });
    words.norwegian.into_iter().chain(words.english).collect()
});

/// Whether a lower-case word is a Norwegian or English stop word.
pub(crate) fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(word)
}

/// Inflections stripped from the end of a word, longest first; a stem keeps
/// at least three letters.
const SUFFIXES: &[&str] = &[
    "eringene", "eringen", "ingene", "ingen", "ations", "ation", "ating", "ering", "eres", "ated",
    "ere", "ene", "ane", "ate", "ing", "ert", "er", "en", "et", "ed", "es", "e", "a", "s",
];

/// The stem of one lower-case word.
pub fn stem(word: &str) -> &str {
    let bytes = word.as_bytes();
    for suffix in SUFFIXES {
        // Compared byte by byte from the end, inline: most words end in
        // none of the suffixes, and this runs for every word of every item.
        let suffix = suffix.as_bytes();
        if bytes.len() <= suffix.len()
            || !bytes
                .iter()
                .rev()
                .zip(suffix.iter().rev())
                .all(|(a, b)| a == b)
        {
            continue;
        }
        let stem = &word[..word.len() - suffix.len()];
        if stem.chars().nth(2).is_some() {
            return stem;
        }
    }
    word
}

/// The content words of a text, stemmed, in order of first appearance,
/// without repeats. Markup (link targets, role names) is dropped first.
pub fn content_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    each_content_word(text, |word, _| words.push(word.to_owned()));
    words
}

/// [`content_words`] as one string, separated by spaces (content words
/// have none), and their keys (FNV hashes, sorted, distinct): what
/// item tracking keeps of each of the hundred thousand items of a large
/// tree, in two allocations instead of one per word. Wordings are compared
/// by these integers, never by their text.
pub fn content_words_joined(text: &str) -> (String, Vec<u64>) {
    let mut joined = String::new();
    let mut keys = Vec::new();
    each_content_word(text, |word, key| {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(word);
        keys.push(key);
    });
    keys.sort_unstable();
    keys.dedup();
    (joined, keys)
}

/// Calls `visit` with each content word of `text` and its key, in order of
/// first appearance, without repeats.
fn each_content_word(text: &str, mut visit: impl FnMut(&str, u64)) {
    let text = lower_nfc(text);
    // The words so far with their keys: repeats are found by integer
    // compares (items are short: a scan beats a set).
    let mut seen: Vec<(u64, &str)> = Vec::new();
    KNOWN_WORDS.with(|known| {
        let mut known = known.borrow_mut();
        if known.len() > MAX_KNOWN_WORDS {
            known.clear();
        }
        for raw in text.split(|c: char| !c.is_alphanumeric()) {
            if raw.is_empty() {
                continue;
            }
            let reading = match known.get(raw) {
                Some(reading) => *reading,
                None => {
                    let reading = read_word(raw);
                    known.insert(raw.into(), reading);
                    reading
                }
            };
            let Some((stem_len, key)) = reading else {
                continue;
            };
            let stemmed = &raw[..stem_len];
            if !seen.iter().any(|&(k, w)| k == key && w == stemmed) {
                seen.push((key, stemmed));
                visit(stemmed, key);
            }
        }
    });
}

/// A word's stem (as its length in bytes) and key, or `None` when it is
/// not a content word.
type Reading = Option<(usize, u64)>;

/// How many words a thread remembers before it forgets them all.
const MAX_KNOWN_WORDS: usize = 1 << 16;

thread_local! {
    /// [`read_word`] of every lower-case word met: a tree's reports use a
    /// vocabulary of a few thousand words, each read for stop words, stem
    /// and key hundreds of times otherwise.
    static KNOWN_WORDS: RefCell<HashMap<Box<str>, Reading, FnvBuild>> =
        RefCell::new(HashMap::default());
}

fn read_word(raw: &str) -> Reading {
    if raw.bytes().all(|b| b.is_ascii_digit())
        || matches!(raw, "doc" | "ref" | "http" | "https" | "www" | "com" | "no")
        || STOP_WORDS.contains(raw)
    {
        return None;
    }
    let stemmed = stem(raw);
    Some((stemmed.len(), key(stemmed)))
}

/// How alike two wordings are: the share of the shorter one's words that
/// the other has (1.0 when one says everything the other says), and how
/// many words they share. Item tracking computes the same from keys (see
/// `KeyBits` in [`super`]); this is the definition its tests hold it to.
#[cfg(test)]
pub(crate) fn overlap(a: &[String], b: &[String]) -> (f64, usize) {
    if a.is_empty() || b.is_empty() {
        return (0.0, 0);
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // Wordings are a few dozen words: a scan beats building a set.
    let shared = short.iter().filter(|w| long.contains(w)).count();
    (shared as f64 / short.len() as f64, shared)
}

/// The keys of the words of a [`content_words_joined`] text, as it gives
/// them: a kept reading need not keep them too (they are a third of it).
pub(crate) fn keys_of_joined(joined: &str) -> Vec<u64> {
    let mut keys: Vec<u64> = joined.split_ascii_whitespace().map(key).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The key of one word: its FNV hash.
pub(crate) fn key(word: &str) -> u64 {
    std::hash::BuildHasher::hash_one(&FnvBuild::default(), word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_keys_are_fnv1a_of_the_word_and_its_terminator() {
        // `Hash for str` writes the bytes and then 0xff.
        assert_eq!(key("dns"), crate::hash::fnv1a(b"dns\xff"));
        assert_eq!(key("dns"), crate::hash::fnv1a_parts(&["dns"]));
    }

    #[test]
    fn rewording_keeps_the_content_words() {
        let a = content_words("Det jobbes med å få på plass en tjeneste for DNS for instanser.");
        let b = content_words(
            "Det jobbes med å få på plass en tjeneste for DNS til instanser. Denne vil forhåpentligvis være på plass i løpet av året.",
        );
        let (share, shared) = overlap(&a, &b);
        assert!(share >= 0.99, "{a:?} vs {b:?}");
        assert!(shared >= 3);
        assert!(a.contains(&"dns".to_owned()));
    }

    #[test]
    fn different_items_do_not_overlap_much() {
        let a = content_words("Oppgradere ceph til siste versjon.");
        let b = content_words("Oppgradering til mitaka i uke 38.");
        // They share "oppgrad" only: below the two shared words matching needs.
        let (_, shared) = overlap(&a, &b);
        assert_eq!(shared, 1, "{a:?} vs {b:?}");
    }

    #[test]
    fn joined_words_and_keys_agree_with_the_list() {
        let text = "Tjenesten for DNS til instansene, og DNS for instanser: snart klar";
        let words = content_words(text);
        assert!(words.len() >= 4, "{words:?}");
        assert_eq!(content_words_joined(""), (String::new(), Vec::new()));
        // The keys are those of the words, whichever way they are read.
        for text in [
            text,
            "Oppgradere til Ocata i test, og test igjen.",
            "Tjenesten for DNS til instansene er ferdig :doc:`dns`.",
            "Ærlig talt: øvelser på `dev03` (uke 41)!",
        ] {
            let words = content_words(text);
            let (joined, keys) = content_words_joined(text);
            assert_eq!(joined, words.join(" "));
            let mut of_list: Vec<u64> = words.iter().map(|w| key(w)).collect();
            of_list.sort_unstable();
            of_list.dedup();
            assert_eq!(keys, of_list, "{text}");
            assert_eq!(keys_of_joined(&joined), keys, "{text}");
        }
    }

    #[test]
    fn remembered_words_read_as_fresh_ones() {
        let text = "Oppgraderingen av instansene og DNS for instanser i uke 41, og 2016";
        let cold = content_words(text);
        assert_eq!(content_words(text), cold, "from the remembered words");
        // Overflowing the memory forgets it, and nothing changes.
        for i in 0..=MAX_KNOWN_WORDS {
            read_word(&format!("ord{i}"));
            content_words(&format!("ord{i}"));
        }
        KNOWN_WORDS.with(|known| assert!(known.borrow().len() <= MAX_KNOWN_WORDS + 1));
        assert_eq!(content_words(text), cold);
        assert_eq!(cold, ["oppgrad", "instans", "dns"]);
    }

    #[test]
    fn stems_and_stop_words() {
        assert_eq!(stem("produksjonsklare"), "produksjonsklar");
        assert_eq!(stem("instansene"), "instans");
        assert_eq!(stem("dns"), "dns");
        // Verb and noun forms meet: "oppgradere", "oppgradering", "oppgradert".
        assert_eq!(stem("oppgradere"), stem("oppgradering"));
        assert_eq!(stem("oppgradert"), stem("oppgradering"));
        assert_eq!(stem("migreres"), stem("migrering"));
        assert_eq!(stem("migreringen"), stem("migrering"));
        // English: "migrate", "migrating", "migration", "migrated".
        for word in ["migrating", "migration", "migrated"] {
            assert_eq!(stem(word), stem("migrate"), "{word}");
        }
        assert!(content_words("og i på for the and of").is_empty());
    }
}
