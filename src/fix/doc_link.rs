//! `broken-link`: a `:doc:` link to a document that a later commit moved
//! points at the document's new place, when git's history of moves names
//! one place only.
//!
//! A docs reorganisation that renames a folder breaks every link into it
//! at once (a real repository had seven broken by one rename). The old
//! target is resolved as the rule resolves it (relative to the report; the
//! extensions `.rst`, `.md`, `.txt`, or as written); [`Moves`] says where
//! that file is now. The link keeps its text and its form (relative, no
//! extension unless it was written with one). Links from the Sphinx source
//! root (`/plans/x`) are left alone.

use super::{Edit, Fix, Input, Moves};
use crate::registry::Rule;
use crate::report::LinkKind;
use crate::text::relative_path;

const EXTENSIONS: [&str; 3] = ["rst", "md", "txt"];

pub fn fixes(input: &Input, moves: &dyn Moves) -> Vec<Fix> {
    let folder = input.path.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut out = Vec::new();
    for link in input
        .document
        .links
        .iter()
        .filter(|l| l.kind == LinkKind::Doc)
    {
        let target = link.target.as_str();
        if target.trim().is_empty() || target.starts_with('/') || target != target.trim() {
            continue;
        }
        let Some(resolved) = join(folder, target) else {
            continue;
        };
        let names: Vec<String> = EXTENSIONS
            .iter()
            .map(|ext| format!("{resolved}.{ext}"))
            .chain(std::iter::once(resolved.clone()))
            .collect();
        let olds: Vec<&str> = names.iter().map(String::as_str).collect();
        let Some((which, new)) = moves.moved_to(&olds) else {
            continue;
        };
        // Written without an extension (as `:doc:` links are): none added.
        let strip = which < EXTENSIONS.len();
        let mut new_target = relative_path(folder, &new);
        if strip && let Some((stem, _)) = new_target.rsplit_once('.') {
            new_target = stem.to_owned();
        }
        let Some((line_start, line)) = input.line(link.pos.line) else {
            continue;
        };
        let Some((at, _)) = line
            .char_indices()
            .nth(link.pos.column.saturating_sub(1) as usize)
        else {
            continue;
        };
        if !line[at..].starts_with(target) {
            continue;
        }
        let start = line_start + at;
        out.push(Fix {
            rule: Rule::BrokenLink,
            line: link.pos.line,
            what: format!("link `{target}` → `{new_target}`, where git says it moved"),
            edits: vec![Edit {
                range: start..start + target.len(),
                text: new_target,
            }],
        });
    }
    out
}

/// `target` (relative, `/`-separated) resolved from `folder`, lexically;
/// `None` if it climbs out of the repository.
fn join(folder: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::super::apply;
    use super::super::testing::with_input;
    use super::*;

    struct Moved;

    impl Moves for Moved {
        fn moved_to(&self, olds: &[&str]) -> Option<(usize, String)> {
            let which = olds
                .iter()
                .position(|o| *o == "docs/plans/production.rst")?;
            Some((which, "docs/planning/production.rst".to_owned()))
        }
    }

    fn fixed(text: &str) -> String {
        with_input("docs/status/2016_uke_38.rst", text, None, |input| {
            apply(text, &fixes(input, &Moved)).0
        })
    }

    #[test]
    fn a_link_to_a_moved_document_follows_it() {
        assert_eq!(
            fixed(
                "Uke 38\n======\n\nUtfordringer\n============\n\n- I :doc:`../plans/production` står det.\n- Se :doc:`planen <../plans/production>`.\n"
            ),
            "Uke 38\n======\n\nUtfordringer\n============\n\n- I :doc:`../planning/production` står det.\n- Se :doc:`planen <../planning/production>`.\n"
        );
    }

    #[test]
    fn other_links_are_left_alone() {
        let text = "Uke 38\n======\n\nUtfordringer\n============\n\n- :doc:`../plans/other` og :doc:`/plans/production`.\n";
        assert_eq!(fixed(text), text);
        assert_eq!(join("a/b", "../../../x"), None);
        assert_eq!(join("a/b", "./../c"), Some("a/c".to_owned()));
    }
}
