//! Terminal tables that fit the reader's width without breaking what must
//! stay whole.
//!
//! comfy-table's dynamic arrangement shrinks every column alike and, when a
//! word does not fit, cuts it in the middle: at 80 columns `2016-09-16`
//! became `2016-09-` over `16`, and on a pseudo-terminal that reports a
//! size of 0×0 every column was one character wide. So the widths are
//! worked out here, from what each column may give up ([`Fit`]): dates,
//! ids, counts and statuses never shrink, text wraps between words, report
//! paths wrap after a `/` (keeping the `/`, so the parts still read as a
//! path). The cells are wrapped to those widths and comfy-table draws them
//! at their natural width. When no sane width is known (not a terminal, or
//! a terminal narrower than [`MIN_WIDTH`], as 0×0 is) the table keeps its
//! natural width; when even the narrowest layout is wider than the
//! terminal, the table is that narrowest layout and the terminal wraps its
//! lines, which is still easier to read than dates cut in two.

use comfy_table::{Attribute, Cell, Color, Table, presets::UTF8_FULL_CONDENSED};
use unicode_width::UnicodeWidthStr;

/// Below this many columns a width is taken for a mistake (a pty that
/// reports 0×0) rather than a layout to fit.
pub const MIN_WIDTH: u16 = 40;

/// How a column may be narrowed to fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fit {
    /// Never narrower than its widest cell: dates, ids, counts, statuses.
    Keep,
    /// Wraps between words (at spaces), never inside one.
    Words,
    /// Wraps after a `/`, never inside a file or folder name.
    Path,
}

/// How a table is drawn for its reader; the binary knows the terminal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TableStyle {
    /// The columns to fit into; `None` (or less than [`MIN_WIDTH`]) lays
    /// the table out at its natural width.
    pub width: Option<u16>,
    /// Whether statuses and counts are coloured. The caller decides, since
    /// it knows whether colours reach the reader (`--color`, `NO_COLOR`,
    /// a terminal or not): comfy-table would otherwise ask stdout itself.
    pub color: bool,
}

/// The colours a cell can carry, named for what they say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Bad,
    Warn,
    Good,
    Calm,
    Note,
}

impl Tone {
    fn color(self) -> Color {
        match self {
            Tone::Bad => Color::DarkRed,
            Tone::Warn => Color::DarkYellow,
            Tone::Good => Color::DarkGreen,
            Tone::Calm => Color::DarkCyan,
            Tone::Note => Color::DarkMagenta,
        }
    }
}

/// One cell: text (already escaped for the terminal by the caller) and an
/// optional colour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Styled {
    pub text: String,
    pub tone: Option<Tone>,
}

impl From<String> for Styled {
    fn from(text: String) -> Self {
        Styled { text, tone: None }
    }
}

impl From<&str> for Styled {
    fn from(text: &str) -> Self {
        Styled {
            text: text.to_owned(),
            tone: None,
        }
    }
}

/// The width of the lines drawn around `columns` columns by the
/// `UTF8_FULL_CONDENSED` preset: `│ a ┆ b │` is one border and two spaces
/// per column plus one.
fn chrome(columns: usize) -> usize {
    3 * columns + 1
}

