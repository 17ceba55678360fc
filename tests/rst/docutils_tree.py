#!/usr/bin/env python3
"""The docutils oracle for milepost's reStructuredText reader.

Usage: docutils_tree.py FILE...

Parses every FILE with docutils (``publish_doctree``) and prints one JSON
object keyed by the paths as given, each value describing what milepost's
``report::Document`` model would hold for that file:

``title``     the promoted document title: ``{"text", "line"}`` or null
``preamble``  lines of the paragraphs directly in the document (before the
              first section)
``sections``  every section in document order: ``{"title", "depth", "line",
              "items"}``; ``depth`` counts section nesting (1 = directly
              below the document), ``items`` lists the first line of each
              top-level item of the section's own body
``tables``    every grid and simple table in parse order: ``{"line",
              "header", "rows"}``, each row ``{"line", "cells"}``
``links``     ``[kind, target]`` of every ``:doc:`` role and ``include``,
              ``literalinclude``, ``image`` and ``figure`` directive
``comments``  ``{"line", "text"}`` of every non-empty comment

One process handles all files, so the Rust test pays Python's start-up and
the import of docutils once.

How docutils' answers are mapped to milepost's model
----------------------------------------------------

* Settings: ``report_level`` 5 and ``halt_level`` 5 (never print, never
  stop), input encoding ``utf-8-sig`` (a BOM is dropped, as
  ``milepost::source::decode`` does), file insertion and ``raw`` disabled.
  Tabs expand to 8 columns (docutils' default, also milepost's).
* Title lines: docutils' ``title.line`` is ``document.current_line`` when
  the node is made, which is the *underline* for an underlined title and
  the text line for an overlined one. Instead of guessing which, the script
  wraps ``RSTState.new_subsection`` and keeps the ``lineno`` argument docutils
  itself computes for the title text (``lineno - 1`` of the underline, or
  ``lineno + 1`` of the overline), which is the line milepost reports.
* Subtitles: docutils' ``DocTitle`` transform also promotes a lone second
  section to a document subtitle. milepost deliberately does not (see the
  module documentation of ``src/report/rst.rs``), so the script switches
  subtitle promotion off; title promotion itself is docutils' own.
* Items: a section's items are the ``list_item`` children of its direct
  ``bullet_list`` and ``enumerated_list`` children; when it has none, its
  direct ``paragraph`` and ``definition_list_item`` children (milepost counts
  definition list items as paragraph items). Lists inside block quotes,
  directives or tables are not items. An item's line is where its text
  starts, which milepost defines as its first visible line (comments and
  targets are not item text): the line of its first child that is not
  invisible, when that is a paragraph (docutils 0.22 gives paragraphs the
  line of their first line) or definition list; the marker line of the
  first nested item for a nested list; the top border for a table; for
  anything else (a literal block after a lone ``::``, or an error, which
  shows the rejected markup in the output and which milepost therefore
  counts as content) the first line of the item's content block; and the
  marker line (``list_item.line``) when nothing visible follows the
  marker.
* Tables: ``Body.build_table`` is wrapped to keep docutils' raw cell blocks
  (``(morerows, morecols, offset, cellblock)`` from the table parser), since
  the doctree only keeps the cells' parsed content. A cell's text is its
  lines stripped, blank ones dropped, joined with single spaces; a row's
  line is ``tableline + offset`` (``tableline`` is the 1-based line of the
  top border, ``offset`` the block index of the row's first text line). A
  cell that spans rows appears only in its first row, as docutils has it.
  ``list-table`` and ``csv-table`` build tables another way and are not
  recorded; milepost does not read them as tables either.
* Comments: ``comment.line`` is the line *after* the comment block, so
  ``Body.comment`` is wrapped to note the line of the ``..`` marker; the
  reported line is the first line from there with comment text (milepost
  positions a comment at its first text). The text is reported as docutils
  has it; the Rust side compares it line by line with each line trimmed
  and its inner white space collapsed (milepost keeps comment lines trimmed
  and as written, docutils keeps their indentation relative to the least
  indented one and expands tabs).
* Line numbers are docutils' own. docutils ends a line wherever Python's
  ``str.splitlines`` does (also at a lone CR, U+2028, U+0085, ...), milepost
  only at LF; fixtures keep to LF and CRLF except ``lone_cr.rst``, which
  documents the difference.
* ``:doc:`` is Sphinx's, not docutils': a local role records its target,
  split from an explicit title with Sphinx's own ``explicit_title_re`` and
  with backslash escapes removed (as Sphinx's ``XRefRole`` does); a line
  break inside the target becomes a space, as milepost documents.
* ``include`` (disabled here) and Sphinx's ``literalinclude`` are replaced
  by directives that only record their argument unwrapped (docutils'
  ``directives.path``) and leave a visible placeholder node (which is not
  an item); ``image`` and ``figure`` keep docutils' behaviour
  and additionally record ``directives.uri(argument)``.
* A few Sphinx directives whose body is reStructuredText (``only``,
  ``versionadded``, ``versionchanged``, ``deprecated``, ``seealso``,
  ``todo``) are registered as plain containers so that fixtures can use
  them as Sphinx would parse them (for ``versionadded`` and friends, like
  Sphinx, the text after the version is inline-parsed even when it
  continues on the next lines); docutils alone would report an unknown
  directive and ignore the body. Likewise ``toctree`` and ``highlight``
  become directives that ignore their body.
"""

