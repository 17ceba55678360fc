//! Baselines let an old repository adopt milepost without fixing its past
//! first: `--write-baseline FILE` records today's findings, `--baseline
//! FILE` hides them and reports only new ones.
//!
//! An entry is a rule, a path and the finding's fingerprint (a hash of the
//! text of the line it points into, see [`Diagnostic::fingerprint`]), so an
//! entry still matches after lines above it shift. Entries are matched as a
//! multiset: two identical findings need two entries.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::boundary::Refusal;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::temp_files::TEMP_MARK;

const FORMAT: &str = "milepost-baseline";
const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    format: String,
    version: u32,
    findings: Vec<Entry>,
}

/// One recorded finding.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    pub path: String,
    pub fingerprint: String,
    /// Where the finding was when recorded; for people reading the file,
    /// not used for matching.
    #[serde(default)]
    pub line: u32,
    #[serde(default)]
    pub message: String,
}

impl Entry {
    fn key(&self) -> (String, String, String) {
        (
            self.rule.clone(),
            self.path.clone(),
            self.fingerprint.clone(),
        )
    }
}

/// What applying a baseline did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BaselineStats {
    /// Findings hidden because the baseline has them.
    pub hidden: usize,
    /// Baseline entries for checked files that no longer occur: fixed.
    pub fixed: usize,
}

/// A loaded baseline.
#[derive(Debug)]
pub struct Baseline {
    entries: Vec<Entry>,
}

impl Baseline {
    /// Reads the baseline the operator named (`--baseline`): it may live
    /// anywhere, but only a regular file under the size cap is read.
    pub fn load(path: &Path) -> Result<Baseline> {
        let bytes = crate::boundary::read_operator_file(path).map_err(|refusal| match refusal {
            Refusal::NotAFile("a folder") => {
                Error::invalid(path, None, "is a folder, not a baseline file")
            }
            other => Error::invalid(path, None, format!("{other} (given with --baseline)")),
        })?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::invalid(path, None, "is not UTF-8 text"))?;
        let file: BaselineFile = serde_json::from_str(&text).map_err(|err| {
            Error::invalid(
                path,
                Some((err.line(), err.column())),
                format!("not a milepost baseline: {err}"),
            )
        })?;
        if file.format != FORMAT || file.version != VERSION {
            return Err(Error::invalid(
                path,
                None,
                format!(
                    "not a milepost baseline of version {VERSION} (format `{}`, version {})",
                    file.format, file.version
                ),
            ));
        }
        Ok(Baseline {
            entries: file.findings,
        })
    }

    /// Hides the findings the baseline records. `checked` are the paths
    /// that were checked: only their entries can count as fixed.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>, checked: &[&str]) -> BaselineStats {
        let mut remaining: HashMap<(String, String, String), usize> = HashMap::new();
        for entry in &self.entries {
            *remaining.entry(entry.key()).or_insert(0) += 1;
        }
        let before = diagnostics.len();
        diagnostics.retain(|d| {
            let key = (
                d.rule.name().to_owned(),
                d.path.clone(),
                d.fingerprint.clone(),
            );
            match remaining.get_mut(&key) {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    false
                }
                _ => true,
            }
        });
        let fixed = remaining
            .iter()
            .filter(|((_, path, _), _)| checked.contains(&path.as_str()))
            .map(|(_, count)| count)
            .sum();
        BaselineStats {
            hidden: before - diagnostics.len(),
            fixed,
        }
    }
}

