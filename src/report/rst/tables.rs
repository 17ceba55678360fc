//! Simple and grid tables: recognising them and reading their rows.

use super::*;

/// A table line as characters with tabs expanded, starting at the table's
/// column and without trailing white space; docutils measures table columns
/// in characters of the expanded line.
pub(super) fn table_chars(src: &str, line: &Line, from_col: usize) -> Vec<char> {
    let mut out = Vec::new();
    let mut col = 0;
    for c in src.get(line.start..line.end).unwrap_or("").chars() {
        let width_end = if c == '\t' {
            (col / 8 + 1) * 8
        } else {
            col + 1
        };
        let shown = if is_space_char(c) { ' ' } else { c };
        while col < width_end {
            if col >= from_col {
                out.push(shown);
            }
            col += 1;
        }
    }
    while out.last().is_some_and(|c| c.is_whitespace()) {
        out.pop();
    }
    out
}

/// The trimmed text of `chars[start..end]`, clamped to the line.
pub(super) fn cell_slice(chars: &[char], start: usize, end: usize) -> String {
    let end = end.min(chars.len());
    let start = start.min(end);
    chars
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .collect::<String>()
        .trim()
        .to_string()
}

/// Joins the non-empty pieces of a multi-line cell with single spaces.
pub(super) fn join_cell(pieces: impl Iterator<Item = String>) -> String {
    let mut out = String::new();
    for piece in pieces.filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&piece);
    }
    out
}

/// Runs of `marker` in a border line: the columns of a simple table.
pub(super) fn marker_runs(chars: &[char], marker: char) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (k, &c) in chars.iter().enumerate() {
        match (c == marker, start) {
            (true, None) => start = Some(k),
            (false, Some(s)) => {
                runs.push((s, k));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push((s, chars.len()));
    }
    runs
}

/// Header and body rows of a table.
pub(super) type Rows = (Vec<TableRow>, Vec<TableRow>);

pub(super) fn is_simple_border_chars(chars: &[char], marker: char) -> bool {
    chars.first() == Some(&marker) && chars.iter().all(|&c| c == marker || c == ' ')
}

/// Rows of a simple table as they are found, with the block line each
/// starts on.
pub(super) struct SimpleRows<'b> {
    pub(super) block: &'b [Vec<char>],
    pub(super) first_line: usize,
    pub(super) rows: Vec<(usize, TableRow)>,
}

impl SimpleRows<'_> {
    /// Adds the row made of block lines `start..end` read with `columns`;
    /// `None` when the table is malformed.
    pub(super) fn push(
        &mut self,
        start: usize,
        end: usize,
        columns: &[(usize, usize)],
    ) -> Option<()> {
        let lines = self.block.get(start..end)?;
        let row = TableRow {
            line: to_u32(self.first_line + start + 1),
            cells: simple_row_cells(lines, columns)?,
        };
        self.rows.push((start, row));
        Some(())
    }

    /// docutils' `structure_from_cells`: the body starts with the first row
    /// that starts below the header border (with none, all rows are body).
    pub(super) fn split(self, head_sep: Option<usize>) -> Rows {
        let first_body = head_sep
            .and_then(|h| self.rows.iter().position(|(start, _)| *start > h))
            .unwrap_or(0);
        let mut rows: Vec<TableRow> = self.rows.into_iter().map(|(_, row)| row).collect();
        let body = rows.split_off(first_body);
        (rows, body)
    }
}

/// Reads a simple table the way docutils' `SimpleTableParser` does; `None`
/// when docutils would call it malformed. `block[k]` is source line
/// `first_line + k` (0-based); the first and last lines are borders.
pub(super) fn parse_simple_table(block: &[Vec<char>], first_line: usize) -> Option<Rows> {
    let last = block.len().checked_sub(1).filter(|&n| n >= 1)?;
    let columns = marker_runs(block.first()?, '=');
    let border_end = columns.last()?.1;
    let &(first_start, first_end) = columns.first()?;
    let mut separators =
        (1..last).filter(|&k| block.get(k).is_some_and(|l| is_simple_border_chars(l, '=')));
    let head_sep = separators.next();
    if separators.next().is_some() {
        return None;
    }
    let mut table = SimpleRows {
        block,
        first_line,
        rows: Vec::new(),
    };
    let mut start = 1;
    let mut text_found = false;
    for (offset, line) in block.iter().enumerate().take(last + 1).skip(1) {
        if offset == last || Some(offset) == head_sep || is_simple_border_chars(line, '-') {
            // A border or column span line completes the row above it (an
            // empty one if there is none, as in docutils).
            let spec = span_columns(line, &columns, border_end)?;
            table.push(start, offset, &spec)?;
            start = offset + 1;
            text_found = false;
        } else if !cell_slice(line, first_start, first_end).is_empty() {
            // Text in the first column starts a new row.
            if text_found && offset != start {
                table.push(start, offset, &columns)?;
            }
            start = offset;
            text_found = true;
        } else if !text_found {
            start = offset + 1;
        }
    }
    Some(table.split(head_sep))
}

