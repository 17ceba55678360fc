//! Staffing trouble written in prose: whether a sentence is about the team's
//! people running short, and the numbers of people (FTE) it gives.
//!
//! Reports say it in passing ("vi trenger 4 personer ... Vi er nå
//! prosjektleder (100% delt), UiB (1 person 100%) og UiO (1 person 60% og en
//! person 40%)") and nobody adds it up. A full language model would be
//! overkill for a pre-commit hook, and a plain keyword list flags "mangel på
//! SSD" as loudly as "mangel på folk", so this is a small scored lexicon.
//!
//! # The words
//!
//! All words live in `schema/staffing.yaml` (compiled in), in Norwegian and
//! English, so that they can be read and extended without touching code; a
//! repository adds its own under `staffing:` in its config
//! ([`Lexicon::with_extra`]). Text is compared as lower-case NFC words,
//! æøå kept. A cue word matches a word that starts with it and has at most
//! [`MAX_SUFFIX`] more letters, which is light stemming for both languages
//! ("person" matches "personer" and "personell", not "personvern"); in the
//! data a trailing `*` lets any ending through and a leading `*` any
//! beginning (Norwegian compounds: "*folk" matches "driftsfolk"). A cue of
//! several words matches them in a row.
//!
//! # The score
//!
//! | what                                                           | points |
//! |----------------------------------------------------------------|--------|
//! | a people noun (personer, årsverk, bemanning, staff, …)         | +2     |
//! | a shortage or absence cue (mangel på, trenger, ferie, need, …) | +2     |
//! | a people noun within [`WINDOW`] words of a shortage cue, in the same clause | +1 |
//! | each not-staff cue (SSD, compute, servere, brukere, users, …) within [`WINDOW`] words of a shortage cue, in its clause, and nearer to it than any people noun | −3 |
//!
//! Text scoring [`THRESHOLD`] (5) or more is about staff: it takes a people
//! noun and a shortage cue close together, and nothing else the shortage is
//! more plainly about. Clauses end at `.`, `!`, `?`, `;` and at "men" /
//! "but", so two sentences are not read as one thought. An absence cue that
//! names missing people by itself ("sykemeldt", "on leave", "understaffed")
//! counts as both a people noun and a shortage cue. A shortage cue next to a
//! negation ("ingen mangel på", "trenger ikke") does not count. A people noun
//! inside a not-staff phrase does not count ("hjelpe en liten gruppe
//! personer" is about users). The penalty goes to whatever the shortage is
//! nearest to, so "vi mangler folk til å drifte serverne" is about people
//! while "mangel på SSD" and "tom for compute ressurser" are not.
//!
//! Known limits, accepted for a hint-level warning: "we need to talk to the
//! developers" is read as a need for developers, and a person's name alone
//! ("Kari slutter") is not a people noun.
//!
//! # The numbers
//!
//! [`read_fte`] reads what is needed ("trenger 4 personer", "need 3 FTE",
//! "4 årsverk ut året") and what there is ("1 person 60%", "2 x 50%", "halv
//! stilling", "two engineers at 50%"). A percentage counts only when it
//! belongs to a person, a role or a position; "80% ferdig" and "90 % av
//! diskene" do not. [`describe`] shows ambiguity rather than hiding it: a
//! shared allocation gives a range.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use serde::Deserialize;

use crate::error::Result;
use crate::text::lower_nfc;
use crate::tracking::words::FnvBuild;

/// Points for a people noun.
pub const PEOPLE_POINTS: i32 = 2;
/// Points for a shortage or absence cue.
pub const SHORTAGE_POINTS: i32 = 2;
/// Points when a people noun and a shortage cue are within [`WINDOW`] words.
pub const NEAR_POINTS: i32 = 1;
/// Points for each not-staff cue the shortage is about.
pub const NOT_STAFF_POINTS: i32 = -3;
/// The score from which text is about staff: a people noun and a shortage
/// cue near each other, and nothing else they could be about.
pub const THRESHOLD: i32 = 5;
/// How many words apart two cues may be and still be about each other.
pub const WINDOW: usize = 6;
/// How many letters a word may have beyond a cue and still match it.
pub const MAX_SUFFIX: usize = 3;
/// No report counts more people than this; a larger number is a year or a
/// quantity of something else.
const MAX_COUNT: f64 = 100.0;

const BUILTIN_WORDS: &str = include_str!("../schema/staffing.yaml");

