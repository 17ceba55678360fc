//! What the wordings of a series say, read once per distinct wording and
//! kept between runs.
//!
//! Most entries are copied unchanged from the report before, so a series
//! of 500 reports has about 5,000 distinct wordings for 12,000 entries.
//! Each is read for the names it writes (which make the series'
//! vocabulary, [`identity::learnt`]), whether it says it is done, its
//! content words and their keys, and its names and versions as the
//! vocabulary makes them ([`identity::ids`]). That reading is a third of
//! following a series, and after a commit that edits one report it is the
//! same for nearly every wording: a previous run's [`Wordings`] of the
//! series answer for the wordings they hold.
//!
//! Everything but the names and versions depends on the wording alone. The
//! names and versions also depend on the vocabulary, which depends on
//! every wording of the series: they are taken from [`Wordings`] only when
//! the vocabulary is the one they were read with, and read again
//! otherwise.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{ReportView, State, entry_state, identity, prose, section_texts, tracked_sections};
use crate::hash::FastMap;
use crate::tracking::words;

/// Texts per task when a series' texts are read in parallel: enough that
/// merging the per-task results costs little beside reading them.
const TEXTS_PER_TASK: usize = 256;

/// What one wording says as an entry of one state: its names and versions
/// and its content words (without the done phrase, for a done entry: it is
/// matched on what it names, not on "er ferdig", which every done entry
/// shares).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Reading {
    pub(super) ids: identity::Ids,
    /// Content words, separated by spaces (see
    /// [`words::content_words_joined`]).
    pub(super) words: String,
    pub(super) keys: Vec<u64>,
}

/// The readings of a series' wordings that its reports are matched with:
/// whether each says it is done, and what each says as an entry of the
/// state it is listed in (done or not). By the wording's number, so that
/// an entry's text is hashed once for all of it.
pub(super) struct Readings<'a> {
    /// Each distinct text's number.
    numbers: FastMap<&'a str, usize>,
    /// The distinct texts, by number.
    texts: Vec<&'a str>,
    done: Vec<bool>,
    /// Read as an entry that is not done, and as a done one.
    read: Vec<[Option<Reading>; 2]>,
    /// What each text teaches, when what was read differs from what was
    /// known: the wordings to keep ([`Readings::to_keep`]).
    learnt: Option<Vec<Vec<String>>>,
}

/// The readings of a series' wordings, kept between runs (see the module
/// doc): a run hands the last run's to [`super::track_one_series`], which
/// hands it what to keep for the next one ([`WordingsToKeep`], written in
/// this layout).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wordings {
    /// The vocabulary the names and versions were read with, sorted.
    vocabulary: Vec<String>,
    /// Every distinct wording of the series, sorted by text.
    wordings: Vec<Wording>,
}

/// What [`Wordings`] keeps of one wording.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Wording {
    text: String,
    /// The names and versions it writes ([`identity::learnt`]).
    learnt: Vec<String>,
    done: bool,
    /// Read as an entry that is not done, if one was listed so.
    open: Option<Kept>,
    /// Read as a done entry, if one was listed so.
    closed: Option<Kept>,
}

/// What [`Wordings`] keeps of a [`Reading`]: its keys are the keys of its
/// words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Kept {
    ids: identity::Ids,
    words: String,
}

impl Kept {
    fn reading(&self) -> Reading {
        Reading {
            ids: self.ids.clone(),
            words: self.words.clone(),
            keys: words::keys_of_joined(&self.words),
        }
    }
}

