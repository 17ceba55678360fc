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

use std::path::{Path, PathBuf};

use super::{FileContext, Rule};
use crate::boundary::Located;
use crate::boundary::absolute;
use crate::diagnostic::{Diagnostic, Severity};
use crate::report::{Link, LinkKind};

/// Extensions a Sphinx or MyST `:doc:` target may have on disk.
const DOC_EXTENSIONS: &[&str] = &["rst", "md", "txt"];

/// Where link targets are looked up: the working tree (a normal run), or
/// the index (`--staged`: a link is judged against what will be
/// committed, not against files that happen to lie in the working tree).
pub trait Targets {
    /// Where the absolute, lexically clean `path` leads.
    fn locate(&self, path: &Path) -> Located;
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
    let root = ctx.root;
    let base = match target.strip_prefix('/') {
        Some(_) => source_root(ctx),
        None => ctx.abs_path.parent().unwrap_or(root).to_path_buf(),
    };
    let resolved = absolute(&base, Path::new(target.trim_start_matches('/')));
    if !resolved.starts_with(root) {
        return Some(leaves_repository(ctx, link));
    }
    let candidates: Vec<PathBuf> = match link.kind {
        LinkKind::Doc => DOC_EXTENSIONS
            .iter()
            .map(|ext| with_extension(&resolved, ext))
            .chain(std::iter::once(resolved.clone()))
            .collect(),
        _ => vec![resolved.clone()],
    };
    for candidate in &candidates {
        match targets.locate(candidate) {
            Located::Missing => continue,
            Located::Outside => return Some(leaves_repository(ctx, link)),
            Located::Inside { is_file, .. } => {
                let acceptable = match link.kind {
                    // A Markdown link may point at a folder (its index page).
                    LinkKind::Relative => true,
                    _ => is_file,
                };
                if acceptable {
                    return None;
                }
            }
        }
    }
    let shown = relative(ctx.root, &resolved).unwrap_or_else(|| resolved.display().to_string());
    let tried = match link.kind {
        LinkKind::Doc => format!("no document `{shown}` (.rst, .md or .txt)"),
        _ if matches!(
            targets.locate(&resolved),
            Located::Inside { is_file: false, .. }
        ) =>
        {
            format!("`{shown}` is a folder, not a file")
        }
        _ => format!("no file `{shown}`"),
    };
    Some(
        Diagnostic::new(
            Rule::BrokenLink,
            ctx.path,
            link.pos,
            format!("broken {} `{target}`: {tried}", link.kind.describe()),
        )
        .spanning(&link.target)
        .with_hint("the target may have moved when the docs were reorganised; fix the path"),
    )
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