/// The cells a span line (or border) gives the row above it: each run of
/// `-`/`=` must start and end on column boundaries of the top border.
pub(super) fn span_columns(
    line: &[char],
    columns: &[(usize, usize)],
    border_end: usize,
) -> Option<Vec<(usize, usize)>> {
    let dashes: Vec<char> = line
        .iter()
        .map(|&c| if c == '=' { '-' } else { c })
        .collect();
    let runs = marker_runs(&dashes, '-');
    if runs.last()?.1 != border_end {
        return None;
    }
    let mut k = 0;
    for &(start, end) in &runs {
        if columns.get(k)?.0 != start {
            return None;
        }
        while columns.get(k)?.1 != end {
            k += 1;
        }
        k += 1;
    }
    Some(runs)
}

/// Cell texts of one simple table row; text in a column margin makes the
/// table malformed, text past the last column belongs to it.
pub(super) fn simple_row_cells(
    lines: &[Vec<char>],
    columns: &[(usize, usize)],
) -> Option<Vec<String>> {
    for pair in columns.windows(2) {
        let (end, next_start) = (pair[0].1, pair[1].0);
        if lines
            .iter()
            .any(|l| !cell_slice(l, end, next_start).is_empty())
        {
            return None;
        }
    }
    let last = columns.len().checked_sub(1)?;
    Some(
        columns
            .iter()
            .enumerate()
            .map(|(k, &(start, end))| {
                let end = if k == last { usize::MAX } else { end };
                join_cell(lines.iter().map(|l| cell_slice(l, start, end)))
            })
            .collect(),
    )
}

/// Reads a grid table row by row: rows are separated by lines whose
/// segments are `+---+` borders, cells by `|` at column boundaries that
/// every line of the row has. The `+===+` line separates the header.
pub(super) fn parse_grid_table(block: &[Vec<char>], first_line: usize) -> Option<Rows> {
    let is_full_border = |l: &[char]| {
        l.first() == Some(&'+')
            && l.last() == Some(&'+')
            && l.iter().all(|&c| matches!(c, '+' | '-' | '='))
    };
    // docutils allows one `+===+` line, neither first nor last.
    let is_head_sep = |l: &[char]| is_full_border(l) && l.get(1) == Some(&'=');
    let mut head_seps = block.iter().enumerate().filter(|(_, l)| is_head_sep(l));
    if let Some((k, _)) = head_seps.next()
        && (k == 0 || k + 1 == block.len() || head_seps.next().is_some())
    {
        return None;
    }
    let mut bounds: Vec<usize> = block
        .iter()
        .filter(|l| is_full_border(l))
        .flat_map(|l| {
            l.iter()
                .enumerate()
                .filter(|(_, c)| **c == '+')
                .map(|(k, _)| k)
        })
        .collect();
    bounds.sort_unstable();
    bounds.dedup();
    let mut header = Vec::new();
    let mut rows: Vec<TableRow> = Vec::new();
    let mut row_lines: Vec<usize> = Vec::new();
    for (k, line) in block.iter().enumerate().skip(1) {
        if !is_row_separator(line, &bounds) {
            row_lines.push(k);
            continue;
        }
        rows.extend(grid_row(block, &row_lines, &bounds, first_line));
        row_lines.clear();
        if is_head_sep(line) {
            header = std::mem::take(&mut rows);
        }
    }
    rows.extend(grid_row(block, &row_lines, &bounds, first_line));
    Some((header, rows))
}

/// The row made of the `block` lines `row_lines`, if there are any.
pub(super) fn grid_row(
    block: &[Vec<char>],
    row_lines: &[usize],
    bounds: &[usize],
    first_line: usize,
) -> Option<TableRow> {
    let first = *row_lines.first()?;
    let lines: Vec<&[char]> = row_lines
        .iter()
        .filter_map(|&r| block.get(r).map(Vec::as_slice))
        .collect();
    Some(TableRow {
        line: to_u32(first_line + first + 1),
        cells: grid_row_cells(&lines, bounds),
    })
}

/// A line with a `+---+` segment between two column boundaries: a row
/// border, possibly only under some columns when a cell spans rows.
pub(super) fn is_row_separator(line: &[char], bounds: &[usize]) -> bool {
    let corners: Vec<usize> = bounds
        .iter()
        .copied()
        .filter(|&b| line.get(b) == Some(&'+'))
        .collect();
    corners.windows(2).any(|pair| {
        let (a, b) = (pair[0], pair[1]);
        b > a + 1
            && line
                .get(a + 1..b)
                .is_some_and(|seg| seg.iter().all(|&c| c == '-' || c == '='))
    })
}