import json
import re
import sys

from docutils import nodes, utils
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives, roles, states
from docutils.parsers.rst.directives import images
from docutils.transforms import frontmatter

# Links found while one file is parsed, in parse order.
LINKS = []

SETTINGS = {
    "report_level": 5,
    "halt_level": 5,
    "input_encoding": "utf-8-sig",
    "file_insertion_enabled": False,
    "raw_enabled": False,
    "warning_stream": False,
    "tab_width": 8,
    "doctitle_xform": True,
    "sectsubtitle_xform": False,
    "docinfo_xform": True,
    "syntax_highlight": "none",
}


# -- :doc: -------------------------------------------------------------------

# Sphinx's sphinx.util.nodes.explicit_title_re; `text` still carries
# docutils' \x00 escape markers, so an escaped `\<` does not open a target.
EXPLICIT_TITLE = re.compile(r"^(.+?)\s*(?<!\x00)<([^<]*?)>$", re.DOTALL)


def doc_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    match = EXPLICIT_TITLE.match(text)
    target = match.group(2) if match else text
    target = utils.unescape(target).replace("\n", " ")
    LINKS.append(["doc", target])
    return [nodes.literal(rawtext, utils.unescape(text))], []


roles.register_local_role("doc", doc_role)


# -- directives --------------------------------------------------------------


class AnyOptions(dict):
    """An option spec that accepts every option, so that Sphinx options
    (``:lines:``, ``:language:``) are not errors. It must not be empty:
    docutils only splits options from arguments when the spec is truthy."""

    def __init__(self):
        super().__init__(name=directives.unchanged)

    def __missing__(self, key):
        return directives.unchanged


class IncludeLike(Directive):
    """``include`` and ``literalinclude``: record the path, read nothing,
    and leave a visible node where the file's text would go (a container
    for ``include``, a literal block as Sphinx makes for
    ``literalinclude``), so that the directive keeps a later heading from
    becoming the document title as the included text would."""

    kind = "include"
    required_arguments = 1
    final_argument_whitespace = True
    option_spec = AnyOptions()
    has_content = True

    def run(self):
        LINKS.append([self.kind, directives.path(self.arguments[0])])
        return [self.placeholder()]


class Include(IncludeLike):
    kind = "include"

    def placeholder(self):
        return nodes.container()


class LiteralInclude(IncludeLike):
    kind = "literal-include"

    def placeholder(self):
        return nodes.literal_block("", "")


