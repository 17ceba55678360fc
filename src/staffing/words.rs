//! The words of the classifier and the FTE reader: `schema/staffing.yaml`
//! compiled once, plus a repository's own words from its config.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

use aho_corasick::AhoCorasick;
use serde::{Deserialize, Serialize};

use super::cues::{Cue, CueIndex, CueLists, List, cues, words_automaton};
use crate::text::lower_nfc;
use crate::tracking::words::FnvBuild;

#[cfg(test)]
pub(super) const BUILTIN_WORDS: &str = include_str!("../../schema/staffing.yaml");

/// `schema/staffing.yaml` as read, in postcard: what every run decodes, since
/// reading the YAML was a tenth of a commit hook's instructions. A unit test
/// holds it to the YAML, and writes it afresh when asked
/// (`MILEPOST_REGENERATE=1 cargo test --lib builtin_words`).
const BUILTIN_WORDS_READ: &[u8] = include_bytes!("builtin_words.postcard");

/// `schema/staffing.yaml` as written. The maps are ordered, so that the
/// same words always encode to the same bytes.
#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WordsFile {
    classify: ClassifyWords,
    fte: FteWords,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ClassifyWords {
    people: Vec<String>,
    shortage: Vec<String>,
    absence: Vec<String>,
    negation: Vec<String>,
    resolved: Vec<String>,
    awaited: Vec<String>,
    versus: Vec<String>,
    below: Vec<String>,
    trouble: Vec<String>,
    about: Vec<String>,
    only: Vec<String>,
    we: Vec<String>,
    share: Vec<String>,
    not_staff: Vec<String>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FteWords {
    need: Vec<String>,
    short: Vec<String>,
    more: Vec<String>,
    have: Vec<String>,
    units: Vec<String>,
    month_units: Vec<String>,
    have_after: Vec<String>,
    change_from: Vec<String>,
    change_to: Vec<String>,
    instead: Vec<String>,
    shared: Vec<String>,
    progress: Vec<String>,
    of: Vec<String>,
    time: Vec<String>,
    and: Vec<String>,
    contrast: Vec<String>,
    multiply: Vec<String>,
    percent: Vec<String>,
    numbers: PerLanguage<BTreeMap<String, f64>>,
    markers: PerLanguage<Vec<String>>,
    fractions: BTreeMap<String, f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PerLanguage<T> {
    pub(super) nb: T,
    pub(super) en: T,
}

/// Words a repository adds to the built-in ones, under `staffing:` in its
/// config. Each is a cue as in `schema/staffing.yaml` (several words match in
/// a row; a trailing `*` allows any ending).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraWords {
    /// Nouns for the team's people ("driftstekniker", "postdoc").
    #[serde(default)]
    pub people: Vec<String>,
    /// Words that say something is short or missing.
    #[serde(default)]
    pub shortage: Vec<String>,
    /// Words that name missing people by themselves ("avspasering").
    #[serde(default)]
    pub absence: Vec<String>,
    /// Machines, materials and users whose shortage is not a staffing risk.
    #[serde(default)]
    pub not_staff: Vec<String>,
    /// The kinds of section whose items are read (default: the challenges,
    /// `risks`).
    #[serde(default)]
    pub sections: Vec<crate::schema::SectionKind>,
}

pub(super) fn number_map(map: &BTreeMap<String, f64>) -> HashMap<String, f64> {
    map.iter()
        .map(|(word, value)| (lower_nfc(word.trim()), *value))
        .collect()
}

/// The language a text is most likely in, for number words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Language {
    Norwegian,
    English,
    Unsure,
}

