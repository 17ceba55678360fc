//! Failures to run (exit code 2), as opposed to findings about reports.
//! Each variant carries what the user needs to fix it: the file, and where
//! the file is known to be wrong, the line and column.

use std::fmt;
use std::path::{Path, PathBuf};

/// Why milepost could not do its job.
#[derive(Debug)]
pub enum Error {
    /// A config, schema or milestones file is not valid.
    InvalidFile {
        path: PathBuf,
        /// 1-based line and column where known.
        location: Option<(usize, usize)>,
        message: String,
    },
    /// A file or folder that could not be read.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A path given on the command line that milepost will not check.
    BadPath { path: PathBuf, reason: String },
    /// The repository could not be opened or used.
    Repository { path: PathBuf, message: String },
    /// `milepost milestones` found no milestones where it looked.
    NoMilestones {
        looked: PathBuf,
        /// Documents the reports link to, read and found without a
        /// deadline table.
        linked: Vec<String>,
    },
    /// Several problems in one file, all told at once (one per line), so
    /// that fixing a config is not one run per mistake.
    Several(Vec<Error>),
}

impl Error {
    pub fn invalid(
        path: &Path,
        location: Option<(usize, usize)>,
        message: impl Into<String>,
    ) -> Self {
        Error::InvalidFile {
            path: path.to_path_buf(),
            location,
            message: message.into(),
        }
    }

    /// A YAML syntax or shape error, located where serde_yaml says.
    pub fn yaml(path: &Path, err: &serde_yaml::Error) -> Self {
        let location = err.location().map(|l| (l.line(), l.column()));
        // serde_yaml appends " at line L column C" to its message; the
        // location is shown in front instead, so drop the tail.
        let mut message = err.to_string();
        if let Some(cut) = message.find(" at line ") {
            message.truncate(cut);
        }
        Error::invalid(path, location, message)
    }

    /// `errors` as one: the only one, or [`Error::Several`].
    pub fn several(mut errors: Vec<Error>) -> Self {
        if errors.len() == 1 {
            errors.remove(0)
        } else {
            Error::Several(errors)
        }
    }

    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidFile {
                path,
                location: Some((line, column)),
                message,
            } => write!(f, "{}:{line}:{column}: {message}", path.display()),
            Error::InvalidFile {
                path,
                location: None,
                message,
            } => write!(f, "{}: {message}", path.display()),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::BadPath { path, reason } => write!(f, "{}: {reason}", path.display()),
            Error::Repository { path, message } => write!(f, "{}: {message}", path.display()),
            Error::NoMilestones { looked, linked } => {
                write!(
                    f,
                    "no milestones: there is no {}; write it, or point `milestones:` in milepost.yaml at a milestones file or a plan document",
                    looked.display()
                )?;
                if !linked.is_empty() {
                    write!(
                        f,
                        " (no deadline table in the documents the reports link to: {})",
                        linked.join(", ")
                    )?;
                }
                Ok(())
            }
            Error::Several(errors) => {
                for (index, error) in errors.iter().enumerate() {
                    if index > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{error}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The 1-based line of the first `key:` in a YAML text, so that errors found
/// after parsing (a bad regex in a value) can still point at a line.
pub fn line_of_key(yaml: &str, key: &str) -> Option<usize> {
    yaml.lines()
        .position(|line| {
            let line = line.trim_start().trim_start_matches("- ").trim_start();
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|index| index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_errors_carry_line_and_column() {
        let err = serde_yaml::from_str::<serde_yaml::Value>("a: [1, 2\nb: 3\n").unwrap_err();
        let error = Error::yaml(Path::new("milepost.yaml"), &err);
        let text = error.to_string();
        assert!(text.starts_with("milepost.yaml:"), "{text}");
        assert!(!text.contains(" at line "), "{text}");
        assert!(matches!(
            error,
            Error::InvalidFile {
                location: Some(_),
                ..
            }
        ));
    }

    #[test]
    fn finds_key_lines() {
        let yaml = "name: x\ntitle: '('\nsections:\n  - title: A\n";
        assert_eq!(line_of_key(yaml, "title"), Some(2));
        assert_eq!(line_of_key(yaml, "sections"), Some(3));
        assert_eq!(line_of_key(yaml, "byline"), None);
    }
}