class Image(images.Image):
    def run(self):
        LINKS.append(["image", directives.uri(self.arguments[0])])
        return super().run()


class Figure(images.Figure):
    def run(self):
        # Figure.run calls images.Image.run directly, so this is recorded once.
        LINKS.append(["figure", directives.uri(self.arguments[0])])
        return super().run()


class SphinxContainer(Directive):
    """Sphinx directives whose body is reStructuredText, with an optional
    argument line (``.. versionadded:: 1.2``)."""

    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = AnyOptions()
    has_content = True

    def run(self):
        node = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class VersionChange(SphinxContainer):
    """Sphinx's ``versionadded`` and friends: a version, then an optional
    text argument (which may go on over the next lines) whose inline markup
    Sphinx parses, then reStructuredText content."""

    required_arguments = 1
    optional_arguments = 1

    def run(self):
        node = nodes.container()
        if len(self.arguments) == 2:
            inline, messages = self.state.inline_text(self.arguments[1], self.lineno + 1)
            node += nodes.paragraph(self.arguments[1], "", *inline)
            node += messages
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class SphinxNoArgContainer(SphinxContainer):
    """``todo`` and ``seealso``: text on the marker line is content."""

    optional_arguments = 0


class Ignored(Directive):
    """Sphinx directives whose body is not reStructuredText."""

    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = AnyOptions()
    has_content = True

    def run(self):
        return []


directives.register_directive("include", Include)
directives.register_directive("literalinclude", LiteralInclude)
directives.register_directive("image", Image)
directives.register_directive("figure", Figure)
directives.register_directive("only", SphinxContainer)
for _name in ("versionadded", "versionchanged", "deprecated"):
    directives.register_directive(_name, VersionChange)
for _name in ("seealso", "todo"):
    directives.register_directive(_name, SphinxNoArgContainer)
for _name in ("toctree", "highlight"):
    directives.register_directive(_name, Ignored)


# -- hooks -------------------------------------------------------------------

_new_subsection = states.RSTState.new_subsection


def new_subsection(self, title, lineno, messages):
    _new_subsection(self, title, lineno, messages)
    # `self.parent` is now the new section; its first child the title.
    self.parent[0].milepost_line = lineno


states.RSTState.new_subsection = new_subsection

_build_table = states.Body.build_table


def build_table(self, tabledata, tableline, stub_columns=0, widths=None):
    table = _build_table(self, tabledata, tableline, stub_columns, widths)
    _colwidths, headrows, bodyrows = tabledata
    table.milepost_rows = (
        tableline,
        [table_row(r, tableline) for r in headrows],
        [table_row(r, tableline) for r in bodyrows],
    )
    return table


def table_row(row, tableline):
    cells = [cell for cell in row if cell is not None]
    offsets = [offset for (_, _, offset, _) in cells]
    texts = []
    for _, _, _, block in cells:
        pieces = [line.replace("\x00", "").strip() for line in block]
        texts.append(" ".join(p for p in pieces if p))
    line = tableline + min(offsets) if offsets else None
    return {"line": line, "cells": texts}


states.Body.build_table = build_table

_comment = states.Body.comment


def comment(self, match):
    marker_line = self.state_machine.abs_line_number()
    found, blank_finish = _comment(self, match)
    for node in found:
        node.milepost_marker_line = marker_line
    return found, blank_finish


states.Body.comment = comment


def no_subtitle(self, node):
    return False


frontmatter.DocTitle.promote_subtitle = no_subtitle


# -- reading the tree --------------------------------------------------------


def depth(section):
    n = 0
    node = section
    while node is not None:
        if isinstance(node, nodes.section):
            n += 1
        node = node.parent
    return n


def title_of(node):
    """The section's (or document's) title node, if any."""
    for child in node.children:
        if isinstance(child, nodes.title):
            return child
    return None


