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
//!
//! # The modules
//!
//! [`words`] compiles the word lists, [`cues`] finds them in a text,
//! [`tokens`] splits the text, [`classify`] scores it, [`fte`] reads its
//! numbers and [`describe`] words them for a finding.

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
