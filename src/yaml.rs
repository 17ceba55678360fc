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
    serde_yaml::from_str::<serde_yaml::Value>(text).map_err(|err| Error::yaml(path, &err))?;
    serde_yaml::from_str::<T>(text).map_err(|err| Error::yaml(path, &err))
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
        assert!(err.starts_with("m.yaml:"), "{err}");
        assert!(err.contains("duplicate"), "{err}");
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
