//! Text normalisation shared by section matching, suggestions and paths.
//!
//! Titles and file names are compared after NFC normalisation because macOS
//! hands out decomposed names (`ø` as `o` + combining stroke is not a thing,
//! but `å` as `a` + ring is), and editors differ in how they type them.

use std::borrow::Cow;

use unicode_normalization::{UnicodeNormalization, is_nfc_quick};

/// NFC form of `text`, borrowing when it already is NFC (the common case).
pub fn nfc(text: &str) -> Cow<'_, str> {
    // ASCII is NFC and leaves the quick check in its initial state, so the
    // check starts at the first other byte (a fast scan), not at the start.
    if text.is_ascii() {
        // Checked a word at a time: most names and lines are ASCII.
        return Cow::Borrowed(text);
    }
    let Some(first) = text.bytes().position(|b| !b.is_ascii()) else {
        return Cow::Borrowed(text);
    };
    match is_nfc_quick(text[first..].chars()) {
        unicode_normalization::IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfc().collect()),
    }
}

/// Lower-case NFC of `text`, exactly as `nfc(text).to_lowercase()` gives
/// it, but cheaper on the hot paths (every item is lowered two or three
/// times): ASCII letters are lowered in place in one pass, and the text goes
/// through `str::to_lowercase`, which leaves its ASCII fast path for good at
/// the first `æ`, `ø` or `å`, only when it holds a non-ASCII letter that
/// lower case changes (`Æ`, `Σ`, `İ`).
pub fn lower_nfc(text: &str) -> String {
    let mut lower = nfc(text).into_owned();
    lower.make_ascii_lowercase();
    let unchanged = |c: char| {
        let mut lowered = c.to_lowercase();
        lowered.next() == Some(c) && lowered.next().is_none()
    };
    if lower.is_ascii() || lower.chars().all(|c| c.is_ascii() || unchanged(c)) {
        return lower;
    }
    lower.to_lowercase()
}

/// The form in which section titles are compared: NFC, inner white space
/// collapsed to one space, trimmed. Case is kept: `Under Arbeid` is a near
/// miss of `Under arbeid`, reported with a suggestion rather than accepted.
pub fn title_key(text: &str) -> Cow<'_, str> {
    let normal = nfc(text);
    // Most titles are NFC with single spaces already: borrowed, as every
    // rule looks every section up by its title.
    let mut previous_space = true;
    let collapsed = normal.chars().all(|c| {
        let ok = !c.is_whitespace() || (c == ' ' && !previous_space);
        previous_space = c.is_whitespace();
        ok
    }) && !previous_space;
    if collapsed || normal.is_empty() {
        return normal;
    }
    Cow::Owned(normal.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The closest candidate to `wanted`, if it is close enough to be a likely
/// typo or case slip ("Fullfort" → "Fullført", "Under Arbeid" → "Under
/// arbeid").
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = fold(wanted);
    candidates
        .into_iter()
        .map(|candidate| {
            let score = strsim::normalized_damerau_levenshtein(&wanted, &fold(candidate));
            (candidate, score)
        })
        .filter(|&(_, score)| score >= 0.7)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(candidate, _)| candidate)
}

/// Lower case with Norwegian letters folded to ASCII, for similarity only.
fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in nfc(text).chars().flat_map(char::to_lowercase) {
        match c {
            'æ' => folded.push_str("ae"),
            'ø' => folded.push('o'),
            'å' => folded.push('a'),
            c if c.is_whitespace() => {
                if !folded.ends_with(' ') {
                    folded.push(' ');
                }
            }
            c => folded.push(c),
        }
    }
    folded.trim().to_owned()
}

/// Cuts `text` to at most `max` characters on a character boundary, adding
/// an ellipsis, so messages quoting user text stay one readable line.
pub fn ellipsize(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => Cow::Owned(format!("{}…", &text[..cut])),
    }
}

/// The `/`-separated repository-relative `path` as seen from the folder
/// `base` (also repository-relative; `""` is the root): for links written
/// into one file that point at another.
pub fn relative_path(base: &str, path: &str) -> String {
    let base: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    let target: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; base.len() - common];
    parts.extend(&target[common..]);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_and_nfc_titles_compare_equal() {
        let decomposed = "Pa\u{030a}g\u{00e5}ende";
        assert_eq!(title_key(decomposed), title_key("Pågående"));
    }

    #[test]
    fn nfc_normalises_after_an_ascii_start() {
        for (text, expected) in [
            ("plain ascii", "plain ascii"),
            ("Pa\u{030a}gående", "Pågående"),
            ("allerede på plass", "allerede på plass"),
            ("e\u{0301}", "\u{e9}"),
            ("\u{0301}leading mark", "\u{0301}leading mark"),
            ("a\u{0323}\u{0307}", "\u{1ea1}\u{0307}"),
        ] {
            assert_eq!(nfc(text), expected, "{text:?}");
        }
        assert!(matches!(nfc("plain ascii"), Cow::Borrowed(_)));
        assert!(matches!(nfc("allerede på plass"), Cow::Borrowed(_)));
    }

    #[test]
    fn lower_nfc_agrees_with_the_standard_library() {
        let texts = [
            "",
            "Vi TRENGER 4 Personer",
            "Ærlig talt: ØKONOMI og Åpenhet",
            "allerede små bokstaver æøå",
            "Pa\u{030a}GÅENDE arbeid",
            "ΟΔΥΣΣΕΥΣ Σ aΣ ΣΑ",
            "İstanbul ǅemal ß ẞ",
            "emoji 🚀 and ＦＵＬＬＷＩＤＴＨ",
        ];
        for text in texts {
            assert_eq!(lower_nfc(text), nfc(text).to_lowercase(), "{text}");
        }
    }

    #[test]
    fn title_key_collapses_white_space_but_keeps_case() {
        assert_eq!(title_key("  Under   arbeid "), "Under arbeid");
        assert_eq!(title_key("Under\tarbeid"), "Under arbeid");
        assert_eq!(title_key("Under\u{a0}arbeid "), "Under arbeid");
        assert_eq!(title_key(""), "");
        assert!(matches!(
            title_key("Under arbeid"),
            Cow::Borrowed("Under arbeid")
        ));
        assert_ne!(title_key("Under Arbeid"), title_key("Under arbeid"));
    }

    #[test]
    fn suggests_near_misses_only() {
        let known = [
            "Fullført",
            "Under arbeid",
            "Planlagt fremdrift",
            "Utfordringer",
        ];
        assert_eq!(closest("Fullfort", known), Some("Fullført"));
        assert_eq!(closest("Under Arbeid", known), Some("Under arbeid"));
        assert_eq!(closest("Utfordinger", known), Some("Utfordringer"));
        assert_eq!(closest("Budsjett", known), None);
    }

    #[test]
    fn ellipsize_respects_char_boundaries() {
        assert_eq!(ellipsize("æøå", 2), "æø…");
        assert_eq!(ellipsize("abc", 3), "abc");
    }
}