impl<'a> Readings<'a> {
    /// Reads every wording of `reports` (one series, in order) in
    /// parallel, taking what `known` holds (a previous run's readings of
    /// the series). Returns the series' vocabulary and the readings.
    pub(super) fn of_series(
        reports: &[&ReportView<'a>],
        known: Option<&Wordings>,
    ) -> (identity::Vocabulary, Readings<'a>) {
        let (texts, numbers) = distinct_texts(reports);
        let stored_vocabulary = known.map(|known| known.vocabulary.as_slice());
        let stored_count = known.map(|known| known.wordings.len());
        let known: Vec<Option<&Wording>> = match known {
            Some(known) => {
                let by_text: FastMap<&str, &Wording> = known
                    .wordings
                    .iter()
                    .map(|wording| (wording.text.as_str(), wording))
                    .collect();
                texts
                    .iter()
                    .map(|text| by_text.get(text).copied())
                    .collect()
            }
            None => vec![None; texts.len()],
        };
        // The names each wording writes: a word written as a name once
        // ("til Ocata") is a name at the start of a sentence too.
        let learnt: Vec<Vec<String>> = texts
            .par_iter()
            .zip(&known)
            .with_min_len(TEXTS_PER_TASK)
            .map(|(text, known)| match known {
                Some(wording) => wording.learnt.clone(),
                None => identity::learnt(text),
            })
            .collect();
        let mut vocabulary = identity::Vocabulary::default();
        vocabulary.extend(learnt.iter().flatten().cloned());
        let same_vocabulary = stored_vocabulary.is_some_and(|stored| {
            stored.len() == vocabulary.len() && stored.iter().all(|name| vocabulary.contains(name))
        });

        let done: Vec<bool> = texts
            .par_iter()
            .zip(&known)
            .with_min_len(TEXTS_PER_TASK)
            .map(|(text, known)| match known {
                Some(wording) => wording.done,
                None => prose::says_done(text),
            })
            .collect();
        // The states each wording is listed in.
        let mut wanted = vec![[false; 2]; texts.len()];
        for report in reports {
            for (index, section_state) in tracked_sections(report) {
                for item in section_texts(report.document, index, section_state) {
                    let Some(&number) = numbers.get(item.text.as_str()) else {
                        continue;
                    };
                    if let Some(state) = entry_state(section_state, done[number]) {
                        wanted[number][usize::from(state == State::Done)] = true;
                    }
                }
            }
        }
        let read: Vec<[Option<Reading>; 2]> = texts
            .par_iter()
            .zip(&known)
            .zip(&wanted)
            .with_min_len(TEXTS_PER_TASK)
            .map(|((&text, known), wanted)| {
                let one = |as_done: bool| {
                    if !wanted[usize::from(as_done)] {
                        return None;
                    }
                    let stored = known.and_then(|wording| {
                        if as_done {
                            wording.closed.as_ref()
                        } else {
                            wording.open.as_ref()
                        }
                    });
                    Some(match stored {
                        Some(stored) if same_vocabulary => stored.reading(),
                        // The words are the wording's own; its names are
                        // read again with the vocabulary as it is now.
                        Some(stored) => Reading {
                            ids: identity::ids(text, &vocabulary),
                            ..stored.reading()
                        },
                        None => read_wording(text, as_done, &vocabulary),
                    })
                };
                [one(false), one(true)]
            })
            .collect();
        // The same wordings (so the same vocabulary), each read already in
        // every state it is listed in now: nothing new to keep.
        let unchanged = same_vocabulary
            && stored_count == Some(texts.len())
            && known.iter().zip(&wanted).all(|(known, wanted)| {
                known.is_some_and(|wording| {
                    (!wanted[0] || wording.open.is_some())
                        && (!wanted[1] || wording.closed.is_some())
                })
            });
        let readings = Readings {
            numbers,
            texts,
            done,
            read,
            learnt: (!unchanged).then_some(learnt),
        };
        (vocabulary, readings)
    }

    /// Whether `text` says it is done, and what it says as an entry of the
    /// state it has in a section in `section_state` (see
    /// [`entry_state`]); `None` for a status sentence that does not say
    /// it is done.
    pub(super) fn entry(
        &mut self,
        text: &'a str,
        section_state: Option<State>,
        vocabulary: &identity::Vocabulary,
    ) -> Option<(State, &Reading)> {
        // Every text of the series was numbered; one that was not (it
        // cannot be, but a reading is cheap) is read here.
        let number = match self.numbers.get(text) {
            Some(&number) => number,
            None => {
                self.numbers.insert(text, self.texts.len());
                self.texts.push(text);
                self.done.push(prose::says_done(text));
                self.read.push([None, None]);
                self.texts.len() - 1
            }
        };
        let state = entry_state(section_state, self.done[number])?;
        let as_done = state == State::Done;
        let reading = self.read[number][usize::from(as_done)]
            .get_or_insert_with(|| read_wording(text, as_done, vocabulary));
        Some((state, reading))
    }

    /// The wordings to keep for the next run, unless they are the known
    /// ones: what was read, borrowed (a cold run writes every series'
    /// while its documents are held).
    pub(super) fn to_keep<'r>(
        &'r self,
        vocabulary: &'r identity::Vocabulary,
    ) -> Option<WordingsToKeep<'r>> {
        let learnt = self.learnt.as_ref()?;
        let mut vocabulary: Vec<&str> = vocabulary.iter().map(String::as_str).collect();
        vocabulary.sort_unstable();
        let kept = |reading: &'r Option<Reading>| -> Option<KeptRef<'r>> {
            reading.as_ref().map(|reading| KeptRef {
                ids: &reading.ids,
                words: &reading.words,
            })
        };
        let mut wordings: Vec<WordingRef> = self
            .texts
            .iter()
            .zip(learnt)
            .zip(&self.done)
            .zip(&self.read)
            .map(|(((&text, learnt), &done), [open, closed])| WordingRef {
                text,
                learnt,
                done,
                open: kept(open),
                closed: kept(closed),
            })
            .collect();
        wordings.sort_unstable_by(|a, b| a.text.cmp(b.text));
        Some(WordingsToKeep {
            vocabulary,
            wordings,
        })
    }
}

