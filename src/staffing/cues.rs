//! Finding the cue words of every list in a text in one pass, with the
//! light stemming of `schema/staffing.yaml` (a cue matches a word that
//! starts with it and has at most [`MAX_SUFFIX`] more letters).

use std::cell::RefCell;
use std::collections::HashMap;

use aho_corasick::AhoCorasick;

use crate::text::lower_nfc;
use crate::tracking::words::FnvBuild;
use aho_corasick::AhoCorasickKind;

/// How many letters a word may have beyond a cue and still match it.
pub const MAX_SUFFIX: usize = 3;

/// One cue: its words, whether its last word may have any ending (`*`
/// after) and its first any beginning (`*` before), or whether it matches
/// whole words only (a whole list, or one cue written with `$` after it:
/// "han$" is the pronoun, not "handle").
#[derive(Clone, Debug)]
pub(super) struct Cue {
    pub(super) words: Vec<String>,
    pub(super) open: bool,
    pub(super) tail: bool,
    pub(super) exact: bool,
}

impl Cue {
    pub(super) fn parse(text: &str, exact: bool) -> Option<Cue> {
        let lower = lower_nfc(text.trim());
        let (lower, exact) = match lower.strip_suffix('$') {
            Some(body) => (body.to_owned(), true),
            None => (lower, exact),
        };
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

    pub(super) fn matches_at(&self, words: &[&str], at: usize) -> bool {
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

pub(super) fn cues(texts: &[String], exact: bool) -> Vec<Cue> {
    texts
        .iter()
        .filter_map(|text| Cue::parse(text, exact))
        .collect()
}

/// The cue lists a text is searched for. [`CueIndex`] finds all of them in
/// one pass over the words; the classifier and the FTE reader then look up
/// the spans of the list they need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum List {
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
    Resolved,
    Only,
    We,
    Share,
    MonthUnits,
    Awaited,
    Versus,
    Below,
    Trouble,
    About,
    HaveAfter,
    ChangeFrom,
    ChangeTo,
    Instead,
}

impl List {
    pub(super) const ALL: [List; 31] = [
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
        List::Resolved,
        List::Only,
        List::We,
        List::Share,
        List::MonthUnits,
        List::Awaited,
        List::Versus,
        List::Below,
        List::Trouble,
        List::About,
        List::HaveAfter,
        List::ChangeFrom,
        List::ChangeTo,
        List::Instead,
    ];
}

/// What the index needs of a lexicon: its cue lists, and an identity for
/// the per-thread memory of candidates. A trait, so that this module does
/// not depend on the lexicon's (which builds an index of its cues).
pub(super) trait CueLists {
    fn list(&self, list: List) -> &[Cue];
    fn id(&self) -> u64;
}

/// An automaton finding any of `words` in a text, or none for no words.
pub(super) fn words_automaton(words: &[impl AsRef<[u8]>]) -> Option<AhoCorasick> {
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

/// Where a cue lives: its list and its place in it.
#[derive(Clone, Copy, Debug)]
pub(super) struct CueRef {
    pub(super) list: List,
    pub(super) index: usize,
}

/// Every cue list, indexed by first word, so that a text is searched once
/// for all lists instead of once per list. A cue that is not a compound tail
/// can only match a word that starts with its first word, so each word
/// looks up its own prefixes (a handful of hash lookups) rather than trying
/// every cue. Compound-tail cues (`*folk`) may match anywhere in a word: one
/// automaton over their first words finds the candidates in a single scan
/// of the word. Either way [`Cue::matches_at`] has the last word.
#[derive(Clone, Debug, Default)]
pub(super) struct CueIndex {
    pub(super) by_first: HashMap<String, Vec<CueRef>, FnvBuild>,
    /// Byte lengths of the shortest and longest first word in `by_first`.
    pub(super) shortest: usize,
    pub(super) longest: usize,
    /// The first words of the compound-tail cues, and the cues of each.
    pub(super) tail_words: Option<AhoCorasick>,
    pub(super) tails: Vec<Vec<CueRef>>,
}

impl CueIndex {
    pub(super) fn new(lexicon: &dyn CueLists) -> CueIndex {
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
    pub(super) fn find_all(&self, lexicon: &dyn CueLists, words: &[&str]) -> Vec<Vec<Span>> {
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
            if memory.0 != lexicon.id() || memory.1.len() > MAX_REMEMBERED_WORDS {
                memory.0 = lexicon.id();
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
    pub(super) fn candidates(&self, word: &str) -> Box<[CueRef]> {
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
pub(super) const MAX_REMEMBERED_WORDS: usize = 1 << 16;

thread_local! {
    /// [`CueIndex::candidates`] of each word met, for the lexicon with the
    /// id given: the reports of a tree use a few thousand words, and
    /// finding a word's candidates takes an automaton scan and a lookup per
    /// prefix.
    static CANDIDATES: RefCell<(u64, Candidates)> = RefCell::new((0, HashMap::default()));
}

/// Cue candidates by word.
pub(super) type Candidates = HashMap<Box<str>, Box<[CueRef]>, FnvBuild>;

/// A run of words, `start..end` in word indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Span {
    pub(super) start: usize,
    pub(super) end: usize,
}

impl Span {
    pub(super) fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Words from one to the other: 0 when they overlap, 1 when adjacent.
    pub(super) fn distance(&self, other: &Span) -> usize {
        if self.end <= other.start {
            other.start - self.end + 1
        } else if other.end <= self.start {
            self.start - other.end + 1
        } else {
            0
        }
    }
}

pub(super) fn outermost(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    spans.dedup();
    let all = spans.clone();
    spans.retain(|span| {
        !all.iter()
            .any(|other| other != span && other.contains(span))
    });
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staffing::fixtures::{CASES, SEED_ITEM};
    use crate::staffing::tokens::Text;
    use crate::staffing::words::{ExtraWords, Lexicon};

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
}