fn natural(text: &str) -> usize {
    text.split('\n')
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

/// The widest piece `text` can be cut into under `fit`.
fn narrowest(text: &str, fit: Fit) -> usize {
    match fit {
        Fit::Keep => natural(text),
        Fit::Words => words(text).map(UnicodeWidthStr::width).max().unwrap_or(0),
        Fit::Path => text
            .split('\n')
            .flat_map(|line| line.split_inclusive('/'))
            .map(UnicodeWidthStr::width)
            .max()
            .unwrap_or(0),
    }
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', ' ']).filter(|word| !word.is_empty())
}

/// The content width of each column of a table with `header` and `rows`
/// drawn into `width` columns: the natural widths when they fit or when no
/// sane width is known, else the widest columns narrowed first, none below
/// what its [`Fit`] allows. Headers always wrap between words.
pub fn widths(
    header: &[&str],
    rows: &[Vec<String>],
    fits: &[Fit],
    width: Option<u16>,
) -> Vec<usize> {
    let columns = header.len();
    let column = |i: usize| {
        std::iter::once(header[i]).chain(
            rows.iter()
                .filter_map(move |row| row.get(i).map(String::as_str)),
        )
    };
    let mut widths: Vec<usize> = (0..columns)
        .map(|i| column(i).map(natural).max().unwrap_or(0))
        .collect();
    let Some(width) = width.filter(|&w| w >= MIN_WIDTH) else {
        return widths;
    };
    let least = least_widths(header, rows, fits);
    let budget = usize::from(width).saturating_sub(chrome(columns));
    let mut total: usize = widths.iter().sum();
    while total > budget {
        let widest = (0..columns)
            .filter(|&i| widths[i] > least[i])
            .max_by_key(|&i| (widths[i], std::cmp::Reverse(i)));
        let Some(i) = widest else { break };
        widths[i] -= 1;
        total -= 1;
    }
    widths
}

/// The narrowest each column can be drawn: its widest unbreakable piece
/// under its [`Fit`], and the header's widest word.
fn least_widths(header: &[&str], rows: &[Vec<String>], fits: &[Fit]) -> Vec<usize> {
    (0..header.len())
        .map(|i| {
            let fit = fits.get(i).copied().unwrap_or(Fit::Keep);
            let cells = rows
                .iter()
                .filter_map(|row| row.get(i))
                .map(|cell| narrowest(cell, fit))
                .max()
                .unwrap_or(0);
            let head = if fit == Fit::Keep {
                natural(header[i])
            } else {
                narrowest(header[i], Fit::Words)
            };
            cells.max(head)
        })
        .collect()
}

/// `text` wrapped into lines of at most `width` columns where `fit`
/// allows (a piece wider than `width` stays whole on a line of its own).
pub fn wrap(text: &str, width: usize, fit: Fit) -> String {
    if fit == Fit::Keep || natural(text) <= width {
        return text.to_owned();
    }
    let mut lines: Vec<String> = Vec::new();
    for source in text.split('\n') {
        let (pieces, joiner): (Vec<&str>, &str) = match fit {
            Fit::Path => (source.split_inclusive('/').collect(), ""),
            _ => (source.split(' ').filter(|w| !w.is_empty()).collect(), " "),
        };
        let mut line = String::new();
        for piece in pieces {
            if line.is_empty() {
                line.push_str(piece);
            } else if line.width() + joiner.len() + piece.width() <= width {
                line.push_str(joiner);
                line.push_str(piece);
            } else {
                lines.push(std::mem::take(&mut line));
                line.push_str(piece);
            }
        }
        lines.push(line);
    }
    lines.join("\n")
}

/// A comfy-table table with `header` and `rows` fitted to `style.width`
/// as [`widths`] says, coloured when `style.color`, drawn with the
/// `UTF8_FULL_CONDENSED` preset. comfy-table is told there is no terminal,
/// so that it neither measures one nor colours on its own.
pub fn fitted(header: &[&str], rows: Vec<Vec<Styled>>, fits: &[Fit], style: TableStyle) -> Table {
    let texts: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| cell.text.clone()).collect())
        .collect();
    let widths = widths(header, &texts, fits, style.width);
    let fit = |i: usize| fits.get(i).copied().unwrap_or(Fit::Keep);
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).force_no_tty();
    if style.color {
        table.enforce_styling();
    }
    table.set_header(
        header
            .iter()
            .enumerate()
            .map(|(i, head)| {
                let head = wrap(
                    head,
                    widths[i],
                    if fit(i) == Fit::Keep {
                        Fit::Keep
                    } else {
                        Fit::Words
                    },
                );
                let cell = Cell::new(head);
                if style.color {
                    cell.add_attribute(Attribute::Bold)
                } else {
                    cell
                }
            })
            .collect::<Vec<_>>(),
    );
    for row in rows {
        table.add_row(
            row.into_iter()
                .enumerate()
                .map(|(i, cell)| {
                    let width = widths.get(i).copied().unwrap_or(usize::MAX);
                    let shown = Cell::new(wrap(&cell.text, width, fit(i)));
                    match cell.tone {
                        Some(tone) if style.color => shown.fg(tone.color()),
                        _ => shown,
                    }
                })
                .collect::<Vec<_>>(),
        );
    }
    table
}