pub(super) fn grid_row_cells(lines: &[&[char]], bounds: &[usize]) -> Vec<String> {
    let dividers: Vec<usize> = bounds
        .iter()
        .copied()
        .filter(|&b| lines.iter().all(|l| matches!(l.get(b), Some('|' | '+'))))
        .collect();
    dividers
        .windows(2)
        .map(|pair| join_cell(lines.iter().map(|l| cell_slice(l, pair[0] + 1, pair[1]))))
        .collect()
}

impl Parser<'_> {
    pub(super) fn simple_table(&mut self, i: usize, s: usize, col: usize) -> Flow {
        let Some(line) = self.line(i) else {
            return Flow::Done(i + 1);
        };
        let top_len = trim_space_end(self.text_from(&line, s)).len();
        let (end, complete) = self.simple_table_extent(i, col, top_len);
        let parsed = complete
            .then(|| parse_simple_table(&self.table_block(i, end, col), i))
            .flatten();
        let Some((header, rows)) = parsed else {
            return self.malformed(i, end);
        };
        self.root_block(Block::Content);
        self.note_range(i, end, true);
        self.push_table(i, s, end, header, rows);
        Flow::Done(end)
    }

    /// docutils' `isolate_simple_table`: the table ends at its second border
    /// after the top, or at a border followed by a blank line. Returns the
    /// end and whether a proper bottom was found (else the lines up to the
    /// last border, or to the end of the block, are an error).
    pub(super) fn simple_table_extent(
        &self,
        i: usize,
        col: usize,
        top_len: usize,
    ) -> (usize, bool) {
        let ends_block = |k: usize| self.line(k).is_none_or(|l| l.is_blank() || l.indent < col);
        let mut found = 0;
        let mut found_at = None;
        let mut k = i + 1;
        while let Some(l) = self.line(k) {
            if !l.is_blank() && l.indent < col {
                break;
            }
            let content = self.content(&l);
            if !l.is_blank() && l.indent == col && is_simple_table_border(content) {
                if trim_space_end(content).len() != top_len {
                    return (k + 1, false);
                }
                found += 1;
                found_at = Some(k);
                if found == 2 || ends_block(k + 1) {
                    return (k + 1, true);
                }
            }
            k += 1;
        }
        match found_at {
            Some(f) => (f + 1, false),
            None => (k, false),
        }
    }

    pub(super) fn grid_table(&mut self, i: usize, s: usize, col: usize) -> Flow {
        let mut k = i;
        while let Some(l) = self.line(k) {
            let edge = self.content(&l).as_bytes().first().copied();
            if l.is_blank() || l.indent != col || !matches!(edge, Some(b'+' | b'|')) {
                break;
            }
            k += 1;
        }
        // A lone border is a table without rows in docutils.
        let last_is_border = k > i
            && self
                .line(k - 1)
                .is_some_and(|l| is_grid_border(self.content(&l)));
        let end = if last_is_border {
            k
        } else {
            // docutils looks back from the second-last line for a border.
            let bottom = (i + 2..k.saturating_sub(1)).rev().find(|&m| {
                self.line(m)
                    .is_some_and(|l| is_grid_border(self.content(&l)))
            });
            match bottom {
                Some(m) => m + 1,
                None => return self.malformed(i, k),
            }
        };
        let block = self.table_block(i, end, col);
        let width = block.first().map_or(0, Vec::len);
        let edges_ok = block
            .iter()
            .all(|l| l.len() == width && matches!(l.last(), Some('+' | '|')));
        let parsed = edges_ok.then(|| parse_grid_table(&block, i)).flatten();
        let Some((header, rows)) = parsed else {
            return self.malformed(i, end);
        };
        self.root_block(Block::Content);
        self.note_range(i, end, true);
        self.push_table(i, s, end, header, rows);
        Flow::Done(end)
    }

    pub(super) fn table_block(&self, from: usize, to: usize, col: usize) -> Vec<Vec<char>> {
        (from..to)
            .filter_map(|k| self.line(k))
            .map(|l| table_chars(self.src, &l, col))
            .collect()
    }

    /// Records a table on lines `i..end`; roles in its cells are links
    /// (each line is scanned alone, as cells split it).
    pub(super) fn push_table(
        &mut self,
        i: usize,
        s: usize,
        end: usize,
        header: Vec<TableRow>,
        rows: Vec<TableRow>,
    ) {
        for k in i..end {
            if let Some(l) = self.line(k) {
                self.scan_roles(k, l.text, k + 1);
            }
        }
        let pos = self.pos(i, s);
        self.tables.push(Table { pos, header, rows });
    }

    // -- roles ---------------------------------------------------------------
}
