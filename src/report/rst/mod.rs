//! The reStructuredText reader: turns a status report into the [`Document`]
//! model.
//!
//! # Approach
//!
//! Python docutils is the reference, but its parser is a recursive state
//! machine that re-parses every nested block. Reports are small, yet the
//! reader must also survive fuzzed input (10 MB lines, lists nested 10,000
//! deep, 50 MB files) in linear time and without recursion, so this reader is
//! a single forward pass over the lines with an explicit stack of open
//! *contexts* (list items, block quotes, directive bodies, field bodies,
//! definitions). Each context records the indentation a line needs to stay
//! inside it; a less indented line closes it, exactly as docutils ends an
//! indented block. Blocks whose content is never parsed (comments, literal
//! blocks, code directives, hyperlink targets) and blocks that only make
//! sense whole (paragraphs, tables, titles) are consumed eagerly by one
//! handler; everything else returns to the main loop line by line.
//!
//! Only what the model needs is kept: section titles and their levels, the
//! top-level items of each section, preamble paragraphs, comments, tables
//! and local links (`:doc:` roles and the `include`, `literalinclude`,
//! `image` and `figure` directives). Inline markup is kept as written.
//!
//! An item's text is every line of the item, trimmed and joined with
//! spaces: nested list markers and directive lines are kept as written;
//! comment and hyperlink target lines are left out.
//!
//! # Deliberate differences from docutils
//!
//! * docutils takes the indentation of an indented block as the minimum over
//!   all its lines, which needs look-ahead; here the first line sets it and a
//!   later, less indented line lowers it. The two only disagree about how
//!   blocks nested inside items, quotes and directives are grouped, which the
//!   model does not record.
//! * No subtitle promotion and no docinfo: a second lone section after the
//!   title stays a section.
//! * Markup docutils rejects (malformed tables, broken or inconsistently
//!   nested titles) is content, since the rendered page shows an error there;
//!   like docutils' error messages it does not stop the next heading from
//!   becoming the document title. Tables docutils rejects are not tables.
//! * Grid tables are read row by row between separator lines; a cell that
//!   spans rows is split between them. East Asian wide characters count as
//!   one column inside tables (in titles they count two, as in docutils).
//! * Option lists are read as paragraphs; definition list items count as
//!   paragraph items of a section that has no bullet or enumerated list.
//! * Directive bodies are parsed as reStructuredText (for comments, links
//!   and tables) unless the directive is known to hold code or data; a few
//!   known directives (`figure`, `topic`, …) take their first line as an
//!   argument. No other knowledge of directive specs is used.
//! * `:doc:` roles follow simplified inline-markup start and end rules; a
//!   line break inside a role's target becomes a space; `:std:doc:` is not
//!   recognised. Backslash escapes are honoured as in docutils: an escaped
//!   backquote does not end the role, an escaped `<` does not start the
//!   target, and the target is unescaped as Sphinx does before it looks
//!   the document up.
//! * Empty comments (`..` alone) are not recorded; only ASCII white space
//!   indents (docutils also strips e.g. a leading no-break space).
//!
//! # Layout
//!
//! One file per part of the reader: [`lines`] (the source as lines and
//! columns), [`markers`] and [`enumerators`] (what starts a block),
//! [`directives`], [`roles`] (inline `:doc:` links), [`tables`],
//! [`blocks`] (contexts and builders) and the parser itself, whose
//! methods are spread by kind of block: [`parser`] (the main loop,
//! contexts and list items), [`titles`], [`paragraphs`] and [`markup`].

mod blocks;
mod directives;
mod enumerators;
mod lines;
mod markers;
mod markup;
mod paragraphs;
mod parser;
mod roles;
mod tables;
mod titles;

#[cfg(test)]
mod tests;

use super::{
    Comment, Document, Heading, Item, ItemMarker, Link, LinkKind, Paragraph, Pos, Section, Table,
    TableRow, to_u32,
};

use blocks::*;
use directives::*;
use enumerators::*;
use lines::*;
use markers::*;
use parser::*;
use roles::*;

/// Parses a reStructuredText report. Never fails: anything the reader does
/// not recognise is plain text, as in docutils.
pub fn parse(text: &str) -> Document {
    Parser::new(text).run()
}