/// [`Wordings`] as a run writes them, borrowed from its readings: the same
/// layout, so that what is written is read back as [`Wordings`].
#[derive(Serialize)]
pub struct WordingsToKeep<'r> {
    vocabulary: Vec<&'r str>,
    wordings: Vec<WordingRef<'r>>,
}

/// [`Wording`], borrowed.
#[derive(Serialize)]
struct WordingRef<'r> {
    text: &'r str,
    learnt: &'r [String],
    done: bool,
    open: Option<KeptRef<'r>>,
    closed: Option<KeptRef<'r>>,
}

/// [`Kept`], borrowed.
#[derive(Serialize)]
struct KeptRef<'r> {
    ids: &'r identity::Ids,
    words: &'r str,
}

impl WordingsToKeep<'_> {
    /// About how many bytes the wordings take written: the buffer they are
    /// written to is made that large at once.
    pub fn approximate_bytes(&self) -> usize {
        let texts: usize = self
            .wordings
            .iter()
            .map(|w| {
                let kept = [&w.open, &w.closed]
                    .into_iter()
                    .flatten()
                    .map(|k| k.words.len() + 10 * (k.ids.all.len() + k.ids.strong.len()) + 4)
                    .sum::<usize>();
                w.text.len() + w.learnt.iter().map(|l| l.len() + 1).sum::<usize>() + kept + 8
            })
            .sum();
        texts + self.vocabulary.iter().map(|v| v.len() + 1).sum::<usize>() + 16
    }
}

/// Every distinct text under the tracked sections of a series, items and
/// status prose, in order of first appearance, and each one's number.
fn distinct_texts<'a>(reports: &[&ReportView<'a>]) -> (Vec<&'a str>, FastMap<&'a str, usize>) {
    let mut numbers = FastMap::default();
    let mut texts = Vec::new();
    for report in reports {
        let document: &'a crate::report::Document = report.document;
        for (index, _) in tracked_sections(report) {
            for item in document.texts_under(index) {
                let text = item.text.as_str();
                numbers.entry(text).or_insert_with(|| {
                    texts.push(text);
                    texts.len() - 1
                });
            }
        }
    }
    (texts, numbers)
}