/// Writes `diagnostics` as a baseline to `path`, atomically (a temporary
/// file beside it, then a rename), so a crash never leaves half a file.
/// An existing file is replaced only if it is a milepost baseline: a
/// mistyped path must not destroy someone's work. It keeps its
/// permissions (a shared 0644 file stays 0644); a new file gets 0666 less
/// the umask, as any file a program creates. Temporary files that an
/// earlier, killed run left beside it are removed.
pub fn write(path: &Path, diagnostics: &[Diagnostic]) -> Result<usize> {
    if path.is_dir() {
        return Err(Error::invalid(
            path,
            None,
            "is a folder, not a baseline file",
        ));
    }
    let existing = match std::fs::metadata(path) {
        Ok(meta) => Some(meta.permissions()),
        Err(_) => None,
    };
    if existing.is_some() {
        Baseline::load(path).map_err(|_| {
            Error::invalid(
                path,
                None,
                "exists and is not a milepost baseline; refusing to overwrite it",
            )
        })?;
    }
    let file = BaselineFile {
        format: FORMAT.into(),
        version: VERSION,
        findings: diagnostics
            .iter()
            .map(|d| Entry {
                rule: d.rule.name().into(),
                path: d.path.clone(),
                fingerprint: d.fingerprint.clone(),
                line: d.line,
                message: d.message.clone(),
            })
            .collect(),
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let prefix = temp_prefix(path);
    crate::temp_files::remove_stale(dir, &prefix);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created with 0666: the kernel takes the umask off, as for any
        // new file (tempfile's own default is 0600).
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder
        .tempfile_in(dir)
        .map_err(|err| Error::io(dir, err))?;
    if let Some(permissions) = existing {
        temp.as_file()
            .set_permissions(permissions)
            .map_err(|err| Error::io(path, err))?;
    }
    serde_json::to_writer_pretty(&mut temp, &file).map_err(|err| Error::io(path, err.into()))?;
    temp.write_all(b"\n").map_err(|err| Error::io(path, err))?;
    temp.as_file()
        .sync_all()
        .map_err(|err| Error::io(path, err))?;
    temp.persist(path)
        .map_err(|err| Error::io(path, err.error))?;
    Ok(file.findings.len())
}

/// The name start of [`write()`]'s temporary files for `path`.
fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}{TEMP_MARK}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Pos;
    use crate::rules::Rule;

    fn finding(path: &str, line: u32, fingerprint: &str) -> Diagnostic {
        let mut d = Diagnostic::new(Rule::BrokenLink, path, Pos::new(line, 1), "broken");
        d.fingerprint = fingerprint.into();
        d
    }

    #[test]
    fn round_trip_hides_recorded_and_counts_fixed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("baseline.json");
        let recorded = [
            finding("a.rst", 3, "aa"),
            finding("a.rst", 9, "bb"),
            finding("b.rst", 1, "cc"),
        ];
        assert_eq!(write(&file, &recorded).unwrap(), 3);
        let baseline = Baseline::load(&file).unwrap();
        // "aa" moved to another line; "bb" was fixed; "dd" is new; b.rst was not checked.
        let mut now = vec![finding("a.rst", 5, "aa"), finding("a.rst", 12, "dd")];
        let stats = baseline.apply(&mut now, &["a.rst"]);
        assert_eq!(
            stats,
            BaselineStats {
                hidden: 1,
                fixed: 1
            }
        );
        assert_eq!(now.len(), 1);
        assert_eq!(now[0].fingerprint, "dd");
    }

    #[test]
    fn refuses_to_overwrite_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("notes.json");
        std::fs::write(&file, "{\"mine\": true}").unwrap();
        let err = write(&file, &[]).unwrap_err().to_string();
        assert!(err.contains("refusing to overwrite"), "{err}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "{\"mine\": true}");
        let err = Baseline::load(&file).unwrap_err().to_string();
        assert!(err.contains("not a milepost baseline"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn keeps_permissions_and_removes_stale_temporaries() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("baseline.json");
        write(&file, &[finding("a.rst", 3, "aa")]).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        // A new file: 0666 less the umask, so never 0600 under the usual
        // 022 or 002.
        assert_eq!(mode(&file) & 0o644, 0o644, "{:o}", mode(&file));
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o664)).unwrap();

        let stale = dir.path().join(format!(".baseline.json{TEMP_MARK}killed"));
        let fresh = dir.path().join(format!(".baseline.json{TEMP_MARK}busy"));
        let other = dir.path().join(format!(".other.json{TEMP_MARK}x"));
        for path in [&stale, &fresh, &other] {
            std::fs::write(path, "x").unwrap();
        }
        let old = std::time::SystemTime::now() - 2 * crate::temp_files::STALE_AFTER;
        for path in [&stale, &other] {
            std::fs::File::options()
                .write(true)
                .open(path)
                .and_then(|f| f.set_modified(old))
                .unwrap();
        }
        write(&file, &[finding("a.rst", 3, "bb")]).unwrap();
        assert_eq!(mode(&file), 0o664);
        assert!(!stale.exists());
        assert!(fresh.exists(), "another run's file is left alone");
        assert!(other.exists(), "another baseline's file is left alone");
        assert_eq!(Baseline::load(&file).unwrap().entries[0].fingerprint, "bb");
    }
}
