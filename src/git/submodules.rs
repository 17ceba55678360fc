//! Reports that live inside a submodule.
//!
//! The superproject's tree holds only a *gitlink* for a submodule (the
//! commit it is at); the history of the files in it is in the submodule's
//! own repository. So each checked-out submodule whose folder overlaps the
//! report folders gets its own walk (with its own cache, in its own git
//! dir), and its files join the history under the submodule's path. A
//! submodule that is not checked out (or cannot be opened) has no history
//! to read: that is said in a note, never skipped silently.
//!
//! One level only: a submodule's own submodules are not followed.

use std::path::Path;

use git2::Repository;

use super::History;
use super::history;
use super::tree::{is_under, normalize_prefixes};

/// Adds the histories of the reports inside the submodules of `repo`
/// (work tree `workdir`) under `prefixes` to `history`.
pub(crate) fn add(
    repo: &Repository,
    workdir: &Path,
    filter: &dyn Fn(&str) -> bool,
    prefixes: &[String],
    cache_key: Option<&str>,
    history: &mut History,
) -> Result<(), git2::Error> {
    // Most repositories have none: no `.gitmodules`, nothing to read.
    if !workdir.join(".gitmodules").is_file() {
        return Ok(());
    }
    let Ok(submodules) = repo.submodules() else {
        history
            .notes
            .push("`.gitmodules` could not be read: reports in submodules have no history".into());
        return Ok(());
    };
    let prefixes = normalize_prefixes(prefixes);
    for submodule in submodules {
        let sub_path = submodule.path().to_string_lossy().replace('\\', "/");
        let Some(inner) = inner_prefixes(&sub_path, &prefixes) else {
            continue;
        };
        let opened = match submodule.open() {
            Ok(sub) => sub,
            Err(err) => {
                history.notes.push(format!(
                    "submodule {sub_path} is not checked out ({}): reports in it have no history",
                    err.message()
                ));
                continue;
            }
        };
        let sub_filter = |path: &str| filter(&format!("{sub_path}/{path}"));
        let key = cache_key.map(|key| format!("{key}\0submodule {sub_path}"));
        let sub = history::history(&opened, &sub_filter, &inner, key.as_deref())?;
        history.shallow |= sub.shallow;
        history.notes.extend(
            sub.notes
                .into_iter()
                .map(|note| format!("submodule {sub_path}: {note}")),
        );
        history.files.extend(
            sub.files
                .into_iter()
                .map(|(path, file)| (format!("{sub_path}/{path}"), file)),
        );
    }
    Ok(())
}

/// The report folders inside the submodule at `sub_path`, relative to it
/// (`[""]`: all of it); `None` when none of `prefixes` reaches into it.
fn inner_prefixes(sub_path: &str, prefixes: &[String]) -> Option<Vec<String>> {
    let mut inner = Vec::new();
    for prefix in prefixes {
        if is_under(sub_path, prefix) {
            return Some(vec![String::new()]);
        }
        if let Some(rest) = prefix
            .strip_prefix(sub_path)
            .and_then(|rest| rest.strip_prefix('/'))
        {
            inner.push(rest.to_owned());
        }
    }
    (!inner.is_empty()).then_some(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_reach_into_submodules() {
        let p = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(inner_prefixes("vendor/docs", &p(&[""])), Some(p(&[""])));
        assert_eq!(
            inner_prefixes("vendor/docs", &p(&["vendor"])),
            Some(p(&[""]))
        );
        assert_eq!(
            inner_prefixes("vendor/docs", &p(&["vendor/docs/status", "other"])),
            Some(p(&["status"]))
        );
        assert_eq!(inner_prefixes("vendor/docs", &p(&["docs"])), None);
        assert_eq!(inner_prefixes("vendor/docs", &p(&["vendor/docsx"])), None);
    }
}