/// What a wording says as an entry of one state ([`Reading`]).
pub(super) fn read_wording(
    text: &str,
    as_done: bool,
    vocabulary: &identity::Vocabulary,
) -> Reading {
    let (words, keys) = if as_done {
        words::content_words_joined(&prose::without_done_words(text))
    } else {
        words::content_words_joined(text)
    };
    Reading {
        ids: identity::ids(text, vocabulary),
        words,
        keys,
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::report::{Document, Format, parse};
    use crate::schema::Schema;
    use crate::tracking::{TrackedItem, Tracking, track_one_series};

    /// A week's report of one series with these in-progress and done
    /// items.
    fn report(week: u32, going: &[&str], done: &[&str]) -> (String, NaiveDate, Document) {
        let mut text = format!("Uke {week}\n======\n\nav A, B, 1. jan 2016\n\n");
        for (title, items) in [("Fullført", done), ("Under arbeid", going)] {
            text.push_str(&format!(
                "{title}\n{}\n\n",
                "-".repeat(title.chars().count())
            ));
            for item in items {
                text.push_str(&format!("- {item}\n\n"));
            }
        }
        let sunday = crate::dates::week_bounds(2016, week).unwrap().1;
        (
            format!("s/2016_uke_{week}.rst"),
            sunday,
            parse(Format::Rst, &text),
        )
    }

    /// Follows `weeks` with `known`; the items as text (every field), and
    /// the wordings to keep, as written and read back.
    fn follow(
        weeks: &[(String, NaiveDate, Document)],
        known: Option<&Wordings>,
    ) -> (String, Option<Wordings>) {
        let schema = Schema::builtin("uke").unwrap().unwrap();
        let views: Vec<ReportView> = weeks
            .iter()
            .map(|(path, date, document)| ReportView {
                path,
                date: *date,
                document,
                schema: &schema,
            })
            .collect();
        let mut to_keep = None;
        let items = track_one_series(&views, &Tracking::default(), known, |keep| {
            let bytes = postcard::to_allocvec(keep).unwrap();
            let expected = keep.approximate_bytes();
            assert!(
                (bytes.len()..bytes.len() * 3 / 2).contains(&expected),
                "{expected} for {}",
                bytes.len()
            );
            to_keep = Some(postcard::from_bytes::<Wordings>(&bytes).unwrap());
        });
        let items: Vec<&TrackedItem> = items.iter().collect();
        (format!("{items:#?}"), to_keep)
    }

    fn series() -> Vec<(String, NaiveDate, Document)> {
        vec![
            report(
                36,
                &[
                    "Felles keystone database i test.",
                    "Oppgradere til Ocata i test.",
                ],
                &[],
            ),
            report(
                37,
                &[
                    "Felles keystone database i test.",
                    "Oppgradere til Ocata i test.",
                ],
                &["Reinstallasjon av `bgo`."],
            ),
            report(
                38,
                &["Felles keystone database i test, nesten klar."],
                &["Oppgradere til Ocata i test er ferdig."],
            ),
        ]
    }

    #[test]
    fn kept_wordings_follow_a_series_as_reading_it_afresh_does() {
        let before = series();
        let (fresh, kept) = follow(&before, None);
        let kept = kept.expect("a first reading is kept");
        assert!(kept.wordings.iter().any(|w| w.closed.is_some()));

        // Nothing changed: the same items, and nothing new to keep.
        let (again, to_keep) = follow(&before, Some(&kept));
        assert_eq!(again, fresh);
        assert_eq!(to_keep, None);

        // The last report is gone, and wordings only it had: they are not
        // kept, though the vocabulary is the same.
        let (shorter, shorter_kept) = follow(&before[..2], Some(&kept));
        let (shorter_fresh, shorter_fresh_kept) = follow(&before[..2], None);
        assert_eq!(shorter, shorter_fresh);
        assert_eq!(shorter_kept, shorter_fresh_kept);
        assert!(shorter_kept.is_some_and(|k| k.wordings.len() < kept.wordings.len()));

        // A report is added that writes "Felles" as a name: the vocabulary
        // changes, and with it the names read from the older wordings
        // ("Felles keystone …" at the start of a sentence).
        let mut after = series();
        after.push(report(
            39,
            &[
                "Databasen bruker nå Felles oppsett, Ceph til 10.2.",
                "Oppgradere til Pike i test.",
            ],
            &["Felles keystone database i test, nesten klar, er ferdig."],
        ));
        let (fresh, fresh_kept) = follow(&after, None);
        let (reused, reused_kept) = follow(&after, Some(&kept));
        assert_eq!(reused, fresh);
        let reused_kept = reused_kept.expect("new wordings are kept");
        assert_eq!(Some(&reused_kept), fresh_kept.as_ref());
        assert_ne!(reused_kept.vocabulary, kept.vocabulary);
        let felles = |wordings: &Wordings| {
            wordings
                .wordings
                .iter()
                .find(|w| w.text == "Felles keystone database i test.")
                .and_then(|w| w.open.clone())
                .map(|kept| kept.ids)
        };
        assert_ne!(felles(&reused_kept), felles(&kept), "read again");

        // The report is taken away again: its wordings are no longer kept,
        // and the names are read with the vocabulary of before.
        let (fewer, fewer_kept) = follow(&after[..3], Some(&reused_kept));
        assert_eq!(fewer, follow(&before, None).0);
        assert_eq!(fewer_kept.as_ref(), Some(&kept));

        // What is written (`follow` reads it back) is what the store reads.
        let bytes = postcard::to_allocvec(&reused_kept).unwrap();
        let read: Wordings = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(read, reused_kept);
    }
}
