//! The built-in schemas, compiled when first needed.
//!
//! Compiling a schema is compiling its patterns, and the date-named
//! templates' patterns are large: with all six compiled up front they were
//! a third of a commit hook's instructions (12 M of 33 M), which pushed the
//! hook over its budget. Every report not named by a date is read with a
//! week-numbered schema (`uke`, `weekly`), so those are compiled at once;
//! the date-named ones only when a file named by a date asks for them.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::{BUILTIN, Loader, Schema};
use crate::error::Result;

/// The built-in schemas for week-numbered reports; the others in
/// [`BUILTIN`] are for reports named by a date.
pub const WEEK_NUMBERED: &[&str] = &["uke", "weekly"];

/// The built-in schemas: the week-numbered ones compiled, the date-named
/// ones on first use.
#[derive(Clone, Debug)]
pub struct Builtins {
    /// `uke`, the choice when nothing else fits.
    first: Arc<Schema>,
    week: Vec<Arc<Schema>>,
    dated: OnceLock<Vec<Arc<Schema>>>,
}

fn compile(names: impl Iterator<Item = &'static str>) -> Result<Vec<Arc<Schema>>> {
    names
        .map(|name| Loader::default().load(name, Path::new(".")).map(Arc::new))
        .collect()
}

impl Builtins {
    /// Compiles the week-numbered schemas.
    pub fn load() -> Result<Builtins> {
        let first = Arc::new(Loader::default().load("uke", Path::new("."))?);
        let rest = compile(WEEK_NUMBERED.iter().copied().filter(|name| *name != "uke"))?;
        Ok(Builtins {
            week: std::iter::once(Arc::clone(&first)).chain(rest).collect(),
            first,
            dated: OnceLock::new(),
        })
    }

    /// `uke` and `weekly`, in that order.
    pub fn week(&self) -> &[Arc<Schema>] {
        &self.week
    }

    /// The date-named schemas, compiled on the first call. They are data
    /// compiled into the binary and held by a test to compile; should one
    /// fail all the same, the date-named templates are simply not offered.
    pub fn dated(&self) -> &[Arc<Schema>] {
        self.dated.get_or_init(|| {
            let names = BUILTIN
                .iter()
                .map(|(name, _)| *name)
                .filter(|name| !WEEK_NUMBERED.contains(name));
            compile(names).unwrap_or_default()
        })
    }

    /// Every built-in, week-numbered first; the date-named ones are
    /// compiled only if the iteration gets to them.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<Schema>> {
        self.week
            .iter()
            .chain(std::iter::once(()).flat_map(move |()| self.dated().iter()))
    }

    /// The first built-in, `uke`: the fallback choice.
    pub fn first(&self) -> &Arc<Schema> {
        &self.first
    }

    /// Whether the date-named schemas have been compiled.
    #[cfg(test)]
    fn dated_compiled(&self) -> bool {
        self.dated.get().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn week_numbered_at_once_and_dated_when_asked() {
        let builtins = Builtins::load().expect("the built-ins compile");
        let week: Vec<&str> = builtins.week().iter().map(|s| s.name.as_str()).collect();
        assert_eq!(week, WEEK_NUMBERED);
        assert!(!builtins.dated_compiled());
        // Finding a week-numbered schema does not compile the others.
        assert!(builtins.iter().any(|s| s.name == "weekly"));
        assert!(!builtins.dated_compiled());
        let all: Vec<&str> = builtins.iter().map(|s| s.name.as_str()).collect();
        let every: Vec<&str> = BUILTIN.iter().map(|(name, _)| *name).collect();
        assert_eq!(all, every);
        assert!(builtins.dated_compiled());
        // The split is the schemas' own: week-numbered ones name no date.
        assert!(builtins.week().iter().all(|s| !s.is_dated()));
        assert!(builtins.dated().iter().all(|s| s.is_dated()));
        assert_eq!(builtins.dated().len(), BUILTIN.len() - WEEK_NUMBERED.len());
    }
}
