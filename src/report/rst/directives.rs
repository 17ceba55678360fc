//! What milepost knows about directives: which hold code or data (never
//! parsed), which take an argument, which say nothing, and which link.

use super::*;

/// How much of a directive's body the reader looks into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum BodyKind {
    /// reStructuredText content (admonitions, `figure` captions, unknown
    /// extension directives): parsed for comments, links and tables.
    Rst,
    /// Text with inline markup but no block structure: only roles are read.
    Inline,
    /// Code, data or options: never looked into.
    Opaque,
}

pub(super) fn directive_body(name: &str) -> BodyKind {
    const OPAQUE: &[&str] = &[
        "code-block",
        "code",
        "sourcecode",
        "literalinclude",
        "include",
        "raw",
        "math",
        "highlight",
        "graphviz",
        "graph",
        "digraph",
        "uml",
        "plantuml",
        "mermaid",
        "productionlist",
        "doctest",
        "testcode",
        "testoutput",
        "testsetup",
        "testcleanup",
        "ipython",
        "jupyter-execute",
        "code-cell",
        "contents",
        "sectnum",
        "section-numbering",
        "toctree",
        "image",
        "index",
        "meta",
        "default-role",
        "role",
        "tabularcolumns",
        "autosummary",
    ];
    const INLINE: &[&str] = &["parsed-literal", "csv-table"];
    let is = |list: &[&str]| list.iter().any(|n| n.eq_ignore_ascii_case(name));
    if is(OPAQUE) {
        BodyKind::Opaque
    } else if is(INLINE) {
        BodyKind::Inline
    } else {
        BodyKind::Rst
    }
}

/// Directives with reStructuredText content whose first line is an
/// argument rather than content.
pub(super) fn directive_has_argument(name: &str) -> bool {
    const WITH_ARGUMENT: &[&str] = &[
        "figure",
        "topic",
        "sidebar",
        "admonition",
        "rubric",
        "table",
        "list-table",
        "container",
        "class",
        "only",
        "versionadded",
        "versionchanged",
        "deprecated",
    ];
    WITH_ARGUMENT.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// Directives that leave nothing visible in the document body: docutils
/// makes invisible nodes of them (`meta`, `pending` for `sectnum` and
/// `target-notes`), moves them out of the body (`header`, `footer`) or only
/// changes settings (`title`, `role`, `default-role`); Sphinx's `highlight`
/// and `index` are alike. None of them keeps the next heading from becoming
/// the document title.
pub(super) fn directive_is_silent(name: &str) -> bool {
    const SILENT: &[&str] = &[
        "meta",
        "sectnum",
        "section-numbering",
        "target-notes",
        "header",
        "footer",
        "title",
        "role",
        "default-role",
        "highlight",
        "index",
    ];
    SILENT.iter().any(|n| n.eq_ignore_ascii_case(name))
}

pub(super) fn directive_link_kind(name: &str) -> Option<LinkKind> {
    [
        ("include", LinkKind::Include),
        ("literalinclude", LinkKind::LiteralInclude),
        ("image", LinkKind::Image),
        ("figure", LinkKind::Figure),
    ]
    .into_iter()
    .find(|(n, _)| n.eq_ignore_ascii_case(name))
    .map(|(_, kind)| kind)
}