/// `schema/staffing.yaml` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WordsFile {
    classify: ClassifyWords,
    fte: FteWords,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClassifyWords {
    people: Vec<String>,
    shortage: Vec<String>,
    absence: Vec<String>,
    negation: Vec<String>,
    not_staff: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FteWords {
    need: Vec<String>,
    short: Vec<String>,
    more: Vec<String>,
    have: Vec<String>,
    units: Vec<String>,
    shared: Vec<String>,
    progress: Vec<String>,
    of: Vec<String>,
    time: Vec<String>,
    and: Vec<String>,
    contrast: Vec<String>,
    multiply: Vec<String>,
    percent: Vec<String>,
    numbers: PerLanguage<HashMap<String, f64>>,
    markers: PerLanguage<Vec<String>>,
    fractions: HashMap<String, f64>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PerLanguage<T> {
    nb: T,
    en: T,
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

/// One cue: its words, whether its last word may have any ending (`*`
/// after) and its first any beginning (`*` before), or whether it matches
/// whole words only.
#[derive(Clone, Debug)]
struct Cue {
    words: Vec<String>,
    open: bool,
    tail: bool,
    exact: bool,
}

impl Cue {
    fn parse(text: &str, exact: bool) -> Option<Cue> {
        let lower = lower_nfc(text.trim());
        let (body, open) = match lower.strip_suffix('*') {
            Some(body) => (body, true),
            None => (lower.as_str(), false),
        };
        let (body, tail) = match body.strip_prefix('*') {
            Some(body) => (body, true),
            None => (body, false),
        };
        let words: Vec<String> = body
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_owned)
            .collect();
        (!words.is_empty()).then_some(Cue {
            words,
            open,
            tail,
            exact,
        })
    }

    fn matches_at(&self, words: &[&str], at: usize) -> bool {
        let last = self.words.len() - 1;
        words.len() >= at + self.words.len()
            && self.words.iter().enumerate().all(|(i, cue)| {
                let word = words[at + i];
                if self.exact {
                    return word == cue;
                }
                let ending_ok =
                    |rest: &str| (self.open && i == last) || rest.chars().count() <= MAX_SUFFIX;
                if self.tail && i == 0 {
                    // A compound ending in the cue: "driftsfolk".
                    word.match_indices(cue.as_str())
                        .any(|(at, _)| ending_ok(&word[at + cue.len()..]))
                } else {
                    word.strip_prefix(cue.as_str()).is_some_and(ending_ok)
                }
            })
    }
}

fn cues(texts: &[String], exact: bool) -> Vec<Cue> {
    texts
        .iter()
        .filter_map(|text| Cue::parse(text, exact))
        .collect()
}

/// The cue lists a text is searched for. [`CueIndex`] finds all of them in
/// one pass over the words; the classifier and the FTE reader then look up
/// the spans of the list they need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum List {
    People,
    Shortage,
    Absence,
    Negation,
    NotStaff,
    Need,
    Short,
    More,
    Have,
    Units,
    Shared,
    Progress,
    Of,
    Time,
    And,
    Contrast,
    Multiply,
}

impl List {
    const ALL: [List; 17] = [
        List::People,
        List::Shortage,
        List::Absence,
        List::Negation,
        List::NotStaff,
        List::Need,
        List::Short,
        List::More,
        List::Have,
        List::Units,
        List::Shared,
        List::Progress,
        List::Of,
        List::Time,
        List::And,
        List::Contrast,
        List::Multiply,
    ];
}

/// Where a cue lives: its list and its place in it.
#[derive(Clone, Copy, Debug)]
struct CueRef {
    list: List,
    index: usize,
}

/// Every cue list, indexed by first word, so that a text is searched once
/// for all lists instead of once per list. A cue that is not a compound tail
/// can only match a word that starts with its first word, so each word
/// looks up its own prefixes (a handful of hash lookups) rather than trying
/// every cue. Compound-tail cues (`*folk`) may match anywhere in a word: one
/// automaton over their first words finds the candidates in a single scan
/// of the word. Either way [`Cue::matches_at`] has the last word.
#[derive(Clone, Debug, Default)]
struct CueIndex {
    by_first: HashMap<String, Vec<CueRef>, FnvBuild>,
    /// Byte lengths of the shortest and longest first word in `by_first`.
    shortest: usize,
    longest: usize,
    /// The first words of the compound-tail cues, and the cues of each.
    tail_words: Option<AhoCorasick>,
    tails: Vec<Vec<CueRef>>,
}

impl CueIndex {
    fn new(lexicon: &Lexicon) -> CueIndex {
        let mut index = CueIndex {
            shortest: usize::MAX,
            ..CueIndex::default()
        };
        let mut tail_words: Vec<&str> = Vec::new();
        for list in List::ALL {
            for (i, cue) in lexicon.list(list).iter().enumerate() {
                let at = CueRef { list, index: i };
                if cue.tail {
                    let first = cue.words[0].as_str();
                    match tail_words.iter().position(|w| *w == first) {
                        Some(pattern) => index.tails[pattern].push(at),
                        None => {
                            tail_words.push(first);
                            index.tails.push(vec![at]);
                        }
                    }
                    continue;
                }
                let first = &cue.words[0];
                index.shortest = index.shortest.min(first.len());
                index.longest = index.longest.max(first.len());
                index.by_first.entry(first.clone()).or_default().push(at);
            }
        }
        index.tail_words = words_automaton(&tail_words);
        index
    }

    /// The spans of `words` each list matches, by [`List`] order, a match
    /// inside a longer one of the same list dropped (`mangel på ssd`
    /// swallows `ssd`).
    fn find_all(&self, lexicon: &Lexicon, words: &[&str]) -> Vec<Vec<Span>> {
        let mut spans: Vec<Vec<Span>> = vec![Vec::new(); List::ALL.len()];
        let mut try_cue = |at: usize, cue: CueRef| {
            let found = &lexicon.list(cue.list)[cue.index];
            if found.matches_at(words, at) {
                spans[cue.list as usize].push(Span {
                    start: at,
                    end: at + found.words.len(),
                });
            }
        };
        CANDIDATES.with(|memory| {
            let mut memory = memory.borrow_mut();
            if memory.0 != lexicon.id || memory.1.len() > MAX_REMEMBERED_WORDS {
                memory.0 = lexicon.id;
                memory.1.clear();
            }
            for (at, word) in words.iter().enumerate() {
                if !memory.1.contains_key(*word) {
                    let found = self.candidates(word);
                    memory.1.insert((*word).into(), found);
                }
                for &cue in memory.1.get(*word).into_iter().flatten() {
                    try_cue(at, cue);
                }
            }
        });
        spans.into_iter().map(outermost).collect()
    }

    /// The cues whose first word may match `word`: compound tails found in
    /// it, and cues whose first word is one of its prefixes.
    /// [`Cue::matches_at`] decides.
    fn candidates(&self, word: &str) -> Box<[CueRef]> {
        let mut found: Vec<CueRef> = Vec::new();
        if let Some(automaton) = &self.tail_words {
            let mut tails: Vec<usize> = automaton
                .find_overlapping_iter(word)
                .map(|found| found.pattern().as_usize())
                .collect();
            tails.sort_unstable();
            tails.dedup();
            for pattern in tails {
                found.extend(&self.tails[pattern]);
            }
        }
        let ends = word
            .char_indices()
            .map(|(i, _)| i)
            .skip(1)
            .chain([word.len()])
            .filter(|&end| self.shortest <= end && end <= self.longest);
        for end in ends {
            found.extend(self.by_first.get(&word[..end]).into_iter().flatten());
        }
        found.into_boxed_slice()
    }
}

/// How many words a thread remembers the cue candidates of before it
/// forgets them all.
const MAX_REMEMBERED_WORDS: usize = 1 << 16;

thread_local! {
    /// [`CueIndex::candidates`] of each word met, for the lexicon with the
    /// id given: the reports of a tree use a few thousand words, and
    /// finding a word's candidates takes an automaton scan and a lookup per
    /// prefix.
    static CANDIDATES: RefCell<(u64, Candidates)> = RefCell::new((0, HashMap::default()));
}

/// Cue candidates by word.
type Candidates = HashMap<Box<str>, Box<[CueRef]>, FnvBuild>;

/// An automaton finding any of `words` in a text, or none for no words.
fn words_automaton(words: &[impl AsRef<[u8]>]) -> Option<AhoCorasick> {
    if words.is_empty() {
        return None;
    }
    // A contiguous NFA: cheap to build, which the commit hook pays on every
    // run, where a DFA would pay its construction for a few short texts.
    // Building fails only on sizes far beyond any word list.
    AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(words)
        .ok()
}

fn number_map(map: &HashMap<String, f64>) -> HashMap<String, f64> {
    map.iter()
        .map(|(word, value)| (lower_nfc(word.trim()), *value))
        .collect()
}

/// The language a text is most likely in, for number words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Language {
    Norwegian,
    English,
    Unsure,
}

