//! Identifying tokens: the words of an item's wording that say *which*
//! thing it is about, as opposed to what is done with it.
//!
//! Successive upgrades share nearly every word ("oppgradere til Ocata i
//! test", "… Pike …", "… Queens …"), and the same item reworded may share
//! only one ("testsite for nye brukere" became "`dev03` mangler public
//! nett"). Content words alone cannot tell those apart; names can:
//!
//! - a **name** is a word written with a capital inside a sentence
//!   (Ocata, Ceph, USIT), in capitals (OSL, API), in backticks (`bgo`), or
//!   mixing letters and digits (`dev03`, ipv6); once a series has written a
//!   word as a name, it is a name wherever the series writes it, also at
//!   the start of a sentence;
//! - a **version** is a number after a name or a version word ("Puppet 4",
//!   "Ceph til 10.2", "kernel 4.15");
//! - a name mixing letters and digits, or a version, is **strong**: it
//!   names one host or one release, where a plain name (a site, a product)
//!   is shared by many items.
//!
//! Two wordings that each name something the other does not are different
//! items, however many other words they share (the veto). A strong token
//! they share follows a rewording that shares nothing else (the boost).
//! Month and weekday names, and dates and week numbers, are never names.

use std::borrow::Cow;
use std::collections::HashSet;

use super::words::{self, FnvBuild};
use crate::text::lower_nfc;

/// The identifying tokens of one wording, as sorted, distinct keys: the
/// same keys as its content words (the FNV key of the stem) for names,
/// and a key of `#` and the number for versions.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Ids {
    pub all: Vec<u64>,
    pub strong: Vec<u64>,
}

impl Ids {
    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }
}

/// The words a series has written as names, lower case.
pub type Vocabulary = HashSet<String, FnvBuild>;

/// Words that make the number after them a version.
const VERSION_WORDS: &[&str] = &[
    "versjon", "version", "v", "release", "kernel", "kjerne", "utgave",
];

/// Weekday names, which English writes with a capital.
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mandag",
    "tirsdag",
    "onsdag",
    "torsdag",
    "fredag",
    "lørdag",
    "søndag",
];

/// A token of a wording, with what its writing says about it.
struct Token<'t> {
    text: &'t str,
    /// First word of a sentence (or of the item).
    initial: bool,
    /// Inside backticks.
    quoted: bool,
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut quoted = false;
    let mut initial = true;
    let mut start: Option<usize> = None;
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        // A dot between digits belongs to the number ("10.2").
        let inner_dot = c == '.'
            && start.is_some()
            && previous.is_some_and(|p| p.is_ascii_digit())
            && chars.peek().is_some_and(|&(_, next)| next.is_ascii_digit());
        previous = Some(c);
        if c.is_alphanumeric() || inner_dot {
            start.get_or_insert(at);
            continue;
        }
        if let Some(begin) = start.take() {
            out.push(Token {
                text: &text[begin..at],
                initial,
                quoted,
            });
            initial = false;
        }
        match c {
            '`' => quoted = !quoted,
            '.' | '!' | '?' | ':' | ';' => initial = true,
            _ => {}
        }
    }
    if let Some(begin) = start {
        out.push(Token {
            text: &text[begin..],
            initial,
            quoted,
        });
    }
    out
}

fn is_number(token: &str) -> bool {
    token.starts_with(|c: char| c.is_ascii_digit())
        && token.chars().all(|c| c.is_ascii_digit() || c == '.')
}

fn mixes_letters_and_digits(token: &str) -> bool {
    token.chars().any(|c| c.is_ascii_digit()) && token.chars().any(char::is_alphabetic)
}

/// Whether a token is written as a name here, by its own writing.
fn written_as_name(token: &Token) -> bool {
    let text = token.text;
    if is_number(text) {
        return false;
    }
    let mut letters = text.chars().filter(|c| c.is_alphabetic());
    let capital = letters.next().is_some_and(char::is_uppercase);
    let all_capitals = text.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && text
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
    token.quoted || mixes_letters_and_digits(text) || all_capitals || (capital && !token.initial)
}

