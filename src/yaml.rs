//! The one way milepost reads YAML (config, schemas, milestones).
//!
//! serde_yaml (here its maintained fork serde_norway) rejects duplicate keys
//! only when it builds its own `Value`; a typed struct or map would silently
//! keep the last one. So the text is first read as a `Value`, which catches
//! duplicates and syntax errors with their line and column, then read into
//! the typed shape. Config files are small; the second pass costs nothing
//! that matters. Alias bombs are stopped by serde_yaml's expansion limit.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Parses `text` (the contents of `path`) into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str, path: &Path) -> Result<T> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_yaml::from_str::<serde_yaml::Value>(text).map_err(|err| located(text, path, &err))?;
    serde_yaml::from_str::<T>(text).map_err(|err| located(text, path, &err))
}

/// serde's words for what it expected and found, in the words of someone
/// writing YAML: no Rust types (`u32`), no "sequence".
const PLAIN_WORDS: &[(&str, &str)] = &[
    ("expected u8", "expected a whole number"),
    ("expected u16", "expected a whole number"),
    ("expected u32", "expected a whole number"),
    ("expected u64", "expected a whole number"),
    ("expected usize", "expected a whole number"),
    ("expected i8", "expected a whole number"),
    ("expected i16", "expected a whole number"),
    ("expected i32", "expected a whole number"),
    ("expected i64", "expected a whole number"),
    ("expected isize", "expected a whole number"),
    ("expected f32", "expected a number"),
    ("expected f64", "expected a number"),
    ("expected a sequence", "expected a list"),
    ("expected a boolean", "expected `true` or `false`"),
    ("expected a string", "expected text"),
    ("expected struct ", "expected a map "),
    ("invalid type: string", "found text"),
    ("invalid type: sequence", "found a list"),
    ("invalid type: map", "found a map"),
    ("invalid type: integer", "found the number"),
    ("invalid type: floating point", "found the number"),
    ("invalid type: boolean", "found"),
    ("invalid type: unit value", "found nothing"),
    ("invalid value: integer", "the number"),
    ("unknown field", "unknown key"),
];

/// [`PLAIN_WORDS`] applied to a message.
pub fn plain_words(message: &str) -> String {
    let mut message = message.to_owned();
    for (rust, plain) in PLAIN_WORDS {
        if message.contains(rust) {
            message = message.replace(rust, plain);
        }
    }
    message
}

/// serde_yaml places a duplicate key at the start of its mapping; point at
/// the second occurrence of the key instead, which is what needs removing.
fn located(text: &str, path: &Path, err: &serde_yaml::Error) -> Error {
    let mut error = Error::yaml(path, err);
    if let Error::InvalidFile { message, .. } = &mut error {
        *message = plain_words(message);
    }
    let message = err.to_string();
    let Some(key) = message
        .strip_prefix("duplicate entry with key \"")
        .and_then(|rest| rest.split('"').next())
    else {
        return error;
    };
    let start_line = err.location().map_or(1, |l| l.line());
    let occurrences: Vec<(usize, usize)> = text
        .lines()
        .enumerate()
        .skip(start_line.saturating_sub(1))
        .filter_map(|(index, line)| {
            let trimmed = line.trim_start().trim_start_matches("- ");
            let column = line.len() - trimmed.len() + 1;
            let rest = trimmed.strip_prefix(key)?;
            rest.trim_start()
                .starts_with(':')
                .then_some((index + 1, column))
        })
        .collect();
    if let (Some(&second), Error::InvalidFile { location, .. }) = (occurrences.get(1), &mut error) {
        *location = Some(second);
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn duplicate_keys_are_errors_with_location() {
        let err = from_str::<BTreeMap<String, u32>>("a: 1\nb: 2\na: 3\n", Path::new("m.yaml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("m.yaml:3:1: duplicate entry with key \"a\""),
            "{err}"
        );
    }

    #[test]
    fn type_errors_are_in_plain_words() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Shape {
            days: u32,
            words: Vec<String>,
        }
        let err = from_str::<Shape>("days: many\nwords: x\n", Path::new("m.yaml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("found text \"many\", expected a whole number"),
            "{err}"
        );
        let err = from_str::<Shape>("days: 1\nwords: x\n", Path::new("m.yaml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("expected a list"), "{err}");
        assert!(!err.contains("sequence"), "{err}");
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut bomb = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
        let mut previous = "a";
        for name in names {
            bomb.push_str(&format!("{name}: &{name} [*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous}]\n"));
            previous = name;
        }
        let err = from_str::<serde_yaml::Value>(&bomb, Path::new("bomb.yaml")).unwrap_err();
        assert!(err.to_string().starts_with("bomb.yaml"), "{err}");
    }
}