/// The words the classifier and the FTE reader use, compiled.
#[derive(Clone, Debug)]
pub struct Lexicon {
    people: Vec<Cue>,
    shortage: Vec<Cue>,
    absence: Vec<Cue>,
    negation: Vec<Cue>,
    not_staff: Vec<Cue>,
    need: Vec<Cue>,
    short: Vec<Cue>,
    more: Vec<Cue>,
    have: Vec<Cue>,
    units: Vec<Cue>,
    shared: Vec<Cue>,
    progress: Vec<Cue>,
    of: Vec<Cue>,
    time: Vec<Cue>,
    and: Vec<Cue>,
    contrast: Vec<Cue>,
    multiply: Vec<Cue>,
    percent: Vec<Cue>,
    numbers: PerLanguage<HashMap<String, f64>>,
    markers: PerLanguage<HashSet<String, FnvBuild>>,
    fractions: HashMap<String, f64>,
    /// Matches text that holds any people or absence cue's first word: no
    /// item can be about staff without one, so most items are dismissed by
    /// one search instead of a scan of every cue at every word.
    people_filter: Option<AhoCorasick>,
    /// Every list above, for [`Text::new`]'s one search.
    index: CueIndex,
    /// The single-word contrast and percent cues (both whole-word lists),
    /// which the tokeniser and the clause splitter test word by word.
    contrast_words: HashSet<String, FnvBuild>,
    percent_words: HashSet<String, FnvBuild>,
    /// Tells lexicons apart for what is remembered per lexicon (a clone has
    /// the same words and keeps it).
    id: u64,
}

/// The next [`Lexicon`] id.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

static BUILTIN: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::parse(BUILTIN_WORDS, Path::new("<built-in schema/staffing.yaml>"))
        .unwrap_or_else(|err| panic!("the built-in staffing words are valid: {err}"))
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

    /// Whether `text` holds a word for people at all: without one it
    /// cannot be about staff, and [`assess`] need not run (the check runs
    /// over every challenges item of every report).
    pub fn may_concern_people(&self, text: &str) -> bool {
        let lower = lower_nfc(text);
        self.people_filter
            .as_ref()
            .is_some_and(|filter| filter.is_match(&lower))
    }

    fn list(&self, list: List) -> &[Cue] {
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
        }
    }

    /// Sorts every cue list, builds the people filter and the cue index;
    /// every constructor ends here.
    fn with_filter(mut self) -> Lexicon {
        // One automaton for all the words: cheap to build (the commit hook
        // builds it on every run) and one scan of the text.
        let mut firsts: Vec<String> = self
            .people
            .iter()
            .chain(&self.absence)
            .filter_map(|cue| cue.words.first().cloned())
            .collect();
        firsts.sort();
        firsts.dedup();
        self.people_filter = words_automaton(&firsts);
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

    /// Reads a words file in the shape of `schema/staffing.yaml`.
    fn parse(text: &str, path: &Path) -> Result<Lexicon> {
        let file: WordsFile = crate::yaml::from_str(text, path)?;
        let (c, f) = (file.classify, file.fte);
        Ok(Lexicon {
            people: cues(&c.people, false),
            shortage: cues(&c.shortage, false),
            absence: cues(&c.absence, false),
            negation: cues(&c.negation, true),
            not_staff: cues(&c.not_staff, false),
            need: cues(&f.need, false),
            short: cues(&f.short, false),
            more: cues(&f.more, false),
            have: cues(&f.have, false),
            units: cues(&f.units, false),
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
            index: CueIndex::default(),
            contrast_words: HashSet::default(),
            percent_words: HashSet::default(),
            id: 0,
        }
        .with_filter())
    }

    fn language(&self, words: &[&str]) -> Language {
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
    fn number(&self, word: &str, language: Language) -> Option<f64> {
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

/// What the classifier made of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment {
    /// Whether the text is about the team's people running short.
    pub about_staff: bool,
    pub score: i32,
    /// Why, one entry per scoring step ("people `personer` (+2)"), so that a
    /// surprising verdict can be understood and a word added to the config.
    pub reasons: Vec<String>,
}

/// A run of words, `start..end` in word indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Span {
    start: usize,
    end: usize,
}

impl Span {
    fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Words from one to the other: 0 when they overlap, 1 when adjacent.
    fn distance(&self, other: &Span) -> usize {
        if self.end <= other.start {
            other.start - self.end + 1
        } else if other.end <= self.start {
            self.start - other.end + 1
        } else {
            0
        }
    }
}

fn outermost(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    spans.dedup();
    let all = spans.clone();
    spans.retain(|span| {
        !all.iter()
            .any(|other| other != span && other.contains(span))
    });
    spans
}

/// What a token is; punctuation matters to the FTE reader, which must not
/// join "1 person 60%" to the next clause.
#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Word,
    /// A number with `%` or "prosent" after it, as a percentage.
    Percent(f64),
    PercentSign,
    Open,
    Close,
    Comma,
    Break,
}

/// A token's text borrows from the lowered text; only a number written
/// with a decimal comma ("1,5", read as "1.5") is a copy.
#[derive(Clone, Debug)]
struct Token<'t> {
    kind: Kind,
    text: Cow<'t, str>,
}

