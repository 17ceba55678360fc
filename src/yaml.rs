//! The one way milepost reads YAML (config, schemas, milestones).
//!
//! serde_yaml (here its maintained fork serde_norway) rejects duplicate keys
//! only when it builds its own `Value`; a typed struct or map would silently
//! keep the last one. So the text is first read as a `Value`, which catches
//! duplicates and syntax errors with their line and column, then the typed
//! shape is read from that value ([`typed`]): a commit hook reads the config
//! and every schema it names, and parsing each text twice (four times, as it
//! was: the value was itself read through the typed path) was a seventh of
//! its time. Alias bombs are stopped by serde_yaml's expansion limit.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Parses `text` (the contents of `path`) into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str, path: &Path) -> Result<T> {
    let value = value(text, path)?;
    typed(value, text, path)
}

/// Parses `text` (the contents of `path`) as a YAML value: duplicate keys
/// and syntax errors are errors, at their line and column.
pub fn value(text: &str, path: &Path) -> Result<serde_yaml::Value> {
    let text = without_bom(text);
    serde_yaml::from_str(text).map_err(|err| located(text, path, &err))
}

/// Reads `value`, parsed from `text` by [`value`], into `T`. From the
/// value itself when it fits: the text is not parsed a second time (the
/// schemas and config a commit hook reads were parsed twice, a seventh of
/// its instructions in a repository `milepost init` configured). When it
/// does not fit, the text is read into `T` again, as before: a mistake is
/// then told at its line and column, and a scalar the value typed other
/// than `T` asks (`1.10`, a number to the value, for a text field) is read
/// as `T` asks. Either way the result is what reading the text gives.
///
/// A value with a null anywhere is read from the text: reading a value
/// takes a null for an empty map, which the text does not.
pub fn typed<T: DeserializeOwned>(value: serde_yaml::Value, text: &str, path: &Path) -> Result<T> {
    if !has_null(&value)
        && let Ok(typed) = serde_yaml::from_value(value)
    {
        return Ok(typed);
    }
    let text = without_bom(text);
    serde_yaml::from_str::<T>(text).map_err(|err| located(text, path, &err))
}

fn has_null(value: &serde_yaml::Value) -> bool {
    use serde_yaml::Value;
    match value {
        Value::Null => true,
        Value::Sequence(items) => items.iter().any(has_null),
        Value::Mapping(map) => map
            .iter()
            .any(|(key, value)| has_null(key) || has_null(value)),
        Value::Tagged(tagged) => has_null(&tagged.value),
        Value::Bool(_) | Value::Number(_) | Value::String(_) => false,
    }
}

fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
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

    /// The shapes milepost reads: text, optional and "given as null"
    /// values, numbers, flags, lists, maps, nested and untagged parts.
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)] // read through Debug
    struct Shapes {
        name: Option<String>,
        byline: Option<Option<String>>,
        days: Option<u32>,
        share: Option<f64>,
        order: Option<bool>,
        aliases: Option<Vec<String>>,
        levels: Option<BTreeMap<String, String>>,
        nested: Option<Nested>,
        either: Option<Either>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Nested {
        title: String,
        kind: Kind,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Done,
        InProgress,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(untagged)]
    #[allow(dead_code)]
    enum Either {
        List(Vec<String>),
        Map(BTreeMap<String, u32>),
    }

    /// Read from the value or, when it does not fit, from the text again:
    /// always what reading the text alone gives, result or error.
    #[test]
    fn read_from_the_value_is_what_the_text_gives() {
        let texts = [
            "",
            "~",
            "{}",
            "name: Uke\n",
            "name: 1.10\n",
            "name: 007\n",
            "name: true\n",
            "name: null\n",
            "name: ''\n",
            "name: 'a: b'\n",
            "byline: ~\n",
            "byline: null\n",
            "byline: 'av X, Y, 1. jan 2016'\n",
            "days: 7\n",
            "days: '7'\n",
            "days: 7.0\n",
            "days: -1\n",
            "days: 0x10\n",
            "share: 1\n",
            "share: 0.5\n",
            "share: .inf\n",
            "order: false\n",
            "order: yes\n",
            "order: 'true'\n",
            "aliases: [a, b]\n",
            "aliases: a\n",
            "aliases: [1, 2.5, true]\n",
            "levels: {a: b, c: 1}\n",
            "nested: {title: Fullført, kind: in_progress}\n",
            "nested: {title: 2016, kind: done}\n",
            "nested: {title: x, kind: planned}\n",
            "either: [a, b]\n",
            "either: {a: 1}\n",
            "either: {a: x}\n",
            "unknown: 1\n",
            "name: !tagged x\n",
            "name: &a x\naliases: [*a]\n",
            "\u{feff}name: with a byte order mark\n",
            "nested: [a]\n",
            "nested: []\n",
            "nested: {}\n",
            "nested: x\n",
            "levels: {1: b}\n",
            "levels: {a: [b]}\n",
            "levels: {}\n",
            "aliases: []\n",
            "days: 1e3\n",
            "share: '0.5'\n",
            "either: []\n",
            "either: 3\n",
            "nested: {title: x, kind: 1}\n",
            "nested: {title: x, kind: Done}\n",
            "name: a\n---\nname: b\n",
            "name: [a]\n",
            "name: {a: b}\n",
            "- a\n",
            "a\n",
        ];
        let path = Path::new("t.yaml");
        for text in texts {
            let from_text = serde_yaml::from_str::<Shapes>(without_bom(text));
            let read = value(text, path).and_then(|value| typed::<Shapes>(value, text, path));
            match (&from_text, &read) {
                (Ok(a), Ok(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "{text:?}"),
                (Err(_), Err(_)) => {}
                _ => panic!("{text:?}: the text gives {from_text:?}, the value {read:?}"),
            }
        }
    }
}