/// The words the classifier and the FTE reader use, compiled.
#[derive(Clone, Debug)]
pub struct Lexicon {
    pub(super) people: Vec<Cue>,
    pub(super) shortage: Vec<Cue>,
    pub(super) absence: Vec<Cue>,
    pub(super) negation: Vec<Cue>,
    pub(super) resolved: Vec<Cue>,
    pub(super) awaited: Vec<Cue>,
    pub(super) versus: Vec<Cue>,
    pub(super) below: Vec<Cue>,
    pub(super) trouble: Vec<Cue>,
    pub(super) about: Vec<Cue>,
    pub(super) only: Vec<Cue>,
    pub(super) we: Vec<Cue>,
    pub(super) share: Vec<Cue>,
    pub(super) not_staff: Vec<Cue>,
    pub(super) need: Vec<Cue>,
    pub(super) short: Vec<Cue>,
    pub(super) more: Vec<Cue>,
    pub(super) have: Vec<Cue>,
    pub(super) units: Vec<Cue>,
    pub(super) month_units: Vec<Cue>,
    pub(super) have_after: Vec<Cue>,
    pub(super) change_from: Vec<Cue>,
    pub(super) change_to: Vec<Cue>,
    pub(super) instead: Vec<Cue>,
    pub(super) shared: Vec<Cue>,
    pub(super) progress: Vec<Cue>,
    pub(super) of: Vec<Cue>,
    pub(super) time: Vec<Cue>,
    pub(super) and: Vec<Cue>,
    pub(super) contrast: Vec<Cue>,
    pub(super) multiply: Vec<Cue>,
    pub(super) percent: Vec<Cue>,
    pub(super) numbers: PerLanguage<HashMap<String, f64>>,
    pub(super) markers: PerLanguage<HashSet<String, FnvBuild>>,
    pub(super) fractions: HashMap<String, f64>,
    /// Finds any people or absence cue's first word, and the team and
    /// share phrases: no item can be about staff without one, so most items
    /// are dismissed by one search instead of a scan of every cue at every
    /// word.
    pub(super) people_filter: Option<AhoCorasick>,
    /// How each pattern of `people_filter` may match.
    pub(super) filter_patterns: Vec<FilterPattern>,
    /// Every list above, for [`Text::new`](super::tokens::Text::new)'s one search.
    pub(super) index: CueIndex,
    /// The single-word contrast and percent cues (both whole-word lists),
    /// which the tokeniser and the clause splitter test word by word.
    pub(super) contrast_words: HashSet<String, FnvBuild>,
    pub(super) percent_words: HashSet<String, FnvBuild>,
    /// Tells lexicons apart for what is remembered per lexicon (a clone has
    /// the same words and keeps it).
    pub(super) id: u64,
}

/// Where a pattern of the people filter may match in a word.
#[derive(Clone, Copy, Debug)]
pub(super) struct FilterPattern {
    /// Anywhere in a word (a compound tail, `*folk`), not only at its start.
    tail: bool,
    /// Only a whole word (`han$`), not the start of a longer one.
    whole: bool,
}

/// The next [`Lexicon`] id.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The built-in words, decoded from [`BUILTIN_WORDS_READ`]: they are known
/// good (a unit test holds the YAML to the full check, duplicates
/// included, and the encoding to the YAML).
static BUILTIN: LazyLock<Lexicon> = LazyLock::new(|| {
    postcard::from_bytes::<WordsFile>(BUILTIN_WORDS_READ)
        .map(Lexicon::from_file)
        .unwrap_or_else(|err| panic!("the built-in staffing words decode: {err}"))
});