def title_line(title):
    return getattr(title, "milepost_line", title.line)


def text_line(node, lines):
    """Where an item's text starts; see the module documentation."""
    if isinstance(node, (nodes.paragraph, nodes.definition_list_item)):
        return node.line
    for child in node.children:
        if isinstance(child, nodes.Invisible):
            continue  # comments and targets are not item text in milepost
        if isinstance(child, nodes.system_message) and child["level"] < 3:
            continue  # info and warnings accompany other nodes
        # An error shows the rejected markup, which milepost counts as
        # content (see rst.rs); it is placed like any other block below.
        if isinstance(child, (nodes.paragraph, nodes.definition_list)):
            return child.line if child.line is not None else child[0].line
        if isinstance(child, (nodes.bullet_list, nodes.enumerated_list)):
            return child[0].line  # the nested item's marker line
        if hasattr(child, "milepost_rows"):
            return child.milepost_rows[0]  # a table's top border
        return first_content_line(node, lines)
    return node.line  # nothing visible: the marker line


def first_content_line(item, lines):
    """The first line of a list item's content block: the marker line when
    text follows the marker, else the next non-blank line (docutils'
    ``get_first_known_indented`` with ``strip_top``)."""
    k = item.line
    if k is None or k > len(lines):
        return item.line
    if len(lines[k - 1].split(None, 1)) == 2:
        return k
    while k < len(lines) and not lines[k].strip():
        k += 1
    return k + 1


def section_items(section, lines):
    listed = [
        item
        for child in section.children
        if isinstance(child, (nodes.bullet_list, nodes.enumerated_list))
        for item in child.children
        if isinstance(item, nodes.list_item)
    ]
    if not listed:
        listed = []
        for child in section.children:
            if isinstance(child, nodes.paragraph):
                listed.append(child)
            elif isinstance(child, nodes.definition_list):
                listed.extend(
                    c for c in child.children if isinstance(c, nodes.definition_list_item)
                )
    return [text_line(item, lines) for item in listed]


def comment_line(node, lines):
    """The first line of a comment that holds comment text."""
    start = getattr(node, "milepost_marker_line", None)
    if start is None:
        return node.line
    first = lines[start - 1].lstrip() if start - 1 < len(lines) else ""
    if first[2:].strip():
        return start
    k = start
    while k < len(lines) and not lines[k].strip():
        k += 1
    return k + 1


def describe(path):
    del LINKS[:]
    with open(path, "rb") as f:
        data = f.read()
    doc = publish_doctree(data, source_path=path, settings_overrides=SETTINGS)
    text = data.decode("utf-8-sig")
    # The lines docutils numbers (its `string2lines`).
    lines = [line.expandtabs(8) for line in text.replace("\v", " ").replace("\f", " ").splitlines()]

    title = title_of(doc)
    result = {
        "title": None
        if title is None
        else {"text": title.rawsource.strip(), "line": title_line(title)},
        "preamble": [p.line for p in doc.children if isinstance(p, nodes.paragraph)],
        "sections": [],
        "tables": [],
        "links": [list(link) for link in LINKS],
        "comments": [],
    }
    for section in doc.findall(nodes.section):
        heading = title_of(section)
        result["sections"].append(
            {
                "title": heading.rawsource.strip() if heading is not None else "",
                "depth": depth(section),
                "line": title_line(heading) if heading is not None else None,
                "items": section_items(section, lines),
            }
        )
    for table in doc.findall(nodes.table):
        rows = getattr(table, "milepost_rows", None)
        if rows is None:
            continue  # list-table, csv-table
        line, header, body = rows
        result["tables"].append({"line": line, "header": header, "rows": body})
    for node in doc.findall(nodes.comment):
        body = "\n".join(line.strip() for line in node.astext().splitlines()).strip()
        if body:
            result["comments"].append({"line": comment_line(node, lines), "text": body})
    return result


def main(paths):
    out = {path: describe(path) for path in paths}
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
