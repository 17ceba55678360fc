//! `broken-link`: local links must point at something inside the
//! repository.
//!
//! Targets are resolved lexically first, so a link that climbs out of the
//! repository is refused before the file system is asked anything about it;
//! only then is the target looked up through the [`Boundary`], so a
//! symlink that leads outside is refused too, and a missing file behind a
//! symlinked folder that leads out is "outside" exactly like an existing
//! one (no existence oracle). Linked files are never read.
//!
//! [`Boundary`]: crate::boundary::Boundary

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{FileContext, Rule};
use crate::boundary::Located;
use crate::boundary::absolute;
use crate::diagnostic::{Diagnostic, Severity};
use crate::hash::FastMap;
use crate::report::{Link, LinkKind};

/// Extensions a Sphinx or MyST `:doc:` target may have on disk.
const DOC_EXTENSIONS: &[&str] = &["rst", "md", "txt"];

/// Where link targets are looked up: the working tree (a normal run), or
/// the index (`--staged`: a link is judged against what will be
/// committed, not against files that happen to lie in the working tree).
pub trait Targets {
    /// Where the absolute, lexically clean `path` leads.
    fn locate(&self, path: &Path) -> Located;

    /// Where verdicts already reached against these targets are kept, if
    /// they are.
    fn verdicts(&self) -> Option<&Verdicts> {
        None
    }
}

/// The verdicts on link targets reached in one run, by the linking
/// report's folder, the kind of link and its target: all a verdict depends
/// on besides the tree, which a run does not expect to change. Thousands
/// of reports in a few folders link the same few documents, and judging a
/// target afresh (its candidate paths built, cleaned and looked up) was a
/// sixth of a warm check.
#[derive(Debug, Default)]
pub struct Verdicts(Mutex<FastMap<Vec<u8>, Verdict>>);

/// What a link's target comes to.
#[derive(Clone, Debug)]
enum Verdict {
    Found,
    Outside,
    /// Not found: what was looked for.
    Broken(String),
}

impl Verdicts {
    fn get_or(&self, key: Vec<u8>, judge: impl FnOnce() -> Verdict) -> Verdict {
        if let Some(known) = self
            .0
            .lock()
            .ok()
            .and_then(|known| known.get(&key).cloned())
        {
            return known;
        }
        let verdict = judge();
        if let Ok(mut known) = self.0.lock() {
            known.insert(key, verdict.clone());
        }
        verdict
    }
}

/// Where a report lies: all its links need to be judged. Narrower than a
/// [`FileContext`] so that the links the results cache stored for an
/// unchanged report (`check/cache.rs`) are judged again, against the tree
/// as it is now, without the report's document.
pub struct Place<'a> {
    pub path: &'a str,
    pub abs_path: &'a Path,
    pub root: &'a Path,
    pub sphinx_source: Option<&'a Path>,
}

impl<'a> Place<'a> {
    pub fn of(ctx: &FileContext<'a>) -> Self {
        Place {
            path: ctx.path,
            abs_path: ctx.abs_path,
            root: ctx.root,
            sphinx_source: ctx.sphinx_source,
        }
    }
}

pub fn check(ctx: &FileContext, targets: &dyn Targets, out: &mut Vec<Diagnostic>) {
    check_links(&Place::of(ctx), &ctx.doc.links, targets, out);
}

/// [`check`] for `links` of the report at `place`.
pub fn check_links(
    place: &Place,
    links: &[Link],
    targets: &dyn Targets,
    out: &mut Vec<Diagnostic>,
) {
    for link in links {
        if let Some(finding) = check_link(place, targets, link) {
            out.push(finding);
        }
    }
}

fn check_link(ctx: &Place, targets: &dyn Targets, link: &Link) -> Option<Diagnostic> {
    let target = link.target.trim();
    if target.is_empty() {
        return Some(Diagnostic::new(
            Rule::BrokenLink,
            ctx.path,
            link.pos,
            format!("empty {} target", link.kind.describe()),
        ));
    }
    let verdict = match targets.verdicts() {
        Some(verdicts) => {
            // The folder's bytes exactly as the system gives them, then
            // the kind and the target, apart.
            let folder = ctx.abs_path.parent().unwrap_or(ctx.root);
            let folder = folder.as_os_str().as_encoded_bytes();
            let mut key = Vec::with_capacity(folder.len() + 2 + target.len());
            key.extend_from_slice(folder);
            key.push(0xff);
            key.push(link.kind as u8);
            key.extend_from_slice(target.as_bytes());
            verdicts.get_or(key, || judge(ctx, targets, link.kind, target))
        }
        None => judge(ctx, targets, link.kind, target),
    };
    match verdict {
        Verdict::Found => None,
        Verdict::Outside => Some(leaves_repository(ctx, link)),
        Verdict::Broken(tried) => Some(
            Diagnostic::new(
                Rule::BrokenLink,
                ctx.path,
                link.pos,
                format!("broken {} `{target}`: {tried}", link.kind.describe()),
            )
            .spanning(&link.target)
            .with_hint("the target may have moved when the docs were reorganised; fix the path"),
        ),
    }
}

