//! Which role a section plays (done, in progress, planned, risks, status,
//! notes), from its title as users write it: case, diacritics and spelling
//! variants folded, matched against the built-in `uke` and `weekly`
//! schemas' titles and aliases, then against the words roles are named
//! with. Tracking and staffing work by role, so an inferred schema that
//! gets the roles right keeps them working.

use std::fmt;

use crate::schema::{Schema, SectionKind};

/// How a title was given its role, for the summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    /// Equal, after folding, to a built-in title or alias.
    Builtin(String),
    /// A near spelling of a built-in title or alias.
    Spelling(String),
    /// By a word roles are named with (`plan…`, `utfordr…`).
    Word(&'static str),
    /// Nothing matched: notes.
    Unknown,
}

impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Why::Builtin(name) => write!(f, "as the built-in `{name}`"),
            Why::Spelling(name) => write!(f, "a spelling of the built-in `{name}`"),
            Why::Word(word) => write!(f, "by the word `{word}…`"),
            Why::Unknown => f.write_str("no role known: notes"),
        }
    }
}

/// The word roles' names, and the title `kind` in a schema file.
pub fn kind_name(kind: SectionKind) -> &'static str {
    match kind {
        SectionKind::Done => "done",
        SectionKind::InProgress => "in_progress",
        SectionKind::Planned => "planned",
        SectionKind::Risks => "risks",
        SectionKind::Status => "status",
        SectionKind::Notes => "notes",
    }
}

/// Lower case, Norwegian letters and diacritics folded to ASCII, inner
/// white space collapsed, a trailing colon dropped: the form titles are
/// compared in.
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    for c in text.nfd().flat_map(char::to_lowercase) {
        match c {
            'æ' => out.push_str("ae"),
            'ø' => out.push('o'),
            'ß' => out.push_str("ss"),
            c if unicode_normalization::char::is_combining_mark(c) => {}
            c if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
    }
    out.trim().trim_end_matches(':').trim().to_owned()
}

/// Word stems, folded, that name a role, most specific first.
const WORDS: &[(&str, SectionKind)] = &[
    ("utfordr", SectionKind::Risks),
    ("risik", SectionKind::Risks),
    ("problem", SectionKind::Risks),
    ("challenge", SectionKind::Risks),
    ("risk", SectionKind::Risks),
    ("issue", SectionKind::Risks),
    ("blocker", SectionKind::Risks),
    ("planl", SectionKind::Planned),
    ("plan", SectionKind::Planned),
    ("neste", SectionKind::Planned),
    ("next", SectionKind::Planned),
    ("framover", SectionKind::Planned),
    ("fremover", SectionKind::Planned),
    ("pagar", SectionKind::InProgress),
    ("pagaende", SectionKind::InProgress),
    ("under arbeid", SectionKind::InProgress),
    ("in progress", SectionKind::InProgress),
    ("ongoing", SectionKind::InProgress),
    ("fullfort", SectionKind::Done),
    ("ferdig", SectionKind::Done),
    ("utfort", SectionKind::Done),
    ("gjort", SectionKind::Done),
    ("gjennomfort", SectionKind::Done),
    ("levert", SectionKind::Done),
    ("done", SectionKind::Done),
    ("complet", SectionKind::Done),
    ("finish", SectionKind::Done),
    ("deliver", SectionKind::Done),
    ("status", SectionKind::Status),
    ("oppsummering", SectionKind::Status),
    ("summary", SectionKind::Status),
];

/// The role of a section titled `title`, and why.
pub fn role_of(title: &str, builtins: &[&Schema]) -> (SectionKind, Why) {
    let folded = fold(title);
    let known = || {
        builtins.iter().flat_map(|schema| {
            schema.sections.iter().flat_map(|s| {
                std::iter::once(s.title.as_str())
                    .chain(s.aliases.iter().map(String::as_str))
                    .map(move |name| (name, s.kind))
            })
        })
    };
    if let Some((name, kind)) = known().find(|(name, _)| fold(name) == folded) {
        return (kind, Why::Builtin(name.to_owned()));
    }
    let near = known()
        .map(|(name, kind)| {
            let score = strsim::normalized_damerau_levenshtein(&fold(name), &folded);
            (name, kind, score)
        })
        .filter(|&(_, _, score)| score >= 0.8)
        .max_by(|a, b| a.2.total_cmp(&b.2));
    if let Some((name, kind, _)) = near {
        return (kind, Why::Spelling(name.to_owned()));
    }
    for (stem, kind) in WORDS {
        if folded
            .split([' ', '-', '/'])
            .any(|word| word.starts_with(stem))
            || (stem.contains(' ') && folded.contains(stem))
        {
            return (*kind, Why::Word(stem));
        }
    }
    (SectionKind::Notes, Why::Unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtins() -> Vec<Schema> {
        ["uke", "weekly"]
            .iter()
            .map(|name| Schema::builtin(name).unwrap().unwrap())
            .collect()
    }

    #[test]
    fn roles_from_builtins_spellings_and_words() {
        let owned = builtins();
        let schemas: Vec<&Schema> = owned.iter().collect();
        let role = |title: &str| role_of(title, &schemas);
        assert_eq!(role("FULLFØRT").0, SectionKind::Done);
        assert!(
            matches!(role("Fullfort").1, Why::Builtin(_)),
            "diacritics fold"
        );
        assert!(matches!(role("Fullførte").1, Why::Spelling(_)));
        assert_eq!(role("Gjennomført").0, SectionKind::Done);
        assert_eq!(role("Pågående arbeid").0, SectionKind::InProgress);
        assert_eq!(
            role("Planlagte aktiviteter"),
            (SectionKind::Planned, Why::Word("planl"))
        );
        assert_eq!(role("Neste uke").0, SectionKind::Planned);
        assert_eq!(role("Problemer").0, SectionKind::Risks);
        assert_eq!(role("Status").0, SectionKind::Status);
        assert_eq!(role("Annet").0, SectionKind::Notes);
        assert_eq!(role("Challenges:").0, SectionKind::Risks);
        assert_eq!(role("Tidslinje"), (SectionKind::Notes, Why::Unknown));
    }

    #[test]
    fn folding() {
        assert_eq!(fold("  Pågående   Arbeid: "), "pagaende arbeid");
        assert_eq!(fold("Ærlig Øst"), "aerlig ost");
    }
}