/// As [`fitted`], for a table some of whose columns can be spared: when
/// even its narrowest layout is wider than the terminal, the `optional`
/// columns are left out, in that order, until it fits (or none is left).
/// Returns the table and the headers left out, so that the caller can say
/// so under it: a column that silently disappears reads as data that is
/// not there.
pub fn fitted_sparing<'h>(
    header: &[&'h str],
    rows: Vec<Vec<Styled>>,
    fits: &[Fit],
    style: TableStyle,
    optional: &[usize],
) -> (Table, Vec<&'h str>) {
    let mut kept: Vec<usize> = (0..header.len()).collect();
    if let Some(width) = style.width.filter(|&w| w >= MIN_WIDTH) {
        let texts: Vec<Vec<String>> = rows
            .iter()
            .map(|row| row.iter().map(|cell| cell.text.clone()).collect())
            .collect();
        let least = least_widths(header, &texts, fits);
        let narrowest =
            |kept: &[usize]| kept.iter().map(|&i| least[i]).sum::<usize>() + chrome(kept.len());
        for column in optional {
            if narrowest(&kept) <= usize::from(width) {
                break;
            }
            kept.retain(|i| i != column);
        }
    }
    let left_out: Vec<&'h str> = (0..header.len())
        .filter(|i| !kept.contains(i))
        .map(|i| header[i])
        .collect();
    let header: Vec<&str> = kept.iter().map(|&i| header[i]).collect();
    let fits: Vec<Fit> = kept
        .iter()
        .map(|&i| fits.get(i).copied().unwrap_or(Fit::Keep))
        .collect();
    let rows: Vec<Vec<Styled>> = rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .enumerate()
                .filter(|(i, _)| kept.contains(i))
                .map(|(_, cell)| cell)
                .collect()
        })
        .collect();
    (fitted(&header, rows, &fits, style), left_out)
}

