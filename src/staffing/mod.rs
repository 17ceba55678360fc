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
//! beginning (Norwegian compounds: "*folk" matches "driftsfolk"); a
//! trailing `$` makes a cue whole-word ("han$" is not "handle"). A cue of
//! several words matches them in a row.
//!
//! # The score
//!
//! | what                                                           | points |
//! |----------------------------------------------------------------|--------|
//! | a people word: noun, role, unit, pronoun, the team counting itself ("vi er 2"), a person's share ("40% i prosjektet") | +2 |
//! | a shortage: a shortage or absence cue, a negated "met" word ("ikke besatt"), "ingen"/"no" before a people word, a count held down ("bare 2"), a part below its whole ("2 av 4") | +2 |
//! | a people word within [`WINDOW`] words of a shortage, in one sentence | +1 |
//! | each not-staff cue (SSD, compute, midler, brukere, …) that the shortage paired with people is nearer to than to them, in its clause | −3 |
//! | a "met" word ("filled", "er tilbake fra") near that shortage   | −3     |
//!
//! Text scoring [`THRESHOLD`] (5) or more is about staff: it takes a people
//! word and a shortage close together, and nothing else the shortage is
//! more plainly about. Sentences end at `.`, `!`, `?` and `;`; clauses also
//! at "men" / "but", which bound the penalties but not the pairing ("en 50%
//! stilling, men den er ikke fylt"). An absence cue that names missing
//! people by itself ("sykemeldt", "vakant", "understaffed") counts as both.
//! A negation up to [`NEGATION_REACH`] words before a cue, or right after
//! it, turns it around. A people noun inside a not-staff phrase does not
//! count ("hjelpe en liten gruppe personer" is about users), and a
//! not-staff word that is what a person does ("ansvaret for lagring") is
//! not what is short. How well this does is measured on labelled data in
//! `tests/data/staffing/` (EVALUATION.md at the top of the repository).
//!
//! Known limits, accepted for a hint-level warning: "we need to talk to the
//! developers" is read as a need for developers, a person's name alone
//! ("Kari slutter") is not a people noun, and "godt nok" is read as "nok".
//!
//! # The numbers
//!
//! [`read_fte`] reads what is needed ("trenger 4 personer", "need 3 FTE",
//! "4 årsverk ut året") and what there is ("1 person 60%", "2 x 50%", "halv
//! stilling", "two engineers at 50%"). A percentage counts only when it
//! belongs to a person, a role or a position; "80% ferdig" and "90 % av
//! diskene" do not. [`describe()`] shows ambiguity rather than hiding it: a
//! shared allocation gives a range.
//!
//! # The modules
//!
//! `words` compiles the word lists, `cues` finds them in a text, `tokens`
//! splits the text, `figures` reads the counts that say something about the
//! team, `classify` scores it, `fte` reads its numbers and `describe` words
//! them for a finding.

mod classify;
mod cues;
mod describe;
mod figures;
#[cfg(test)]
mod fixtures;
mod fte;
mod tokens;
mod words;

pub use classify::{
    Assessment, NEAR_POINTS, NEGATION_REACH, NOT_STAFF_POINTS, PEOPLE_POINTS, RESOLVED_POINTS,
    SHORTAGE_POINTS, THRESHOLD, WINDOW,
};
pub use cues::MAX_SUFFIX;
pub use describe::describe;
pub use fte::{Allocation, Effort, Fte, ShareChange};
pub use words::{ExtraWords, Lexicon};

use crate::text::lower_nfc;
use classify::assess_text;
use fte::FteReader;
use tokens::Text;

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