/// A text as tokens: lower-case NFC words and the punctuation that matters.
struct Text<'t> {
    tokens: Vec<Token<'t>>,
    /// The token index of each word.
    words: Vec<usize>,
    language: Language,
    /// The matches of every cue list, by [`List`].
    spans: Vec<Vec<Span>>,
}

impl<'t> Text<'t> {
    /// Tokens of `lower`, which is [`lower_nfc`] of the text.
    fn new(lower: &'t str, lexicon: &Lexicon) -> Text<'t> {
        let mut raw = tokenize(lower).into_iter().peekable();
        let mut tokens: Vec<Token> = Vec::with_capacity(raw.len());
        while let Some(mut token) = raw.next() {
            let value = (token.kind == Kind::Word
                && token.text.starts_with(|c: char| c.is_ascii_digit()))
            .then(|| token.text.parse::<f64>().ok())
            .flatten();
            let next_is_percent = |next: &Token| {
                next.kind == Kind::PercentSign
                    || (next.kind == Kind::Word
                        && lexicon.percent_words.contains(next.text.as_ref()))
            };
            match value {
                // The text stays the number's; [`FteReader::quote`] adds
                // the `%`.
                Some(value) if raw.next_if(next_is_percent).is_some() => {
                    token.kind = Kind::Percent(value);
                    tokens.push(token);
                }
                _ if token.kind == Kind::PercentSign => {}
                _ => tokens.push(token),
            }
        }
        let words: Vec<usize> = (0..tokens.len())
            .filter(|&i| tokens[i].kind == Kind::Word)
            .collect();
        let mut text = Text {
            tokens,
            words,
            language: Language::Unsure,
            spans: Vec::new(),
        };
        let words = text.word_strs();
        let language = lexicon.language(&words);
        let spans = lexicon.index.find_all(lexicon, &words);
        text.language = language;
        text.spans = spans;
        text
    }

    /// Where the cues of `list` are, in word indices.
    fn spans(&self, list: List) -> &[Span] {
        &self.spans[list as usize]
    }

    /// The clause of each word: sentences split at `.`, `!`, `?` and `;`,
    /// and at contrast words ("men", "but").
    fn clauses(&self, lexicon: &Lexicon) -> Vec<usize> {
        let mut clause = 0;
        let mut clauses = Vec::with_capacity(self.words.len());
        for token in &self.tokens {
            match token.kind {
                Kind::Break => clause += 1,
                Kind::Word => {
                    if lexicon.contrast_words.contains(token.text.as_ref()) {
                        clause += 1;
                    }
                    clauses.push(clause);
                }
                _ => {}
            }
        }
        clauses
    }

    fn word_strs(&self) -> Vec<&str> {
        self.words
            .iter()
            .map(|&i| self.tokens[i].text.as_ref())
            .collect()
    }
}

/// Splits lower-case text into words, numbers (`1,5` and `1.5` are one
/// number) and the punctuation the FTE reader needs.
fn tokenize<'t>(text: &'t str) -> Vec<Token<'t>> {
    let mut tokens = Vec::new();
    // The word being read: `text[start..end]`, and whether it took a
    // decimal comma.
    let (mut start, mut end, mut comma) = (0, 0, false);
    // Whether the word is digits and dots so far, starting with a digit.
    let mut is_number = false;
    let flush = |start: usize, end: usize, comma: bool, tokens: &mut Vec<Token<'t>>| {
        if start < end {
            let word = &text[start..end];
            tokens.push(Token {
                kind: Kind::Word,
                text: if comma {
                    Cow::Owned(word.replace(',', "."))
                } else {
                    Cow::Borrowed(word)
                },
            });
        }
    };
    let punct = |kind: Kind, text: &'static str| Token {
        kind,
        text: Cow::Borrowed(text),
    };
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = at + c.len_utf8();
        if c.is_alphanumeric() {
            // "2x50%" and "50prosent": a number ends where letters begin.
            let word = &text[start..end];
            if (is_number && !c.is_ascii_digit()) || (word == "x" && c.is_ascii_digit()) {
                flush(start, end, comma, &mut tokens);
                (start, end, comma) = (at, at, false);
            }
            is_number = if start == end {
                start = at;
                c.is_ascii_digit()
            } else {
                is_number && c.is_ascii_digit()
            };
            end = next;
            continue;
        }
        if (c == ',' || c == '.')
            && is_number
            && chars.peek().is_some_and(|(_, d)| d.is_ascii_digit())
        {
            comma |= c == ',';
            end = next;
            continue;
        }
        flush(start, end, comma, &mut tokens);
        (start, end, comma) = (next, next, false);
        is_number = false;
        match c {
            '%' => tokens.push(punct(Kind::PercentSign, "%")),
            '×' => tokens.push(punct(Kind::Word, "x")),
            '(' | '[' => tokens.push(punct(Kind::Open, "(")),
            ')' | ']' => tokens.push(punct(Kind::Close, ")")),
            ',' => tokens.push(punct(Kind::Comma, ",")),
            '.' | '!' | '?' | ';' => tokens.push(punct(Kind::Break, ".")),
            _ => {}
        }
    }
    flush(start, end, comma, &mut tokens);
    tokens
}

/// Scores `text` (one item of a report) as described in the module docs.
pub fn assess(text: &str, lexicon: &Lexicon) -> Assessment {
    assess_text(&Text::new(&lower_nfc(text), lexicon), lexicon)
}

/// [`assess`], and when the text is about staff [`read_fte_with`], from one
/// tokenisation: the rule needs both for every flagged item.
pub fn assess_and_read(text: &str, lexicon: &Lexicon) -> (Assessment, Option<Fte>) {
    let lower = lower_nfc(text);
    let text = Text::new(&lower, lexicon);
    let assessment = assess_text(&text, lexicon);
    let fte = assessment
        .about_staff
        .then(|| FteReader::new(&text, lexicon).read());
    (assessment, fte)
}