/// The line under a table that left columns out to fit.
pub fn left_out_note(left_out: &[&str], width: Option<u16>) -> Option<String> {
    if left_out.is_empty() {
        return None;
    }
    let columns = left_out.join(", ");
    Some(match width {
        Some(width) => {
            format!("({columns} left out to fit {width} columns; `--format json` has every column)")
        }
        None => format!("({columns} left out; `--format json` has every column)"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: [&str; 5] = ["report", "dated", "author", "first committed", "findings"];
    const FITS: [Fit; 5] = [Fit::Path, Fit::Keep, Fit::Words, Fit::Words, Fit::Keep];

    fn rows() -> Vec<Vec<String>> {
        vec![
            vec![
                "docs/status/2016/2016_uke_37.rst".into(),
                "2016-09-16".into(),
                "Raymond Kristiansen".into(),
                "2016-09-16 d01bb6a".into(),
                "0E 0W 0I".into(),
            ],
            vec![
                "docs/status/2016/2016_uke_38.rst".into(),
                "2016-09-23".into(),
                "Raymond Kristiansen".into(),
                "2016-10-20 7ffc806".into(),
                "1E 2W 0I".into(),
            ],
        ]
    }

    fn drawn(width: Option<u16>) -> String {
        let rows: Vec<Vec<Styled>> = rows()
            .into_iter()
            .map(|row| row.into_iter().map(Styled::from).collect())
            .collect();
        let style = TableStyle {
            width,
            color: false,
        };
        fitted(&HEADER, rows, &FITS, style).to_string()
    }

    fn widest_line(table: &str) -> usize {
        table.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
    }

    #[test]
    fn without_a_sane_width_the_table_keeps_its_natural_width() {
        let natural = widths(&HEADER, &rows(), &FITS, None);
        assert_eq!(natural, vec![32, 10, 19, 18, 8]);
        // A pty that reports 0×0, and widths too small to be meant.
        assert_eq!(widths(&HEADER, &rows(), &FITS, Some(0)), natural);
        assert_eq!(widths(&HEADER, &rows(), &FITS, Some(39)), natural);
        // Wide terminals change nothing either.
        assert_eq!(widths(&HEADER, &rows(), &FITS, Some(200)), natural);
        assert_eq!(drawn(Some(0)), drawn(None));
        assert_eq!(drawn(Some(200)), drawn(None));
        assert_eq!(widest_line(&drawn(None)), 87 + chrome(5));
    }

    #[test]
    fn at_80_columns_the_table_fits_without_breaking_dates_ids_or_words() {
        let table = drawn(Some(80));
        assert!(widest_line(&table) <= 80, "{table}");
        for whole in [
            "2016-09-16",
            "2016-09-23",
            "2016-10-20",
            "d01bb6a",
            "7ffc806",
            "Kristiansen",
            "2016_uke_37.rst",
            "0E 0W 0I",
            "1E 2W 0I",
        ] {
            assert!(table.contains(whole), "`{whole}` was broken:\n{table}");
        }
        // The path wraps after a slash and keeps it.
        assert!(table.contains("docs/status/"), "{table}");
    }

    #[test]
    fn when_nothing_more_can_give_the_table_stays_whole() {
        let table = drawn(Some(40));
        let narrowest = widths(&HEADER, &rows(), &FITS, Some(40));
        // report: `2016_uke_37.rst`; author: `Kristiansen`; commits and
        // the header: `committed` / `2016-09-16`.
        assert_eq!(narrowest, vec![15, 10, 11, 10, 8]);
        assert!(table.contains("2016-09-16"), "{table}");
        assert!(table.contains("Kristiansen"), "{table}");
    }

    #[test]
    fn spare_columns_are_left_out_only_when_nothing_else_fits() {
        let styled = || -> Vec<Vec<Styled>> {
            rows()
                .into_iter()
                .map(|row| row.into_iter().map(Styled::from).collect())
                .collect()
        };
        let at = |width| TableStyle {
            width,
            color: false,
        };
        // Wide enough for the narrowest layout of every column: all stay.
        let (table, left_out) = fitted_sparing(&HEADER, styled(), &FITS, at(Some(80)), &[2, 3]);
        assert!(left_out.is_empty());
        assert_eq!(table.to_string(), drawn(Some(80)));
        // Too narrow: the author goes first (the narrowest layout of the
        // other four is 56 columns)…
        let (table, left_out) = fitted_sparing(&HEADER, styled(), &FITS, at(Some(60)), &[2, 3]);
        assert_eq!(left_out, ["author"]);
        let table = table.to_string();
        assert!(widest_line(&table) <= 60, "{table}");
        assert!(
            !table.contains("Kristiansen") && table.contains("2016-10-20"),
            "{table}"
        );
        // …then the commits (the other three need 43).
        let (table, left_out) = fitted_sparing(&HEADER, styled(), &FITS, at(Some(50)), &[2, 3]);
        assert_eq!(left_out, ["author", "first committed"]);
        assert!(widest_line(&table.to_string()) <= 50, "{table}");
        // Narrower than what cannot be spared: the rest stays whole.
        let (table, left_out) = fitted_sparing(&HEADER, styled(), &FITS, at(Some(40)), &[2, 3]);
        assert_eq!(left_out, ["author", "first committed"]);
        assert_eq!(widest_line(&table.to_string()), 43, "{table}");
        // No sane width: nothing is left out.
        let (_, left_out) = fitted_sparing(&HEADER, styled(), &FITS, at(Some(0)), &[2, 3]);
        assert!(left_out.is_empty());
        assert_eq!(
            left_out_note(&["id", "progress"], Some(80)).as_deref(),
            Some("(id, progress left out to fit 80 columns; `--format json` has every column)")
        );
        assert_eq!(left_out_note(&[], Some(80)), None);
    }

    #[test]
    fn wrapping_keeps_words_and_slashes() {
        assert_eq!(wrap("a/bb/ccc.rst", 5, Fit::Path), "a/bb/\nccc.rst");
        assert_eq!(
            wrap("Felles keystone og full", 10, Fit::Words),
            "Felles\nkeystone\nog full"
        );
        assert_eq!(wrap("2016-09-16", 4, Fit::Keep), "2016-09-16");
        assert_eq!(wrap("short", 40, Fit::Words), "short");
    }

    #[test]
    fn colours_only_when_asked() {
        let rows = vec![vec![
            Styled::from("a"),
            Styled {
                text: "overdue".into(),
                tone: Some(Tone::Bad),
            },
        ]];
        let fits = [Fit::Keep, Fit::Keep];
        let plain = fitted(&["x", "status"], rows.clone(), &fits, TableStyle::default());
        assert!(!plain.to_string().contains('\u{1b}'));
        let style = TableStyle {
            width: None,
            color: true,
        };
        let coloured = fitted(&["x", "status"], rows, &fits, style).to_string();
        assert!(coloured.contains('\u{1b}'), "{coloured}");
    }
}