/// Where a non-empty `target` of a link of `kind` in the report at `ctx`
/// leads: it depends on the report's folder, not on the report.
fn judge(ctx: &Place, targets: &dyn Targets, kind: LinkKind, target: &str) -> Verdict {
    let root = ctx.root;
    let base = match target.strip_prefix('/') {
        Some(_) => source_root(ctx),
        None => ctx.abs_path.parent().unwrap_or(root).to_path_buf(),
    };
    let resolved = absolute(&base, Path::new(target.trim_start_matches('/')));
    if !resolved.starts_with(root) {
        return Verdict::Outside;
    }
    // Built one at a time: the first is nearly always the one.
    let extensions = match kind {
        LinkKind::Doc => DOC_EXTENSIONS,
        _ => &[],
    };
    let candidates = extensions
        .iter()
        .map(|ext| Cow::Owned(with_extension(&resolved, ext)))
        .chain(std::iter::once(Cow::Borrowed(resolved.as_path())));
    for candidate in candidates {
        match targets.locate(&candidate) {
            Located::Missing => continue,
            Located::Outside => return Verdict::Outside,
            Located::Inside { is_file, .. } => {
                let acceptable = match kind {
                    // A Markdown link may point at a folder (its index page).
                    LinkKind::Relative => true,
                    _ => is_file,
                };
                if acceptable {
                    return Verdict::Found;
                }
            }
        }
    }
    let shown = relative(root, &resolved).unwrap_or_else(|| resolved.display().to_string());
    Verdict::Broken(match kind {
        LinkKind::Doc => format!("no document `{shown}` (.rst, .md or .txt)"),
        _ if matches!(
            targets.locate(&resolved),
            Located::Inside { is_file: false, .. }
        ) =>
        {
            format!("`{shown}` is a folder, not a file")
        }
        _ => format!("no file `{shown}`"),
    })
}

fn leaves_repository(ctx: &Place, link: &Link) -> Diagnostic {
    let mut finding = Diagnostic::new(
        Rule::BrokenLink,
        ctx.path,
        link.pos,
        format!(
            "{} `{}` points outside the repository",
            link.kind.describe(),
            link.target.trim()
        ),
    )
    .spanning(&link.target)
    .with_hint("link only to files inside the repository; they are what the docs site publishes");
    // Leaving the repository is always an error, whatever the default.
    finding.severity = Severity::Error;
    finding
}

/// The folder a leading `/` refers to: the configured Sphinx source, else
/// the nearest folder above the report holding `conf.py`, else the root.
fn source_root(ctx: &Place) -> PathBuf {
    let root = ctx.root;
    if let Some(configured) = ctx.sphinx_source {
        return root.join(configured);
    }
    ctx.abs_path
        .ancestors()
        .skip(1)
        .take_while(|dir| dir.starts_with(root))
        .find(|dir| dir.join("conf.py").is_file())
        .unwrap_or(root)
        .to_path_buf()
}

/// `path` relative to `root`, `/`-separated and NFC, as findings name files.
fn relative(root: &Path, path: &Path) -> Option<String> {
    let parts: Vec<_> = path
        .strip_prefix(root)
        .ok()?
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    Some(crate::text::nfc(&parts.join("/")).into_owned())
}

fn with_extension(path: &Path, ext: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Pos;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A tree holding `docs/a/plan.rst` only, counting the lookups, with
    /// a place for verdicts.
    struct Tree {
        root: PathBuf,
        lookups: AtomicUsize,
        verdicts: Verdicts,
    }

    impl Targets for Tree {
        fn locate(&self, path: &Path) -> Located {
            self.lookups.fetch_add(1, Ordering::Relaxed);
            if path == self.root.join("docs/a/plan.rst") {
                Located::Inside {
                    canonical: path.to_path_buf(),
                    is_file: true,
                }
            } else {
                Located::Missing
            }
        }

        fn verdicts(&self) -> Option<&Verdicts> {
            Some(&self.verdicts)
        }
    }

    fn findings(tree: &Tree, report: &str, kind: LinkKind, target: &str) -> Vec<String> {
        let abs_path = tree.root.join(report);
        let place = Place {
            path: report,
            abs_path: &abs_path,
            root: &tree.root,
            sphinx_source: None,
        };
        let link = Link {
            kind,
            target: target.into(),
            pos: Pos::new(3, 7),
        };
        let mut out = Vec::new();
        check_links(&place, &[link], tree, &mut out);
        out.into_iter()
            .map(|d| format!("{} {}:{} {}", d.path, d.line, d.column, d.message))
            .collect()
    }

    #[test]
    fn a_verdict_is_reached_once_per_folder_kind_and_target() {
        let tree = Tree {
            root: PathBuf::from("/repo"),
            lookups: AtomicUsize::new(0),
            verdicts: Verdicts::default(),
        };
        assert!(findings(&tree, "docs/a/s/uke_1.rst", LinkKind::Doc, "../plan").is_empty());
        let first = tree.lookups.load(Ordering::Relaxed);
        assert!(findings(&tree, "docs/a/s/uke_2.rst", LinkKind::Doc, "../plan").is_empty());
        assert_eq!(tree.lookups.load(Ordering::Relaxed), first, "judged again");
        // Another folder: the same words lead elsewhere.
        assert_eq!(
            findings(&tree, "docs/b/s/uke_1.rst", LinkKind::Doc, "../plan"),
            [
                "docs/b/s/uke_1.rst 3:7 broken :doc: link `../plan`: no document `docs/b/plan` (.rst, .md or .txt)"
            ]
        );
        // Another kind: a file link takes the name as written.
        assert_eq!(
            findings(&tree, "docs/a/s/uke_3.rst", LinkKind::Relative, "../plan"),
            ["docs/a/s/uke_3.rst 3:7 broken link `../plan`: no file `docs/a/plan`"]
        );
        // A verdict found once names each report that repeats the link.
        let broken = findings(&tree, "docs/b/s/uke_2.rst", LinkKind::Doc, "../plan");
        assert_eq!(
            broken,
            [
                "docs/b/s/uke_2.rst 3:7 broken :doc: link `../plan`: no document `docs/b/plan` (.rst, .md or .txt)"
            ]
        );
        assert!(findings(&tree, "docs/a/s/uke_4.rst", LinkKind::Doc, "../../../../x").len() == 1);
    }
}