impl Lexicon {
    /// The words compiled into milepost, read once.
    pub fn builtin() -> &'static Lexicon {
        &BUILTIN
    }

    /// The built-in words plus a repository's own.
    pub fn with_extra(extra: &ExtraWords) -> Lexicon {
        let mut lexicon = Lexicon::builtin().clone();
        lexicon.people.extend(cues(&extra.people, false));
        lexicon.shortage.extend(cues(&extra.shortage, false));
        lexicon.absence.extend(cues(&extra.absence, false));
        lexicon.not_staff.extend(cues(&extra.not_staff, false));
        lexicon.with_filter()
    }

    /// Whether `text` may hold a word for people at all: without one it
    /// cannot be about staff, and [`assess`](super::assess) need not run
    /// (the check runs over every challenges item of every report). A
    /// superset of what the classifier finds: a cue's first word where a
    /// word starts (anywhere for a compound tail), whole when the cue is
    /// whole-word.
    pub fn may_concern_people(&self, text: &str) -> bool {
        let Some(filter) = &self.people_filter else {
            return false;
        };
        let lower = lower_nfc(text);
        let bytes = lower.as_bytes();
        let letter_before = |at: usize| {
            lower[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        };
        let letter_after = |at: usize| {
            lower[at..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        };
        filter.find_overlapping_iter(bytes).any(|found| {
            let pattern = self.filter_patterns[found.pattern().as_usize()];
            (pattern.tail || !letter_before(found.start()))
                && (!pattern.whole || !letter_after(found.end()))
        })
    }

    pub(super) fn list(&self, list: List) -> &[Cue] {
        match list {
            List::People => &self.people,
            List::Shortage => &self.shortage,
            List::Absence => &self.absence,
            List::Negation => &self.negation,
            List::NotStaff => &self.not_staff,
            List::Need => &self.need,
            List::Short => &self.short,
            List::More => &self.more,
            List::Have => &self.have,
            List::Units => &self.units,
            List::Shared => &self.shared,
            List::Progress => &self.progress,
            List::Of => &self.of,
            List::Time => &self.time,
            List::And => &self.and,
            List::Contrast => &self.contrast,
            List::Multiply => &self.multiply,
            List::Resolved => &self.resolved,
            List::Only => &self.only,
            List::We => &self.we,
            List::Share => &self.share,
            List::MonthUnits => &self.month_units,
            List::Awaited => &self.awaited,
            List::Versus => &self.versus,
            List::Below => &self.below,
            List::Trouble => &self.trouble,
            List::About => &self.about,
            List::HaveAfter => &self.have_after,
            List::ChangeFrom => &self.change_from,
            List::ChangeTo => &self.change_to,
            List::Instead => &self.instead,
        }
    }

    /// Sorts every cue list, builds the people filter and the cue index;
    /// every constructor ends here.
    pub(super) fn with_filter(mut self) -> Lexicon {
        // One automaton for all the words: cheap to build (the commit hook
        // builds it on every run) and one scan of the text. The team
        // counting itself ("vi er 2") and a person's share ("40% i
        // prosjektet") are people too; their phrases are searched whole (as
        // an item's text has them, one space between words), since "vi"
        // alone is in every Norwegian sentence.
        let mut patterns: Vec<(String, FilterPattern)> = Vec::new();
        let firsts = self.people.iter().chain(&self.absence);
        for cue in firsts {
            let pattern = FilterPattern {
                tail: cue.tail,
                whole: cue.exact && cue.words.len() == 1,
            };
            patterns.push((cue.words[0].clone(), pattern));
        }
        for cue in self.we.iter().chain(&self.share) {
            let pattern = FilterPattern {
                tail: false,
                whole: true,
            };
            patterns.push((cue.words.join(" "), pattern));
        }
        patterns.sort_by(|a, b| a.0.cmp(&b.0));
        // One pattern per text: it may start anywhere if any of its cues
        // may, and must end a word only if all of its cues must.
        patterns.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1.tail |= later.1.tail;
                kept.1.whole &= later.1.whole;
            }
            same
        });
        self.people_filter = words_automaton(&patterns.iter().map(|p| &p.0).collect::<Vec<_>>());
        self.filter_patterns = patterns.into_iter().map(|p| p.1).collect();
        let single_words = |cues: &[Cue]| {
            cues.iter()
                .filter(|cue| cue.words.len() == 1)
                .map(|cue| cue.words[0].clone())
                .collect()
        };
        self.contrast_words = single_words(&self.contrast);
        self.percent_words = single_words(&self.percent);
        self.index = CueIndex::new(&self);
        self.id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        self
    }

    /// Reads a words file in the shape of `schema/staffing.yaml`, with the
    /// full YAML check (the test that holds the built-in words to it).
    #[cfg(test)]
    pub(super) fn parse(text: &str, path: &std::path::Path) -> crate::error::Result<Lexicon> {
        let file: WordsFile = crate::yaml::from_str(text, path)?;
        Ok(Lexicon::from_file(file))
    }

    /// Compiles a words file already read.
    fn from_file(file: WordsFile) -> Lexicon {
        let (c, f) = (file.classify, file.fte);
        Lexicon {
            people: cues(&c.people, false),
            shortage: cues(&c.shortage, false),
            absence: cues(&c.absence, false),
            negation: cues(&c.negation, true),
            resolved: cues(&c.resolved, false),
            awaited: cues(&c.awaited, false),
            versus: cues(&c.versus, true),
            below: cues(&c.below, true),
            trouble: cues(&c.trouble, false),
            about: cues(&c.about, true),
            only: cues(&c.only, true),
            we: cues(&c.we, true),
            share: cues(&c.share, true),
            not_staff: cues(&c.not_staff, false),
            need: cues(&f.need, false),
            short: cues(&f.short, false),
            more: cues(&f.more, false),
            have: cues(&f.have, false),
            units: cues(&f.units, false),
            month_units: cues(&f.month_units, false),
            have_after: cues(&f.have_after, false),
            change_from: cues(&f.change_from, true),
            change_to: cues(&f.change_to, true),
            instead: cues(&f.instead, true),
            shared: cues(&f.shared, true),
            progress: cues(&f.progress, false),
            of: cues(&f.of, true),
            time: cues(&f.time, false),
            and: cues(&f.and, true),
            contrast: cues(&f.contrast, true),
            multiply: cues(&f.multiply, true),
            percent: cues(&f.percent, true),
            numbers: PerLanguage {
                nb: number_map(&f.numbers.nb),
                en: number_map(&f.numbers.en),
            },
            markers: PerLanguage {
                nb: f.markers.nb.iter().map(|w| lower_nfc(w)).collect(),
                en: f.markers.en.iter().map(|w| lower_nfc(w)).collect(),
            },
            fractions: number_map(&f.fractions),
            people_filter: None,
            filter_patterns: Vec::new(),
            index: CueIndex::default(),
            contrast_words: HashSet::default(),
            percent_words: HashSet::default(),
            id: 0,
        }
        .with_filter()
    }

    pub(super) fn language(&self, words: &[&str]) -> Language {
        let count = |markers: &HashSet<String, FnvBuild>| {
            words.iter().filter(|word| markers.contains(**word)).count()
        };
        let (nb, en) = (count(&self.markers.nb), count(&self.markers.en));
        match nb.cmp(&en) {
            std::cmp::Ordering::Greater => Language::Norwegian,
            std::cmp::Ordering::Less => Language::English,
            std::cmp::Ordering::Equal => Language::Unsure,
        }
    }

    /// A count written in digits ("4", "1.5") or as a word of the text's
    /// language ("fire", "two").
    pub(super) fn number(&self, word: &str, language: Language) -> Option<f64> {
        if word.starts_with(|c: char| c.is_ascii_digit()) {
            return word
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite() && *n > 0.0);
        }
        let nb = || self.numbers.nb.get(word).copied();
        let en = || self.numbers.en.get(word).copied();
        match language {
            Language::Norwegian => nb(),
            Language::English => en(),
            Language::Unsure => nb().or_else(en),
        }
    }
}

