//! A `reports:` glob, compiled only when a path could match it.
//!
//! A glob is matched by a regex, and compiling it is most of what loading
//! a config costs: `milepost init` on a six-year repository writes tens of
//! entries, some listing dozens of file names in braces, and compiling
//! them all was a fifth of a commit hook in such a repository (15 M
//! instructions for 31 entries). A hook asks about one or two files, and
//! every path a glob matches begins with the glob's literal start (the
//! text before its first wildcard, class, alternation or escape): a path
//! without it cannot match, and the glob is not compiled for it. The
//! pattern is parsed at once all the same, so a bad glob is still an
//! error when the config is read.

use std::sync::OnceLock;

use globset::{Glob, GlobMatcher};

/// A parsed glob, its literal start, and its matcher once one was needed.
#[derive(Debug)]
pub(super) struct LazyGlob {
    glob: Glob,
    literal_start: String,
    matcher: OnceLock<GlobMatcher>,
}

impl LazyGlob {
    /// Parses `glob` (see [`super::glob`]), compiling nothing yet.
    pub(super) fn new(glob: Glob) -> LazyGlob {
        LazyGlob {
            literal_start: literal_start(glob.glob()).to_owned(),
            glob,
            matcher: OnceLock::new(),
        }
    }

    /// Whether `path` matches, as the compiled glob says.
    pub(super) fn is_match(&self, path: &str) -> bool {
        path.starts_with(&self.literal_start)
            && self
                .matcher
                .get_or_init(|| self.glob.compile_matcher())
                .is_match(path)
    }

    /// Whether the glob has been compiled.
    #[cfg(test)]
    pub(super) fn compiled(&self) -> bool {
        self.matcher.get().is_some()
    }
}

/// The start of `pattern` that every match begins with: everything before
/// the first character with a meaning in a glob (`*`, `?`, `[`, `{`, or
/// `\`, which escapes the next). Matching is case-sensitive, so this is a
/// plain prefix of every path the glob matches.
fn literal_start(pattern: &str) -> &str {
    let end = pattern
        .find(['*', '?', '[', '{', '\\'])
        .unwrap_or(pattern.len());
    &pattern[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On every pattern and path below, the lazy glob agrees with the
    /// compiled one: the literal start never turns away a path the glob
    /// matches.
    #[test]
    fn agrees_with_the_compiled_glob() {
        let patterns = [
            "docs/team-00/status/2016/*_uke_*.rst",
            "docs/team-00/status/2018/{2018_uke_01.rst,2018_uke_02.rst}",
            "docs/**/*.rst",
            "**/status/*.md",
            "*.rst",
            "docs/[a-c]*/x.rst",
            "docs/?eam/x.rst",
            "docs/\\*literal/x.rst",
            "docs/status",
            "./docs/rapporter/*.rst",
            "docs/rapportér/uke_*.rst",
            "Docs/x.rst",
            "",
        ];
        let paths = [
            "docs/team-00/status/2016/2016_uke_48.rst",
            "docs/team-00/status/2016/sub/2016_uke_48.rst",
            "docs/team-00/status/2018/2018_uke_01.rst",
            "docs/team-00/status/2018/2018_uke_03.rst",
            "docs/team-01/status/2016/2016_uke_48.rst",
            "x/status/a.md",
            "status/a.md",
            "a.rst",
            "docs/b/x.rst",
            "docs/team/x.rst",
            "docs/*literal/x.rst",
            "docs/xliteral/x.rst",
            "docs/status",
            "docs/rapporter/uke_1.rst",
            "docs/rapportér/uke_1.rst",
            "docs/x.rst",
            "",
        ];
        for pattern in patterns {
            let glob = super::super::glob(pattern).expect("a valid glob");
            let compiled = glob.compile_matcher();
            let lazy = LazyGlob::new(glob);
            for path in paths {
                assert_eq!(
                    lazy.is_match(path),
                    compiled.is_match(path),
                    "`{pattern}` on `{path}`"
                );
            }
        }
    }

    /// A path that does not begin with the glob's literal start leaves it
    /// uncompiled; one that does compiles it.
    #[test]
    fn compiles_only_for_a_path_that_could_match() {
        let glob = super::super::glob("docs/team-00/status/2016/*.rst").expect("a valid glob");
        let lazy = LazyGlob::new(glob);
        assert!(!lazy.is_match("docs/team-01/status/2016/2016_uke_48.rst"));
        assert!(!lazy.compiled());
        assert!(lazy.is_match("docs/team-00/status/2016/2016_uke_48.rst"));
        assert!(lazy.compiled());
    }

    #[test]
    fn the_literal_start_stops_at_every_special_character() {
        assert_eq!(literal_start("docs/a/*.rst"), "docs/a/");
        assert_eq!(literal_start("docs/a?/x"), "docs/a");
        assert_eq!(literal_start("docs/[ab]/x"), "docs/");
        assert_eq!(literal_start("docs/{a,b}/x"), "docs/");
        assert_eq!(literal_start("docs/\\*/x"), "docs/");
        assert_eq!(literal_start("docs/a/x.rst"), "docs/a/x.rst");
        assert_eq!(literal_start("**/x"), "");
    }
}