/// Whether a lower-case word can never be a name.
fn never_a_name(lower: &str) -> bool {
    words::is_stop_word(lower)
        || WEEKDAYS.contains(&lower)
        || matches!(lower, "uke" | "uka" | "week" | "veke")
        || (lower.len() <= "september".len() && crate::dates::month_from_name(lower).is_some())
}

/// The names `text` writes, and the versions (as `#` and the number), each
/// once, for its series' vocabulary: "Ceph til 10.2" makes 10.2 a version
/// in "Ceph oppgraderes til 10.2" too, where nothing before the number
/// says so. What one text teaches does not depend on the others (nor on
/// the vocabulary), so a series' vocabulary is the union of its texts'
/// and is kept per text.
pub fn learnt(text: &str) -> Vec<String> {
    // One pass, as `for_each_id` reads a text with no vocabulary yet: the
    // names its own writing shows, and the numbers that follow a name or a
    // version word.
    let mut learnt: Vec<String> = Vec::new();
    let empty = Vocabulary::default();
    for_each_token(text, &empty, |token, lower, id, _| {
        let word = match id {
            Some(Id::Name(_)) if written_as_name(token) => lower.to_owned(),
            Some(Id::Version(number)) => format!("#{number}"),
            _ => return,
        };
        if !learnt.contains(&word) {
            learnt.push(word);
        }
    });
    learnt
}

