//! Unified diffs of repairs (`check --diff`, and `--fix` where it may not
//! write), as `git diff` shows them: `a/PATH` and `b/PATH`, three lines of
//! context.

use similar::TextDiff;

/// The unified diff from `old` to `new` of the file at `path`
/// (repository-relative); empty when they are equal.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_names_the_file_and_shows_the_change() {
        let diff = unified("s/uke_38.rst", "a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(
            diff,
            "--- a/s/uke_38.rst\n+++ b/s/uke_38.rst\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
        assert_eq!(unified("x", "same\n", "same\n"), "");
    }
}