/// The index reads a lexicon through this view (see [`CueLists`]).
impl CueLists for Lexicon {
    fn list(&self, list: List) -> &[Cue] {
        Lexicon::list(self, list)
    }

    fn id(&self) -> u64 {
        self.id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_words_parse_and_reject_duplicates() {
        assert!(!Lexicon::builtin().people.is_empty());
        let twice = BUILTIN_WORDS.replacen("classify:", "classify:\n  people: []", 1);
        let err = Lexicon::parse(&twice, std::path::Path::new("w.yaml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("w.yaml:"), "{err}");
    }

    /// The encoded words are the YAML's: a change to `schema/staffing.yaml`
    /// fails here until the encoding is written afresh.
    #[test]
    fn builtin_words_encoding_is_the_yaml() {
        let read: WordsFile =
            crate::yaml::from_str(BUILTIN_WORDS, std::path::Path::new("staffing.yaml"))
                .expect("the built-in words are valid");
        let encoded = postcard::to_stdvec(&read).expect("words encode");
        if encoded == BUILTIN_WORDS_READ {
            return;
        }
        if std::env::var_os("MILEPOST_REGENERATE").is_some() {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/src/staffing/builtin_words.postcard"
            );
            std::fs::write(path, &encoded).expect("write the encoding");
            return;
        }
        panic!(
            "src/staffing/builtin_words.postcard is not schema/staffing.yaml: \
             run `MILEPOST_REGENERATE=1 cargo test --lib builtin_words` and commit it"
        );
    }
}