fn assess_text(text: &Text, lexicon: &Lexicon) -> Assessment {
    let words = text.word_strs();
    let quote = |span: &Span| words[span.start..span.end].join(" ");
    let not_staff = text.spans(List::NotStaff);
    let absence = text.spans(List::Absence);
    let mut reasons = Vec::new();

    let mut people = Vec::new();
    for &span in text.spans(List::People) {
        match not_staff.iter().find(|n| n.contains(&span)) {
            Some(outer) => reasons.push(format!(
                "`{}` in `{}` is not the team",
                quote(&span),
                quote(outer)
            )),
            None => people.push(span),
        }
    }
    people.extend(absence);
    let people = outermost(people);
    let negation = text.spans(List::Negation);
    let negated = |span: &Span| {
        negation
            .iter()
            .any(|n| n.end == span.start || n.start == span.end)
    };
    let mut shortage = Vec::new();
    for &span in text.spans(List::Shortage) {
        if negated(&span) {
            reasons.push(format!("`{}` is negated", quote(&span)));
        } else {
            shortage.push(span);
        }
    }
    shortage.extend(absence);
    let shortage = outermost(shortage);

    let mut score = 0;
    if let Some(first) = people.first() {
        score += PEOPLE_POINTS;
        reasons.push(format!("people `{}` ({PEOPLE_POINTS:+})", quote(first)));
    }
    if let Some(first) = shortage.first() {
        score += SHORTAGE_POINTS;
        reasons.push(format!("shortage `{}` ({SHORTAGE_POINTS:+})", quote(first)));
    }
    let clauses = text.clauses(lexicon);
    // Words apart, when in the same clause: "vi har nok servere, men mangler
    // folk" is about people, and two sentences are two things.
    let apart = |a: &Span, b: &Span| (clauses[a.start] == clauses[b.start]).then(|| a.distance(b));
    let nearest = people
        .iter()
        .flat_map(|p| {
            shortage
                .iter()
                .filter_map(move |s| Some((apart(p, s)?, p, s)))
        })
        .min_by_key(|(distance, ..)| *distance);
    if let Some((distance, p, s)) = nearest.filter(|(distance, ..)| *distance <= WINDOW) {
        score += NEAR_POINTS;
        reasons.push(if p == s {
            format!("`{}` names both ({NEAR_POINTS:+})", quote(p))
        } else {
            let words = if distance == 1 { "word" } else { "words" };
            format!(
                "`{}` {distance} {words} from `{}` ({NEAR_POINTS:+})",
                quote(p),
                quote(s)
            )
        });
    }
    for thing in not_staff {
        let what_is_short = shortage.iter().any(|s| {
            let Some(distance) = apart(thing, s) else {
                return false;
            };
            let nearest_person = people.iter().filter_map(|p| apart(p, s)).min();
            distance <= WINDOW && nearest_person.is_none_or(|person| distance < person)
        });
        if what_is_short {
            score += NOT_STAFF_POINTS;
            reasons.push(format!(
                "`{}` is not people ({NOT_STAFF_POINTS:+})",
                quote(thing)
            ));
        }
    }
    Assessment {
        about_staff: score >= THRESHOLD,
        score,
        reasons,
    }
}

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
    fn percent(&self) -> String {
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
}

/// Reads the FTE numbers of `text` with the built-in words.
pub fn read_fte(text: &str) -> Fte {
    read_fte_with(text, Lexicon::builtin())
}

/// Reads the FTE numbers of `text` with `lexicon`'s words (a repository's
/// own people nouns included).
pub fn read_fte_with(text: &str, lexicon: &Lexicon) -> Fte {
    let lower = lower_nfc(text);
    let text = Text::new(&lower, lexicon);
    FteReader::new(&text, lexicon).read()
}

/// A noun phrase before a people noun: "4 dedikerte", "to halve", "two
/// full-time".
#[derive(Clone, Copy, Debug, Default)]
struct Phrase {
    count: Option<f64>,
    fraction: Option<f64>,
    /// First token of the phrase.
    start: usize,
}

/// Per-token flags for each word list, so the reader asks "is token i a
/// people noun?" without matching again.
struct Marks {
    people: Vec<bool>,
    units: Vec<bool>,
    shared: Vec<bool>,
    progress: Vec<bool>,
    of: Vec<bool>,
    time: Vec<bool>,
    and: Vec<bool>,
    contrast: Vec<bool>,
    multiply: Vec<bool>,
    more: Vec<bool>,
    not_staff: Vec<bool>,
    /// The last token of a `need`, `short` or `have` cue.
    need_end: Vec<bool>,
    short_end: Vec<bool>,
    have_end: Vec<bool>,
}

struct FteReader<'a> {
    lexicon: &'a Lexicon,
    text: &'a Text<'a>,
    marks: Marks,
    used: Vec<bool>,
}