/// An identifying token.
enum Id<'t> {
    Name(&'t str),
    Version(&'t str),
}

/// The identifying tokens of `text`, given the names its series writes.
pub fn ids(text: &str, vocabulary: &Vocabulary) -> Ids {
    let mut ids = Ids::default();
    for_each_id(text, vocabulary, |id, strong| {
        let key = match id {
            Id::Name(lower) => words::key(words::stem(lower)),
            Id::Version(number) => words::key(&format!("#{number}")),
        };
        ids.all.push(key);
        if strong {
            ids.strong.push(key);
        }
    });
    for keys in [&mut ids.all, &mut ids.strong] {
        keys.sort_unstable();
        keys.dedup();
    }
    ids
}

/// Calls `visit` with each identifying token of `text` (lower case) and
/// whether it is strong.
fn for_each_id(text: &str, vocabulary: &Vocabulary, mut visit: impl FnMut(Id, bool)) {
    for_each_token(text, vocabulary, |_, _, id, strong| {
        if let Some(id) = id {
            visit(id, strong);
        }
    });
}

/// Calls `visit` with every token of `text`, its lower case, and the
/// identifying token it is (if any) and whether that is strong.
fn for_each_token(
    text: &str,
    vocabulary: &Vocabulary,
    mut visit: impl FnMut(&Token, &str, Option<Id>, bool),
) {
    // Whether the token before was a name, and whether the two before
    // were a name and "til"/"to" ("Ceph til 10.2").
    let (mut name_before, mut name_then_to, mut version_word_before) = (false, false, false);
    let mut key = String::new();
    for token in tokens(text) {
        // Most tokens are lower-case ASCII already (and so NFC): borrowed.
        let lower: Cow<str> = if token
            .text
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        {
            Cow::Borrowed(token.text)
        } else {
            Cow::Owned(lower_nfc(token.text))
        };
        let mut is_name = false;
        if is_number(&lower) {
            key.clear();
            key.push('#');
            key.push_str(&lower);
            let known = !vocabulary.is_empty() && vocabulary.contains(key.as_str());
            if version_word_before || name_before || name_then_to || known {
                visit(&token, &lower, Some(Id::Version(&lower)), true);
            } else {
                visit(&token, &lower, None, false);
            }
        } else if !never_a_name(&lower) && (written_as_name(&token) || vocabulary.contains(&*lower))
        {
            is_name = true;
            let strong = mixes_letters_and_digits(&lower);
            visit(&token, &lower, Some(Id::Name(&lower)), strong);
        } else {
            visit(&token, &lower, None, false);
        }
        name_then_to = name_before && matches!(&*lower, "til" | "to");
        name_before = is_name;
        version_word_before = VERSION_WORDS.contains(&&*lower);
    }
}

/// Whether two wordings name different things: each has an identifying
/// token that the other has neither as a token nor as a content word.
pub fn vetoed(a: &Ids, a_words: &[u64], b: &Ids, b_words: &[u64]) -> bool {
    let lacks = |ids: &Ids, words: &[u64], other: &Ids| {
        ids.all
            .iter()
            .any(|key| other.all.binary_search(key).is_err() && words.binary_search(key).is_err())
    };
    !a.is_empty() && !b.is_empty() && lacks(a, b_words, b) && lacks(b, a_words, a)
}

/// Whether two wordings share a strong token (a host name, a version).
pub fn share_strong(a: &Ids, b: &Ids) -> bool {
    a.strong
        .iter()
        .any(|key| b.strong.binary_search(key).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary(texts: &[&str]) -> Vocabulary {
        let mut vocabulary = Vocabulary::default();
        for text in texts {
            vocabulary.extend(learnt(text));
        }
        vocabulary
    }

    fn pair(a: &str, b: &str, vocabulary: &Vocabulary) -> bool {
        let (_, a_words) = words::content_words_joined(a);
        let (_, b_words) = words::content_words_joined(b);
        vetoed(&ids(a, vocabulary), &a_words, &ids(b, vocabulary), &b_words)
    }

    #[test]
    fn successive_upgrades_are_different_items() {
        let v = vocabulary(&[
            "Oppgradere til Ocata i test.",
            "Oppgradere til Pike i test.",
        ]);
        assert!(pair(
            "Oppgradere til Ocata i test.",
            "Oppgradere til Pike i test.",
            &v
        ));
        assert!(pair(
            "Pike-oppgradering pågår.",
            "Oppgradere til Ocata i test.",
            &v
        ));
        assert!(pair(
            "Oppgradere til Puppet 4 i test.",
            "Oppgradere til Puppet 5 i test.",
            &v
        ));
        assert!(pair(
            "Oppgradere Ceph til 10.2 i `bgo`.",
            "Oppgradere Ceph til 12.2 i `bgo`.",
            &v
        ));
        // Learned from "Ceph til 10.2": a version here too.
        let v = vocabulary(&["Oppgradere Ceph til 10.2.", "Oppgradere Ceph til 12.2."]);
        assert!(pair(
            "Ceph oppgraderes til 10.2 i `bgo`.",
            "Oppgradere Ceph til 12.2 i `bgo`.",
            &v
        ));
        assert!(pair(
            "Roll out kernel 4.15 on the compute nodes.",
            "Roll out kernel 5.4 on the compute nodes.",
            &v
        ));
        assert!(pair(
            "Full reinstallasjon av `bgo`.",
            "Full reinstallasjon av `osl`.",
            &v
        ));
    }

    #[test]
    fn rewordings_and_dates_are_not_vetoed() {
        let v = vocabulary(&["Oppgradere til Ocata i test."]);
        assert!(!pair(
            "Oppgradere til Ocata i test.",
            "Ocata-oppgradering i test pågår.",
            &v
        ));
        assert!(!pair(
            "Testsite for nye brukere ved USIT.",
            "`dev03` for nye brukere ved USIT.",
            &v
        ));
        assert!(!pair(
            "Lansering 14. november.",
            "Lansering 21. november, utsatt en uke.",
            &v
        ));
        assert!(!pair(
            "Reinstall OSL on Thursday.",
            "Reinstall OSL on Friday.",
            &v
        ));
        assert!(!pair("Ferdig i uke 41.", "Ferdig i uke 43.", &v));
    }

    #[test]
    fn host_names_and_versions_are_strong() {
        let v = Vocabulary::default();
        let a = ids("`dev03` mangler fortsatt public nett.", &v);
        let b = ids("`dev03` venter på nettverk fra USIT.", &v);
        assert!(share_strong(&a, &b));
        assert_eq!(a.strong.len(), 1);
        let puppet = ids("Oppgradere til Puppet 4 i uke 41.", &v);
        assert_eq!(puppet.strong, vec![words::key("#4")], "{puppet:?}");
        assert!(ids("Full reinstallasjon av `bgo`.", &v).strong.is_empty());
    }
}
