//! The built-in schemas, each compiled when first needed.
//!
//! Compiling a schema is compiling its patterns, and a commit hook pays
//! for every one it compiles: with all six built-ins compiled up front they
//! were a third of a hook's instructions (12 M of 33 M), and the two
//! week-numbered ones alone were still a fifth of it. So nothing is
//! compiled until asked for:
//! - `uke`, the first and the fallback, on the first report read by
//!   language;
//! - `weekly`, when a report is not settled by `uke`'s title (an English
//!   report, or one with no title), or when every week-numbered one is
//!   asked for;
//! - the date-named ones, when a file named by a date asks for them.
//!
//! A repository whose config gives every report its own schema (what
//! `milepost init` writes) compiles none.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::{BUILTIN, Loader, Schema};

/// The built-in schemas for week-numbered reports; the others in
/// [`BUILTIN`] are for reports named by a date.
pub const WEEK_NUMBERED: &[&str] = &["uke", "weekly"];

/// The built-in schemas, each compiled on first use.
#[derive(Clone, Debug, Default)]
pub struct Builtins {
    /// `uke`, the choice when nothing else fits.
    first: OnceLock<Arc<Schema>>,
    /// Every week-numbered one, `first` included.
    week: OnceLock<Vec<Arc<Schema>>>,
    dated: OnceLock<Vec<Arc<Schema>>>,
}

/// Compiles the built-ins `names`, leaving out any that fails. They are
/// data compiled into the binary and held by a test to compile; should one
/// fail all the same, it is simply not offered.
fn compile(names: impl Iterator<Item = &'static str>) -> Vec<Arc<Schema>> {
    names
        .filter_map(|name| Loader::default().load(name, Path::new(".")).ok())
        .map(Arc::new)
        .collect()
}

impl Builtins {
    /// The first built-in, `uke`: the fallback choice.
    pub fn first(&self) -> &Arc<Schema> {
        self.first.get_or_init(|| {
            let schema = Loader::default().load(WEEK_NUMBERED[0], Path::new("."));
            // Data of the binary's own, compiled by a test of every build:
            // a failure is a defect of the build, not of any input.
            Arc::new(schema.expect("the built-in schema `uke` compiles"))
        })
    }

    /// `uke` and `weekly`, in that order.
    pub fn week(&self) -> &[Arc<Schema>] {
        self.week.get_or_init(|| {
            let rest = compile(WEEK_NUMBERED.iter().skip(1).copied());
            std::iter::once(Arc::clone(self.first()))
                .chain(rest)
                .collect()
        })
    }

    /// The date-named schemas.
    pub fn dated(&self) -> &[Arc<Schema>] {
        self.dated.get_or_init(|| {
            let names = BUILTIN
                .iter()
                .map(|(name, _)| *name)
                .filter(|name| !WEEK_NUMBERED.contains(name));
            compile(names)
        })
    }

    /// Every built-in, week-numbered first; each group is compiled only if
    /// the iteration gets to it (`uke` first, alone).
    pub fn iter(&self) -> impl Iterator<Item = &Arc<Schema>> {
        let lazily = |group: fn(&Self) -> &[Arc<Schema>]| {
            std::iter::once(()).flat_map(move |()| group(self))
        };
        std::iter::once(self.first())
            .chain(lazily(Self::week).skip(1))
            .chain(lazily(Self::dated))
    }

    /// The built-in called `name`, compiling no more than it takes to find
    /// it.
    pub fn named(&self, name: &str) -> Option<&Arc<Schema>> {
        self.iter().find(|schema| schema.name == name)
    }

    /// What has been compiled: `uke`, the other week-numbered ones, the
    /// date-named ones.
    #[cfg(test)]
    pub(crate) fn compiled(&self) -> (bool, bool, bool) {
        (
            self.first.get().is_some(),
            self.week.get().is_some(),
            self.dated.get().is_some(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_group_is_compiled_when_first_asked_for() {
        let builtins = Builtins::default();
        assert_eq!(builtins.compiled(), (false, false, false));
        assert_eq!(builtins.first().name, "uke");
        assert_eq!(builtins.compiled(), (true, false, false));
        // Finding `uke` by name compiles nothing more.
        assert!(builtins.named("uke").is_some());
        assert_eq!(builtins.compiled(), (true, false, false));
        // Finding a week-numbered schema does not compile the date-named.
        assert!(builtins.named("weekly").is_some());
        assert_eq!(builtins.compiled(), (true, true, false));
        let week: Vec<&str> = builtins.week().iter().map(|s| s.name.as_str()).collect();
        assert_eq!(week, WEEK_NUMBERED);
        let all: Vec<&str> = builtins.iter().map(|s| s.name.as_str()).collect();
        let every: Vec<&str> = BUILTIN.iter().map(|(name, _)| *name).collect();
        assert_eq!(all, every);
        assert_eq!(builtins.compiled(), (true, true, true));
        assert!(builtins.named("no such schema").is_none());
        // The split is the schemas' own: week-numbered ones name no date.
        assert!(builtins.week().iter().all(|s| !s.is_dated()));
        assert!(builtins.dated().iter().all(|s| s.is_dated()));
        assert_eq!(builtins.dated().len(), BUILTIN.len() - WEEK_NUMBERED.len());
        // `uke` is one schema, however it was reached.
        assert!(Arc::ptr_eq(builtins.first(), &builtins.week()[0]));
    }

    /// The week-numbered built-ins' titles exclude one another, so a title
    /// that `uke` matches settles the choice without `weekly` (see
    /// `check::file::choose_by_language`).
    #[test]
    fn no_title_matches_two_week_numbered_schemas() {
        let builtins = Builtins::default();
        let titles = [
            "Uke 38",
            "uke 7 - 2016",
            "UKE 52, 2020",
            "Week 38",
            "week 1 / 2021",
            "WEEK 09",
            "Uke Week 38",
            "Week Uke 38",
            "Uke 38 week 39",
            "Statusrapport uke 38",
        ];
        for title in titles {
            let matching = builtins
                .week()
                .iter()
                .filter(|schema| schema.title.is_match(title))
                .count();
            assert!(matching <= 1, "{title}: {matching}");
        }
        // Why no title can: each pattern is anchored and begins with a
        // word of its own, and neither word begins the other.
        let words: Vec<String> = builtins
            .week()
            .iter()
            .map(|schema| {
                let pattern = schema.title.as_str();
                let word = pattern
                    .strip_prefix("^(?i:")
                    .and_then(|rest| rest.split_once(')'))
                    .map(|(word, _)| word.to_lowercase());
                word.unwrap_or_else(|| panic!("{pattern}: not `^(?i:WORD)…`"))
            })
            .collect();
        for (i, a) in words.iter().enumerate() {
            for b in &words[i + 1..] {
                assert!(
                    !a.starts_with(b.as_str()) && !b.starts_with(a.as_str()),
                    "{a} {b}"
                );
            }
        }
    }
}