impl<'a> FteReader<'a> {
    fn new(text: &'a Text, lexicon: &'a Lexicon) -> Self {
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
        };
        FteReader {
            lexicon,
            text,
            marks,
            used: vec![false; n],
        }
    }

    fn kind(&self, i: usize) -> &Kind {
        &self.text.tokens[i].kind
    }

    fn word(&self, i: usize) -> Option<&str> {
        let token = self.text.tokens.get(i)?;
        (token.kind == Kind::Word).then_some(token.text.as_ref())
    }

    fn number(&self, i: usize) -> Option<f64> {
        self.word(i)
            .and_then(|word| self.lexicon.number(word, self.text.language))
            .filter(|n| *n <= MAX_COUNT)
    }

    fn fraction(&self, i: usize) -> Option<f64> {
        self.word(i)
            .and_then(|word| self.lexicon.fractions.get(word).copied())
    }

    fn is_noun(&self, i: usize) -> bool {
        (self.marks.people[i] || self.marks.units[i]) && !self.used[i]
    }

    fn use_range(&mut self, start: usize, end: usize) {
        for used in &mut self.used[start..=end] {
            *used = true;
        }
    }

    fn quote(&self, start: usize, end: usize) -> String {
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

    fn read(mut self) -> Fte {
        let mut fte = Fte::default();
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
        fte
    }

    /// The count and share before people noun `noun`, not looking before
    /// `floor`: "4 dedikerte personer", "to halve stillinger", "two
    /// full-time engineers". One other word may stand between.
    fn phrase_before(&self, noun: usize, floor: usize) -> Phrase {
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
    fn owner_before(&self, at: usize) -> Option<Phrase> {
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
    fn is_staffing_percent(&self, p: usize) -> bool {
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
    fn trailing(&self, from: usize) -> (bool, bool, usize) {
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
    fn percent_after(&self, noun: usize) -> Option<(usize, f64)> {
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
    fn read_needs(&mut self, fte: &mut Fte) {
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
            if found {
                let slot = if more { &mut fte.more } else { &mut fte.need };
                *slot = Some(slot.map_or(sum, |before| before.max(sum)));
            }
        }
    }

    /// "1 person 60%", "prosjektleder (100% delt)", "2 x 50%", "two
    /// engineers at 50%", "80 % stilling".
    fn read_percentages(&mut self) -> Vec<Allocation> {
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
    fn read_fractions(&mut self) -> Vec<Allocation> {
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
    fn have_before(&self, start: usize) -> bool {
        (start.saturating_sub(5)..start)
            .rev()
            .take_while(|&k| *self.kind(k) != Kind::Break)
            .any(|k| self.marks.have_end[k])
    }

    /// "4 årsverk ut året" (a need) or "vi har 3 årsverk" (what there is).
    fn read_units(&mut self, fte: &mut Fte, shares: &mut Vec<Allocation>) {
        for u in 0..self.text.tokens.len() {
            if !self.marks.units[u] || self.used[u] {
                continue;
            }
            let phrase = self.phrase_before(u, 0);
            let Some(count) = phrase.count else { continue };
            let value = count * phrase.fraction.unwrap_or(1.0);
            if self.have_before(phrase.start) {
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
    fn read_counts_after_have(&mut self) -> Vec<Allocation> {
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

/// The numbers of `fte` as one line for a finding, ambiguity shown: "needs
/// 4.0 FTE, reported 3.0 (2.5 if the shared 100% counts as half): short 1.0
/// to 1.5". `None` when the text gave no numbers.
pub fn describe(fte: &Fte) -> Option<String> {
    let shared: Vec<String> = fte
        .shares
        .iter()
        .filter(|a| a.shared)
        .map(Allocation::percent)
        .collect();
    let note = match fte.have_if_shared_halved {
        Some(halved) if !shared.is_empty() => {
            let verb = if shared.len() == 1 { "counts" } else { "count" };
            format!(
                " ({halved:.1} if the shared {} {verb} as half)",
                shared.join(" and ")
            )
        }
        _ => String::new(),
    };
    let mut text = String::new();
    match (fte.need, fte.more, fte.have) {
        (Some(need), more, have) => {
            let _ = write!(text, "needs {need:.1} FTE");
            if let Some(more) = more {
                let _ = write!(text, " ({more:.1} more)");
            }
            match have {
                Some(have) => {
                    let short = shortfall(need, have, fte.have_if_shared_halved);
                    let _ = write!(text, ", reported {have:.1}{note}: {short}");
                }
                None => text.push_str("; current staffing not given"),
            }
        }
        (None, Some(more), have) => {
            let _ = write!(text, "needs {more:.1} more FTE");
            if let Some(have) = have {
                let _ = write!(text, ", reported {have:.1}{note}");
            }
        }
        (None, None, Some(have)) => {
            let _ = write!(text, "reported {have:.1} FTE{note}; the need is not given");
        }
        (None, None, None) => return None,
    }
    Some(text)
}

/// "short 1.0", "short 1.0 to 1.5" or "no shortfall", to a tenth.
fn shortfall(need: f64, have: f64, halved: Option<f64>) -> String {
    let tenth = |x: f64| (x * 10.0).round() / 10.0;
    let low = tenth(need - have).max(0.0);
    let high = tenth(need - halved.unwrap_or(have));
    if high <= 0.0 {
        "no shortfall".into()
    } else if (high - low).abs() < 0.05 {
        format!("short {low:.1}")
    } else {
        format!("short {low:.1} to {high:.1}")
    }
}

/// The most recent current staffing in a series of readings (one per
/// report, by date): the `have` of the latest entry that has one, with its
/// date. Entries without numbers are skipped rather than read as zero, since
/// a report that does not mention staffing has not lost its people. On equal
/// dates the later entry wins.
pub fn latest_allocation<D: Ord + Copy>(series: &[(D, Fte)]) -> Option<(D, f64)> {
    series
        .iter()
        .filter_map(|(date, fte)| fte.have.map(|have| (*date, have)))
        .max_by(|a, b| a.0.cmp(&b.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_ITEM: &str = "I :doc:`../plans/production` har jeg skrevet at vi trenger 4 personer frem \
til nyttår for å komme i produksjon. Vi er nå prosjektleder (100% delt), \
UiB (1 person 100%) og UiO (1 person 60% og en person 40%). Det ser ikke ut \
til å berøre datoene i leveransen, men vil kunne påvirke innholdet dersom vi \
støter på større utfordringer.";

    const SEED_API_ITEM: &str = "API-tilgang er ikke optimal slik den er satt opp nå, men det fungerer. Ser \
ingen enkel fiks som kan løse det før vi går i produksjon i november. \
Det blir da viktig å gjøre brukerne kjent med hvilke utfordringer som gjelder.";

    /// (text, about staff?)
    const CASES: &[(&str, bool)] = &[
        // The brief's examples and the seed's Utfordringer.
        (
            "Hovedgrunnen er mangel på dedikert personer i prosjekt",
            true,
        ),
        ("vi trenger 4 personer frem til nyttår", true),
        (
            "Pga ferie og konferanser blir det begrenset bemanning i mai",
            true,
        ),
        (SEED_ITEM, true),
        ("Vi begynner å gå tom for compute ressurser", false),
        (
            "Mangel på SSD gjør at diskene ikke kommer før i juni",
            false,
        ),
        (
            "Mangel på SSD gjør at diskene til ceph ikke kommer før i juni",
            false,
        ),
        (
            "Det blir da viktig å gjøre brukerne kjent med hvilke utfordringer som gjelder",
            false,
        ),
        (
            "Vi skal hjelpe en liten gruppe personer med å komme i gang",
            false,
        ),
        (SEED_API_ITEM, false),
        // Norwegian, about staff.
        ("Vi vil trenge 4 årsverk ut året", true),
        ("Kari er sykemeldt ut oktober", true),
        ("To av utviklerne har permisjon i desember", true),
        ("En av utviklerne slutter i januar", true),
        ("Vi mangler folk til å drifte serverne", true),
        ("Vi har for få ansatte til å dekke vaktordningen", true),
        ("Prosjektet er underbemannet i høst", true),
        ("Stillingen som prosjektleder er fortsatt ledig", true),
        ("Vi trenger en person i 50 % stilling til drift", true),
        ("Behov for 2 årsverk til i 2017", true),
        ("Per er i foreldrepermisjon fra mars", true),
        (
            "Mangel på utviklere gjør at DNS for instanser blir forsinket",
            true,
        ),
        ("Vi trenger flere folk som kan Puppet", true),
        // English, about staff.
        (
            "We need two more engineers to meet the November deadline",
            true,
        ),
        ("Two engineers are on leave in December", true),
        ("The team is understaffed until the new hire starts", true),
        ("We are short of developers for the upgrade", true),
        ("Our only sysadmin resigned last week", true),
        ("Limited staff during the summer holidays", true),
        ("Headcount is not enough to run both sites", true),
        ("We lack people with Ceph experience", true),
        ("Sick leave in the ops team means fewer hands on call", true),
        // Norwegian, not about staff.
        (
            "Kapasiteten i osl er snart brukt opp: 90 % av diskene er fulle.",
            false,
        ),
        (
            "Leveransen av SSD fra leverandør er forsinket til uke 44.",
            false,
        ),
        ("Vi trenger flere servere for å hjelpe 30 personer", false),
        ("Personvern er en utfordring for prosjektet", false),
        ("Oppgraderingen er 80% ferdig", false),
        (
            "test02 ved USIT er satt opp, men mangler forsatt public nett",
            false,
        ),
        ("Supporten for mitaka slutter i oktober", false),
        ("Vi mangler lisenser for 20 brukere", false),
        ("Det mangler minne og CPU på compute-nodene", false),
        ("Folk fra UiB deltar på workshop i uke 40", false),
        ("Vi trenger mer tid til testing før produksjon", false),
        ("Vi trenger 4 nye servere til bgo", false),
        ("Mange brukere trenger hjelp med å komme i gang", false),
        // English, not about staff.
        ("The storage cluster is short of capacity", false),
        ("We need more hardware before the launch", false),
        ("Users need better documentation for the API", false),
        ("Customers report that the dashboard is slow", false),
        ("Some people reported slow instances", false),
        ("We are running out of disk space on the Ceph nodes", false),
        ("The developers finished the DNS service", false),
        ("We need 3 more nodes for the compute cluster", false),
    ];

    /// The plain search the cue index replaced: every cue of a list tried at
    /// every word.
    fn find_naive(cues: &[Cue], words: &[&str]) -> Vec<Span> {
        let spans = (0..words.len())
            .flat_map(|at| {
                cues.iter()
                    .filter(move |cue| cue.matches_at(words, at))
                    .map(move |cue| Span {
                        start: at,
                        end: at + cue.words.len(),
                    })
            })
            .collect();
        outermost(spans)
    }

    #[test]
    fn tokenizer_keeps_numbers_words_and_the_punctuation_that_matters() {
        let tokens = tokenize("2x50% og 1,5 årsverk × 2 (100% delt). 50prosent v2.0; ok!");
        let shown: Vec<(Kind, &str)> = tokens
            .iter()
            .map(|t| (t.kind.clone(), t.text.as_ref()))
            .collect();
        use Kind::*;
        assert_eq!(
            shown,
            vec![
                (Word, "2"),
                (Word, "x"),
                (Word, "50"),
                (PercentSign, "%"),
                (Word, "og"),
                (Word, "1.5"),
                (Word, "årsverk"),
                (Word, "x"),
                (Word, "2"),
                (Open, "("),
                (Word, "100"),
                (PercentSign, "%"),
                (Word, "delt"),
                (Close, ")"),
                (Break, "."),
                (Word, "50"),
                (Word, "prosent"),
                (Word, "v2"),
                (Break, "."),
                (Word, "0"),
                (Break, "."),
                (Word, "ok"),
                (Break, "."),
            ]
        );
        // Only the decimal comma is a copy; everything else borrows.
        let copies: Vec<&str> = tokens
            .iter()
            .filter(|t| matches!(t.text, Cow::Owned(_)))
            .map(|t| t.text.as_ref())
            .collect();
        assert_eq!(copies, vec!["1.5"]);
    }

    #[test]
    fn remembered_cue_candidates_are_forgotten_when_too_many() {
        let lexicon = Lexicon::builtin();
        let many: Vec<String> = (0..=MAX_REMEMBERED_WORDS)
            .map(|i| format!("ord{i}"))
            .collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        lexicon.index.find_all(lexicon, &many);
        let lower = lower_nfc(SEED_ITEM);
        let text = Text::new(&lower, lexicon);
        CANDIDATES.with(|memory| assert!(memory.borrow().1.len() < 1000));
        let words = text.word_strs();
        assert_eq!(
            text.spans(List::People),
            find_naive(lexicon.list(List::People), &words)
        );
        assert!(!text.spans(List::People).is_empty());
    }

    #[test]
    fn the_cue_index_finds_what_a_plain_search_finds() {
        let lexicon = Lexicon::with_extra(&ExtraWords {
            people: vec!["*vakt".into(), "driftsperson*".into(), "on call".into()],
            ..ExtraWords::default()
        });
        let mut texts: Vec<&str> = CASES.iter().map(|(text, _)| *text).collect();
        texts.extend([
            "Driftsvaktene og personalressursene mangler; vi er 2 x 50% og en halv stilling",
            "The on-call engineers are on leave, and we need 1.5 FTE (shared) until March",
            "Personvern, personellet og personalressurs: ingen mangel på folk, men på SSD",
            "",
            "æøå ÆØÅ 100 % 3,5 personer × 2",
        ]);
        let mut found = 0;
        // Alternating lexicons: what a thread remembers of one must not
        // answer for the other (the extra words match more).
        for lexicon in [&lexicon, Lexicon::builtin(), &lexicon] {
            for text in &texts {
                let lower = lower_nfc(text);
                let text = Text::new(&lower, lexicon);
                let words = text.word_strs();
                for list in List::ALL {
                    let expected = find_naive(lexicon.list(list), &words);
                    assert_eq!(text.spans(list), expected, "{list:?} in {words:?}");
                    found += expected.len();
                }
            }
        }
        assert!(
            found > 100,
            "only {found} matches: the texts exercise too little"
        );
    }

    #[test]
    fn classifies_the_table() {
        assert!(CASES.len() >= 40);
        let lexicon = Lexicon::builtin();
        let wrong: Vec<String> = CASES
            .iter()
            .filter_map(|(text, expected)| {
                let assessment = assess(text, lexicon);
                (assessment.about_staff != *expected).then(|| {
                    format!(
                        "expected {expected}, score {}: {text}\n  {:?}",
                        assessment.score, assessment.reasons
                    )
                })
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn reasons_explain_the_score() {
        let assessment = assess("vi trenger 4 personer frem til nyttår", Lexicon::builtin());
        assert_eq!(assessment.score, 5);
        assert_eq!(
            assessment.reasons,
            [
                "people `personer` (+2)",
                "shortage `trenger` (+2)",
                "`personer` 2 words from `trenger` (+1)"
            ]
        );
        let compute = assess(
            "Vi begynner å gå tom for compute ressurser",
            Lexicon::builtin(),
        );
        assert_eq!(compute.score, -1);
        assert!(
            compute
                .reasons
                .contains(&"`compute ressurser` is not people (-3)".to_owned()),
            "{:?}",
            compute.reasons
        );
        let users = assess(
            "Vi skal hjelpe en liten gruppe personer med å komme i gang",
            Lexicon::builtin(),
        );
        assert!(users.score < THRESHOLD);
        assert_eq!(
            users.reasons[0],
            "`personer` in `hjelpe en liten gruppe personer` is not the team"
        );
    }

    #[test]
    fn decomposed_text_matches() {
        // "å" as "a" + combining ring, as macOS writes it.
        let text = "Vi trenger 2 a\u{30a}rsverk til";
        assert!(assess(text, Lexicon::builtin()).about_staff);
        assert_eq!(read_fte(text).need, Some(2.0));
    }

    #[test]
    fn extra_words_extend_the_builtin_ones() {
        let text = "Vi mangler postdocer til høsten";
        assert!(!assess(text, Lexicon::builtin()).about_staff);
        let extra = ExtraWords {
            people: vec!["postdoc".into()],
            ..ExtraWords::default()
        };
        assert!(assess(text, &Lexicon::with_extra(&extra)).about_staff);

        // The shortage is nearer the machines than the people.
        let text = "Vi trenger 10 nye studentmaskiner til ansatte";
        assert!(assess(text, Lexicon::builtin()).about_staff);
        let extra = ExtraWords {
            not_staff: vec!["studentmaskin".into()],
            ..ExtraWords::default()
        };
        assert!(!assess(text, &Lexicon::with_extra(&extra)).about_staff);

        let extra = ExtraWords {
            absence: vec!["avspasering".into()],
            ..ExtraWords::default()
        };
        assert!(assess("Ola har avspasering i uke 30", &Lexicon::with_extra(&extra)).about_staff);
    }

    #[test]
    fn extra_words_deny_unknown_keys() {
        let ok: ExtraWords =
            crate::yaml::from_str("people: [postdoc]\nnot_staff: [lustre]\n", Path::new("x"))
                .unwrap();
        assert_eq!(ok.people, ["postdoc"]);
        let err = crate::yaml::from_str::<ExtraWords>("peple: [x]\n", Path::new("x"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `peple`"), "{err}");
    }

    #[test]
    fn prefix_rule_is_light() {
        let cue = Cue::parse("person", false).unwrap();
        let matches = |word: &str| cue.matches_at(&[word], 0);
        assert!(matches("person"));
        assert!(matches("personer"));
        assert!(matches("personell"));
        assert!(!matches("personvern"));
        assert!(!matches("perso"));
        let open = Cue::parse("sykemeld*", false).unwrap();
        assert!(open.matches_at(&["sykemeldingene"], 0));
        let exact = Cue::parse("og", true).unwrap();
        assert!(!exact.matches_at(&["også"], 0));
    }

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
    fn describe_shapes() {
        let need = Fte {
            need: Some(4.0),
            ..Fte::default()
        };
        assert_eq!(
            describe(&need).as_deref(),
            Some("needs 4.0 FTE; current staffing not given")
        );
        let covered = read_fte("Vi trenger 2 personer. Vi er nå 1 person 100% og 1 person 100%");
        assert_eq!(
            describe(&covered).as_deref(),
            Some("needs 2.0 FTE, reported 2.0: no shortfall")
        );
        let short = read_fte("need 3 FTE; we have 1 person 100%, 2 x 50%");
        assert_eq!(
            describe(&short).as_deref(),
            Some("needs 3.0 FTE, reported 2.0: short 1.0")
        );
        let more = read_fte("We need 2 more developers; we have 1 developer at 100%");
        assert_eq!(
            describe(&more).as_deref(),
            Some("needs 2.0 more FTE, reported 1.0")
        );
    }

    #[test]
    fn latest_allocation_skips_reports_without_numbers() {
        let have = |h: f64| Fte {
            have: Some(h),
            ..Fte::default()
        };
        let series = [
            (38, have(3.0)),
            (40, Fte::default()),
            (39, have(2.5)),
            (39, have(2.0)),
        ];
        assert_eq!(latest_allocation(&series), Some((39, 2.0)));
        assert_eq!(latest_allocation::<u32>(&[]), None);
        assert_eq!(latest_allocation(&[(1, Fte::default())]), None);
    }

    #[test]
    fn builtin_words_parse_and_reject_duplicates() {
        assert!(!Lexicon::builtin().people.is_empty());
        let twice = BUILTIN_WORDS.replacen("classify:", "classify:\n  people: []", 1);
        let err = Lexicon::parse(&twice, Path::new("w.yaml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("w.yaml:"), "{err}");
    }
}
